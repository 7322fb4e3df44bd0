"""Every problem code lives in one catalogue: the source uses no code it lacks, and it holds no code the source never uses."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from followup_cli.problem_codes import CATALOGUE, message

PACKAGE = Path(__file__).resolve().parent.parent / "followup_cli"
FUNNEL = {"problems.py", "problem_codes.py", "register/table.py"}  # where problems are made from a code passed in


def uses(source: str) -> tuple[set[tuple[str, str | None]], list[str]]:
    """(code, variant) of every problem made in the source, and what is wrong with the way any is made."""
    found: set[tuple[str, str | None]] = set()
    wrong: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Problem":
            wrong.append(f"line {node.lineno}: Problem(...) made directly, not through the catalogue")
            continue
        if isinstance(func, ast.Name) and func.id == "problem":
            position = 0
        elif isinstance(func, ast.Attribute) and func.attr in ("problem", "problems_where"):
            position = 2
        else:
            continue
        code = node.args[position] if len(node.args) > position else None
        if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
            wrong.append(f"line {node.lineno}: the problem code is not written out")
            continue
        variant = next((k.value for k in node.keywords if k.arg == "variant"), None)
        found.add((code.value, variant.value if isinstance(variant, ast.Constant) else None))
    return found, wrong


def source_uses() -> tuple[set[tuple[str, str | None]], list[str]]:
    found, wrong = set(), []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in FUNNEL:
            continue
        more, bad = uses(path.read_text(encoding="utf-8"))
        found |= more
        wrong += [f"{path.relative_to(PACKAGE)} {w}" for w in bad]
    return found, wrong


def test_every_problem_is_made_through_the_catalogue():
    assert source_uses()[1] == []


def test_the_source_uses_no_code_the_catalogue_lacks():
    found, _ = source_uses()
    assert sorted(code for code, _ in found if code not in CATALOGUE) == []
    assert sorted((c, v) for c, v in found if c in CATALOGUE and v is not None and v not in CATALOGUE[c].variants) == []


def test_the_catalogue_holds_no_code_or_wording_the_source_never_uses():
    found, _ = source_uses()
    assert sorted(set(CATALOGUE) - {code for code, _ in found}) == []
    assert sorted((c, v) for c, kind in CATALOGUE.items() for v in kind.variants if (c, v) not in found) == []


def test_the_scan_sees_a_planted_unknown_code_and_a_problem_made_by_hand():
    found, wrong = uses("table.problems_where(mask, 'x', 'no-such-code')\nproblem(code, 'f')\nProblem('f', None)\n")
    assert found == {("no-such-code", None)}
    assert len(wrong) == 2


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_wording_fills_in_and_its_fields_are_not_the_problems_own(code):
    """A field named like a Problem attribute (value, header …) would collide with the place of the problem."""
    from string import Formatter

    kind = CATALOGUE[code]
    for variant, template in [(None, kind.template), *kind.variants.items()]:
        fields = {name for _, name, _, _ in Formatter().parse(template) if name}
        assert not {"file", "sheet", "row", "column", "header", "value", "code", "variant"} & fields
        assert "{" not in message(code, variant, **dict.fromkeys(fields, "X"))


def test_the_readme_lists_every_code():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"| `{code}` |" in readme
