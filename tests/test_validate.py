"""`followup validate`: what a strategist sees for a good register and for each kind of mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PROVIDER_HEADERS, fingerprint, provider_row, valid_sheets

JSON_KEYS = {"file", "sheet", "row", "column", "header", "value", "severity", "code", "message"}


def test_valid_register_exits_0_and_says_so(cli, register):
    result = cli("validate", register())
    assert result.code == 0, result.stderr
    assert "Inga problem" in result.stderr


def test_json_is_a_list_of_problem_objects_with_the_documented_keys(cli, register):
    sheets = valid_sheets()
    sheets["Utförare"][1][3] = "Privat regi"
    result = cli("validate", register(sheets), "--json")
    assert result.code == 1
    problems = result.json()
    assert problems and all(set(p) == JSON_KEYS for p in problems)
    [p] = [p for p in problems if p["code"] == "not-in-vocabulary"]
    assert (p["file"], p["sheet"], p["row"], p["column"], p["header"], p["value"], p["severity"]) == \
        ("register.xlsx", "Utförare", 2, "D", "Regiform", "Privat regi", "error")
    assert "menade du 'Privat'" in p["message"]


def test_cli_json_equals_the_library_result(cli, register):
    from followup_cli.register.read import RegisterSources
    from followup_cli.register.validate import validate_register

    sheets = valid_sheets()
    sheets["Händelser"].append(["igår", "HT-999", "Lex Sara", 9, None, None])
    path = register(sheets)
    library = validate_register(RegisterSources(path), dt.date(2026, 1, 1)).problems
    result = cli("validate", path, "--json", "--as-of", "2026-01-01")
    assert result.json() == [p.to_dict() for p in library]
    assert {p["code"] for p in result.json()} >= {"wrong-type", "unknown-reference", "not-in-vocabulary", "out-of-range"}


def test_every_problem_is_reported_not_only_the_first(cli, register):
    sheets = valid_sheets()
    for i in range(30):
        sheets["Händelser"].append([f"2025-13-{i:02d}", "HT-001", "Klagomål", 1, None, None])
    problems = cli("validate", register(sheets), "--json").json()
    assert sum(p["code"] == "wrong-type" for p in problems) == 30
    assert [p["row"] for p in problems if p["code"] == "wrong-type"] == list(range(3, 33))


@pytest.mark.parametrize("mutate, code, cell", [
    (lambda s: s["Utförare"].append(provider_row("HT-001", "Dubblett")), "duplicate", ("Utförare", 4, "A")),
    (lambda s: s["Granskningar"].append(["G-2", "XX-1", dt.date(2025, 1, 1), "Kvalitetsgranskning", None, None, None]), "unknown-reference", ("Granskningar", 3, "B")),
    (lambda s: s["Brister"].append(["B-2", "0180", "G-9", None, None, "Brist", None, None, None, None, None, None]), "unknown-reference", ("Brister", 3, "C")),
    (lambda s: s["Brister"][1].__setitem__(8, dt.date(2025, 1, 1)), "impossible-date", ("Brister", 2, "I")),
    (lambda s: s["Utförare"][1].__setitem__(11, dt.date(2019, 1, 1)), "impossible-date", ("Utförare", 2, "L")),
    (lambda s: s["Utförare"][1].__setitem__(2, "556677-8898"), "orgnr", ("Utförare", 2, "C")),
    (lambda s: s["Utförare"][1].__setitem__(9, -3), "out-of-range", ("Utförare", 2, "J")),
    (lambda s: s["Utförare"][1].__setitem__(1, None), "required", ("Utförare", 2, "B")),
    (lambda s: s["Händelser"][1].__setitem__(3, "hög"), "wrong-type", ("Händelser", 2, "D")),
])
def test_each_mistake_is_named_by_sheet_row_and_column(cli, register, mutate, code, cell):
    sheets = valid_sheets()
    mutate(sheets)
    result = cli("validate", register(sheets), "--json")
    assert result.code == 1
    found = [(p["sheet"], p["row"], p["column"]) for p in result.json() if p["code"] == code]
    assert cell in found, result.json()


def test_negative_hours_are_an_error(cli, register):
    sheets = valid_sheets()
    sheets["Fakturering"] = [["Månad", "Utförar-ID", "Beslutad tid", "Utförd tid"], ["2025-01", "HT-001", 10, -2]]
    problems = cli("validate", register(sheets), "--json").json()
    [p] = [p for p in problems if p["code"] == "out-of-range"]
    assert (p["sheet"], p["row"], p["column"], p["header"]) == ("Fakturering", 2, "D", "Utförd tid")
    assert "negativ" in p["message"]


def test_data_quality_warnings_do_not_fail_the_run(cli, register):
    sheets = valid_sheets()
    sheets["Utförare"][2][8] = None  # no reviewing unit
    sheets["Brister"].append(["B-2", "0180", "G-1", None, None, "Allvarlig brist", None, None, None, None, None, None])
    sheets["Brister"].append(["B-3", "0180", "G-1", None, None, "Brist", None, dt.date(2025, 4, 1), None, None, None, None])
    result = cli("validate", register(sheets), "--json", "--as-of", "2025-12-31")
    assert result.code == 0
    codes = {p["code"]: p for p in result.json()}
    assert set(codes) == {"no-reviewing-unit", "serious-without-deadline", "action-plan-overdue"}
    assert all(p["severity"] == "warning" for p in codes.values())


def test_overdue_action_plan_depends_on_as_of(cli, register):
    sheets = valid_sheets()
    sheets["Brister"].append(["B-3", "0180", "G-1", None, None, "Brist", None, dt.date(2025, 4, 1), None, None, None, None])
    path = register(sheets)
    before = cli("validate", path, "--json", "--as-of", "2025-03-31").json()
    after = cli("validate", path, "--json", "--as-of", "2025-04-02").json()
    assert not [p for p in before if p["code"] == "action-plan-overdue"]
    assert [p for p in after if p["code"] == "action-plan-overdue"]


def test_personal_number_in_free_text_is_flagged_without_being_echoed(cli, register):
    sheets = valid_sheets()
    sheets["Händelser"][1][5] = "Brukaren 19121212-1212 föll i badrummet"
    sheets["Händelser"].append([dt.date(2025, 3, 2), "HT-001", "Synpunkt", 1, None, "Faktura 5566778899 och 1234567890"])
    result = cli("validate", register(sheets), "--json")
    hits = [p for p in result.json() if p["code"] == "personal-number"]
    assert [(p["row"], p["column"]) for p in hits] == [(2, "F")]
    assert "1212" not in result.stdout + result.stderr


def test_missing_required_sheet_and_column_are_exit_1(cli, register):
    result = cli("validate", register({"Händelser": valid_sheets()["Händelser"]}), "--json")
    assert result.code == 1
    assert [p["code"] for p in result.json() if p["severity"] == "error"] == ["missing-sheet"]
    sheets = valid_sheets()
    sheets["Utförare"] = [[h for h in PROVIDER_HEADERS if h != "Regiform"], ["HT-001", "A"]]
    problems = cli("validate", register(sheets, name="b.xlsx"), "--json").json()
    [p] = [p for p in problems if p["code"] == "missing-column"]
    assert (p["sheet"], p["header"], p["row"]) == ("Utförare", "Regiform", 1)


def test_annotate_writes_a_marked_copy_and_leaves_the_original(cli, register, tmp_path):
    from openpyxl import load_workbook

    sheets = valid_sheets()
    sheets["Utförare"][1][3] = "Privat regi"
    path = register(sheets)
    before = fingerprint(tmp_path)
    copy = tmp_path / "out" / "markerad.xlsx"
    result = cli("validate", path, "--annotate", copy)
    assert result.code == 1
    after = fingerprint(tmp_path)
    written = {"out/markerad.xlsx", "out/.followup-manifest.json"}  # the copy, and the manifest that remembers it
    assert {k: v for k, v in after.items() if k not in written} == before and written <= set(after)
    cell = load_workbook(copy)["Utförare"]["D2"]
    assert "menade du 'Privat'" in cell.comment.text
    assert cell.fill.start_color.rgb.endswith("FFC7CE")


def test_annotate_refuses_to_overwrite_the_input(cli, register):
    path = register()
    result = cli("validate", path, "--annotate", path)
    assert result.code == 2
    assert "indatafilerna" in result.stderr


def test_without_register_or_workspace_the_user_is_told_what_to_do(cli, tmp_path):
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2
    assert "followup init" in result.stderr


def test_workspace_register_and_sheets_from_own_files(cli, register, tmp_path):
    register()
    (tmp_path / "export").mkdir()
    csv = "Månad;Utförar-ID;Beslutad tid;Utförd tid\n2025-01;HT-001;12,5;13\n2025-02;HT-404;1;1\n"
    (tmp_path / "export" / "fakt.csv").write_bytes(b"\xef\xbb\xbf" + csv.encode())
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nsheets:\n  fakturering: export/fakt.csv\n", encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    problems = cli("validate", "--json", cwd=sub).json()
    assert [(p["file"], p["sheet"], p["row"], p["column"]) for p in problems] == [("fakt.csv", None, 3, "B")]


def test_a_register_locked_by_another_program_is_a_sentence(cli, register, monkeypatch):
    from followup_cli.read import safety

    path = register()

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safety, "sniff_kind", locked)
    result = cli("validate", path)
    assert result.code == 3
    assert "låst av ett annat program" in result.stderr and "register.xlsx" in result.stderr


@pytest.mark.parametrize("error, sentence", [
    (PermissionError(13, "Permission denied"), "öppen i Excel"),
    (OSError(28, "No space left on device"), "disken är full"),
])
def test_an_output_that_cannot_be_written_is_exit_5_and_leaves_nothing_behind(cli, register, tmp_path, monkeypatch, error, sentence):
    import os

    path = register({"Utförare": valid_sheets()["Utförare"][:1] + [["HT-1", "A", None, "Fel", None, "Hemtjänst"]]})
    target = tmp_path / "markerad.xlsx"
    target.write_bytes(b"old copy")

    def fail(*args):
        raise error

    monkeypatch.setattr(os, "replace", fail)
    result = cli("validate", path, "--annotate", target, "--force")  # an old copy followup did not write: --force
    assert result.code == 5
    assert sentence in result.stderr
    assert target.read_bytes() == b"old copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["markerad.xlsx", "register.xlsx"]


# --- a Verksamhetsområde that is a near miss of a known name --------------------------------------------------------

AREA = PROVIDER_HEADERS.index("Verksamhetsområde")


def _with_areas(*areas: str) -> dict:
    sheets = valid_sheets()
    for row, area in zip(sheets["Utförare"][1:], areas):
        row[AREA] = area
    return sheets


def test_a_misspelt_service_area_is_a_warning_naming_the_cell_and_the_name_meant(cli, register):
    result = cli("validate", register(_with_areas("Hemtjänts")), "--json")
    assert result.code == 0  # a warning: the register can still be analysed
    [p] = [p for p in result.json() if p["code"] == "service-area-near-miss"]
    assert (p["sheet"], p["row"], p["column"], p["value"], p["severity"]) == \
        ("Utförare", 2, chr(ord("A") + AREA), "Hemtjänts", "warning")
    assert "menade du 'Hemtjänst'?" in p["message"]
    shown = cli("validate", register(_with_areas("Hemtjänts")))
    table = shown.stdout + shown.stderr
    assert "menade du 'Hemtjänst'?" in table and f"cell {chr(ord('A') + AREA)}2" in table


@pytest.mark.parametrize("area", ["Hemtjänst", "hemtjänst", "Hemtjänst Norr", "Fritidsverksamhet", "Öppenvård"])
def test_a_known_name_one_that_contains_it_or_one_unlike_any_is_no_near_miss(cli, register, area):
    """Exact (case ignored) and 'Hemtjänst Norr' are what the risk analysis matches; 'Fritidsverksamhet' only shares
    '…verksamhet' with Dagverksamhet and stays the risk analysis's unknown area."""
    problems = cli("validate", register(_with_areas(area)), "--json").json()
    assert not [p for p in problems if p["code"] == "service-area-near-miss"]


def test_service_areas_the_user_adds_to_the_risk_settings_are_known_names(cli, register, tmp_path):
    path = register(_with_areas("Öppenvårt"))
    assert not [p for p in cli("validate", path, "--json", cwd=tmp_path).json() if p["code"] == "service-area-near-miss"]
    (tmp_path / "followup.yaml").write_text("risk:\n  consequence:\n    vulnerability:\n      Öppenvård: 2\n", encoding="utf-8")
    [p] = [p for p in cli("validate", path, "--json", cwd=tmp_path).json() if p["code"] == "service-area-near-miss"]
    assert "menade du 'Öppenvård'?" in p["message"]
