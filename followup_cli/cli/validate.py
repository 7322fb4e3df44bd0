"""`followup validate`: every problem in the register, for people (table) or scripts (--json)."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import (
    AS_OF_OPTION,
    REGISTER_ARGUMENT,
    REGISTER_OPTION,
    one_register,
    workspace,
)
from followup_cli.errors import ExitCode, InputError


def validate(
    register: Path = REGISTER_ARGUMENT,
    register_option: Path = REGISTER_OPTION,
    as_of: str = AS_OF_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Skriv problemen som JSON på stdout (en lista av objekt)."),
    annotate: Path = typer.Option(None, "--annotate", help="Skriv en kopia av arbetsboken med felen markerade och kommenterade.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den (eller den har ändrats sedan)."),
) -> None:
    """Kontrollera registret och visa alla fel och varningar."""
    from followup_cli import api
    from followup_cli.swedish import plural

    ws = workspace()
    try:
        run = api.validate(ws, register=one_register(register, register_option), as_of=as_of, annotate=annotate, force=force)
    except InputError as exc:
        if as_json:
            output.print_json([p.to_dict() for p in exc.problems])
        raise
    result, problems = run.result, run.problems
    if as_json:
        output.print_json([p.to_dict() for p in problems])
    else:
        _print_table(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    name = run.register.name
    if errors or warnings:
        output.message(f"{errors} fel och {plural(warnings, 'varning', 'varningar')} i {name} ({result.summary})."
                       + (" Rätta felen och kör validate igen." if errors else ""))
    else:
        output.message(f"Inga problem i {name}: {result.summary}.")
    if result.absent:
        output.message(f"Valfria blad som saknas (analysen säger vad som då inte kan bedömas): {', '.join(result.absent)}.")
    if run.annotated is not None:
        path, marked = run.annotated
        output.message(f"Kopia med {marked} markerade celler: {path}")
    raise typer.Exit(ExitCode.FOUND if run.has_errors else ExitCode.OK)


def _print_table(problems) -> None:
    """A table on a terminal; elsewhere (a log, a pipe) one line per problem."""
    if not problems:
        return
    import sys

    if not sys.stdout.isatty():
        for p in problems:
            print(p.line())
        return
    from rich.table import Table

    from followup_cli.problems import SEVERITY_SV

    table = Table(show_lines=False, header_style="bold")
    for title in ("Nivå", "Fil", "Blad", "Cell", "Kolumn", "Värde"):
        table.add_column(title, overflow="fold", max_width=24)
    table.add_column("Vad du ska göra", overflow="fold", ratio=1)
    for p in problems:
        cell = f"{p.column or ''}{p.row or ''}"
        style = "red" if p.severity == "error" else "yellow"
        table.add_row(f"[{style}]{SEVERITY_SV[p.severity]}[/]", p.file, p.sheet or "", cell, p.header or "",
                      _short(p.value), p.message)
    output.out().print(table)


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"
