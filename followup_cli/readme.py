"""The README's generated tables, made from the code they describe so the README never drifts from it.

    python -m followup_cli.readme README.md   # rewrite every section between its markers

A section is the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def format_markdown() -> str:
    """The register's sheets and columns, from schemas/."""
    from followup_cli.schemas import register_schemas

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


def exit_codes_markdown() -> str:
    """The exit codes, from errors.ExitCode."""
    from followup_cli.errors import ExitCode

    return "\n".join(["| kod | betyder |", "|---|---|", *(f"| {int(code)} | {code.meaning} |" for code in ExitCode)])


def problem_codes_markdown() -> str:
    """The problem codes of `validate --json`, from problem_codes.CATALOGUE."""
    from followup_cli.problem_codes import CATALOGUE
    from followup_cli.problems import SEVERITY_SV

    lines = ["| `code` | allvar | meddelande (fält inom {}) |", "|---|---|---|"]
    for code, kind in CATALOGUE.items():
        wordings = " <br> ".join([kind.template, *kind.variants.values()])
        lines.append(f"| `{code}` | {SEVERITY_SV[kind.severity]} | {wordings} |")
    return "\n".join(lines)


def template_values_markdown() -> str:
    """The values each kind of document gives its templates, from the key structures check-template uses."""
    from followup_cli.publish.template_check import registered_kinds

    def inline(value) -> str:
        if isinstance(value, dict):
            return ", ".join(f"`{k}`{suffix(v)}" for k, v in value.items())
        return ""

    def suffix(value) -> str:
        if isinstance(value, dict):
            return f" ({inline(value)})"
        if isinstance(value, (list, tuple)):
            return "[]" + (f" ({inline(value[0])})" if value and isinstance(value[0], dict) else "")
        return "" if value == "text" else f" ({value})"

    lines = []
    for kind in registered_kinds().values():
        keys = kind.keys()
        plain = {k: v for k, v in keys.items() if not isinstance(v, (dict, list, tuple))}
        lines += [f"**{kind.name}** (mallar vars namn börjar med `{kind.prefix}`):", "", f"- {inline(plain)}"]
        lines += [f"- `{k}`{suffix(v)}" for k, v in keys.items() if k not in plain]
        lines.append("")
    return "\n".join(lines).rstrip()


SECTIONS = {"format": format_markdown, "exit-codes": exit_codes_markdown, "problem-codes": problem_codes_markdown,
            "template-values": template_values_markdown}


def replace_sections(text: str) -> str:
    for name, make in SECTIONS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{make()}\n{end}{tail}"
    return text


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(replace_sections(path.read_text(encoding="utf-8")), encoding="utf-8")
