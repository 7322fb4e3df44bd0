"""`followup review-report ID`: the report of one review to the provider, from an editable template."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import REGISTER_OPTION, workspace

FORMATS = ("docx", "md", "html")  # api.REVIEW_REPORT_FORMATS, kept here so --help needs no import


def review_report(
    review_id: str = typer.Argument(..., metavar="ID", help="Granskningens Gransknings-ID, som på bladet Granskningar (t.ex. G-2025-014).",
                                    show_default=False),
    fmt: str = typer.Option(None, "--format", help=f"Utdata: {', '.join(FORMATS)}; annars formatet som --out slutar på, annars docx.",
                            show_default=False),
    out: Path = typer.Option(None, "--out", help="Fil att skriva; annars granskningsrapport-ID.FORMAT i arbetsytans out-mapp.",
                             show_default=False),
    register: Path = REGISTER_OPTION,
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den (eller den har ändrats sedan)."),
) -> None:
    """Granskningsrapporten till utföraren: bedömning per granskningsområde, åtgärder med tidsfrister, öppna brister och händelser."""
    from followup_cli import api

    ws = workspace()
    with output.status("Läser registret …"):
        run = api.review_report(ws, review_id, register=register, fmt=fmt, out=out, force=force)
    source = f"granskningsprotokollet {run.checklist.name}" if run.checklist else "bladen Granskningar och Brister"
    output.message(f"Skrev {run.path} (granskning {run.review_id}, bedömd från {source})")
