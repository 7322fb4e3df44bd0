"""Choose the reviews: mandatory ones first, then the rest in risk order, within each unit's hours.

A rule a reader can check by hand, per reviewing unit:
1. Every mandatory item gets the least method its rules allow. If even that does not fit, mandatory items
   are dropped lowest risk first (and taken back, highest risk first, where one still fits): the shortfall.
2. Then, risk level by risk level from the highest, in rank order (risk, then Utförar-ID; the seeded sample
   first within its level): a mandatory visit is upgraded to its full method, an optional one gets its level's
   method, if the hours still reach.
3. Last, level by level, optional providers the level's method did not reach get the light form where allowed.
So no provider is left without its level's method while a provider of a lower level gets an optional review,
unless it did not fit even before any lower optional review was planned. A provider of a level above
plan.light_max_level left without its level's method is `unreached`: it is reported like a mandatory shortfall.
The same input always gives the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.plan.config import PlanConfig
from followup_cli.plan.rules import Candidate, Option, draw

NO_UNIT = "(ingen uppföljande enhet)"
EPSILON = 1e-9


@dataclass
class Selection:
    chosen: dict[str, Option] = field(default_factory=dict)  # candidate key → the option planned
    dropped: dict[str, list[str]] = field(default_factory=dict)  # unit → mandatory candidate keys that did not fit
    unreached: dict[str, list[str]] = field(default_factory=dict)  # unit → high-risk visits without their level's method
    hours_short: dict[str, float] = field(default_factory=dict)  # unit → hours it lacks for both
    left_at: dict[str, float] = field(default_factory=dict)  # candidate key → the unit's hours left when its turn came
    warnings: list[str] = field(default_factory=list)


def select(candidates: list[Candidate], config: PlanConfig) -> Selection:
    result = Selection()
    by_unit: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.excluded is None:
            by_unit.setdefault(c.unit or NO_UNIT, []).append(c)
    for unit in sorted(by_unit):
        available = config.available(unit) if unit != NO_UNIT else 0.0
        _select_unit(unit, by_unit[unit], available, config, result)
    return result


def _select_unit(unit: str, items: list[Candidate], available: float, config: PlanConfig, result: Selection) -> None:
    order = sorted(items, key=lambda c: (c.provider.rank, c.kind == "theme", c.key))
    mandatory = [c for c in order if c.mandatory]
    least = {c.key: c.cheapest for c in order}
    kept, dropped = list(mandatory), []
    need = sum(least[c.key].hours for c in kept)
    while kept and need > available + EPSILON:
        dropped.append(kept.pop())  # the lowest risk goes first
        need -= least[dropped[-1].key].hours
    dropped.reverse()
    left = available - need
    back = []
    for c in dropped:  # a smaller item may still fit where a larger one did not
        if least[c.key].hours <= left + EPSILON:
            back.append(c)
            left -= least[c.key].hours
    kept += back
    taken_back = {c.key for c in back}
    dropped = [c for c in dropped if c.key not in taken_back]
    for c in dropped:
        result.left_at[c.key] = left
    lacking = 0.0
    if dropped:
        result.dropped[unit] = [c.key for c in dropped]
        lacking = sum(least[c.key].hours for c in mandatory) - available
    for c in kept:
        result.chosen[c.key] = least[c.key]

    def take(c: Candidate, option: Option) -> None:
        """Plan or upgrade c if the hours reach; never while a mandatory item is short of them."""
        nonlocal left
        now = result.chosen.get(c.key)
        extra = option.hours - (now.hours if now else 0.0)
        result.left_at.setdefault(c.key, left)
        if extra <= left + EPSILON and not dropped:
            result.chosen[c.key] = option
            left -= extra

    levels = sorted({c.level_index for c in order if c.kind == "visit"}, reverse=True)
    skip = {d.key for d in dropped}
    by_level = {level: [c for c in order if c.kind == "visit" and c.level_index == level and c.key not in skip] for level in levels}
    unreached: list[Candidate] = []
    left_for_high = None
    for level in levels:  # every level's own method, highest level first
        visits = by_level[level]
        for c in sorted((c for c in visits if c.sample), key=lambda c: draw(config.sample_seed, c.provider_id)):
            take(c, c.options[0])  # the seeded sample first within its level
        for c in visits:
            if not c.sample and (not c.mandatory or c.options[0] != result.chosen.get(c.key)):
                take(c, c.options[0])
        if level > config.light_max_level:
            unreached += [c for c in visits if result.chosen.get(c.key) != c.options[0]]
            left_for_high = left
    for level in levels:  # then the light form where the level's method did not fit
        for c in by_level[level]:
            if not c.mandatory and c.key not in result.chosen and len(c.options) > 1:
                take(c, c.options[-1])
    if unreached:
        result.unreached[unit] = [c.key for c in unreached]
        need = sum(c.options[0].hours - (result.chosen[c.key].hours if c.key in result.chosen else 0.0) for c in unreached)
        lacking += max(0.0, need - (left_for_high or 0.0))
    if dropped or unreached:
        result.hours_short[unit] = round(lacking, 1)
