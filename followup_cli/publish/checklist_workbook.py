"""`checklist new`: a review's checklist workbook, in the format `validate` and `checklist ingest` read back.

Sheet Granskning holds the header as label/value pairs (column A, column B) and sheet Frågor the questions
(schemas/checklist.yaml). What followup fills in is locked; the cells the reviewers fill in are unlocked and
tinted, with dropdowns. The sheets are protected without a password: protection keeps a question from
being overwritten by mistake, not anyone out (Granska → Ta bort skydd).
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.publish.write import set_cell
from followup_cli.publish.xlsx_style import DATE_FORMAT, fill, fit_rows, font, print_setup, save_workbook, write_table
from followup_cli.reviews.checklist_draft import ChecklistDraft
from followup_cli.schemas import checklist_schemas, register_schemas

INPUT = "FFF2CC"  # the cells reviewers fill in
FLAGGED = "F8CBAD"  # a review area the risk analysis flagged
HEADER_WIDTHS = (30, 100)
# (field name, width): the questions sheet's columns; about 156 characters print on A4 landscape at 8 pt.
# Granskningsområde is wide enough for 'informationsöverföring' on one line.
QUESTION_COLUMNS = [("question_id", 8), ("review_area", 24), ("flagged", 11), ("question", 41), ("answer", 10),
                    ("severity", 13), ("observation", 33), ("action_required", 8), ("requirement_id", 8)]
ANSWER_FIELDS = ("answer", "observation", "severity", "action_required")
MAX_ROWS = 500  # the dropdowns reach this far, so a question a reviewer adds at the end gets them too


def write_checklist(draft: ChecklistDraft, path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    header = workbook.active
    _header(header, draft)
    _questions(workbook.create_sheet(checklist_schemas()[1].title), draft)
    return save_workbook(workbook, path, f"Granskningsprotokoll {draft.review_id}")


def _header(ws, draft: ChecklistDraft) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    schema = checklist_schemas()[0]
    reviews = register_schemas()["reviews"]
    area = checklist_schemas()[1].field("review_area")
    title = schema.field
    ws.title = schema.title
    set_cell(ws["A1"], f"Granskningsprotokoll – {draft.provider_name} ({draft.provider_id})")
    ws["A1"].font = font(bold=True, size=14)
    rows: list[tuple[str, object, str]] = [  # label, value, kind: fixed, input, date, list, section, text
        (title("review_id").title, draft.review_id, "fixed"),
        (title("provider_id").title, draft.provider_id, "fixed"),
        ("Utförare", draft.provider_name, "fixed"),
        ("Verksamhetsområde", draft.service_area or "", "fixed"),
        (title("review_type").title, schema.field("review_type").label(draft.review_type), "fixed"),
        (title("method").title, reviews.field("method").label(draft.method) if draft.method else None, "list"),
        (title("date").title, None, "date"),
        (title("reviewer").title, None, "input"),
        ("", None, "blank"),
        ("Underlag från registret", None, "section"),
        ("Risknivå", draft.risk_level or "Okänd", "fixed"),
        ("Särskilda granskningsområden", (f"{'; '.join(area.label(a) for a in draft.flagged)} – deras frågor "
                                          "kommer först och är markerade med Riskområde Ja" if draft.flagged else
                                          "Inga: riskanalysen pekade inte ut något granskningsområde"), "fixed"),
        ("Senaste granskning", _last_review(draft), "fixed"),
    ]
    findings = [_finding(f, area) for f in draft.open_findings] or ["Inga öppna brister"]
    rows += [("Öppna brister" if i == 0 else "", text, "fixed") for i, text in enumerate(findings)]
    rows += [
        ("Frågorna kommer från", "bladet Krav i registret" if draft.source == "Krav" else "followups frågebank", "fixed"),
        ("", None, "blank"),
        ("Granskarnas bedömning", None, "section"),
        (title("assessment").title, None, "scale"),
        (title("assessment_reason").title, None, "text"),
        (title("strengths").title, None, "text"),
        (title("summary").title, None, "text"),
        ("", None, "blank"),
        ("Så fyller du i", "Svara på varje fråga på bladet Frågor (Ja, Delvis, Nej eller Ej aktuellt). Vid Nej eller Delvis: "
                           "skriv vad ni såg under Iakttagelse och välj Allvarlighet. Lämna Samlad bedömning tom för den "
                           "bedömning followup räknar fram ur svaren, eller välj en nivå och motivera. Skriv aldrig "
                           "personnummer eller namn på brukare. De gula cellerna fylls i; resten är låst utan lösenord.",
         "fixed"),
    ]
    wrapped = Alignment(wrap_text=True, vertical="top")
    lists = {"list": ",".join(reviews.field("method").enum), "scale": ",".join(draft.scale_labels)}
    for row, (label, value, kind) in enumerate(rows, start=3):
        a, b = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
        set_cell(a, label or None)
        a.font = font(bold=True, **({"size": 12} if kind == "section" else {}))
        a.alignment = Alignment(vertical="top")
        if kind in ("blank", "section"):
            continue
        set_cell(b, value)
        b.alignment, b.font = wrapped, font()
        if kind == "fixed":
            continue
        _unlock(b)
        if kind == "date":
            b.number_format = DATE_FORMAT
            _validation(ws, DataValidation(type="date", operator="between", formula1="36526", formula2="73050",
                                           error="Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-03-15."), b.coordinate)
        elif kind in lists:
            _validation(ws, _list(lists[kind]), b.coordinate)
        elif kind == "text":
            ws.row_dimensions[row].height = 60
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = HEADER_WIDTHS
    fit_rows(ws, list(HEADER_WIDTHS))
    _protect(ws)
    print_setup(ws)
    ws.page_setup.orientation = "portrait"


def _questions(ws, draft: ChecklistDraft) -> None:
    schema = checklist_schemas()[1]
    field = schema.field
    titles = [(field(name).title, width) for name, width in QUESTION_COLUMNS]
    rows = []
    for q in draft.questions:
        values = {"question_id": q.id, "review_area": field("review_area").label(q.area), "flagged": "Ja" if q.flagged else "Nej",
                  "question": q.text, "requirement_id": q.requirement_id, "answer": None, "observation": None,
                  "severity": None, "action_required": None}
        rows.append({field(name).title: values[name] for name, _ in QUESTION_COLUMNS})
    wrapped = {field(n).title for n in ("question", "observation", "review_area")}
    write_table(ws, titles, rows, wrapped, {field("flagged").title, field("answer").title})
    column = {name: i for i, (name, _) in enumerate(QUESTION_COLUMNS, start=1)}
    from openpyxl.utils import get_column_letter

    for row, q in enumerate(draft.questions, start=2):
        for name in ANSWER_FIELDS:
            _unlock(ws.cell(row=row, column=column[name]))
        if q.flagged:
            for name in ("review_area", "flagged"):
                fill(ws.cell(row=row, column=column[name]), FLAGGED)
    last = max(MAX_ROWS, len(draft.questions) + 1)
    for name in ("answer", "severity", "action_required"):
        letter = get_column_letter(column[name])
        choices = field(name).enum if name != "action_required" else ("Ja", "Nej")
        _validation(ws, _list(",".join(choices)), f"{letter}2:{letter}{last}")
    ws.freeze_panes = "B2"
    _protect(ws)
    print_setup(ws)


def _last_review(draft: ChecklistDraft) -> str:
    last = draft.last_review
    if last is None:
        return "Ingen granskning registrerad"
    reviews = register_schemas()["reviews"]
    parts = [last.review_id, last.date.isoformat() if last.date else "utan datum"]
    if last.review_type:
        parts.append(reviews.field("review_type").label(last.review_type))
    text = ", ".join(parts)
    outcome = [reviews.field("result").label(last.result)] if last.result else []
    if last.assessment:
        outcome.append(f"bedömning {last.assessment}")
    return text + (f": {'; '.join(outcome)}" if outcome else "")


def _finding(f, area) -> str:
    severity = register_schemas()["findings"].field("severity")
    what = ", ".join(x for x in (severity.label(f.severity) if f.severity else None,
                                 area.label(f.review_area) if f.review_area else None,
                                 f"krav {f.requirement_id}" if f.requirement_id else None) if x)
    due = f"; åtgärdsplan senast {f.action_plan_due.isoformat()}" if f.action_plan_due else ""
    text = f.description.rstrip(". ") if due else f.description
    return f"{f.finding_id}" + (f" ({what})" if what else "") + (f": {text}" if text else "") + due


def _unlock(cell) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)
    fill(cell, INPUT)


def _list(choices: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                          error="Välj ett värde i listan.", errorTitle="Ogiltigt värde")


def _validation(ws, validation, cells: str) -> None:
    validation.showErrorMessage = True
    ws.add_data_validation(validation)
    validation.add(cells)


def _protect(ws) -> None:
    """Protected without a password; reviewers may still resize rows and columns, filter and sort."""
    protection = ws.protection
    protection.sheet = True
    protection.formatRows = protection.formatColumns = protection.autoFilter = protection.sort = False
