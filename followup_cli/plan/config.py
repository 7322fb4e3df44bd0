"""The plan's rules and numbers: defaults.yaml with the `plan:` section of followup.yaml merged in and checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.risk.model import Matrix
from followup_cli.schemas import register_schemas
from followup_cli.settings import load_defaults, merge_checked
from followup_cli.text import fold, suggest

OPEN_MAPS = {("capacity",), ("methods",)}
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
    light_coverage: float
    follow_up_method: str
    contract_review_method: str
    contract_months: int
    new_provider_months: int
    sample_share: float
    sample_level: int
    sample_seed: int
    themes: tuple[Theme, ...]
    blocked_months: tuple[int, ...]
    event_day: str | int
    solver_time_limit: float
    document: dict[str, str]
    feedback: tuple[dict[str, str], ...]

    def available(self, unit: str) -> float:
        """A unit's hours once the reserve for triggered reviews is taken out."""
        return self.capacity.get(unit, 0.0) * (1 - self.reserve_share)

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
    merged = merge_checked(load_defaults(Path(__file__).with_name("defaults.yaml")), overrides or {}, "plan", source, OPEN_MAPS)
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

    def whole(key: str, low: int, high: int | None = None) -> int:
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            raise InputError(f"{source}: plan.{key} ska vara ett heltal {low}–{high if high is not None else '…'} (nu: {value!r}).")
        return value

    def share(key: str, below_one: bool = False) -> float:
        value = float(merged[key])
        if value > 1 or (below_one and value >= 1):
            raise InputError(f"{source}: plan.{key} ska vara en andel mellan 0 och {'0,99' if below_one else '1'}, t.ex. 0.15 (nu: {value!r}).")
        return value

    capacity = {}
    for unit, hours in (merged["capacity"] or {}).items():
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours < 0:
            raise InputError(f"{source}: plan.capacity.{unit} ska vara timmar per år, ett tal ≥ 0 (nu: {hours!r}).")
        capacity[str(unit)] = float(hours)
    if capacity_hours is not None:
        capacity = {TOTAL_POOL: float(capacity_hours)}
    hours = {m: float(h) for m, h in merged["hours"].items()}
    for m, h in hours.items():
        if h <= 0:
            raise InputError(f"{source}: plan.hours.{m} ska vara fler än 0 timmar (nu: {h!r}).")
    methods = {}
    for level_key, value in merged["methods"].items():
        methods[matrix.levels[level(level_key, f"methods.{level_key}")].id] = method(value, f"methods.{level_key}")
    missing = [lv for lv in matrix.levels if lv.id not in methods]
    if missing:
        raise InputError(f"{source}: plan.methods saknar metod för risknivån {', '.join(f'{lv.id} ({lv.name})' for lv in missing)}. "
                         "Ange en metod per nivå i riskmatrisen, t.ex. very_high: site_visit.")
    blocked = merged["blocked_months"] or []
    if not isinstance(blocked, list) or not all(isinstance(m, int) and 1 <= m <= 12 for m in blocked) or len(set(blocked)) >= 12:
        raise InputError(f"{source}: plan.blocked_months ska vara en lista med månader 1–12 (och minst en månad öppen), t.ex. [7] (nu: {blocked!r}).")
    event_day = merged["event_day"]
    if not (event_day == "first_weekday" or isinstance(event_day, int) and 1 <= event_day <= 28):
        raise InputError(f"{source}: plan.event_day ska vara first_weekday eller en dag 1–28 (nu: {event_day!r}).")
    seed = merged["sample_seed"]
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise InputError(f"{source}: plan.sample_seed ska vara ett heltal eller tomt (nu: {seed!r}).")
    themes = tuple(_theme(t, i, source, method, hours, set(blocked)) for i, t in enumerate(merged["themes"] or []))
    feedback = merged["feedback"] or []
    columns = ("source", "provider", "board", "internal", "public")
    if not isinstance(feedback, list) or not all(isinstance(r, dict) and set(r) <= set(columns) and "source" in r for r in feedback):
        raise InputError(f"{source}: plan.feedback ska vara en lista med rader som har nycklarna {', '.join(columns)}.")
    return PlanConfig(
        rotation_years=whole("rotation_years", 1, 20),
        capacity=capacity,
        default_unit=str(merged["default_unit"]).strip() or None,
        reserve_share=share("reserve_share", below_one=True),
        hours=hours,
        methods=methods,
        light_method=method(merged["light_method"], "light_method"),
        light_max_level=level(merged["light_max_level"], "light_max_level"),
        light_coverage=share("light_coverage"),
        follow_up_method=method(merged["follow_up_method"], "follow_up_method"),
        contract_review_method=method(merged["contract_review_method"], "contract_review_method"),
        contract_months=whole("contract_months", 0, 120),
        new_provider_months=whole("new_provider_months", 0, 120),
        sample_share=share("sample_share"),
        sample_level=level(merged["sample_level"], "sample_level"),
        sample_seed=year if seed is None else seed,
        themes=themes,
        blocked_months=tuple(sorted(set(blocked))),
        event_day=event_day,
        solver_time_limit=float(merged["solver_time_limit"]) or 60.0,
        document={k: "" if v is None else str(v) for k, v in merged["document"].items()},
        feedback=tuple({c: str(r.get(c) or "") for c in columns} for r in feedback),
    )


def _theme(raw, i: int, source: str, method, hours: dict[str, float], blocked: set[int]) -> Theme:
    where = f"plan.themes[{i}]"
    if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
        raise InputError(f"{source}: {where} ska ha name, service_areas och method, t.ex. "
                         "{name: Läkemedelshantering, service_areas: [Särskilt boende], method: digital_visit}.")
    unknown = set(raw) - {"name", "service_areas", "method", "hours", "months"}
    if unknown:
        raise InputError(f"{source}: {where} har okända nycklar: {', '.join(sorted(map(str, unknown)))} "
                         "(kända: name, service_areas, method, hours, months).")
    areas = raw.get("service_areas") or []
    if isinstance(areas, str):
        areas = [areas]
    if not areas or not all(isinstance(a, str) and a.strip() for a in areas):
        raise InputError(f"{source}: {where}.service_areas ska lista verksamhetsområden, t.ex. [Särskilt boende].")
    method_id = method(raw.get("method") or "digital_visit", f"themes[{i}].method")
    theme_hours = raw.get("hours", hours[method_id])
    if isinstance(theme_hours, bool) or not isinstance(theme_hours, (int, float)) or theme_hours <= 0:
        raise InputError(f"{source}: {where}.hours ska vara timmar per utförare, fler än 0 (nu: {theme_hours!r}).")
    months = raw.get("months") or list(range(1, 13))
    if not isinstance(months, list) or not all(isinstance(m, int) and 1 <= m <= 12 for m in months) or not set(months) - blocked:
        raise InputError(f"{source}: {where}.months ska vara månader 1–12 som inte alla är spärrade (nu: {months!r}).")
    return Theme(str(raw["name"]).strip(), tuple(a.strip() for a in areas), method_id, float(theme_hours),
                 tuple(sorted(set(months) - blocked)))
