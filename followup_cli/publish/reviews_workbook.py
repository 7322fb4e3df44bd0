"""`checklist ingest`'s output: the consolidated reviews-and-findings workbook, read beside the register.

Its sheets Granskningar and Brister have the register's columns, headers and vocabularies (schemas/reviews.yaml,
findings.yaml), so every command reads them as it reads the register's and a person can copy rows between the
two. The columns people fill in after the review (Åtgärdsplan inkommen, Åtgärdsplan godkänd, Åtgärdad,
Sanktion, Anmäld till) are marked and have dropdowns; the next ingest keeps what is written there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from followup_cli.publish.write import set_cell
from followup_cli.publish.xlsx_style import DATE_FORMAT, fill, fit_rows, print_setup, save_workbook, style_header, write_about_sheet
from followup_cli.schemas import register_schemas

MANUAL_FILL = "FFF2CC"  # the columns people fill in: a pale yellow, as in the register template's input cells
# Narrow enough that Brister prints through Åtgärdsplan inkommen on A4 at 8 pt (print_setup leaves out the rest).
WIDTHS = {"finding_id": 16, "provider_id": 10, "review_id": 12, "question_id": 8, "requirement_id": 8, "review_area": 22,
          "severity": 13, "description": 40, "sanction": 14, "reported_to": 12, "recurring_of": 14, "result": 18,
          "assessment": 24, "review_type": 26, "reviewer": 18}
WRAPPED = {"review_area", "description", "review_type"}


def write_reviews_workbook(path: Path, reviews: list[dict], findings: list[dict], manual: tuple[str, ...],
                           facts: list[tuple[str, object]], inputs=()) -> Path:
    """The workbook at `path` (atomically, the same bytes for the same rows); rows are field name → id, date or text."""
    from openpyxl import Workbook

    schemas = register_schemas()
    workbook = Workbook()
    _sheet(workbook.active, schemas["reviews"], reviews, ())
    _sheet(workbook.create_sheet(), schemas["findings"], findings, manual)
    about = workbook.create_sheet("Om arbetsboken")
    write_about_sheet(about, "Granskningar och brister från granskningsprotokollen", facts, [
        ("Så används den", [
            "followup läser bladen Granskningar och Brister här tillsammans med registrets; registrets egna rader "
            "gäller när samma Gransknings-ID eller Brist-ID finns i båda.",
            "Fyll i de gulmarkerade kolumnerna (Åtgärdsplan inkommen, Åtgärdsplan godkänd, Åtgärdad, Sanktion, "
            "Anmäld till) här eller i registret: nästa followup checklist ingest behåller dem.",
            "Övriga kolumner skrivs om från protokollen vid varje ingest: ändra i protokollet, inte här."]),
    ])
    return save_workbook(workbook, path, "Granskningar och brister", inputs)


def _sheet(ws, schema, rows: list[dict], manual: tuple[str, ...]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.title = schema.title
    fields = schema.fields
    for col, fld in enumerate(fields, start=1):
        set_cell(ws.cell(row=1, column=col), fld.title)
    for r, row in enumerate(rows, start=2):
        for col, fld in enumerate(fields, start=1):
            cell = ws.cell(row=r, column=col)
            set_cell(cell, _cell_value(fld, row.get(fld.name)))
            cell.alignment = Alignment(vertical="top", wrap_text=fld.name in WRAPPED)
            if fld.type == "date":
                cell.number_format = DATE_FORMAT
    widths = [WIDTHS.get(f.name, 12 if f.type == "date" else 16) for f in fields]
    style_header(ws, len(fields), widths=widths)
    fit_rows(ws, widths)
    last = max(len(rows) + 1, 2) + 200  # room for rows a person adds by hand
    for col, fld in enumerate(fields, start=1):
        letter = get_column_letter(col)
        if fld.name in manual:
            for r in range(2, len(rows) + 2):
                fill(ws.cell(row=r, column=col), MANUAL_FILL)
        if fld.enum and fld.type != "list":
            rule = DataValidation(type="list", formula1='"' + ",".join(fld.enum) + '"', allow_blank=True)
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
        elif fld.type == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                  error=f"{fld.title} ska vara ett datum, t.ex. 2026-03-14.")
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
    print_setup(ws)


def _cell_value(fld, value):
    """An id as its label, a list as labels joined by the field's delimiter, a date as a date."""
    if value is None:
        return None
    if fld.type == "list":
        return f"{fld.delimiter} ".join(fld.label(v) for v in value) if value else None
    if fld.enum and isinstance(value, str):
        return fld.label(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value
