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


@pytest.mark.parametrize("args, sentence", [
    (["plan", "--yeer", "2026"], "Okänd flagga --yeer – menade du --year? Se followup plan --help."),
    (["validate", "--no-such-option"], "Okänd flagga --no-such-option. Se followup validate --help."),
    (["plan", "--year"], "Flaggan --year saknar värde. Se followup plan --help."),
    (["plan", "--year", "tjugo"], "Ogiltigt värde för --year: ange ett heltal mellan 2000 och 2100. Se followup plan --help."),
    (["risk-analyze", "--top", "0"], "Ogiltigt värde för --top: ange ett heltal som är minst 1. Se followup risk-analyze --help."),
    (["validate", "--json=ja"], "Flaggan --json tar inget värde. Se followup validate --help."),
    (["validate", "a.xlsx", "b.xlsx"], "För många argument: b.xlsx används inte. Se followup validate --help."),
    (["plann"], "Okänt kommando plann – menade du plan? Se followup --help."),
    (["no-such-command"], "Okänt kommando no-such-command. Kommandona är init, validate, risk-analyze, plan, review-report, actions, report, check-template, checklist. Se followup --help."),
    (["--bogus"], "Okänd flagga --bogus. Se followup --help."),
])
def test_wrong_usage_is_one_swedish_line_and_exit_2(cli, args, sentence):
    result = cli(*args)
    assert result.code == 2
    assert result.stderr == f"followup: {sentence}\n"
    assert result.stdout == ""


def test_wrong_usage_is_exit_2(cli):
    assert cli("validate", "x.xlsx", "--as-of", "31/12").code == 2


def test_followup_alone_shows_the_help(cli):
    result = cli()
    assert result.code == 2
    assert "Visa den här hjälpen och avsluta." in result.stderr and "Slutkoder:" in result.stderr


def test_a_missing_file_is_exit_3_with_a_sentence(cli, tmp_path):
    result = cli("validate", tmp_path / "saknas.xlsx")
    assert result.code == 3
    assert "saknas.xlsx finns inte" in result.stderr
    result = cli("validate", tmp_path / "saknas.xlsx", "--json")
    assert result.json()[0]["code"] == "unreadable-file" and result.json()[0]["file"] == "saknas.xlsx"


TOLVAN = "19121212-1212"  # Skatteverket's test personnummer


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The system's temp folder, for crash logs that cannot go to a workspace."""
    import tempfile

    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _bug_in_reading(monkeypatch):
    """A bug of ours inside the reader (a TypeError quoting a cell): it must not be blamed on the file."""
    from followup_cli.read.workbook import Workbook

    def broken(self, sheet):
        raise TypeError(f"unsupported operand type(s) for +: 'int' and 'str' ({TOLVAN})")

    monkeypatch.setattr(Workbook, "_xlsx_grid", broken)


def test_a_bug_in_the_reader_is_exit_10_with_a_crash_log_in_the_output_folder(cli, workspace, monkeypatch, temp_folder):
    _bug_in_reading(monkeypatch)
    result = cli("validate", cwd=workspace)
    assert result.code == 10
    log = workspace / "out" / "followup-crash.log"
    assert result.stderr == (f"followup: Ett oväntat fel inträffade (TypeError: unsupported operand type(s) for +: 'int' and 'str' "
                             f"(ÅÅMMDD-XXXX)). En felrapport finns i {log}: skicka den till den som sköter followup.\n")
    assert "spara om" not in result.stderr and "Traceback" not in result.stderr
    text = log.read_text(encoding="utf-8")
    import platform

    from followup_cli import __version__

    for part in (f"followup {__version__}", sys.version.split()[0], platform.platform(), "Kommandorad: followup validate",
                 "Tid (UTC): ", "Traceback (most recent call last)", "in broken", "TypeError"):
        assert part in text
    assert "1212" not in text and "ÅÅMMDD-XXXX" in text
    assert list(temp_folder.iterdir()) == []


def test_the_crash_log_goes_to_the_temp_folder_when_the_output_folder_cannot_be_written(cli, workspace, monkeypatch, temp_folder):
    _bug_in_reading(monkeypatch)
    (workspace / "out").write_text("en fil, inte en mapp", encoding="utf-8")
    result = cli("validate", cwd=workspace)
    assert result.code == 10
    assert f"En felrapport finns i {temp_folder / 'followup-crash.log'}" in result.stderr
    assert "TypeError" in (temp_folder / "followup-crash.log").read_text(encoding="utf-8")


def test_an_internal_error_without_a_workspace_logs_to_the_temp_folder(cli, register, monkeypatch, temp_folder):
    import followup_cli.register.validate as module

    monkeypatch.setattr(module, "read_register", lambda *a, **k: 1 / 0)
    result = cli("validate", register(), cwd=temp_folder.parent)
    assert result.code == 10
    assert "ZeroDivisionError" in result.stderr and str(temp_folder / "followup-crash.log") in result.stderr


def test_debug_still_prints_the_traceback(cli, workspace, monkeypatch, temp_folder):
    _bug_in_reading(monkeypatch)
    result = cli("--debug", "validate", cwd=workspace)
    assert result.code == 10 and "Traceback" in result.stderr


def test_ctrl_c_is_a_word_and_exit_130(cli, register, monkeypatch):
    import followup_cli.register.validate as module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "read_register", interrupted)
    result = cli("validate", register())
    assert result.code == 130 and result.stderr == "followup: Avbrutet.\n"


def test_personnummer_are_masked_in_every_form():
    from followup_cli.register.identity import mask_personnummer

    text = "a 19121212-1212 b 121212-1212 c 1212121212 d 191212121212 e 121212+1212 f 121272-1219 g 121212-1213 h 556677-8899"
    masked = mask_personnummer(text)
    assert masked.count("ÅÅMMDD-XXXX") == 6
    assert "121212-1213" in masked  # wrong check digit: not a personnummer
    assert "556677-8899" in masked  # an organisation number (month 66) stays


def test_the_readme_documents_the_format_as_the_schemas_define_it():
    from pathlib import Path

    from followup_cli.readme import replace_sections

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert replace_sections(readme) == readme, "run: python -m followup_cli.readme README.md"


def test_every_exit_code_is_in_the_readme_and_the_help(cli):
    from pathlib import Path

    from followup_cli.errors import ExitCode

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    help_text = cli("--help").stdout
    for code in ExitCode:
        assert f"\n| {int(code)} | {code.meaning} |" in readme
        assert f"{int(code)}  {code.meaning.replace('`', '')}" in help_text  # the help is plain text
    assert {10, 130} <= set(ExitCode)


def test_quiet_and_debug_may_follow_the_command(cli, register):
    result = cli("validate", register(), "--json", "-q")
    assert result.code == 0 and result.stderr == "" and result.json() == []
