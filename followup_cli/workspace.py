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
KNOWN_KEYS = {
    "organisation": "kommunens eller förvaltningens namn",
    "year": "planåret",
    "register": "registrets arbetsbok",
    "sheets": "blad som kommer som egna filer",
    "checklists": "mappen med ifyllda granskningsprotokoll",
    "output": "mappen för utdata",
    "privacy": "integritetsskydd i rapporter",
    "risk": "riskmodellen (standardvärden: se README)",
    "plan": "uppföljningsplanen: kapacitet, regler, teman och tjänsteskrivelsen (standardvärden: se README)",
}
PRIVACY_KEYS = {"min_count": "minsta antal som visas i rapporter till allmänheten"}


@dataclass(frozen=True)
class Workspace:
    root: Path
    config_path: Path | None = None
    organisation: str = "Kommunen"
    year: int | None = None
    register: Path | None = None
    sheets: dict[str, tuple[Path, str | None]] = field(default_factory=dict)  # schema name → (file, sheet)
    checklists: Path | None = None
    output: Path = Path("out")
    min_count: int = 5
    risk: dict = field(default_factory=dict)  # the risk: section, checked by followup_cli.risk.model
    plan: dict = field(default_factory=dict)  # the plan: section, checked by followup_cli.plan.config

    @property
    def source_name(self) -> str:
        """The settings file's name, for messages about its keys."""
        return self.config_path.name if self.config_path else CONFIG_NAME

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
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1})" if mark else ""
        raise InputError(f"{path.name}{where} är inte giltig YAML: {getattr(exc, 'problem', exc)}. Kontrollera indrag och kolon.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} kan inte läsas: {exc}.") from exc
    if not isinstance(raw, dict):
        raise InputError(f"{path.name} ska innehålla nycklar som organisation:, register: och year:.")
    _reject_unknown(raw, KNOWN_KEYS, path, "")
    root = path.parent.resolve()

    def rel(value, key) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{path.name}: {key} ska vara en sökväg, t.ex. register.xlsx.")
        p = Path(value)
        return p if p.is_absolute() else root / p

    privacy = raw.get("privacy") or {}
    if not isinstance(privacy, dict):
        raise InputError(f"{path.name}: privacy ska ha underordnade nycklar, t.ex. min_count: 5.")
    _reject_unknown(privacy, PRIVACY_KEYS, path, "privacy.")
    year = raw.get("year")
    if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
        raise InputError(f"{path.name}: year ska vara ett årtal, t.ex. 2026 (nu: {year!r}).")
    min_count = privacy.get("min_count", 5)
    if not isinstance(min_count, int) or min_count < 1:
        raise InputError(f"{path.name}: privacy.min_count ska vara ett heltal ≥ 1 (nu: {min_count!r}).")
    return Workspace(
        root=root,
        config_path=path,
        organisation=str(raw.get("organisation") or "Kommunen"),
        year=year,
        register=rel(raw["register"], "register") if raw.get("register") else None,
        sheets=_sheet_sources(raw.get("sheets") or {}, path, rel),
        checklists=rel(raw["checklists"], "checklists") if raw.get("checklists") else None,
        output=rel(raw.get("output") or "out", "output"),
        min_count=min_count,
        risk=_table(raw.get("risk"), path, "risk"),
        plan=_table(raw.get("plan"), path, "plan"),
    )


def _table(value, path: Path, key: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{path.name}: {key} ska vara en tabell med nycklar (se README).")
    return value


def _sheet_sources(raw, path: Path, rel) -> dict[str, tuple[Path, str | None]]:
    from followup_cli.schemas import schema_for_sheet

    if not isinstance(raw, dict):
        raise InputError(f"{path.name}: sheets ska ange blad och fil, t.ex. 'Fakturering: export/fakturering.csv'.")
    sources = {}
    for sheet, value in raw.items():
        schema = schema_for_sheet(str(sheet))
        if schema is None:
            from followup_cli.schemas import register_schemas

            titles = [s.title for s in register_schemas().values()]
            near = suggest(str(sheet), {fold(t): t for t in titles})
            raise InputError(f"{path.name}: sheets: '{sheet}' är inget blad i registret"
                             + (f" – menade du '{near}'?" if near else f"; bladen heter {', '.join(titles)}."))
        if isinstance(value, dict):
            sources[schema.name] = (rel(value.get("file"), f"sheets.{sheet}.file"), value.get("sheet"))
        else:
            sources[schema.name] = (rel(value, f"sheets.{sheet}"), None)
    return sources


def _reject_unknown(raw: dict, known: dict[str, str], path: Path, prefix: str) -> None:
    for key in raw:
        if key not in known:
            near = suggest(str(key), {fold(k): k for k in known})
            hint = f" – menade du '{prefix}{near}'?" if near else f". Kända nycklar: {', '.join(prefix + k for k in known)}."
            raise InputError(f"{path.name}: okänd nyckel '{prefix}{key}'{hint}")


def parse_as_of(text: str | None) -> dt.date:
    """--as-of as an ISO date; today when absent."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--as-of ska vara ett datum som 2025-12-31 (fick '{text}').") from exc
