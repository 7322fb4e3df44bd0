"""What could be planned for each provider: one visit carrying every reason it has, and the themes.

Every active provider gets one visit candidate. Its reasons (risk level,
rotation, new provider, follow-up of findings, sanction, contract ending,
triggered event, carry-over, Inkludera) are merged: the visit gets the
strongest method any of them calls for, the least method the mandatory ones
allow when hours are short, and the months where their windows meet. Themes
stay separate items. The selection decides among these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from followup_cli.plan.config import TOTAL_POOL, PlanConfig, Theme, method_labels, review_type_labels
from followup_cli.risk.visits import LIGHT_METHODS, latest_visits
from followup_cli.risk.results import ProviderRisk, RiskAnalysis
from followup_cli.swedish import MONTHS_SV, month_span, percent
from followup_cli.text import fold

if TYPE_CHECKING:
    import pandas as pd

MONTHS = range(1, 13)
# What a contract review is called, by Avtalsform: egen regi has an assignment, not a contract.
CONTRACT_LABELS = {"assignment": "Uppföljning av uppdrag", "iop": "Uppföljning av överenskommelse"}
CONTRACT_WORDS = {"assignment": "uppdraget", "iop": "överenskommelsen"}


@dataclass(frozen=True)
class Option:
    method_id: str
    hours: float
    light: bool = False  # a self-report or survey: the review type becomes Egenrapportering


@dataclass(frozen=True)
class Why:
    """One reason for a provider's visit."""

    text: str
    mandatory: bool = False
    method: str | None = None  # the method it calls for
    minimum: str | None = None  # the least it allows when hours are short
    window: tuple[int, int] | None = None  # the months it allows
    month_text: str | None = None  # why those months
    urgent: bool = False
    review_type: str | None = None


@dataclass(frozen=True)
class Candidate:
    key: str  # unique: provider id and kind
    provider: ProviderRisk
    kind: str  # "visit" or "theme"
    review_type_id: str
    unit: str | None
    options: tuple[Option, ...]  # the full method first; then the least a mandatory visit may get, or the light form
    mandatory: bool
    reasons: tuple[str, ...]  # why it is in the plan and why this method
    window: tuple[int, int]  # earliest and latest month
    month_reasons: tuple[str, ...] = ()  # why those months
    urgent: bool = False
    prefer: tuple[int, str] | None = None  # (within so many months, why), where capacity allows
    theme: str | None = None
    months: tuple[int, ...] = ()  # a theme's own months, when it has them
    sample: bool = False
    excluded: str | None = None  # Exkludera: the stated reason
    notes: tuple[str, ...] = field(default_factory=tuple)  # context for a provider left out
    type_label: str | None = None  # the review type's name where Avtalsform renames it
    level_index: int = 0

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


def review_id(year: int, provider_id: str, review_type_id: str, theme: str | None = None) -> str:
    """'2026-SÄBO-006-quality_review': stable while year, provider and type are, and safe as a file name on every
    system (checklists are named by it; the calendar's UID is it). Letters and digits, å/ä/ö too, stay as the user
    wrote them, so a strategist recognises the file; every other character of provider id and theme (space, '/',
    '+', '.') is percent-encoded, so none can collide or break a path; review type ids have no '-', and '+' only
    ever introduces the theme."""
    return f"{year}-{_id_part(provider_id)}-{review_type_id}" + (f"+{_id_part(theme)}" if theme else "")


def _id_part(text: str) -> str:
    from urllib.parse import quote

    return "".join(c if c.isalnum() or c in "-_" else quote(c, safe="") for c in text)


def candidates(analysis: RiskAnalysis, tables: dict, config: PlanConfig, year: int,
               previous: list[PreviousItem] = ()) -> tuple[list[Candidate], list[str]]:
    """Every candidate review for the year, and warnings about what the rules could not place."""
    warnings: list[str] = []
    start = dt.date(year, 1, 1)
    providers, reviews = tables["providers"], tables.get("reviews")
    contracts = providers.drop_duplicates("provider_id").set_index("provider_id")[
        ["contract_start", "contract_end", "contract_form", "last_reviewed"]].to_dict("index")
    level_of = {lv.id: i for i, lv in enumerate(analysis.matrix.levels)}
    visits = latest_visits(reviews, analysis.as_of)
    findings = _finding_reasons(_known(tables.get("findings"), reviews, analysis.as_of), analysis.as_of, start, config,
                                warnings)
    events = _event_reasons(tables.get("events"), visits, start, config)
    carried, not_carried = _carried_over(previous, reviews)
    if not_carried:
        warnings.append(f"{len(not_carried)} tema- eller bristuppföljningar från planen {not_carried[0].year} är inte registrerade som "
                        f"genomförda ({', '.join(sorted({i.provider_id for i in not_carried}))}). De förs inte över: teman beslutas "
                        "för varje år, och en brist som fortfarande är öppen ger en ny uppföljning av sig själv.")
    methods = method_labels()
    out: list[Candidate] = []
    for p in analysis.providers:
        row = contracts[p.provider_id]
        unit = _unit(p.reviewing_unit, config)
        excluded = _excluded_text(_decision(p, "exclude"))
        whys, notes = _provider_reasons(p, row, visits.get(p.provider_id), carried.get(p.provider_id), config, year, start)
        whys += findings.get(p.provider_id, []) + events.get(p.provider_id, [])
        level_index = level_of[p.final_level_id]
        out.append(_visit(p, row, whys, notes, unit, excluded, level_index, config, methods))
        for theme in config.themes:
            if _covers(theme, p.service_area):
                out.append(Candidate(
                    key=f"{p.provider_id}/theme/{theme.name}", provider=p, kind="theme", review_type_id="targeted", unit=unit,
                    options=(Option(theme.method_id, theme.hours),), mandatory=True,
                    reasons=(f"tema: {theme.name} (särskilt riktad uppföljning av {', '.join(theme.service_areas)})",),
                    window=(min(theme.months), max(theme.months)), theme=theme.name, months=theme.months,
                    month_reasons=(f"temats månader: {month_span(theme.months)}",), excluded=excluded, level_index=level_index))
    return _with_sample(out, config, level_of), warnings


def _provider_reasons(p: ProviderRisk, row: dict, last: dt.date | None, carried: PreviousItem | None, config: PlanConfig,
                      year: int, start: dt.date) -> tuple[list[Why], list[str]]:
    """The rules that concern the provider itself: rotation, new, contract ending, carry-over, Inkludera, time since the last visit."""
    whys: list[Why] = []
    notes: list[str] = []
    listed = _date(row.get("last_reviewed"))
    last = max((d for d in (last, listed) if d is not None and d <= start - dt.timedelta(days=1)), default=None)
    vulnerable = fold(p.service_area or "") in {fold(a) for a in config.vulnerable_service_areas}
    methods = method_labels()
    if last is None:
        least = config.vulnerable_method if vulnerable else config.minimum_method
        whys.append(Why(f"obligatorisk: aldrig granskad, rotation {config.rotation_years} år"
                        + (f"; {p.service_area} har särskilt sårbara brukare: minst {methods[least].lower()}" if vulnerable else ""),
                        True, least, least))
    elif last.year <= year - config.rotation_years:
        whys.append(Why(f"obligatorisk: senast granskad {last.isoformat()}, rotation {config.rotation_years} år", True,
                        config.minimum_method, config.minimum_method))
    else:
        notes.append(f"senast granskad {last.isoformat()}: nästa obligatoriska uppföljning senast {last.year + config.rotation_years}")
    if last is not None and config.min_months_between:
        earliest = _month_index(last, year) + config.min_months_between
        if earliest > 1:
            whys.append(Why("", window=(min(earliest, 12), 12),
                            month_text=f"tidigast {_month_name(earliest)}: senast granskad {last.isoformat()}, "
                                       f"minst {config.min_months_between} månader mellan granskningar"))
    begun = _date(row.get("contract_start"))
    if begun is not None and _months_between(begun, start) <= config.new_provider_months and begun.year <= year \
            and (last is None or last < begun):
        earliest = max(1, _month_index(begun, year) + 1)
        latest = _month_index(begun, year) + config.new_provider_within_months
        if earliest > 12:
            notes.append(f"ny utförare från {begun.isoformat()}: följs upp nästa år")
        else:
            text = f"ny utförare, avtal från {begun.isoformat()}"
            if latest < earliest:
                window = (1, config.urgent_within_months)
                when = (f"snarast: de första {config.new_provider_within_months} månaderna efter avtalets början "
                        "har redan gått")
            else:
                window = (earliest, min(12, latest))
                when = f"inom de första {config.new_provider_within_months} månaderna som ny utförare"
            whys.append(Why(f"obligatorisk: {text}: följs upp inom {config.new_provider_within_months} månader", True,
                            config.minimum_method, config.minimum_method, window, when))
    ends = _date(row.get("contract_end"))
    if ends is not None and start <= ends < _add_months(start, config.contract_months):
        form = row.get("contract_form")
        word = CONTRACT_WORDS.get(form, "avtalet")
        latest = max(1, min(12, _month_index(ends, year) - 1))
        whys.append(Why(f"obligatorisk: {word} upphör {ends.isoformat()}: följs upp innan det upphör",
                        True, config.contract_review_method, config.contract_review_method, (1, latest),
                        f"före {ends.isoformat()}, då {word} upphör", review_type="contract_review"))
    if carried is not None:
        whys.append(Why(f"obligatorisk: överförd från planen {carried.year}: {_type_label(carried.review_type_id)} "
                        f"planerad {carried.month or carried.year} är inte registrerad som genomförd", True,
                        config.minimum_method, config.minimum_method, review_type=carried.review_type_id))
    included = _decision(p, "include")
    if included:
        whys.append(Why(f"inkluderad: {included.reason}" + _decided(included), True, config.minimum_method, config.minimum_method))
    return whys, notes


def _visit(p: ProviderRisk, row: dict, whys: list[Why], notes: list[str], unit: str | None, excluded: str | None,
           level_index: int, config: PlanConfig, methods: dict[str, str]) -> Candidate:
    """One visit for the provider with every reason merged: the strongest method, the months where the windows meet."""
    mandatory = any(w.mandatory for w in whys)
    contract = any(w.review_type == "contract_review" for w in whys)
    level_method = config.methods[p.final_level_id]
    if contract and level_index <= config.light_max_level:
        level_method = config.contract_review_method
    method = config.strongest(level_method, *(w.method for w in whys if w.method))
    reasons = [w.text for w in whys if w.text]
    reasons.append(f"risk {p.final_value} {p.final_level}" + (" (okänd: för lite underlag)" if p.unknown else ""))
    called = [w.text.removeprefix("obligatorisk: ").split(";")[0] for w in whys if w.method == method and w.text]
    if method == level_method:
        called.append(f"risknivåns metod ({p.final_level})")
    reasons.append(f"{methods[method].lower()}: krävs av {called[0]}" + (f" (och {len(called) - 1} skäl till)" if len(called) > 1 else ""))
    options = [Option(method, config.hours[method], method in LIGHT_METHODS)]
    if mandatory:
        least = config.strongest(*(w.minimum for w in whys if w.mandatory and w.minimum))
        if least != method and config.hours[least] < config.hours[method]:
            options.append(Option(least, config.hours[least], least in LIGHT_METHODS))
    elif level_index <= config.light_max_level and config.light_method != method:
        options.append(Option(config.light_method, config.hours[config.light_method], True))
    urgent = any(w.urgent for w in whys)
    window, month_reasons = _meet([w for w in whys if w.window and (w.mandatory or w.urgent or not urgent)])
    within = config.level_months.get(p.final_level_id)
    prefer = None
    if within and not urgent:
        prefer = (within, f"risk {p.final_level}: inom {'första kvartalet' if within == 3 else 'första halvåret' if within == 6 else f'{within} månader'}"
                          " när månadernas timmar räcker")
    kinds = [w.review_type for w in whys if w.review_type]
    review_type = next((k for k in ("contract_review", "follow_up", "triggered") if k in kinds), kinds[0] if kinds else "quality_review")
    label = CONTRACT_LABELS.get(row.get("contract_form")) if review_type == "contract_review" else None
    return Candidate(key=f"{p.provider_id}/visit", provider=p, kind="visit", review_type_id=review_type, unit=unit,
                     options=tuple(options), mandatory=mandatory, reasons=tuple(reasons), window=window,
                     month_reasons=tuple(month_reasons), urgent=urgent, prefer=prefer, excluded=excluded, notes=tuple(notes),
                     type_label=label, level_index=level_index)


def _meet(whys: list[Why]) -> tuple[tuple[int, int], list[str]]:
    """The months where every reason's window meets; where they do not, the earliest deadline wins and says so."""
    if not whys:
        return (1, 12), []
    earliest = max(w.window[0] for w in whys)
    latest = min(w.window[1] for w in whys)
    texts = [w.month_text for w in whys if w.month_text]
    if earliest <= latest:
        return (earliest, latest), texts
    first = min(whys, key=lambda w: (w.window[1], w.window[0]))
    others = [w.month_text for w in whys if w is not first and w.month_text]
    return first.window, [f"{first.month_text} (den tidigaste tidsgränsen gäller; går inte ihop med: {'; '.join(others)})"]


def _finding_reasons(findings: pd.DataFrame | None, as_of: dt.date, start: dt.date, config: PlanConfig,
                     warnings: list[str]) -> dict[str, list[Why]]:
    """Open serious findings and sanctions, and action plans overdue at the plan's start: a visit, urgent.

    An overdue action plan counts from the plan's start; a serious finding from the later of the plan's start and its
    action plan's deadline (Nacka 002 §5.2: it is followed up when the plan has been carried out)."""
    import pandas as pd

    if findings is None or findings.empty:
        return {}
    day = pd.Timestamp(as_of)
    still_open = findings["resolved"].isna() | (findings["resolved"] > day)
    serious = findings["severity"].eq("serious") | (findings["sanction"].notna() & findings["sanction"].ne("none"))
    overdue = findings["action_plan_due"].notna() & (findings["action_plan_due"] < pd.Timestamp(start)) \
        & (findings["action_plan_received"].isna() | (findings["action_plan_received"] > day))
    data = findings[still_open & (serious | overdue)].assign(_overdue=overdue).sort_values("finding_id")
    year, urgent = start.year, config.urgent_within_months
    method = config.serious_method
    groups: dict[str, list[tuple]] = {}
    for row in data[["provider_id", "finding_id", "action_plan_due", "sanction", "_overdue"]].itertuples(index=False):
        groups.setdefault(row[0], []).append(row)  # plain tuples: a pandas group per provider was 0.8 s for a city
    out: dict[str, list[Why]] = {}
    for pid in sorted(groups):
        group = groups[pid]
        ids = [str(r[1]) for r in group]
        what = f"{'brist' if len(ids) == 1 else 'brister'} {', '.join(ids[:4])}{' …' if len(ids) > 4 else ''}"
        late = [r for r in group if r[4]]
        if late:
            due = min(r[2] for r in late).date()
            out.setdefault(pid, []).append(Why(
                f"obligatorisk: åtgärdsplanen för {'brist' if len(late) == 1 else 'brister'} {', '.join(str(r[1]) for r in late)} "
                f"skulle ha kommit in {due.isoformat()} och har inte kommit", True, method, method, (1, urgent),
                f"inom {urgent} månader från planårets början: åtgärdsplanen är försenad", urgent=True, review_type="follow_up"))
            continue
        dues = [r[2] for r in group if not pd.isna(r[2])]
        due = max(dues).date() if dues else None
        if due is None or due < start:
            window, when = (1, urgent), f"inom {urgent} månader från planårets början: allvarlig brist är öppen"
        else:
            first = _month_index(due, year) + 1
            if first > 12:
                warnings.append(f"{pid}: uppföljningen av {what} kan göras först efter åtgärdsplanens sista dag "
                                f"{due.isoformat()} och planeras nästa år.")
                continue
            window, when = (first, min(12, first + urgent - 1)), f"inom {urgent} månader efter åtgärdsplanens sista dag {due.isoformat()}"
        sanctioned = any(isinstance(r[3], str) and r[3] != "none" for r in group)
        out.setdefault(pid, []).append(Why(
            f"obligatorisk: uppföljning av {what} ({'sanktion' if sanctioned else 'allvarlig brist'}, inte åtgärdad)",
            True, method, method, window, when, urgent=True, review_type="follow_up"))
    return out


def _known(findings: pd.DataFrame | None, reviews: pd.DataFrame | None, as_of: dt.date) -> pd.DataFrame | None:
    """The findings known on as-of: not those of a review dated after it (a plan made on 31 December 2024 cannot
    follow up a finding of 2025)."""
    if findings is None or reviews is None or findings.empty or "review_id" not in findings:
        return findings
    import pandas as pd

    later = set(reviews.loc[reviews["date"] > pd.Timestamp(as_of), "review_id"])
    return findings[~findings["review_id"].isin(later)]


def _event_reasons(events: pd.DataFrame | None, visits: dict[str, dt.date], start: dt.date,
                   config: PlanConfig) -> dict[str, list[Why]]:
    """A serious event in the months before the plan that no review has followed yet: a triggered visit, urgent."""
    import pandas as pd

    if events is None or events.empty or not config.serious_event_months:
        return {}
    since = pd.Timestamp(_add_months(start, -config.serious_event_months))
    severity = pd.to_numeric(events["severity"], errors="coerce")
    data = events[events["kind"].isin(config.serious_event_kinds) & (severity >= config.serious_event_severity)
                  & (events["date"] >= since) & (events["date"] < pd.Timestamp(start))]
    from followup_cli.schemas import register_schemas

    labels = register_schemas()["events"].field("kind").labels()
    urgent, method = config.urgent_within_months, config.serious_method
    out: dict[str, list[Why]] = {}
    for pid, group in data.sort_values("date").groupby("provider_id", sort=True):
        latest = group["date"].max().date()
        seen = visits.get(pid)
        if seen is not None and seen >= latest:
            continue
        last = group.iloc[-1]
        out[pid] = [Why(f"obligatorisk: påkallad av {labels.get(last['kind'], last['kind'])} {latest.isoformat()} "
                        f"(allvarlighet {int(last['severity'])}), inte granskad sedan", True, method, method, (1, urgent),
                        f"inom {urgent} månader från planårets början: allvarlig händelse", urgent=True, review_type="triggered")]
    return out


def _with_sample(out: list[Candidate], config: PlanConfig, level_of: dict[str, int]) -> list[Candidate]:
    """A seeded random sample of low-risk providers that no rule brings in gets a light review.

    The draw orders providers by a hash of seed and Utförar-ID, so it does not depend on row order or on
    Python's own random generator, and the same seed gives the same sample everywhere."""
    eligible = [c for c in out if c.kind == "visit" and not c.mandatory and c.excluded is None
                and level_of[c.provider.final_level_id] <= config.sample_level]
    size = math.ceil(len(eligible) * config.sample_share) if config.sample_share > 0 else 0
    drawn = {c.key for c in sorted(eligible, key=lambda c: draw(config.sample_seed, c.provider_id))[:size]}
    share = percent(config.sample_share)
    result = []
    for c in out:
        if c.key in drawn:
            light = config.light_method
            c = replace(c, options=(Option(light, config.hours[light], light in LIGHT_METHODS),), sample=True,
                        reasons=(f"stickprov: slumpvis utvald bland utförare med låg risk ({share}, frö {config.sample_seed})",
                                 *c.reasons[:-1], f"{method_labels()[light].lower()}: stickprovets metod"))
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


CARRIED_TYPES = ("quality_review", "contract_review")


def _carried_over(previous: list[PreviousItem], reviews: pd.DataFrame | None) -> tuple[dict[str, PreviousItem], list[PreviousItem]]:
    """Last year's planned reviews that no Granskningar row of that year matches (same provider and type):
    the yearly reviews to carry over, by provider, and the theme and follow-up reviews that are not carried."""
    import pandas as pd

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
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _month_index(day: dt.date, year: int) -> int:
    """Month number counted from January of `year` (December of the year before is 0)."""
    return (day.year - year) * 12 + day.month


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    return dt.date(day.year + total // 12, total % 12 + 1, 1)


def _month_name(month: int) -> str:
    return MONTHS_SV[month - 1] if 1 <= month <= 12 else f"månad {month}"


