"""The workspace: `followup.yaml` found upward from the current folder (or given), as a typed model.

Paths in the file are relative to the file's folder. Command-line options
override what the file says; without any file, a scheduled job can still run
on a register given on the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.errors import InputError, UsageError
from followup_cli.text import fold, suggest

CONFIG_NAME = "followup.yaml"
REVIEWS_NAME = "granskningar.xlsx"


@dataclass(frozen=True)
class Workspace:
    root: Path
    config_path: Path | None = None
    organisation: str = "Kommunen"
    year: int | None = None
    register: Path | None = None
    sheets: dict[str, tuple[Path, str | None]] = field(default_factory=dict)  # schema name → (file, sheet)
    checklists: Path | None = None
    reviews: Path | None = None  # the consolidated reviews-and-findings workbook (default: granskningar.xlsx in root)
    questions: Path | None = None  # the user's own question bank, if any
    output: Path = Path("out")
    min_count: int = 5
    risk: dict = field(default_factory=dict)  # the risk: section, checked by followup_cli.risk.model
    plan: dict = field(default_factory=dict)  # the plan: section, checked by followup_cli.plan.config
    assessment: dict = field(default_factory=dict)  # the assessment: section, checked by followup_cli.reviews.scale

    @property
    def reviews_path(self) -> Path:
        """Where `checklist ingest` writes and every command reads the consolidated reviews and findings."""
        return self.reviews or self.root / REVIEWS_NAME

    @property
    def source_name(self) -> str:
        """The settings file's name, for messages about its keys."""
        return self.config_path.name if self.config_path else CONFIG_NAME

    def is_own_register(self, register: Path | None) -> bool:
        """No register named, or this workspace's own named on the command line: the reviews workbook and the
        checklists belong to it. Another file may be another municipality's or another year's."""
        if register is None:
            return True
        try:
            return self.register is not None and Path(register).resolve() == self.register.resolve()
        except OSError:
            return False

    def register_path(self, override: Path | None) -> Path:
        """The register to read: the command line's, else the workspace's, else a sentence saying what to do."""
        if override is not None:
            return override
        if self.register is not None:
            return self.register
        where = f"i {self.config_path}" if self.config_path else "(ingen followup.yaml hittades)"
        raise UsageError(f"Inget register angivet {where}. Ange filen, t.ex. followup validate register.xlsx, "
                         "eller skapa en arbetsyta med followup init.")


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_workspace(config: Path | None = None, cwd: Path | None = None) -> Workspace:
    cwd = cwd or Path.cwd()
    if config is not None:
        if not config.is_file():
            raise InputError(f"Konfigurationsfilen {config} finns inte.")
        path = config
    else:
        path = find_config(cwd)
    if path is None:
        return Workspace(root=cwd)
    return parse_workspace(path)


def parse_workspace(path: Path) -> Workspace:
    from followup_cli.settings import validated
    from followup_cli.workspace_settings import WorkspaceSettings
    from followup_cli.yamlfile import load_yaml

    raw = load_yaml(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(f"{path.name} ska innehålla nycklar som organisation:, register: och year:.")
    settings = validated(WorkspaceSettings, raw, "", path.name)
    root = path.parent.resolve()

    def rel(value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else root / p

    return Workspace(
        root=root,
        config_path=path,
        organisation=settings.organisation or "Kommunen",
        year=settings.year,
        register=rel(settings.register_file) if settings.register_file else None,
        sheets=_sheet_sources(settings.sheets or {}, path, rel),
        checklists=rel(settings.checklists) if settings.checklists else None,
        reviews=rel(settings.reviews) if settings.reviews else None,
        questions=rel(settings.questions) if settings.questions else None,
        output=rel(settings.output or "out"),
        min_count=settings.privacy.min_count if settings.privacy else 5,
        risk=settings.risk or {},
        plan=settings.plan or {},
        assessment=settings.assessment or {},
    )


def _sheet_sources(sheets: dict, path: Path, rel) -> dict[str, tuple[Path, str | None]]:
    from followup_cli.schemas import register_schemas, schema_for_sheet

    sources = {}
    for sheet, source in sheets.items():
        schema = schema_for_sheet(sheet)
        if schema is None:
            titles = [s.title for s in register_schemas().values()]
            near = suggest(sheet, {fold(t): t for t in titles})
            raise InputError(f"{path.name}: sheets: '{sheet}' är inget blad i registret"
                             + (f" – menade du '{near}'?" if near else f"; bladen heter {', '.join(titles)}."))
        sources[schema.name] = (rel(source.file), source.sheet)
    return sources


def parse_as_of(text: str | None) -> dt.date:
    """--as-of as an ISO date; today when absent."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--as-of ska vara ett datum som 2025-12-31 (fick '{text}').") from exc
