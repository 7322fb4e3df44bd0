"""The follow-up judged by its own results: action plans in time, findings that recur, and the lift (did the
providers the risk analysis ranked high have more findings per review than the rest, within the same method?)."""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.report.year import SERIOUS_SEVERITIES

HIGH_LEVELS = ("high", "very_high")  # risk levels counted as high in the lift


@dataclass(frozen=True)
class ActionPlans:
    due: int  # findings with a due day for an action plan
    received_in_time: int
    to_close: int  # of those with a correction deadline
    closed_in_time: int


def action_plans(findings, correct_days, year_end) -> ActionPlans:
    """Plans received by their due day, and findings resolved within the scale's correction days after the plan was
    approved (or due), of those whose deadline fell within the year (`year_end`: a pandas Timestamp).
    `correct_days(finding)` gives the days for a finding's row, or None when its level sets none."""
    import pandas as pd

    with_due = findings[findings["action_plan_due"].notna()]
    received = with_due["action_plan_received"].notna() & (with_due["action_plan_received"] <= with_due["action_plan_due"])
    to_close = closed = 0
    for row in with_due.itertuples():
        deadline = correction_deadline(row, correct_days)
        if deadline is None:
            continue
        if deadline > year_end:
            continue  # not yet due when the year ended
        to_close += 1
        closed += bool(not pd.isna(row.resolved) and row.resolved <= deadline)
    return ActionPlans(len(with_due), int(received.sum()), to_close, closed)


def correction_deadline(finding, correct_days):
    """The day a finding (a row) should be corrected by, by scale.correct_by as the action list dates it."""
    import pandas as pd

    from followup_cli.reviews.scale import correct_by

    known = [None if pd.isna(day) else day
             for day in (finding.action_plan_approved, finding.action_plan_due, finding.action_plan_received)]
    return correct_by(correct_days(finding), *known)


@dataclass(frozen=True)
class LiftRow:
    method: str  # method id
    high_reviews: int
    high_findings: int
    rest_reviews: int
    rest_findings: int

    @property
    def high_rate(self) -> float | None:
        return self.high_findings / self.high_reviews if self.high_reviews else None

    @property
    def rest_rate(self) -> float | None:
        return self.rest_findings / self.rest_reviews if self.rest_reviews else None

    @property
    def lift(self) -> float | None:
        if self.high_rate is None or not self.rest_rate:
            return None
        return self.high_rate / self.rest_rate


def lift(reviews, findings, high_providers: set[str]) -> list[LiftRow]:
    """Per review method: findings (Brist and Allvarlig brist) per review for the providers ranked high or very high
    at the start of the year, against the rest."""
    counted = findings[findings["severity"].isin(SERIOUS_SEVERITIES)].groupby("review_id").size()
    rows = []
    for method, group in reviews.groupby(reviews["method"].fillna("unknown"), sort=True):
        n = group["review_id"].map(counted).fillna(0).astype(int)
        high = group["provider_id"].isin(high_providers)
        rows.append(LiftRow(str(method), int(high.sum()), int(n[high].sum()), int((~high).sum()), int(n[~high].sum())))
    return rows
