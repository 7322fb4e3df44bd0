"""The plan's rules and numbers: defaults.yaml with the `plan:` section of followup.yaml merged in and checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.risk.model import Matrix
from followup_cli.schemas import register_schemas
from followup_cli.settings import load_defaults, merge, validated
from followup_cli.text import fold, suggest

TOTAL_POOL = "Totalt"


@dataclass(frozen=True)
class Theme:
    name: str
    service_areas: tuple[str, ...]
    method_id: str
    hours: float
    months: tuple[int, ...]


@dataclass(frozen=True)
class PlanConfig:
    rotation_years: int
    capacity: dict[str, float]  # unit → hours per year, before the reserve
    default_unit: str | None
    reserve_share: float
    hours: dict[str, float]  # method id → hours
    methods: dict[str, str]  # risk level id → method id
    light_method: str
    light_max_level: int  # index into the matrix's levels
    method_strength: tuple[str, ...]  # method ids, weakest first
    minimum_method: str
    vulnerable_service_areas: tuple[str, ...]
    vulnerable_method: str
    serious_method: str
    serious_event_kinds: tuple[str, ...]  # event kind ids
    serious_event_severity: int
    serious_event_months: int
    urgent_within_months: int
    min_months_between: int
    level_months: dict[str, int]  # risk level id → planned within so many months of the plan's start, capacity allowing
    new_provider_within_months: int
    contract_review_method: str
    contract_months: int
    new_provider_months: int
    sample_share: float
    sample_level: int
    sample_seed: int
    themes: tuple[Theme, ...]
    blocked_months: tuple[int, ...]
    event_day: str | int
    document: dict[str, str]
    feedback: tuple[dict[str, str], ...]
    show_months_to_board: bool = False  # the board's document shows months, not quarters

    def available(self, unit: str) -> float:
        """A unit's hours once the reserve for triggered reviews is taken out."""
        return self.capacity.get(unit, 0.0) * (1 - self.reserve_share)

    def strength(self, method_id: str) -> int:
        """How strong a method is (a method missing from method_strength counts as the weakest)."""
        return self.method_strength.index(method_id) if method_id in self.method_strength else -1

    def strongest(self, *method_ids: str) -> str:
        return max(method_ids, key=lambda m: (self.strength(m), self.hours[m], m))

    @property
    def open_months(self) -> tuple[int, ...]:
        return tuple(m for m in range(1, 13) if m not in self.blocked_months)


def method_labels() -> dict[str, str]:
    """Method id → Swedish label, as in the Granskningar sheet's vocabulary."""
    field = register_schemas()["reviews"].field("method")
    return dict(zip(field.enum_ids, field.enum))


def review_type_labels() -> dict[str, str]:
    field = register_schemas()["reviews"].field("review_type")
    return dict(zip(field.enum_ids, field.enum))


def load_plan_config(overrides: dict | None, matrix: Matrix, year: int, source: str = "followup.yaml",
                     capacity_hours: float | None = None) -> PlanConfig:
    """The defaults with `overrides` merged in; `capacity_hours` (--capacity-hours) replaces the per-unit figures."""
    from followup_cli.plan.settings import PlanSettings

    merged = merge(load_defaults(Path(__file__).with_name("defaults.yaml")), overrides or {})
    validated(PlanSettings, merged, "plan", source)
    methods_vocabulary = register_schemas()["reviews"].field("method").vocabulary()
    ids = {fold(i): i for i in method_labels()}

    def method(value, key: str) -> str:
        label = methods_vocabulary.get(fold(str(value)))
        if label is None:
            near = suggest(str(value), {**{fold(v): v for v in methods_vocabulary.values()}, **ids})
            raise InputError(f"{source}: plan.{key} '{value}' är ingen metod" + (f" – menade du '{near}'?" if near else
                             f"; metoderna är {', '.join(method_labels().values())}."))
        return next(i for i, lab in method_labels().items() if lab == label)

    def level(value, key: str) -> int:
        try:
            return matrix.level_index(str(value))
        except KeyError:
            raise InputError(f"{source}: plan.{key} '{value}' är ingen risknivå i matrisen "
                             f"({', '.join(f'{lv.id} ({lv.name})' for lv in matrix.levels)}).") from None

    capacity = {str(unit): float(hours) for unit, hours in merged["capacity"].items()}
    if capacity_hours is not None:
        capacity = {TOTAL_POOL: float(capacity_hours)}
    hours = {m: float(h) for m, h in merged["hours"].items()}
    methods = {}
    for level_key, value in merged["methods"].items():
        methods[matrix.levels[level(level_key, f"methods.{level_key}")].id] = method(value, f"methods.{level_key}")
    missing = [lv for lv in matrix.levels if lv.id not in methods]
    if missing:
        raise InputError(f"{source}: plan.methods saknar metod för risknivån {', '.join(f'{lv.id} ({lv.name})' for lv in missing)}. "
                         "Ange en metod per nivå i riskmatrisen, t.ex. very_high: site_visit.")
    blocked = merged["blocked_months"]
    seed = merged["sample_seed"]
    themes = tuple(_theme(t, i, method, hours, set(blocked)) for i, t in enumerate(merged["themes"]))
    columns = ("source", "provider", "board", "internal", "public")
    return PlanConfig(
        rotation_years=merged["rotation_years"],
        capacity=capacity,
        default_unit=str(merged["default_unit"]).strip() or None,
        reserve_share=float(merged["reserve_share"]),
        hours=hours,
        methods=methods,
        light_method=method(merged["light_method"], "light_method"),
        light_max_level=level(merged["light_max_level"], "light_max_level"),
        method_strength=tuple(method(m, f"method_strength[{i}]") for i, m in enumerate(merged["method_strength"])),
        minimum_method=method(merged["minimum_method"], "minimum_method"),
        vulnerable_service_areas=tuple(str(a).strip() for a in merged["vulnerable_service_areas"]),
        vulnerable_method=method(merged["vulnerable_method"], "vulnerable_method"),
        serious_method=method(merged["serious_method"], "serious_method"),
        serious_event_kinds=_event_kinds(merged["serious_events"]["kinds"], source),
        serious_event_severity=merged["serious_events"]["min_severity"],
        serious_event_months=merged["serious_events"]["months"],
        urgent_within_months=merged["urgent_within_months"],
        min_months_between=merged["min_months_between"],
        level_months={matrix.levels[level(k, f"level_months.{k}")].id: int(v) for k, v in merged["level_months"].items()},
        new_provider_within_months=merged["new_provider_within_months"],
        contract_review_method=method(merged["contract_review_method"], "contract_review_method"),
        contract_months=merged["contract_months"],
        new_provider_months=merged["new_provider_months"],
        sample_share=float(merged["sample_share"]),
        sample_level=level(merged["sample_level"], "sample_level"),
        sample_seed=year if seed is None else seed,
        themes=themes,
        blocked_months=tuple(sorted(set(blocked))),
        event_day=merged["event_day"],
        document={k: "" if v is None else str(v) for k, v in merged["document"].items()},
        feedback=tuple({c: str(r.get(c) or "") for c in columns} for r in merged["feedback"]),
        show_months_to_board=merged["show_months_to_board"],
    )


def _event_kinds(kinds: list[str], source: str) -> tuple[str, ...]:
    """Event kinds as ids, given as ids or as the Händelser sheet's labels."""
    events = register_schemas()["events"]
    kind = events.field("kind")
    return tuple(kind.setting_id(k, f"plan.serious_events.kinds[{i}]", source, events.title) for i, k in enumerate(kinds))


def _theme(raw: dict, i: int, method, hours: dict[str, float], blocked: set[int]) -> Theme:
    """A checked theme: its method resolved, its hours the method's unless given, its months the open ones."""
    areas = [raw["service_areas"]] if isinstance(raw["service_areas"], str) else raw["service_areas"]
    method_id = method(raw.get("method") or "digital_visit", f"themes[{i}].method")
    theme_hours = raw.get("hours") or hours[method_id]
    months = raw.get("months") or list(range(1, 13))
    return Theme(str(raw["name"]).strip(), tuple(a.strip() for a in areas), method_id, float(theme_hours),
                 tuple(sorted(set(months) - blocked)))
