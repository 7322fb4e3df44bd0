"""`validate --annotate`: a copy of the user's workbook with each problem cell filled and commented.

The original is only read; the copy goes through the atomic writer.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.errors import UsageError
from followup_cli.problems import SEVERITY_SV, Problem
from followup_cli.publish.write import write_atomic
from followup_cli.publish.xlsx_style import require_xlsx

FILL = {"error": "FFC7CE", "warning": "FFEB9C"}


def annotate_copy(source: Path, target: Path, problems: list[Problem], inputs: list[Path]) -> int:
    """Write the annotated copy; returns how many cells were marked."""
    if source.suffix.lower() not in {".xlsx", ".xlsm"}:
        raise UsageError(f"--annotate kan bara markera i .xlsx-arbetsböcker; {source.name} är en {source.suffix}-fil.")
    require_xlsx(target, "--annotate skriver en Excel-arbetsbok", endings=(".xlsx", ".xlsm"))
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    workbook = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.file != source.name or not p.sheet or p.sheet not in workbook.sheetnames:
            continue
        ref = f"{p.column}{p.row}" if p.column and p.row else None
        if ref is None:
            continue
        by_cell.setdefault((p.sheet, ref), []).append(p)
    for (sheet, ref), found in by_cell.items():
        cell = workbook[sheet][ref]
        worst = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = PatternFill("solid", start_color=FILL[worst], end_color=FILL[worst])
        text = "\n".join(f"{SEVERITY_SV[p.severity].capitalize()}: {p.message}" for p in found)
        comment = Comment(text[:30000], "followup")
        comment.width, comment.height = 320, 40 + 18 * max(1, len(text) // 45)
        cell.comment = comment
    write_atomic(target, workbook.save, inputs=inputs)
    return len(by_cell)
