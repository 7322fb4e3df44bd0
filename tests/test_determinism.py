"""The same register gives the same bytes in every process: nothing depends on Python's per-process string hashing
(set order, dict-from-set order), which PYTHONHASHSEED changes."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import pytest

COMMANDS = [
    ["risk-analyze", "--as-of", "2025-12-31", "--json"],
    ["plan", "--year", "2026", "--json"],
    ["plan", "--year", "2026", "--format", "md"],
    ["plan", "--year", "2026", "--format", "ics"],
]

# One process runs every command, each with standard output (file descriptor 1, where HiGHS also writes) sent to a
# file of its own: a process per command would spend most of the test importing pandas again.
# The three processes run at once, each in its own copy of the example municipality.
DRIVER = r"""
import os, sys
from followup_cli.cli.app import main

commands = [line.split("\t") for line in sys.argv[1].splitlines()]
for n, args in enumerate(commands):
    sys.stdout.flush()
    saved = os.dup(1)
    with open(f"out-{n}", "wb") as target:
        os.dup2(target.fileno(), 1)
        sys.argv = ["followup", *args]
        try:
            main()
        except SystemExit as exc:
            print(f"exit {exc.code}")
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
"""


def _start(folder, seed: int) -> subprocess.Popen:
    """The driver in a folder of its own (a copy of the workspace), under the given hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "NO_COLOR": "1", "COLUMNS": "120"}
    listing = "\n".join("\t".join(args) for args in COMMANDS)
    return subprocess.Popen([sys.executable, "-c", DRIVER, listing], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_outputs_are_identical_under_different_hash_seeds(workspace, tmp_path):
    seeds = [1, 2, random.randint(3, 2**32 - 1)]
    folders = [shutil.copytree(workspace, tmp_path / f"seed-{seed}") for seed in seeds]
    processes = [_start(folder, seed) for folder, seed in zip(folders, seeds)]  # side by side: one per core
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode(errors="replace")
    first, *others = [[(folder / f"out-{n}").read_bytes() for n in range(len(COMMANDS))] for folder in folders]
    for args, output in zip(COMMANDS, first):
        assert len(output) > 1000 and b"Traceback" not in output, args  # a real output, not an error
    for seed, outputs in zip(seeds[1:], others):
        for args, a, b in zip(COMMANDS, first, outputs):
            assert a == b, f"followup {' '.join(args)} differs between PYTHONHASHSEED=1 and ={seed}"
