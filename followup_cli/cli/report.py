"""`followup report`: the follow-up report (annual or interim) for the board, staff, one provider or the public, as
Word, PDF, Markdown, HTML or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import REGISTER_OPTION, workspace

FORMATS = ("docx", "md", "html", "pdf", "json")  # publish.report_document.FORMATS, kept here so --help needs no import


def report(
    year: int = typer.Option(None, "--year", min=2000, max=2100, help="Rapportåret; annars året före year i followup.yaml.",
                             show_default=False),
    fmt: str = typer.Option(None, "--format", help=f"Utdata: {', '.join(FORMATS)} (standard docx, eller formatet som --out "
                            "slutar på). json är rapportens alla värden, för egna mallar.", show_default=False),
    out: Path = typer.Option(None, "--out", help="Fil att skriva. Utan --out skrivs docx och pdf till arbetsytans out-mapp "
                             "(rapport-ÅR.docx, rapport-ÅR-intern.docx, rapport-ÅR-utforare-ID.docx, rapport-ÅR-allmanhet.docx) "
                             "och md, html och json till stdout.", show_default=False),
    audience: str = typer.Option(None, "--audience", help="board: tjänsteskrivelsen till nämnden (standard); internal: med "
                                 "bristernas och händelsernas fritext, granskare och månader (personnummer maskeras); "
                                 "provider: en utförares år (kräver --provider); public: för webben, i klarspråk.",
                                 show_default=False),
    provider: str = typer.Option(None, "--provider", help="Utförar-ID för --audience provider.", show_default=False),
    period: str = typer.Option(None, "--period", help="year: årsrapporten (standard); interim: delårsrapporten till och med "
                               "--as-of.", show_default=False),
    as_of: str = typer.Option(None, "--as-of", help="Delårsrapportens sista dag (ÅÅÅÅ-MM-DD); året är dess år.",
                              show_default=False),
    register: Path = REGISTER_OPTION,
    plan_file: Path = typer.Option(None, "--plan", help="Årets uppföljningsplan (xlsx från followup plan), för planen mot "
                                   "utfallet; annars out/plan-ÅR.xlsx om den finns.", show_default=False),
    date: str = typer.Option(None, "--date", help="Tjänsteskrivelsens datum (ÅÅÅÅ-MM-DD); annars dagens datum.",
                             show_default=False),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den."),
) -> None:
    """Uppföljningsrapporten (års- eller delårsrapport) till nämnden, förvaltningen, en utförare eller allmänheten."""
    from followup_cli import api

    ws = workspace()
    with output.status("Läser registret …"):
        run = api.report(ws, year=year, fmt=fmt, out=out, register=register, plan_file=plan_file, date=date, force=force,
                         audience=audience, provider=provider, period=period, as_of=as_of)
    for warning in run.warnings:
        output.warn(f"varning: {warning}")
    if run.output.path is not None:
        output.message(f"Skrev {run.output.path}")
    elif isinstance(run.output.data, dict):
        output.print_json(run.output.data)
    else:
        sys.stdout.write(run.output.data)
        sys.stdout.flush()
