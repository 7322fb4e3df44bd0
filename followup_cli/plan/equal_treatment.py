"""Equal treatment per Regiform: who is followed up, by which methods, with how many hours.

The board must be able to see whether one regiform gets lighter forms than
another (egen regi and private providers are to be followed up alike). A
theme is a targeted check of one subject, not a follow-up of the provider,
so a provider with only a theme counts as not followed up, and theme
reviews are counted apart from the methods. One pure function, so the
document and the workbook show the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from followup_cli.plan.build import Plan
from followup_cli.plan.config import method_labels

UNKNOWN = "Okänd"


@dataclass(frozen=True)
class EqualTreatment:
    ownership: str
    providers: int  # active providers of this regiform (of the board shown)
    followed_up: int  # of them, those with a review that is not a theme
    by_method: dict[str, int]  # method label → reviews (themes not included), every method of the plan
    themes: int  # theme reviews
    hours: float  # hours of the reviews in by_method

    @property
    def followed_up_share(self) -> float:
        return round(self.followed_up / self.providers, 3) if self.providers else 0.0

    @property
    def hours_per_followed_up(self) -> float:
        return round(self.hours / self.followed_up, 1) if self.followed_up else 0.0


def equal_treatment(plan: Plan) -> list[EqualTreatment]:
    """One row per Regiform among the active providers shown, in alphabetical order."""
    active = Counter(p.ownership or UNKNOWN for p in plan.analysis.providers if plan._shown(p.board))
    reviews = [i for i in plan.items if i.theme is None]
    followed = Counter(o for o, _ in {(i.ownership or UNKNOWN, i.provider_id) for i in reviews})
    used = [m for m in method_labels().values() if any(i.method == m for i in reviews)]
    count, hours, themes = Counter(), Counter(), Counter()
    for i in plan.items:
        owner = i.ownership or UNKNOWN
        if i.theme is None:
            count[owner, i.method] += 1
            hours[owner] += i.hours
        else:
            themes[owner] += 1
    owners = sorted(set(active) | set(followed) | set(themes))
    return [EqualTreatment(o, active[o], followed[o], {m: count[o, m] for m in used}, themes[o], round(hours[o], 1))
            for o in owners]
