"""From a text grid to a typed Table: find the header row, map the columns, coerce every cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

from followup_cli.problem_codes import problem
from followup_cli.problems import Problem
from followup_cli.read.grid import HEADER_SEARCH_ROWS, Grid, header_row
from followup_cli.register.coerce import coerce
from followup_cli.register.table import Table
from followup_cli.schemas import Field, Schema
from followup_cli.swedish import decimal_comma, swedish_list
from followup_cli.text import column_letter, fold, suggest

TYPE_HINT = {
    "integer": "ett heltal, t.ex. 12",
    "number": "ett tal, t.ex. 12,5",
    "date": "ett datum, t.ex. 2025-03-14",
    "yearmonth": "en månad, t.ex. 2025-03",
    "year": "ett årtal, t.ex. 2025",
    "boolean": "Ja eller Nej",
}


def _header_lookup(schema: Schema) -> dict[str, Field]:
    return {fold(h): f for f in schema.fields for h in f.headers()}


def _place(grid: Grid, **kw) -> dict:
    return {"file": grid.file, "sheet": grid.sheet, **kw}


def read_table(grid: Grid, schema: Schema) -> tuple[Table | None, list[Problem]]:
    """The sheet as a typed table, with a problem for every cell that breaks the schema."""
    problems: list[Problem] = []
    where = grid.sheet and f"bladet {grid.sheet}" or grid.file
    cells = grid.cells
    header_at = header_row(cells, _header_lookup(schema)) if len(cells) else None
    if header_at is None:
        required = [f.title for f in schema.fields if f.required]
        problems.append(problem("header-not-found", **_place(grid), where=where, rows=HEADER_SEARCH_ROWS,
                                required=swedish_list(required, "och")))
        return None, problems

    header_row_excel = grid.first_row + header_at
    for ref in grid.fill_merged(below_row=header_row_excel):
        first = ref.split(":")[0]
        letters = first.rstrip("0123456789")
        problems.append(problem("merged-cells", **_place(grid, row=int(first[len(letters):]), column=letters),
                                range=ref, first=first))
    lookup = _header_lookup(schema)
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    extra_positions: list[int] = []
    for pos, raw in enumerate(cells.iloc[header_at]):
        letter = column_letter(grid.first_col + pos)
        if not isinstance(raw, str) or not raw.strip():
            continue
        fld = lookup.get(fold(raw))
        if fld is None:
            extra_positions.append(pos)
            near = suggest(raw, {fold(f.title): f.title for f in schema.fields if f.name not in columns})
            if near:
                problems.append(problem("unknown-column", **_place(grid, row=header_row_excel, column=letter, header=raw.strip(),
                                                                   value=raw.strip()), near=near))
            continue
        if fld.name in columns:
            first = column_letter(grid.first_col + columns[fld.name])
            problems.append(problem("duplicate-column", **_place(grid, row=header_row_excel, column=letter, header=raw.strip(),
                                                                 value=raw.strip()), title=fld.title, first=first))
            continue
        columns[fld.name] = pos
        headers[fld.name] = raw.strip()

    for fld in schema.fields:
        if fld.required and fld.name not in columns:
            problems.append(problem("missing-column", **_place(grid, row=header_row_excel, header=fld.title), title=fld.title,
                                    where=where, explained=f" ({fld.description.rstrip('.')})" if fld.description else ""))

    body = cells.iloc[header_at + 1 :]
    body = pd.DataFrame({c: _strip(body[c]) for c in body.columns}, index=body.index)
    keep = body.notna().any(axis=1).to_numpy()
    if not keep.all():
        body = body.loc[keep]
    rows = (grid.first_row + header_at + 1 + np.flatnonzero(keep)).astype(np.int64)

    table = Table(schema=schema, file=grid.file, sheet=grid.sheet, data=pd.DataFrame(index=range(len(body))), rows=rows,
                  letters={n: column_letter(grid.first_col + p) for n, p in columns.items()}, headers=headers)
    suppressed = _bad_excel_cells(grid, table, columns, problems)
    for fld in schema.fields:
        if fld.name in columns:
            text = body[columns[fld.name]].reset_index(drop=True)
        else:
            text = pd.Series([None] * len(body), dtype=object)
        table.text[fld.name] = text
        typed, failed = coerce(text, fld)
        table.data[fld.name] = typed.reset_index(drop=True)
        if fld.name in columns:
            problems += _cell_problems(table, fld, text, typed, failed, suppressed.get(fld.name, set()))
        _fill_default(table, fld)
    if extra_positions:
        table.extra = body[extra_positions].reset_index(drop=True)
        table.extra.columns = [str(cells.iat[header_at, p]).strip() for p in extra_positions]
    return table, problems


def _strip(col: pd.Series) -> pd.Series:
    """Trim every text cell; a cell of only spaces is empty. Untouched columns are not copied."""
    if not col.notna().any():
        return pd.Series([None] * len(col), index=col.index, dtype=object)
    stripped = col.str.strip()
    if stripped.equals(col):
        return col
    return stripped.replace("", None)


def _bad_excel_cells(grid: Grid, table: Table, columns: dict[str, int], problems: list[Problem]) -> dict[str, set[int]]:
    """Excel error values and formulas without a saved result, reported by cell instead of read as empty."""
    suppressed: dict[str, set[int]] = {}
    if not grid.error_cells and not grid.uncached_formulas:
        return suppressed
    by_letter = {letter: name for name, letter in table.letters.items()}
    row_index = {int(r): i for i, r in enumerate(table.rows)}
    found = [(ref, value, True) for ref, value in grid.error_cells.items()] + [(ref, None, False) for ref in grid.uncached_formulas]
    for ref, value, is_error_value in found:
        letters = ref.rstrip("0123456789")
        row = int(ref[len(letters):])
        name = by_letter.get(letters)
        place = _place(grid, row=row, column=letters, header=table.headers.get(name) if name else None, value=value)
        if is_error_value:
            problems.append(problem("excel-error", **place, error=value))
        else:
            problems.append(problem("formula-without-value", **place))
        if name and row in row_index:
            suppressed.setdefault(name, set()).add(row_index[row])
    return suppressed


def _cell_problems(table: Table, fld: Field, text: pd.Series, typed: pd.Series, failed: np.ndarray, skip: set[int]) -> list[Problem]:
    """Unreadable, missing, out-of-range and duplicate cells of one column (cells in `skip` are reported already)."""
    keep = np.ones(len(text), dtype=bool)
    keep[list(skip)] = False
    problems = [_type_problem(table, fld, i, text.iat[i]) for i in np.flatnonzero(failed & keep)]
    if fld.required:
        problems += table.problems_where(text.isna().to_numpy() & keep, fld.name, "required", title=fld.title)
    if fld.minimum is not None or fld.maximum is not None:
        numbers = pd.to_numeric(typed, errors="coerce")
        low = (numbers < fld.minimum) if fld.minimum is not None else pd.Series(False, index=numbers.index)
        high = (numbers > fld.maximum) if fld.maximum is not None else pd.Series(False, index=numbers.index)
        if fld.minimum == 0:
            problems += table.problems_where(low, fld.name, "out-of-range", variant="negative", title=fld.title)
            low = pd.Series(False, index=numbers.index)
        if fld.maximum is not None:
            problems += table.problems_where(low | high, fld.name, "out-of-range", title=fld.title, low=decimal_comma(fld.minimum),
                                             high=decimal_comma(fld.maximum))
        else:
            problems += table.problems_where(low, fld.name, "out-of-range", variant="at-least", title=fld.title, low=decimal_comma(fld.minimum))
    if fld.unique:
        keys = typed.where(typed.notna())
        duplicate = keys.duplicated(keep="first") & keys.notna()
        if duplicate.any():
            first_row = dict(zip(keys[~keys.duplicated(keep="first")], table.rows[~keys.duplicated(keep="first").to_numpy()]))
            problems += table.problems_where(duplicate, fld.name, "duplicate",
                                             lambda i: {"key": keys.iat[i], "first_row": first_row[keys.iat[i]]}, title=fld.title)
    return problems


def _fill_default(table: Table, fld: Field) -> None:
    """Empty cells (or an absent column) take the schema's default, e.g. Aktiv = Ja."""
    if fld.default is None:
        return
    column = table.data[fld.name]
    default = coerce(pd.Series([str(fld.default)], dtype=object), fld)[0].iat[0]
    table.data[fld.name] = column.fillna(default) if fld.type == "boolean" else column.where(column.notna(), default)


def _type_problem(table: Table, fld: Field, i: int, value: str) -> Problem:
    """A cell that could not be read as its column's type or vocabulary."""
    if fld.enum:
        near = suggest(value, fld.vocabulary())
        return table.problem(i, fld.name, "not-in-vocabulary", text=value, title=fld.title, near=f" – menade du '{near}'?" if near else "",
                             allowed=swedish_list([f"'{v}'" for v in fld.enum]))
    if fld.type == "list":
        return table.problem(i, fld.name, "not-in-vocabulary", variant="list", text=value, allowed=swedish_list(list(fld.enum)))
    if fld.type == "date":
        return table.problem(i, fld.name, "wrong-type", variant="date", text=value, hint=TYPE_HINT["date"])
    return table.problem(i, fld.name, "wrong-type", text=value, what=TYPE_HINT.get(fld.type, fld.type))
