"""Checks across rows and sheets: references, dates that cannot be, identity numbers, data quality.

Each check is a small function from the register to problems; `check_register`
runs them all. Only rows whose own cells were readable take part.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from followup_cli.problems import Problem
from followup_cli.register.identity import contains_personnummer, orgnr_problem
from followup_cli.register.table import Register, Table
from followup_cli.schemas import register_schemas


def check_register(register: Register, as_of: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    for check in (_references, _org_numbers, _personal_numbers, _contract_dates, _findings, _providers):
        problems += check(register, as_of)
    return problems


def _references(register: Register, as_of: dt.date) -> list[Problem]:
    """Every Utförar-ID, Gransknings-ID and Krav-ID must exist on its own sheet."""
    problems = []
    schemas = register_schemas()
    for name, table in register.tables.items():
        for fk in table.schema.foreign_keys:
            target = register.tables.get(fk.resource)
            values = table.data[fk.field]
            present = values.notna()
            if not present.any():
                continue
            target_title = schemas[fk.resource].title
            header = table.schema.field(fk.field).title
            if target is None:
                if fk.resource != "providers":
                    problems.append(table.problem(None, fk.field, "warning", "reference-unchecked",
                        f"{header} kan inte kontrolleras eftersom bladet {target_title} saknas.", value=None))
                continue
            known = set(target.data[fk.target].dropna())
            unknown = present & ~values.isin(known)
            for i in np.flatnonzero(unknown.to_numpy()):
                problems.append(table.problem(i, fk.field, "error", "unknown-reference",
                    f"{header} {values.iat[i]} finns inte på bladet {target_title}. Rätta koden eller lägg till raden där."))
    return problems


def _org_numbers(register: Register, as_of: dt.date) -> list[Problem]:
    table = register.tables.get("providers")
    if table is None:
        return []
    problems = []
    values = table.data["org_number"]
    verdicts = {v: orgnr_problem(v) for v in values.dropna().unique()}
    for i, value in enumerate(values):
        reason = verdicts.get(value) if isinstance(value, str) else None
        if reason:
            problems.append(table.problem(i, "org_number", "error", "orgnr", f"Organisationsnumret {reason}."))
    return problems


def _personal_numbers(register: Register, as_of: dt.date) -> list[Problem]:
    """Free text must not hold personal identity numbers; the number itself is never repeated back."""
    problems = []
    for table in register.tables.values():
        for fld in table.schema.fields:
            if not fld.free_text:
                continue
            text = table.data[fld.name]
            candidates = text.notna() & text.astype("str").str.contains(r"\d{6}", regex=True, na=False)
            for i in np.flatnonzero(candidates.to_numpy()):
                if contains_personnummer(text.iat[i]):
                    problems.append(table.problem(i, fld.name, "warning", "personal-number",
                        "Texten verkar innehålla ett personnummer eller samordningsnummer. Ta bort det: "
                        "fritext kan nå rapporter till utförare och allmänhet.", value=None))
    return problems


def _contract_dates(register: Register, as_of: dt.date) -> list[Problem]:
    table = register.tables.get("providers")
    if table is None:
        return []
    start, end = table.data["contract_start"], table.data["contract_end"]
    wrong = (end < start).fillna(False).to_numpy(dtype=bool)
    return [table.problem(i, "contract_end", "error", "impossible-date",
                          f"Avtalet slutar {_d(end.iat[i])}, före sitt startdatum {_d(start.iat[i])}. Rätta något av datumen.")
            for i in np.flatnonzero(wrong)]


def _findings(register: Register, as_of: dt.date) -> list[Problem]:
    table = register.tables.get("findings")
    if table is None:
        return []
    data = table.data
    problems = []
    reviews = register.tables.get("reviews")
    if reviews is not None:
        review_date = data["review_id"].map(dict(zip(reviews.data["review_id"], reviews.data["date"])))
        for column, what in (("action_plan_received", "Åtgärdsplanen kom in"), ("resolved", "Bristen åtgärdades")):
            before = (data[column] < pd.to_datetime(review_date)).fillna(False).to_numpy(dtype=bool)
            for i in np.flatnonzero(before):
                problems.append(table.problem(i, column, "error", "impossible-date",
                    f"{what} {_d(data[column].iat[i])}, före granskningen {data['review_id'].iat[i]} den {_d(review_date.iat[i])}. Rätta datumet."))
    today = pd.Timestamp(as_of)
    open_ = data["resolved"].isna()
    no_deadline = (data["severity"] == "Allvarlig brist") & data["action_plan_due"].isna() & open_
    for i in np.flatnonzero(no_deadline.to_numpy(dtype=bool)):
        problems.append(table.problem(i, "action_plan_due", "warning", "serious-without-deadline",
            "En allvarlig brist saknar datum för åtgärdsplan. Fyll i när utföraren senast ska lämna en åtgärdsplan."))
    overdue = (data["action_plan_due"] < today).fillna(False) & data["action_plan_received"].isna() & open_
    for i in np.flatnonzero(overdue.to_numpy(dtype=bool)):
        problems.append(table.problem(i, "action_plan_received", "warning", "action-plan-overdue",
            f"Åtgärdsplanen skulle ha kommit in senast {_d(data['action_plan_due'].iat[i])} men är inte registrerad. "
            "Fyll i datumet om den kommit, annars påminn utföraren."))
    return problems


def _providers(register: Register, as_of: dt.date) -> list[Problem]:
    table = register.tables.get("providers")
    if table is None:
        return []
    data = table.data
    problems = []
    if not len(data):
        problems.append(table.problem(None, None, "warning", "no-providers",
            "Bladet Utförare har inga rader ännu. Fyll i en rad per enhet som följs upp.", value=None))
    if "reviewing_unit" not in table.letters:
        problems.append(table.problem(None, "reviewing_unit", "warning", "no-reviewing-unit",
            "Kolumnen Uppföljande enhet saknas. Lägg till den så att planen kan fördelas per uppföljande enhet.", value=None))
    no_unit = data["reviewing_unit"].isna() & data["active"].fillna(True).astype(bool) & data["provider_id"].notna()
    no_unit &= "reviewing_unit" in table.letters
    for i in np.flatnonzero(no_unit.to_numpy(dtype=bool)):
        problems.append(table.problem(i, "reviewing_unit", "warning", "no-reviewing-unit",
            f"Utföraren {data['provider_id'].iat[i]} har ingen uppföljande enhet. Fyll i vem som följer upp den, annars hamnar den utanför planeringen per enhet."))
    unusual = (data["ownership"] == "Egen regi") & data["contract_form"].isin(["LOV", "LOU", "Entreprenad"])
    for i in np.flatnonzero(unusual.to_numpy(dtype=bool)):
        problems.append(table.problem(i, "contract_form", "warning", "unusual-combination",
            f"Egen regi med avtalsform {data['contract_form'].iat[i]} är ovanligt. Kontrollera Regiform och Avtalsform."))
    return problems


def _d(value) -> str:
    """A date as ISO text for messages."""
    if value is None or pd.isna(value):
        return "?"
    return pd.Timestamp(value).date().isoformat()
