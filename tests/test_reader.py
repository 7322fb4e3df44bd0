"""Reading: cells land in the right Excel row and column, whatever the layout, and text stays text."""

from __future__ import annotations

import pytest
from conftest import PROVIDER_HEADERS, provider_row, valid_sheets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_cli.read import safety
from followup_cli.register.read import RegisterSources, read_register


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(top=st.integers(0, 6), left=st.integers(0, 4), title=st.booleans(), stray=st.one_of(st.none(), st.tuples(st.integers(1, 30), st.integers(0, 8))))
def test_prescan_finds_the_same_origin_as_calamine(tmp_path_factory, top, left, title, stray):
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    path = tmp_path_factory.mktemp("layout") / "r.xlsx"
    wb = Workbook()
    ws = wb.active
    if title:
        ws.cell(row=top + 1, column=left + 2, value="Utförarregister")
    for r, row in enumerate([PROVIDER_HEADERS, provider_row()], start=top + 3):
        for c, value in enumerate(row, start=left + 1):
            ws.cell(row=r, column=c, value=value)
    ws.cell(row=top + 6, column=left + 2).style = "Good"  # a styled empty cell is not a value
    if stray:
        ws.cell(row=stray[0], column=stray[1] + 1, value="x")
    wb.save(path)
    scan = safety.scan_xlsx(path)["Sheet"]
    start = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet").start
    assert (scan.first_row - 1, scan.first_col) == tuple(start)


def test_a_bad_cell_is_named_where_excel_shows_it(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Utförare"
    ws["B2"] = "Utförarregister Exempelkommun"
    for c, value in enumerate(PROVIDER_HEADERS, start=3):
        ws.cell(row=5, column=c, value=value)
    row = provider_row(ownership="Kommunal regim")
    for c, value in enumerate(row, start=3):
        ws.cell(row=7, column=c, value=value)  # an empty row 6 between header and data
    wb.save(tmp_path / "r.xlsx")
    register = read_register(RegisterSources(tmp_path / "r.xlsx"))
    [problem] = [p for p in register.problems if p.code == "not-in-vocabulary"]
    assert (problem.row, problem.column, problem.header) == (7, "F", "Regiform")


def test_codes_keep_leading_zeros_and_na_words_stay_text(register):
    sheets = valid_sheets()
    for i, word in enumerate(["NA", "None", "null", "n/a"]):
        sheets["Utförare"].append(provider_row(f"00{i}", word, orgnr=None))
    reg = read_register(RegisterSources(register(sheets)))
    providers = reg.data("providers").set_index("provider_id")
    assert list(providers.index[:2]) == ["HT-001", "0180"]
    assert list(providers.loc[["000", "001", "002", "003"], "name"]) == ["NA", "None", "null", "n/a"]
    assert not [p for p in reg.problems if p.severity == "error"]


def test_headers_sheets_and_values_match_forgivingly(register):
    sheets = valid_sheets()
    headers = ["utforar id", "NAMN", "Organisations-nummer", "regiform", "Avtals form", "Verksamhetsomrade",
               "Lagrum", "Nämnd", "Uppföljande enhet", "Antal brukare", "Avtal från", "Avtal till", "Senast granskad", "Aktiv"]
    sheets["utforare"] = [headers, provider_row(ownership="  privat ", contract="lov", law="sol och hsl", active="x")]
    del sheets["Utförare"]
    sheets["HANDELSER"] = sheets.pop("Händelser")
    sheets["HANDELSER"][1][1:3] = ["HT-001", "lex sarah"]
    reg = read_register(RegisterSources(register(sheets)))
    row = reg.data("providers").iloc[0]
    # Vocabulary columns hold the values' ids (schemas' enumIds), whichever spelling the cell used.
    assert (row["ownership"], row["contract_form"], row["law"], row["active"]) == ("private", "lov", ("sol", "hsl"), True)
    assert reg.data("events").iloc[0]["kind"] == "lex_sarah"


def test_english_aliases_are_accepted(register):
    sheets = {"Providers": [["Provider ID", "Name", "Ownership", "Service area"], ["P1", "A", "private", "Hemtjänst"]]}
    reg = read_register(RegisterSources(register(sheets)))
    assert reg.data("providers").iloc[0][["provider_id", "ownership"]].tolist() == ["P1", "private"]
    assert not [p for p in reg.problems if p.severity == "error"]


@pytest.mark.parametrize("encoding, sep, bom", [("cp1252", ";", False), ("utf-8", ",", True), ("utf-8", "\t", False)])
def test_csv_exports_are_read_with_their_encoding_and_separator(tmp_path, encoding, sep, bom):
    text = sep.join(["Utförar-ID", "Namn", "Regiform", "Verksamhetsområde", "Antal brukare"]) + "\n"
    text += sep.join(["0180", "Åkerbärets äldreboende", "Idéburen", "Särskilt boende", "1 200"]) + "\n"
    data = text.encode(encoding)
    path = tmp_path / "utforare.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    reg = read_register(RegisterSources(path))
    row = reg.data("providers").iloc[0]
    assert (row["provider_id"], row["name"], row["ownership"], row["clients"]) == ("0180", "Åkerbärets äldreboende", "non_profit", 1200)


def test_decimal_commas_and_months_in_a_billing_csv(tmp_path, register):
    path = register()
    csv = tmp_path / "fakt.csv"
    csv.write_text("Faktureringsunderlag\n\nMånad;Utförar-ID;Beslutad tid;Utförd tid\n2025-01;HT-001;1 234,5;12,25\nmars 2025;HT-001;1;2\n", encoding="cp1252")
    from followup_cli.register.read import SheetSource

    reg = read_register(RegisterSources(path, {"billing": SheetSource(csv)}))
    billing = reg.data("billing")
    assert billing["month"].tolist() == ["2025-01", "2025-03"]
    assert billing["decided_hours"].tolist() == [1234.5, 1.0]
    assert billing["billed_hours"].tolist() == [12.25, 2.0]


def test_missing_optional_sheets_are_listed_not_failed(register):
    reg = read_register(RegisterSources(register({"Utförare": valid_sheets()["Utförare"]})))
    assert set(reg.absent) == {"requirements", "events", "reviews", "findings", "survey", "self_report", "billing", "adjustments"}
    assert not reg.problems


def test_unknown_extra_columns_are_kept_and_ignored(register):
    sheets = valid_sheets()
    sheets["Utförare"][0].append("Kontaktperson")
    sheets["Utförare"][1].append("Kim")
    reg = read_register(RegisterSources(register(sheets)))
    assert reg.tables["providers"].extra["Kontaktperson"].iloc[0] == "Kim"
    assert not reg.problems


def test_many_problems_of_one_kind_are_summed_up_after_the_first_200(register):
    sheets = valid_sheets()
    sheets["Händelser"] += [[f"dag {i}", "HT-001", "Klagomål", None, None, None] for i in range(250)]
    reg = read_register(RegisterSources(register(sheets)))
    wrong = [p for p in reg.problems if p.code == "wrong-type"]
    assert len(wrong) == 201
    assert "50 rader till" in wrong[-1].message
