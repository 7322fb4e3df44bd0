"""The plan for the web: counts only, no provider names and no months, so unannounced visits stay unannounced.

Counts below privacy.min_count are never shown. The total of a table is
known (it is shown, or follows from the plan's total), so hidden counts can
be bounded by subtraction: more counts are hidden, smallest first, until
none of them can be narrowed down to one value (see `recoverable`).
"""

from __future__ import annotations

from collections import Counter

from followup_cli.plan.build import Plan


def hidden_text(min_count: int) -> str:
    return f"färre än {min_count}"


SECONDARY = "visas inte"


def suppress(counts: dict[str, int], min_count: int) -> dict[str, int | str]:
    """Counts with those in 1 … min_count−1 replaced by a text, and more ("visas inte"), the smallest shown first,
    until no hidden count can be worked out from the total and the shown ones."""
    small = {k for k, v in counts.items() if 0 < v < min_count}
    also: set[str] = set()
    while small and recoverable(counts, small, also, min_count):
        others = sorted((v, k) for k, v in counts.items() if k not in small | also and v > 0)
        if not others:
            break  # every count is hidden: nothing is left to subtract
        also.add(others[0][1])
    return {k: hidden_text(min_count) if k in small else SECONDARY if k in also else v for k, v in counts.items()}


def recoverable(counts: dict[str, int], small: set[str], also: set[str], min_count: int) -> list[str]:
    """The small hidden counts a reader could pin to one value, knowing the total, every shown count, that each
    "färre än N" is 1 … N−1 and (the worst case) that each "visas inte" is at least N."""
    hidden = small | also
    rest = sum(v for k, v in counts.items() if k in hidden)  # the total minus the shown counts
    low = {k: 1 if k in small else min_count for k in hidden}
    high = {k: min_count - 1 if k in small else rest for k in hidden}
    pinned = []
    for k in sorted(small):  # a 'visas inte' count pinned down gives away no small count
        others_low = sum(low[o] for o in hidden if o != k)
        others_high = sum(high[o] for o in hidden if o != k)
        if max(low[k], rest - others_high) >= min(high[k], rest - others_low):
            pinned.append(k)
    return pinned


def public_summary(plan: Plan, min_count: int) -> dict:
    items = plan.items
    total = len(items)

    def table(key) -> list[dict]:
        counts = Counter(key(i) for i in items)
        shown = suppress(dict(sorted(counts.items())), min_count)
        return [{"label": k, "count": v} for k, v in shown.items()]

    return {
        "year": plan.year,
        "organisation": plan.organisation,
        "board": plan.board,
        "audience": "public",
        "min_count": min_count,
        "total": total if total >= min_count or total == 0 else hidden_text(min_count),
        "by_service_area": table(lambda i: i.service_area or "Okänt verksamhetsområde"),
        "by_method": table(lambda i: i.method),
        "by_review_type": table(lambda i: i.review_type),
        "by_quarter": table(lambda i: f"Kvartal {(i.month - 1) // 3 + 1}"),
        "ownership": _ownership(plan, min_count) if total >= min_count else [],
        "review_areas": [a["area"] for a in plan.review_areas()],
        "rotation_years": plan.config.rotation_years,
    }


def _ownership(plan: Plan, min_count: int) -> list[dict]:
    """Each Regiform's share of the plan and of the providers; a share resting on a count below min_count is hidden
    (a percentage of a known total gives the count away), and so is one more where a lone hidden share could be
    worked out from the rest."""
    shares = plan.ownership_shares()
    planned = suppress({o["ownership"]: o["planned"] for o in shares}, min_count)
    providers = suppress({o["ownership"]: o["providers"] for o in shares}, min_count)
    return [{"ownership": o["ownership"],
             "share_of_plan": planned[o["ownership"]] if isinstance(planned[o["ownership"]], str) else o["share_of_plan"],
             "share_of_providers": (providers[o["ownership"]] if isinstance(providers[o["ownership"]], str)
                                    else o["share_of_providers"])}
            for o in shares]
