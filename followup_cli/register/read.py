"""Read a whole register: the workbook's sheets, sheets from their own files, then the checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.problem_codes import problem
from followup_cli.problems import Problem, sort_key
from followup_cli.read.workbook import Workbook
from followup_cli.register.table import Register, Table
from followup_cli.register.union import SHEETS as UNION_SHEETS
from followup_cli.schemas import Schema, register_schemas
from followup_cli.text import fold

NEAR_SHEET = 0.8  # how alike an unread sheet's name must be to a register sheet's to be warned as a near miss
MAX_PER_COLUMN = 200  # problems of one kind in one column before the rest are summed up


@dataclass(frozen=True)
class SheetSource:
    """A sheet that comes from its own file (and, in a workbook, a named sheet)."""

    path: Path
    sheet: str | None = None


@dataclass(frozen=True)
class RegisterSources:
    register: Path
    sheets: dict[str, SheetSource] = field(default_factory=dict)  # schema name → source
    reviews: Path | None = None  # the consolidated reviews-and-findings workbook, read beside the register if it exists

    def files(self) -> list[Path]:
        """Every file the register is read from: no output may ever be written over one of them."""
        reviews = [self.reviews] if self.reviews is not None and self.reviews.is_file() else []
        return [self.register, *(s.path for s in self.sheets.values()), *reviews]


def read_register(sources: RegisterSources, as_of: dt.date | None = None, on_table=None) -> Register:
    """Every sheet read and checked; raises InputError only when the main file cannot be opened at all.

    `on_table(name, table_or_None)` is called for every sheet of the format, in schema order, as soon as
    it has been read, so an analysis can work while larger sheets are still loading.
    """
    schemas = register_schemas()
    with Workbook(sources.register) as workbook:
        problems: list[Problem] = []
        found = _match_sheets(workbook, schemas, problems)
        workbook.prefetch([found[name] for name in schemas if name in found and name not in sources.sheets])
        register = _read_sheets(workbook, sources, found, problems, as_of or dt.date.today(), on_table)
    register.problems = _cap(sorted(problems, key=sort_key))
    return register


def _read_sheets(workbook: Workbook, sources: RegisterSources, found: dict[str, str], problems: list[Problem],
                 as_of: dt.date, on_table=None) -> Register:
    """Each sheet read, then checked against the sheets before it, while later (larger) sheets still load."""
    # pandas is imported here, after prefetch has started the first loads, so its import overlaps them.
    from followup_cli.register.checks import check_table
    from followup_cli.register.sheets import read_table

    schemas = register_schemas()
    register = Register(tables={}, problems=[], absent=[])
    tables, absent = register.tables, register.absent
    consolidated: dict[str, Table] = {}  # the reviews workbook's tables, read when the first of them is needed
    for name, schema in schemas.items():
        if name in sources.sheets:
            table, found_problems = _read_own_file(sources.sheets[name], schema)
        elif workbook.kind == "csv" and name == "providers":
            table, found_problems = read_table(workbook.grid(), schema)
        elif name in found:
            sheet = found[name]
            grid = workbook.grid(sheet)
            table, found_problems = read_table(grid, schema)
            if grid.hidden:
                found_problems.append(problem("hidden-sheet", workbook.path.name, sheet, name=sheet))
        else:
            table, found_problems = None, []
            if schema.required:
                found_problems.append(problem("missing-sheet", workbook.path.name, schema.title, title=schema.title,
                                              sheets=", ".join(workbook.sheet_names) or "inga"))
            else:
                absent.append(name)
        problems += found_problems
        if name in UNION_SHEETS and sources.reviews is not None and sources.reviews.is_file():
            table = _with_reviews_workbook(name, table, sources.reviews, consolidated, problems)
            if table is not None and name in absent:
                absent.remove(name)
        if table is not None:
            tables[name] = table
            problems += check_table(name, register, as_of)
        if on_table is not None:
            on_table(name, table)
    return register




def _with_reviews_workbook(name: str, table: Table | None, path: Path, consolidated: dict, problems: list[Problem]) -> Table | None:
    """The register's sheet with the consolidated workbook's rows it lacks (register/union.py)."""
    from followup_cli.register.union import read_reviews_workbook, union_table

    if not consolidated:
        consolidated["tables"], found = read_reviews_workbook(path)
        problems += found
    return union_table(table, consolidated["tables"].get(name))


def _match_sheets(workbook: Workbook, schemas: dict[str, Schema], problems: list[Problem]) -> dict[str, str]:
    """Schema name → sheet name, matching case-, space-, hyphen- and accent-insensitively."""
    lookup = {fold(n): schema.name for schema in schemas.values() for n in schema.sheet_names()}
    found: dict[str, str] = {}
    for sheet in workbook.sheet_names:
        name = lookup.get(fold(sheet))
        if name is None:
            near = _near_sheet(sheet, schemas)
            if near:
                problems.append(problem("unknown-sheet", workbook.path.name, sheet, name=sheet, near=near))
            continue
        if name in found:
            problems.append(problem("duplicate-sheet", workbook.path.name, sheet, name=sheet, first=found[name], title=schemas[name].title))
            continue
        found[name] = sheet
    return found


def _near_sheet(sheet: str, schemas: dict[str, Schema]) -> str | None:
    """The register sheet an unread sheet's name nearly is: 'händelser1' (the name Excel and openpyxl give a
    second 'Händelser' that differed only in case) or 'Utförere' is almost certainly meant to be read."""
    import difflib

    titles = {fold(n): schema.title for schema in schemas.values() for n in schema.sheet_names()}
    close = difflib.get_close_matches(fold(sheet), list(titles), n=1, cutoff=NEAR_SHEET)
    return titles[close[0]] if close else None


def _read_own_file(source: SheetSource, schema: Schema) -> tuple[Table | None, list[Problem]]:
    with Workbook(source.path) as workbook:
        return _read_own_sheet(workbook, source, schema)


def _read_own_sheet(workbook: Workbook, source: SheetSource, schema: Schema) -> tuple[Table | None, list[Problem]]:
    from followup_cli.register.sheets import read_table

    if workbook.kind == "csv":
        return read_table(workbook.grid(), schema)
    wanted = source.sheet or schema.title
    sheet = next((s for s in workbook.sheet_names if fold(s) == fold(wanted)), None)
    if sheet is None and source.sheet is None and len(workbook.sheet_names) == 1:
        sheet = workbook.sheet_names[0]
    if sheet is None:
        raise InputError(f"{source.path.name} har inget blad {wanted} (bladen som finns: {', '.join(workbook.sheet_names)}). Rätta sheets: i followup.yaml.")
    return read_table(workbook.grid(sheet), schema)


def _cap(problems: list[Problem]) -> list[Problem]:
    """Keep the first MAX_PER_COLUMN problems of each kind per column; a last line says how many more there were."""
    counts: dict[tuple, int] = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.code)
        counts[key] = counts.get(key, 0) + 1
    kept: list[Problem] = []
    seen: dict[tuple, int] = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= MAX_PER_COLUMN:
            kept.append(p)
        if seen[key] == MAX_PER_COLUMN and counts[key] > MAX_PER_COLUMN:
            kept.append(replace(p, row=None, value=None, message=f"… och {counts[key] - MAX_PER_COLUMN} rader till med samma "
                                                                  "problem i kolumnen. Rätta de första och kör validate igen."))
    return kept
