"""Spread the chosen reviews over the months, most urgent first, by a rule anyone can follow by hand.

Urgent items go first (by their deadline), then the rest by the end of their window and by risk. Each goes to
an open month of its window: within its risk level's preferred months (Mycket hög the first quarter, Hög the
first half) where its unit's monthly hours still reach, else any month of the window where they reach, else
the month with most hours left; among those the month with most hours left (the earlier on a tie), and
preferably not a month where the same provider already has a review. Each item gets its month's reason.
"""

from __future__ import annotations

import datetime as dt
import functools

from followup_cli.plan.config import PlanConfig
from followup_cli.plan.rules import Candidate, Option
from followup_cli.swedish import MONTHS_SV, month_span


def schedule(chosen: list[tuple[Candidate, Option]], config: PlanConfig) -> dict[str, tuple[int, str]]:
    """Candidate key → (month 1–12, why that month)."""
    months = config.open_months
    left: dict[tuple[str | None, int], float] = {}
    per_month = {c.unit: monthly_capacity(config, c.unit or "") for c, _ in chosen}
    busy: set[tuple[str, int]] = set()
    out: dict[str, tuple[int, str]] = {}

    def room(c: Candidate, m: int) -> float:
        return left.get((c.unit, m), per_month[c.unit])

    def order(co):
        c, option = co
        latest = min(c.window[1], c.prefer[0]) if c.prefer else c.window[1]
        return (not c.urgent, c.window[1] if c.urgent else latest, -c.level_index, c.window[0], -option.hours,
                c.provider.rank, c.key)

    for c, option in sorted(chosen, key=order):
        allowed = window_months(c.window, tuple(m for m in months if not c.months or m in c.months))
        fits = [m for m in allowed if room(c, m) >= option.hours - 1e-9]
        preferred = [m for m in fits if c.prefer and m <= c.prefer[0]]
        pool = preferred or fits or allowed
        month = min(pool, key=lambda m: ((c.provider_id, m) in busy, -room(c, m), m))
        left[(c.unit, month)] = room(c, month) - option.hours
        busy.add((c.provider_id, month))
        out[c.key] = (month, _why(c, month, allowed, bool(preferred), bool(fits)))
    return out


def _why(c: Candidate, month: int, allowed: list[int], preferred: bool, fits: bool) -> str:
    """The month's reason: the windows that bound it, the level's preference, or the hours that moved it."""
    parts = list(c.month_reasons)
    if c.months:
        parts = parts or [f"temats månader: {month_span(c.months)}"]
    elif c.prefer and preferred:
        parts.append(c.prefer[1])
    elif c.prefer:
        parts.append(c.prefer[1].replace(" när månadernas timmar räcker", "") + ": månadernas timmar räckte inte")
    if not fits:
        parts.append("ingen möjlig månad har enhetens månadstimmar kvar för den; månaden med flest timmar kvar")
    if not parts:
        parts.append("ingen tidsgräns: den månad som har flest timmar kvar")
    return f"{MONTHS_SV[month - 1]}: " + "; ".join(parts)


def window_months(window: tuple[int, int], open_months: tuple[int, ...]) -> list[int]:
    """The open months of a window; if it has none, the nearest open month after it, else before it."""
    earliest, latest = window
    inside = [m for m in open_months if earliest <= m <= latest]
    if inside:
        return inside
    after = [m for m in open_months if m > latest]
    return [after[0]] if after else [max(m for m in open_months if m < earliest)]


def monthly_capacity(config: PlanConfig, unit: str) -> float:
    return config.available(unit) / len(config.open_months)


def event_date(year: int, month: int, event_day: str | int) -> dt.date:
    """The day a review shows in calendars: the month's first working day, or a given day moved to the next
    working day. Weekends and Swedish public holidays (nyårsdagen, trettondedag jul, långfredagen …) are skipped:
    nobody plans a visit on 1 January. The holidays come from the `holidays` library."""
    off = _public_holidays(year)
    day = dt.date(year, month, 1 if event_day == "first_weekday" else int(event_day))
    while day.weekday() >= 5 or day in off:
        day += dt.timedelta(days=1)
    return day


@functools.lru_cache(maxsize=4)
def _public_holidays(year: int) -> frozenset[dt.date]:
    """Swedish public holidays of the year and the next (a December day may move into January); built once per
    year, not per review: building them is about 0.2 ms, 0.6 s for a large city's 3,000 reviews."""
    import holidays

    return frozenset(holidays.country_holidays("SE", years=[year, year + 1]))
