"""Spread the chosen reviews over the months, by a rule anyone can follow by hand.

Reviews with the narrowest window go first (earliest deadline first); each
goes to the open month of its window where its unit has most hours left,
the earlier month on a tie, and preferably not a month where the same
provider already has a review.
"""

from __future__ import annotations

import datetime as dt
import functools

from followup_cli.plan.config import PlanConfig
from followup_cli.plan.rules import Candidate, Option


def schedule(chosen: list[tuple[Candidate, Option]], config: PlanConfig) -> dict[str, int]:
    """Candidate key → month (1–12)."""
    months = config.open_months
    left: dict[tuple[str | None, int], float] = {}
    per_month = {c.unit: monthly_capacity(config, c.unit or "") for c, _ in chosen}
    busy: set[tuple[str, int]] = set()
    out: dict[str, int] = {}
    for c, option in sorted(chosen, key=lambda co: (co[0].window[1], co[0].window[0], -co[1].hours, co[0].provider.rank, co[0].key)):
        allowed = window_months(c.window, tuple(m for m in months if not c.months or m in c.months))
        month = min(allowed, key=lambda m: ((c.provider_id, m) in busy,
                                             -left.get((c.unit, m), per_month[c.unit]), m))
        left[(c.unit, month)] = left.get((c.unit, month), per_month[c.unit]) - option.hours
        busy.add((c.provider_id, month))
        out[c.key] = month
    return out


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
