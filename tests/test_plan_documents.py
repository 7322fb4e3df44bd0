"""The plan's tjänsteskrivelse in docx, md and html, read the way a board member or a web visitor would read it."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import EXAMPLES, ROOT, run_followup, template_script
from docx import Document
from openpyxl import load_workbook

from followup_cli.swedish import hours as swedish_hours

YEAR = 2026
TRICKY = "Hemtjänst Söder & Co <Syd>"  # HT-002, planned in the example: "&" and "<" must survive every format
SECTIONS = ["Förslag till beslut", "Ärende", "Bakgrund", "Nämndens uppföljningsansvar", "Vad som följs upp",
            "Former och metoder", "Särskilda granskningsområden", "Tidplan", "Kapacitet", "Likställd uppföljning",
            "Utförare som inte ingår i planen", "Återkoppling av resultat"]
INTERNAL_ONLY = {"Kapacitet", "Utförare som inte ingår i planen"}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november"]
MONTHS_CAP = [m.capitalize() for m in MONTHS + ["december"]]  # the document's date is in December: not checked in public


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """The example workspace, copied, with one planned provider renamed to text that needs escaping."""
    folder = tmp_path_factory.mktemp("plan-docs") / "ws"
    shutil.copytree(EXAMPLES, folder)
    book = load_workbook(folder / "register.xlsx")
    sheet = book["Utförare"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "HT-002")
    row[1].value = TRICKY
    book.save(folder / "register.xlsx")
    return folder


@pytest.fixture(scope="module")
def out(ws):
    """Every document the tests read, made once by the CLI."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ws)
        runs = {  # the documents are dated as a board's December meeting would date them
            "json": ["--json", "--out", "plan.json"],
            "md": ["--format", "md", "--audience", "internal", "--out", "plan.md"],
            "html": ["--format", "html", "--audience", "internal", "--out", "plan.html"],
            "docx": ["--format", "docx"],  # the board's (the default), no --out: the workspace's out/ folder
            "nämnd_md": ["--format", "md", "--out", "namnd.md"],
            "nämnd_html": ["--format", "html", "--out", "namnd.html"],
            "public_json": ["--json", "--audience", "public", "--out", "public.json"],
            "public_md": ["--format", "md", "--audience", "public", "--out", "public.md"],
            "public_html": ["--format", "html", "--audience", "public", "--out", "public.html"],
            "public_docx": ["--format", "docx", "--audience", "public"],
            "board_json": ["--json", "--board", "Omsorgsnämnden", "--out", "board.json"],
            "board_md": ["--format", "md", "--board", "omsorgsnämnden", "--out", "board.md"],
        }
        for name, args in runs.items():
            assert run_followup("plan", "--year", YEAR, "--date", "2025-12-31", *args) == 0, name
    return ws


def _json(out, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def _sections(markdown: str, level: str = "## ") -> dict[str, str]:
    """Heading → the text below it, up to the next heading of the same level or higher."""
    parts = re.split(rf"^{level}(.+)$", markdown, flags=re.M)
    found = {}
    for title, body in zip(parts[1::2], parts[2::2]):
        found[title.strip()] = re.split(r"^#{1,%d} " % (len(level) - 1), body, flags=re.M)[0]
    return found


def _table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in a text (not the header or the --- line)."""
    rows, previous = [], ""
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---") and previous.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        previous = line
    return [r for r in rows if not set("".join(r)) <= set("-:")]


def _docx_text(path) -> str:
    doc = Document(path)
    parts = [t.text or "" for t in doc.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def _html_text(html: str) -> str:
    import html as lib

    return lib.unescape(re.sub(r"<[^>]+>", " ", html))


# --- the internal document ------------------------------------------------------------------------------------------

def test_the_markdown_has_every_section_in_the_order_of_a_tjansteskrivelse(out):
    md = (out / "plan.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == SECTIONS
    assert re.search(r"^# Uppföljningsplan 2026$", md, flags=re.M)
    assert "Datum: 31 december 2025 · Dnr: SN 2025/214" in md
    assert "1. Socialnämnden och omsorgsnämnden fastställer uppföljningsplanen för 2026" in md
    assert md.rstrip().endswith("Maria Ek, kvalitetsstrateg")


def test_every_planned_review_is_listed_under_its_service_area_with_its_month(out):
    plan = _json(out, "plan.json")
    md = (out / "plan.md").read_text(encoding="utf-8")
    areas = _sections(_sections(md)["Vad som följs upp"], "### ")
    expected_areas = {i["service_area"] for i in plan["items"]}
    assert set(areas) == expected_areas
    for area, text in areas.items():
        rows = _table_rows(text)
        items = [i for i in plan["items"] if i["service_area"] == area]
        assert len(rows) == len(items), area
        for item in items:
            month = MONTHS_CAP[int(item["month"][5:]) - 1]
            assert any(r[0].startswith(item["provider_id"] + " ") and r[3] == month and item["review_type"] in r[2]
                       for r in rows), (area, item["provider_id"])
        providers = len({i["provider_id"] for i in items})
        reviews = "1 granskning" if len(items) == 1 else f"{len(items)} granskningar"
        assert f"{reviews} hos {providers} utförare" in text


def test_the_numbers_in_the_text_are_the_plans_numbers(out):
    plan = _json(out, "plan.json")
    sections = _sections((out / "plan.md").read_text(encoding="utf-8"))
    items = plan["items"]
    mandatory = sum(i["mandatory"] for i in items)
    hours = sum(i["hours"] for i in items)
    summary = sections["Ärende"]
    assert f"Planen omfattar {len(items)} granskningar hos {len({i['provider_id'] for i in items})} utförare" in summary
    assert f"sammanlagt {swedish_hours(hours)} timmar" in summary
    assert f"{mandatory} av granskningarna ({round(mandatory / len(items) * 100)}\u00a0%) är obligatoriska" in summary

    capacity = {r[0]: r for r in _table_rows(sections["Kapacitet"])}
    for unit in plan["capacity"]:
        row = capacity[unit["unit"]]
        assert (row[1], row[4]) == (swedish_hours(unit["configured"]), swedish_hours(unit["used"]))
    assert "Kapaciteten räcker för alla obligatoriska uppföljningar." in sections["Kapacitet"]

    schedule = _table_rows(sections["Tidplan"])
    assert schedule[-1][0] == "**Totalt**"
    assert schedule[-1][-1] == f"{len(items)} ({swedish_hours(hours)} h)"
    march = next(r for r in schedule if r[0] == "Mars")
    assert march[-1].startswith(f"{sum(1 for i in items if i['month'] == '2026-03')} (")

    forms = _table_rows(sections["Former och metoder"])
    for method in {i["method"] for i in items}:
        row = next(r for r in forms if r[0] == method and len(r) == 3)  # the method table, not the type × method one
        assert int(row[1]) == sum(1 for i in items if i["method"] == method)


def test_providers_left_out_are_listed_and_an_excluded_mandatory_one_is_said_plainly(out):
    plan = _json(out, "plan.json")
    section = _sections((out / "plan.md").read_text(encoding="utf-8"))["Utförare som inte ingår i planen"]
    rows = _table_rows(section)
    assert len(rows) == len(plan["not_selected"])
    excluded = [n for n in plan["not_selected"] if n["mandatory"] and n["excluded"]]
    assert excluded, "the example excludes a mandatory follow-up (LSS-005)"
    warning = section.split("| Utförare")[0]
    assert "Obligatoriska uppföljningar som inte ingår" in warning
    for n in excluded:
        assert n["provider_id"] in warning
        assert any(r[0].startswith(n["provider_id"]) and r[3] == "Ja – exkluderad" for r in rows)


def test_the_word_document_has_the_headings_and_real_tables(out):
    path = out / "out" / f"plan-{YEAR}.docx"
    plan = _json(out, "plan.json")
    doc = Document(path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Uppföljningsplan 2026"
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    assert set(headings) >= {i["service_area"] for i in plan["items"]}

    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    area_rows = [r for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Utförare", "Regiform"] for r in t.rows[1:]]
    assert len(area_rows) == len(plan["items"])
    assert {r.cells[0].text.split("\n")[0] for r in area_rows} == {i["provider_id"] for i in plan["items"]}
    schedule = tables["Kvartal"]  # the board's document: quarters, not months
    assert [c.text for c in schedule.rows[0].cells][1:-1] == [c["unit"] for c in plan["capacity"]]
    assert len(schedule.rows) == 1 + 4 + 1
    assert [c.text for c in tables["Resultat från"].rows[0].cells] == ["Resultat från", "Utförare", "Nämnd", "Internt", "Allmänheten"]
    assert len(tables["Resultat från"].rows) == 1 + 6
    text = _docx_text(path)
    assert "{{" not in text and "{%" not in text
    assert "Exempelkommun" in doc.sections[0].header.paragraphs[0].text
    assert "Dnr SN 2025/214" in text


def test_ampersand_and_angle_brackets_in_a_name_survive_every_format(out):
    assert TRICKY in _docx_text(out / "out" / f"plan-{YEAR}.docx")
    assert "Grönt & Skönt Daglig verksamhet AB" in _docx_text(out / "out" / f"plan-{YEAR}.docx")
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert "Hemtjänst Söder &amp; Co &lt;Syd&gt;" in html and "<Syd>" not in html
    md = (out / "plan.md").read_text(encoding="utf-8")
    assert "Hemtjänst Söder & Co \\<Syd\\>" in md
    assert "Hemtjänst Söder &amp; Co &lt;Syd&gt;" in _rendered_markdown(md)


def _rendered_markdown(md: str) -> str:
    """The Markdown as a renderer (CommonMark, as GitHub and most wikis) turns it into HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(md)


def test_markdown_special_characters_in_data_render_as_written():
    from followup_cli.publish.render import markdown_escape as _markdown_escape

    for name in ("Omsorg & Vård <Syd> AB", "Vård &copy; Omsorg", "A | B", "*Stjärnan* #1", "&lt;b&gt;", "&#169;", "A &B; C"):
        html = _rendered_markdown(f"| Utförare |\n|---|\n| {_markdown_escape(name)} |\n")
        cell = re.search(r"<td>(.*)</td>", html).group(1)
        assert cell == name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), (name, html)


def test_the_html_is_one_printable_swedish_page(out):
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<style>" in html and "@page" in html
    assert not re.search(r"<(link|script|img)\b", html)
    assert [h for h in re.findall(r"<h2>(.+?)</h2>", html)] == SECTIONS


# --- the public version ---------------------------------------------------------------------------------------------

def _public_texts(out) -> dict[str, str]:
    return {"md": (out / "public.md").read_text(encoding="utf-8"),
            "html": _html_text((out / "public.html").read_text(encoding="utf-8")),
            "docx": _docx_text(out / "out" / f"plan-{YEAR}-allmanhet.docx")}


def test_the_public_versions_name_no_provider_no_unit_and_no_month(out):
    plan = _json(out, "plan.json")
    names = {i["name"] for i in plan["items"]} | {n["name"] for n in plan["not_selected"]}
    ids = {i["provider_id"] for i in plan["items"]} | {n["provider_id"] for n in plan["not_selected"]}
    units = {c["unit"] for c in plan["capacity"]}
    for fmt, text in _public_texts(out).items():
        folded = text.replace("\\", "")
        for value in names | units:
            assert value not in folded, (fmt, value)
        for pid in ids:
            assert not re.search(rf"(?<![\w-]){re.escape(pid)}(?![\w-])", folded), (fmt, pid)
        assert not re.search(rf"{YEAR}-(0[1-9]|1[0-2])", text), fmt
        assert not re.search(rf"\b({'|'.join(MONTHS)})\b", text, flags=re.I), fmt


def test_the_public_counts_are_the_public_summarys_and_never_small(out):
    summary = _json(out, "public.json")
    md = (out / "public.md").read_text(encoding="utf-8")
    sections = _sections(md)
    assert [h for h in sections] == [s for s in SECTIONS if s not in INTERNAL_ONLY]
    hidden = f"färre än {summary['min_count']}"
    for section, key in (("Vad som följs upp", "by_service_area"), ("Tidplan", "by_quarter")):
        rows = _table_rows(sections[section])
        shown = {r[0]: r[1] for r in rows}
        assert {k: v for k, v in shown.items() if k != "Totalt"} == {r["label"]: str(r["count"]) for r in summary[key]}
    for row in _table_rows(md):
        for cell in row[1:]:
            if re.fullmatch(r"\d+", cell):
                assert int(cell) >= summary["min_count"], row
    assert hidden in md
    docx = _public_texts(out)["docx"]
    assert "Version för allmänheten" in docx and hidden in docx


# --- one board ------------------------------------------------------------------------------------------------------

def test_board_narrows_the_document_to_that_boards_providers(out):
    plan, board = _json(out, "plan.json"), _json(out, "board.json")
    md = (out / "board.md").read_text(encoding="utf-8")
    assert "1. Omsorgsnämnden fastställer uppföljningsplanen för 2026" in md
    assert "Planen gäller de utförare som hör till Omsorgsnämnden." in md
    for item in board["items"]:
        assert f"| {item['provider_id']} " in md
    others = {i["provider_id"] for i in plan["items"] if i["board"] != "Omsorgsnämnden"}
    assert others
    for pid in others:
        assert f"| {pid} " not in md
    assert f"Planen omfattar {len(board['items'])} granskningar" in md


# --- the templates --------------------------------------------------------------------------------------------------

def _template_texts(source) -> list[str]:
    """Every paragraph of a Word file (body, table cells, header, footer) in order: the tags and texts it holds."""
    document = Document(source)
    section = document.sections[0]
    cells = [p for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return [p.text for p in [*section.header.paragraphs, *document.paragraphs, *cells, *section.footer.paragraphs]]


def test_the_committed_word_template_holds_what_the_script_makes():
    """By content, not bytes: another python-docx may zip or order the parts differently without changing a tag."""
    import io

    script = template_script("make_plan_template")
    assert _template_texts(io.BytesIO(script.build())) == _template_texts(ROOT / "templates" / "plan.docx"), \
        "run python scripts/make_plan_template.py and commit templates/plan.docx"


def test_every_value_the_word_template_uses_is_in_the_documents_context(cli, workspace, monkeypatch):
    """A tag naming a value the context lacks would stop every docx plan; one the md template has and Word lacks
    would leave the board without it."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, meta

    from followup_cli.publish import plan_document

    contexts = []
    real = plan_document.plan_context
    monkeypatch.setattr(plan_document, "plan_context", lambda *a: contexts.append(real(*a)) or contexts[-1])
    for audience in ("internal", "public"):
        assert cli("plan", "--year", YEAR, "--audience", audience, "--format", "md", cwd=workspace).code == 0
    internal, public = contexts
    used = DocxTemplate(ROOT / "templates" / "plan.docx").get_undeclared_template_variables()
    assert {"title", "areas", "schedule", "by_quarter", "total"} <= used  # the scan reads the tags
    assert used <= internal.keys() | public.keys(), used - internal.keys() - public.keys()
    markdown = (ROOT / "templates" / "plan.md.j2").read_text(encoding="utf-8")
    shown_in_markdown = meta.find_undeclared_variables(Environment().parse(markdown))
    assert not shown_in_markdown - used, "values the Markdown shows and the Word template does not"


def test_an_edited_template_with_a_mistake_gets_a_sentence_naming_it(cli, workspace):
    (workspace / "templates").mkdir()
    (workspace / "templates" / "plan.md.j2").write_text("# {{ title }}\n\n{{ utforare }}\n", encoding="utf-8")
    result = cli("plan", "--year", "2026", "--format", "md", cwd=workspace)
    assert result.code == 3 and result.stdout == ""
    assert re.search(r"plan\.md\.j2 \(rad 3\).*utforare", result.stderr) and "Traceback" not in result.stderr


def test_a_template_in_the_workspace_replaces_the_shipped_one(cli, workspace):
    (workspace / "templates").mkdir()
    (workspace / "templates" / "plan.md.j2").write_text("# {{ title }} – egen mall för {{ organisation }}\n", encoding="utf-8")
    own = cli("plan", "--year", "2026", "--format", "md", cwd=workspace)
    assert own.code == 0 and own.stdout == "# Uppföljningsplan 2026 – egen mall för Exempelkommun\n"
    shipped = cli("plan", "--year", "2026", "--format", "html", cwd=workspace)  # no own html template: the shipped one
    assert shipped.code == 0 and "<html" in shipped.stdout


# --- audiences, date, agreement, equal treatment --------------------------------------------------------------------

def test_the_boards_document_shows_each_visits_quarter_and_never_its_month(out):
    """The board's version is published with the agenda: unannounced visits must not show their month."""
    plan = _json(out, "plan.json")
    md = (out / "namnd.md").read_text(encoding="utf-8")
    body = md.split("## Ärende", 1)[1]  # the header's date is a month name of its own
    html = _html_text((out / "namnd.html").read_text(encoding="utf-8")).split("Ärende", 1)[1]
    docx = _docx_text(out / "out" / f"plan-{YEAR}.docx").split("Ärende", 1)[1]
    for text in (body, html, docx):
        text = re.sub(r"\d{1,2} \w+ \d{4}", "", text)  # dates ("per 31 december 2025") are not visits
        assert not [m for m in MONTHS_CAP if re.search(rf"\b{m}\b", text, flags=re.I)]
    areas = _sections(_sections(md)["Vad som följs upp"], "### ")
    for item in plan["items"]:
        quarter = f"Kvartal {(int(item['month'][5:]) - 1) // 3 + 1}"
        rows = _table_rows(areas[item["service_area"]])
        assert any(r[0].startswith(item["provider_id"] + " ") and r[3] == quarter for r in rows), item["provider_id"]
    schedule = _table_rows(_sections(md)["Tidplan"])
    assert [r[0] for r in schedule] == ["Kvartal 1", "Kvartal 2", "Kvartal 3", "Kvartal 4", "**Totalt**"]
    assert "kvartal 1–2" in _sections(md)["Särskilda granskningsområden"]  # the theme's months March–May


def test_show_months_to_board_gives_the_board_the_months(cli, workspace):
    config = workspace / "followup.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("plan:\n", "plan:\n  show_months_to_board: true\n", 1),
                      encoding="utf-8")
    md = cli("plan", "--year", YEAR, "--format", "md", "--date", "2025-12-15", cwd=workspace).stdout
    assert "| Månad |" in md and "| Mars |" in md and "Kvartal 1" not in md


@pytest.mark.parametrize("args", [("--audience", "board", "--format", "xlsx"), ("--audience", "public", "--format", "xlsx"),
                                  ("--audience", "board", "--format", "ics"), ("--audience", "board", "--json"),
                                  ("--audience", "nämnden", "--format", "md")])
def test_the_workbook_and_calendar_are_internal_only(cli, workspace, args):
    result = cli("plan", "--year", YEAR, *args, cwd=workspace)
    assert result.code == 2 and "--audience" in result.stderr and "Traceback" not in result.stderr
    assert not (workspace / "out" / f"plan-{YEAR}.xlsx").exists()


def test_the_document_date_is_date_else_the_setting_else_today(cli, workspace):
    import datetime as dt

    from followup_cli.swedish import swedish_date

    def dated(*args) -> str:
        md = cli("plan", "--year", YEAR, "--format", "md", *args, cwd=workspace).stdout
        return re.search(r"^Datum: (.+?)(?: ·|$)", md, flags=re.M).group(1)

    assert dated("--date", "2026-01-20") == "20 januari 2026"
    assert dated() == swedish_date(dt.date.today())  # not the as-of day, New Year's Eve
    config = workspace / "followup.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  document:", "  document:\n    date: 2025-11-30", 1),
                      encoding="utf-8")
    assert dated() == "30 november 2025"
    assert dated("--date", "2026-01-20") == "20 januari 2026"
    bad = cli("plan", "--year", YEAR, "--format", "md", "--date", "20/1", cwd=workspace)
    assert bad.code == 2 and "--date" in bad.stderr


def test_one_excluded_mandatory_review_is_said_in_the_singular(out, cli, workspace):
    """LSS-005 is the example's only excluded mandatory follow-up."""
    md = (out / "plan.md").read_text(encoding="utf-8")
    assert "1 obligatorisk uppföljning har exkluderats" in md and "1 obligatoriska" not in md
    result = cli("plan", "--year", YEAR, "--json", cwd=workspace)
    assert "1 obligatorisk exkluderad (LSS-005)" in result.stderr and "obligatoriska exkluderade" not in result.stderr


def test_the_equal_treatment_table_counts_methods_and_hours_per_regiform_and_no_theme_as_a_follow_up(out):
    plan = _json(out, "plan.json")
    expected = {}
    for o in plan["ownership"]:
        items = [i for i in plan["items"] if i["ownership"] == o["ownership"]]
        reviews = [i for i in items if not i["theme"]]
        expected[o["ownership"]] = {"Aktiva utförare": str(o["providers"]),
                                    "Uppföljda": str(len({i["provider_id"] for i in reviews})),
                                    "Tema": str(len(items) - len(reviews)),
                                    "Timmar": f"{sum(i['hours'] for i in reviews):g}",
                                    **{m: str(sum(1 for i in reviews if i["method"] == m)) for m in {i["method"] for i in plan["items"]}}}
    assert any(not i["theme"] for i in plan["items"]) and any(i["theme"] for i in plan["items"])
    doc = Document(out / "out" / f"plan-{YEAR}.docx")
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["Regiform", "Aktiva utförare", "Uppföljda"])
    header = [c.text for c in table.rows[0].cells]
    found = {r.cells[0].text: dict(zip(header, [c.text for c in r.cells])) for r in table.rows[1:]}
    assert found.keys() == expected.keys()
    for owner, values in expected.items():
        assert {k: found[owner][k] for k in values} == values, owner
    md_rows = {r[0]: r for r in _table_rows(_sections((out / "namnd.md").read_text(encoding="utf-8"))["Likställd uppföljning"])}
    assert {o: md_rows[o][1:3] for o in expected} == {o: [v["Aktiva utförare"], v["Uppföljda"]] for o, v in expected.items()}
