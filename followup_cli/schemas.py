"""The register format, read from the YAML table schemas in `schemas/`.

These files are the single source of truth: the reader, the validator,
`init` and the documentation all take sheets, headers and vocabularies from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from followup_cli.resources import resource_dir
from followup_cli.text import fold

TYPES = {"string", "integer", "number", "date", "yearmonth", "year", "boolean", "list"}
# The order sheets are read, validated and written by `init`.
SHEET_ORDER = [
    "providers", "requirements", "events", "reviews", "findings",
    "survey", "self_report", "billing", "adjustments",
]


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    enum_ids: tuple[str, ...] = ()
    enum_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    default: object = None
    delimiter: str = ","
    check: str | None = None
    free_text: bool = False

    def headers(self) -> list[str]:
        return [self.title, self.name, *self.aliases]

    def vocabulary(self) -> dict[str, str]:
        """Folded spelling → Swedish label, for every accepted spelling of every allowed value."""
        lookup: dict[str, str] = {}
        for i, label in enumerate(self.enum):
            spellings = [label, *self.enum_aliases.get(label, ())]
            if i < len(self.enum_ids):
                spellings.append(self.enum_ids[i])
            for spelling in spellings:
                lookup.setdefault(fold(spelling), label)
        return lookup

    def id_of(self, label: str) -> str | None:
        if label in self.enum and self.enum_ids:
            return self.enum_ids[self.enum.index(label)]
        return None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str
    target: str


@dataclass(frozen=True)
class Schema:
    name: str
    title: str
    fields: tuple[Field, ...]
    description: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    primary_key: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def sheet_names(self) -> list[str]:
        return [self.title, self.name, *self.aliases]


def _field(raw: dict) -> Field:
    constraints = raw.get("constraints") or {}
    kind = raw.get("type", "string")
    if kind not in TYPES:
        raise ValueError(f"okänd typ {kind!r} för fältet {raw.get('name')!r}")
    return Field(
        name=raw["name"],
        title=raw["title"],
        type=kind,
        description=raw.get("description", ""),
        aliases=tuple(raw.get("aliases", ())),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(constraints.get("enum", ())),
        enum_ids=tuple(str(i) for i in raw.get("enumIds", ())),
        enum_aliases={k: tuple(v) for k, v in (raw.get("enumAliases") or {}).items()},
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        default=raw.get("default"),
        delimiter=raw.get("delimiter", ","),
        check=raw.get("check"),
        free_text=bool(raw.get("freeText", False)),
    )


def _schema(raw: dict, name: str | None = None) -> Schema:
    return Schema(
        name=name or raw["name"],
        title=raw["title"],
        fields=tuple(_field(f) for f in raw["fields"]),
        description=raw.get("description", ""),
        aliases=tuple(raw.get("aliases", ())),
        required=bool(raw.get("required", False)),
        primary_key=raw.get("primaryKey"),
        foreign_keys=tuple(
            ForeignKey(fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
            for fk in raw.get("foreignKeys", ())
        ),
    )


def _load(stem: str) -> dict:
    path = resource_dir("schemas") / f"{stem}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present: 10× faster


@cache
def register_schemas() -> dict[str, Schema]:
    """The register's sheets by English name, in SHEET_ORDER."""
    return {stem: _schema(_load(stem)) for stem in SHEET_ORDER}


@cache
def checklist_schemas() -> tuple[Schema, Schema]:
    """(header sheet 'Granskning', questions sheet 'Frågor') of a review checklist."""
    raw = _load("checklist")
    return _schema(raw["header"], "checklist_header"), _schema(raw["questions"], "checklist_questions")


def schema_for_sheet(sheet_name: str) -> Schema | None:
    key = fold(sheet_name)
    for schema in register_schemas().values():
        if key in {fold(n) for n in schema.sheet_names()}:
            return schema
    return None
