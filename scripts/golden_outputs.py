"""Run a fixed set of followup commands and keep everything they print and write, to compare two versions.

    python scripts/golden_outputs.py run  /tmp/before            # on the old commit
    python scripts/golden_outputs.py run  /tmp/after             # on the new one
    python scripts/golden_outputs.py compare /tmp/before /tmp/after

`run` copies examples/ to a scratch folder (and the benchmark city, when
benchmarks/data/city.xlsx exists), runs each command there, and stores its
stdout, stderr, exit code and every file it wrote. `compare` reports every
difference: text byte for byte, workbooks cell by cell (values, number
formats, fills, fonts), Word documents by their paragraph and table text.
A refactoring that must not change behaviour shows no difference here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY = ROOT / "benchmarks" / "data" / "city.xlsx"

# (name, arguments, files it writes). Run inside a copy of examples/.
EXAMPLE_COMMANDS: list[tuple[str, list[str], list[str]]] = [
    ("validate", ["validate", "--as-of", "2025-12-31"], []),
    ("validate-json", ["validate", "--as-of", "2025-12-31", "--json"], []),
    ("validate-annotate", ["validate", "--as-of", "2025-12-31", "--annotate", "out/annotated.xlsx"], ["out/annotated.xlsx"]),
    ("risk", ["risk-analyze", "--as-of", "2025-12-31"], []),
    ("risk-top50", ["risk-analyze", "--as-of", "2025-12-31", "--top", "50"], []),
    ("risk-json", ["risk-analyze", "--as-of", "2025-12-31", "--json"], []),
    ("risk-files", ["risk-analyze", "--as-of", "2025-12-31", "--out", "out/risk.xlsx", "--chart", "out/risk.png", "-q"],
     ["out/risk.xlsx", "out/risk.png"]),
    ("risk-svg", ["risk-analyze", "--as-of", "2025-12-31", "--chart", "out/risk.svg", "-q"], ["out/risk.svg"]),
    ("alerts", ["risk-analyze", "--as-of", "2025-12-31", "--alerts", "--since", "2025-10-01"], []),
    ("alerts-json", ["risk-analyze", "--as-of", "2025-12-31", "--alerts", "--json"], []),
    ("plan", ["plan", "--year", "2026", "--date", "2025-12-15"], []),
    ("plan-json", ["plan", "--year", "2026", "--date", "2025-12-15", "--json"], []),
    ("plan-xlsx", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "xlsx"], ["out/plan-2026.xlsx"]),
    ("plan-docx", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "docx"], ["out/plan-2026.docx"]),
    ("plan-md", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "md"], []),
    ("plan-html", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "html"], []),
    ("plan-ics", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "ics"], []),
    ("plan-public-json", ["plan", "--year", "2026", "--date", "2025-12-15", "--audience", "public", "--json"], []),
    ("plan-public-md", ["plan", "--year", "2026", "--date", "2025-12-15", "--audience", "public", "--format", "md"], []),
    ("plan-public-docx", ["plan", "--year", "2026", "--date", "2025-12-15", "--audience", "public", "--format", "docx"], ["out/plan-2026-allmanhet.docx"]),
    ("plan-board", ["plan", "--year", "2026", "--date", "2025-12-15", "--board", "Socialnämnden", "--format", "md"], []),
    ("plan-2025", ["plan", "--year", "2025", "--date", "2025-12-15", "--out", "out/plan-2025.xlsx"], ["out/plan-2025.xlsx"]),
    ("plan-previous", ["plan", "--year", "2026", "--date", "2025-12-15", "--previous", "out/plan-2025.xlsx", "--json"], []),
    ("plan-short", ["plan", "--year", "2026", "--date", "2025-12-15", "--capacity-hours", "300", "--json"], []),
    ("plan-capacity", ["plan", "--year", "2026", "--date", "2025-12-15", "--capacity-hours", "2400"], []),
    ("init", ["init", "fresh"], ["fresh/followup.yaml", "fresh/register.xlsx"]),
    ("bad-format", ["plan", "--year", "2026", "--date", "2025-12-15", "--format", "pdf"], []),
    ("bad-option", ["plan", "--yeer", "2026"], []),
    ("missing-register", ["validate", "nonexistent.xlsx"], []),
]
CITY_COMMANDS: list[tuple[str, list[str], list[str]]] = [
    ("city-validate", ["validate", "{city}", "--as-of", "2026-01-01", "--json"], []),
    ("city-risk", ["risk-analyze", "{city}", "--as-of", "2026-01-01", "--json"], []),
    ("city-plan", ["plan", "--year", "2026", "--date", "2025-12-15", "--date", "2025-12-15", "--register", "{city}", "--capacity-hours", "30000", "--json"], []),
]


def run(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="followup-golden-"))
    work = scratch / "examples"
    shutil.copytree(ROOT / "examples", work, ignore=shutil.ignore_patterns("out"))
    commands = list(EXAMPLE_COMMANDS)
    if CITY.exists():
        commands += CITY_COMMANDS
    env = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": "0", "COLUMNS": "120"}
    for name, args, files in commands:
        args = [a.replace("{city}", str(CITY)) for a in args]
        cwd = work if not name.startswith("city-") else scratch
        done = subprocess.run([sys.executable, "-m", "followup_cli", *args], cwd=cwd, env=env, capture_output=True)
        # Messages name the files written: the scratch folder becomes a fixed placeholder, so two runs compare.
        placeholder = b"/tmp/followup-golden-work"
        (target / f"{name}.out").write_bytes(done.stdout.replace(str(scratch).encode(), placeholder))
        (target / f"{name}.err").write_bytes(done.stderr.replace(str(scratch).encode(), placeholder))
        (target / f"{name}.code").write_text(f"{done.returncode}\n")
        for f in files:
            written = cwd / f
            if written.exists():
                shutil.copy(written, target / f"{name}--{Path(f).name}")
        print(f"{name}: exit {done.returncode}", file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)


def _xlsx_cells(path: Path) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(path)
    cells = {}
    for ws in book.worksheets:
        cells[(ws.title, "_state")] = (ws.sheet_state, ws.freeze_panes, str(ws.auto_filter.ref), ws.page_setup.orientation)
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells[(ws.title, c.coordinate)] = (c.value, c.number_format, c.fill.fgColor.rgb if c.fill else None,
                                                   c.font.b if c.font else None, c.data_type)
    return cells


def _docx_text(path: Path) -> list[str]:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def compare(before: Path, after: Path) -> int:
    differences = 0
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'after' if b.exists() else 'before'}")
            differences += 1
            continue
        if name.endswith(".xlsx"):
            ca, cb = _xlsx_cells(a), _xlsx_cells(b)
            diff = [k for k in sorted(set(ca) | set(cb), key=str) if ca.get(k) != cb.get(k)]
            for k in diff[:10]:
                print(f"{name} {k}: {ca.get(k)!r} != {cb.get(k)!r}")
            differences += bool(diff)
        elif name.endswith(".docx"):
            ta, tb = _docx_text(a), _docx_text(b)
            if ta != tb:
                import difflib

                print(f"{name}:")
                print("\n".join(list(difflib.unified_diff(ta, tb, lineterm="", n=0))[:30]))
                differences += 1
        elif a.read_bytes() != b.read_bytes():
            differences += 1
            if name.endswith(".png"):
                print(f"{name}: bytes differ")
                continue
            import difflib

            print(f"{name}:")
            print("\n".join(list(difflib.unified_diff(a.read_text(errors="replace").splitlines(),
                                                      b.read_text(errors="replace").splitlines(), lineterm="", n=0))[:30]))
    print(f"{differences} difference(s) in {len(names)} files", file=sys.stderr)
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("run").add_argument("target", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.action == "run":
        run(args.target)
    else:
        raise SystemExit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
