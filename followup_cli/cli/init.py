"""`followup init DIR`: a new workspace with a commented followup.yaml and an empty register."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output


def init(
    folder: Path = typer.Argument(Path("."), help="Mappen där arbetsytan skapas (skapas om den inte finns)."),
    organisation: str = typer.Option("Kommunen", "--organisation", help="Kommunens eller förvaltningens namn."),
    year: int = typer.Option(None, "--year", help="Planåret; standard är nästa år.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Skriv över filer som redan finns."),
) -> None:
    """Skapa en ny arbetsyta: followup.yaml och en tom registermall."""
    from followup_cli import api

    written = api.init(folder, organisation=organisation, year=year, force=force)
    for path in written:
        output.message(f"Skrev {path}")
    register = folder / "register.xlsx"
    output.message(f"Fyll i {register.name}, kontrollera med: followup validate {register}")
