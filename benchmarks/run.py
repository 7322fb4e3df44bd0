"""Speed benchmark: followup commands against the floor of merely reading the workbook.

    python benchmarks/run.py                          # floor + followup validate, 3 runs each
    python benchmarks/run.py --all                    # + risk-analyze and plan
    python benchmarks/run.py --command "risk-analyze {file} --json" -n 5
    python benchmarks/run.py --readers --json         # + fastexcel, for comparison

Every measurement is a separate process, timed from start to exit (so
imports count), with its peak memory (peak resident set size, from
os.wait4).  The floor is a process that opens the same file with
python-calamine and reads every sheet into Python lists: no toolkit can
read the workbook faster than that, so each command is reported as a
ratio to it and checked against its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "city.xlsx"

# Targets per followup subcommand: the largest allowed ratio to the floor for
# (wall time, peak memory); None means no target for that measure.
TARGETS: dict[str, tuple[float | None, float | None]] = {
    "validate": (1.2, 1.5),
    "risk-analyze": (1.2, None),
    "plan": (1.5, None),
    "report": (2.0, None),
}

# followup arguments; {file} is replaced by the workbook path, {tmp} by a folder for what a command writes.
DEFAULT_COMMANDS = ["validate {file}"]
ALL_COMMANDS = [
    "validate {file}",
    "risk-analyze {file} --json --as-of 2026-01-01",
    # 60,000 hours in one pool: about what a city of 3,000 providers spends; no shortfall, so the solver chooses.
    "plan --year 2026 --register {file} --capacity-hours 60000 --json",
    # The annual report's whole context (every section; the json skips only the charts and the Word rendering).
    "report --year 2025 --register {file} --format json",
    # The board's Word report: the context, four charts and a 2,000-row table of reviews.
    "report --year 2025 --register {file} --format docx --out {tmp}/rapport.docx --force",
]

# Exit codes that mean the followup command worked (1 = it found problems in the data).
OK_EXIT_CODES = (0, 1)

FLOOR_CODE = """\
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""

FASTEXCEL_CODE = """\
import sys
import fastexcel
reader = fastexcel.read_excel(sys.argv[1])
for name in reader.sheet_names:
    reader.load_sheet(name, header_row=None{dtypes}).to_arrow()
"""

# Reference readers timed with --readers (no targets, for choosing a reader).
READERS = {
    "fastexcel, dtypes=string": FASTEXCEL_CODE.format(dtypes=', dtypes="string"'),
    "fastexcel, default dtypes": FASTEXCEL_CODE.format(dtypes=""),
}

HAVE_WAIT4 = hasattr(os, "wait4")


@dataclass
class Run:
    wall_s: float
    peak_bytes: int | None
    exit_code: int


@dataclass
class Bench:
    name: str
    argv: list[str] | None  # None: the program is not installed
    time_target: float | None = None
    memory_target: float | None = None
    ok_exit_codes: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)
    error: str | None = None
    stderr: str = ""


def run_once(argv: list[str]) -> tuple[Run, str]:
    """Run one process to its end; return its wall time, peak RSS and exit code, and the tail of its stderr."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        if HAVE_WAIT4:
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = exit_code = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in bytes on macOS, in kilobytes elsewhere.
            peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
        else:
            exit_code = proc.wait()
            wall = time.perf_counter() - started
            peak = None
        stderr.seek(0)
        tail = stderr.read()[-2000:].decode("utf-8", "replace")
    return Run(wall, peak, exit_code), tail


def followup_program() -> list[str] | None:
    """The followup console script next to this Python, else `python -m followup_cli`, else None."""
    script = Path(sys.executable).parent / ("followup.exe" if os.name == "nt" else "followup")
    if script.exists():
        return [str(script)]
    probe = ("import importlib.util, sys\n"
             "try:\n    found = importlib.util.find_spec('followup_cli.__main__') is not None\n"
             "except ImportError:\n    found = False\n"
             "sys.exit(0 if found else 1)")
    if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0:
        return [sys.executable, "-m", "followup_cli"]
    return None


OUTPUT_FOLDER = Path(tempfile.gettempdir()) / "followup-benchmark"  # {tmp}: what the commands write, kept out of the repository


def substitute(template: str, file: Path) -> list[str]:
    """Split a command template like a shell would and fill in {file}, {tmp} and {python}."""
    if "{tmp}" in template:
        OUTPUT_FOLDER.mkdir(exist_ok=True)
    return [part.replace("{file}", str(file)).replace("{tmp}", str(OUTPUT_FOLDER)).replace("{python}", sys.executable)
            for part in shlex.split(template, posix=os.name != "nt")]


def build_benches(args: argparse.Namespace) -> list[Bench]:
    file = args.file
    benches = [Bench("floor (python-calamine)", [sys.executable, "-c", FLOOR_CODE, str(file)])]
    if args.readers:
        benches += [Bench(name, [sys.executable, "-c", code, str(file)]) for name, code in READERS.items()]

    commands = [] if args.floor_only else list(ALL_COMMANDS if args.all else DEFAULT_COMMANDS)
    commands += [c for c in args.command if c not in commands]
    program = followup_program() if commands else None
    for template in commands:
        subcommand = template.split()[0]
        time_target, memory_target = TARGETS.get(subcommand, (None, None))
        argv = program + substitute(template, file) if program else None
        shown = template.replace("{file}", "<file>").replace("{tmp}", "<tmp>")
        benches.append(Bench(f"followup {shown}", argv,
                             time_target, memory_target, OK_EXIT_CODES))

    for name, template in args.stand_in:
        time_target, memory_target = TARGETS.get(name, (None, None))
        benches.append(Bench(f"{name} (stand-in)", substitute(template, file),
                             time_target, memory_target, OK_EXIT_CODES))
    return benches


def measure(benches: list[Bench], repeat: int, progress) -> None:
    """Run every benchmark once untimed (file into the OS cache, .pyc files written, failures
    found early), then `repeat` timed times, interleaved so that drift affects all alike."""
    for i in range(repeat + 1):
        label = "warm-up" if i == 0 else f"run {i}/{repeat}"
        for bench in benches:
            if bench.argv is None or bench.error:
                continue
            try:
                run, stderr_tail = run_once(bench.argv)
            except OSError as exc:
                bench.error = f"could not start: {exc}"
                continue
            if run.exit_code not in bench.ok_exit_codes:
                bench.error = f"exit code {run.exit_code}"
                bench.stderr = stderr_tail.strip()
                continue
            if i > 0:
                bench.runs.append(run)
            progress(f"{label:<8} {bench.name[:50]:<50} {run.wall_s:7.2f} s"
                     + (f"  {run.peak_bytes / 1e6:6.0f} MB" if run.peak_bytes else ""))


def median_or_none(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(benches: list[Bench], args: argparse.Namespace) -> dict:
    floor = benches[0]
    floor_wall = median_or_none([r.wall_s for r in floor.runs])
    floor_peak = median_or_none([r.peak_bytes for r in floor.runs])
    results = []
    for bench in benches:
        wall = median_or_none([r.wall_s for r in bench.runs])
        peak = median_or_none([r.peak_bytes for r in bench.runs])
        time_ratio = wall / floor_wall if wall is not None and floor_wall else None
        memory_ratio = peak / floor_peak if peak is not None and floor_peak else None
        if bench.argv is None:
            status = "not installed"
        elif bench.error:
            status = "error"
        else:
            status = "ok"
        targets = []
        for measure_name, limit, ratio in (("time", bench.time_target, time_ratio),
                                           ("memory", bench.memory_target, memory_ratio)):
            if limit is None:
                continue
            passed = None if ratio is None else ratio <= limit
            targets.append({"measure": measure_name, "max_ratio": limit, "ratio": ratio, "pass": passed})
        results.append({
            "name": bench.name,
            "argv": bench.argv,
            "status": status,
            "error": bench.error,
            "stderr": bench.stderr,
            "exit_codes": [r.exit_code for r in bench.runs],
            "wall_s": [round(r.wall_s, 4) for r in bench.runs],
            "peak_mb": [round(r.peak_bytes / 1e6, 1) if r.peak_bytes else None for r in bench.runs],
            "median_wall_s": wall,
            "median_peak_mb": peak / 1e6 if peak is not None else None,
            "time_ratio": time_ratio,
            "memory_ratio": memory_ratio,
            "targets": targets,
        })
    failed = any(r["status"] != "ok" or any(t["pass"] is False for t in r["targets"]) for r in results)
    return {
        "file": str(args.file),
        "file_size_mb": round(args.file.stat().st_size / 1e6, 1),
        "repeat": args.repeat,
        "memory_measured": HAVE_WAIT4,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "readers": {name: version_of(name) for name in ("python-calamine", "fastexcel")},
        "results": results,
        "ok": not failed,
    }


def version_of(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def fmt(value: float | None, spec: str) -> str:
    """format(value, spec), or a dash as wide as the spec."""
    if value is None:
        return "-".rjust(int(spec.split(".")[0]))
    return format(value, spec)


def print_table(summary: dict) -> None:
    print(f"\n{summary['file']} ({summary['file_size_mb']} MB); median of {summary['repeat']} runs; "
          f"Python {summary['python']} on {summary['platform']}, {summary['cpus']} CPUs")
    if not summary["memory_measured"]:
        print("Peak memory is not measured on this platform (no os.wait4).")
    width = min(60, max(len("command"), *(len(r["name"]) for r in summary["results"])))
    header = f"{'command':<{width}} {'wall s':>7} {'x floor':>8} {'peak MB':>8} {'x floor':>8}  targets"
    print(header)
    print("-" * len(header))
    for r in summary["results"]:
        if r["status"] == "ok":
            targets = ", ".join(
                f"{t['measure']} <= {t['max_ratio']}x "
                + ("PASS" if t["pass"] else "FAIL" if t["pass"] is False else "not measured")
                for t in r["targets"])
        elif r["status"] == "not installed":
            targets = "not installed"
        else:
            targets = f"ERROR: {r['error']}"
        print(f"{r['name'][:width]:<{width}} {fmt(r['median_wall_s'], '7.2f')} {fmt(r['time_ratio'], '8.2f')} "
              f"{fmt(r['median_peak_mb'], '8.0f')} {fmt(r['memory_ratio'], '8.2f')}  {targets}")
        if r["stderr"]:
            print("    " + r["stderr"].replace("\n", "\n    "))
    print("\nAll targets met." if summary["ok"] else "\nSome targets are not met, or a command failed or is missing.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE,
                        help=f"workbook to read (default {DEFAULT_FILE}; make it with make_city.py)")
    parser.add_argument("-n", "--repeat", type=int, default=3, help="runs per command; the median counts (default 3)")
    parser.add_argument("--command", action="append", default=[], metavar="ARGS",
                        help='also time `followup ARGS`, e.g. "risk-analyze {file} --json" (repeatable)')
    parser.add_argument("--all", action="store_true", help="time every known followup command, not only validate")
    parser.add_argument("--floor-only", action="store_true", help="time no followup command except those in --command")
    parser.add_argument("--stand-in", nargs=2, action="append", default=[], metavar=("NAME", "COMMAND"),
                        help="time COMMAND (a full command line; {python} and {file} are filled in) "
                             "and hold it to the targets of followup NAME, e.g. validate (repeatable)")
    parser.add_argument("--readers", action="store_true",
                        help="also time fastexcel reading every sheet, for comparison")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)

    if not args.file.exists():
        parser.error(f"{args.file} does not exist; make it with: python {Path(__file__).parent / 'make_city.py'}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    benches = build_benches(args)
    measure(benches, args.repeat, progress)
    summary = summarise(benches, args)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_table(summary)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
