"""`followup report` for every reader (issue 12): the same numbers cut for the board, the staff, one provider and the
public; personal numbers stopped or masked wherever a register's free text could carry them; the public version's
hidden counts attacked from its totals; and the interim report's remaining plan."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, word_text
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from followup_cli import api
from followup_cli.errors import PrivacyError
from followup_cli.register.identity import luhn_check_digit

YEAR = 2025
PROVIDER = "HT-002"  # reviewed in 2025, with findings, survey answers and events
SECONDARY = "visas inte"


def _copy(target: Path) -> Path:
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("out"))
    return target


def _report(folder: Path, audience="board", provider=None, fmt="md", **kw):
    ws = api.open_workspace(folder / "followup.yaml")
    return api.report(ws, year=kw.pop("year", YEAR), fmt=fmt, audience=audience, provider=provider, date="2026-02-15", **kw)


def _column(sheet, title: str):
    """The header row and column number of `title` (Händelser has a title row above its headers)."""
    for row in sheet.iter_rows(max_row=5):
        for cell in row:
            if cell.value == title:
                return cell.row, cell.column
    raise AssertionError(title)


def _plant(folder: Path, texts: dict[tuple[str, str], str], rows=None) -> None:
    """Append a text to every cell of each (sheet, column), or only to the rows whose first cell is in `rows`."""
    book = load_workbook(folder / "register.xlsx")
    for (sheet, title), text in texts.items():
        header, col = _column(book[sheet], title)
        for r in range(header + 1, book[sheet].max_row + 1):
            cell = book[sheet].cell(r, col)
            key = book[sheet].cell(r, 1).value
            if key is None or (rows is not None and key not in rows):
                continue
            cell.value = f"{cell.value or ''} {text}".strip()
    book.save(folder / "register.xlsx")


@st.composite
def personnummer(draw) -> str:
    """A valid personal or coordination number (check digit right), in one of the forms people type."""
    day = draw(st.dates(dt.date(1925, 1, 1), dt.date(2012, 12, 31)))
    coordination = draw(st.booleans())
    date6 = f"{day:%y%m}{day.day + (60 if coordination else 0):02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    check = luhn_check_digit(date6 + serial)
    tail = f"{serial}{check}"
    form = draw(st.sampled_from(["long-dash", "short-dash", "long", "short"]))
    century = f"{day:%Y}"[:2]
    return {"long-dash": f"{century}{date6}-{tail}", "short-dash": f"{date6}-{tail}", "long": f"{century}{date6}{tail}",
            "short": f"{date6}{tail}"}[form]


FREE_TEXT = [("Brister", "Beskrivning"), ("Händelser", "Beskrivning"), ("Granskningar", "Granskare"),
             ("Justeringar", "Motivering")]


def _absent(number: str, text: str) -> bool:
    core = re.sub(r"\D", "", number)[-10:]
    return number not in text and core not in re.sub(r"[-+ ]", "", text)


@settings(max_examples=3, deadline=None)
@given(numbers=st.lists(personnummer(), min_size=len(FREE_TEXT), max_size=len(FREE_TEXT)))
def test_personal_numbers_in_every_free_text_are_stopped_or_masked(numbers):
    """Board and public print no free text: they run and hold none of the numbers. The provider's version prints its
    findings' descriptions and its reviewers: it stops (exit 4) naming a cell. The internal version prints them all,
    masked, and says where."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _copy(Path(tmp) / "ws")
        _plant(folder, {field: f"(pnr {n})" for field, n in zip(FREE_TEXT, numbers)})
        for audience in ("board", "public"):
            text = _report(folder, audience).output.data
            assert all(_absent(n, text) for n in numbers), audience
        with pytest.raises(PrivacyError) as stopped:
            _report(folder, "provider", PROVIDER)
        assert stopped.value.exit_code == 4 and ("bladet Brister" in str(stopped.value) or "bladet Granskningar" in str(stopped.value))
        assert all(re.sub(r"\D", "", n)[-4:] + " " not in str(stopped.value) for n in numbers)
        run = _report(folder, "internal")
        assert all(_absent(n, run.output.data) for n in numbers)
        assert run.output.data.count("ÅÅMMDD-XXXX") >= run.context["numbers"]["findings"] + run.context["numbers"]["events"]
        assert run.warnings and "personnummer maskerat" in run.warnings[0]


def test_a_number_in_a_provider_name_stops_every_version_that_names_it(tmp_path):
    folder = _copy(tmp_path / "ws")
    _plant(folder, {("Utförare", "Namn"): "c/o 19121212-1212"}, rows={PROVIDER})
    for audience, provider in (("board", None), ("public", None), ("provider", PROVIDER)):
        with pytest.raises(PrivacyError) as stopped:
            _report(folder, audience, provider, fmt="docx", out=tmp_path / f"{audience}.docx")
        assert "bladet Utförare" in str(stopped.value) and "Namn" in str(stopped.value)
        assert not (tmp_path / f"{audience}.docx").exists()
    run = _report(folder, "internal")
    assert "c/o ÅÅMMDD-XXXX" in run.output.data and "1212-1212" not in run.output.data
    assert "bladet Utförare" in run.warnings[0]


def test_an_email_address_from_the_data_stops_the_report_but_the_settings_are_not_scanned(tmp_path, cli):
    folder = _copy(tmp_path / "ws")
    config = folder / "followup.yaml"
    config.write_text(config.read_text("utf-8").replace("signatory: ", "signatory: kvalitet@exempel.se, "), "utf-8")
    assert "kvalitet@exempel.se" in config.read_text("utf-8")
    assert cli("report", "--year", YEAR, "--format", "md", cwd=folder).code == 0  # the template's (settings') own text
    book = load_workbook(folder / "register.xlsx", read_only=True)
    visits = {r[0] for r in book["Granskningar"].iter_rows(min_row=2, values_only=True)
              if r[1] == PROVIDER and isinstance(r[2], dt.datetime) and r[2].year == YEAR}  # the provider's reviews of the year
    _plant(folder, {("Granskningar", "Granskare"): "anna.berg@exempel.se"}, rows={min(visits)})
    assert cli("report", "--year", YEAR, "--format", "md", cwd=folder).code == 0  # the board prints no reviewers
    result = cli("report", "--year", YEAR, "--audience", "provider", "--provider", PROVIDER, "--out", "p.docx", cwd=folder)
    assert result.code == 4 and "bladet Granskningar" in result.stderr and "e-postadress" in result.stderr
    assert not (folder / "p.docx").exists()


# ---------------------------------------------------------------------------------------------- provider


@pytest.fixture(scope="module")
def full_context():
    """The whole context once; the versions are cut from it as api.report does."""
    ws = api.open_workspace(EXAMPLES / "followup.yaml")
    return api.report(ws, year=YEAR, fmt="json", audience="internal").context


def _providers() -> dict[str, str]:
    book = load_workbook(EXAMPLES / "register.xlsx", read_only=True)
    return {r[0]: r[1] for r in book["Utförare"].iter_rows(min_row=2, values_only=True) if r[0]}


def test_a_provider_version_holds_no_other_providers_name_or_id(full_context):
    from followup_cli.report.audience import for_reader

    names = _providers()
    for pid, name in names.items():
        text = json.dumps(for_reader(full_context, "provider", pid), ensure_ascii=False)
        assert name in text
        for other, other_name in names.items():
            if other == pid:
                continue
            if other_name not in name:
                assert other_name not in text, (pid, other_name)
            assert not re.search(rf"(?<![\w-]){re.escape(other)}(?![\w-])", text), (pid, other)


def test_the_provider_document_is_its_year_beside_the_municipality(tmp_path):
    folder = _copy(tmp_path / "ws")
    run = _report(folder, "provider", PROVIDER, fmt="docx")
    assert run.output.path == folder / "out" / f"rapport-{YEAR}-utforare-{PROVIDER}.docx"
    text = word_text(run.output.path)
    names = _providers()
    assert f"Uppföljning av {names[PROVIDER]} {YEAR}" in text
    for heading in ("Åtgärder som krävs", "Granskningar", "Iakttagelser och brister", "Brukarundersökningen mot kommunen",
                    "Händelser registrerade om utföraren"):
        assert heading in text
    assert not [n for p, n in names.items() if p != PROVIDER and n in text]
    book = load_workbook(folder / "register.xlsx", read_only=True)
    own = [r for r in book["Brister"].iter_rows(min_row=2, values_only=True) if r[1] == PROVIDER and str(r[2]).startswith("G-2025")]
    assert own and all(r[6] in text for r in own)  # its findings with their descriptions
    images = [r for r in Document(run.output.path).part.rels.values() if "image" in r.reltype]
    assert len(images) == 3  # findings, survey against the municipality, events: no heat map of every provider


def test_the_provider_option_is_checked(cli, workspace):
    assert cli("report", "--audience", "provider", cwd=workspace).code == 2
    assert cli("report", "--provider", PROVIDER, cwd=workspace).code == 2
    assert cli("report", "--audience", "everyone", cwd=workspace).code == 2
    result = cli("report", "--audience", "provider", "--provider", "HT-02", cwd=workspace)
    assert result.code == 3 and "HT-002" in result.stderr and result.stderr.count("\n") == 1
    assert not (workspace / "out").exists() or not list((workspace / "out").glob("rapport-*"))


# ---------------------------------------------------------------------------------------------- public


def possible_values(shown: list, total: int, min_count: int) -> list[set[int]]:
    """Every value each hidden cell can take, knowing the total, the shown cells, that a marked one is
    1 … min_count−1 and (the worst case) that a 'visas inte' one is at least min_count: an exhaustive search."""
    hidden = [i for i, v in enumerate(shown) if isinstance(v, str)]
    rest = total - sum(v for v in shown if not isinstance(v, str))
    ranges = [range(min_count, rest + 1) if shown[i] == SECONDARY else range(1, min_count) for i in hidden]
    values = [set() for _ in shown]
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for i, v in zip(hidden, combo):
                values[i].add(v)
    return values


def _count(text):
    return text if isinstance(text, (int, str)) and not str(text).replace("\u00a0", "").isdigit() else int(str(text).replace("\u00a0", ""))


def _attack(shown: list, truth: list[int], m: int) -> bool:
    """True when some hidden small cell is pinned to one value; also checks every hidden cell's truth is possible."""
    options = possible_values(shown, sum(truth), m)
    for i, v in enumerate(shown):
        if isinstance(v, str):
            assert truth[i] in options[i]
            if v != SECONDARY and len(options[i]) == 1:
                return True
    return False


def test_no_hidden_count_of_the_public_version_can_be_worked_out(full_context):
    from followup_cli.report.audience import for_reader

    public = for_reader(full_context, "public")
    m = public["min_count"]
    tables = []
    for column in ("current", "previous"):
        truth = [r[column] for r in full_context["events"]["by_kind"]]
        tables.append(([r[column] for r in public["events"]["by_kind"]], truth))
    for full, shown in zip(full_context["ownership"]["rows"], public["ownership"]["rows"]):
        if full["raw"] is not None:
            tables.append(([_count(v) for v in shown["values"]], full["raw"]))
    groups: dict[str, list] = {}
    for full, shown in zip(full_context["survey"]["rows"], public["survey"]["rows"]):
        if full["sex_id"] in ("women", "men") and full["respondents_raw"] is not None:
            groups.setdefault(full["indicator"], []).append((_count(shown["respondents"]), full["respondents_raw"]))
    tables += [([s for s, _ in g], [t for _, t in g]) for g in groups.values()]
    hidden = [t for t in tables if any(isinstance(v, str) for v in t[0])]
    assert hidden, "the example has small counts, so the attack is exercised"
    for shown, truth in tables:
        assert not _attack(shown, truth, m), (shown, truth)
        for v, t in zip(shown, truth):
            assert isinstance(v, str) or v == t  # a shown count is the board's count
            assert not (isinstance(v, int) and 0 < v < m)


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=2, max_size=6), m=st.integers(2, 5))
def test_the_public_tables_hide_enough_for_any_counts(counts, m):
    from followup_cli.report.audience import _suppressed

    shown = _suppressed(counts, m)
    if any(isinstance(v, int) and v > 0 for v in shown):
        assert not _attack(shown, counts, m), (counts, shown)


def test_the_public_version_has_no_decision_and_nothing_planned(full_context, tmp_path):
    from followup_cli.report.audience import for_reader

    public = for_reader(full_context, "public")
    assert public["decision"] == [] and public["plan"]["remaining"] == [] and public["improvement"]["yaml"] == ""
    assert "detail" not in public and all(r["month"] == "" for r in public["plan"]["not_done"])
    text = json.dumps(public, ensure_ascii=False)
    assert "respondents_raw" not in text and all("raw" not in r for r in public["ownership"]["rows"])
    folder = _copy(tmp_path / "ws")
    run = _report(folder, "public", fmt="docx")
    assert run.output.path.name == f"rapport-{YEAR}-allmanhet.docx"
    words = word_text(run.output.path)
    assert "Förslag till beslut" not in words and "Tjänsteskrivelse" not in words and "plan.themes" not in words
    assert "följer upp att de som ger vård och omsorg" in words  # the plain-language summary
    assert _providers()[PROVIDER] in words  # providers are named


# ---------------------------------------------------------------------------------------------- every version


def test_no_number_differs_between_the_versions(full_context):
    from followup_cli.report.audience import for_reader

    board, public = for_reader(full_context, "board"), for_reader(full_context, "public")
    assert board["numbers"] == {k: v for k, v in full_context["numbers"].items()}
    assert board["service_areas"] == public["service_areas"] == full_context["service_areas"]
    assert board["findings"] == public["findings"]
    assert "detail" not in board
    provider = for_reader(full_context, "provider", PROVIDER)
    mine = [r for a in board["service_areas"]["areas"] for r in a["rows"] if r["provider_id"] == PROVIDER]
    assert len(provider["reviews"]["rows"]) == len(mine)
    assert sorted(r["assessment"] for r in provider["reviews"]["rows"]) == sorted(r["assessment"] for r in mine)
    findings = sum(int(r[s]) for r in mine for s in ("observation", "deficiency", "serious"))
    assert len(provider["findings"]["rows"]) == findings


def test_the_internal_version_adds_free_text_reviewers_and_months(tmp_path):
    folder = _copy(tmp_path / "ws")
    run = _report(folder, "internal", fmt="docx")
    assert run.output.path.name == f"rapport-{YEAR}-intern.docx"
    text = word_text(run.output.path)
    book = load_workbook(folder / "register.xlsx", read_only=True)
    reviews = [r for r in book["Granskningar"].iter_rows(min_row=2, values_only=True)
               if isinstance(r[2], dt.datetime) and r[2].year == YEAR]
    assert {r[5] for r in reviews} <= set(text.split("\n"))  # every reviewer
    assert "Granskningar, brister och händelser i detalj (intern)" in text and "november" in text
    described = [r[6] for r in book["Brister"].iter_rows(min_row=2, values_only=True) if str(r[2]).startswith("G-2025")]
    assert all(d in text for d in described if d)


# ---------------------------------------------------------------------------------------------- interim


@pytest.fixture(scope="module")
def interim(tmp_path_factory):
    folder = _copy(tmp_path_factory.mktemp("interim") / "ws")
    ws = api.open_workspace(folder / "followup.yaml")
    api.plan(ws, year=YEAR, as_of=f"{YEAR - 1}-12-31", fmt="xlsx")
    run = api.report(ws, period="interim", as_of=f"{YEAR}-08-31", fmt="docx", date="2025-09-15")
    return folder, run


def test_the_interim_report_lists_what_remains_of_the_plan(interim):
    from followup_cli.plan.previous import read_previous_plan

    folder, run = interim
    assert run.output.path.name == f"delarsrapport-{YEAR}-08-31.docx"
    text = word_text(run.output.path)
    assert f"delårsrapport per 31 augusti {YEAR}" in text and "Planen hittills mot utfallet" in text
    assert "Återstår av planen" in text
    items = read_previous_plan(folder / "out" / f"plan-{YEAR}.xlsx")
    remaining = run.context["plan"]["remaining"]
    assert remaining and all(r["month"] > f"{YEAR}-08" for r in remaining)
    later = {i.provider_id for i in items if (i.month or "") > f"{YEAR}-08"}
    assert {r["provider_id"] for r in remaining} <= later
    done_ids = {d["provider_id"] for d in run.context["plan"]["done"]}
    assert later - done_ids <= {r["provider_id"] for r in remaining}  # every later item not yet done is listed
    doc = Document(run.output.path)
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Månad" and len(t.columns) == 3)
    assert len(table.rows) - 1 == len(remaining)


def test_the_interim_report_counts_only_up_to_its_day(interim):
    folder, run = interim
    book = load_workbook(folder / "register.xlsx", read_only=True)
    upto = [r for r in book["Granskningar"].iter_rows(min_row=2, values_only=True)
            if isinstance(r[2], dt.datetime) and r[2].year == YEAR and r[2] <= dt.datetime(YEAR, 8, 31)]
    assert run.context["numbers"]["reviews"] == len(upto)
    assert f"Under {YEAR} till och med 31 augusti {YEAR} genomfördes {len(upto)} granskningar" in word_text(run.output.path)


def test_a_self_report_in_after_the_interims_last_day_is_not_counted_done(interim, tmp_path):
    """Egenrapportering has no date of its own; with Inkommen the interim report counts a planned self-report done
    only if it came in by its last day. The annual report counts the year's rows, whenever they came in."""
    folder, run = interim
    self_reported = sorted(d["provider_id"] for d in run.context["plan"]["done"] if d["review_id"] == "Egenrapportering")
    late, early = self_reported[0], self_reported[1]
    copy = _copy(tmp_path / "ws")
    shutil.copy(folder / "out" / f"plan-{YEAR}.xlsx", copy / f"plan-{YEAR}.xlsx")
    book = load_workbook(copy / "register.xlsx")
    sheet = book["Egenrapportering"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "Inkommen")
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == YEAR and sheet.cell(row, 2).value in (late, early):
            sheet.cell(row, column, dt.date(YEAR, 9, 10) if sheet.cell(row, 2).value == late else dt.date(YEAR, 3, 1))
    book.save(copy / "register.xlsx")
    ws = api.open_workspace(copy / "followup.yaml")
    interim = api.report(ws, period="interim", as_of=f"{YEAR}-08-31", fmt="json", plan_file=copy / f"plan-{YEAR}.xlsx")
    done = {d["provider_id"] for d in interim.context["plan"]["done"] if d["review_id"] == "Egenrapportering"}
    assert early in done and late not in done
    assert interim.context["plan"]["done_count"] == run.context["plan"]["done_count"] - 1
    annual = api.report(ws, year=YEAR, fmt="json", plan_file=copy / f"plan-{YEAR}.xlsx")
    assert late in {d["provider_id"] for d in annual.context["plan"]["done"] if d["review_id"] == "Egenrapportering"}


def test_the_public_interim_report_names_no_planned_visit(interim):
    from followup_cli.report.audience import for_reader

    folder, run = interim
    ws = api.open_workspace(folder / "followup.yaml")
    public = api.report(ws, period="interim", as_of=f"{YEAR}-08-31", fmt="json", audience="public").context
    assert run.context["plan"]["not_done"] and run.context["plan"]["remaining"]  # the board's version has both
    assert public["plan"]["not_done"] == [] and public["plan"]["remaining"] == []
    assert public["numbers"]["reviews"] == for_reader(run.context, "board")["numbers"]["reviews"]


def test_the_internal_version_warns_on_stderr_naming_the_cells(cli, workspace):
    book = load_workbook(workspace / "register.xlsx", read_only=True)
    of_the_year = [r[0] for r in book["Brister"].iter_rows(min_row=2, values_only=True) if str(r[2]).startswith(f"G-{YEAR}")]
    _plant(workspace, {("Brister", "Beskrivning"): "19121212-1212"}, rows={of_the_year[0]})
    result = cli("report", "--audience", "internal", "--format", "md", cwd=workspace)
    assert result.code == 0
    assert "varning: personnummer maskerat" in result.stderr and "bladet Brister" in result.stderr
    assert "1212-1212" not in result.stdout + result.stderr and "ÅÅMMDD-XXXX" in result.stdout


def test_the_interim_options_are_checked(cli, workspace):
    assert cli("report", "--period", "interim", cwd=workspace).code == 2
    assert cli("report", "--as-of", "2026-08-31", cwd=workspace).code == 2
    assert cli("report", "--period", "interim", "--as-of", "2026-08-31", "--year", "2025", cwd=workspace).code == 2


# ---------------------------------------------------------------------------------------------- check-template


def _key_paths(structure, prefix="") -> set[str]:
    from followup_cli.publish.template_check import ANY, Items

    if isinstance(structure, dict):
        return {p for k, v in structure.items() for p in {prefix + k} | _key_paths(v, prefix + k + ".")}
    if isinstance(structure, Items):
        return {prefix + "[]"} if structure.item is ANY else _key_paths(structure.item, prefix[:-1] + "[].")
    return set()


def test_the_report_key_structures_are_the_real_contexts_of_every_reader(full_context, interim):
    """check-template holds rapport.* and rapport-utforare.* to these: exactly what the versions give (the charts,
    added while rendering, aside)."""
    from followup_cli.publish.report_keys import provider_report_context_keys, report_context_keys
    from followup_cli.publish.template_check import merge, shape
    from followup_cli.report.audience import for_reader

    folder, _ = interim
    ws = api.open_workspace(folder / "followup.yaml")
    whole = [full_context, api.report(ws, period="interim", as_of=f"{YEAR}-08-31", fmt="json", audience="internal").context]
    for keys, versions in (
            (report_context_keys, [for_reader(c, a) for c in whole for a in ("board", "internal", "public")]),
            (provider_report_context_keys, [for_reader(c, "provider", p) for c in whole for p in (PROVIDER, "SÄBO-006")])):
        actual = shape({})
        for version in versions:
            actual = merge(actual, shape(version))
        declared = {p for p in _key_paths(shape(keys())) if not p.startswith(("chart_", "charts"))}
        assert _key_paths(actual) == declared, (_key_paths(actual) ^ declared)


def test_check_template_names_a_misspelt_value_in_the_provider_template(cli, tmp_path):
    from conftest import ROOT

    broken = tmp_path / "rapport-utforare.md.j2"
    broken.write_text((ROOT / "templates" / "rapport-utforare.md.j2").read_text("utf-8").replace("r.correct_by", "r.corect_by"),
                      "utf-8")
    result = cli("check-template", broken)
    assert result.code != 0 and "corect_by" in result.stdout + result.stderr
    assert cli("check-template", ROOT / "templates" / "rapport-utforare.docx").code == 0


@pytest.mark.parametrize("audience, provider", [("board", None), ("internal", None), ("public", None),
                                                ("provider", "SÄBO-006")])
def test_every_markdown_table_row_has_as_many_cells_as_its_header(audience, provider):
    """A row with more or fewer cells than its header is a table Markdown cannot show: the columns shift. (Joining
    the cells in the template once put escaped '\\|' between them: one wide cell instead of three.)"""
    import re

    text = _report(EXAMPLES, audience, provider).output.data
    cells = lambda line: len(re.split(r"(?<!\\)\|", line.strip())) - 2  # noqa: E731  "| a | b |" has two
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= (2 if audience == "provider" else 8)
    for table in tables:
        assert "\\|" not in table[0], table[0]
        assert {cells(line) for line in table} == {cells(table[0])}, table[:3]
