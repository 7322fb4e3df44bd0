"""The look every workbook the toolkit writes shares: header row, frozen panes, filters, widths."""

from __future__ import annotations

HEADER_FILL = "1F4E78"
HEADER_FONT = "FFFFFF"


def style_header(ws, columns: int, row: int = 1, widths: list[int] | None = None) -> None:
    """Bold white header on dark blue, frozen below it, with filters and readable widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for col in range(1, columns + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True, color=HEADER_FONT)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A{row}:{last}{max(row + 1, ws.max_row)}"
    for col in range(1, columns + 1):
        width = widths[col - 1] if widths else 16
        ws.column_dimensions[get_column_letter(col)].width = width
