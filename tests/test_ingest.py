"""`followup checklist ingest`: completed checklists become graded reviews and findings in granskningar.xlsx,
which every command then reads beside the register."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES, fingerprint

WORKBOOK = "granskningar.xlsx"


def _sheet(path: Path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _example() -> dict:
    """The example's checklists read beside its register, so the tests follow scripts/make_example.py's ids: each
    review's date, provider, the register's findings by Krav-ID, and the checklist's questions (Fråge-ID → Krav-ID,
    Svar)."""
    reviews = {r["Gransknings-ID"]: r for r in _sheet(EXAMPLES / "register.xlsx", "Granskningar")}
    findings = _sheet(EXAMPLES / "register.xlsx", "Brister")
    out = {}
    for path in sorted((EXAMPLES / "checklists").glob("G-*.xlsx")):
        rid = path.stem
        questions = [(q["Fråge-ID"], q["Krav-ID"], q["Svar"]) for q in _sheet(path, "Frågor")]
        out[rid] = {"provider": reviews[rid]["Utförar-ID"], "date": reviews[rid]["Datum"], "questions": questions,
                    "findings": {f["Krav-ID"]: f for f in findings if f["Gransknings-ID"] == rid}}
    return out


def _question(review: dict, requirement: str) -> str:
    return next(q for q, k, _ in review["questions"] if k == requirement)


def _a_yes(review: dict) -> str:
    """A question the reviewers answered Ja."""
    return next(q for q, _, answer in review["questions"] if answer == "Ja")


def _deficiencies(review: dict) -> list[tuple[str, dict]]:
    """(Fråge-ID, the register's finding) of each Brist, in question order."""
    out = [(_question(review, k), f) for k, f in review["findings"].items() if f["Allvarlighet"] == "Brist"]
    return sorted(out, key=lambda qf: qf[0])


# Standard scale (reviews/defaults.yaml): a review's level is its worst finding's.
GRADE = {"Allvarlig brist": "Med allvarlig avvikelse", "Brist": "Med avvikelse", "Iakttagelse": "Med anmärkning"}
ORDER = list(GRADE)
EXAMPLE = _example()
# The review whose only finding is an Iakttagelse the register already holds (ingest links the two).
PAIR = next(rid for rid, r in EXAMPLE.items() if [f["Allvarlighet"] for f in r["findings"].values()] == ["Iakttagelse"])
# The review with a serious finding (SÄBO-006's triggered visit), and HT-002's triggered visit, whose two
# deficiencies have no Åtgärdad date (the trouble providers' stay open).
SERIOUS = next(rid for rid, r in EXAMPLE.items() if any(f["Allvarlighet"] == "Allvarlig brist" for f in r["findings"].values()))
HT002 = next(rid for rid, r in EXAMPLE.items() if r["provider"] == "HT-002")
(HT002_Q1, HT002_F1), (HT002_Q2, _) = _deficiencies(EXAMPLE[HT002])


def _fill(workspace: Path, source: str, target: str, review_id: str | None = None, provider_id: str | None = None,
          date: dt.date | None = None, answers: dict[str, tuple] | None = None) -> Path:
    """A completed checklist made from one of the example's: header values and answers (Fråge-ID → (Svar,
    Iakttagelse, Allvarlighet)) changed with openpyxl, as a reviewer would in Excel."""
    path = workspace / "checklists" / target
    path.parent.mkdir(parents=True, exist_ok=True)
    if source != target:
        shutil.copy(workspace / "checklists" / source, path)
    wb = openpyxl.load_workbook(path)
    header = wb["Granskning"]
    for label, value in (("Gransknings-ID", review_id), ("Utförar-ID", provider_id), ("Datum", date)):
        if value is not None:
            row = next(r for r in range(1, header.max_row + 1) if header.cell(r, 1).value == label)
            header.cell(row, 2).value = value
    questions = wb["Frågor"]
    for r in range(2, questions.max_row + 1):
        qid = questions.cell(r, 1).value
        if answers and qid in answers:
            for col, value in zip((5, 6, 7), answers[qid]):
                questions.cell(r, col).value = value
    wb.save(path)
    return path


def _record(path: Path, finding_id: str, values: dict) -> tuple[int, dict[str, str]]:
    """Values typed into the finding's row on the workbook's Brister sheet, as a strategist would in Excel; returns
    the row and each header's column letter."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Brister"]
    letters = {c.value: c.column_letter for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == finding_id)
    for header, value in values.items():
        ws[f"{letters[header]}{row}"].value = value
    wb.save(path)
    return row, letters


def _ingest(cli, workspace, *args):
    return cli("checklist", "ingest", "checklists", *args, cwd=workspace)


def test_the_examples_checklists_become_graded_reviews_linked_to_the_registers_findings(cli, workspace):
    result = _ingest(cli, workspace)
    assert result.code == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    worst = {rid: min((f["Allvarlighet"] for f in r["findings"].values()), key=ORDER.index) for rid, r in EXAMPLE.items()}
    assert [line[:4] for line in lines] == [["ny", rid, r["provider"], GRADE[worst[rid]]] for rid, r in EXAMPLE.items()]
    said = {line[1]: line[4] for line in lines}  # each review's findings by their severity: an Iakttagelse is no brist
    assert said[PAIR] == "1 iakttagelse" and said[SERIOUS].startswith("1 allvarlig brist")
    reviews = {r["Gransknings-ID"]: r for r in _sheet(workspace / WORKBOOK, "Granskningar")}
    assert reviews[SERIOUS]["Resultat"] == "Allvarliga brister"
    assert reviews[PAIR]["Resultat"] == "Inga brister"  # an Iakttagelse alone, as the register has it
    findings = _sheet(workspace / WORKBOOK, "Brister")
    # The register already holds the pair's finding for the same review and requirement: linked by its id, not a second one.
    (requirement, held), = EXAMPLE[PAIR]["findings"].items()
    on_pair = [f for f in findings if f["Gransknings-ID"] == PAIR]
    assert [(f["Brist-ID"], f["Fråge-ID"], f["Krav-ID"], f["Allvarlighet"]) for f in on_pair] == [
        (held["Brist-ID"], _question(EXAMPLE[PAIR], requirement), requirement, "Iakttagelse")]
    assert {f["Brist-ID"] for f in findings} == {f["Brist-ID"] for r in EXAMPLE.values() for f in r["findings"].values()}
    serious = next(f for f in findings if f["Gransknings-ID"] == SERIOUS and f["Allvarlighet"] == "Allvarlig brist")
    # Med allvarlig avvikelse: the action plan within 7 days of the review (reviews/defaults.yaml).
    assert serious["Åtgärdsplan senast"] == EXAMPLE[SERIOUS]["date"] + dt.timedelta(days=7)


def test_ingesting_twice_gives_the_same_bytes_and_says_unchanged(cli, workspace):
    assert _ingest(cli, workspace).code == 0
    first = (workspace / WORKBOOK).read_bytes()
    again = _ingest(cli, workspace)
    assert again.code == 0
    assert (workspace / WORKBOOK).read_bytes() == first
    assert {line.split("\t")[0] for line in again.stdout.splitlines()} == {"oförändrad"}
    assert "4 oförändrade" in again.stderr


def test_the_register_and_the_checklists_are_never_changed(cli, workspace):
    before = fingerprint(workspace / "checklists") | {"register": fingerprint(workspace)["register.xlsx"]}
    assert _ingest(cli, workspace).code == 0
    assert _ingest(cli, workspace).code == 0
    assert fingerprint(workspace / "checklists") | {"register": fingerprint(workspace)["register.xlsx"]} == before


def test_a_changed_answer_updates_its_own_review_and_nothing_else(cli, workspace):
    assert _ingest(cli, workspace).code == 0
    question = _a_yes(EXAMPLE[PAIR])
    _fill(workspace, f"{PAIR}.xlsx", f"{PAIR}.xlsx",
          answers={question: ("Nej", "Klagomål sammanställs inte.", "Brist")})
    result = _ingest(cli, workspace)
    assert result.code == 0
    status = {line.split("\t")[1]: line.split("\t")[0] for line in result.stdout.splitlines()}
    assert status == {rid: "ändrad" if rid == PAIR else "oförändrad" for rid in EXAMPLE}
    reviews = {r["Gransknings-ID"]: r for r in _sheet(workspace / WORKBOOK, "Granskningar")}
    assert reviews[PAIR]["Bedömning"] == "Med avvikelse"
    assert reviews[PAIR]["Resultat"] == "Brister"
    new = next(f for f in _sheet(workspace / WORKBOOK, "Brister") if f["Fråge-ID"] == question and f["Gransknings-ID"] == PAIR)
    assert new["Brist-ID"] == f"B{PAIR[1:]}-{question}"
    assert new["Åtgärdsplan senast"] == EXAMPLE[PAIR]["date"] + dt.timedelta(days=14)  # Med avvikelse
    assert new["Beskrivning"] == "Klagomål sammanställs inte."


def test_lock_files_and_other_workbooks_are_skipped_with_a_note(cli, workspace):
    (workspace / "checklists" / f"~${PAIR}.xlsx").write_bytes(b"lock")
    wb = openpyxl.Workbook()
    wb.active.title = "Anteckningar"
    wb.save(workspace / "checklists" / "anteckningar.xlsx")
    result = _ingest(cli, workspace)
    assert result.code == 0, result.stderr
    assert f"~${PAIR}.xlsx: Excels låsfil, hoppas över." in result.stderr
    assert "anteckningar.xlsx: inget granskningsprotokoll" in result.stderr
    assert len(result.stdout.splitlines()) == 4


def test_a_broken_checklist_is_reported_while_the_others_are_ingested(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", "2026/G-2026-001.xlsx", review_id="G-2026-001", date=dt.date(2026, 2, 3),
          answers={"F01": (None, None, None), "F03": ("Nej", None, None)})
    result = _ingest(cli, workspace)
    assert result.code == 3
    assert "2026/G-2026-001.xlsx, bladet Frågor, cell E2 (Svar): Frågan F01 är inte besvarad." in result.stderr
    assert "2026/G-2026-001.xlsx, bladet Frågor, cell F4 (Iakttagelse): Frågan F03 har svaret Nej men ingen iakttagelse." in result.stderr
    assert "2026/G-2026-001.xlsx, bladet Frågor, cell G4 (Allvarlighet): Frågan F03 har svaret Nej men ingen allvarlighet." in result.stderr
    assert "1 protokoll har fel och lästes inte in" in result.stderr
    reviews = {r["Gransknings-ID"] for r in _sheet(workspace / WORKBOOK, "Granskningar")}
    assert reviews == set(EXAMPLE)


def test_an_unknown_provider_is_reported_as_validate_reports_it(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", "G-2026-002.xlsx", review_id="G-2026-002", provider_id="HT-999")
    result = _ingest(cli, workspace)
    assert result.code == 3
    assert "G-2026-002.xlsx, bladet Granskning" in result.stderr and "HT-999 finns inte på bladet Utförare" in result.stderr


def test_what_people_record_in_the_workbook_is_kept_by_the_next_ingest(cli, workspace):
    assert _ingest(cli, workspace).code == 0
    path = workspace / WORKBOOK
    recorded = {"Åtgärdsplan inkommen": dt.datetime(2025, 12, 10), "Åtgärdsplan godkänd": dt.datetime(2025, 12, 15),
                "Åtgärdad": dt.datetime(2026, 1, 20), "Sanktion": "Varning", "Anmäld till": "IVO"}
    _record(path, HT002_F1["Brist-ID"], recorded)
    _fill(workspace, f"{HT002}.xlsx", f"{HT002}.xlsx", answers={_a_yes(EXAMPLE[HT002]): ("Nej", "Ingen rutin.", "Iakttagelse")})
    result = _ingest(cli, workspace)
    assert result.code == 0, result.stderr
    finding = next(f for f in _sheet(path, "Brister") if f["Brist-ID"] == HT002_F1["Brist-ID"])
    assert {k: finding[k] for k in recorded} == recorded


def test_a_finding_still_open_from_an_earlier_review_is_linked_and_recurring(cli, workspace):
    # HT-002's deficiencies of its triggered visit have no Åtgärdad date: a new review finding the same is a repetition.
    _fill(workspace, f"{HT002}.xlsx", "G-2026-003.xlsx", review_id="G-2026-003", date=dt.date(2026, 2, 10))
    result = _ingest(cli, workspace, "--json")
    assert result.code == 0, result.stderr
    review = next(r for r in result.json()["reviews"] if r["review_id"] == "G-2026-003")
    assert {"finding_id": f"B-2026-003-{HT002_Q1}", "recurring_of": HT002_F1["Brist-ID"]} in review["recurring"]
    assert review["assessment"] == "Med allvarlig avvikelse"  # a repeated Brist is one step up
    finding = next(f for f in _sheet(workspace / WORKBOOK, "Brister") if f["Brist-ID"] == f"B-2026-003-{HT002_Q1}")
    assert finding["Återkommande"] == HT002_F1["Brist-ID"]


def test_a_brist_where_an_earlier_review_made_an_observation_is_new_not_recurring(cli, workspace):
    """An Iakttagelse asks for no action and is looked at again at the next review: a Brist found then is graded as
    a Brist, not one step up as the repetition of a finding left open."""
    ((requirement, observation),) = EXAMPLE[PAIR]["findings"].items()
    question = _question(EXAMPLE[PAIR], requirement)
    _fill(workspace, f"{PAIR}.xlsx", "G-2026-021.xlsx", review_id="G-2026-021", date=dt.date(2026, 4, 1),
          answers={question: ("Nej", "Samma sak som vid förra granskningen, nu en brist.", "Brist")})
    result = _ingest(cli, workspace, "--json")
    assert result.code == 0, result.stderr
    review = next(r for r in result.json()["reviews"] if r["review_id"] == "G-2026-021")
    assert observation["Allvarlighet"] == "Iakttagelse" and review["recurring"] == []
    assert review["assessment"] == "Med avvikelse"
    finding = next(f for f in _sheet(workspace / WORKBOOK, "Brister") if f["Gransknings-ID"] == "G-2026-021")
    assert finding["Återkommande"] is None


def test_an_lss_home_is_graded_on_the_lss_scale(cli, workspace):
    _fill(workspace, f"{PAIR}.xlsx", "G-2026-004.xlsx", review_id="G-2026-004", provider_id="LSS-004",
          date=dt.date(2026, 3, 2))
    result = _ingest(cli, workspace, "--json")
    review = next(r for r in result.json()["reviews"] if r["review_id"] == "G-2026-004")
    assert review["assessment"] == "Finns delvis"  # a Delvis, on Botkyrka's LSS scale


def test_the_register_reader_adds_the_workbooks_reviews_and_findings(cli, workspace):
    from followup_cli import api
    from followup_cli.register.read import read_register

    _fill(workspace, f"{HT002}.xlsx", "G-2026-005.xlsx", review_id="G-2026-005", provider_id="HT-005",
          date=dt.date(2025, 12, 1))
    assert _ingest(cli, workspace).code == 0
    ws = api.open_workspace(workspace / "followup.yaml")
    reg = read_register(api.register_sources(ws), dt.date(2025, 12, 31))
    findings, reviews = reg.data("findings"), reg.data("reviews")
    assert not [p for p in reg.problems if p.severity == "error"]
    assert (findings["review_id"] == PAIR).sum() == 1  # linked, not duplicated
    assert set(findings.loc[findings["review_id"] == "G-2026-005", "finding_id"]) == {f"B-2026-005-{HT002_Q1}",
                                                                                     f"B-2026-005-{HT002_Q2}"}
    by_id = reviews.set_index("review_id")
    assert by_id.loc["G-2026-005", "assessment"] == "Med avvikelse"
    assert by_id.loc[PAIR, "assessment"] == "Med anmärkning"  # the register's row, its empty Bedömning filled


def test_risk_analyze_counts_the_new_findings(cli, workspace):
    def open_findings(provider):
        data = cli("risk-analyze", "--json", "--as-of", "2025-12-31", cwd=workspace).json()
        row = next(p for p in data["providers"] if p["provider_id"] == provider)
        return next((r["count"] for r in row["reasons"] if r["factor"] == "open_findings"), 0)

    assert open_findings("HT-005") == 1  # the Iakttagelse of its last review, B-2024-004
    _fill(workspace, f"{HT002}.xlsx", "G-2026-006.xlsx", review_id="G-2026-006", provider_id="HT-005",
          date=dt.date(2025, 12, 1))
    assert _ingest(cli, workspace).code == 0
    assert open_findings("HT-005") == 2  # the new review's two Brists; the Iakttagelse was looked at again in it


def test_the_workspaces_register_named_with_register_is_read_with_the_workbook(cli, workspace):
    """`--register register.xlsx` names the register followup.yaml names: the same analysis, not one without the
    ingested reviews. Another file is read on its own, without the workspace's workbook."""
    def open_findings(*args):
        data = cli("risk-analyze", *args, "--json", "--as-of", "2025-12-31", cwd=workspace).json()
        row = next(p for p in data["providers"] if p["provider_id"] == "HT-005")
        return next((r["count"] for r in row["reasons"] if r["factor"] == "open_findings"), 0)

    _fill(workspace, f"{HT002}.xlsx", "G-2026-020.xlsx", review_id="G-2026-020", provider_id="HT-005",
          date=dt.date(2025, 12, 1))
    assert _ingest(cli, workspace).code == 0
    shutil.copy(workspace / "register.xlsx", workspace / "annan.xlsx")
    assert open_findings() == 2  # the new review's two Brists
    assert open_findings("--register", "register.xlsx") == open_findings("--register", str(workspace / "register.xlsx")) == 2
    assert open_findings("--register", "annan.xlsx") == 1  # without the workbook: only the register's Iakttagelse


@pytest.mark.parametrize("name", ["register.xlsx", f"checklists/{PAIR}.xlsx"])
def test_the_workbook_is_never_written_over_an_input(cli, workspace, name):
    before = (workspace / name).read_bytes()
    result = _ingest(cli, workspace, "--out", name)
    assert result.code == 2 and "indatafilerna" in result.stderr
    assert (workspace / name).read_bytes() == before


def test_out_and_the_reviews_setting_choose_where_it_is_written(cli, workspace):
    assert _ingest(cli, workspace, "--out", "ut/samlat.xlsx").code == 0
    assert (workspace / "ut" / "samlat.xlsx").is_file() and not (workspace / WORKBOOK).exists()
    config = workspace / "followup.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "reviews: granskning/alla.xlsx\n", encoding="utf-8")
    assert _ingest(cli, workspace).code == 0
    assert (workspace / "granskning" / "alla.xlsx").is_file()


def test_a_file_that_is_not_a_reviews_workbook_is_not_replaced(cli, workspace):
    other = workspace / "annat.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.save(other)
    before = other.read_bytes()
    result = _ingest(cli, workspace, "--out", "annat.xlsx")
    assert result.code == 5 and "annat.xlsx finns redan" in result.stderr
    assert other.read_bytes() == before


def test_validate_reports_an_unanswered_question_in_a_checklist(cli, workspace):
    _fill(workspace, f"{PAIR}.xlsx", f"{PAIR}.xlsx", answers={"F05": (None, None, None)})
    problems = cli("validate", "--json", cwd=workspace).json()
    assert {(p["file"], p["sheet"], p["row"], p["column"], p["code"]) for p in problems} >= {
        (f"{PAIR}.xlsx", "Frågor", 6, "E", "unanswered")}


def _area_id(label: str) -> str:
    from followup_cli.schemas import register_schemas

    labels = register_schemas()["findings"].field("review_area").labels()
    return next(i for i, name in labels.items() if name == label)


def _clean_area(review: dict) -> str:
    """A review area whose questions in the checklist were all answered Ja or Ej aktuellt."""
    wb = openpyxl.load_workbook(EXAMPLES / "checklists" / f"{HT002}.xlsx")
    by_area: dict[str, set] = {}
    for row in list(wb["Frågor"].iter_rows(values_only=True))[1:]:
        by_area.setdefault(row[1], set()).add(row[4])
    return next(_area_id(a) for a, answers in sorted(by_area.items()) if answers <= {"Ja", "Ej aktuellt"})


def _header_rows(path: Path, rows: list[tuple[str, str]]) -> None:
    wb = openpyxl.load_workbook(path)
    for row in rows:
        wb["Granskning"].append(row)
    wb.save(path)


def test_each_area_is_graded_and_the_reviewers_may_set_their_own_grade_with_a_reason(cli, workspace):
    path = _fill(workspace, f"{HT002}.xlsx", "G-2026-007.xlsx", review_id="G-2026-007", date=dt.date(2026, 3, 3))
    _header_rows(path, [("Samlad bedömning", "Med anmärkning"), ("Motivering", "Bristerna rättades under besöket.")])
    result = _ingest(cli, workspace, "--json")
    assert result.code == 0, result.stderr
    review = next(r for r in result.json()["reviews"] if r["review_id"] == "G-2026-007")
    assert review["assessment"] == "Med anmärkning"
    areas = {a["review_area"]: (a["assessment"], a["computed"]) for a in review["areas"]}
    repeated = {_area_id(HT002_F1["Granskningsområde"])}  # a Brist repeating HT-002's still open one
    assert {a: grades for a, grades in areas.items() if a in repeated} == {
        a: ("Med allvarlig avvikelse", "Med allvarlig avvikelse") for a in repeated}
    clean = _clean_area(EXAMPLE[HT002])
    assert areas[clean] == ("Tillfredsställande", "Tillfredsställande")
    row = next(r for r in _sheet(workspace / WORKBOOK, "Granskningar") if r["Gransknings-ID"] == "G-2026-007")
    assert row["Bedömning"] == "Med anmärkning"


@pytest.mark.parametrize("rows, says", [
    ([("Samlad bedömning", "Godkänd")], "'Godkänd' är ingen nivå på skalan"),
    ([("Samlad bedömning", "Med anmärkning")], "Bedömningen Med anmärkning är granskarnas egen och behöver en motivering"),
])
def test_an_own_grade_off_the_scale_or_without_a_reason_is_an_error(cli, workspace, rows, says):
    path = _fill(workspace, f"{HT002}.xlsx", "G-2026-008.xlsx", review_id="G-2026-008", date=dt.date(2026, 3, 3))
    _header_rows(path, rows)
    checked = cli("validate", "--json", cwd=workspace)
    assert checked.code == 1  # validate says it before ingest does
    assert [p["severity"] for p in checked.json() if p["file"] == "G-2026-008.xlsx" and says in p["message"]] == ["error"]
    result = _ingest(cli, workspace)
    assert result.code == 3
    assert "G-2026-008.xlsx, bladet Granskning" in result.stderr and says in result.stderr


def test_a_wrong_value_typed_into_the_workbook_is_named_by_its_own_cell(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", "G-2026-009.xlsx", review_id="G-2026-009", date=dt.date(2026, 2, 2))
    assert _ingest(cli, workspace).code == 0
    path = workspace / WORKBOOK
    row, letters = _record(path, f"B-2026-009-{HT002_Q1}", {"Åtgärdsplan inkommen": dt.datetime(2026, 1, 5)})  # before the review
    problems = cli("validate", "--json", cwd=workspace).json()
    letter = letters["Åtgärdsplan inkommen"]
    assert ("granskningar.xlsx", "Brister", row, letter, "impossible-date") in {
        (p["file"], p["sheet"], p["row"], p["column"], p["code"]) for p in problems}


def test_a_finding_taken_back_in_its_checklist_is_removed_with_a_warning_about_its_entries(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", "G-2026-010.xlsx", review_id="G-2026-010", date=dt.date(2026, 2, 2))
    assert _ingest(cli, workspace).code == 0
    path = workspace / WORKBOOK
    _record(path, f"B-2026-010-{HT002_Q2}", {"Åtgärdsplan inkommen": dt.datetime(2026, 2, 10)})
    _fill(workspace, "G-2026-010.xlsx", "G-2026-010.xlsx", answers={HT002_Q2: ("Ja", None, None)})
    result = _ingest(cli, workspace, "--json")
    assert result.code == 0
    dropped = f"B-2026-010-{HT002_Q2}"
    assert result.json()["dropped"] == [{"finding_id": dropped, "review_id": "G-2026-010", "question_id": HT002_Q2}]
    assert f"varning: {dropped} (G-2026-010, fråga {HT002_Q2}) är inte längre en brist" in result.stderr
    assert dropped not in {f["Brist-ID"] for f in _sheet(path, "Brister")}


def test_the_workbook_has_dates_as_dates_dropdowns_and_the_manual_columns_marked(cli, workspace):
    assert _ingest(cli, workspace).code == 0
    ws = openpyxl.load_workbook(workspace / WORKBOOK)["Brister"]
    headers = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{headers['Åtgärdsplan senast']}2"].is_date
    rules = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "Varning med åtgärdsplan" in rules[f"{headers['Sanktion']}2"]
    assert ws[f"{headers['Åtgärdad']}2"].fill.start_color.rgb.endswith("FFF2CC")
    assert not ws[f"{headers['Beskrivning']}2"].fill.start_color.rgb.endswith("FFF2CC")
    assert ws.freeze_panes == "A2"


def test_a_checklist_naming_a_registered_review_of_another_provider_is_an_error(cli, workspace):
    _fill(workspace, f"{PAIR}.xlsx", "kopia.xlsx", provider_id="HT-002")
    result = _ingest(cli, workspace)
    assert result.code == 3
    said = (f"kopia.xlsx, bladet Granskning, kolumnen Utförar-ID: Granskningen {PAIR} står på bladet Granskningar för "
            f"utföraren {EXAMPLE[PAIR]['provider']}, inte HT-002.")
    assert said in result.stderr and result.stderr.count("kolumnen Utförar-ID") == 1  # said once, as validate says it


def test_two_checklists_for_one_review_leave_the_second_out(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", f"sub/{HT002} kopia.xlsx")
    checked = cli("validate", "--json", cwd=workspace).json()  # validate says it too, before ingest
    assert [p["code"] for p in checked if p["file"] == f"{HT002} kopia.xlsx"] == ["duplicate-checklist"]
    result = _ingest(cli, workspace)
    assert result.code == 3
    assert (f"sub/{HT002} kopia.xlsx, bladet Granskning, kolumnen Gransknings-ID: Granskningen {HT002} har redan "
            f"ett protokoll, {HT002}.xlsx") in result.stderr
    assert len(result.stdout.splitlines()) == 4


def test_a_personal_number_typed_into_the_workbook_stops_the_letters_naming_the_workbooks_cell(cli, workspace):
    _fill(workspace, f"{HT002}.xlsx", "G-2026-009.xlsx", review_id="G-2026-009", date=dt.date(2026, 2, 2))
    assert _ingest(cli, workspace).code == 0
    path = workspace / WORKBOOK
    row, letters = _record(path, f"B-2026-009-{HT002_Q1}", {"Beskrivning": "Gäller brukaren 19121212-1212."})
    result = cli("actions", "--as-of", "2026-06-01", "--letters", "brev", cwd=workspace)
    letter = letters["Beskrivning"]
    assert result.code == 4
    assert f"granskningar.xlsx, bladet Brister, cell {letter}{row} (Beskrivning)" in result.stderr
    assert not (workspace / "brev").exists()


def test_validate_never_annotates_over_the_reviews_workbook(cli, workspace):
    assert _ingest(cli, workspace).code == 0
    before = (workspace / WORKBOOK).read_bytes()
    result = cli("validate", "--annotate", WORKBOOK, cwd=workspace)
    assert result.code == 2 and f"{WORKBOOK} är en av indatafilerna" in result.stderr  # as for the register itself
    assert (workspace / WORKBOOK).read_bytes() == before


def test_a_second_finding_on_the_requirement_the_register_holds_is_kept(cli, workspace):
    """Two Nej on one requirement: the first is the register's finding (linked), the second a finding of its own,
    which every command reading the register beside the workbook must see."""
    from followup_cli import api
    from followup_cli.register.read import read_register

    (requirement, held), = EXAMPLE[PAIR]["findings"].items()
    other = _a_yes(EXAMPLE[PAIR])
    path = _fill(workspace, f"{PAIR}.xlsx", f"{PAIR}.xlsx", answers={other: ("Nej", "Ingen rutin.", "Brist")})
    wb = openpyxl.load_workbook(path)
    questions = wb["Frågor"]
    columns = {c.value: c.column for c in questions[1]}
    row = next(r for r in range(2, questions.max_row + 1) if questions.cell(r, 1).value == other)
    questions.cell(row, columns["Krav-ID"]).value = requirement  # the same requirement as the register's finding
    wb.save(path)
    assert _ingest(cli, workspace).code == 0
    reg = read_register(api.register_sources(api.open_workspace(workspace / "followup.yaml")), dt.date(2025, 12, 31))
    on_pair = reg.data("findings")
    on_pair = on_pair[on_pair["review_id"] == PAIR]
    assert len(on_pair) == 2 and held["Brist-ID"] in set(on_pair["finding_id"])


def test_a_checklist_with_only_an_observation_is_started_for_ingest_as_for_validate(cli, workspace):
    """A reviewer who has written what was seen but not yet answered: not a blank checklist to skip, but one with
    unanswered questions, said by ingest as validate says it."""
    path = _fill(workspace, f"{PAIR}.xlsx", "G-2026-011.xlsx", review_id="G-2026-011", date=dt.date(2026, 2, 2))
    wb = openpyxl.load_workbook(path)
    questions = wb["Frågor"]
    for r in range(2, questions.max_row + 1):
        questions.cell(r, 5).value = None  # Svar
    questions.cell(2, 7).value = "Rutinen fanns men följdes inte."  # Iakttagelse
    wb.save(path)
    ingested = _ingest(cli, workspace)
    validated = cli("validate", "--json", cwd=workspace)
    assert ingested.code == 3 and "inte ifyllt ännu" not in ingested.stderr
    unanswered = [p for p in validated.json() if p["file"].endswith("G-2026-011.xlsx") and p["code"] == "unanswered"]
    said = [line for line in ingested.stderr.splitlines() if "G-2026-011.xlsx" in line and "inte besvarad" in line]
    assert unanswered and len(said) == len(unanswered)
