"""The yearly cycle closes: plan → checklist new → a reviewer fills it in → ingest → risk-analyze → next year's
plan → actions → review report, each step on what the one before it wrote, in one example workspace."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document

pytestmark = pytest.mark.slow  # a dozen commands over the example municipality

OBSERVATION = "Rutinen för nattbemanning saknades vid besöket."


def _fill_first_checklist(folder) -> tuple[str, str]:
    """The first planned checklist answered as a reviewer would in Excel: every question Ja but the first, a Nej
    with an observation and Allvarlig brist. Returns its review and provider ids."""
    path = sorted(folder.glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(path)
    header = wb["Granskning"]
    rows = {header.cell(r, 1).value: r for r in range(1, header.max_row + 1)}
    header.cell(rows["Datum"], 2).value = dt.datetime(2026, 3, 10)
    header.cell(rows["Granskare"], 2).value = "Maria Ek"
    questions = wb["Frågor"]
    columns = {c.value: c.column for c in questions[1]}
    for r in range(2, questions.max_row + 1):
        questions.cell(r, columns["Svar"]).value = "Ja"
    questions.cell(2, columns["Svar"]).value = "Nej"
    questions.cell(2, columns["Iakttagelse"]).value = OBSERVATION
    questions.cell(2, columns["Allvarlighet"]).value = "Allvarlig brist"
    wb.save(path)
    return header.cell(rows["Gransknings-ID"], 2).value, header.cell(rows["Utförar-ID"], 2).value


def test_the_yearly_cycle_closes(cli, workspace):
    assert cli("plan", "--year", "2026", "--out", "out/plan-2026.xlsx", cwd=workspace).code in (0, 1)
    made = cli("checklist", "new", "--plan", "out/plan-2026.xlsx", "--out", "checklists/2026", cwd=workspace)
    assert made.code == 0, made.stderr
    sheet = openpyxl.load_workbook(workspace / "out" / "plan-2026.xlsx")["Plan"]
    column = next(c.column for c in sheet[1] if c.value == "Gransknings-ID")
    planned = {sheet.cell(r, column).value for r in range(2, sheet.max_row + 1)}
    blank = cli("checklist", "ingest", "checklists", cwd=workspace)  # nothing answered yet: said once, not 47 times
    notes = [line for line in blank.stderr.splitlines() if "inte ifyllt ännu" in line]
    assert blank.code == 0 and notes == [notes[0]]
    assert notes[0].startswith(f"{len(list((workspace / 'checklists' / '2026').glob('*.xlsx')))} filer, 2026/")
    review_id, provider = _fill_first_checklist(workspace / "checklists" / "2026")
    assert review_id in planned  # the checklist carries the plan's stable review id

    before = cli("risk-analyze", "--json", "--as-of", "2026-03-31", cwd=workspace).json()
    ingested = cli("checklist", "ingest", "checklists", "--json", cwd=workspace)
    assert ingested.code == 0, ingested.stderr
    review = next(r for r in ingested.json()["reviews"] if r["review_id"] == review_id)
    assert review["status"] == "new" and len(review["findings"]) == 1
    finding_id = review["findings"][0]

    # risk-analyze counts the new finding: the provider's score rises and the finding is a reason
    after = cli("risk-analyze", "--json", "--as-of", "2026-03-31", cwd=workspace).json()
    old, new = ({p["provider_id"]: p for p in run["providers"]}[provider] for run in (before, after))
    assert new["last_review"] == "2026-03-10"
    assert new["likelihood"] > old["likelihood"]
    assert any(r["factor"] == "open_findings" and "allvarlig brist" in r["text"] for r in new["reasons"])

    # next year's plan follows the finding up, early in the year, and says why
    plan = cli("plan", "--year", "2027", "--as-of", "2026-12-31", "--json", cwd=workspace).json()
    item = next(i for i in plan["items"] if i["provider_id"] == provider)
    assert item["mandatory"] and item["month"] <= "2027-03"
    assert any(finding_id in reason for reason in item["reasons"])

    # actions: the action plan is overdue a month after the review, the serious finding awaits a decision on IVO
    actions = cli("actions", "--as-of", "2026-04-15", "--json", "--fail-on-overdue", cwd=workspace)
    assert actions.code == 1
    items = [i for p in actions.json()["providers"] if p["provider_id"] == provider for i in p["items"]]
    line = next(i for i in items if i["finding_id"] == finding_id)
    assert line["kind"] == "overdue" and line["report_needed"] and line["plan_due"] == "2026-03-17"  # 10 March + the serious level's 7 days

    # the review report to the provider shows the observation and the deadline
    report = cli("review-report", review_id, "--out", "out/rapport.docx", cwd=workspace)
    assert report.code == 0, report.stderr
    text = "\n".join(p.text for p in Document(workspace / "out" / "rapport.docx").paragraphs)
    tables = "\n".join(c.text for t in Document(workspace / "out" / "rapport.docx").tables for r in t.rows for c in r.cells)
    assert OBSERVATION in text + tables and "Med allvarlig avvikelse" in text + tables
