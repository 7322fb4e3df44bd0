"""What the package needs is declared, pinned for CI, and installed the way the README says."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    """'python-docx>=1.1' → 'python-docx'; names compared as pip does (case, '-' and '_' alike)."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return {_name(line): line.split("==", 1)[1] for line in lines if line.strip() and not line.startswith("#")}


def test_every_third_party_module_the_package_imports_is_declared():
    declared = {_name(r) for r in _project()["dependencies"]}
    owners = packages_distributions()
    imported = set()
    for path in (ROOT / "followup_cli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "followup_cli"}
    assert {"numpy", "docx", "openpyxl"} <= third_party  # the scan sees what it is meant to check
    undeclared = {m: owners.get(m) for m in third_party if not {_name(d) for d in owners.get(m, [m])} & declared}
    assert not undeclared, f"imported but not in pyproject's dependencies: {undeclared}"


def test_constraints_pin_every_declared_dependency_exactly():
    pins = _pins()
    wanted = [*_project()["dependencies"], *_project()["optional-dependencies"]["test"]]
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v) for v in pins.values()), pins
    assert not [r for r in wanted if _name(r) not in pins], "run: python scripts/refresh_constraints.py"


def test_ci_runs_exactly_the_readmes_test_command_with_the_constraints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = readme.split("Installera och kör hela testsviten:", 1)[1].strip().splitlines()[0].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert "-c constraints.txt" in command
    assert ci[-1].replace(" --quiet", "") == command
    assert "python scripts/refresh_constraints.py" in readme
