"""`followup checklist new`: checklists out, in the format validate (and checklist ingest) reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from followup_cli.register.checklist import read_checklist
from followup_cli.reviews.questions import BankQuestion, select_questions

AREAS = ["quality_system", "documentation", "staffing", "content", "safety", "treatment", "user_influence", "cooperation",
         "health_care"]
AS_OF = "2026-01-15"


def _requirements(*rows):
    return pd.DataFrame([dict(requirement_id=r[0], review_area=r[1], service_area=r[2], question=r[3], requirement="Kravet.")
                         for r in rows])


# --- which questions, in what order (pure) --------------------------------------------------------------------------


def test_krav_questions_for_the_service_area_and_alla_only():
    reqs = _requirements(("K-1", "staffing", "Alla", "Bemanning?"), ("K-2", "content", "Hemtjänst", "Insatser?"),
                         ("K-3", "safety", "Särskilt boende", "Larm?"), ("K-4", "documentation", "Hemtjänst", None))
    questions, source = select_questions(reqs, [], "Hemtjänst", "quality_review", [], AREAS, set())
    assert source == "Krav"
    assert [(q.id, q.requirement_id) for q in questions] == [("K-4", "K-4"), ("K-1", "K-1"), ("K-2", "K-2")]
    assert questions[0].text == "Kravet."  # a requirement without a Granskningsfråga is asked as itself


def test_the_bank_when_krav_has_nothing_and_its_questions_by_service_area_and_type():
    bank = [BankQuestion("A", "staffing", "Alla?"), BankQuestion("B", "content", "Boende?", ("Särskilt boende",)),
            BankQuestion("C", "quality_system", "Avtal?", (), ("contract_review",))]
    questions, source = select_questions(None, bank, "Hemtjänst", "quality_review", [], AREAS, set())
    assert source == "frågebanken" and [q.id for q in questions] == ["A"]
    questions, _ = select_questions(None, bank, "Särskilt boende", "contract_review", [], AREAS, set())
    assert [q.id for q in questions] == ["C", "A", "B"] and all(q.requirement_id is None for q in questions)


def test_flagged_areas_come_first_in_the_risk_order_and_are_marked():
    bank = [BankQuestion(f"Q-{a}", a, f"{a}?") for a in AREAS]
    questions, _ = select_questions(None, bank, "Hemtjänst", "quality_review", ["safety", "documentation"], AREAS, set())
    assert [q.area for q in questions[:3]] == ["safety", "documentation", "quality_system"]
    assert [q.flagged for q in questions[:3]] == [True, True, False] and not any(q.flagged for q in questions[2:])


def test_a_follow_up_asks_about_the_areas_of_the_open_findings():
    bank = [BankQuestion(f"Q-{a}", a, f"{a}?") for a in AREAS]
    questions, _ = select_questions(None, bank, "Hemtjänst", "follow_up", [], AREAS, {"staffing"})
    assert [q.id for q in questions] == ["Q-staffing"]


def test_the_header_lists_open_brists_and_only_the_last_reviews_observations():
    """The reviewers look again at the last review's Iakttagelser; older ones were looked at by the review since."""
    from followup_cli.reviews.checklist_draft import open_findings

    day = pd.Timestamp
    reviews = pd.DataFrame({"review_id": ["G-1", "G-2"], "provider_id": ["P", "P"], "date": [day("2024-03-01"), day("2025-03-01")],
                            "review_type": ["quality_review"] * 2, "method": ["site_visit"] * 2, "result": [None, None],
                            "assessment": [None, None]})
    findings = pd.DataFrame({"finding_id": ["B-1", "B-2", "B-3", "B-4"], "provider_id": ["P"] * 4,
                             "review_id": ["G-1", "G-1", "G-2", "G-2"],
                             "severity": ["observation", "deficiency", "observation", "deficiency"],
                             "resolved": [pd.NaT, pd.NaT, pd.NaT, day("2025-04-01")], "review_area": [None] * 4,
                             "requirement_id": [None] * 4, "description": ["x"] * 4, "action_plan_due": [pd.NaT] * 4})
    listed = [f.finding_id for f in open_findings(findings, reviews, "P", dt.date(2026, 1, 15))]
    assert listed == ["B-2", "B-3"]  # G-1's Brist still open, G-2's Iakttagelse; not G-1's, nor G-2's corrected Brist
    assert [f.finding_id for f in open_findings(findings, reviews, "P", dt.date(2024, 6, 1))] == ["B-1", "B-2"]  # G-2 not yet made


# --- the workbook ---------------------------------------------------------------------------------------------------


@pytest.fixture
def written(cli, workspace):
    result = cli("checklist", "new", "--provider", "SÄBO-006", "--as-of", AS_OF, "--out", workspace / "ny.xlsx", cwd=workspace)
    assert result.code == 0, result.stderr
    return workspace / "ny.xlsx"


def _header(ws) -> dict:
    return {r[0]: r[1] for r in ws.iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}


def test_the_header_is_prefilled_with_the_review_the_provider_and_its_history(written, workspace):
    from followup_cli import api

    header = _header(load_workbook(written)["Granskning"])
    assert header["Gransknings-ID"] == "2026-SÄBO-006-quality_review"
    assert header["Utförar-ID"] == "SÄBO-006" and header["Typ"] == "Kvalitetsgranskning" and header["Metod"]
    assert header.get("Datum") is None and header.get("Granskare") is None and header.get("Samlad bedömning") is None
    for label in ("Motivering", "Styrkor", "Sammanfattning", "Öppna brister", "Senaste granskning", "Risknivå"):
        assert label in header
    run = api.analyze(api.open_workspace(cwd=workspace), as_of=AS_OF)
    risk = next(p for p in run.analysis.providers if p.provider_id == "SÄBO-006")
    assert risk.areas[0].area in header["Särskilda granskningsområden"]


def test_flagged_areas_first_dropdowns_and_protection_without_a_password(written, workspace):
    from followup_cli import api

    wb = load_workbook(written)
    ws = wb["Frågor"]
    titles = [c.value for c in ws[1]]
    rows = [dict(zip(titles, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    run = api.analyze(api.open_workspace(cwd=workspace), as_of=AS_OF)
    flagged = {a.area for a in next(p for p in run.analysis.providers if p.provider_id == "SÄBO-006").areas}
    marked = [r["Riskområde"] == "Ja" for r in rows]
    assert marked[0] and marked == sorted(marked, reverse=True)  # every marked question before every other
    assert {r["Granskningsområde"] for r in rows if r["Riskområde"] == "Ja"} == flagged
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    answer, severity = titles.index("Svar"), titles.index("Allvarlighet")
    assert lists[f"{'ABCDEFGHI'[answer]}2"] == '"Ja,Delvis,Nej,Ej aktuellt"'
    assert lists[f"{'ABCDEFGHI'[severity]}2"] == '"Iakttagelse,Brist,Allvarlig brist"'
    for sheet in (ws, wb["Granskning"]):
        assert sheet.protection.sheet and not sheet.protection.password
        assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1"
    assert ws.cell(row=2, column=titles.index("Fråga") + 1).protection.locked
    assert not ws.cell(row=2, column=answer + 1).protection.locked
    assert not ws.cell(row=2, column=titles.index("Iakttagelse") + 1).protection.locked
    header = wb["Granskning"]
    date_cell = next(r[1] for r in header.iter_rows(min_col=1, max_col=2) if r[0].value == "Datum")
    assert not date_cell.protection.locked
    assessment = next(dv for dv in header.data_validations.dataValidation if dv.type == "list" and "Tillfredsställande" in dv.formula1)
    assert "Med allvarlig avvikelse" in assessment.formula1


def test_read_back_it_is_one_note_not_started_and_no_error(written):
    checklist, problems = read_checklist(written)
    assert [p.code for p in problems] == ["checklist-not-started"] and problems[0].severity == "warning"
    assert checklist.header["provider_id"] == "SÄBO-006" and checklist.header["review_type"] == "quality_review"
    data = checklist.questions.data
    assert data["answer"].isna().all() and data["question"].notna().all() and data["question_id"].is_unique


def test_validate_finds_it_in_a_subfolder_and_a_new_review_is_no_error(cli, workspace):
    folder = workspace / "checklists" / "2026"
    assert cli("checklist", "new", "--provider", "HT-001", "--as-of", AS_OF, "--out", folder / "ny.xlsx", cwd=workspace).code == 0
    result = cli("validate", "--json", "--as-of", AS_OF, cwd=workspace)
    mine = [p for p in result.json() if p["file"] == "ny.xlsx"]
    assert [p["code"] for p in mine] == ["checklist-not-started"]
    assert not [p for p in result.json() if p["severity"] == "error"], result.stdout


def test_an_answered_checklist_is_checked_as_usual(written):
    wb = load_workbook(written)
    ws = wb["Frågor"]
    ws["E2"] = "Nej"  # answered now, still without a date
    wb.save(written)
    _, problems = read_checklist(written)
    assert [(p.code, p.header) for p in problems] == [("required", "Datum")]


def test_same_input_same_bytes(cli, workspace, written):
    first = written.read_bytes()
    assert cli("checklist", "new", "--provider", "SÄBO-006", "--as-of", AS_OF, "--out", written, cwd=workspace).code == 0
    assert written.read_bytes() == first


# --- with the plan ------------------------------------------------------------------------------------------------


def test_plan_writes_one_per_planned_review_named_by_its_id_and_keeps_a_filled_one(cli, workspace):
    plan = workspace / "out" / "plan-2026.xlsx"
    assert cli("plan", "--year", "2026", "--out", plan, "-q", cwd=workspace).code == 0
    ws = load_workbook(plan)["Plan"]
    titles = [c.value for c in ws[1]]
    planned = [dict(zip(titles, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    expected = {f"{p['Gransknings-ID']}.xlsx" for p in planned if p["Typ (id)"] != "self_report_review"}
    folder = workspace / "checklists" / "2026"

    result = cli("checklist", "new", "--plan", plan, "--out", folder, "--as-of", AS_OF, cwd=workspace)

    assert result.code == 0, result.stderr
    assert {p.name for p in folder.glob("*.xlsx")} == expected
    assert "görs utan granskningsprotokoll" in result.stderr
    one = sorted(folder.glob("*.xlsx"))[0]
    checklist, _ = read_checklist(one)
    assert checklist.header["review_id"] == one.stem
    wb = load_workbook(one)
    wb["Frågor"]["E2"] = "Ja"
    wb.save(one)
    filled = one.read_bytes()

    again = cli("checklist", "new", "--plan", plan, "--out", folder, "--as-of", AS_OF, cwd=workspace)

    assert again.code == 0 and one.read_bytes() == filled
    assert f"behölls: {one}" in again.stderr
    alone = cli("checklist", "new", "--provider", checklist.header["provider_id"], "--out", one, "--as-of", AS_OF, cwd=workspace)
    assert alone.code == 5 and one.read_bytes() == filled


# --- unhappy paths ------------------------------------------------------------------------------------------------


def test_an_unknown_provider_is_exit_3_in_one_sentence(cli, workspace):
    result = cli("checklist", "new", "--provider", "HT-999", "--as-of", AS_OF, cwd=workspace)
    assert result.code == 3
    assert result.stderr.count("\n") == 1 and "HT-999" in result.stderr and "Utförare" in result.stderr
    assert not list((workspace / "checklists").glob("2026-*"))


def test_an_unknown_type_is_exit_2_naming_the_types(cli, workspace):
    result = cli("checklist", "new", "--provider", "HT-001", "--type", "kvalitet", cwd=workspace)
    assert result.code == 2 and "quality_review" in result.stderr and result.stderr.count("\n") == 1


def test_provider_or_plan_not_both(cli, workspace):
    assert cli("checklist", "new", cwd=workspace).code == 2
    assert cli("checklist", "new", "--provider", "HT-001", "--plan", "x.xlsx", cwd=workspace).code == 2


def test_the_bank_without_krav_extended_through_followup_yaml(cli, tmp_path, register):
    register()
    (tmp_path / "egna.yaml").write_text("questions:\n  - id: EGEN-1\n    area: Bemötande\n    question: Hälsar personalen?\n"
                                        "  - id: BEM-01\n    area: staffing\n    question: Räcker personalen?\n", encoding="utf-8")
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nchecklists: protokoll/\nquestions: egna.yaml\n", encoding="utf-8")
    result = cli("checklist", "new", "--provider", "HT-001", "--as-of", "2025-06-01", cwd=tmp_path)
    assert result.code == 0, result.stderr
    (path,) = (tmp_path / "protokoll").glob("*.xlsx")
    checklist, problems = read_checklist(path)
    questions = checklist.questions.data.set_index("question_id")["question"]
    assert questions["EGEN-1"] == "Hälsar personalen?" and questions["BEM-01"] == "Räcker personalen?"
    assert "LED-01" in questions and checklist.questions.data["requirement_id"].isna().all()
    assert _header(load_workbook(path)["Granskning"])["Frågorna kommer från"] == "followups frågebank"


def test_a_bad_question_file_is_exit_3_naming_the_key(cli, tmp_path, register):
    register()
    (tmp_path / "egna.yaml").write_text("questions:\n  - id: X\n    area: Bemanningen\n    question: Q?\n", encoding="utf-8")
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nquestions: egna.yaml\n", encoding="utf-8")
    result = cli("checklist", "new", "--provider", "HT-001", cwd=tmp_path)
    assert result.code == 3 and "questions[0].area" in result.stderr and "Bemanning" in result.stderr


def test_the_group_and_its_command_are_swedish_documented_and_light(cli):
    import inspect
    import subprocess
    import sys

    from conftest import ROOT
    from followup_cli.cli.checklist import new

    result = cli("checklist", "new", "--help")
    assert result.code == 0 and "Visa den här hjälpen och avsluta." in result.stdout
    assert all(getattr(p.default, "help", None) for p in inspect.signature(new).parameters.values())
    assert "`followup checklist new" in (ROOT / "README.md").read_text(encoding="utf-8")
    code = ("import sys; from followup_cli.cli.app import main; sys.argv=['followup','checklist','new','--help']\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print('HEAVY', [m for m in ('pandas','openpyxl') if m in sys.modules])")
    assert "HEAVY []" in subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_without_a_checklist_folder_both_ways_write_to_out_checklists(cli, workspace):
    """No `checklists:` in followup.yaml: one checklist and a plan's go to the same folder, out/checklists."""
    config = workspace / "followup.yaml"
    config.write_text(config.read_text("utf-8").replace("checklists: checklists/\n", ""), "utf-8")
    one = cli("checklist", "new", "--provider", "HT-001", "--as-of", AS_OF, "--json", cwd=workspace)
    assert one.code == 0, one.stderr
    assert cli("plan", "--year", 2026, "--out", "plan.xlsx", cwd=workspace).code in (0, 1)
    planned = cli("checklist", "new", "--plan", "plan.xlsx", "--as-of", AS_OF, "--json", cwd=workspace)
    assert planned.code == 0, planned.stderr
    folders = {Path(p).parent for p in one.json()["written"] + planned.json()["written"]}
    assert folders == {workspace / "out" / "checklists"}


def test_json_says_what_was_written(cli, workspace):
    result = cli("checklist", "new", "--provider", "HT-001", "--as-of", AS_OF, "--json", cwd=workspace)
    assert result.code == 0
    data = result.json()
    assert data["kept"] == [] and data["skipped"] == [] and data["written"][0].endswith("2026-HT-001-quality_review.xlsx")


def test_a_review_on_granskningar_under_another_provider_is_an_error(cli, tmp_path, register):
    from conftest import write_xlsx

    register()
    (tmp_path / "checklists").mkdir()
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nchecklists: checklists/\n", encoding="utf-8")
    header = [["Gransknings-ID", "G-1"], ["Utförar-ID", "HT-001"], ["Datum", dt.date(2025, 2, 1)]]
    questions = [["Fråge-ID", "Granskningsområde", "Fråga", "Svar"], ["F1", "Dokumentation", "Fråga?", "Ja"]]
    write_xlsx(tmp_path / "checklists" / "G-1.xlsx", {"Granskning": header, "Frågor": questions})
    problems = cli("validate", "--json", cwd=tmp_path).json()
    assert [(p["code"], p["value"]) for p in problems if p["file"] == "G-1.xlsx"] == [("checklist-other-provider", "HT-001")]
    assert "0180" in problems[-1]["message"]


def test_a_plan_that_is_not_a_plan_is_exit_3_naming_file_sheet_row_and_column(cli, workspace):
    from conftest import write_xlsx

    result = cli("checklist", "new", "--plan", workspace / "register.xlsx", "--out", workspace / "nya", cwd=workspace)
    assert result.code == 3 and "register.xlsx" in result.stderr and "bladet Plan saknas" in result.stderr
    write_xlsx(workspace / "plan.xlsx", {"Plan": [["Månad", "Utförar-ID", "Typ", "Gransknings-ID"],
                                                  ["2026-03", "HT-001", "Kvalitetsgranskning", "2026-HT-001-quality_review"],
                                                  ["2026-04", None, "Kvalitetsgranskning", "2026-X-quality_review"]]})
    result = cli("checklist", "new", "--plan", workspace / "plan.xlsx", "--out", workspace / "nya", cwd=workspace)
    assert result.code == 3 and "plan.xlsx, bladet Plan, rad 3, kolumn B" in result.stderr
    assert not (workspace / "nya").exists()  # nothing written before the plan is known to be good
