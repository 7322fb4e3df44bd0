"""`followup check-template`: a user's edited template checked before it meets the data, with where each mistake is."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from docx import Document

from followup_cli.publish.template_check import KINDS, ANY, Items, merge, shape, template_kind

TEMPLATES = ROOT / "templates"
JSON_KEYS = ["name", "where", "line", "part", "paragraph", "table", "row", "column", "text", "note"]


@pytest.mark.parametrize("name", ["plan.docx", "plan.md.j2", "plan.html.j2"])
def test_the_shipped_templates_use_only_what_the_plan_gives(cli, name):
    result = cli("check-template", TEMPLATES / name)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout == "" and "alla värden finns" in result.stderr


def _edited_plan(tmp_path, name="plan_nämnd.docx"):
    document = Document(TEMPLATES / "plan.docx")
    return document, tmp_path / name


def test_a_paragraph_added_in_word_with_an_unknown_value_is_named_with_its_paragraph(cli, tmp_path):
    document, path = _edited_plan(tmp_path)
    document.add_paragraph("Beslutet fattas av {{ nämnd_okänd }} för {{ organisation }}.")
    document.save(path)
    number = len(Document(path).paragraphs)
    result = cli("check-template", path)
    assert result.code == 1
    assert result.stdout == (f"stycke {number} (”Beslutet fattas av {{{{ nämnd_okänd }}}} för {{{{ organisation }}}}.”): "
                             "nämnd_okänd finns inte\n")
    assert "1 värde som dokumentet (plan) inte har" in result.stderr


def test_a_misspelt_value_in_a_table_cell_inside_a_row_loop_is_named_with_its_cell(cli, tmp_path):
    """Table 2 is the per-area table: row 2 opens {%tr for i in area.rows %}, row 3 repeats for each provider."""
    document, path = _edited_plan(tmp_path)
    document.tables[1].rows[2].cells[1].paragraphs[0].add_run(" {{ i.regiform }}")
    document.save(path)
    result = cli("check-template", path, "--json")
    assert result.code == 1
    [missing] = result.json()["missing"]
    assert list(missing) == JSON_KEYS
    assert missing["name"] == "i.regiform" and missing["where"] == "tabell 2, rad 3, kolumn 2"
    assert (missing["table"], missing["row"], missing["column"], missing["paragraph"]) == (2, 3, 2, None)
    assert missing["note"].startswith("i (ett element i area.rows) har provider_id, name")


def test_a_tag_word_split_over_runs_with_curly_quotes_is_read_as_docxtpl_reads_it(cli, tmp_path):
    """Word splits typed text into runs (spelling marks, formatting) and curls quotes; docxtpl joins and straightens
    them before Jinja sees the tag, and so does the check."""
    document, path = _edited_plan(tmp_path)
    paragraph = document.add_paragraph("Regler: ")
    for text in ("{{ rules|jo", "in(”; ”) }} och {{ ti", "tel }}"):
        paragraph.add_run(text).bold = text.startswith("in")
    document.save(path)
    result = cli("check-template", path, "--json")
    assert result.code == 1
    assert [(m["name"], m["paragraph"], m["note"]) for m in result.json()["missing"]] == [
        ("titel", len(Document(path).paragraphs), "menade du title?")]


def test_a_table_inside_a_cell_is_named_by_the_outer_cell(cli, tmp_path):
    document, path = _edited_plan(tmp_path)
    outer = document.add_table(rows=1, cols=2)
    outer.rows[0].cells[1].add_table(rows=1, cols=1).rows[0].cells[0].paragraphs[0].add_run("{{ inre }}")
    document.save(path)
    result = cli("check-template", path)
    assert result.code == 1 and result.stdout == f"tabell {len(document.tables)}, rad 1, kolumn 2 (”{{{{ inre }}}}”): inre finns inte\n"


def test_a_value_in_the_header_is_named_with_the_header(cli, tmp_path):
    document, path = _edited_plan(tmp_path)
    document.sections[0].header.add_paragraph("{{ kommunens_logga }}")
    document.save(path)
    result = cli("check-template", path)
    assert result.code == 1 and re.match(r"sidhuvud, stycke \d+ \(.*\): kommunens_logga finns inte\n$", result.stdout)


def test_a_chart_in_the_header_of_the_report_template_is_named_with_where_to_move_it(cli, tmp_path):
    from docx import Document

    path = tmp_path / "rapport.docx"
    document = Document(TEMPLATES / "rapport.docx")
    document.sections[0].header.add_paragraph("{{ chart_findings }}")
    document.save(path)
    result = cli("check-template", path)
    assert result.code == 1
    assert re.match(r"sidhuvud, stycke \d+ \(.*\): chart_findings finns inte; diagram placeras bara i dokumentets text",
                    result.stdout)
    assert result.stdout.count("\n") == 1  # the shipped template's own charts, in its text, are fine


def test_a_text_template_with_a_misspelt_loop_attribute_is_named_with_its_line(cli, tmp_path):
    path = tmp_path / "plan_egen.md.j2"
    path.write_text("# {{ title }}\n\n{% for area in areas %}\n## {{ area.name }}\n{% for r in area.rows %}\n"
                    "- {{ r.provider_id }} {{ r.namn }}\n{% endfor %}\n{% endfor %}\n", encoding="utf-8")
    result = cli("check-template", path)
    assert result.code == 1
    assert result.stdout == "rad 6 (”- {{ r.provider_id }} {{ r.namn }}”): r.namn finns inte; menade du r.name?\n"


def test_what_a_template_may_do_is_not_reported(cli, tmp_path):
    """Loop variables, set, with, macros and their arguments, default, `is defined`, string and dict methods."""
    path = tmp_path / "plan_egen.html.j2"
    path.write_text(
        "{% macro row(cells, bold=false) %}<tr>{% for c in cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endmacro %}\n"
        "{% set first = areas|first %}{{ first.name|upper }} {{ first.rows|length }}\n"
        "{% for a in areas if a.reviews %}{{ loop.index }}/{{ loop.length }} {{ a.name.lower() }}"
        "{{ row([a.name, a.hours]) }}{% else %}inga{% endfor %}\n"
        "{% with s = schedule %}{% for r in s.rows %}{{ r.cells|join(', ') }}{{ r.cells[loop.index0] }}{% endfor %}"
        "{% endwith %}\n"
        "{{ logo|default('') }}{% if egen is defined %}{{ egen }}{% endif %}\n"
        "{% for k, v in forms.items() %}{{ k }}{{ v }}{% endfor %}{{ areas|map(attribute='name')|join }}\n"
        "{% set ns = namespace(n=0) %}{% for t in themes %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}\n"
        "{% set heading %}{{ title }}{% endset %}{{ heading }}{{ range(3)|list }}{{ areas.0.rows[0].name }}\n",
        encoding="utf-8")
    result = cli("check-template", path)
    assert (result.code, result.stdout) == (0, ""), result.stdout


def test_mistakes_a_reader_would_make_are_each_explained(cli, tmp_path):
    path = tmp_path / "plan_egen.md.j2"
    path.write_text("{{ areas.name }}\n{{ title.text }}\n{% set a = areas|first %}{{ a.nme }}\n"
                    "{{ areas|selectattr('mandatory')|list }}\n{{ titel }}\n", encoding="utf-8")
    result = cli("check-template", path)
    assert result.code == 1
    assert result.stdout.splitlines() == [
        "rad 1 (”{{ areas.name }}”): areas.name finns inte; areas är en lista; ta värdena ur den med {% for … in areas %}",
        "rad 2 (”{{ title.text }}”): title.text finns inte; title är text och har inga delvärden",
        "rad 3 (”{% set a = areas|first %}{{ a.nme }}”): a.nme finns inte; menade du a.name?",
        "rad 4 (”{{ areas|selectattr('mandatory')|list }}”): areas|selectattr('mandatory') finns inte; ett element i "
        "areas har name, reviews, providers, hours, text, rows",
        "rad 5 (”{{ titel }}”): titel finns inte; menade du title?",
    ]


def test_the_json_shape_is_stable_and_empty_when_nothing_is_missing(cli):
    result = cli("check-template", TEMPLATES / "plan.md.j2", "--json")
    assert result.code == 0 and result.json() == {"template": str(TEMPLATES / "plan.md.j2"), "kind": "plan", "missing": []}


@pytest.mark.parametrize(("where", "expected"), [("docx", r"i stycke 8 \("), ("text", r"i rad 2 \(")])
def test_a_broken_tag_is_exit_3_with_its_place(cli, tmp_path, where, expected):
    if where == "docx":
        document, path = _edited_plan(tmp_path)
        document.paragraphs[7].add_run(" {% endif %}")  # the heading Ärende: an endif without its if
        document.save(path)
    else:
        path = tmp_path / "plan_egen.md.j2"
        path.write_text("# {{ title }}\n{% for a in areas %}{{ a.name }}\n", encoding="utf-8")
    result = cli("check-template", path)
    assert result.code == 3 and result.stdout == ""
    assert re.search(f"Mallen {path.name} har ett fel i en tagg {expected}", result.stderr), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "content", "sentence"), [
    ("plan_trasig.docx", b"PK\x03\x04inte ett dokument", "går inte att öppna som Word-dokument"),
    ("plan.md.j2", b"\xff\xfe# rubrik", "är inte text i UTF-8"),
    ("plan_saknas.docx", None, "finns inte"),
])
def test_an_unreadable_template_is_exit_3_with_a_sentence(cli, tmp_path, name, content, sentence):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = cli("check-template", path)
    assert result.code == 3 and sentence in result.stderr and "Traceback" not in result.stderr


def test_no_template_is_exit_2_with_an_example(cli):
    result = cli("check-template")
    assert result.code == 2 and result.stderr == ("followup: Ange mallen att kontrollera, t.ex. followup check-template "
                                                  "templates/plan.docx.\n")


def test_a_template_of_no_known_kind_is_exit_2_naming_the_prefixes_and_kind(cli, tmp_path):
    path = tmp_path / "brev.md.j2"
    path.write_text("{{ title }}\n", encoding="utf-8")
    result = cli("check-template", path)
    assert result.code == 2 and "plan…" in result.stderr and "--kind" in result.stderr
    assert cli("check-template", path, "--kind", "plan").code == 0
    assert cli("check-template", path, "--kind", "faktura").code == 2


def test_a_new_kind_is_one_registration_found_by_its_file_name(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(KINDS, "reminder", KINDS.get("reminder"))  # restored afterwards, whatever is registered
    template_kind("reminder", prefix="paminnelse")(lambda: {"provider": {"name": "x"}, "actions": [{"deadline": "d"}]})
    path = tmp_path / "Påminnelse egen.md.j2"  # å or a, space or underscore: the name's start is what counts
    path.write_text("{{ provider.name }}\n{% for a in actions %}{{ a.deadline }} {{ a.dedline }}{% endfor %}\n",
                    encoding="utf-8")
    result = cli("check-template", path)
    assert result.code == 1 and re.fullmatch(r"rad 2 \(”.*”\): a\.dedline finns inte; menade du a\.deadline\?\n", result.stdout)


# --- the plan's key structure is the real context's -----------------------------------------------------------------

def _paths(structure, prefix="") -> set[str]:
    """Every key path of a structure ('areas[].rows[].name'); a list whose elements are unknown ends its path."""
    if isinstance(structure, dict):
        return {p for k, v in structure.items() for p in {prefix + k} | _paths(v, prefix + k + ".")}
    if isinstance(structure, Items):
        return {prefix + "[]"} if structure.item is ANY else _paths(structure.item, prefix[:-1] + "[].")
    return set()


def test_the_plans_key_structure_is_every_audiences_real_context(cli, workspace, monkeypatch):
    """plan_context_keys is what check-template holds a plan template to: it must be exactly what plan_context
    gives the templates, in all three audiences together (a list empty in the example cannot show its keys)."""
    from followup_cli.publish import plan_document

    contexts = []
    real = plan_document.plan_context
    monkeypatch.setattr(plan_document, "plan_context", lambda *a: contexts.append(real(*a)) or contexts[-1])
    for audience in ("board", "internal", "public"):
        assert cli("plan", "--year", "2026", "--audience", audience, "--format", "md", cwd=workspace).code == 0
    actual = shape({})
    for context in contexts:
        actual = merge(actual, shape(context))
    declared = _paths(shape(plan_document.plan_context_keys()))
    unknown = {p[:-3] for p in _paths(actual) if p.endswith(".[]")}  # lists empty in the example: keys unseen
    found = _paths(actual) - {u + ".[]" for u in unknown}
    assert found <= declared, found - declared
    assert {p for p in declared - found if not any(p.startswith(u) for u in unknown)} == set()


def test_shipping_a_copied_template_in_the_workspace_is_checked_the_same(cli, workspace):
    own = workspace / "templates"
    own.mkdir()
    shutil.copy(TEMPLATES / "plan.html.j2", own / "plan.html.j2")
    text = (own / "plan.html.j2").read_text(encoding="utf-8").replace("{{ organisation }}", "{{ organisatin }}", 1)
    (own / "plan.html.j2").write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "organisatin" in t)
    result = cli("check-template", "templates/plan.html.j2", cwd=workspace)
    assert result.code == 1 and re.fullmatch(f"rad {line} \\(”.*organisatin.*”\\): organisatin finns inte; menade du "
                                             "organisation\\?\n", result.stdout), result.stdout


def test_check_template_json_is_the_library_result(cli, tmp_path):
    from followup_cli import api

    path = tmp_path / "mall.md.j2"
    path.write_text("{% for t in themes %}{{ t.nmae }}{% endfor %}\n", encoding="utf-8")
    result = cli("check-template", path, "--kind", "plan", "--json")
    check = api.check_template(path, kind="plan")
    assert result.code == 1 and result.json() == check.as_dict()
    assert [m.name for m in check.missing] == ["t.nmae"] and check.missing[0].location.line == 1


# --- the annual report's templates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["rapport.docx", "rapport.md.j2", "rapport.html.j2"])
def test_the_shipped_report_templates_use_only_what_the_report_gives(cli, name):
    result = cli("check-template", TEMPLATES / name)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout == "" and "(report)" in result.stderr


def test_a_misspelt_value_in_an_edited_report_docx_is_named_with_its_paragraph(cli, tmp_path):
    document = Document(TEMPLATES / "rapport.docx")
    number, paragraph = next((n, p) for n, p in enumerate(document.paragraphs, start=1)
                             if p.text == "{{ scope.sources_text }}")
    paragraph.runs[0].text = "{{ scope.source_text }}"
    path = tmp_path / "rapport_egen.docx"
    document.save(path)
    result = cli("check-template", path)
    assert result.code == 1
    assert result.stdout == (f"stycke {number} (”{{{{ scope.source_text }}}}”): scope.source_text finns inte; "
                             "menade du scope.sources_text?\n")
    assert "(report)" in result.stderr


def test_the_reports_key_structure_is_the_real_context_and_its_charts(cli, workspace):
    """report_context_keys is exactly what `followup report --format json` gives on the example (with the year's
    plan, so the plan section is full), plus the charts report_document adds: chart_NAME for Word, charts.NAME
    for HTML, one per chart report_charts can draw."""
    from followup_cli.publish.report_charts import chart_names
    from followup_cli.publish.report_keys import report_context_keys

    assert cli("plan", "--year", "2025", "--as-of", "2024-12-31", "--format", "xlsx", "-q", cwd=workspace).code in (0, 1)
    result = cli("report", "--format", "json", "--date", "2026-02-15", cwd=workspace)
    assert result.code == 0, result.stderr
    declared = _paths(shape(report_context_keys()))
    charts = {f"chart_{n}" for n in chart_names()} | {"charts"} | {f"charts.{n}" for n in chart_names()}
    assert charts <= declared, charts - declared
    found = {p for p in _paths(shape(result.json())) if p != "plan.remaining.[]"}  # empty in the annual report
    assert found - declared == set()
    others = {"audience", "period", "as_of", "kind", "suppression_note", "detail", "plan.remaining",
              "ownership.rows[].raw", "survey.rows[].respondents_raw"}  # the other readers' and the interim report's
    assert {p for p in declared - charts - found if not any(p == o or p.startswith(o + ".") or p.startswith(o + "[]")
                                                            for o in others)} == set()


def test_finding_the_kinds_loads_no_data_library():
    """check-template reads a template, no data: importing every publish module to find the kinds must not load
    pandas (plan/rules.py and reviews/checklist_draft.py import it inside their functions)."""
    code = ("import json, sys\nfrom followup_cli.publish.template_check import registered_kinds\n"
            "kinds = sorted(registered_kinds())\n"
            "print(json.dumps([kinds, [m for m in ('pandas', 'numpy', 'openpyxl', 'matplotlib', 'docxtpl') if m in sys.modules]]))")
    kinds, heavy = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert {"plan", "report"} <= set(kinds) and heavy == []


def test_every_kind_the_help_offers_is_one_the_checker_knows():
    from followup_cli.cli.check_template import KINDS
    from followup_cli.publish.template_check import registered_kinds

    assert sorted(KINDS) == sorted(registered_kinds())
