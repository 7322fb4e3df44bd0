"""The command line as scripts and people meet it: help, start-up, encodings, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from followup_cli.cli.app import app

COMMANDS = sorted(c.name for c in app.registered_commands)


def test_every_command_is_listed_with_a_swedish_line(cli):
    result = cli("--help")
    assert result.code == 0
    for command in app.registered_commands:
        assert command.name in result.stdout
        assert command.help and command.help.endswith(".")
        assert any(ch in command.help for ch in "åäöÅÄÖ") or " och " in command.help or " en " in command.help


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_every_command_is_documented(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    import inspect

    callback = next(c.callback for c in app.registered_commands if c.name == command)
    for parameter in inspect.signature(callback).parameters.values():
        info = parameter.default
        assert getattr(info, "help", None), f"{command}: {parameter.name} has no help text"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_swedish_down_to_the_help_line(cli, command):
    result = cli(*([command] if command else []), "--help")
    assert "Visa den här hjälpen och avsluta." in result.stdout and "Show this message" not in result.stdout


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from followup_cli.cli.app import main; sys.argv=['followup','--help']\n"
            "try: main()\nexcept SystemExit: pass\n"
            "heavy=[m for m in ('pandas','numpy','openpyxl','scipy','matplotlib','pyarrow','fastexcel','python_calamine','highspy','docxtpl','docx','icalendar','holidays','pydantic') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_unicode_messages_survive_a_cp1252_pipe(tmp_path):
    """A scheduled job on Windows redirects output in cp1252; 'ö' and '→' must not crash it."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "NO_COLOR": "1"}
    missing = tmp_path / "Händelser→.xlsx"
    proc = subprocess.run([sys.executable, "-m", "followup_cli", "validate", str(missing)], capture_output=True, env=env)
    assert proc.returncode == 3
    assert "Händelser→.xlsx" in proc.stderr.decode("utf-8")
    assert b"Traceback" not in proc.stderr


def test_no_colour_codes_when_output_is_not_a_terminal(cli, register):
    from conftest import valid_sheets

    sheets = valid_sheets()
    sheets["Utförare"][1][3] = "Privat regi"
    result = cli("validate", register(sheets))
    assert result.code == 1
    assert "\x1b[" not in result.stdout + result.stderr
    assert "Privat regi" in result.stdout


def test_quiet_silences_messages_but_not_results(cli, register):
    result = cli("-q", "validate", register(), "--json")
    assert result.code == 0 and result.stderr == "" and result.json() == []


def test_wrong_usage_is_exit_2(cli):
    assert cli("validate", "--no-such-option").code == 2
    assert cli("no-such-command").code == 2
    assert cli("validate", "x.xlsx", "--as-of", "31/12").code == 2


def test_a_missing_file_is_exit_3_with_a_sentence(cli, tmp_path):
    result = cli("validate", tmp_path / "saknas.xlsx")
    assert result.code == 3
    assert "saknas.xlsx finns inte" in result.stderr
    result = cli("validate", tmp_path / "saknas.xlsx", "--json")
    assert result.json()[0]["code"] == "unreadable-file" and result.json()[0]["file"] == "saknas.xlsx"


def test_an_internal_error_is_a_sentence_and_exit_10(cli, register, monkeypatch):
    import followup_cli.register.validate as module

    monkeypatch.setattr(module, "read_register", lambda *a, **k: 1 / 0)
    result = cli("validate", register())
    assert result.code == 10
    assert "--debug" in result.stderr and "Traceback" not in result.stderr


def test_the_readme_documents_the_format_as_the_schemas_define_it():
    from pathlib import Path

    from followup_cli.schema_docs import replace_section

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert replace_section(readme) == readme, "run: python -m followup_cli.schema_docs README.md"


def test_the_readme_documents_every_exit_code():
    from pathlib import Path

    from followup_cli.errors import ExitCode

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in [*ExitCode, 10]:
        assert f"\n| {int(code)} | " in readme


def test_quiet_and_debug_may_follow_the_command(cli, register):
    result = cli("validate", register(), "--json", "-q")
    assert result.code == 0 and result.stderr == "" and result.json() == []
