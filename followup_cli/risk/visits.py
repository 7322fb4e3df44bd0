"""Which reviews count as a visit to a provider: a light module, so the plan's rules and the templates' registry can
import it without pandas."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LIGHT_TYPE = "self_report_review"  # a self-report or survey: its own review type, never a Kvalitetsgranskning
LIGHT_METHODS = ("self_report", "survey")


def latest_visits(reviews: pd.DataFrame | None, as_of) -> dict[str, dt.date]:
    """Each provider's latest review on or before as-of that counts as a visit: a self-report or survey does not."""
    import pandas as pd

    if reviews is None or reviews.empty:
        return {}
    counts = reviews["date"].notna() & (reviews["date"] <= pd.Timestamp(as_of)) & reviews["review_type"].ne(LIGHT_TYPE) \
        & ~reviews["method"].isin(LIGHT_METHODS)
    latest = reviews[counts].groupby("provider_id")["date"].max()
    return {pid: when.date() for pid, when in latest.items()}
