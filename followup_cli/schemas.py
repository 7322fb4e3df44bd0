"""The register format, read from the YAML table schemas in `schemas/`.

These files are the single source of truth: the reader, the validator,
`init` and the documentation all take sheets, headers and vocabularies from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

import yaml

from followup_cli.resources import resource_dir
from followup_cli.text import fold, suggest

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
        """Folded spelling → Swedish label, for every accepted spelling of every allowed value (for suggestions)."""
        return {spelling: self.label(value_id) for spelling, value_id in self.ids().items()}

    def ids(self) -> dict[str, str]:
        """Folded spelling (label, alias or id) → the value's id: what the register's tables and the rules hold."""
        return self._ids

    @cached_property
    def _ids(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for label, value_id in zip(self.enum, self.enum_ids):
            for spelling in (label, *self.enum_aliases.get(label, ()), value_id):
                lookup.setdefault(fold(spelling), value_id)
        return lookup

    def id_for(self, spelling: object) -> str | None:
        """The id of any accepted spelling of an allowed value, or None."""
        return self.ids().get(fold(spelling))

    def setting_id(self, value: object, key: str, source: str, sheet: str) -> str:
        """The id of a value a setting names (by label, alias or id); a sentence naming the key, with a
        suggestion, when it is no value of this vocabulary (exit 3)."""
        found = self.id_for(value) if value is not None else None
        if found is None:
            from followup_cli.errors import InputError
            from followup_cli.text import suggest

            near = suggest(str(value), self.vocabulary())
            raise InputError(f"{source}: {key} nämner '{value}', som inte är ett värde i {self.title} på bladet "
                             f"{sheet}" + (f" – menade du '{near}'?" if near else ".")
                             + f" Skriv ett av {', '.join(self.enum)} (eller dess id: {', '.join(self.enum_ids)}).")
        return found

    def label(self, value_id: str) -> str:
        """The Swedish label shown to users for an id (the one place ids become text again)."""
        return self.labels().get(value_id, value_id)

    def labels(self) -> dict[str, str]:
        """Id → Swedish label, in the schema's order."""
        return self._labels

    @cached_property
    def _labels(self) -> dict[str, str]:
        return dict(zip(self.enum_ids, self.enum))


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


# Every key a schema file may use, by level: a typo such as `requird:` is an error, not a silently ignored rule.
SHEET_KEYS = {"name", "title", "aliases", "description", "required", "primaryKey", "foreignKeys", "fields"}
CHECKLIST_KEYS = {"name", "title", "description", "header", "questions", "areas"}
FIELD_KEYS = {"name", "title", "aliases", "type", "description", "constraints", "enumIds", "enumAliases",
              "default", "delimiter", "check", "freeText"}
CONSTRAINT_KEYS = {"required", "unique", "enum", "minimum", "maximum"}
FOREIGN_KEY_KEYS = {"fields", "reference"}
REFERENCE_KEYS = {"resource", "fields"}
# The extra checks `check:` may name (register/checks.py runs them on every field that names one).
CHECKS = {"orgnr"}


class SchemaError(ValueError):
    """A schema file that breaks the format schemas/README.md describes: a bug in the shipped files."""


def _known_keys(raw, allowed: set[str], where: str) -> dict:
    if not isinstance(raw, dict):
        raise SchemaError(f"{where} ska vara en tabell med nycklar.")
    unknown = sorted(set(map(str, raw)) - allowed)
    if unknown:
        near = suggest(unknown[0], {fold(k): k for k in allowed})
        raise SchemaError(f"{where}: okänd nyckel {unknown[0]!r}" + (f" – menade du {near!r}?" if near else ".")
                          + f" Kända nycklar: {', '.join(sorted(allowed))}.")
    return raw


def _field(raw: dict, where: str) -> Field:
    if isinstance(raw, dict):
        where = f"{where} ({raw.get('name')})"
    raw = _known_keys(raw, FIELD_KEYS, where)
    constraints = _known_keys(raw.get("constraints") or {}, CONSTRAINT_KEYS, f"{where}.constraints")
    kind = raw.get("type", "string")
    if kind not in TYPES:
        raise SchemaError(f"{where}: okänd typ {kind!r} (kända: {', '.join(sorted(TYPES))}).")
    enum = tuple(constraints.get("enum", ()))
    enum_ids = tuple(str(i) for i in raw.get("enumIds", ()))
    if len(enum_ids) != len(enum) or len(set(enum_ids)) != len(enum_ids):
        raise SchemaError(f"{where}: enumIds ska ge ett eget id till varje värde i constraints.enum, i samma ordning.")
    aliases = {k: tuple(v) for k, v in (raw.get("enumAliases") or {}).items()}
    if set(aliases) - set(enum):
        raise SchemaError(f"{where}: enumAliases nämner {', '.join(sorted(set(aliases) - set(enum)))}, som inte finns i constraints.enum.")
    if raw.get("check") is not None and raw["check"] not in CHECKS:
        raise SchemaError(f"{where}: okänd check {raw['check']!r} (kända: {', '.join(sorted(CHECKS))}).")
    return Field(
        name=raw["name"],
        title=raw["title"],
        type=kind,
        description=raw.get("description", ""),
        aliases=tuple(raw.get("aliases", ())),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=enum,
        enum_ids=enum_ids,
        enum_aliases=aliases,
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        default=raw.get("default"),
        delimiter=raw.get("delimiter", ","),
        check=raw.get("check"),
        free_text=bool(raw.get("freeText", False)),
    )


def _foreign_key(raw, where: str) -> ForeignKey:
    raw = _known_keys(raw, FOREIGN_KEY_KEYS, where)
    reference = _known_keys(raw["reference"], REFERENCE_KEYS, f"{where}.reference")
    return ForeignKey(raw["fields"], reference["resource"], reference["fields"])


def _schema(raw: dict, where: str, name: str | None = None) -> Schema:
    raw = _known_keys(raw, SHEET_KEYS, where)
    return Schema(
        name=name or raw["name"],
        title=raw["title"],
        fields=tuple(_field(f, f"{where}: fields[{i}]") for i, f in enumerate(raw["fields"])),
        description=raw.get("description", ""),
        aliases=tuple(raw.get("aliases", ())),
        required=bool(raw.get("required", False)),
        primary_key=raw.get("primaryKey"),
        foreign_keys=tuple(_foreign_key(fk, f"{where}: foreignKeys[{i}]") for i, fk in enumerate(raw.get("foreignKeys", ()))),
    )


def _load(stem: str) -> dict:
    path = resource_dir("schemas") / f"{stem}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present: 10× faster


@cache
def register_schemas() -> dict[str, Schema]:
    """The register's sheets by English name, in SHEET_ORDER."""
    return {stem: _schema(_load(stem), f"schemas/{stem}.yaml") for stem in SHEET_ORDER}


@cache
def checklist_schemas() -> tuple[Schema, Schema]:
    """(header sheet 'Granskning', questions sheet 'Frågor') of a review checklist."""
    raw = _known_keys(_load("checklist"), CHECKLIST_KEYS, "schemas/checklist.yaml")
    return (_schema(raw["header"], "schemas/checklist.yaml: header", "checklist_header"),
            _schema(raw["questions"], "schemas/checklist.yaml: questions", "checklist_questions"))


@cache
def checklist_area_schema() -> Schema:
    """The optional sheet 'Bedömning' of a review checklist: the reviewers' own grade per review area, with a reason."""
    raw = _known_keys(_load("checklist"), CHECKLIST_KEYS, "schemas/checklist.yaml")
    return _schema(raw["areas"], "schemas/checklist.yaml: areas", "checklist_areas")


def schema_for_sheet(sheet_name: str) -> Schema | None:
    key = fold(sheet_name)
    for schema in register_schemas().values():
        if key in {fold(n) for n in schema.sheet_names()}:
            return schema
    return None
