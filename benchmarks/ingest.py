"""Speed benchmark: `followup checklist ingest` on 500 completed checklists (goal: under 30 s).

    python benchmarks/ingest.py                 # 500 checklists, 3 runs, median
    python benchmarks/ingest.py -n 1 --count 2000

The example municipality is copied to a temporary folder and COUNT completed checklists are generated there
from its own (every example provider in turn, one review a week from 2026, about one answer in six a Nej or
Delvis). Each run is `followup checklist ingest` in its own process, timed from start to exit (imports count):
the first writes granskningar.xlsx, the later ones read it back and find every review unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 30.0


def make_checklists(workspace: Path, count: int, seed: int = 2026) -> Path:
    """COUNT checklists in workspace/checklists/bench/, made from the example's G-2025-021.xlsx."""
    import openpyxl

    rng = random.Random(seed)
    register = openpyxl.load_workbook(workspace / "register.xlsx", read_only=True)
    providers = [row[0] for row in register["Utförare"].iter_rows(min_row=2, values_only=True) if row[0]]
    folder = workspace / "checklists" / "bench"
    folder.mkdir(parents=True)
    template = workspace / "checklists" / "G-2025-021.xlsx"
    severity = ["Iakttagelse", "Brist", "Brist", "Allvarlig brist"]
    for i in range(count):
        wb = openpyxl.load_workbook(template)
        header = wb["Granskning"]
        header["B1"], header["B2"] = f"G-B-{i + 1:05d}", providers[i % len(providers)]
        header["B3"] = dt.datetime(2026, 1, 5) + dt.timedelta(days=7 * (i // len(providers)) + i % 5)
        questions = wb["Frågor"]
        for r in range(2, questions.max_row + 1):
            roll = rng.random()
            if roll < 0.17:
                questions.cell(r, 5).value = "Nej" if roll < 0.1 else "Delvis"
                questions.cell(r, 6).value = "Rutinen följdes inte vid stickprovet."
                questions.cell(r, 7).value = rng.choice(severity)
            else:
                questions.cell(r, 5).value = "Ja"
                questions.cell(r, 6).value = questions.cell(r, 7).value = None
        wb.save(folder / f"G-B-{i + 1:05d}.xlsx")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="checklists to generate (default 500)")
    parser.add_argument("-n", type=int, default=3, help="runs (default 3); the median counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ex"
        shutil.copytree(ROOT / "examples", workspace, ignore=shutil.ignore_patterns("out"))
        started = time.perf_counter()
        make_checklists(workspace, args.count)
        print(f"{args.count} protokoll genererade på {time.perf_counter() - started:.1f} s", file=sys.stderr)
        times = []
        for run in range(args.n):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "followup_cli", "-q", "checklist", "ingest", "checklists"],
                                  cwd=workspace, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            lines = done.stdout.splitlines()
            print(f"körning {run + 1}: {times[-1]:.2f} s, {len(lines)} granskningar "
                  f"({sum(line.startswith('ny') for line in lines)} nya)", file=sys.stderr)
    median = statistics.median(times)
    print(f"checklist ingest, {args.count} protokoll: {median:.2f} s (median av {args.n}; mål under {GOAL_SECONDS:.0f} s)")
    return 0 if median < GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
