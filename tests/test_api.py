"""The library under the CLI: each command's --json is exactly what the api function returns,
and the api works on explicit paths without any followup.yaml, as a scheduled Python script uses it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import valid_sheets, write_xlsx

from followup_cli import api
from followup_cli.errors import InputError, OutputError, UsageError
from followup_cli.publish.write import json_bytes
from followup_cli.workspace import Workspace

AS_OF = "2025-12-31"


def test_validate_json_is_the_library_result(cli, workspace):
    result = cli("validate", "--json", "--as-of", AS_OF, cwd=workspace)
    run = api.validate(api.open_workspace(workspace / "followup.yaml"), as_of=AS_OF)
    assert result.code == (1 if run.has_errors else 0)
    assert result.json() == [p.to_dict() for p in run.problems]
    assert run.problems, "the example register carries two deliberate warnings"


def test_plan_json_is_the_library_result(cli, workspace):
    result = cli("plan", "--year", "2026", "--json", cwd=workspace)
    run = api.plan(api.open_workspace(workspace / "followup.yaml"), year=2026)
    assert result.code == (1 if run.shortfall else 0), result.stderr
    assert result.json() == run.plan.to_dict()
    assert run.output is None  # no format asked: nothing written, nothing rendered


def test_alerts_json_is_the_library_result(cli, workspace):
    result = cli("risk-analyze", "--alerts", "--since", "2025-10-01", "--json", "--as-of", AS_OF, cwd=workspace)
    run = api.analyze(api.open_workspace(workspace / "followup.yaml"), as_of=AS_OF, alerts=True, since="2025-10-01")
    first = result.stdout.splitlines()[0]  # the alerts object, then the analysis
    assert json.loads(first)["alerts"] == json.loads(json_bytes([a.to_dict() for a in run.alerts]))
    assert result.code == 1 and run.alerts


def test_the_api_runs_on_a_register_alone_without_a_workspace(tmp_path):
    """A scheduled script with only a register: an empty workspace, the register named explicitly."""
    register = write_xlsx(tmp_path / "register.xlsx", valid_sheets())
    ws = api.open_workspace(cwd=tmp_path)
    assert ws.config_path is None
    run = api.analyze(ws, register=register, as_of=dt.date(2025, 12, 31))
    assert [p.provider_id for p in run.analysis.providers] and run.inputs == [register]
    plan = api.plan(ws, register=register, year=2026, capacity_hours=500)
    assert {i.provider_id for i in plan.plan.items} <= {"HT-001", "0180"}


def test_plan_writes_xlsx_to_the_output_folder_and_returns_text_formats(tmp_path):
    register = write_xlsx(tmp_path / "register.xlsx", valid_sheets())
    ws = Workspace(root=tmp_path, register=register, output=tmp_path / "ut", plan={"capacity": {"Sociala kvalitetsenheten": 500}})
    written = api.plan(ws, year=2026, fmt="xlsx").output
    assert written.path == tmp_path / "ut" / "plan-2026.xlsx" and written.path.is_file()
    markdown = api.plan(ws, year=2026, fmt="md").output
    assert markdown.path is None and isinstance(markdown.data, str) and "2026" in markdown.data
    public = api.plan(ws, year=2026, fmt="json", audience="public").output
    assert isinstance(public.data, dict) and "ownership" in public.data


def test_an_output_over_an_input_is_refused(tmp_path):
    register = write_xlsx(tmp_path / "register.xlsx", valid_sheets())
    ws = Workspace(root=tmp_path, register=register, plan={"capacity": {"Sociala kvalitetsenheten": 500}})
    before = register.read_bytes()
    with pytest.raises(UsageError, match="indatafilerna"):
        api.plan(ws, year=2026, out=register)
    assert register.read_bytes() == before


def test_rules_of_the_commands_live_in_the_library(tmp_path):
    register = write_xlsx(tmp_path / "register.xlsx", valid_sheets())
    ws = Workspace(root=tmp_path, register=register, plan={"capacity": {"Sociala kvalitetsenheten": 500}})
    with pytest.raises(UsageError, match="menade du 'Socialnämnden'"):
        api.plan(ws, year=2026, board="Socialnämd")
    with pytest.raises(UsageError, match="--since hör till --alerts"):
        api.analyze(ws, since="2025-01-01")
    with pytest.raises(UsageError, match="planåret"):
        api.plan(Workspace(root=tmp_path, register=register), year=None)
    with pytest.raises(UsageError, match="Okänt format"):
        api.plan(ws, year=2026, fmt="pdf")


def test_an_invalid_register_is_refused_for_analysis_with_its_first_error(tmp_path):
    sheets = valid_sheets()
    sheets["Utförare"][1][3] = "Privat regi"  # Regiform outside the vocabulary
    register = write_xlsx(tmp_path / "register.xlsx", sheets)
    with pytest.raises(InputError, match=r"1 fel .* Det första: fel: register.xlsx, bladet Utförare, cell D2"):
        api.analyze(api.open_workspace(cwd=tmp_path), register=register)


def test_init_leaves_existing_files_alone(tmp_path):
    written = api.init(tmp_path / "ny", organisation="Testkommun", year=2027)
    assert sorted(p.name for p in written) == ["followup.yaml", "register.xlsx"]
    assert "Testkommun" in (tmp_path / "ny" / "followup.yaml").read_text(encoding="utf-8")
    with pytest.raises(OutputError, match="finns redan"):
        api.init(tmp_path / "ny")
