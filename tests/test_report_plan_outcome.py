"""The annual report's plan against the outcome on the example, which followed its 2025 plan: the README's main
command (`followup plan --year 2025 --as-of 2024-12-31 --format xlsx && followup report`) reads as a municipality
that did its plan, each review not done gives the reason the register holds (a Skjut upp in Justeringar), and the
plan made as of 2024-12-31 reads nothing of 2025."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import EXAMPLES
from openpyxl import load_workbook

from followup_cli import api

YEAR = 2025
CUT = dt.datetime(YEAR - 1, 12, 31)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    target = tmp_path_factory.mktemp("outcome") / "ws"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("out"))
    return target


@pytest.fixture(scope="module")
def report(folder):
    ws = api.open_workspace(folder / "followup.yaml")
    api.plan(ws, year=YEAR, as_of=CUT.date(), fmt="xlsx")
    return api.report(ws, fmt="json", date="2026-02-15").context


def _rows(path, sheet: str, header_row: int = 1) -> list[dict]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def test_the_plan_was_done_but_for_the_postponed_reviews_each_with_its_reason(folder, report):
    plan = report["plan"]
    assert plan["done_count"] + len(plan["not_done"]) == plan["planned"]
    postponed = {r["Utförar-ID"]: r["Motivering"] for r in _rows(folder / "register.xlsx", "Justeringar")
                 if r["Åtgärd"] == "Skjut upp" and r["Datum"].year == YEAR}
    assert postponed and {n["provider_id"] for n in plan["not_done"]} == set(postponed)
    for item in plan["not_done"]:
        assert item["why"].startswith(postponed[item["provider_id"]]), item
    assert len(plan["not_done"]) <= 0.1 * plan["planned"]


def test_every_review_of_the_year_is_a_planned_one_or_added_and_unplanned_triggered_visits_are_added(folder, report):
    reviews = {r["Gransknings-ID"]: r for r in _rows(folder / "register.xlsx", "Granskningar") if r["Datum"].year == YEAR}
    done = [d["review_id"] for d in report["plan"]["done"] if d["review_id"] != "Egenrapportering"]
    added = [a["review_id"] for a in report["plan"]["added"]]
    assert sorted(done + added) == sorted(reviews)
    items = api.plan(api.open_workspace(folder / "followup.yaml"), year=YEAR, as_of=CUT.date()).plan.items
    planned = {i.provider_id for i in items if i.review_type_id == "triggered"}
    unplanned = {rid for rid, r in reviews.items() if r["Typ"] == "Påkallad granskning" and r["Utförar-ID"] not in planned}
    assert unplanned and unplanned <= set(added)  # the signals of the year: the trouble providers' visits
    assert report["numbers"]["reviews"] == len(reviews)


def test_a_personal_number_in_a_postponements_reason_stops_the_report_naming_the_cell(cli, workspace):
    assert cli("plan", "--year", str(YEAR), "--as-of", f"{YEAR - 1}-12-31", "--format", "xlsx", cwd=workspace).code in (0, 1)
    book = load_workbook(workspace / "register.xlsx")
    sheet = book["Justeringar"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Skjut upp")
    row[2].value = "Flyttad, kontakt 19121212-1212"
    book.save(workspace / "register.xlsx")
    result = cli("report", "--out", "r.docx", cwd=workspace)
    assert result.code == 4
    assert "bladet Justeringar" in result.stderr and "1212-1212" not in result.stderr
    assert not (workspace / "r.docx").exists()


def test_the_plan_as_of_the_year_before_reads_nothing_of_the_year(folder, tmp_path):
    """The same plan from the register as it is and from one cut to 2024-12-31: later reviews and their findings
    gone, later action-plan and correction dates blank."""
    cut = tmp_path / "cut"
    shutil.copytree(EXAMPLES, cut, ignore=shutil.ignore_patterns("out"))
    book = load_workbook(cut / "register.xlsx")
    reviews = book["Granskningar"]
    later = {r[0].value for r in reviews.iter_rows(min_row=2) if r[2].value and r[2].value > CUT}
    for sheet, dated in (("Granskningar", lambda r: r[0].value in later),
                         ("Brister", lambda r: r[2].value in later),
                         ("Justeringar", lambda r: r[4].value and r[4].value > CUT)):
        ws = book[sheet]
        for index in sorted((r[0].row for r in ws.iter_rows(min_row=2) if dated(r)), reverse=True):
            ws.delete_rows(index)
    header = [c.value for c in book["Brister"][1]]
    for row in book["Brister"].iter_rows(min_row=2):
        for name in ("Åtgärdsplan inkommen", "Åtgärdsplan godkänd", "Åtgärdad"):
            cell = row[header.index(name)]
            if cell.value and cell.value > CUT:
                cell.value = None
    book.save(cut / "register.xlsx")

    def items(root):
        run = api.plan(api.open_workspace(root / "followup.yaml"), year=YEAR, as_of=CUT.date())
        return [(i.provider_id, i.review_type_id, i.method_id, i.month, i.reasons) for i in run.plan.items]

    assert items(folder) == items(cut)


def test_the_plans_sentence_adds_up_with_the_summary(report):
    """'55 (33 granskningar och 22 egenrapporteringar) genomfördes' and the 8 added are the summary's 41 reviews."""
    import re

    reviews, reports = map(int, re.search(r"\((\d+) granskningar? och (\d+) egenrapporteringar?\)", report["plan"]["text"]).groups())
    assert reviews + reports == report["plan"]["done_count"]
    assert reviews + len(report["plan"]["added"]) == report["numbers"]["reviews"]
