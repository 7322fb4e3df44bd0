"""The consolidated reviews-and-findings workbook (`checklist ingest` writes it), read beside the register.

The register's own rows win: a review or finding in both keeps the register's values, and the workbook fills
only the cells the register leaves empty (the Bedömning, a date someone recorded in the workbook). Rows only in
the workbook are added. A workbook finding on a review and requirement that the register already has a finding
for is that finding (ingest links it by the register's Brist-ID), never a second one.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.problems import Problem
from followup_cli.read.workbook import Workbook
from followup_cli.register.table import Table
from followup_cli.schemas import register_schemas
from followup_cli.text import fold

SHEETS = ("reviews", "findings")  # schema names: the sheets Granskningar and Brister


def read_reviews_workbook(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    """The workbook's Granskningar and Brister as typed tables (a sheet it lacks is left out), and their problems."""
    from followup_cli.register.sheets import read_table

    schemas = register_schemas()
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    with Workbook(path) as workbook:
        for name in SHEETS:
            names = {fold(n) for n in schemas[name].sheet_names()}
            sheet = next((s for s in workbook.sheet_names if fold(s) in names), None)
            if sheet is None:
                continue
            table, found = read_table(workbook.grid(sheet), schemas[name])
            problems += found
            if table is not None:
                tables[name] = table
    return tables, problems


def _same_pair(data, extra, linked):
    """The workbook's findings that stand in the register under another id: one for one by review and requirement,
    so that a checklist with two Nej on one requirement, one of them linked to the register's finding, keeps the
    other (`linked`: the workbook's rows whose id the register has, each already matching one register finding)."""
    from collections import Counter

    import numpy as np

    def pair(r, q):
        return (r, q) if isinstance(r, str) and isinstance(q, str) else None

    left = Counter(p for p in map(pair, data["review_id"], data["requirement_id"]) if p is not None)
    rows = list(zip(map(pair, extra["review_id"], extra["requirement_id"]), linked))
    for p, is_linked in rows:
        if p is not None and is_linked and left[p]:
            left[p] -= 1
    same = []
    for p, is_linked in rows:
        take = p is not None and not is_linked and left[p] > 0
        if take:
            left[p] -= 1
        same.append(take)
    return np.array(same, dtype=bool)


def union_table(own: Table | None, added: Table | None) -> Table | None:
    """The register's table with the workbook's rows it lacks appended, and its empty cells filled from the
    workbook's row with the same id. Problems about an appended row name the workbook's cell (Table.appended)."""
    if added is None or not len(added):
        return own
    if own is None:
        return added
    import numpy as np
    import pandas as pd

    key = own.schema.primary_key
    data, extra = own.data.copy(), added.data
    known = set(data[key].dropna())
    same = extra[key].isin(known).to_numpy(copy=True)
    if own.schema.name == "findings":  # the same review and requirement: the register's finding, by another id
        same |= _same_pair(data, extra, same)
    filling = extra[extra[key].isin(known)].drop_duplicates(key).set_index(key)
    if len(filling):
        for fld in own.schema.fields:
            column = fld.name
            if column == key or column not in filling.columns or column not in data.columns:
                continue
            values = data[key].map(filling[column])
            blank = data[column].map(_missing).astype(bool) & ~values.map(_missing).astype(bool)
            if fld.default is not None:  # a Sanktion left at Ingen in the register is not a decision over the workbook's
                default = _default_id(fld)
                blank |= data[column].eq(default).fillna(False).astype(bool) & ~values.map(_missing).astype(bool)
            if blank.any():
                data[column] = data[column].where(~blank, values)
    new_rows = ~same
    if not new_rows.any():
        return Table(own.schema, own.file, own.sheet, data, own.rows, own.letters, own.headers, own.text, own.extra)
    kept = Table(added.schema, added.file, added.sheet, added.data[new_rows].reset_index(drop=True), added.rows[new_rows],
                 added.letters, added.headers, {k: v[new_rows].reset_index(drop=True) for k, v in added.text.items()})
    text = {name: pd.concat([own.text.get(name, pd.Series([None] * len(own), dtype=object)),
                             kept.text.get(name, pd.Series([None] * len(kept), dtype=object))], ignore_index=True)
            for name in dict.fromkeys([*own.text, *kept.text])}
    return Table(own.schema, own.file, own.sheet, pd.concat([data, kept.data], ignore_index=True),
                 np.concatenate([own.rows, kept.rows]), own.letters, own.headers, text, own.extra, appended=kept)


def _missing(value) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (tuple, list)) else not value
    except (TypeError, ValueError):
        return False


def _default_id(fld):
    """The id a field's default (schema `default:`) reads as: Sanktion's Ingen is 'none'."""
    return fld.id_for(fld.default) if fld.enum else fld.default
