"""Nothing lost under faults: files the tool did not write, permissions, signals in the middle of a write,
stale temp files, and a stdout that fails (issue 13).

The signal tests run the real process with FOLLOWUP_TEST_PAUSE_IN_WRITE, a test-only pause after the temp
file is complete and before it replaces the target, so the signal lands exactly inside the atomic write.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES
from openpyxl import Workbook, load_workbook

from followup_cli.publish.write import MANIFEST, PAUSE_FOR_TESTS, TEMP_SUFFIX, remove_stale_temps

POSIX = os.name == "posix"


@pytest.fixture
def examples(tmp_path):
    target = tmp_path / "ex"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("out"))
    return target


def _a_filled_in_checklist(path: Path) -> bytes:
    wb = Workbook()
    wb.active.title = "Frågor"
    wb.active.append(["Fråge-ID", "Svar", "Iakttagelse"])
    wb.active.append(["F1", "Nej", "Genomförandeplaner saknas för tre brukare"])
    wb.save(path)
    return path.read_bytes()


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


# --- never over a file the tool did not write ----------------------------------------------------------------------


def test_a_workbook_the_tool_did_not_write_is_refused_with_exit_5(cli, examples):
    checklist = examples / "out" / "G-2026-001.xlsx"
    checklist.parent.mkdir()
    before = _a_filled_in_checklist(checklist)
    result = cli("plan", "--year", "2026", "--out", checklist, cwd=examples)
    assert result.code == 5, result.stderr
    assert "finns redan och är inte skriven av followup" in result.stderr and "--force" in result.stderr
    assert checklist.read_bytes() == before
    result = cli("risk-analyze", "--as-of", "2025-12-31", "--out", checklist, "-q", cwd=examples)
    assert result.code == 5 and checklist.read_bytes() == before


def test_force_replaces_it(cli, examples):
    target = examples / "plan.xlsx"
    _a_filled_in_checklist(target)
    result = cli("plan", "--year", "2026", "--out", target, "--force", cwd=examples)
    assert result.code == 0, result.stderr
    assert "Plan" in load_workbook(target).sheetnames


def test_a_file_the_tool_wrote_is_replaced_until_someone_changes_it(cli, examples):
    target = examples / "out" / "risk.xlsx"
    assert cli("risk-analyze", "--as-of", "2025-12-31", "--out", target, "-q", cwd=examples).code == 0
    assert cli("risk-analyze", "--as-of", "2025-12-31", "--out", target, "-q", cwd=examples).code == 0  # ours, unchanged
    assert (target.parent / MANIFEST).is_file()
    wb = load_workbook(target)
    wb.active["A1"] = "ändrad av en granskare"
    wb.save(target)
    edited = target.read_bytes()
    result = cli("risk-analyze", "--as-of", "2025-12-31", "--out", target, "-q", cwd=examples)
    assert result.code == 5 and target.read_bytes() == edited


@pytest.mark.skipif(not POSIX, reason="permission bits as POSIX has them")
def test_a_replaced_file_keeps_its_permission_bits(cli, examples):
    target = examples / "out" / "plan-2026.xlsx"
    assert cli("plan", "--year", "2026", "--format", "xlsx", cwd=examples).code == 0
    target.chmod(0o600)
    assert cli("plan", "--year", "2026", "--format", "xlsx", cwd=examples).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_read_only_target_is_exit_5_even_with_force(cli, examples):
    target = examples / "out" / "plan-2026.xlsx"
    assert cli("plan", "--year", "2026", "--format", "xlsx", cwd=examples).code == 0
    before = target.read_bytes()
    target.chmod(0o444)
    try:
        result = cli("plan", "--year", "2026", "--format", "xlsx", "--force", cwd=examples)
        assert result.code == 5 and "skrivskyddad" in result.stderr
        assert target.read_bytes() == before
    finally:
        target.chmod(0o644)


# --- signals inside the atomic write --------------------------------------------------------------------------------


def _start_paused_write(examples: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, PAUSE_FOR_TESTS: "30", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "followup_cli", "plan", "--year", "2026", "--out", str(out)],
                            cwd=examples, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    line = b""
    while b"paused" not in line:
        assert time.monotonic() < deadline, "the writer never reached the pause"
        line = proc.stderr.readline()
        assert line or proc.poll() is None, f"the writer ended early: {proc.stderr.read()!r}"
    return proc


@pytest.mark.skipif(not POSIX, reason="signals as POSIX has them")
@pytest.mark.slow
@pytest.mark.parametrize("sent, code, said", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Avbrutet")])
def test_a_signal_inside_the_write_leaves_the_old_file_and_no_temp_file(cli, examples, sent, code, said):
    out = examples / "out" / "plan.md"
    assert cli("plan", "--year", "2026", "--out", out, cwd=examples).code == 0
    before = out.read_bytes()
    proc = _start_paused_write(examples, out)
    assert temps(out.parent), "the temp file exists while the writer pauses"
    proc.send_signal(sent)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert said in err.decode("utf-8") and "Traceback" not in err.decode("utf-8")
    assert out.read_bytes() == before
    assert temps(out.parent) == []


@pytest.mark.skipif(not POSIX, reason="signals as POSIX has them")
@pytest.mark.slow
def test_sigkill_inside_the_write_leaves_the_old_file_and_the_next_write_cleans_up(cli, examples):
    out = examples / "out" / "plan.md"
    assert cli("plan", "--year", "2026", "--out", out, cwd=examples).code == 0
    before = out.read_bytes()
    proc = _start_paused_write(examples, out)
    proc.kill()
    proc.communicate(timeout=30)
    assert out.read_bytes() == before
    [left] = temps(out.parent)  # SIGKILL cannot be caught: the temp file stays, the target is whole
    assert cli("plan", "--year", "2026", "--out", examples / "out" / "plan.html", cwd=examples).code == 0
    assert not left.exists(), "the next write to the folder removes a temp file whose process is gone"


def test_another_jobs_live_temp_file_is_left_alone_and_an_old_one_removed(tmp_path):
    live = tmp_path / f".plan.xlsx.{os.getpid()}.abcd1234{TEMP_SUFFIX}"
    live.write_bytes(b"half")
    old = tmp_path / f".risk.xlsx.{os.getpid()}.feedbeef{TEMP_SUFFIX}"
    old.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    foreign = tmp_path / ".someone-elses.tmp"
    foreign.write_bytes(b"x")
    remove_stale_temps(tmp_path)
    assert live.exists() and not old.exists() and foreign.exists()


# --- stdout that fails ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="pipes as POSIX has them")
def test_a_pipe_closed_by_the_reader_is_exit_0_in_silence(examples):
    proc = subprocess.Popen([sys.executable, "-m", "followup_cli", "risk-analyze", "--as-of", "2025-12-31", "--top", "50"],
                            cwd=examples, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    proc.stdout.read(10)
    proc.stdout.close()  # `| head -c 10`
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_exit_5_with_a_sentence(examples):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "followup_cli", "plan", "--year", "2026", "--json"], cwd=examples,
                              stdout=full, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 5, err
    assert "disken är full" in err and "Traceback" not in err
