"""What could be planned for each provider, and which rules make it mandatory.

Every active provider gets one main candidate (the yearly review, with the
method its risk level calls for and, up to a level, a lighter alternative);
rules add a second review where the issue allows one: a follow-up after an
action-plan deadline, and themes. The selection decides among these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field

import pandas as pd

from followup_cli.plan.config import TOTAL_POOL, PlanConfig, Theme, review_type_labels
from followup_cli.risk.results import ProviderRisk, RiskAnalysis
from followup_cli.swedish import percent
from followup_cli.text import fold

MONTHS = range(1, 13)


@dataclass(frozen=True)
class Option:
    method_id: str
    hours: float
    value: int  # the risk it covers, in tenths of a risk value (an integer, so the solver compares exactly)
    light: bool = False


@dataclass(frozen=True)
class Candidate:
    key: str  # unique: provider id and kind
    provider: ProviderRisk
    kind: str  # "main", "follow_up" or "theme"
    review_type_id: str
    unit: str | None
    options: tuple[Option, ...]
    mandatory: bool
    reasons: tuple[str, ...]  # why it is in the plan (mandatory rules, risk)
    window: tuple[int, int]  # earliest and latest month
    theme: str | None = None
    months: tuple[int, ...] = ()  # a theme's own months, when it has them
    sample: bool = False
    excluded: str | None = None  # Exkludera: the stated reason
    notes: tuple[str, ...] = field(default_factory=tuple)  # context for a provider left out

    @property
    def provider_id(self) -> str:
        return self.provider.provider_id

    @property
    def cheapest(self) -> Option:
        return min(self.options, key=lambda o: (o.hours, o.method_id))


@dataclass(frozen=True)
class PreviousItem:
    """A row of last year's plan workbook."""

    provider_id: str
    review_type_id: str
    month: str | None  # "2025-03"
    year: int


def candidates(analysis: RiskAnalysis, providers: pd.DataFrame, reviews: pd.DataFrame | None, findings: pd.DataFrame | None,
               config: PlanConfig, year: int, previous: list[PreviousItem] = ()) -> tuple[list[Candidate], list[str]]:
    """Every candidate review for the year, and warnings about what the rules could not place."""
    warnings: list[str] = []
    start = dt.date(year, 1, 1)
    contracts = providers.drop_duplicates("provider_id").set_index("provider_id")[["contract_start", "contract_end"]].to_dict("index")
    level_of = {lv.id: i for i, lv in enumerate(analysis.matrix.levels)}
    follow_ups = _follow_up_deadlines(findings, analysis.as_of)
    carried, not_carried = _carried_over(previous, reviews)
    if not_carried:
        warnings.append(f"{len(not_carried)} tema- eller bristuppföljningar från planen {not_carried[0].year} är inte registrerade som "
                        f"genomförda ({', '.join(sorted({i.provider_id for i in not_carried}))}). De förs inte över: teman beslutas "
                        "för varje år, och en brist som fortfarande är öppen ger en ny uppföljning av sig själv.")
    out: list[Candidate] = []
    for p in analysis.providers:
        row = contracts[p.provider_id]
        unit = _unit(p.reviewing_unit, config)
        excluded = _decision(p, "exclude")
        included = _decision(p, "include")
        main_type, reasons, window, notes = "quality_review", [], (1, 12), []
        last = dt.date.fromisoformat(p.last_review) if p.last_review else None
        if last is None:
            reasons.append(f"obligatorisk: aldrig granskad, rotation {config.rotation_years} år")
        elif last.year <= year - config.rotation_years:
            reasons.append(f"obligatorisk: senast granskad {last.isoformat()}, rotation {config.rotation_years} år")
        else:
            notes.append(f"senast granskad {last.isoformat()}: nästa obligatoriska uppföljning senast {last.year + config.rotation_years}")
        begun = _date(row.get("contract_start"))
        if begun is not None and _months_between(begun, start) <= config.new_provider_months and begun.year <= year \
                and (last is None or last < begun):
            earliest = max(1, _month_index(begun, year) + 1)
            if earliest <= 12:
                reasons.append(f"obligatorisk: ny utförare, avtal från {begun.isoformat()}: följs upp under första året")
                window = (earliest, min(12, _month_index(begun, year) + 12))
            else:
                notes.append(f"ny utförare från {begun.isoformat()}: följs upp nästa år")
        ends = _date(row.get("contract_end"))
        if ends is not None and start <= ends < _add_months(start, config.contract_months):
            main_type = "contract_review"
            reasons.append(f"obligatorisk: avtalet upphör {ends.isoformat()}: avtalsuppföljning före ny upphandling")
            window = (window[0], max(window[0], min(window[1], _month_index(ends, year) - 1)))
        if p.provider_id in carried:
            item = carried[p.provider_id]
            reasons.append(f"obligatorisk: överförd från planen {item.year}: {_type_label(item.review_type_id)} "
                           f"planerad {item.month or item.year} är inte registrerad som genomförd")
            if main_type == "quality_review":
                main_type = item.review_type_id
        if included:
            reasons.append(f"inkluderad: {included.reason}" + _decided(included))
        mandatory = bool(reasons)
        reasons.append(f"risk {p.final_value} {p.final_level}" + (" (okänd: för lite underlag)" if p.unknown else ""))
        out.append(Candidate(
            key=f"{p.provider_id}/main", provider=p, kind="main", review_type_id=main_type, unit=unit,
            options=_main_options(p, main_type, level_of, config), mandatory=mandatory, reasons=tuple(reasons),
            window=window, excluded=_excluded_text(excluded), notes=tuple(notes)))
        if p.provider_id in follow_ups:
            due, ids = follow_ups[p.provider_id]
            earliest = 1 if due is None or due < start else _month_index(due, year) + 1
            what = f"{'brist' if len(ids) == 1 else 'brister'} {', '.join(ids[:4])}{' …' if len(ids) > 4 else ''}"
            if earliest > 12:
                warnings.append(f"{p.provider_id}: uppföljningen av {what} kan göras först efter åtgärdsplanens sista dag "
                                f"{due.isoformat()} och planeras nästa år.")
            else:
                method = config.follow_up_method
                out.append(Candidate(
                    key=f"{p.provider_id}/follow_up", provider=p, kind="follow_up", review_type_id="follow_up", unit=unit,
                    options=(Option(method, config.hours[method], 0),), mandatory=True,
                    reasons=(f"obligatorisk: uppföljning av {what} (allvarlig brist eller sanktion)"
                             + (f" efter åtgärdsplanens sista dag {due.isoformat()}" if due and due >= start else ""),),
                    window=(earliest, 12), excluded=_excluded_text(excluded)))
        for theme in config.themes:
            if _covers(theme, p.service_area):
                out.append(Candidate(
                    key=f"{p.provider_id}/theme/{theme.name}", provider=p, kind="theme", review_type_id="targeted", unit=unit,
                    options=(Option(theme.method_id, theme.hours, 0),), mandatory=True,
                    reasons=(f"tema: {theme.name} (särskilt riktad uppföljning av {', '.join(theme.service_areas)})",),
                    window=(min(theme.months), max(theme.months)), theme=theme.name, months=theme.months,
                    excluded=_excluded_text(excluded)))
    return _with_sample(out, config, level_of), warnings


def _main_options(p: ProviderRisk, review_type: str, level_of: dict[str, int], config: PlanConfig) -> tuple[Option, ...]:
    """The level's method, and the light form as an alternative up to light_max_level."""
    level_index = level_of[p.final_level_id]
    method = config.methods[p.final_level_id]
    if review_type == "contract_review" and level_index <= config.light_max_level:
        method = config.contract_review_method
    value = p.final_value * 10
    options = [Option(method, config.hours[method], value)]
    light = config.light_method
    if level_index <= config.light_max_level and method != light:
        options.append(Option(light, config.hours[light], math.floor(value * config.light_coverage), light=True))
    return tuple(options)


def _with_sample(out: list[Candidate], config: PlanConfig, level_of: dict[str, int]) -> list[Candidate]:
    """A seeded random sample of low-risk providers that no rule brings in gets a light review.

    The draw orders providers by a hash of seed and Utförar-ID, so it does not depend on row order or on
    Python's own random generator, and the same seed gives the same sample everywhere."""
    eligible = [c for c in out if c.kind == "main" and not c.mandatory and c.excluded is None
                and level_of[c.provider.final_level_id] <= config.sample_level]
    size = math.ceil(len(eligible) * config.sample_share) if config.sample_share > 0 else 0
    drawn = {c.key for c in sorted(eligible, key=lambda c: draw(config.sample_seed, c.provider_id))[:size]}
    share = percent(config.sample_share)
    result = []
    for c in out:
        if c.key in drawn:
            light = config.light_method
            c = Candidate(c.key, c.provider, c.kind, c.review_type_id, c.unit,
                          (Option(light, config.hours[light], c.options[0].value, light=True),), False,
                          (f"stickprov: slumpvis utvald bland utförare med låg risk ({share}, frö {config.sample_seed})", *c.reasons),
                          c.window, sample=True, notes=c.notes)
        result.append(c)
    return result


def draw(seed: int, provider_id: str) -> str:
    return hashlib.sha256(f"{seed}:{provider_id}".encode()).hexdigest()


def _decision(p: ProviderRisk, action_id: str):
    """The provider's latest Inkludera/Exkludera, if it is this one."""
    decisions = [a for a in p.other_adjustments if a.action_id in ("include", "exclude")]
    return decisions[-1] if decisions and decisions[-1].action_id == action_id else None


def _excluded_text(adjustment) -> str | None:
    return None if adjustment is None else f"exkluderad: {adjustment.reason}" + _decided(adjustment)


def _decided(adjustment) -> str:
    who = ", ".join(x for x in (adjustment.decided_by, adjustment.date) if x)
    return f" (beslutat {who})" if who else ""


def _unit(unit: str | None, config: PlanConfig) -> str | None:
    if list(config.capacity) == [TOTAL_POOL]:
        return TOTAL_POOL
    return unit or config.default_unit


def _covers(theme: Theme, service_area: str | None) -> bool:
    area = fold(service_area or "")
    return any(fold(a) == area for a in theme.service_areas)


def _follow_up_deadlines(findings: pd.DataFrame | None, as_of: dt.date) -> dict[str, tuple[dt.date | None, list[str]]]:
    """Providers with an open serious finding or a sanction: the latest action-plan deadline, and which findings."""
    if findings is None or findings.empty:
        return {}
    day = pd.Timestamp(as_of)
    still_open = findings["resolved"].isna() | (findings["resolved"] > day)
    serious = findings["severity"].eq("serious") | (findings["sanction"].notna() & findings["sanction"].ne("none"))
    data = findings[still_open & serious].sort_values("finding_id")
    grouped = data.groupby("provider_id", sort=True)
    latest = grouped["action_plan_due"].max()
    return {pid: (None if pd.isna(latest[pid]) else latest[pid].date(), [str(f) for f in ids])
            for pid, ids in grouped["finding_id"].agg(list).items()}


CARRIED_TYPES = ("quality_review", "contract_review")


def _carried_over(previous: list[PreviousItem], reviews: pd.DataFrame | None) -> tuple[dict[str, PreviousItem], list[PreviousItem]]:
    """Last year's planned reviews that no Granskningar row of that year matches (same provider and type):
    the yearly reviews to carry over, by provider, and the theme and follow-up reviews that are not carried."""
    done: set[tuple[str, str, int]] = set()
    if reviews is not None and not reviews.empty:
        for pid, kind, when in reviews[["provider_id", "review_type", "date"]].itertuples(index=False):
            if not pd.isna(when):
                done.add((pid, kind, pd.Timestamp(when).year))
    out: dict[str, PreviousItem] = {}
    left: list[PreviousItem] = []
    for item in previous:
        if (item.provider_id, item.review_type_id, item.year) in done:
            continue
        if item.review_type_id not in CARRIED_TYPES:
            left.append(item)
        elif item.provider_id not in out:
            out[item.provider_id] = item
    return out, left


def _type_label(type_id: str) -> str:
    return review_type_labels().get(type_id, type_id)


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _month_index(day: dt.date, year: int) -> int:
    """Month number counted from January of `year` (December of the year before is 0)."""
    return (day.year - year) * 12 + day.month


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    return dt.date(day.year + total // 12, total % 12 + 1, 1)
