"""What several commands share: the workspace, the register to read, and --as-of."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli.state import options
from followup_cli.errors import UsageError
from followup_cli.workspace import Workspace, load_workspace


def workspace() -> Workspace:
    return load_workspace(options.config)


def register_sources(ws: Workspace, argument: Path | None, option: Path | None):
    """The register from the argument or --register (they must agree), else the workspace's."""
    from followup_cli.register.read import RegisterSources, SheetSource

    if argument is not None and option is not None and argument != option:
        raise UsageError("Ange registret antingen som argument eller med --register, inte båda.")
    path = ws.register_path(argument or option)
    sheets = {name: SheetSource(p, sheet) for name, (p, sheet) in ws.sheets.items()}
    return RegisterSources(register=path, sheets=sheets)


def read_valid_register(ws: Workspace, argument: Path | None, option: Path | None, as_of, on_table=None):
    """The register for an analysis command: read, checked, and refused (exit 3) if it has errors.

    `on_table` is passed to read_register, so analysis can start while large sheets load."""
    from followup_cli.cli import output
    from followup_cli.errors import InputError
    from followup_cli.register.read import read_register

    sources = register_sources(ws, argument, option)
    with output.status(f"Läser {sources.register.name} …"):
        register = read_register(sources, as_of, on_table)
    errors = [p for p in register.problems if p.severity == "error"]
    if errors:
        raise InputError(
            f"{sources.register.name} har {len(errors)} fel och kan inte analyseras förrän de är rättade. "
            f"Kör followup validate {sources.register} för att se alla. Det första: {errors[0].line()}",
            file=sources.register.name)
    return register, sources


REGISTER_HELP = "Registrets arbetsbok (.xlsx) eller CSV; annars den som anges i followup.yaml."
AS_OF_HELP = "Räkna som om dagens datum vore detta (ÅÅÅÅ-MM-DD); standard är dagens datum."

# The same parameters in every command that reads the register (Typer only reads these, so they can be shared).
REGISTER_ARGUMENT = typer.Argument(None, help=REGISTER_HELP, show_default=False)
REGISTER_OPTION = typer.Option(None, "--register", help=REGISTER_HELP, show_default=False)
AS_OF_OPTION = typer.Option(None, "--as-of", help=AS_OF_HELP, show_default=False)
