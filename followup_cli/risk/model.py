"""The risk model: the shipped defaults (defaults.yaml) with the user's `risk:` overrides merged in.

Every number of the model lives in defaults.yaml, which is also its
documentation. The merged settings are checked by risk/settings.py (strict
types, unknown keys with a suggestion); what needs the built matrix (cut
points against its size, min_level among its levels) is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.schemas import register_schemas
from followup_cli.settings import load_defaults, merge, validated
from followup_cli.text import fold



@dataclass(frozen=True)
class Level:
    id: str
    name: str
    color: str
    description: str = ""


@dataclass(frozen=True)
class Step:
    """One level of an axis (likelihood or consequence)."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Matrix:
    name: str
    likelihood: tuple[Step, ...]
    consequence: tuple[Step, ...]
    levels: tuple[Level, ...]
    grid: tuple[tuple[int, ...], ...]

    def level(self, likelihood: int, consequence: int) -> Level:
        """The risk level of a cell; both coordinates 1-based."""
        return self.levels[self.grid[likelihood - 1][consequence - 1]]

    def level_index(self, name_or_id: str) -> int:
        key = fold(name_or_id)
        for i, level in enumerate(self.levels):
            if key in (fold(level.name), fold(level.id)):
                return i
        raise KeyError(name_or_id)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "likelihood": [s.name for s in self.likelihood],
            "consequence": [s.name for s in self.consequence],
            "levels": [{"id": lv.id, "name": lv.name, "color": lv.color, "description": lv.description} for lv in self.levels],
            "grid": [list(row) for row in self.grid],
        }


@dataclass(frozen=True)
class RiskModel:
    matrix: Matrix
    likelihood: dict
    consequence: dict
    unknown: dict
    alerts: dict
    likelihood_cuts: tuple[float, ...]
    consequence_cuts: tuple[float, ...]
    max_top_share: float = 0.25
    target_shares: dict[str, float] | None = None  # level id → share; None: the defaults do not fit the user's levels


def defaults() -> dict:
    return load_defaults(Path(__file__).with_name("defaults.yaml"))


def load_model(overrides: dict | None = None, source: str = "followup.yaml") -> RiskModel:
    """The defaults with `overrides` (the `risk:` section of followup.yaml) merged in and checked."""
    from followup_cli.risk.settings import RiskSettings

    merged = merge(defaults(), overrides or {})
    user_shares = (overrides or {}).get("target_shares")
    if isinstance(user_shares, dict) and user_shares:
        merged["target_shares"] = user_shares  # a table of its own: merged, a default id would linger beside a name
    validated(RiskSettings, merged, "risk", source)
    merged = vocabulary_ids(merged, source)
    matrix = _matrix(merged["matrix"])
    user_likelihood = (overrides or {}).get("likelihood", {}) or {}
    user_consequence = (overrides or {}).get("consequence", {}) or {}
    likelihood_cuts = _cuts(merged["likelihood"]["cut_points"], len(matrix.likelihood), "likelihood.cut_points",
                            "cut_points" in user_likelihood, source)
    consequence_cuts = _cuts(merged["consequence"]["cut_points"], len(matrix.consequence), "consequence.cut_points",
                             "cut_points" in user_consequence, source)
    try:
        matrix.level_index(str(merged["unknown"]["min_level"]))
    except KeyError:
        raise InputError(f"{source}: risk.unknown.min_level '{merged['unknown']['min_level']}' är ingen nivå i matrisen "
                         f"({', '.join(lv.name for lv in matrix.levels)}).") from None
    shares = _target_shares(matrix, merged["target_shares"], bool(user_shares), source)
    return RiskModel(matrix, merged["likelihood"], merged["consequence"], merged["unknown"], merged["alerts"],
                     likelihood_cuts, consequence_cuts, float(merged["max_top_share"]), shares)


def _target_shares(matrix: Matrix, shares: dict, given: bool, source: str) -> dict[str, float] | None:
    """The target share per level id, named by id or name; the defaults that do not fit the user's own levels are left out."""
    out: dict[str, float] = {}
    for key, share in shares.items():
        try:
            out[matrix.levels[matrix.level_index(str(key))].id] = float(share)
        except KeyError:
            if not given:
                return None
            raise InputError(f"{source}: risk.target_shares nämner '{key}', som inte är en nivå i matrisen "
                             f"({', '.join(lv.id for lv in matrix.levels)}).") from None
    absent = [lv.id for lv in matrix.levels if lv.id not in out]
    if absent:
        if not given:
            return None
        raise InputError(f"{source}: risk.target_shares ska ha en andel för varje risknivå; {', '.join(absent)} saknas.")
    return {lv.id: out[lv.id] for lv in matrix.levels}


# Settings that name a value of a register vocabulary: where, the sheet and field whose vocabulary it is,
# and whether the table's keys, its values, a list's items, one value or each rule's `area` name it.
VOCABULARY_SETTINGS = (
    (("likelihood", "events"), "events", "kind", "keys"),
    (("likelihood", "normalise_by_clients"), "events", "kind", "items"),
    (("likelihood", "serious_floor", "event_kinds"), "events", "kind", "items"),
    (("likelihood", "open_findings"), "findings", "severity", "keys"),
    (("likelihood", "sanctions"), "findings", "sanction", "keys"),
    (("likelihood", "survey", "areas"), "events", "review_area", "values"),
    (("likelihood", "self_report"), "events", "review_area", "area"),
    (("likelihood", "billing", "area"), "events", "review_area", "value"),
)


def vocabulary_ids(merged: dict, source: str) -> dict:
    """The merged settings with every vocabulary value they name (by label, alias or id) as its id, as the
    register's tables hold it, so the rules compare ids. A user's label key added after a default id key wins."""
    schemas = register_schemas()
    for path, sheet, name, how in VOCABULARY_SETTINGS:
        fld = schemas[sheet].field(name)
        key = "risk." + ".".join(path)

        def to_id(value, where=key, fld=fld, sheet=schemas[sheet].title):
            return fld.setting_id(value, where, source, sheet)

        *parents, last = path
        parent = merged
        for part in parents:
            parent = parent[part]
        value = parent[last]
        if how == "keys":
            parent[last] = {to_id(k, f"{key}.{k}"): v for k, v in value.items()}
        elif how == "values":
            parent[last] = {k: to_id(v, f"{key}.{k}") for k, v in value.items()}
        elif how == "items":
            parent[last] = [to_id(v) for v in value]
        elif how == "value":
            parent[last] = to_id(value) if value else None
        else:
            for i, rule in enumerate(value):
                if isinstance(rule, dict) and rule.get("area"):
                    rule["area"] = to_id(rule["area"], f"{key}[{i}].area")
    return merged


def _matrix(raw: dict) -> Matrix:
    """The matrix of checked settings: a step is a name or {name, description}; a level's id defaults to its folded name."""
    def steps(key):
        return tuple(Step(str(i["name"]), str(i.get("description", ""))) if isinstance(i, dict) else Step(str(i)) for i in raw[key])

    levels = tuple(Level(str(item.get("id") or fold(item["name"])), str(item["name"]), str(item.get("color", "#FFFFFF")).upper(),
                         str(item.get("description", ""))) for item in raw["levels"])
    return Matrix(str(raw.get("name", "Riskmatris")), steps("likelihood"), steps("consequence"), levels,
                  tuple(tuple(r) for r in raw["grid"]))


def _cuts(values, steps: int, key: str, given: bool, source: str) -> tuple[float, ...]:
    """Cut points between the levels: given ones must fit the matrix; defaults are spread to fit it."""
    values = [float(v) for v in values]
    if len(values) == steps - 1 and all(a < b for a, b in zip(values, values[1:])):
        return tuple(values)
    if given:
        raise InputError(f"{source}: risk.{key} ska ha {steps - 1} stigande värden, ett per nivå efter den första (nu: {values}).")
    low, high = values[0], values[-1]
    return tuple(low + (high - low) * i / (steps - 2) for i in range(steps - 1)) if steps > 2 else (low,)
