"""A new review's checklist before it is written: the header the reviewers start from and the questions to ask.

Pure: the register's tables and the provider's risk in, one ChecklistDraft out. Ids throughout; the writer
turns them into the schema's labels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.register.identity import mask_personnummer
from followup_cli.reviews.questions import Question

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class OpenFinding:
    finding_id: str
    review_area: str | None  # id
    severity: str | None  # id
    requirement_id: str | None
    description: str
    action_plan_due: dt.date | None


@dataclass(frozen=True)
class LastReview:
    review_id: str
    date: dt.date | None
    review_type: str | None  # id
    result: str | None  # id
    assessment: str | None  # as written


@dataclass(frozen=True)
class ChecklistDraft:
    review_id: str
    provider_id: str
    provider_name: str
    service_area: str | None
    review_type: str  # id
    method: str | None  # id
    risk_level: str | None
    flagged: tuple[str, ...]  # review area ids the risk analysis flagged, most important first
    last_review: LastReview | None
    open_findings: tuple[OpenFinding, ...]
    questions: tuple[Question, ...]
    source: str  # where the questions came from: 'Krav' or 'frågebanken'
    scale_labels: tuple[str, ...]  # the levels of the provider's assessment scale, best first


def open_findings(findings: pd.DataFrame | None, reviews: pd.DataFrame | None, provider_id: str,
                  as_of: dt.date) -> tuple[OpenFinding, ...]:
    """The provider's findings still open on the as-of day, oldest first: a Brist or an Allvarlig brist until it is
    resolved, an Iakttagelse until the next review looks at it again (so the last review's are listed, for this one
    to look at); descriptions with any personal number masked."""
    import pandas as pd

    from followup_cli.risk.evidence import finding_dates, looked_at_again

    if findings is None or findings.empty:
        return ()
    day = pd.Timestamp(as_of)
    found = finding_dates({"findings": findings, "reviews": reviews})
    mine = (findings["provider_id"] == provider_id) & (findings["resolved"].isna() | (findings["resolved"] > day))
    mine &= ~(found > day) & ~looked_at_again(findings, found, reviews, as_of)  # not yet made, or looked at again
    mine = findings[mine]
    return tuple(OpenFinding(str(r.finding_id), _text(r.review_area), _text(r.severity), _text(r.requirement_id),
                             mask_personnummer(_text(r.description) or ""), _day(r.action_plan_due))
                 for r in mine.itertuples(index=False))


def last_review(reviews: pd.DataFrame | None, provider_id: str, as_of: dt.date) -> LastReview | None:
    """The provider's latest review on or before the as-of day."""
    import pandas as pd

    if reviews is None or reviews.empty:
        return None
    mine = reviews[(reviews["provider_id"] == provider_id) & (reviews["date"].isna() | (reviews["date"] <= pd.Timestamp(as_of)))]
    if mine.empty:
        return None
    r = mine.sort_values("date", kind="stable", na_position="first").iloc[-1]
    return LastReview(str(r["review_id"]), _day(r["date"]), _text(r["review_type"]), _text(r["result"]),
                      _text(r.get("assessment")))


def _text(value) -> str | None:
    import pandas as pd

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _day(value) -> dt.date | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
