"""The plan for the web: counts only, no provider names and no months, so unannounced visits stay unannounced.

Counts below privacy.min_count are never shown. Where one count in a
table is hidden and the total is shown, the next smallest is hidden too,
so the hidden one cannot be worked out by subtraction.
"""

from __future__ import annotations

from collections import Counter

from followup_cli.plan.build import Plan


def hidden_text(min_count: int) -> str:
    return f"färre än {min_count}"


SECONDARY = "visas inte"


def suppress(counts: dict[str, int], min_count: int) -> dict[str, int | str]:
    """Counts with those in 1 … min_count−1 replaced by a text, plus one more ("visas inte", since it is not
    small) where a lone hidden one could be recovered from the total."""
    small = {k for k, v in counts.items() if 0 < v < min_count}
    also: set[str] = set()
    if len(small) == 1:
        others = sorted((v, k) for k, v in counts.items() if k not in small and v > 0)
        if others:
            also.add(others[0][1])
    return {k: hidden_text(min_count) if k in small else SECONDARY if k in also else v for k, v in counts.items()}


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
