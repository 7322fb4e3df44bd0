"""`followup check-template FIL`: the values an edited template uses that its document's context lacks, and where."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.errors import ExitCode, UsageError

KINDS = ("plan", "report", "report-provider", "review-report", "reminder")  # what --kind may name, kept here so --help needs no import


def check_template(
    template: Path = typer.Argument(None, help="Mallen: en Word-mall (.docx) eller en textmall (.md.j2, .html.j2).",
                                    show_default=False),
    kind: str = typer.Option(None, "--kind", help=f"Vilket dokuments värden mallen ska ha: {'|'.join(KINDS)}. Annars "
                             "efter filnamnets början: plan…, rapport…, granskningsrapport…, paminnelse….",
                             show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Skriv resultatet som JSON på stdout."),
) -> None:
    """Visa värdena som en mall använder men som dokumentet inte har, med rad, stycke eller tabellcell."""
    from followup_cli import api
    from followup_cli.swedish import plural

    if template is None:  # Click's own "[required]" and "Missing argument" would be English
        raise UsageError("Ange mallen att kontrollera, t.ex. followup check-template templates/plan.docx.")
    result = api.check_template(template, kind=kind)
    if as_json:
        output.print_json(result.as_dict())
    else:
        for m in result.missing:
            text = f" (”{m.location.text}”)" if m.location.text else ""
            note = f"; {m.note}" if m.note else ""
            print(output.one_line(f"{m.location.where}{text}: {m.name} finns inte{note}"))
        sys.stdout.flush()
    name = result.template.name
    if result.missing:
        output.message(f"{name}: {plural(len(result.missing), 'värde', 'värden')} som dokumentet ({result.kind}) inte har. "
                       "Rätta namnen; värdena som finns står i README under Egna mallar.")
        raise typer.Exit(ExitCode.FOUND)
    output.message(f"{name}: alla värden finns i dokumentets ({result.kind}) sammanhang.")
