"""A new workspace on disk: the commented config, the register template, the folders."""

from __future__ import annotations

from pathlib import Path

from followup_cli.publish.template import write_register_template
from followup_cli.publish.write import write_text
from followup_cli.resources import resource_dir


def render_config(organisation: str, year: int) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(resource_dir("templates")), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    return env.get_template("followup.yaml.j2").render(organisation=_yaml_scalar(organisation), year=year)


def _yaml_scalar(text: str) -> str:
    import yaml

    return yaml.safe_dump(text, allow_unicode=True, default_style=None).removesuffix("\n...\n").strip()


def create_workspace(folder: Path, organisation: str, year: int) -> list[Path]:
    written = [
        write_text(folder / "followup.yaml", render_config(organisation, year)),
        write_register_template(folder / "register.xlsx"),
    ]
    for sub in ("checklists", "out"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return written
