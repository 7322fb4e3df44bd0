"""Issue 13: a personnummer typed into the register's free text never reaches the board or the public, and is masked
in internal outputs. The register is built here; Skatteverket's test number 19121212-1212 stands in for a real one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import PROVIDER_HEADERS, provider_row, write_xlsx

UNIT = "Sociala kvalitetsenheten"
ADJUSTMENT_HEADERS = ["Utförar-ID", "Åtgärd", "Motivering", "Beslutad av", "Datum"]
FORMS = ["19121212-1212", "121212-1212", "191212121212", "1212121212", "121212+1212", "20121212 1212"]


def workspace_with(folder, reason: str):
    """Two providers; SOL-1 included by a decision whose Motivering (row 3, column C of Justeringar) is `reason`."""
    providers = [provider_row("SOL-1", "Solrosen", unit=UNIT), provider_row("BJO-2", "Björken", unit=UNIT)]
    write_xlsx(folder / "register.xlsx", {
        "Utförare": [PROVIDER_HEADERS, *providers],
        "Justeringar": [ADJUSTMENT_HEADERS,
                        ["BJO-2", "Inkludera", "Ny verksamhetschef", "Maria Ek", dt.date(2025, 11, 1)],
                        ["SOL-1", "Inkludera", reason, "Maria Ek", dt.date(2025, 12, 1)]],
    })
    (folder / "followup.yaml").write_text(
        "organisation: Testkommun\nyear: 2026\nregister: register.xlsx\noutput: out/\n"
        f"plan:\n  capacity:\n    {UNIT}: 1000\n", encoding="utf-8")
    return folder


def files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("number", FORMS)
def test_the_board_document_is_refused_naming_the_cell_and_nothing_is_written(tmp_path, cli, number):
    ws = workspace_with(tmp_path, f"Anhörig till brukare {number} har klagat")
    before = files(tmp_path)
    result = cli("plan", "--format", "docx", cwd=ws)
    assert result.code == 4, result.stderr
    assert "bladet Justeringar" in result.stderr and "cell C3 (Motivering)" in result.stderr
    assert "ta bort numret" in result.stderr
    assert "1212" not in result.stderr  # the number itself is never repeated back
    assert files(tmp_path) == before


@pytest.mark.parametrize("fmt", ["docx", "md", "html", "json"])
def test_the_public_version_is_refused_too(tmp_path, cli, fmt):
    ws = workspace_with(tmp_path, "Gäller 121212-1212")
    before = files(tmp_path)
    out = tmp_path / "out" / f"plan.{fmt}"
    result = cli("plan", "--format", fmt, "--audience", "public", "--out", out, cwd=ws)
    assert result.code == 4, result.stderr
    assert "Justeringar" in result.stderr and "C3" in result.stderr
    assert files(tmp_path) == before and result.stdout == ""


def test_the_internal_workbook_masks_the_number_and_warns(tmp_path, cli):
    from openpyxl import load_workbook

    ws = workspace_with(tmp_path, "Gäller 19121212-1212, se akt")
    result = cli("plan", "--format", "xlsx", cwd=ws)
    assert result.code == 0, result.stderr
    assert "varning: personnummer maskerat i register.xlsx, bladet Justeringar, cell C3 (Motivering)" in result.stderr
    cells = [str(c) for sheet in load_workbook(tmp_path / "out" / "plan-2026.xlsx") for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any("Gäller ÅÅMMDD-XXXX, se akt" in c for c in cells)  # Solrosen's reason, masked
    assert not any("1212" in c for c in cells)


def test_the_internal_plan_json_masks_the_reason(tmp_path, cli):
    ws = workspace_with(tmp_path, "Gäller 191212121212")
    result = cli("plan", "--json", cwd=ws)
    assert result.code == 0, result.stderr
    solrosen = next(i for i in result.json()["items"] if i["provider_id"] == "SOL-1")
    assert "inkluderad: Gäller ÅÅMMDD-XXXX (beslutat Maria Ek, 2025-12-01)" in solrosen["reasons"]
    assert "1212" not in result.stdout and "personnummer maskerat" in result.stderr


def test_risk_json_masks_the_number_and_names_the_cell(tmp_path, cli):
    ws = workspace_with(tmp_path, "Brukare 121212+1212 föll")
    result = cli("risk-analyze", "--as-of", "2025-12-31", "--json", cwd=ws)
    assert result.code == 0, result.stderr
    assert "1212" not in result.stdout
    solrosen = next(p for p in result.json()["providers"] if p["provider_id"] == "SOL-1")
    assert [a["reason"] for a in solrosen["other_adjustments"]] == ["Brukare ÅÅMMDD-XXXX föll"]
    assert solrosen["other_adjustments"][0]["source"] == {"file": "register.xlsx", "sheet": "Justeringar", "row": 3,
                                                          "column": "C", "header": "Motivering"}
    assert "varning: personnummer maskerat i register.xlsx, bladet Justeringar, cell C3" in result.stderr


def test_risk_workbook_and_terminal_are_masked(tmp_path, cli):
    from openpyxl import load_workbook

    ws = workspace_with(tmp_path, "Höjd efter samtal om 19121212-1212")
    out = tmp_path / "risk.xlsx"
    result = cli("risk-analyze", "--as-of", "2025-12-31", "--out", out, cwd=ws)
    assert result.code == 0, result.stderr
    assert "1212" not in result.stdout
    cells = [str(c) for sheet in load_workbook(out) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("ÅÅMMDD-XXXX" in c for c in cells) and not any("19121212" in c for c in cells)


@pytest.mark.parametrize("not_a_number", ["121212-1213", "19121212-1213", "Avtal 2025-12-01, ärende 1234"])
def test_a_number_with_a_wrong_check_digit_is_not_a_hit(tmp_path, cli, not_a_number):
    ws = workspace_with(tmp_path, f"Gäller {not_a_number}")
    result = cli("plan", "--format", "md", "--out", tmp_path / "plan.md", cwd=ws)
    assert result.code == 0, result.stderr
    assert not_a_number in (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert "personnummer" not in result.stderr


def test_a_coordination_number_is_a_hit(tmp_path, cli):
    ws = workspace_with(tmp_path, "Samordningsnummer 701063-2391")  # day 63 = 3rd + 60, valid check digit
    assert cli("plan", "--format", "md", cwd=ws).code == 4


def test_the_guard_names_every_cell_count():
    from followup_cli.errors import PrivacyError
    from followup_cli.publish.privacy import refuse
    from followup_cli.risk.results import Cell

    found = [("a 121212-1212", Cell("r.xlsx", "Justeringar", 3, "C", "Motivering")),
             ("b 121212-1212", Cell("r.xlsx", "Justeringar", 7, "C", "Motivering"))]
    with pytest.raises(PrivacyError) as err:
        refuse(found, "board")
    assert err.value.exit_code == 4
    assert err.value.message.startswith("Tjänsteskrivelsen till nämnden skrivs inte: r.xlsx, bladet Justeringar, "
                                        "cell C3 (Motivering) (och 1 cell till)")
    refuse([], "public")  # nothing found: nothing stops


def test_json_source_equals_the_library_dict(tmp_path, cli):
    from followup_cli import api

    ws = workspace_with(tmp_path, "Gäller 121212-1212")
    run = api.analyze(api.open_workspace(cwd=ws), as_of="2025-12-31")
    cli_json = cli("risk-analyze", "--as-of", "2025-12-31", "--json", cwd=ws).json()
    assert json.loads(json.dumps(run.analysis.to_dict()["providers"], default=str)) == cli_json["providers"]
