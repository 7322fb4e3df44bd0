"""The annual follow-up plan: candidates → selection → calendar, as plain dataclasses every output reads."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from followup_cli.plan.calendar import monthly_capacity, schedule
from followup_cli.plan.config import PlanConfig, method_labels, review_type_labels
from followup_cli.plan.rules import Candidate, PreviousItem, candidates, review_id
from followup_cli.risk.visits import LIGHT_TYPE
from followup_cli.plan.select import NO_UNIT, select
from followup_cli.risk.results import RiskAnalysis
from followup_cli.swedish import hours as fmt_hours
from followup_cli.text import fold


@dataclass(frozen=True)
class PlanItem:
    review_id: str  # stable: year, provider, type (and theme); checklists are named by it
    provider_id: str
    name: str
    ownership: str | None
    service_area: str | None
    board: str | None
    unit: str
    review_type: str
    review_type_id: str
    method: str
    method_id: str
    month: int
    hours: float
    mandatory: bool
    sample: bool
    theme: str | None
    reasons: tuple[str, ...]  # why this review, why this method, and last why this month (the calendar's)
    areas: tuple[str, ...]
    risk_value: int
    level: str
    level_id: str
    rank: int

    @property
    def reasons_but_the_month(self) -> tuple[str, ...]:
        """The reasons without the calendar's, which names the month (for the board, who see the quarter)."""
        return self.reasons[:-1]


@dataclass(frozen=True)
class NotSelected:
    provider_id: str
    name: str
    ownership: str | None
    service_area: str | None
    board: str | None
    unit: str | None
    review_type: str
    review_type_id: str
    method: str
    method_id: str
    hours: float  # what it would have cost
    mandatory: bool
    excluded: bool
    reasons: tuple[str, ...]
    risk_value: int | None
    level: str | None
    level_id: str | None


@dataclass(frozen=True)
class UnitCapacity:
    unit: str
    configured: float
    reserve: float
    available: float
    used: float
    per_month: float
    months: tuple[float, ...]  # hours planned in January … December


@dataclass(frozen=True)
class Shortfall:
    unit: str
    hours_short: float  # what the unit lacks for both of the below
    provider_ids: tuple[str, ...]  # mandatory providers that did not fit
    unreached: tuple[str, ...] = ()  # Hög/Mycket hög providers the hours did not give their level's method


@dataclass
class Plan:
    year: int
    as_of: dt.date
    organisation: str
    config: PlanConfig
    analysis: RiskAnalysis
    items: list[PlanItem]
    not_selected: list[NotSelected]
    capacity: list[UnitCapacity]
    shortfall: list[Shortfall]
    warnings: list[str] = field(default_factory=list)
    board: str | None = None  # --board: the plan shows this board's providers only

    def month_key(self, month: int) -> str:
        return f"{self.year}-{month:02d}"

    def ownership_shares(self) -> list[dict]:
        """Followed-up share per Regiform, beside its share of the active providers: alike, with no quota. A theme
        is not a follow-up of the provider (as in the equal-treatment table, plan/equal_treatment.py)."""
        active = Counter(p.ownership or "Okänd" for p in self.analysis.providers if self._shown(p.board))
        planned = Counter(i.ownership or "Okänd" for i in {i.provider_id: i for i in self.items if i.theme is None}.values())
        total_active, total_planned = sum(active.values()), sum(planned.values())
        return [{"ownership": o, "providers": active[o], "planned": planned[o],
                 "planned_share": round(planned[o] / active[o], 3) if active[o] else 0.0,
                 "share_of_plan": round(planned[o] / total_planned, 3) if total_planned else 0.0,
                 "share_of_providers": round(active[o] / total_active, 3) if total_active else 0.0}
                for o in sorted(active)]

    def review_areas(self, top: int = 5) -> list[dict]:
        """The review areas that drive risk among the planned providers: the plan's special review areas."""
        counts: Counter = Counter()
        for item in {i.provider_id: i for i in self.items}.values():
            counts.update(item.areas)
        return [{"area": a, "providers": n} for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]

    def _shown(self, board: str | None) -> bool:
        return self.board is None or fold(board or "") == fold(self.board)

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "organisation": self.organisation,
            "board": self.board,
            "audience": "internal",
            "items": [_item_dict(i, self) for i in self.items],
            "not_selected": [dict(n.__dict__, reasons=list(n.reasons)) for n in self.not_selected],
            "capacity": [{"unit": c.unit, "configured": c.configured, "reserve": c.reserve, "available": c.available,
                          "used": c.used, "per_month": c.per_month,
                          "months": {self.month_key(m): h for m, h in enumerate(c.months, start=1)}} for c in self.capacity],
            "shortfall": [{"unit": s.unit, "hours_short": s.hours_short, "provider_ids": list(s.provider_ids),
                           "unreached": list(s.unreached)} for s in self.shortfall],
            "ownership": self.ownership_shares(),
            "review_areas": self.review_areas(),
            "settings": {"rotation_years": self.config.rotation_years, "reserve_share": self.config.reserve_share,
                         "sample_share": self.config.sample_share, "sample_seed": self.config.sample_seed,
                         "blocked_months": list(self.config.blocked_months), "hours": dict(self.config.hours)},
            "warnings": list(self.warnings),
        }


def _item_dict(item: PlanItem, plan: Plan) -> dict:
    data = dict(item.__dict__)
    data["month"] = plan.month_key(item.month)
    data["reasons"] = list(item.reasons)
    data["areas"] = list(item.areas)
    return data


def make_plan(analysis: RiskAnalysis, tables: dict, config: PlanConfig, year: int, organisation: str,
              previous: list[PreviousItem] = (), board: str | None = None) -> Plan:
    """The plan for `year`. Selection is made for every board together (the units' hours are shared);
    `board` only narrows what the plan shows."""
    found, warnings = candidates(analysis, tables, config, year, list(previous))
    warnings += _unit_warnings(found, config)
    chosen = select(found, config)
    warnings += chosen.warnings
    planned = [(c, chosen.chosen[c.key]) for c in found if c.key in chosen.chosen]
    months = schedule(planned, config)
    methods, types = method_labels(), review_type_labels()
    items = [_item(c, o, *months[c.key], year, config, methods, types) for c, o in planned]
    items.sort(key=lambda i: (i.month, i.unit, i.service_area or "", i.provider_id, i.review_type_id))
    in_plan = {i.provider_id for i in items}
    dropped = {key for keys in chosen.dropped.values() for key in keys}
    unreached = {key for keys in chosen.unreached.values() for key in keys}
    left_out = [c for c in found if c.kind == "visit" and c.provider_id not in in_plan]
    left_out.sort(key=lambda c: (0 if c.key in dropped else 1 if c.key in unreached else 2 if c.excluded is None else 3,
                                 c.provider.rank, c.key))
    not_selected = [_not_selected(c, chosen, dropped, unreached, set(config.capacity), methods, types) for c in left_out]
    not_selected += [NotSelected(p.provider_id, p.name, None, p.service_area, None, None, types["quality_review"], "quality_review",
                                 "", "", 0.0, False, False, ("inaktiv (Aktiv = Nej): följs inte upp",), None, None, None)
                     for p in analysis.inactive]
    by_key = {c.key: c for c in found}
    shortfall = [Shortfall(unit, chosen.hours_short[unit],
                           tuple(dict.fromkeys(by_key[k].provider_id for k in chosen.dropped.get(unit, ()))),
                           tuple(by_key[k].provider_id for k in chosen.unreached.get(unit, ())))
                 for unit in sorted(chosen.hours_short)]
    plan = Plan(year, analysis.as_of, organisation, config, analysis, items, not_selected, [], shortfall, warnings, None)
    plan.capacity = _capacity(plan, config)
    if board:
        plan = _for_board(plan, board)
    return plan


def _item(c: Candidate, option, month: int, month_reason: str, year: int, config: PlanConfig, methods: dict,
          types: dict) -> PlanItem:
    """The planned review; a self-report or survey is its own type (Egenrapportering), never a Kvalitetsgranskning."""
    p = c.provider
    type_id = LIGHT_TYPE if option.light and c.kind == "visit" else c.review_type_id
    label = c.type_label if type_id == c.review_type_id and c.type_label else types[type_id]
    reasons = list(c.reasons)
    full = c.options[0]
    if option != full:
        why = f"timmarna räckte inte till {methods[full.method_id].lower()} ({fmt_hours(full.hours)} h)"
        reasons[-1] = f"{methods[option.method_id].lower()}: " + (
            f"den minsta metod reglerna tillåter; {why}" if c.mandatory else f"den lätta formen; {why}")
    reasons.append(month_reason)
    return PlanItem(review_id(year, p.provider_id, type_id, c.theme), p.provider_id, p.name, p.ownership, p.service_area,
                    p.board, c.unit, label, type_id, methods[option.method_id], option.method_id, month, option.hours,
                    c.mandatory, c.sample, c.theme, tuple(reasons), tuple(a.area for a in p.areas), p.final_value,
                    p.final_level, p.final_level_id, p.rank)


def _not_selected(c: Candidate, chosen, dropped: set[str], unreached: set[str], units: set[str], methods: dict,
                  types: dict) -> NotSelected:
    """A provider without any item, with its true reason: excluded, or the hours its unit had left against what it needs."""
    p = c.provider
    option = c.cheapest if c.mandatory else c.options[0]
    reasons = list(c.reasons[:-1])  # the method line is for planned visits
    unit = c.unit or NO_UNIT
    left = chosen.left_at.get(c.key)
    hours_text = (f"{unit} hade {fmt_hours(max(0.0, left or 0.0))} h kvar när de obligatoriska och utförare med högre risk "
                  f"hade planerats; {methods[option.method_id].lower()} kräver {fmt_hours(option.hours)} h" if left is not None else "")
    if c.excluded:
        reasons.insert(0, c.excluded + (" – obligatorisk men exkluderad" if c.mandatory else ""))
    elif c.unit not in units:
        reasons.append(f"{c.unit or 'ingen uppföljande enhet'}: inga timmar under plan.capacity")
    elif c.key in dropped:
        reasons.insert(0, f"obligatorisk men fick inte plats: {hours_text} (se brist)")
    elif c.key in unreached:
        reasons.insert(0, f"risk {p.final_level} men fick inte plats: {hours_text} (se brist)")
    elif c.sample:
        reasons.insert(0, f"stickprov men fick inte plats: {hours_text}")
    else:
        reasons += list(c.notes)
        reasons.append(f"ingen regel kräver uppföljning i år; {hours_text}")
    return NotSelected(p.provider_id, p.name, p.ownership, p.service_area, p.board, c.unit, types[c.review_type_id],
                       c.review_type_id, methods[option.method_id], option.method_id, option.hours, c.mandatory,
                       c.excluded is not None, tuple(reasons), p.final_value, p.final_level, p.final_level_id)


def _capacity(plan: Plan, config: PlanConfig) -> list[UnitCapacity]:
    units = dict.fromkeys([*config.capacity, *(i.unit for i in plan.items)])
    out = []
    for unit in units:
        months = [0.0] * 12
        for i in plan.items:
            if i.unit == unit:
                months[i.month - 1] += i.hours
        configured = config.capacity.get(unit, 0.0)
        out.append(UnitCapacity(unit, configured, round(configured * config.reserve_share, 1), round(config.available(unit), 1),
                                round(sum(months), 1), round(monthly_capacity(config, unit), 1), tuple(round(h, 1) for h in months)))
    return out


def _unit_warnings(found: list[Candidate], config: PlanConfig) -> list[str]:
    missing = Counter(c.unit for c in found if c.kind == "visit" and c.unit is not None and c.unit not in config.capacity)
    no_unit = sum(1 for c in found if c.kind == "visit" and c.unit is None)
    out = [f"Uppföljande enhet '{unit}' ({n} utförare) har inga timmar under plan.capacity i followup.yaml; "
           "dess utförare kan inte planeras. Lägg till enheten där, eller använd --capacity-hours."
           for unit, n in sorted(missing.items())]
    if no_unit:
        out.append(f"{no_unit} utförare saknar Uppföljande enhet och kan inte planeras. Fyll i kolumnen på bladet Utförare, "
                   "eller ange plan.default_unit i followup.yaml.")
    return out


def _for_board(plan: Plan, board: str) -> Plan:
    plan.board = board
    plan.items = [i for i in plan.items if plan._shown(i.board)]
    plan.not_selected = [n for n in plan.not_selected if plan._shown(n.board)]
    keep = {p.provider_id for p in plan.analysis.providers if plan._shown(p.board)}
    plan.shortfall = [s for s in plan.shortfall if any(pid in keep for pid in (*s.provider_ids, *s.unreached))]
    return plan


def resolve_board(name: str, providers) -> str:
    """The register's spelling of a board named on the command line (case, spaces and accents ignored)."""
    from followup_cli.errors import UsageError
    from followup_cli.text import suggest

    boards = sorted({b for b in providers["board"].dropna().unique()})
    for b in boards:
        if fold(b) == fold(name):
            return b
    near = suggest(name, {fold(b): b for b in boards})
    raise UsageError(f"Nämnden '{name}' finns inte i registret" + (f" – menade du '{near}'?" if near else
                     f"; nämnderna är {', '.join(boards) or '(kolumnen Nämnd är tom)'}."))
