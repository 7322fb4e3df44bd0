"""The risk workbook and the matrix chart, opened the way a user would open them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES, valid_sheets, write_xlsx
from openpyxl import load_workbook

from followup_cli import api
from followup_cli.errors import UsageError
from followup_cli.publish.risk_chart import write_risk_chart
from followup_cli.publish.risk_workbook import write_risk_workbook
from followup_cli.register.read import RegisterSources, read_register
from followup_cli.risk.analyze import analyze_risk
from followup_cli.risk.model import load_model

AS_OF = dt.date(2025, 12, 31)
SHEETS = ["Riskregister", "Matris", "Per verksamhetsområde", "Per granskningsområde", "Inaktiva", "Om analysen"]


def _analysis(register_path, sheets=None):
    return analyze_risk(read_register(RegisterSources(register_path, sheets or {}), AS_OF), AS_OF, load_model())


@pytest.fixture(scope="module")
def analysis():
    """The example municipality's analysis, through the library call behind `followup risk-analyze`."""
    return api.analyze(api.open_workspace(EXAMPLES / "followup.yaml"), as_of=AS_OF).analysis


@pytest.fixture(scope="module")
def workbook(analysis, tmp_path_factory):
    path = write_risk_workbook(analysis, tmp_path_factory.mktemp("risk") / "riskregister.xlsx")
    return load_workbook(path)


def _columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _rgb(cell) -> str:
    return cell.fill.fgColor.rgb[-6:].upper()


def test_the_sheets_are_named_in_swedish_in_reading_order(workbook):
    assert workbook.sheetnames == SHEETS


def test_the_register_is_in_rank_order_with_the_level_colour(analysis, workbook):
    ws = workbook["Riskregister"]
    col = _columns(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[col["Utförar-ID"] - 1] for r in rows] == [p.provider_id for p in analysis.providers]
    assert [r[col["Rang"] - 1] for r in rows] == list(range(1, len(analysis.providers) + 1))
    for row, p in enumerate(analysis.providers, start=2):
        level = ws.cell(row=row, column=col["Risknivå"])
        assert level.value == p.level
        assert _rgb(level) == p.color.lstrip("#").upper()
        assert ws.cell(row=row, column=col["Okänd"]).value == ("Ja" if p.unknown else "Nej")


def test_numbers_are_numbers_and_dates_are_dates(analysis, workbook):
    ws = workbook["Riskregister"]
    col = _columns(ws)
    first = analysis.providers[0]
    score = ws.cell(row=2, column=col["Poäng"])
    assert score.value == pytest.approx(first.score) and score.number_format == "0.00"
    assert isinstance(ws.cell(row=2, column=col["Riskvärde"]).value, int)
    reviewed = ws.cell(row=2, column=col["Senast granskad"])
    assert reviewed.is_date and reviewed.value.date().isoformat() == first.last_review
    assert reviewed.number_format == "yyyy-mm-dd"
    reasons = ws.cell(row=2, column=col["Skäl"])
    assert reasons.value.split("\n") == [r.text for r in first.reasons] and reasons.alignment.wrap_text


def test_an_adjustment_is_shown_beside_the_computed_level_in_its_colour(analysis, workbook):
    ws = workbook["Riskregister"]
    col = _columns(ws)
    adjusted = [(row, p) for row, p in enumerate(analysis.providers, start=2) if p.adjustment and p.adjustment.level]
    assert adjusted, "the example register has a Höj risk adjustment"
    for row, p in adjusted:
        assert ws.cell(row=row, column=col["Justering"]).value == f"{p.adjustment.action} → {p.adjustment.level}: {p.adjustment.reason}"
        cell = ws.cell(row=row, column=col["Justerad risknivå"])
        level = next(lv for lv in analysis.matrix.levels if lv.id == p.adjustment.level_id)
        assert cell.value == level.name and _rgb(cell) == level.color.lstrip("#")
        assert ws.cell(row=row, column=col["Risknivå"]).value == p.level  # the computed level stays


def test_every_table_has_a_frozen_filtered_header(workbook):
    for name in ("Riskregister", "Per verksamhetsområde", "Per granskningsområde", "Inaktiva"):
        ws = workbook[name]
        assert ws.freeze_panes and ws.freeze_panes.endswith("2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws["A1"].font.bold


def test_the_matrix_sheet_shows_the_counts_in_the_level_colours(analysis, workbook):
    ws = workbook["Matris"]
    matrix, counts = analysis.matrix, analysis.counts()
    header = next(r for r in ws.iter_rows() if any(c.value == f"1 {matrix.consequence[0].name}" for c in r))
    columns = {c.value: c.column for c in header if c.value}
    seen = []
    for row in ws.iter_rows():
        label = row[1].value
        for likelihood, step in enumerate(matrix.likelihood, start=1):
            if label != f"{likelihood} {step.name}":
                continue
            seen.append(likelihood)
            for consequence, c_step in enumerate(matrix.consequence, start=1):
                cell = ws.cell(row=row[1].row, column=columns[f"{consequence} {c_step.name}"])
                assert cell.value == counts[likelihood - 1][consequence - 1]
                assert _rgb(cell) == matrix.level(likelihood, consequence).color.lstrip("#")
    assert seen == list(range(len(matrix.likelihood), 0, -1))  # the highest likelihood at the top
    texts = {c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    assert {lv.name for lv in matrix.levels} <= texts and {lv.description for lv in matrix.levels} <= texts


def test_the_summaries_add_up(analysis, workbook):
    ws = workbook["Per verksamhetsområde"]
    col = _columns(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert sum(r[col["Antal utförare"] - 1] for r in rows) == len(analysis.providers)
    for r in rows:
        assert sum(r[col[lv.name] - 1] for lv in analysis.matrix.levels) == r[col["Antal utförare"] - 1]
    areas = workbook["Per granskningsområde"]
    n = sum(r[1] for r in areas.iter_rows(min_row=2, values_only=True))
    assert n == sum(len(p.areas) for p in analysis.providers)
    inactive = workbook["Inaktiva"]
    assert [r[0] for r in inactive.iter_rows(min_row=2, values_only=True)] == [p.provider_id for p in analysis.inactive]


def test_the_about_sheet_names_the_date_and_the_matrix(analysis, workbook):
    texts = [c.value for r in workbook["Om analysen"].iter_rows() for c in r if c.value is not None]
    assert "Riskanalys per 31 december 2025" in texts
    assert analysis.matrix.name in texts
    assert any(isinstance(v, dt.datetime) and v.date() == AS_OF for v in texts)


def test_no_formulas_anywhere(workbook):
    for ws in workbook.worksheets:
        assert not [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"], ws.title


def test_a_provider_name_that_looks_like_a_formula_stays_text(tmp_path):
    sheets = valid_sheets()
    sheets["Utförare"][1][1] = '=HYPERLINK("http://example.com","klicka")'
    sheets["Utförare"][2][1] = "-Björkbacken"
    analysis = _analysis(write_xlsx(tmp_path / "register.xlsx", sheets))
    ws = load_workbook(write_risk_workbook(analysis, tmp_path / "risk.xlsx"))["Riskregister"]
    column = _columns(ws)["Namn"]
    stored = {ws.cell(row=r, column=column).value: ws.cell(row=r, column=column).data_type for r in range(2, ws.max_row + 1)}
    assert stored == {'=HYPERLINK("http://example.com","klicka")': "s", "-Björkbacken": "s"}


def test_the_workbook_is_never_written_over_an_input_or_with_another_suffix(analysis, tmp_path):
    source = tmp_path / "register.xlsx"
    source.write_bytes(b"indata")
    with pytest.raises(UsageError):
        write_risk_workbook(analysis, source, inputs=[source])
    assert source.read_bytes() == b"indata"
    with pytest.raises(UsageError, match=".xlsx"):
        write_risk_workbook(analysis, tmp_path / "risk.csv")


def test_the_chart_is_a_real_png(analysis, tmp_path):
    path = write_risk_chart(analysis, tmp_path / "matris.png")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_chart_is_a_real_svg_and_the_same_bytes_every_time(analysis, tmp_path):
    first = write_risk_chart(analysis, tmp_path / "a.svg").read_bytes()
    second = write_risk_chart(analysis, tmp_path / "b.svg").read_bytes()
    assert b"<svg" in first
    assert first == second
    png = [write_risk_chart(analysis, tmp_path / f"{n}.png").read_bytes() for n in "cd"]
    assert png[0] == png[1]


@pytest.mark.parametrize("name", ["matris.pdf", "matris.jpg", "matris"])
def test_another_chart_format_is_a_sentence(analysis, tmp_path, name):
    with pytest.raises(UsageError, match=r"\.png eller \.svg"):
        write_risk_chart(analysis, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_the_cli_json_is_the_library_result(cli, workspace):
    """The CLI writes the analysis with orjson straight from the dataclasses; it must equal the library's to_dict."""
    result = cli("risk-analyze", "--json", "--as-of", "2025-12-31", cwd=workspace)
    assert result.code == 0, result.stderr
    library = api.analyze(api.open_workspace(workspace / "followup.yaml"), as_of="2025-12-31").analysis.to_dict()
    assert result.json() == library
