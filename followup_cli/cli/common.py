"""What several commands share: the workspace, and the register, --register and --as-of options."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli.state import options
from followup_cli.errors import UsageError
from followup_cli.workspace import Workspace


def workspace() -> Workspace:
    from followup_cli import api

    return api.open_workspace(options.config)


def one_register(argument: Path | None, option: Path | None) -> Path | None:
    """The register given as the argument or with --register (they must agree); None for the workspace's."""
    if argument is not None and option is not None and argument != option:
        raise UsageError("Ange registret antingen som argument eller med --register, inte båda.")
    return argument or option


REGISTER_HELP = "Registrets arbetsbok (.xlsx) eller CSV; annars den som anges i followup.yaml."
AS_OF_HELP = "Räkna som om dagens datum vore detta (ÅÅÅÅ-MM-DD); standard är dagens datum."

# The same parameters in every command that reads the register (Typer only reads these, so they can be shared).
REGISTER_ARGUMENT = typer.Argument(None, help=REGISTER_HELP, show_default=False)
REGISTER_OPTION = typer.Option(None, "--register", help=REGISTER_HELP, show_default=False)
AS_OF_OPTION = typer.Option(None, "--as-of", help=AS_OF_HELP, show_default=False)
