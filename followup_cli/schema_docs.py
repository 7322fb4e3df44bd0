"""The register format as Markdown, generated from the schemas so the README never drifts from them.

    python -m followup_cli.schema_docs README.md   # rewrite the section between the markers
"""

from __future__ import annotations

import sys
from pathlib import Path

from followup_cli.schemas import register_schemas

START, END = "<!-- format:start -->", "<!-- format:end -->"


def format_markdown() -> str:
    lines = ["| blad | kolumner (**krävs**) |", "|---|---|"]
    for schema in register_schemas().values():
        columns = []
        for f in schema.fields:
            name = f"**{f.title}**" if f.required else f.title
            if f.enum:
                name += f" ({', '.join(f.enum)})"
            elif f.type == "boolean":
                name += " (Ja/Nej)"
            columns.append(name)
        title = f"**{schema.title}**" if schema.required else schema.title
        lines.append(f"| {title} | {', '.join(columns)} |")
    return "\n".join(lines)


def replace_section(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{format_markdown()}\n{END}{tail}"


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(replace_section(path.read_text(encoding="utf-8")), encoding="utf-8")
