"""`plan --previous`: last year's plan workbook read back and interpreted, as the user may have edited it in Excel.

Only the sheet Plan and three of its columns matter (Utförar-ID, Typ or the
hidden Typ (id), Månad); they are found by their headers (case, spaces and
accents ignored), so extra or moved columns, a title row above, sorted or
deleted rows and a Månad typed as a date all read. Typ wins over Typ (id)
where both are filled: it is the column the user sees and edits; the id is
the fallback. Plans written before the headers were all Swedish (the id
column headed review_type_id) still read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.plan.rules import PreviousItem
from followup_cli.read.grid import HEADER_SEARCH_ROWS, Grid, header_row
from followup_cli.read.safety import OLE_MAGIC, ZIP_MAGIC
from followup_cli.read.workbook import Workbook
from followup_cli.swedish import swedish_list
from followup_cli.text import column_letter, fold, suggest

# The plan workbook's sheet and the columns read back from it (publish/plan_workbook.py writes them).
PLAN_SHEET = "Plan"
MONTH_HEADER = "Månad"
PROVIDER_HEADER = "Utförar-ID"
TYPE_HEADER = "Typ"
TYPE_ID_HEADER = "Typ (id)"  # hidden: the review type's id, for when the user has retyped Typ

HEADERS = {  # column key → the headers it goes by (the first is today's; the rest are older or English spellings)
    "provider": (PROVIDER_HEADER, "provider_id"),
    "type": (TYPE_HEADER, "Granskningstyp"),
    "type_id": (TYPE_ID_HEADER, "review_type_id"),
    "month": (MONTH_HEADER, "month"),
}
LOOKUP = {fold(h): key for key, headers in HEADERS.items() for h in headers}


def previous_plan(path: Path, year: int) -> tuple[list[PreviousItem], list[str]]:
    """Last year's plan, to carry over into `year`, and warnings about it. A plan for `year` or later
    cannot be carried over into it; an older one can, with a warning."""
    from followup_cli.errors import UsageError

    items = read_previous_plan(path)
    if items and items[0].year >= year:
        raise UsageError(f"--previous {path.name} är planen för {items[0].year}; ange förra årets plan ({year - 1}).")
    warnings = []
    if items and items[0].year < year - 1:
        warnings.append(f"{path.name} är planen för {items[0].year}, inte för {year - 1}; "
                        "granskningar därifrån som inte genomförts förs ändå över.")
    return items, warnings


def read_previous_plan(path: Path) -> list[PreviousItem]:
    """The reviews planned last year; every bad input is an InputError naming file, sheet, row and column."""
    path = Path(path)
    if not path.is_file():
        state = "är en mapp, inte en fil" if path.is_dir() else "finns inte"
        raise InputError(f"Förra årets plan {path} (--previous) {state}. Ange arbetsboken som followup plan skrev, "
                         "t.ex. --previous out/plan-2025.xlsx.", file=path.name)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not (head.startswith(ZIP_MAGIC) or head == OLE_MAGIC):
        raise InputError(f"{path.name} är ingen Excel-arbetsbok. --previous ska vara förra årets plan som followup plan "
                         "skrev den (xlsx), t.ex. plan-2025.xlsx.", file=path.name)
    return _items(plan_sheet(path))


def plan_sheet(path: Path) -> Grid:
    """The Plan sheet of a workbook `followup plan --format xlsx` wrote, found whatever its case; a workbook without
    one is an InputError naming the sheets it has. (Last year's plan and `checklist new --plan` both read it.)"""
    with Workbook(path) as workbook:
        sheet = next((s for s in workbook.sheet_names if fold(s) == fold(PLAN_SHEET)), None)
        if sheet is None:
            raise InputError(f"{path.name} är inte en plan från followup plan: bladet {PLAN_SHEET} saknas (bladen som finns: "
                             f"{', '.join(workbook.sheet_names) or 'inga'}). Ange arbetsboken som followup plan --format xlsx skrev.",
                             file=path.name)
        return workbook.grid(sheet)


def _items(grid: Grid) -> list[PreviousItem]:
    from followup_cli.register.coerce import parse_yearmonth
    from followup_cli.schemas import register_schemas

    types = register_schemas()["reviews"].field("review_type")
    labels = list(types.labels().values())
    where = f"{grid.file}, bladet {grid.sheet}"
    cells = grid.cells
    header_at, columns = _header(cells)
    if header_at is None:
        raise InputError(f"{where}: hittar ingen rubrikrad med {PROVIDER_HEADER}, {TYPE_HEADER} och {MONTH_HEADER} bland de "
                         f"{HEADER_SEARCH_ROWS} första raderna. Ange planen som followup plan skrev, med rubrikerna kvar.",
                         file=grid.file)
    header_row = grid.first_row + header_at
    for key, hint in (("provider", "utförarens id som i registret"), ("month", "planerad månad, t.ex. 2025-03")):
        if key not in columns:
            raise InputError(f"{where}, rad {header_row}: kolumnen {HEADERS[key][0]} saknas. Lägg tillbaka kolumnen med rubriken "
                             f"{HEADERS[key][0]} ({hint}).", file=grid.file)
    if "type" not in columns and "type_id" not in columns:
        raise InputError(f"{where}, rad {header_row}: kolumnen {TYPE_HEADER} saknas (och {TYPE_ID_HEADER}). Lägg tillbaka kolumnen "
                         f"med rubriken {TYPE_HEADER} (granskningstypen, t.ex. {labels[0]}).", file=grid.file)

    found: list[tuple[str, str, str | None]] = []  # provider, type id, month
    months: dict[int, str] = {}  # Excel row → month, for the year check
    errors: list[str] = []

    def place(row: int, key: str) -> str:
        return f"{where}, rad {row}, kolumn {column_letter(grid.first_col + columns[key])} ({HEADERS[key][0]})"

    for i in range(header_at + 1, len(cells)):
        row = grid.first_row + i
        value = {key: _text(cells.iat[i, pos]) for key, pos in columns.items()}
        if not any(value.values()):
            continue  # an empty or deleted row, or a note in another column
        type_key = "type" if value.get("type") else "type_id"
        kind = value.get(type_key)
        month = parse_yearmonth(value["month"]) if value["month"] else None
        if not value["provider"]:
            errors.append(f"{place(row, 'provider')}: Utförar-ID saknas. Fyll i det eller ta bort raden.")
        elif not kind:
            errors.append(f"{place(row, 'type' if 'type' in columns else 'type_id')}: granskningstypen saknas. "
                          f"Skriv en av {swedish_list(labels)}.")
        elif types.id_for(kind) is None:
            near = suggest(kind, types.vocabulary())
            errors.append(f"{place(row, type_key)}: '{kind}' är ingen granskningstyp" + (f" – menade du '{near}'?" if near else ".")
                          + f" Skriv en av {swedish_list(labels)}.")
        elif value["month"] and month is None:
            errors.append(f"{place(row, 'month')}: '{value['month']}' är ingen månad. Skriv månaden som ÅÅÅÅ-MM, t.ex. 2025-03.")
        else:
            found.append((value["provider"], types.id_for(kind), month))
            if month:
                months[row] = month
    if errors:
        more = len(errors) - 1
        raise InputError(errors[0] + (f" (Och {more} {'rad' if more == 1 else 'rader'} till med fel på bladet.)" if more else ""),
                         file=grid.file)
    if not found:
        return []
    year = _year(months, place, where, grid.file)
    return [PreviousItem(provider, type_id, month, year) for provider, type_id, month in found]


def _header(cells) -> tuple[int | None, dict[str, int]]:
    """The header row (the first rows' one that names the most plan columns), and where each column is."""
    at = header_row(cells, LOOKUP)
    columns: dict[str, int] = {}
    if at is not None:
        for pos, raw in enumerate(cells.iloc[at]):
            key = LOOKUP.get(fold(raw)) if isinstance(raw, str) else None
            if key is not None and key not in columns:
                columns[key] = pos
    return at, columns


def _year(months: dict[int, str], place, where: str, file: str) -> int:
    """The plan's year, from its months: a plan is for one year."""
    if not months:
        raise InputError(f"{where}: ingen rad har en {MONTH_HEADER}, så planåret går inte att avgöra. Fyll i {MONTH_HEADER}, "
                         "t.ex. 2025-03.", file=file)
    years = Counter(int(m[:4]) for m in months.values())
    year = years.most_common(1)[0][0]
    stray = next((row for row, m in months.items() if int(m[:4]) != year), None)
    if stray is not None:
        raise InputError(f"{place(stray, 'month')}: {months[stray]} ligger inte i planåret {year}; en plan gäller ett år "
                         f"(bladet har månader i {swedish_list([str(y) for y in sorted(years)], 'och')}). "
                         "Rätta månaden eller ta bort raden.", file=file)
    return year


def _text(value) -> str | None:
    import pandas as pd

    return None if pd.isna(value) else str(value).strip() or None
