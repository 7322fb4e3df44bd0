"""The review report to the provider, read the way the provider would read it: in Word, as Markdown, as a web page."""

from __future__ import annotations

import io
import re

import pytest
from conftest import EXAMPLES, ROOT, template_script
from docx import Document
from openpyxl import load_workbook

from followup_cli.swedish import swedish_date

TRICKY = "Omsorg & Vård <Syd> AB"


def _rows(path, sheet: str) -> list[dict]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    return [{k: v.date() if hasattr(v, "date") else v for k, v in zip(rows[0], r)} for r in rows[1:] if r[0] is not None]


# The example's ids and dates as scripts/make_example.py generates them, read from the register and checklists.
REVIEWS = {r["Gransknings-ID"]: r for r in _rows(EXAMPLES / "register.xlsx", "Granskningar")}
FINDINGS = _rows(EXAMPLES / "register.xlsx", "Brister")
PROVIDERS = {r["Utförar-ID"]: r for r in _rows(EXAMPLES / "register.xlsx", "Utförare")}
QUESTIONS = {path.stem: _rows(path, "Frågor") for path in sorted((EXAMPLES / "checklists").glob("G-*.xlsx"))}
# Graded from its checklist: the review whose one finding is an Iakttagelse (Med anmärkning).
CHECKLIST_REVIEW = next(rid for rid in QUESTIONS
                        if [f["Allvarlighet"] for f in FINDINGS if f["Gransknings-ID"] == rid] == ["Iakttagelse"])
OBSERVATION = next(f for f in FINDINGS if f["Gransknings-ID"] == CHECKLIST_REVIEW)
OBSERVED = next(q for q in QUESTIONS[CHECKLIST_REVIEW] if q["Krav-ID"] == OBSERVATION["Krav-ID"])  # its question
A_YES = next(q for q in QUESTIONS[CHECKLIST_REVIEW] if q["Svar"] == "Ja")
# No checklist: SÄBO-006's follow-up visit of 2025, from Granskningar and Brister, with findings open from before.
REGISTER_REVIEW = next(rid for rid, r in REVIEWS.items() if r["Utförar-ID"] == "SÄBO-006" and r["Datum"].year == 2025
                       and r["Typ"] == "Uppföljning av tidigare granskning")
REGISTER_FINDING = next(f for f in FINDINGS if f["Gransknings-ID"] == REGISTER_REVIEW)
EARLIER = sorted((f for f in FINDINGS if f["Utförar-ID"] == "SÄBO-006" and f["Allvarlighet"] != "Iakttagelse"
                  and REVIEWS[f["Gransknings-ID"]]["Datum"] < REVIEWS[REGISTER_REVIEW]["Datum"] and f["Åtgärdad"] is None),
                 key=lambda f: f["Brist-ID"])


def _docx_text(path) -> str:
    document = Document(path)
    section = document.sections[0]
    cells = [p for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(p.text for p in [*section.header.paragraphs, *document.paragraphs, *cells, *section.footer.paragraphs])


def _set(path, sheet: str, key: str, header: str, value) -> None:
    """In `sheet`, the cell under `header` in the row whose first cell is `key` (a label or an id) gets `value`."""
    workbook = load_workbook(path)
    ws = workbook[sheet]
    rows = list(ws.iter_rows())
    heading = next(r for r in rows if any(c.value == header for c in r)) if header else None
    column = next(c.column for c in heading if c.value == header) if heading else 2
    row = next(r for r in rows if r[0].value == key)
    ws.cell(row=row[0].row, column=column, value=value)
    workbook.save(path)


def _add_header(path, label: str, value: str) -> None:
    workbook = load_workbook(path)
    workbook["Granskning"].append([label, value])
    workbook.save(path)


def _events(workspace, provider_id: str, start, end) -> tuple[dict[str, int], list[str]]:
    """The provider's events in the period straight from the register: counts by kind, and every description."""
    import datetime as dt

    ws = load_workbook(workspace / "register.xlsx")["Händelser"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Datum")
    counts: dict[str, int] = {}
    texts = []
    for r in rows[header + 1:]:
        if r[1] == provider_id:
            texts.append(r[5])
            if start <= r[0].date() <= end if isinstance(r[0], dt.datetime) else False:
                counts[r[2]] = counts.get(r[2], 0) + 1
    return counts, [t for t in texts if t]


# --- the content --------------------------------------------------------------------------------------------------

def test_a_checklist_review_shows_every_area_its_assessment_and_the_finding(cli, workspace):
    checklist = workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx"
    _add_header(checklist, "Styrkor", "Personalen känner brukarna väl och dokumenterar noggrant.")
    _add_header(checklist, "Sammanfattning", "Verksamheten fungerar väl.")
    result = cli("review-report", CHECKLIST_REVIEW, cwd=workspace)
    assert result.code == 0, result.stderr
    path = workspace / "out" / f"granskningsrapport-{CHECKLIST_REVIEW}.docx"
    assert str(path) in result.stderr and f"granskningsprotokollet {CHECKLIST_REVIEW}.xlsx" in result.stderr
    text = _docx_text(path)
    assert "{{" not in text and "{%" not in text
    review = REVIEWS[CHECKLIST_REVIEW]
    provider = PROVIDERS[review["Utförar-ID"]]
    assert provider["Namn"] in text and review["Utförar-ID"] in text
    assert review["Typ"] in text and review["Metod"] in text and review["Granskare"] in text
    assert provider["Uppföljande enhet"] in text and swedish_date(review["Datum"]) in text
    assert f"{OBSERVED['Granskningsområde']}: Med anmärkning" in text
    for area in {q["Granskningsområde"] for q in QUESTIONS[CHECKLIST_REVIEW]} - {OBSERVED["Granskningsområde"]}:
        assert f"{area}: Tillfredsställande" in text
    assert "Samlad bedömning: Med anmärkning" in text
    assert OBSERVATION["Beskrivning"] in text  # the observation, and the register's finding it is
    assert OBSERVATION["Brist-ID"] in text
    assert "Personalen känner brukarna väl och dokumenterar noggrant." in text
    assert "Verksamheten fungerar väl." in text
    sections = [p.text for p in Document(path).paragraphs if p.style.name == "Heading 2"]
    assert sections == [
        "Bakgrund och metod", "Sammanfattning", "Bedömning per granskningsområde", "Styrkor", "Åtgärder som krävs",
        "Brister kvar från tidigare granskningar", "Händelser under perioden"]


def test_the_reviewers_own_grades_are_shown_with_their_reasons(cli, workspace):
    checklist = workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx"
    _add_header(checklist, "Samlad bedömning", "Tillfredsställande")
    _add_header(checklist, "Motivering", "Iakttagelsen åtgärdades under besöket.")
    workbook = load_workbook(checklist)
    sheet = workbook.create_sheet("Bedömning")
    sheet.append(["Granskningsområde", "Framräknad bedömning", "Bedömning", "Motivering"])
    sheet.append([OBSERVED["Granskningsområde"], "Med anmärkning", "Tillfredsställande", "Rättat på plats."])
    workbook.save(checklist)
    assert cli("review-report", CHECKLIST_REVIEW, cwd=workspace).code == 0
    text = _docx_text(workspace / "out" / f"granskningsrapport-{CHECKLIST_REVIEW}.docx")
    assert "Samlad bedömning: Tillfredsställande" in text and "Det innebär: ingen åtgärd." in text
    assert "Granskarnas motivering: Iakttagelsen åtgärdades under besöket." in text
    assert f"{OBSERVED['Granskningsområde']}: Tillfredsställande" in text and "Granskarnas motivering: Rättat på plats." in text
    _set(checklist, "Bedömning", OBSERVED["Granskningsområde"], "Motivering", "Rättat för 121212-1212.")
    result = cli("review-report", CHECKLIST_REVIEW, cwd=workspace)
    assert result.code == 4 and f"{CHECKLIST_REVIEW}.xlsx, bladet Bedömning, cell D2 (Motivering)" in result.stderr


def test_a_review_without_checklist_shows_deadlines_open_earlier_findings_and_event_counts_only(cli, workspace):
    import datetime as dt

    result = cli("review-report", REGISTER_REVIEW, cwd=workspace)
    assert result.code == 0, result.stderr
    text = _docx_text(workspace / "out" / f"granskningsrapport-{REGISTER_REVIEW}.docx")
    assert PROVIDERS["SÄBO-006"]["Namn"] in text and "bladen Granskningar och Brister" in result.stderr
    finding, area = REGISTER_FINDING, REGISTER_FINDING["Granskningsområde"]
    assert f"{area}: Med avvikelse" in text
    document = Document(workspace / "out" / f"granskningsrapport-{REGISTER_REVIEW}.docx")
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "Brist" and t.rows[0].cells[-1].text == "Åtgärdsplan senast")
    assert [c.text for c in actions.rows[1].cells] == [
        finding["Brist-ID"], f"{finding['Beskrivning']}\n{area}", "Brist",
        "Skriftlig åtgärdsplan som förvaltningen godkänner; rättat inom fyra veckor.", swedish_date(finding["Åtgärdsplan senast"])]
    earlier = next(t for t in document.tables if t.rows[0].cells[-1].text == "Läge")
    assert [r.cells[0].text for r in earlier.rows[1:]] == [f["Brist-ID"] for f in EARLIER]
    first = EARLIER[0]
    assert earlier.rows[1].cells[1].text == f"{first['Gransknings-ID']}\n{swedish_date(REVIEWS[first['Gransknings-ID']]['Datum'])}"
    assert f"Åtgärdsplan godkänd {swedish_date(first['Åtgärdsplan godkänd'])}; inte åtgärdad" in earlier.rows[1].cells[-1].text
    day = REVIEWS[REGISTER_REVIEW]["Datum"]
    start = day.replace(year=day.year - 1) + dt.timedelta(days=1)
    counts, descriptions = _events(workspace, "SÄBO-006", start, day)
    events = next(t for t in document.tables if t.rows[0].cells[0].text == "Typ av händelse")
    shown = {r.cells[0].text: int(r.cells[1].text) for r in events.rows[1:-1]}
    assert shown == counts and events.rows[-1].cells[1].text == str(sum(counts.values()))
    assert f"{swedish_date(start)} – {swedish_date(day)}" in text
    assert descriptions and not [d for d in descriptions if d in text]  # no event's free text, ever


def test_a_review_only_in_its_checklist_gets_its_report_with_the_scales_deadlines(cli, workspace):
    """Written right after the visit, before the checklist is ingested: Nej and Delvis get the scale's deadline."""
    import datetime as dt

    checklist = workspace / "checklists" / "G-2026-001.xlsx"
    checklist.write_bytes((workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx").read_bytes())
    _set(checklist, "Granskning", "Gransknings-ID", None, "G-2026-001")
    _set(checklist, "Granskning", "Datum", None, dt.datetime(2026, 3, 2))
    for header, value in (("Svar", "Nej"), ("Iakttagelse", "Dokumentationen förs inte löpande."), ("Allvarlighet", "Brist")):
        _set(checklist, "Frågor", A_YES["Fråge-ID"], header, value)
    result = cli("review-report", "G-2026-001", "--format", "md", cwd=workspace)
    assert result.code == 0, result.stderr
    md = (workspace / "out" / "granskningsrapport-G-2026-001.md").read_text(encoding="utf-8")
    assert f"### {A_YES['Granskningsområde']}: Med avvikelse" in md and "Samlad bedömning: Med avvikelse" in md
    assert f"| {A_YES['Fråge-ID']} | {A_YES['Granskningsområde']} | Dokumentationen förs inte löpande. | Brist |" in md
    assert "| 16 mars 2026 |" in md  # the scale's plan_days (14) after the review day
    assert (f"| {OBSERVED['Fråge-ID']} | {OBSERVED['Granskningsområde']} | {OBSERVATION['Beskrivning']} | "
            "Iakttagelse |") in md


def test_a_register_without_granskningar_still_gives_a_checklists_report(cli, workspace):
    """Granskningar is optional: without it no earlier finding has a date, and the report says none is open."""
    from openpyxl import load_workbook

    book = load_workbook(workspace / "register.xlsx")
    del book["Granskningar"]
    book.save(workspace / "register.xlsx")
    result = cli("review-report", CHECKLIST_REVIEW, "--format", "md", cwd=workspace)
    assert result.code == 0, result.stderr
    md = (workspace / "out" / f"granskningsrapport-{CHECKLIST_REVIEW}.md").read_text(encoding="utf-8")
    assert "Inga brister från tidigare granskningar är öppna." in md


def test_a_checklist_nobody_has_answered_is_no_report(cli, workspace):
    blank = workspace / "checklists" / "2026" / "G-2026-002.xlsx"
    blank.parent.mkdir()
    blank.write_bytes((workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx").read_bytes())
    _set(blank, "Granskning", "Gransknings-ID", None, "G-2026-002")
    workbook = load_workbook(blank)
    for row in workbook["Frågor"].iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.value = None
    workbook.save(blank)
    result = cli("review-report", "G-2026-002", cwd=workspace)
    assert result.code == 3 and "G-2026-002.xlsx för G-2026-002 är inte ifyllt än" in result.stderr
    assert not (workspace / "out").exists() or not list((workspace / "out").glob("granskningsrapport-*"))


def test_markdown_and_html_carry_the_same_report(cli, workspace):
    for fmt in ("md", "html"):
        assert cli("review-report", REGISTER_REVIEW, "--format", fmt, cwd=workspace).code == 0
    md = (workspace / "out" / f"granskningsrapport-{REGISTER_REVIEW}.md").read_text(encoding="utf-8")
    html = (workspace / "out" / f"granskningsrapport-{REGISTER_REVIEW}.html").read_text(encoding="utf-8")
    for text in (md, html):
        assert "Tallbackens vård" in text and "Med avvikelse" in text
        assert swedish_date(REGISTER_FINDING["Åtgärdsplan senast"]) in text
        assert EARLIER[0]["Brist-ID"] in text and "Åtgärder som krävs" in text and "Händelser under perioden" in text
        assert "Klagomål" in text
    assert f"| {REGISTER_FINDING['Brist-ID']} | {REGISTER_FINDING['Granskningsområde']} |" in md
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html


def test_a_provider_name_with_ampersand_and_angle_brackets_comes_out_whole(cli, workspace):
    _set(workspace / "register.xlsx", "Utförare", "SÄBO-006", "Namn", TRICKY)
    for fmt in ("docx", "html", "md"):
        assert cli("review-report", REGISTER_REVIEW, "--format", fmt, cwd=workspace).code == 0
    out = workspace / "out"
    assert TRICKY in _docx_text(out / f"granskningsrapport-{REGISTER_REVIEW}.docx")
    html = (out / f"granskningsrapport-{REGISTER_REVIEW}.html").read_text(encoding="utf-8")
    assert "Omsorg &amp; Vård &lt;Syd&gt; AB" in html and "<Syd>" not in html
    assert "Omsorg & Vård \\<Syd\\> AB" in (out / f"granskningsrapport-{REGISTER_REVIEW}.md").read_text(encoding="utf-8")


# --- privacy, unknown ids, files ------------------------------------------------------------------------------------

PERSONAL_NUMBERS = ["121212-1212", "19121212-1212", "1212121212", "20121212+1212", "121272-1235"]  # the last: samordningsnummer


@pytest.mark.parametrize("number", PERSONAL_NUMBERS)
def test_a_personal_number_in_an_observation_stops_the_report_and_names_the_cell(cli, workspace, number):
    _set(workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx", "Frågor", OBSERVED["Fråge-ID"], "Iakttagelse",
         f"Brukaren {number} upplever att personalen har bråttom.")
    result = cli("review-report", CHECKLIST_REVIEW, cwd=workspace)
    assert result.code == 4
    row = 2 + [q["Fråge-ID"] for q in QUESTIONS[CHECKLIST_REVIEW]].index(OBSERVED["Fråge-ID"])
    assert f"{CHECKLIST_REVIEW}.xlsx, bladet Frågor, cell F{row} (Iakttagelse)" in result.stderr
    assert number not in result.stderr and result.stderr.count("\n") == 1
    assert not (workspace / "out").exists() or not list((workspace / "out").glob("granskningsrapport-*"))


def test_a_personal_number_in_a_finding_or_the_strengths_stops_the_report(cli, workspace):
    _set(workspace / "register.xlsx", "Brister", REGISTER_FINDING["Brist-ID"], "Beskrivning", "Gäller brukare 19121212-1212.")
    result = cli("review-report", REGISTER_REVIEW, "--format", "html", cwd=workspace)
    assert result.code == 4 and "register.xlsx, bladet Brister, cell G" in result.stderr and "(Beskrivning)" in result.stderr
    assert not list((workspace / "out").glob("granskningsrapport-*")) if (workspace / "out").exists() else True
    _add_header(workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx", "Styrkor", "Bra stöd till 121212-1212.")
    result = cli("review-report", CHECKLIST_REVIEW, cwd=workspace)
    assert result.code == 4 and f"{CHECKLIST_REVIEW}.xlsx, bladet Granskning, cell B7 (Styrkor)" in result.stderr


def test_an_unknown_review_is_one_sentence_with_the_closest_ids(cli, workspace):
    result = cli("review-report", "G-2025-14", cwd=workspace)
    assert result.code == 3 and result.stdout == ""
    assert re.fullmatch(r"followup: Granskningen G-2025-14 finns inte på bladet Granskningar i register\.xlsx – menade du "
                        r"G-2025-014.*\?\n", result.stderr)
    assert not (workspace / "out").exists() or not list((workspace / "out").iterdir())
    assert cli("review-report", "g-2025-014", cwd=workspace).code == 0  # case and hyphens as users type them


def test_the_same_review_gives_the_same_bytes_every_time(cli, workspace):
    for fmt in ("docx", "md", "html"):
        path = workspace / "out" / f"granskningsrapport-{CHECKLIST_REVIEW}.{fmt}"
        assert cli("review-report", CHECKLIST_REVIEW, "--format", fmt, cwd=workspace).code == 0
        first = path.read_bytes()
        assert cli("review-report", CHECKLIST_REVIEW, "--format", fmt, cwd=workspace).code == 0
        assert path.read_bytes() == first


def test_out_chooses_the_file_and_its_format_and_a_foreign_file_is_kept(cli, workspace):
    target = workspace / "rapport.html"
    assert cli("review-report", CHECKLIST_REVIEW, "--out", target, cwd=workspace).code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    mine = workspace / "egen.md"
    mine.write_text("min egen text\n", encoding="utf-8")
    result = cli("review-report", CHECKLIST_REVIEW, "--out", mine, cwd=workspace)
    assert result.code == 5 and mine.read_text(encoding="utf-8") == "min egen text\n"
    assert cli("review-report", CHECKLIST_REVIEW, "--out", mine, "--force", cwd=workspace).code == 0
    assert cli("review-report", CHECKLIST_REVIEW, "--out", workspace / "register.xlsx", "--format", "md", cwd=workspace).code == 2
    assert cli("review-report", CHECKLIST_REVIEW, "--format", "pdf", cwd=workspace).code == 2


# --- templates ------------------------------------------------------------------------------------------------------

def test_a_template_in_the_workspace_replaces_the_shipped_one(cli, workspace):
    (workspace / "templates").mkdir()
    (workspace / "templates" / "granskningsrapport.md.j2").write_text("# {{ title }} ({{ assessment }})\n", encoding="utf-8")
    assert cli("review-report", CHECKLIST_REVIEW, "--format", "md", cwd=workspace).code == 0
    assert (workspace / "out" / f"granskningsrapport-{CHECKLIST_REVIEW}.md").read_text(encoding="utf-8") == \
        f"# Granskning av {PROVIDERS[REVIEWS[CHECKLIST_REVIEW]['Utförar-ID']]['Namn']} (Med anmärkning)\n"


def test_every_value_the_word_template_uses_is_in_the_context(cli, workspace, monkeypatch):
    from docxtpl import DocxTemplate
    from jinja2 import Environment, meta

    from followup_cli.reviews import review_report

    contexts = []
    real = review_report.review_report
    monkeypatch.setattr(review_report, "review_report", lambda *a, **k: contexts.append(real(*a, **k)) or contexts[-1])
    assert cli("review-report", CHECKLIST_REVIEW, "--format", "md", cwd=workspace).code == 0
    used = DocxTemplate(ROOT / "templates" / "granskningsrapport.docx").get_undeclared_template_variables()
    assert {"facts", "areas", "actions", "earlier", "events"} <= used
    assert used <= contexts[0].context.keys(), used - contexts[0].context.keys()
    markdown = (ROOT / "templates" / "granskningsrapport.md.j2").read_text(encoding="utf-8")
    assert not meta.find_undeclared_variables(Environment().parse(markdown)) - used


def test_the_committed_word_template_holds_what_the_script_makes():
    script = template_script("make_review_template")

    def texts(source):
        document = Document(source)
        cells = [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
        section = document.sections[0]
        return [p.text for p in [*section.header.paragraphs, *document.paragraphs, *section.footer.paragraphs]] + cells

    assert texts(io.BytesIO(script.build())) == texts(ROOT / "templates" / "granskningsrapport.docx"), \
        "run python scripts/make_review_template.py and commit templates/granskningsrapport.docx"


def test_the_key_structure_check_template_uses_is_the_real_context(cli, workspace, monkeypatch):
    from followup_cli.publish.review_report import review_report_keys
    from followup_cli.publish.template_check import merge, shape
    from followup_cli.reviews import review_report

    contexts = []
    real = review_report.review_report
    monkeypatch.setattr(review_report, "review_report", lambda *a, **k: contexts.append(real(*a, **k)) or contexts[-1])
    _add_header(workspace / "checklists" / f"{CHECKLIST_REVIEW}.xlsx", "Styrkor", "Engagerad personal.")
    for review in (CHECKLIST_REVIEW, REGISTER_REVIEW):  # between them every list has an element
        assert cli("review-report", review, "--format", "md", cwd=workspace).code == 0
    actual = shape({})
    for report in contexts:
        actual = merge(actual, shape(report.context))
    assert actual == shape(review_report_keys())
    for name in ("granskningsrapport.docx", "granskningsrapport.md.j2", "granskningsrapport.html.j2"):
        result = cli("check-template", ROOT / "templates" / name)
        assert result.code == 0 and result.stdout == "", result.stdout


def test_an_lss_homes_findings_get_levels_on_its_own_scale(cli, workspace):
    """Without a checklist, an LSS home's review areas land on the LSS scale's levels (Finns delvis, Finns ej …),
    the levels followup actions uses, not on the severity words."""
    from followup_cli.reviews.scale import load_assessment

    lss = {pid for pid, p in PROVIDERS.items() if p["Verksamhetsområde"] == "LSS bostad med särskild service"}
    review = next(f["Gransknings-ID"] for f in FINDINGS if f["Utförar-ID"] in lss and f["Allvarlighet"] == "Brist"
                  and f["Gransknings-ID"] not in QUESTIONS)
    assert cli("review-report", review, "--format", "md", "--out", "r.md", cwd=workspace).code == 0
    labels = {lv.label for lv in load_assessment(None).scales["lss"].levels}
    areas = re.findall(r"^### .+: (.+)$", (workspace / "r.md").read_text(encoding="utf-8"), flags=re.M)
    assert areas and set(areas) <= labels, areas
