"""`followup init`: an empty register workbook generated from the schemas.

Each sheet gets the Swedish headers with their descriptions as comments,
dropdowns for every vocabulary (from a hidden sheet 'Listor', so long lists
work), date and text formats per column, and an 'Instruktioner' sheet that
documents every column.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.publish.write import set_cell
from followup_cli.publish.xlsx_style import save_workbook, style_header
from followup_cli.schemas import Field, register_schemas

ROWS_WITH_DROPDOWNS = 5000
TYPE_SV = {
    "string": "text", "integer": "heltal", "number": "tal", "date": "datum (ÅÅÅÅ-MM-DD)",
    "yearmonth": "månad (ÅÅÅÅ-MM)", "year": "årtal", "boolean": "Ja/Nej", "list": "lista, skild med komma",
}


def write_register_template(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    _instructions(workbook.active)
    lists = workbook.create_sheet("Listor")
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple, str] = {}
    for schema in register_schemas().values():
        ws = workbook.create_sheet(schema.title)
        for col, fld in enumerate(schema.fields, start=1):
            cell = ws.cell(row=1, column=col)
            set_cell(cell, fld.title)
            _describe(cell, fld)
            _format_column(ws, col, fld)
            choices = _choices(fld)
            if choices:
                _dropdown(ws, col, fld, choices, lists, list_ranges)
        style_header(ws, len(schema.fields), widths=[max(14, len(f.title) + 4) for f in schema.fields])
    return save_workbook(workbook, path)


def _choices(fld: Field) -> tuple[str, ...]:
    if fld.type == "boolean":
        return ("Ja", "Nej")
    return fld.enum


def _describe(cell, fld: Field) -> None:
    from openpyxl.comments import Comment

    text = fld.description + (" (krävs)" if fld.required else "")
    if text:
        comment = Comment(text, "followup")
        comment.width, comment.height = 300, 90
        cell.comment = comment


def _format_column(ws, col: int, fld: Field) -> None:
    from openpyxl.utils import get_column_letter

    fmt = {"date": "yyyy-mm-dd"}.get(fld.type, "@" if fld.type in ("yearmonth", "string", "list") else None)
    if fmt:
        ws.column_dimensions[get_column_letter(col)].number_format = fmt


def _dropdown(ws, col: int, fld: Field, choices: tuple[str, ...], lists, list_ranges: dict) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if choices not in list_ranges:
        list_col = get_column_letter(len(list_ranges) + 1)
        set_cell(lists.cell(row=1, column=len(list_ranges) + 1), fld.title)
        for i, choice in enumerate(choices, start=2):
            set_cell(lists[f"{list_col}{i}"], choice)
        list_ranges[choices] = f"Listor!${list_col}$2:${list_col}${len(choices) + 1}"
    validation = DataValidation(type="list", formula1=f"={list_ranges[choices]}", allow_blank=True)
    # A list column ('SoL, LSS') may combine values, so a typed combination must not be refused.
    validation.showErrorMessage = fld.type != "list"
    validation.errorTitle = f"Ogiltigt värde för {fld.title}"
    validation.error = f"Välj ett av värdena i listan: {', '.join(choices)}."
    letter = get_column_letter(col)
    validation.add(f"{letter}2:{letter}{ROWS_WITH_DROPDOWNS}")
    ws.add_data_validation(validation)


def _instructions(ws) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = "Instruktioner"
    lines = [
        "Register för uppföljning av utförare",
        "Fyll i ett blad per sorts uppgift. Bara bladet Utförare krävs; övriga blad är valfria, och analysen säger "
        "vilka underlag som saknas. Rubrikerna ska stå kvar som de är (stora/små bokstäver och å/ä/ö spelar ingen roll). "
        "Extra kolumner går bra och ignoreras. Skriv aldrig personnummer eller brukares namn i fritextfält.",
        "Kontrollera registret med: followup validate register.xlsx",
    ]
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1)
        set_cell(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 60
    ws["A1"].font = Font(bold=True, size=14)
    header_row = 5
    headers = ["Blad", "Kolumn", "Krävs", "Typ", "Tillåtna värden", "Beskrivning"]
    for col, title in enumerate(headers, start=1):
        set_cell(ws.cell(row=header_row, column=col), title)
    row = header_row + 1
    for schema in register_schemas().values():
        for fld in schema.fields:
            values = ", ".join(_choices(fld)) if fld.type != "boolean" else "Ja, Nej"
            if fld.default is not None:
                values += f" (tomt = {fld.default if fld.type != 'boolean' else ('Ja' if fld.default else 'Nej')})"
            cells = [schema.title, fld.title, "Ja" if fld.required else "", TYPE_SV[fld.type], values, fld.description]
            for col, value in enumerate(cells, start=1):
                set_cell(ws.cell(row=row, column=col), value)
                ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    style_header(ws, len(headers), row=header_row, widths=[20, 24, 8, 20, 40, 70])
