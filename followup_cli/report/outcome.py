"""The plan against the outcome: which planned reviews were done, which were not (and the reason the register
gives), and which reviews were added during the year (triggered reviews and others outside the plan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.plan.rules import PreviousItem
from followup_cli.swedish import swedish_date

SELF_REPORT_SHEET = "Egenrapportering"


@dataclass
class Outcome:
    done: list[tuple[PreviousItem, str]] = field(default_factory=list)  # the plan item and the review id that did it
    # (for a planned self-report: 'Egenrapportering', the sheet where the provider's report of the year is)
    not_done: list[tuple[PreviousItem, str]] = field(default_factory=list)  # the item and why, in words
    added: list[str] = field(default_factory=list)  # review ids done outside the plan


def plan_outcome(items: list[PreviousItem], reviews, providers, year: int, adjustments=None,
                 self_reported: frozenset[str] = frozenset()) -> Outcome:
    """Each planned item matched to a review of the same provider (same type first, then any type); the reviews left
    over were added. A planned self-report is done when the provider reported on the Egenrapportering sheet for the
    year (`self_reported`). `reviews` is the year's reviews, `providers` the register's, `adjustments` Justeringar."""
    outcome = Outcome()
    left = {r.review_id: (r.provider_id, r.review_type) for r in reviews.itertuples()}
    ordered = sorted(items, key=lambda i: (i.provider_id, i.month or "", i.review_type_id))
    unmatched = []
    for item in ordered:  # the same type first, so a triggered visit does not take a planned quality review's place
        found = next((rid for rid, (pid, kind) in left.items() if pid == item.provider_id and kind == item.review_type_id), None)
        if found is None and item.review_type_id == "self_report_review" and item.provider_id in self_reported:
            outcome.done.append((item, SELF_REPORT_SHEET))
            continue
        if found is None:
            unmatched.append(item)
            continue
        outcome.done.append((item, found))
        del left[found]
    for item in unmatched:
        found = next((rid for rid, (pid, _) in left.items() if pid == item.provider_id), None)
        if found is not None:
            outcome.done.append((item, found))
            del left[found]
        else:
            outcome.not_done.append((item, _why(item.provider_id, providers, year, adjustments)))
    outcome.added = list(left)
    return outcome


def _why(provider_id: str, providers, year: int, adjustments) -> str:
    """What the register says about a planned review that was not done."""
    import pandas as pd

    rows = providers[providers["provider_id"] == provider_id]
    if not len(rows):
        return "Utföraren finns inte längre i registret."
    row = rows.iloc[0]
    if row.get("active") is False or (not pd.isna(row.get("active")) and not bool(row.get("active"))):
        return "Utföraren är inte längre aktiv."
    end = row.get("contract_end")
    if end is not None and not pd.isna(end) and pd.Timestamp(end).year <= year:
        return f"Avtalet upphörde {swedish_date(pd.Timestamp(end).date())}."
    if adjustments is not None and len(adjustments):
        postponed = adjustments[(adjustments["provider_id"] == provider_id) & (adjustments["action"] == "postpone")
                                & (adjustments["date"].dt.year == year)]
        if len(postponed):  # the year's Skjut upp says why in the strategist's words
            latest = postponed.sort_values("date", kind="stable").iloc[-1]
            return f"{latest['reason']} (beslutat {swedish_date(latest['date'].date())})"
        excluded = adjustments[(adjustments["provider_id"] == provider_id) & (adjustments["action"] == "exclude")]
        if len(excluded):
            return "Undantagen genom justering i riskanalysen."
    return "Ingen orsak registrerad."
