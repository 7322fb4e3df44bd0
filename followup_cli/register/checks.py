"""Checks across rows and sheets: references, dates that cannot be, identity numbers, data quality.

Each check is a small function from one table (and the tables read before
it) to problems. `check_table` runs those of one table as soon as it has been
read, so the checks of early sheets run while a large sheet still loads;
every reference points to a sheet earlier in the schema order. Only rows
whose own cells were readable take part.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from followup_cli import swedish
from followup_cli.problems import Problem
from followup_cli.read.grid import EXCEL_MAX_CELL
from followup_cli.register.identity import contains_personnummer, orgnr_problem
from followup_cli.register.table import Register, Table
from followup_cli.schemas import register_schemas


def check_table(name: str, register: Register, as_of: dt.date) -> list[Problem]:
    """The checks of one table; `register` holds it and the tables it refers to."""
    table = register.tables[name]
    problems = _invisible_in_ids(table) + _too_long(table) + _references(table, register) + _personal_numbers(table) + _field_checks(table)
    if name == "providers":
        problems += _contract_dates(table) + _providers(table)
    elif name == "findings":
        problems += _findings(table, register, as_of)
    return problems


def _references(table: Table, register: Register) -> list[Problem]:
    """Every Utförar-ID, Gransknings-ID and Krav-ID must exist on its own sheet."""
    problems = []
    schemas = register_schemas()
    for fk in table.schema.foreign_keys:
        values = table.data[fk.field]
        if not values.notna().any():
            continue
        target = register.tables.get(fk.resource)
        target_title = schemas[fk.resource].title
        header = table.schema.field(fk.field).title
        if target is None:
            if fk.resource != "providers":  # a missing Utförare sheet is already an error of its own
                problems.append(table.problem(None, fk.field, "reference-unchecked", value=None, title=header, target=target_title))
            continue
        unknown = _not_in(values, set(target.data[fk.target].dropna().tolist()))
        problems += table.problems_where(unknown, fk.field, "unknown-reference", lambda i, values=values: {"key": values.iat[i]},
                                         title=header, target=target_title)
    return problems


# Characters Excel shows as nothing (or not at all) that still make an ID a different ID: control characters,
# zero-width spaces and joiners, the byte order mark, the word joiner, soft hyphen and direction marks.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _invisible_in_ids(table: Table) -> list[Problem]:
    """An Utförar-ID made of a zero-width space looks empty, or like another ID, yet is a valid key of its own:
    every key and reference cell holding an invisible or control character is an error naming the character."""
    problems = []
    id_fields = [table.schema.primary_key] + [fk.field for fk in table.schema.foreign_keys]
    for name in dict.fromkeys(f for f in id_fields if f and f in table.text):
        text = table.text[name]
        marked = {v: m for v in text.dropna().unique() if isinstance(v, str) and (m := INVISIBLE.search(v))}
        if not marked:  # as in nearly every register: the distinct IDs were all the look-up there is
            continue
        found = text.map(marked)
        title = table.schema.field(name).title
        for i in np.flatnonzero(found.notna().to_numpy()):
            shown = INVISIBLE.sub("", text.iat[i]).strip()
            char = f"U+{ord(found.iat[i].group(0)):04X}"
            if shown:
                problems.append(table.problem(i, name, "invisible-character", title=title, shown=shown, char=char))
            else:
                problems.append(table.problem(i, name, "invisible-character", variant="empty", title=title, char=char))
    return problems




def _too_long(table: Table) -> list[Problem]:
    """A cell longer than Excel holds was written by another program, and both Excel and the reader cut it at the
    limit without a word; a cell that reaches the limit is therefore said, so no one trusts a text that was cut."""
    problems = []
    for name, text in table.text.items():
        if not text.notna().any():
            continue
        problems += table.problems_where(text.str.len() >= EXCEL_MAX_CELL, name, "text-too-long", value=None,
                                         limit=swedish.count(EXCEL_MAX_CELL))
    return problems


def _not_in(values: pd.Series, known: set) -> np.ndarray:
    """Which cells hold a value (not missing) outside `known`: each distinct value looked up once in a Python set.
    Series.isin with Arrow strings cost 15–20 ms per column, 0.17 s per large city; this is a tenth of that."""
    codes, uniques = pd.factorize(values)
    flags = np.array([u not in known for u in uniques.tolist()] + [False], dtype=bool)
    return flags[codes]  # code -1 (missing) picks the trailing False


def _field_checks(table: Table) -> list[Problem]:
    """The extra check a field's schema names (`check: orgnr`), on each distinct value once."""
    problems = []
    for fld in table.schema.fields:
        if fld.check == "orgnr":
            values = table.data[fld.name]
            reasons = values.map({v: orgnr_problem(v) for v in values.dropna().unique()})
            problems += table.problems_where(reasons.notna(), fld.name, "orgnr", lambda i, reasons=reasons: {"reason": reasons.iat[i]})
    return problems


def _personal_numbers(table: Table) -> list[Problem]:
    """Free text must not hold personal identity numbers; the number itself is never repeated back."""
    problems = []
    for fld in table.schema.fields:
        if not fld.free_text:
            continue
        text = table.data[fld.name]
        candidates = text.notna() & text.astype("str").str.contains(r"\d{6}", regex=True, na=False)
        hits = candidates & text.where(candidates).map(lambda t: isinstance(t, str) and contains_personnummer(t))
        problems += table.problems_where(hits, fld.name, "personal-number", value=None)
    return problems


def _contract_dates(table: Table) -> list[Problem]:
    start, end = table.data["contract_start"], table.data["contract_end"]
    return table.problems_where(end < start, "contract_end", "impossible-date",
                                lambda i: {"end": _d(end.iat[i]), "start": _d(start.iat[i])})


def _findings(table: Table, register: Register, as_of: dt.date) -> list[Problem]:
    data = table.data
    problems = []
    reviews = register.tables.get("reviews")
    if reviews is not None:
        review_date = pd.to_datetime(data["review_id"].map(dict(zip(reviews.data["review_id"], reviews.data["date"]))))
        for column, what in (("action_plan_received", "Åtgärdsplanen kom in"), ("resolved", "Bristen åtgärdades")):
            problems += table.problems_where(data[column] < review_date, column, "impossible-date",
                lambda i, column=column: {"date": _d(data[column].iat[i]), "review": data["review_id"].iat[i],
                                          "review_date": _d(review_date.iat[i])},
                variant="before-review", what=what)
    still_open = data["resolved"].isna()
    no_deadline = (data["severity"] == "serious") & data["action_plan_due"].isna() & still_open
    problems += table.problems_where(no_deadline, "action_plan_due", "serious-without-deadline")
    overdue = (data["action_plan_due"] < pd.Timestamp(as_of)) & data["action_plan_received"].isna() & still_open
    problems += table.problems_where(overdue, "action_plan_received", "action-plan-overdue",
                                     lambda i: {"due": _d(data["action_plan_due"].iat[i])})
    return problems


def _providers(table: Table) -> list[Problem]:
    data = table.data
    problems = []
    if not len(data):
        problems.append(table.problem(None, None, "no-providers", value=None))
    if "reviewing_unit" not in table.letters:
        problems.append(table.problem(None, "reviewing_unit", "no-reviewing-unit", value=None, variant="column"))
    else:
        no_unit = data["reviewing_unit"].isna() & data["active"].fillna(True).astype(bool) & data["provider_id"].notna()
        problems += table.problems_where(no_unit, "reviewing_unit", "no-reviewing-unit",
                                         lambda i: {"provider": data["provider_id"].iat[i]})
    unusual = (data["ownership"] == "in_house") & data["contract_form"].isin(["lov", "lou", "outsourcing"])
    ownership, contract_form = table.schema.field("ownership"), table.schema.field("contract_form")
    problems += table.problems_where(unusual, "contract_form", "unusual-combination",
                                     lambda i: {"in_house": ownership.label("in_house"), "ownership": ownership.title,
                                                "form": contract_form.label(data["contract_form"].iat[i]),
                                                "contract_form": contract_form.title})
    return problems


NEAR_MISS = 0.8  # how alike a service area must be spelt to a known one to be taken for a typo of it


def service_area_near_misses(table: Table, known: list[str]) -> list[Problem]:
    """A Verksamhetsområde that is a near miss of a known name ('Hemtjänts' for 'Hemtjänst') is a typo that would
    become a board heading of its own. A name that is, or contains, a known one is the risk analysis's match, and
    an unknown name that resembles none is left to the risk analysis's own warning. A near miss is one `suggest`
    finds that is also close in spelling (similarity 0.8 or more): 'Fritidsverksamhet' is not a misspelt
    'Dagverksamhet'."""
    import difflib

    from followup_cli.text import fold, suggest

    choices = {fold(k): k for k in known if fold(k)}
    values = table.data["service_area"]

    def near(value: str) -> str | None:
        key = fold(value)
        if not key or any(k in key for k in choices):
            return None
        found = suggest(value, choices)
        return found if found and difflib.SequenceMatcher(None, key, fold(found)).ratio() >= NEAR_MISS else None

    nearest = values.map({v: near(v) for v in values.dropna().unique()})
    return table.problems_where(nearest.notna(), "service_area", "service-area-near-miss",
                                lambda i: {"text": values.iat[i], "near": nearest.iat[i]})


def _d(value) -> str:
    """A date as ISO text for messages."""
    if value is None or pd.isna(value):
        return "?"
    return pd.Timestamp(value).date().isoformat()
