"""`followup validate`: every problem in the register, for people (table) or scripts (--json)."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import (
    AS_OF_OPTION,
    REGISTER_ARGUMENT,
    REGISTER_OPTION,
    register_sources,
    workspace,
)
from followup_cli.errors import ExitCode, InputError


def validate(
    register: Path = REGISTER_ARGUMENT,
    register_option: Path = REGISTER_OPTION,
    as_of: str = AS_OF_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Skriv problemen som JSON på stdout (en lista av objekt)."),
    annotate: Path = typer.Option(None, "--annotate", help="Skriv en kopia av arbetsboken med felen markerade och kommenterade.", show_default=False),
) -> None:
    """Kontrollera registret och visa alla fel och varningar."""
    from followup_cli.problems import has_errors
    from followup_cli.register.validate import validate_register
    from followup_cli.workspace import parse_as_of

    ws = workspace()
    sources = register_sources(ws, register, register_option)
    day = parse_as_of(as_of)
    try:
        result = validate_register(sources, day, None if register or register_option else ws.checklists)
    except InputError as exc:
        if as_json:
            output.print_json([p.to_dict() for p in exc.problems])
        raise
    problems = result.problems
    if as_json:
        output.print_json([p.to_dict() for p in problems])
    else:
        _print_table(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    name = sources.register.name
    if errors or warnings:
        output.message(f"{errors} fel och {warnings} varningar i {name} ({result.summary})."
                       + (" Rätta felen och kör validate igen." if errors else ""))
    else:
        output.message(f"Inga problem i {name}: {result.summary}.")
    if result.absent:
        output.message(f"Valfria blad som saknas (analysen säger vad som då inte kan bedömas): {', '.join(result.absent)}.")
    if annotate is not None:
        from followup_cli.publish.annotate import annotate_copy

        marked = annotate_copy(sources.register, annotate, problems, inputs=result.inputs)
        output.message(f"Kopia med {marked} markerade celler: {annotate}")
    raise typer.Exit(ExitCode.FOUND if has_errors(problems) else ExitCode.OK)


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
