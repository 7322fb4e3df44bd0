"""The plan as a workbook and a calendar, opened the way a user opens them, and last year's plan read back.

The example workspace is copied into a temporary folder, so nothing is written into the repository.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import EXAMPLES, PROVIDER_HEADERS, provider_row, write_xlsx
from openpyxl import load_workbook

from followup_cli.plan.previous import read_previous_plan
from followup_cli.risk.model import load_model

YEAR = 2026
SHEETS = ["Plan", "Ej valda", "Kapacitet", "Om planen"]
REVIEW_HEADERS = ["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"]


def _followup(cwd: Path, *args) -> tuple[int, str, str]:
    """The CLI in-process, for module-wide fixtures (the `cli` fixture is per test)."""
    from followup_cli.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(out), redirect_stderr(err):
        mp.chdir(cwd)
        mp.setattr(sys, "argv", ["followup", *map(str, args)])
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example plan for 2026: its workspace, --json, the workbook and the calendar."""
    folder = tmp_path_factory.mktemp("plan") / "examples"
    shutil.copytree(EXAMPLES, folder)
    code, out, err = _followup(folder, "plan", "--year", YEAR, "--json")
    assert code == 0, err
    for name in ("plan-2026.xlsx", "plan-2026.ics"):
        code, _, err = _followup(folder, "plan", "--year", YEAR, "--out", name)
        assert code == 0, err
    return folder, json.loads(out)


@pytest.fixture(scope="module")
def workbook(example):
    return load_workbook(example[0] / "plan-2026.xlsx")


def _columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _rows(ws) -> list[dict]:
    columns = _columns(ws)
    return [{title: row[col - 1] for title, col in columns.items()} for row in ws.iter_rows(min_row=2, values_only=True)]


def _rgb(cell) -> str:
    return cell.fill.fgColor.rgb[-6:].upper()


def _texts(ws) -> list:
    return [c.value for r in ws.iter_rows() for c in r if c.value is not None]


# --- The workbook ---------------------------------------------------------------------------------------------

def test_the_sheets_are_named_in_swedish_and_brist_only_when_hours_fall_short(workbook):
    assert workbook.sheetnames == SHEETS  # the example's hours suffice


def test_one_plan_row_per_review_as_in_json(example, workbook):
    plan = example[1]
    rows = _rows(workbook["Plan"])
    assert [(r["Månad"], r["Utförar-ID"], r["Typ (id)"], r["Metod (id)"], r["Timmar"]) for r in rows] == \
           [(i["month"], i["provider_id"], i["review_type_id"], i["method_id"], i["hours"]) for i in plan["items"]]
    for row, item in zip(rows, plan["items"]):
        assert (row["Typ"], row["Metod"], row["Utförare"], row["Uppföljande enhet"]) == \
               (item["review_type"], item["method"], item["name"], item["unit"])
        assert row["Obligatorisk"] == ("Ja" if item["mandatory"] else "Nej")
        assert row["Tema"] == item["theme"] and row["Stickprov"] == ("Ja" if item["sample"] else None)
        assert (row["Riskvärde"], row["Risknivå"]) == (item["risk_value"], item["level"])
        assert row["Skäl"].split("\n") == item["reasons"]
    assert any(r["Tema"] for r in rows) and any(r["Stickprov"] for r in rows)


def test_tables_have_a_frozen_filtered_header_and_the_level_colours(example, workbook):
    for name in ("Plan", "Ej valda", "Kapacitet"):
        ws = workbook[name]
        assert ws.freeze_panes and ws.freeze_panes.endswith("2"), name
        assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}{ws.max_row}", name
        assert ws["A1"].font.bold and _rgb(ws["A1"]) == "1F4E78", name
    colours = {lv.id: lv.color.lstrip("#").upper() for lv in load_model().matrix.levels}
    ws = workbook["Plan"]
    level = _columns(ws)["Risknivå"]
    for row, item in enumerate(example[1]["items"], start=2):
        assert _rgb(ws.cell(row=row, column=level)) == colours[item["level_id"]]


def test_left_out_reviews_say_why_and_what_they_would_have_cost(example, workbook):
    rows = _rows(workbook["Ej valda"])
    left_out = example[1]["not_selected"]
    assert [(r["Utförar-ID"], r["Skäl"].split("\n")) for r in rows] == [(n["provider_id"], n["reasons"]) for n in left_out]
    ws = workbook["Ej valda"]
    status = _columns(ws)["Status"]
    marked = [(row, n) for row, n in enumerate(left_out, start=2) if n["mandatory"] and n["excluded"]]
    assert marked, "the example excludes a provider with a mandatory follow-up"
    for row, n in marked:
        cell = ws.cell(row=row, column=status)
        assert cell.value == "Obligatorisk men exkluderad" and cell.font.bold and _rgb(cell) == "F8CBAD"
        assert ws.cell(row=row, column=_columns(ws)["Timmar"]).value == n["hours"] > 0


def test_capacity_per_unit_and_month_adds_up_to_what_is_planned(example, workbook):
    ws = workbook["Kapacitet"]
    header = [c.value for c in ws[1]]
    months = header[-12:]
    assert months[6] == "jul\nspärrad" and months[0] == "jan"  # the example blocks July
    by_unit = {c["unit"]: c for c in example[1]["capacity"]}
    rows = _rows(ws)
    assert [r["Uppföljande enhet"] for r in rows] == list(by_unit)
    for r in rows:
        c = by_unit[r["Uppföljande enhet"]]
        assert [r[m] for m in months] == list(c["months"].values())
        assert sum(r[m] for m in months) == pytest.approx(r["Planerat"]) == pytest.approx(c["used"])
        assert (r["Timmar per år"], r["Reserv"], r["Att planera"]) == (c["configured"], c["reserve"], c["available"])
        assert r["jul\nspärrad"] == 0
    assert _rgb(ws.cell(row=2, column=len(header) - 12 + 7)) == "D9D9D9"


def test_the_about_sheet_states_the_year_date_and_settings(workbook):
    texts = _texts(workbook["Om planen"])
    assert "Uppföljningsplan 2026 – Exempelkommun" in texts and 2026 in texts and "Alla nämnder" in texts
    assert dt.datetime(2025, 12, 31) in texts
    assert "juli" in texts and any(isinstance(t, str) and t.startswith("Platsbesök: 40 h") for t in texts)
    assert any(isinstance(t, str) and "--previous plan-2026.xlsx" in t for t in texts)


def test_no_cell_is_a_formula(workbook):
    for ws in workbook.worksheets:
        assert not [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"], ws.title


# --- A register built to be awkward ---------------------------------------------------------------------------

AWKWARD = [  # id, name
    ("HT 1", '=HYPERLINK("http://example.com","klicka")'),
    ("HT+1", "-Björkbacken"),
    ("SÄBO 1", "@Ängen"),
    ("SÄBO%201", "+46 Omsorg"),
]


@pytest.fixture
def awkward(tmp_path):
    """Providers named like formulas, ids with spaces, å/ä/ö, '+' and '%', and two themes for one service area."""
    rows = [provider_row(pid, name, area="Särskilt boende" if pid.startswith("SÄBO") else "Hemtjänst")
            for pid, name in AWKWARD]
    write_xlsx(tmp_path / "register.xlsx", {"Utförare": [PROVIDER_HEADERS, *rows]})
    (tmp_path / "followup.yaml").write_text(
        "organisation: Testkommun\nregister: register.xlsx\nplan:\n  capacity:\n    Sociala kvalitetsenheten: 1000\n"
        "  themes:\n    - {name: Läkemedel, service_areas: [Särskilt boende], months: [3]}\n"
        "    - {name: Nutrition & mat, service_areas: [Särskilt boende], months: [4]}\n", encoding="utf-8")
    return tmp_path


def test_text_that_looks_like_a_formula_stays_text(cli, awkward):
    assert cli("plan", "--year", YEAR, "--out", "plan.xlsx", cwd=awkward).code == 0
    workbook = load_workbook(awkward / "plan.xlsx")
    for ws in workbook.worksheets:
        assert not [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"], ws.title
    names = {r["Utförare"] for r in _rows(workbook["Plan"])}
    assert {name for _, name in AWKWARD} <= names


def test_event_ids_stay_unique_for_awkward_ids_and_two_themes(cli, awkward):
    from icalendar import Calendar

    assert cli("plan", "--year", YEAR, "--out", "plan.ics", cwd=awkward).code == 0
    events = Calendar.from_ical((awkward / "plan.ics").read_bytes()).walk("VEVENT")
    plan = cli("plan", "--year", YEAR, "--json", cwd=awkward).json()
    themed = [i for i in plan["items"] if i["theme"]]
    assert {i["provider_id"] for i in themed} == {"SÄBO 1", "SÄBO%201"} and len(themed) == 4
    uids = [str(e["UID"]) for e in events]
    assert len(events) == len(plan["items"]) and len(set(uids)) == len(uids)
    assert all(uid.isascii() and " " not in uid and uid.endswith("@followup") for uid in uids)


def test_a_shortfall_gets_its_own_sheet(cli, awkward):
    result = cli("plan", "--year", YEAR, "--capacity-hours", 0, "--out", "plan.xlsx", cwd=awkward)
    assert result.code == 1  # the hours do not suffice for the mandatory reviews
    plan = cli("plan", "--year", YEAR, "--capacity-hours", 0, "--json", cwd=awkward).json()
    workbook = load_workbook(awkward / "plan.xlsx")
    assert workbook.sheetnames == ["Plan", "Ej valda", "Kapacitet", "Brist", "Om planen"]
    rows = _rows(workbook["Brist"])
    assert [(r["Uppföljande enhet"], r["Timmar som saknas"], r["Utförar-ID"]) for r in rows] == \
           [(s["unit"], s["hours_short"], ", ".join(s["provider_ids"])) for s in plan["shortfall"]]
    status = [r["Status"] for r in _rows(workbook["Ej valda"])]
    assert "Obligatorisk men fick inte plats" in status


# --- Reading last year's plan back ----------------------------------------------------------------------------

def test_the_plan_reads_back_as_the_same_reviews(example):
    items = read_previous_plan(example[0] / "plan-2026.xlsx")
    assert {(i.provider_id, i.review_type_id, i.month) for i in items} == \
           {(i["provider_id"], i["review_type_id"], i["month"]) for i in example[1]["items"]}
    assert {i.year for i in items} == {YEAR}


def test_a_plan_edited_in_excel_still_reads(example, tmp_path):
    """A title row above, a column of notes first, columns moved, rows deleted, a month typed as a date, a header in
    lower case, and a Typ typed in lower case."""
    workbook = load_workbook(example[0] / "plan-2026.xlsx")
    ws = workbook["Plan"]
    ws.insert_rows(1)
    ws["A1"] = "Vår plan, reviderad i mars"
    ws.insert_cols(1)
    ws["A2"] = "Anteckning"
    columns = {cell.value: cell.column_letter for cell in ws[2] if cell.value}
    ws.move_range(f"{columns['Utförar-ID']}2:{columns['Utförar-ID']}{ws.max_row}", cols=ws.max_column)
    ws.cell(row=2, column=ws.max_column).value = "utförar-id"
    ws.delete_rows(4, 2)
    ws[f"{columns['Månad']}3"] = dt.datetime(2026, 11, 1)
    ws[f"{columns['Månad']}3"].number_format = "mmm-yy"
    ws[f"{columns['Typ']}6"] = str(ws[f"{columns['Typ']}6"].value).lower()
    workbook.save(tmp_path / "edited.xlsx")

    items = example[1]["items"]
    expected = [(i["provider_id"], i["review_type_id"], i["month"]) for i in items]
    expected[0] = (expected[0][0], expected[0][1], "2026-11")
    del expected[1:3]  # rows 4 and 5: the second and third review
    found = read_previous_plan(tmp_path / "edited.xlsx")
    assert [(i.provider_id, i.review_type_id, i.month) for i in found] == expected


def test_a_review_planned_but_not_done_is_carried_over_as_mandatory(cli, tmp_path):
    """Two providers planned for 2026: one has a Granskningar row in 2026, the other none; only the other is carried over."""
    providers = [PROVIDER_HEADERS, provider_row("DONE", "Gjord", last=dt.date(2023, 3, 1)),
                 provider_row("MISSED", "Missad", last=dt.date(2023, 3, 1))]  # due under the rotation: a quality review
    write_xlsx(tmp_path / "register-2026.xlsx", {"Utförare": providers})
    result = cli("plan", "--year", 2026, "--register", "register-2026.xlsx", "--capacity-hours", 1000, "--out", "plan-2026.xlsx",
                 cwd=tmp_path)
    assert result.code == 0, result.stderr
    planned = {(i.provider_id, i.review_type_id) for i in read_previous_plan(tmp_path / "plan-2026.xlsx")}
    assert planned == {("DONE", "quality_review"), ("MISSED", "quality_review")}

    reviews = [REVIEW_HEADERS, ["G-1", "DONE", dt.date(2026, 5, 12), "Kvalitetsgranskning", "Platsbesök", "Anna", "Inga brister"]]
    write_xlsx(tmp_path / "register-2027.xlsx", {"Utförare": providers, "Granskningar": reviews})
    result = cli("plan", "--year", 2027, "--register", "register-2027.xlsx", "--capacity-hours", 1000,
                 "--previous", "plan-2026.xlsx", "--json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    carried = {i["provider_id"]: i for i in result.json()["items"] if any("planen 2026" in r for r in i["reasons"])}
    assert list(carried) == ["MISSED"]
    missed = carried["MISSED"]
    assert missed["mandatory"] and missed["review_type_id"] == "quality_review"
    assert any(r.startswith("obligatorisk: överförd från planen 2026: Kvalitetsgranskning planerad 2026-") for r in missed["reasons"])


def _plan_sheet(path: Path, rows: list[list]) -> Path:
    return write_xlsx(path, {"Plan": [["Månad", "Utförar-ID", "Utförare", "Typ"], *rows], "Om planen": [["Planår", 2025]]})


BAD_PREVIOUS = {
    "not-a-workbook": (lambda p: p.write_text("Månad;Utförar-ID;Typ\n2025-03;HT-001;Kvalitetsgranskning\n", encoding="utf-8"),
                       ["plan-2025.xlsx är ingen Excel-arbetsbok", "--previous"]),
    "no-plan-sheet": (lambda p: write_xlsx(p, {"Utförare": [PROVIDER_HEADERS]}),
                      ["plan-2025.xlsx är inte en plan från followup plan: bladet Plan saknas", "Utförare"]),
    "missing-column": (lambda p: write_xlsx(p, {"Plan": [["Utförar-ID", "Utförare", "Typ"], ["HT-001", "Solgården", "Kvalitetsgranskning"]]}),
                       ["plan-2025.xlsx, bladet Plan, rad 1: kolumnen Månad saknas"]),
    "bad-month": (lambda p: _plan_sheet(p, [["2025-03", "HT-001", "Solgården", "Kvalitetsgranskning"],
                                            ["2025-13", "0180", "Björkbacken", "Kvalitetsgranskning"]]),
                  ["plan-2025.xlsx, bladet Plan, rad 3, kolumn A (Månad): '2025-13' är ingen månad", "ÅÅÅÅ-MM"]),
    "unknown-type": (lambda p: _plan_sheet(p, [["2025-03", "HT-001", "Solgården", "Kvalitetsgransking"]]),
                     ["plan-2025.xlsx, bladet Plan, rad 2, kolumn D (Typ): 'Kvalitetsgransking' är ingen granskningstyp",
                      "menade du 'Kvalitetsgranskning'?"]),
    "two-years": (lambda p: _plan_sheet(p, [["2025-03", "HT-001", "Solgården", "Kvalitetsgranskning"],
                                            ["2025-04", "0180", "Björkbacken", "Kvalitetsgranskning"],
                                            ["2024-11", "HT-001", "Solgården", "Avtalsuppföljning"]]),
                  ["plan-2025.xlsx, bladet Plan, rad 4, kolumn A (Månad): 2024-11 ligger inte i planåret 2025"]),
}


@pytest.mark.parametrize("case", list(BAD_PREVIOUS))
def test_a_bad_previous_plan_is_a_sentence_naming_where(cli, example, tmp_path, case):
    make, expected = BAD_PREVIOUS[case]
    path = tmp_path / "plan-2025.xlsx"
    make(path)
    result = cli("plan", "--year", YEAR, "--previous", path, cwd=example[0])
    assert result.code == 3, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


def test_a_missing_previous_plan_is_a_sentence(cli, example, tmp_path):
    result = cli("plan", "--year", YEAR, "--previous", tmp_path / "plan-2025.xlsx", cwd=example[0])
    assert result.code == 3 and "plan-2025.xlsx (--previous) finns inte" in result.stderr


# --- The calendar ---------------------------------------------------------------------------------------------

def test_one_all_day_event_per_review_on_a_weekday_of_its_month(example):
    from icalendar import Calendar

    plan = example[1]
    calendar = Calendar.from_ical((example[0] / "plan-2026.ics").read_bytes())
    assert str(calendar["PRODID"]) == "-//followup//uppföljningsplan//SV"
    assert str(calendar["X-WR-CALNAME"]) == "Uppföljningsplan 2026 – Exempelkommun"
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan["items"])
    for event, item in zip(events, plan["items"]):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
        assert f"{start:%Y-%m}" == item["month"] and start.weekday() < 5
        assert str(event["SUMMARY"]) == f"{item['review_type']}: {item['name']} ({item['method']})"
        assert [str(c) for c in event["CATEGORIES"].cats] == [item["unit"]]
        description = str(event["DESCRIPTION"])
        assert item["unit"] in description and f"{item['hours']:g} timmar" in description
        assert all(r in description for r in item["reasons"])
        assert event.decoded("DTSTAMP") == dt.datetime(2025, 12, 31, tzinfo=dt.timezone.utc)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    night_patrol = next(i for i in plan["items"] if i["provider_id"] == "0180")  # its leading zero kept
    assert f"2026-0180-{night_patrol['review_type_id']}@followup" in uids  # year, provider and type: the same on every run
    assert "2026-S%C3%84BO-002-targeted+L%C3%A4kemedelshantering@followup" in uids


def test_the_calendar_is_byte_identical_on_a_rerun(cli, example, tmp_path):
    first = cli("plan", "--year", YEAR, "--as-of", "2025-12-31", "--format", "ics", "--out", tmp_path / "a.ics", cwd=example[0])
    second = cli("plan", "--year", YEAR, "--as-of", "2025-12-31", "--format", "ics", "--out", tmp_path / "b.ics", cwd=example[0])
    assert first.code == second.code == 0
    data = (tmp_path / "a.ics").read_bytes()
    assert data == (tmp_path / "b.ics").read_bytes() == (example[0] / "plan-2026.ics").read_bytes()
    assert b"DTSTAMP:20251231T000000Z\r\n" in data


def test_the_calendar_lines_are_crlf_and_at_most_75_octets(example):
    data = (example[0] / "plan-2026.ics").read_bytes()
    assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded, not cut


def _equal_treatment_from_json(plan: dict) -> dict[str, dict]:
    """Per Regiform, from --json alone: active providers, followed up (a theme is not a follow-up), reviews per
    method, theme reviews and the hours of the reviews."""
    rows = {o["ownership"]: {"providers": o["providers"], "followed": set(), "methods": {}, "themes": 0, "hours": 0.0}
            for o in plan["ownership"]}
    for i in plan["items"]:
        row = rows[i["ownership"]]
        if i["theme"]:
            row["themes"] += 1
        else:
            row["followed"].add(i["provider_id"])
            row["methods"][i["method"]] = row["methods"].get(i["method"], 0) + 1
            row["hours"] += i["hours"]
    return rows


def test_the_workbook_shows_equal_treatment_per_regiform_without_counting_themes(example, workbook):
    plan = example[1]
    by_provider: dict[str, set] = {}
    for i in plan["items"]:
        by_provider.setdefault(i["provider_id"], set()).add(bool(i["theme"]))
    assert any(True in kinds for kinds in by_provider.values()), "the example has theme reviews, which must not count"
    text = next(row[1] for row in workbook["Om planen"].iter_rows(values_only=True) if row[0] == "Likställd uppföljning")
    for owner, row in _equal_treatment_from_json(plan).items():
        line = next(part for part in text.split("\n") if part.startswith(owner + ":"))
        active = "1 aktiv utförare" if row["providers"] == 1 else f"{row['providers']} aktiva utförare"
        assert line.startswith(f"{owner}: {active}, {len(row['followed'])} uppföljda ("), line
        for method, n in row["methods"].items():
            assert f"{method.lower()} {n}" in line
        assert (f"{row['themes']} teman" if row["themes"] != 1 else "1 tema") in line
        assert f"{row['hours']:g} timmar" in line


def test_every_header_the_user_sees_is_swedish_and_the_ids_are_hidden_at_the_far_right(workbook):
    for name in ("Plan", "Ej valda"):
        ws = workbook[name]
        headers = [c.value for c in ws[1]]
        assert headers[-2:] == ["Typ (id)", "Metod (id)"]
        hidden = [c.value for c in ws[1] if ws.column_dimensions[c.column_letter].hidden]
        assert hidden == ["Typ (id)", "Metod (id)"]
        assert not [h for h in headers if "_" in h or h in ("review_type_id", "method_id")], headers


def _printed_columns(ws) -> list[str]:
    """The letters of the columns that print: the print area's, else all."""
    import re

    from openpyxl.utils import column_index_from_string, get_column_letter

    last = ws.max_column
    if ws.print_area:
        last = column_index_from_string(re.search(r":\$?([A-Z]+)", ws.print_area).group(1))
    return [get_column_letter(c) for c in range(1, last + 1)]


def _printed_points(ws) -> float:
    """The width of what prints, in points as LibreOffice draws it (7 pt a character of column width)."""
    letters = _printed_columns(ws)
    assert not any(ws.column_dimensions[x].hidden for x in letters), f"{ws.title}: a hidden column prints"
    return sum(7 * (ws.column_dimensions[x].width or 8.43) for x in letters)


@pytest.mark.parametrize("book", ["plan", "risk"])
def test_every_sheet_prints_on_a4_landscape_one_page_wide_at_8_pt_or_more(example, book):
    """A4 landscape (29,7 cm) less 2 × 0,3 inch margins is 798 pt; fitted to that, 11 pt text stays at 8 pt or more."""
    if book == "risk":
        code, _, err = _followup(example[0], "risk-analyze", "--as-of", "2025-12-31", "--out", "risk.xlsx", "-q")
        assert code == 0, err
    path = example[0] / ("plan-2026.xlsx" if book == "plan" else "risk.xlsx")
    for ws in load_workbook(path).worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.auto_filter.ref:
            assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
        margins = ws.page_margins.left + ws.page_margins.right
        scale = min(1.0, (11.69 - margins) * 72 / _printed_points(ws))
        assert 11 * scale >= 8, (ws.title, round(11 * scale, 1))
    if book == "plan":
        book = load_workbook(path)
        for name, essential in (("Plan", {"Månad", "Utförar-ID", "Utförare", "Typ", "Metod", "Timmar", "Skäl"}),
                                ("Ej valda", {"Status", "Utförar-ID", "Utförare", "Typ", "Skäl"})):
            ws = book[name]
            assert ws.print_area, name  # the full width would print below 8 pt
            printed = {ws[f"{x}1"].value for x in _printed_columns(ws)}
            assert essential <= printed and "Typ (id)" not in printed, (name, printed)


@pytest.mark.parametrize("id_header", ["Typ (id)", "review_type_id"])
def test_previous_reads_the_hidden_id_column_today_and_the_english_one_of_older_plans(example, tmp_path, id_header):
    """With Typ emptied, the type comes from the id column: 'Typ (id)' as written now, 'review_type_id' (and
    'method_id') as plans written before issue 9 had them."""
    workbook = load_workbook(example[0] / "plan-2026.xlsx")
    ws = workbook["Plan"]
    columns = _columns(ws)
    if id_header == "review_type_id":
        ws.cell(1, columns["Typ (id)"]).value = "review_type_id"
        ws.cell(1, columns["Metod (id)"]).value = "method_id"
    for row in range(2, ws.max_row + 1):
        ws.cell(row, columns["Typ"]).value = None
    workbook.save(tmp_path / "plan.xlsx")
    found = read_previous_plan(tmp_path / "plan.xlsx")
    assert [(i.provider_id, i.review_type_id, i.month) for i in found] == \
           [(i["provider_id"], i["review_type_id"], i["month"]) for i in example[1]["items"]]


def test_every_planned_review_has_its_stable_id_in_the_workbook(example, workbook):
    """Checklists will be named by the review id: the workbook shows the same id as --json, one per row."""
    plan = example[1]
    ws = workbook["Plan"]
    headers = [c.value for c in ws[1]]
    column = headers.index("Gransknings-ID")
    ids = [row[column] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ids == [i["review_id"] for i in plan["items"]]
    assert len(set(ids)) == len(ids) and all(i.startswith("2026-") for i in ids)
