"""`followup checklist new`: review checklists to fill in, for one provider or for every review in the plan."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import AS_OF_OPTION, REGISTER_OPTION, workspace

TYPES = "quality_review, targeted, triggered, follow_up, contract_review"  # schemas/checklist.yaml, kept here so --help needs no import


def new(
    provider: str = typer.Option(None, "--provider", help="Utförar-ID: ett protokoll för den utföraren.", show_default=False),
    review_type: str = typer.Option(None, "--type", help=f"Granskningstyp med --provider: {TYPES} (eller som den heter på "
                                    "svenska); standard quality_review.", show_default=False),
    method: str = typer.Option(None, "--method", help="Metod med --provider (t.ex. site_visit eller Platsbesök); annars "
                               "metoden för utförarens risknivå enligt plan.methods.", show_default=False),
    plan: Path = typer.Option(None, "--plan", help="Planen (xlsx från followup plan): ett protokoll per planerad granskning, "
                              "med granskningens ID som filnamn.", show_default=False),
    out: Path = typer.Option(None, "--out", help="Med --provider filen att skriva, med --plan mappen; annars checklists i "
                             "followup.yaml (eller out-mappen).", show_default=False),
    register: Path = REGISTER_OPTION,
    as_of: str = AS_OF_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Skriv vad som skrevs, behölls och hoppades över som JSON."),
) -> None:
    """Nya granskningsprotokoll med frågorna för utförarens verksamhetsområde, riskområdena först.

    Ett protokoll som granskarna har börjat fylla i skrivs aldrig över."""
    from followup_cli import api

    ws = workspace()
    with output.status("Läser registret …"):
        run = api.new_checklists(ws, provider=provider, review_type=review_type, method=method, plan=plan, out=out,
                                 register=register, as_of=as_of)
    if as_json:
        output.print_json({"written": [str(p) for p in run.written], "kept": [str(p) for p in run.kept], "skipped": run.skipped})
    else:
        for path in run.written:
            print(path)
    for path in run.kept:
        output.warn(f"behölls: {path} är ifylld (ändrad sedan followup skrev den) och skrivs inte över")
    for reason in run.skipped:
        output.warn(f"hoppades över: {reason}")
    from followup_cli.swedish import plural

    output.message(f"Skrev {plural(len(run.written), 'granskningsprotokoll', 'granskningsprotokoll')}"
                   + (f"; {len(run.kept)} ifyllda behölls" if run.kept else "")
                   + (f"; {len(run.skipped)} hoppades över" if run.skipped else "") + ".")
