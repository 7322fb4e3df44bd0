"""`followup report`: the annual report to the board, read as a board member reads it (the Word text), checked
against the register counted here on its own, and its unhappy paths (privacy, no data, no LibreOffice)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from conftest import EXAMPLES, ROOT, run_followup, template_script, word_text
from docx import Document
from openpyxl import load_workbook

TRICKY = "Omsorg & Vård <Syd> AB"
YEAR = 2025


def _rename(folder, provider_id, name):
    book = load_workbook(folder / "register.xlsx")
    row = next(r for r in book["Utförare"].iter_rows(min_row=2) if r[0].value == provider_id)
    row[1].value = name
    book.save(folder / "register.xlsx")


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """The example workspace with the year's plan written (as the README's main command does) and one reviewed
    provider renamed to text that needs escaping."""
    folder = tmp_path_factory.mktemp("report") / "ws"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("out"))
    _rename(folder, "HT-001", TRICKY)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        assert run_followup("plan", "--year", YEAR, "--as-of", f"{YEAR - 1}-12-31", "--format", "xlsx") in (0, 1)
        assert run_followup("report", "--date", "2026-02-15") == 0
        assert run_followup("report", "--format", "json", "--out", "rapport.json", "--date", "2026-02-15") == 0
        assert run_followup("report", "--format", "md", "--out", "rapport.md", "--date", "2026-02-15") == 0
    return folder


@pytest.fixture(scope="module")
def docx_text(ws) -> str:
    return word_text(ws / "out" / f"rapport-{YEAR}.docx")


def _register_counts(folder):
    """The year's reviews and their findings counted straight from the workbook."""
    book = load_workbook(folder / "register.xlsx", read_only=True)
    reviews = {r[0] for r in book["Granskningar"].iter_rows(min_row=2, values_only=True)
               if r[0] and isinstance(r[2], dt.datetime) and r[2].year == YEAR}
    header = [c.value for c in next(book["Brister"].iter_rows(max_row=1))]
    at, severity = header.index("Gransknings-ID"), header.index("Allvarlighet")
    findings = [r[severity] for r in book["Brister"].iter_rows(min_row=2, values_only=True) if r[at] in reviews]
    return reviews, findings


def test_the_numbers_in_the_summary_are_the_registers(ws, docx_text):
    reviews, findings = _register_counts(ws)
    assert f"Under {YEAR} genomfördes {len(reviews)} granskningar" in docx_text
    assert f"De gav {len(findings)} iakttagelser och brister" in docx_text
    assert f"{findings.count('Allvarlig brist')} allvarliga brister" in docx_text
    every_review = [line for line in docx_text.splitlines() if line.startswith(("Kvalitetsgranskning", "Påkallad", "Avtals",
                                                                                 "Uppföljning av tidigare"))]
    assert every_review  # the per-provider tables list the reviews by type


def test_the_sections_of_a_tjansteskrivelse_are_there_in_order(docx_text):
    order = ["Förslag till beslut", "Sammanfattning", "Omfattning och metod", "Planen mot utfallet",
             "Resultat per verksamhetsområde och utförare", "Iakttagelser och brister per område",
             "Egen regi, privata och idéburna utförare", "Brukarundersökningen", "Klagomål, Lex Sarah, Lex Maria och avvikelser",
             "Avstämning av fakturering", "Åtgärder och sanktioner", "Förbättringsområden på systemnivå",
             "Utvärdering av uppföljningen"]
    positions = [docx_text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "noterar informationen" in docx_text
    assert "Planen för 2025 hade" in docx_text


def test_a_name_with_ampersand_and_angle_brackets_comes_out_whole(ws, docx_text):
    assert TRICKY in docx_text
    assert "Omsorg & Vård \\<Syd\\> AB" in (ws / "rapport.md").read_text("utf-8")  # Markdown's escapes: renders whole


def test_the_charts_are_embedded_in_the_word_document(ws):
    doc = Document(ws / "out" / f"rapport-{YEAR}.docx")
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(images) == 4  # risk matrix, findings by area, survey, events
    assert len(doc.inline_shapes) == 4  # each in the text where the template places it
    assert "followup-bild" not in doc.element.body.xml  # no placeholder is left where a picture should be


def test_the_json_is_the_documented_context(ws):
    data = json.loads((ws / "rapport.json").read_text("utf-8"))
    assert data["schema_version"] == 1 and data["year"] == YEAR
    for section in ("scope", "plan", "service_areas", "findings", "ownership", "survey", "events", "billing", "sanctions",
                    "improvement", "risk"):
        assert "empty" in data[section], section
    reviews, findings = _register_counts(ws)
    assert data["numbers"]["reviews"] == len(reviews) and data["numbers"]["findings"] == len(findings)
    assert data["ownership"]["columns"] == ["Egen regi", "Privat", "Idéburen"]
    assert data["improvement"]["yaml"].startswith("plan:\n  themes:")


def test_a_review_is_graded_on_its_own_scale_from_its_findings(ws):
    """Without a registered Bedömning a review is graded from its findings on its service area's scale: one with
    an Allvarlig brist at the scale's gravest level, one with any finding never at its best. (The LSS scale names
    no severities; the example's LSS homes with brister were once reported 'Finns'.)"""
    from followup_cli.reviews.scale import load_assessment

    assessment = load_assessment(None, "followup.yaml")
    data = json.loads((ws / "rapport.json").read_text("utf-8"))
    rows = [(a["name"], r, {s: int(r[s]) for s in ("observation", "deficiency", "serious")})
            for a in data["service_areas"]["areas"] for r in a["rows"]]
    assert [r for area, r, n in rows if area.startswith("LSS") and n["serious"] + n["deficiency"]]  # the example has some
    for area, r, n in rows:
        labels = [lv.label for lv in assessment.scale_for(area).levels]
        if n["serious"]:
            assert r["assessment"] == labels[-1], r
        if sum(n.values()):
            assert r["assessment"] != labels[0], r


def test_the_markdown_themes_block_pastes_as_the_yaml_it_shows(ws):
    """The proposed plan.themes stand in a code block, where Markdown escapes would print: 'service\\_areas' is
    no key followup.yaml knows."""
    import yaml

    data = json.loads((ws / "rapport.json").read_text("utf-8"))
    lines = (ws / "rapport.md").read_text("utf-8").split("(plan.themes i followup.yaml):\n\n", 1)[1].splitlines()
    block = "\n".join(line[4:] for line in lines[:lines.index("")])
    assert data["improvement"]["yaml"] and yaml.safe_load(block) == yaml.safe_load(data["improvement"]["yaml"])


def test_a_lift_from_few_reviews_is_called_uncertain(ws):
    evaluation = json.loads((ws / "rapport.json").read_text("utf-8"))["evaluation"]
    few = any(0 < min(r["raw"]["high_reviews"], r["raw"]["rest_reviews"]) < 10 for r in evaluation["lift"])
    assert evaluation["lift"] and few == ("är lyftet osäkert" in evaluation["lift_text"])


def test_counts_of_few_respondents_are_suppressed_and_marked(ws):
    data = json.loads((ws / "rapport.json").read_text("utf-8"))
    shown = [r["respondents"] for r in data["survey"]["rows"]]
    assert all(s in ("0", "färre än 5*") or int(s.replace("\u00a0", "")) >= 5 for s in shown)
    assert data["survey"]["note"].startswith("* Resultat från")  # the example has units with 3 or 4 respondents


def test_no_free_text_from_findings_or_events_reaches_the_board(ws, docx_text):
    book = load_workbook(ws / "register.xlsx", read_only=True)
    texts = [r[7] for r in book["Brister"].iter_rows(min_row=2, values_only=True) if isinstance(r[7], str)]
    texts += [r[5] for r in book["Händelser"].iter_rows(min_row=2, values_only=True) if isinstance(r[5], str)]
    assert not [t for t in texts if len(t) > 15 and t in docx_text]


def test_the_same_input_gives_the_same_bytes(ws, tmp_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ws)
        for name in ("a.docx", "b.docx"):
            assert run_followup("report", "--date", "2026-02-15", "--out", tmp_path / name) == 0
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_a_personal_number_in_a_name_stops_the_report_naming_the_cell(cli, workspace):
    _rename(workspace, "HT-001", "Anna Berg 19121212-1212")
    result = cli("report", "--out", "r.docx", cwd=workspace)
    assert result.code == 4
    assert "bladet Utförare" in result.stderr and "Namn" in result.stderr and "1212-1212" not in result.stderr
    assert not (workspace / "r.docx").exists()


def test_sections_without_data_say_so_in_one_line(cli, workspace):
    book = load_workbook(workspace / "register.xlsx")
    del book["Brukarundersökning"]
    book.save(workspace / "register.xlsx")
    result = cli("report", "--year", "2030", "--format", "md", cwd=workspace)
    assert result.code == 0, result.stderr
    for line in ("Inga granskningar är registrerade för 2030.", "Ingen brukarundersökning är registrerad för 2030.",
                 "Ingen uppföljningsplan för 2030 angavs", "Ingen fakturering är registrerad för 2030.",
                 "Inga sanktioner beslutades"):
        assert line in result.stdout, line


def test_pdf_without_libreoffice_is_exit_2_saying_how_to_get_it(cli, workspace, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = cli("report", "--format", "pdf", cwd=workspace)
    assert result.code == 2
    assert "LibreOffice" in result.stderr and result.stderr.count("\n") == 1
    assert not list((workspace / "out").glob("*.pdf")) if (workspace / "out").exists() else True


def test_the_committed_word_template_holds_what_the_script_makes():
    import io

    script = template_script("make_report_template")
    assert word_text(io.BytesIO(script.build())) == word_text(ROOT / "templates" / "rapport.docx"), \
        "run python scripts/make_report_template.py and commit templates/rapport.docx"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_has_the_same_bytes_on_every_run(cli, workspace):
    """LibreOffice stamps the time into the PDF's date, id and checksum; the PDF written is the same each run."""
    assert cli("report", "--format", "pdf", "--out", "a.pdf", "--date", "2026-02-01", cwd=workspace).code == 0
    assert cli("report", "--format", "pdf", "--out", "b.pdf", "--date", "2026-02-01", cwd=workspace).code == 0
    first, second = (workspace / "a.pdf").read_bytes(), (workspace / "b.pdf").read_bytes()
    assert first.startswith(b"%PDF-") and first == second
    assert b"/CreationDate(D:20000101000000" in first


def test_a_year_without_data_has_the_same_keys_as_one_with_data(cli, workspace):
    """One documented shape: a user's template that works for one year never meets an undefined value in another."""
    def keys(value, path=""):
        if isinstance(value, dict):
            return {f"{path}.{k}" for k in value} | {p for k, v in value.items() for p in keys(v, f"{path}.{k}")}
        return set()

    full = cli("report", "--format", "json", cwd=workspace)
    empty = cli("report", "--year", "2030", "--format", "json", cwd=workspace)
    assert full.code == 0 and empty.code == 0
    assert keys(json.loads(empty.stdout)) == keys(json.loads(full.stdout))


def test_the_report_and_actions_give_a_finding_the_same_correction_deadline(cli, workspace):
    """One rule for a finding's level and days (its service area's scale, a step up when it recurs), whichever
    command reads it: the staff's report and `followup actions` agree on every finding both show, one without a
    due day (dated from when its plan came in) among them."""
    book = load_workbook(workspace / "register.xlsx")
    sheet = book["Brister"]
    header = [c.value for c in sheet[1]]
    due, came, approved, done = (header.index(h) for h in ("Åtgärdsplan senast", "Åtgärdsplan inkommen",
                                                           "Åtgärdsplan godkänd", "Åtgärdad"))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[came].value and not r[approved].value and not r[done].value
               and r[came].value.year == YEAR and r[header.index("Allvarlighet")].value == "Brist")
    undated, row[due].value = row[0].value, None
    book.save(workspace / "register.xlsx")
    internal = cli("report", "--audience", "internal", "--format", "json", cwd=workspace)
    actions = cli("actions", "--as-of", f"{YEAR + 1}-01-15", "--json", cwd=workspace)
    assert internal.code == 0 and actions.code == 0
    in_report = {f["finding_id"]: f["correct_by"] for f in internal.json()["detail"]["findings"] if f["correct_by"]}
    in_actions = {i["finding_id"]: i["correct_by"] for p in actions.json()["providers"] for i in p["items"] if i["correct_by"]}
    both = in_report.keys() & in_actions.keys()
    assert undated in both and {k: in_report[k] for k in both} == {k: in_actions[k] for k in both}


def test_an_empty_signatory_leaves_the_signature_empty_as_in_the_plan(cli, workspace):
    """`signatory:` left empty in followup.yaml (YAML reads null) is no signatory: not the word None."""
    config = workspace / "followup.yaml"
    config.write_text(config.read_text("utf-8").replace("signatory: Maria Ek, kvalitetsstrateg", "signatory:"), "utf-8")
    assert cli("report", "--year", YEAR, "--out", "r.docx", cwd=workspace).code == 0
    assert "None" not in [p.text for p in Document(workspace / "r.docx").paragraphs]
    assert json.loads(cli("report", "--year", YEAR, "--format", "json", cwd=workspace).stdout)["signatory"] == ""


def test_an_out_file_whose_ending_is_no_format_is_one_sentence_naming_it(cli, workspace):
    result = cli("report", "--out", "rapport.txt", cwd=workspace)
    assert result.code == 2
    assert result.stderr == ("followup: Kan inte avgöra formatet av rapport.txt: ange --format "
                             "(docx, md, html, pdf, json).\n")


def test_a_chart_placed_in_the_page_header_of_an_own_template_is_one_sentence_and_no_file(tmp_path):
    """Charts are placed in the document's text once it is rendered; a template that puts one in a page header is
    told so, rather than printing a placeholder there."""
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("out"))
    (folder / "templates").mkdir()
    document = Document(ROOT / "templates" / "rapport.docx")
    document.sections[0].header.add_paragraph("{{ chart_risk_matrix }}")
    document.save(folder / "templates" / "rapport.docx")
    from followup_cli import api
    from followup_cli.errors import InputError

    ws = api.open_workspace(folder / "followup.yaml")
    with pytest.raises(InputError, match=r"bilden \{\{ chart_risk_matrix \}\} i ett sidhuvud"):
        api.report(ws, year=YEAR, out=folder / "rapport.docx")
    assert not (folder / "rapport.docx").exists()
