"""The import graph runs one way: read → register → risk → plan → publish → api → cli, with no cycles.

An AST scan of every module, counting imports inside functions too (a lazy
import is still a dependency). The rules are those of the README's
architecture paragraph.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "followup_cli"
DOMAIN = ("register", "risk", "plan", "reviews", "report")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The followup_cli modules a file imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("followup_cli")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("followup_cli") and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / candidate.replace(".", "/")).is_dir() else node.module)
    return found


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _room(module: str) -> str:
    """The package a module lives in ('read', 'risk', 'cli' ...), or the module itself at the top level."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_the_scan_sees_the_packages():
    rooms = {_room(m) for m in GRAPH}
    assert {"read", "register", "risk", "plan", "publish", "cli", "api"} <= rooms
    assert "followup_cli.read.workbook" in GRAPH["followup_cli.register.read"]


def _violations(source_rooms: set[str], forbidden: set[str]) -> list[str]:
    return sorted(f"{m} imports {target}" for m, targets in GRAPH.items() if _room(m) in source_rooms
                  for target in targets if _room(target) in forbidden)


def test_reading_knows_no_domain_and_no_output():
    assert _violations({"read"}, {*DOMAIN, "publish", "cli", "api", "workspace", "settings"}) == []


def test_the_domain_never_imports_publishing_the_api_or_the_cli():
    assert _violations(set(DOMAIN), {"publish", "cli", "api"}) == []


def test_publishing_never_imports_the_api_or_the_cli():
    assert _violations({"publish"}, {"cli", "api"}) == []


def test_only_the_cli_imports_the_cli():
    assert _violations(set(_room(m) for m in GRAPH) - {"cli", "__main__"}, {"cli"}) == []


def test_no_import_cycles():
    """Tarjan's strongly connected components over the module graph: every component must be one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in GRAPH or target == node:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("rule", [_violations])
def test_a_planted_violation_is_caught(rule, monkeypatch):
    """The scan is not vacuous: a domain module that imported publishing would be reported."""
    monkeypatch.setitem(GRAPH, "followup_cli.risk.planted", {"followup_cli.publish.write"})
    assert rule(set(DOMAIN), {"publish"}) == ["followup_cli.risk.planted imports followup_cli.publish.write"]
