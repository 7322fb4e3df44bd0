"""`followup init DIR`: a new workspace with a commented followup.yaml and an empty register."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.errors import OutputError


def init(
    folder: Path = typer.Argument(Path("."), help="Mappen där arbetsytan skapas (skapas om den inte finns)."),
    organisation: str = typer.Option("Kommunen", "--organisation", help="Kommunens eller förvaltningens namn."),
    year: int = typer.Option(None, "--year", help="Planåret; standard är nästa år.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Skriv över filer som redan finns."),
) -> None:
    """Skapa en ny arbetsyta: followup.yaml och en tom registermall."""
    import datetime as dt

    from followup_cli.publish.workspace import create_workspace

    year = year or dt.date.today().year + 1
    config, register = folder / "followup.yaml", folder / "register.xlsx"
    existing = [p for p in (config, register) if p.exists()]
    if existing and not force:
        names = " och ".join(str(p) for p in existing)
        raise OutputError(f"{names} finns redan och skrivs inte över. Välj en annan mapp eller lägg till --force.")
    written = create_workspace(folder, organisation, year)
    for path in written:
        output.message(f"Skrev {path}")
    output.message(f"Fyll i {register.name}, kontrollera med: followup validate {register}")
