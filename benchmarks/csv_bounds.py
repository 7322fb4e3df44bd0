"""Hostile and ordinary CSV side files of growing size: time and peak memory of `followup validate` on each.

    python benchmarks/csv_bounds.py            # 8, 16 and 32 MB of each kind
    python benchmarks/csv_bounds.py --mb 4 8   # other sizes

Each kind should cost time and memory in proportion to its size (the reader
is one streaming pass with its bounds checked on the way), and every hostile
file should end in exit 3 with a sentence, never a crash. Results go to stdout
as a table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADER = "Månad;Utförar-ID;Beslutad tid;Utförd tid\n"


def wide_header(size: int) -> bytes:
    return (";" * size).encode() + b"\n1;2\n"


def one_long_line(size: int) -> bytes:
    return b"x" * size


def unclosed_quote(size: int) -> bytes:
    row = "2025-03;HT-001;120,5;118\n"
    return (HEADER + '2025-01;"HT-001;10;9\n' + row * (size // len(row))).encode()


def billing(size: int) -> bytes:
    rows = [f"2025-{m:02d};HT-{p:03d};{100 + p % 50},5;{98 + p % 47}\n" for m in range(1, 13) for p in range(1, 12)]
    block = "".join(rows)
    return (HEADER + block * max(1, size // len(block))).encode()


KINDS = {"bred rubrik": wide_header, "en lång rad": one_long_line, "öppet citattecken": unclosed_quote,
         "vanlig fakturering": billing}


def measure(workspace: Path) -> tuple[int, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "followup_cli", "validate", "-q"], cwd=workspace,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024  # MB (Linux reports KiB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[8, 16, 32])
    args = parser.parse_args()
    print("| fil | storlek | slutkod | tid | minne (topp) |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "examples"
        shutil.copytree(EXAMPLES, workspace, ignore=shutil.ignore_patterns("out"))
        path = workspace / "export" / "fakturering.csv"  # the example's Fakturering side file (followup.yaml: sheets)
        for name, make in KINDS.items():
            for mb in args.mb:
                path.write_bytes(make(mb << 20))
                code, seconds, peak = measure(workspace)
                print(f"| {name} | {path.stat().st_size / (1 << 20):.0f} MB | {code} | {seconds:.2f} s | {peak:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
