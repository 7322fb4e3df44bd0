"""The look every workbook the toolkit writes shares: header row, frozen panes, filters, widths, fills, print setup."""

from __future__ import annotations

import math
from pathlib import Path

from followup_cli.errors import UsageError

DATE_FORMAT = "yyyy-mm-dd"
# Printing on A4: the workbook's text is 11 pt and must not shrink below 8 pt when the page is fitted to its width.
FONT_PT, MIN_PRINT_PT = 11, 8
HEADER_FILL = "1F4E78"
HEADER_FONT = "FFFFFF"


def require_xlsx(path, what: str, endings: tuple[str, ...] = (".xlsx",)) -> Path:
    """`path` as a Path when its ending is one of `endings`; else one sentence: `what` ('Planen skrivs som
    Excel-arbetsbok') and the ending to give the file."""
    path = Path(path)
    if path.suffix.lower() not in endings:
        raise UsageError(f"{what}; ge filen ändelsen .xlsx (fick {path.name}).")
    return path


def font(**style):
    """The workbook's font with a name and size spelled out: a font without them prints in LibreOffice's default
    (a serif) at its own size."""
    from openpyxl.styles import Font

    return Font(name="Calibri", **{"size": FONT_PT, **style})


def style_header(ws, columns: int, row: int = 1, widths: list[int] | None = None) -> None:
    """Bold white header on dark blue, frozen below it, with filters and readable widths."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for col in range(1, columns + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = font(bold=True, color=HEADER_FONT)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A{row}:{last}{max(row + 1, ws.max_row)}"
    for col in range(1, columns + 1):
        width = widths[col - 1] if widths else 16
        ws.column_dimensions[get_column_letter(col)].width = width


SIDE_MARGIN = 0.3  # inches
PRINTABLE_POINTS = (11.69 - 2 * SIDE_MARGIN) * 72  # A4 landscape, less the side margins
DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized


def column_points(width: float) -> float:
    """A column width in characters as printed by LibreOffice: 7 pt a character (measured on a converted workbook;
    Excel draws columns narrower, so a page that keeps 8 pt in LibreOffice keeps it in Excel too)."""
    return width * 7


def print_columns(ws) -> int:
    """How many columns from A print: all of them when they fit on A4 at 8 pt or more, else the leading ones that
    do (sheets put their essential columns first). A hidden column ends the print area: it is never printed."""
    from openpyxl.utils import get_column_letter

    room = PRINTABLE_POINTS * FONT_PT / MIN_PRINT_PT
    used = 0.0
    for col in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        if dim is not None and dim.hidden:
            return max(1, col - 1)
        used += column_points(dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
        if used > room:
            return max(1, col - 1)
    return ws.max_column


def print_setup(ws) -> None:
    """Printed or saved as PDF: landscape A4, one page wide, the header row on every page, page numbers, and text
    no smaller than 8 pt – the columns that would not fit at that size are left out of the print area."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "&A – sida &P av &N"
    if ws.auto_filter.ref:
        ws.print_title_rows = "1:1"
    columns = print_columns(ws)
    if columns < ws.max_column:
        ws.print_area = f"A1:{get_column_letter(columns)}{ws.max_row}"


def fit_rows(ws, widths: list[int]) -> None:
    """Row heights for wrapped text, set explicitly: Excel and LibreOffice do not grow rows they did not lay out."""
    for row in ws.iter_rows():
        lines = 1
        for cell, width in zip(row, widths):
            if isinstance(cell.value, str) and (cell.alignment.wrap_text or cell.row == 1):
                per_line = max(1, int(width * 1.1) - 1)
                lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(409, 15 * lines + 2)


def fill(cell, color: str) -> None:
    from openpyxl.styles import PatternFill

    argb = "FF" + color.lstrip("#").upper()
    cell.fill = PatternFill("solid", start_color=argb, end_color=argb)


def text_color(color: str) -> str:
    """The readable text colour on a fill, as openpyxl's ARGB."""
    from followup_cli.swedish import ink

    return "FF" + ink(color).lstrip("#")


def write_about_sheet(ws, title: str, facts: list[tuple[str, object]], notes: list[tuple[str, list[str]]]) -> None:
    """The sheet that says what a workbook is based on: a title, facts as label and value, then notes in paragraphs."""
    import datetime as dt

    from openpyxl.styles import Alignment

    from followup_cli.publish.write import set_cell

    set_cell(ws["A1"], title)
    ws["A1"].font = font(bold=True, size=14)
    bold, top = font(bold=True), Alignment(vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top", horizontal="left")
    row = 3
    for label, value in facts:
        set_cell(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font, ws.cell(row=row, column=1).alignment = bold, top
        set_cell(ws.cell(row=row, column=2), value)
        ws.cell(row=row, column=2).alignment = wrapped
        if isinstance(value, dt.date):
            ws.cell(row=row, column=2).number_format = DATE_FORMAT
        row += 1
    for label, texts in notes:
        row += 1
        set_cell(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font, ws.cell(row=row, column=1).alignment = bold, top
        for text in texts:
            set_cell(ws.cell(row=row, column=2), text)
            ws.cell(row=row, column=2).alignment = wrapped
            row += 1
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100
    fit_rows(ws, [32, 100])


def write_table(ws, columns: list[tuple[str, int]], rows: list[dict], wrapped=frozenset(), centred=frozenset()) -> None:
    """A header and one row per dict (keyed by header), every cell a value through set_cell, in the shared style:
    columns `(title, width)`; titles in `wrapped` wrap, those in `centred` are centred."""
    from openpyxl.styles import Alignment

    from followup_cli.publish.write import set_cell

    top, wrap, centre = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True), Alignment(vertical="top", horizontal="center")
    for col, (title, _) in enumerate(columns, start=1):
        set_cell(ws.cell(row=1, column=col), title)
    for row, values in enumerate(rows, start=2):
        for col, (title, _) in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=col)
            set_cell(cell, values[title])
            cell.alignment = wrap if title in wrapped else centre if title in centred else top
    widths = [w for _, w in columns]
    style_header(ws, len(columns), widths=widths)
    fit_rows(ws, widths)


def save_workbook(workbook, path, title: str | None = None, inputs=()):
    """The workbook written atomically with the tool as its author and `title` in its properties (what Excel's
    file info and a document list show); never over one of `inputs`."""
    from followup_cli.publish.write import write_atomic

    workbook.properties.creator = "followup"
    if title is not None:
        workbook.properties.title = title
    return write_atomic(path, workbook.save, inputs=inputs)
