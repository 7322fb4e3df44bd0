"""The register cut to one report year (and the year before, for trends): the tables every section reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SERIOUS_SEVERITIES = ("deficiency", "serious")  # what counts as a finding in rates; observations are shown apart


@dataclass
class YearData:
    """The year's rows, with each review's provider facts and each finding's review joined on."""

    year: int
    providers: pd.DataFrame  # every provider of the register
    reviews: pd.DataFrame  # reviews dated in the year, with name, ownership, service area, contract form
    findings: pd.DataFrame  # findings of those reviews (or, without a review, dated by their action-plan due day)
    events: pd.DataFrame  # events of the year
    previous_events: pd.DataFrame  # events of the year before
    survey: pd.DataFrame | None
    billing: pd.DataFrame | None
    requirements: pd.DataFrame | None
    self_reported: frozenset[str]  # providers with a self-report (Egenrapportering) for the year, in by its end

    def provider_row(self, provider_id: str):
        rows = self.providers[self.providers["provider_id"] == provider_id]
        return rows.iloc[0] if len(rows) else None


def year_data(tables: dict[str, pd.DataFrame | None], year: int, until=None) -> YearData:
    """The year's rows; with `until` (a date, for the interim report) only those up to and including that day, and
    the year before up to the same day, so the trend compares like with like."""
    import pandas as pd

    end = pd.Timestamp(until) if until is not None else pd.Timestamp(year, 12, 31)
    before = end - pd.DateOffset(years=1)

    providers = tables["providers"]
    facts = providers[["provider_id", "name", "ownership", "service_area", "contract_form", "clients"]]
    reviews = _empty_like(tables.get("reviews"), ["review_id", "provider_id", "date", "review_type", "method", "reviewer",
                                                   "result", "assessment"])
    reviews = reviews[(reviews["date"].dt.year == year) & (reviews["date"] <= end)].merge(facts, on="provider_id", how="left")
    reviews = reviews.sort_values(["date", "review_id"], kind="stable").reset_index(drop=True)
    findings = _empty_like(tables.get("findings"), ["finding_id", "provider_id", "review_id", "requirement_id", "review_area",
                                                     "severity", "description", "action_plan_due", "action_plan_received",
                                                     "action_plan_approved", "resolved", "sanction", "reported_to",
                                                     "recurring_of"])
    in_year = findings["review_id"].isin(reviews["review_id"])
    unreviewed = findings["review_id"].isna() & (findings["action_plan_due"].dt.year == year) & (findings["action_plan_due"] <= end)
    findings = findings[in_year | unreviewed].merge(
        reviews[["review_id", "method", "review_type", "date"]], on="review_id", how="left")
    findings = findings.merge(facts, on="provider_id", how="left").reset_index(drop=True)
    requirements = tables.get("requirements")
    if requirements is not None and len(findings):
        findings = findings.merge(requirements[["requirement_id", "quality_area"]], on="requirement_id", how="left")
    else:
        findings["quality_area"] = pd.Series([None] * len(findings), dtype=object)
    events = _empty_like(tables.get("events"), ["date", "provider_id", "kind", "severity", "review_area", "description"])
    survey, billing = tables.get("survey"), tables.get("billing")
    if survey is not None:
        survey = survey[survey["year"] == year].merge(facts, on="provider_id", how="left")
    if billing is not None:
        billing = billing[(billing["month"].astype(str).str[:4] == str(year)) & (billing["month"].astype(str).str[:7] <= end.strftime("%Y-%m"))].merge(facts, on="provider_id", how="left")
    own = tables.get("self_report")
    if own is not None:
        own = own[own["year"] == year]
        if until is not None:  # the interim report: only the self-reports in by its last day, where Inkommen says
            own = own[own["received"].isna() | (own["received"] <= end)]
    self_reported = frozenset(own["provider_id"].dropna()) if own is not None else frozenset()
    return YearData(year, providers, reviews, findings,
                    events[(events["date"].dt.year == year) & (events["date"] <= end)].merge(facts, on="provider_id", how="left"),
                    events[(events["date"].dt.year == year - 1) & (events["date"] <= before)], survey if survey is None or len(survey) else None,
                    billing if billing is None or len(billing) else None, requirements, self_reported)


def _empty_like(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """The sheet, or an empty table with its columns when the register has no such sheet."""
    import pandas as pd

    if frame is not None:
        return frame
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    for c in ("date", "action_plan_due", "action_plan_received", "action_plan_approved", "resolved"):
        if c in empty:
            empty[c] = pd.to_datetime(empty[c])
    return empty
