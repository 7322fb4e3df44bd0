"""Completed review checklists: one workbook per review, a header sheet of label/value pairs and a question table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from followup_cli.errors import InputError
from followup_cli.problem_codes import problem
from followup_cli.problems import Problem
from followup_cli.read.workbook import Workbook
from followup_cli.register.coerce import coerce
from followup_cli.register.sheets import read_table
from followup_cli.register.table import Register, Table
from followup_cli.schemas import checklist_area_schema, checklist_schemas
from followup_cli.text import column_letter, fold


@dataclass
class Checklist:
    path: Path
    header: dict[str, object]  # field name → typed value
    questions: Table | None
    areas: Table | None = None  # the optional sheet Bedömning: the reviewers' own grade per review area
    header_cells: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # field → (sheet, row, column) of its value

    @property
    def started(self) -> bool:
        """Whether any question has an answer (or text where the answer goes) or an observation: a checklist fresh
        from `checklist new` has none. validate, ingest and the review report all go by it."""
        table = self.questions
        if table is None or table.data.empty:
            return True  # nothing to answer: judged by its header alone
        data = table.data
        return bool(data["answer"].notna().any() or data["observation"].notna().any()) or \
            any(_failed(table, "answer", i) for i in range(len(table)))


def read_checklist(path: Path) -> tuple[Checklist | None, list[Problem]]:
    """The checklist and its problems. Each checklist is read on its own: one that cannot be read at all
    (not a workbook, encrypted, a sheet the reader refuses) is one problem naming it, and the rest are still checked."""
    try:
        with Workbook(path) as workbook:
            return _read_checklist(workbook)
    except InputError as exc:
        return None, [problem("unreadable-file", path.name, reason=exc.message)]


def _read_checklist(workbook: Workbook) -> tuple[Checklist, list[Problem]]:
    header_schema, questions_schema = checklist_schemas()
    path = workbook.path
    problems: list[Problem] = []
    sheets = {fold(s): s for s in workbook.sheet_names}
    found = {}
    for schema in (header_schema, questions_schema):
        name = next((sheets[fold(n)] for n in schema.sheet_names() if fold(n) in sheets), None)
        if name is None:
            problems.append(problem("missing-sheet", path.name, schema.title, variant="checklist", title=schema.title,
                                    description=schema.description))
        found[schema.name] = name
    header: dict[str, object] = {}
    header_cells: dict[str, tuple[str, int, str]] = {}
    if found[header_schema.name]:
        header, header_cells, header_problems = _read_header(workbook, found[header_schema.name])
        problems += header_problems
    questions, question_problems = None, []
    if found[questions_schema.name]:
        questions, question_problems = read_table(workbook.grid(found[questions_schema.name]), questions_schema)
        problems += question_problems
    areas = None
    area_schema = checklist_area_schema()
    area_sheet = next((sheets[fold(n)] for n in area_schema.sheet_names() if fold(n) in sheets), None)
    if area_sheet:
        areas, area_problems = read_table(workbook.grid(area_sheet), area_schema)
        problems += area_problems
    checklist = Checklist(path, header, questions, areas, header_cells)
    if not checklist.started and not question_problems:  # an answer that does not read is a start
        problems = _not_started(checklist, problems, sheet=found[header_schema.name])
    return checklist, problems


def _not_started(checklist: Checklist, problems: list[Problem], sheet: str | None) -> list[Problem]:
    """A checklist nobody has answered yet (as `checklist new` writes it) is one note, not an error per blank cell:
    the fields the reviewers fill in on the day (Datum, Granskare) are not asked for until they start."""
    date_title = checklist_schemas()[0].field("date").title
    kept = [p for p in problems if not (p.code == "required" and p.header == date_title)]
    return kept + [problem("checklist-not-started", checklist.path.name, sheet)]


def _read_header(workbook: Workbook, sheet: str) -> tuple[dict[str, object], dict[str, tuple[str, int, str]], list[Problem]]:
    """Label in one cell, value in the next cell to the right; the values, where each value stands, the problems."""
    header_schema, _ = checklist_schemas()
    grid = workbook.grid(sheet)
    lookup = {fold(h): f for f in header_schema.fields for h in f.headers()}
    values: dict[str, object] = {}
    at: dict[str, tuple[str, int, str]] = {}
    problems: list[Problem] = []
    for i, row in enumerate(grid.cells.itertuples(index=False)):
        cells = list(row)
        for j, label in enumerate(cells[:-1]):
            fld = lookup.get(fold(label)) if isinstance(label, str) else None
            if fld is None or fld.name in values:
                continue
            raw = cells[j + 1]
            raw = raw.strip() if isinstance(raw, str) else None
            typed, failed = coerce(pd.Series([raw], dtype=object), fld)
            place = dict(file=workbook.path.name, sheet=sheet, row=grid.first_row + i,
                         column=column_letter(grid.first_col + j + 1), header=fld.title, value=raw)
            if failed[0]:
                problems.append(problem("wrong-type", **place, text=raw, what=fld.title))
            values[fld.name] = None if failed[0] else typed.iat[0]
            at[fld.name] = (sheet, place["row"], place["column"])
            break
    for fld in header_schema.fields:
        if fld.required and (values.get(fld.name) is None or pd.isna(values.get(fld.name))):
            problems.append(problem("required", workbook.path.name, sheet, header=fld.title, variant="checklist", title=fld.title))
    return values, at, problems


def check_against_register(checklist: Checklist, register: Register) -> list[Problem]:
    """The provider and requirements a checklist names must exist in the register. Its review need not: a review
    that is planned, or done but not yet on the sheet Granskningar, is a new review (`checklist ingest` adds it)."""
    problems = []
    name = checklist.path.name
    references = [("provider_id", "providers", "provider_id", "Utförare")]
    for key, table_name, column, title in references:
        value = checklist.header.get(key)
        table = register.tables.get(table_name)
        if value is None or table is None:
            continue
        if value not in set(table.data[column].dropna()):
            problems.append(problem("unknown-reference", name, "Granskning", header=checklist_schemas()[0].field(key).title,
                                    value=str(value), variant="checklist", key=value, target=title))
    problems += _review_of_another_provider(checklist, register)
    requirements = register.tables.get("requirements")
    if checklist.questions is not None and requirements is not None:
        known = set(requirements.data["requirement_id"].dropna())
        ids = checklist.questions.data["requirement_id"]
        for i, value in enumerate(ids):
            if isinstance(value, str) and value not in known:
                problems.append(checklist.questions.problem(i, "requirement_id", "unknown-reference", variant="requirement", key=value))
    return problems


def _review_of_another_provider(checklist: Checklist, register: Register) -> list[Problem]:
    """A review already on Granskningar must be the same provider's: a copied checklist keeps the old review id."""
    reviews = register.tables.get("reviews")
    review, provider = checklist.header.get("review_id"), checklist.header.get("provider_id")
    if reviews is None or review is None or provider is None:
        return []
    registered = reviews.data.loc[reviews.data["review_id"] == review, "provider_id"].dropna()
    if registered.empty or provider in set(registered):
        return []
    title = checklist_schemas()[0].field("provider_id").title
    return [problem("checklist-other-provider", checklist.path.name, "Granskning", header=title, value=str(provider),
                    review=review, registered=registered.iat[0], provider=provider)]


def check_review_ids(checklist: Checklist, registered: set, seen: dict[str, str], shown: str) -> list[Problem]:
    """A new review (not among the `registered` review ids) needs its Typ, as Granskningar requires it, and two
    checklists for one review are one too many: `seen` holds each review id's first checklist (`shown` is added
    for this one). (A review the register has under another provider is check_against_register's.)"""
    header = checklist.header
    review_id = header.get("review_id")
    if review_id is None:
        return []
    if review_id in seen:
        title = checklist_schemas()[0].field("review_id").title
        return [problem("duplicate-checklist", shown, "Granskning", header=title, value=str(review_id), key=review_id,
                        first=seen[review_id])]
    seen[str(review_id)] = shown
    if header.get("review_type") is None and review_id not in registered:
        title = checklist_schemas()[0].field("review_type").title
        return [problem("required", shown, "Granskning", header=title, variant="checklist", title=title)]
    return []


@dataclass
class FolderChecks:
    """Every check a folder's checklists get against one register, the same for validate and checklist ingest:
    provider, requirements and answers; once a checklist is started its review id (a second checklist for a review
    is told by what the folder has shown so far) and, given `grades` (the reviews' scales, which this layer does
    not know), its own grades."""

    register: Register
    grades: Callable[[Checklist], list[Problem]] | None = None
    seen: dict[str, str] = field(default_factory=dict)  # review id → the checklist shown first for it

    def __post_init__(self) -> None:
        reviews = self.register.data("reviews")
        self.registered = set(reviews["review_id"].dropna()) if reviews is not None else set()

    def problems(self, checklist: Checklist, shown: str) -> list[Problem]:
        found = check_against_register(checklist, self.register) + check_answers(checklist)
        if checklist.started:  # one not filled in yet is only said to be so (ingest skips it)
            found += check_review_ids(checklist, self.registered, self.seen, shown)
            found += self.grades(checklist) if self.grades is not None else []
        return found


def checklist_paths(folder: Path) -> list[Path]:
    """The workbooks in a checklist folder and its subfolders (one per year, say), without Excel's lock files
    and without hidden files and folders (followup's own temporary files among them)."""
    return [p for p in _workbooks(folder) if not p.name.startswith("~$")]


def _workbooks(folder: Path) -> list[Path]:
    """Every workbook below `folder`, Excel's lock files among them, but none in a hidden file or folder."""
    suffixes = {".xlsx", ".xlsm", ".xls", ".ods"}
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts) and p.is_file())


FINDING_ANSWERS = ("no", "partly")  # the answers that become findings (reviews/grading.py Answer.is_finding)


def check_answers(checklist: Checklist) -> list[Problem]:
    """A completed checklist answers every question, and a Nej or Delvis says what was seen and how serious it is:
    the finding is made from them. One without any answer is not filled in yet (`checklist new` wrote it): no problem."""
    table = checklist.questions
    if table is None or not len(table) or not checklist.started:
        return []
    data = table.data
    answer_field = table.schema.field("answer")
    problems = []
    for i, (qid, answer, observation, severity) in enumerate(zip(data["question_id"], data["answer"], data["observation"],
                                                                   data["severity"])):
        question = qid if isinstance(qid, str) else f"på rad {int(table.rows[i])}"
        if not isinstance(answer, str):
            if not _failed(table, "answer", i):
                problems.append(table.problem(i, "answer", "unanswered", value=None, question=question))
            continue
        if answer not in FINDING_ANSWERS:
            continue
        label = answer_field.label(answer)
        if not isinstance(observation, str) or not observation.strip():
            problems.append(table.problem(i, "observation", "no-observation", value=None, question=question, answer=label))
        if not isinstance(severity, str) and not _failed(table, "severity", i):
            problems.append(table.problem(i, "severity", "no-severity", value=None, question=question, answer=label))
    return problems


def _failed(table: Table, field_name: str, i: int) -> bool:
    """The cell holds text that did not read as a value: the reader has already said so."""
    text = table.text.get(field_name)
    return text is not None and isinstance(text.iat[i], str) and bool(text.iat[i].strip())


def completed_checklists(folder: Path) -> tuple[list[Path], list[Path]]:
    """The workbooks `checklist_paths` finds, and Excel's lock files (`~$…`) it leaves out, for ingest to name."""
    found = _workbooks(folder)
    return [p for p in found if not p.name.startswith("~$")], [p for p in found if p.name.startswith("~$")]
