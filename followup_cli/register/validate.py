"""`validate` as a library call: the register's problems, and what was read, for the CLI and tests alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.problem_codes import problem
from followup_cli.problems import Problem
from followup_cli.register.read import RegisterSources, read_register
from followup_cli.schemas import register_schemas
from followup_cli.swedish import thousands


@dataclass
class ValidationResult:
    problems: list[Problem]
    absent: list[str]  # Swedish titles of optional sheets that were not there
    summary: str  # '9 blad, 1 234 rader'
    inputs: list[Path]


def validate_register(sources: RegisterSources, as_of: dt.date, checklists: Path | None = None,
                      service_areas: list[str] = (), grade_checks=None) -> ValidationResult:
    """Every problem in the register (and the checklists in `checklists`, if given); a Verksamhetsområde that is a
    near miss of one of `service_areas` (the risk settings' names) is a warning. `grade_checks(register)` gives the
    check of a checklist's own grades against its scale, which the reviews' settings know (api._grade_checks):
    a started checklist gets every check `checklist ingest` makes.

    A register that cannot be opened raises InputError carrying one problem.
    """
    inputs = sources.files()  # the reviews workbook too: --annotate must never replace it
    try:
        register = read_register(sources, as_of)
    except InputError as exc:
        exc.problems = [unreadable(exc)]
        raise
    problems = list(register.problems)
    if service_areas and "providers" in register.tables:
        from followup_cli.register.checks import service_area_near_misses

        problems = _merged(problems, service_area_near_misses(register.tables["providers"], list(service_areas)))
    titles = register_schemas()
    rows = sum(len(t) for t in register.tables.values())
    summary = f"{len(register.tables)} blad, {thousands(rows)} rader"
    if checklists is not None and checklists.is_dir():
        from followup_cli.register.checklist import FolderChecks, checklist_paths, read_checklist

        paths = checklist_paths(checklists)
        checks = FolderChecks(register, grade_checks(register) if grade_checks is not None and paths else None)
        for path in paths:
            checklist, found = read_checklist(path)
            problems += found
            if checklist is not None:
                problems += checks.problems(checklist, path.name)
        inputs += paths
        summary += f", {len(paths)} granskningsprotokoll"
    return ValidationResult(problems, [titles[n].title for n in register.absent], summary, inputs)


def _merged(problems: list[Problem], extra: list[Problem]) -> list[Problem]:
    """`extra` placed in the sorted problems where each belongs; a capped column's closing line (no row) stays
    right after its column's problems."""
    from followup_cli.problems import sort_key

    extra, out = sorted(extra, key=sort_key), []
    for p in problems:
        while extra and p.row is not None and sort_key(extra[0]) < sort_key(p):
            out.append(extra.pop(0))
        out.append(p)
    return out + extra


def unreadable(exc: InputError) -> Problem:
    """A file the reader could not open, as a problem object for --json."""
    return problem("unreadable-file", exc.file or "", reason=exc.message)
