"""The report's rows one by one: each review, finding and event of the period, with the free text, reviewers and
months that staff work with. They are part of the one context (so no number differs between versions) but only the
internal and provider versions print any of it (report/audience.py decides); the board and the public see counts."""

from __future__ import annotations

from collections import Counter

from followup_cli import swedish
from followup_cli.report.evaluation import correction_deadline
from followup_cli.report.labels import label
from followup_cli.report.year import YearData


def detail(y: YearData, correct_days) -> dict:
    """`correct_days(finding)`: the days the scale gives to correct a finding (a row) after its action plan, or None."""
    providers = [{"provider_id": r.provider_id, "name": _text(r.name), "service_area": _text(r.service_area),
                  "ownership": label("providers", "ownership", r.ownership)} for r in y.providers.itertuples()]
    return {"providers": providers, "reviews": _reviews(y), "findings": _findings(y, correct_days), "events": _events(y),
            "events_previous": [{"provider_id": p, "kind_id": k, "count": n}
                                for (p, k), n in sorted(Counter(zip(y.previous_events["provider_id"], y.previous_events["kind"])).items(),
                                                        key=lambda kv: (str(kv[0][0]), str(kv[0][1])))],
            "survey": _survey(y)}


def _reviews(y: YearData) -> list[dict]:
    return [{"review_id": r.review_id, "provider_id": r.provider_id, "name": _text(r.name), "date": _iso(r.date),
             "month": swedish.MONTHS_SV[r.date.month - 1],
             "review_type": label("reviews", "review_type", r.review_type), "method": label("reviews", "method", r.method),
             "reviewer": _text(r.reviewer) or "–"}
            for r in y.reviews.itertuples()]


def _findings(y: YearData, correct_days) -> list[dict]:
    rows = []
    for f in y.findings.itertuples():
        deadline = correction_deadline(f, correct_days)
        rows.append({
            "finding_id": f.finding_id, "provider_id": f.provider_id, "name": _text(f.name), "review_id": _text(f.review_id),
            "review_area": label("findings", "review_area", f.review_area), "severity_id": _text(f.severity),
            "severity": label("findings", "severity", f.severity), "requirement_id": _text(f.requirement_id) or "–",
            "description": _text(f.description) or "–", "recurring": "Ja" if isinstance(f.recurring_of, str) else "",
            "action_plan_due": _iso(f.action_plan_due), "action_plan_received": _iso(f.action_plan_received),
            "correct_by": _iso(deadline), "resolved": _iso(f.resolved), "status": _status(f),
            "sanction": label("findings", "sanction", f.sanction) if isinstance(f.sanction, str) and f.sanction != "none" else "–",
        })
    return rows


def _status(f) -> str:
    import pandas as pd

    if not pd.isna(f.resolved):
        return "Åtgärdad"
    if pd.isna(f.action_plan_due):
        return "Ingen åtgärdsplan krävs" if f.severity == "observation" else "Öppen"
    if pd.isna(f.action_plan_received):
        return "Åtgärdsplan väntas"
    if pd.isna(f.action_plan_approved):
        return "Åtgärdsplan inkommen, ej godkänd"
    return "Åtgärdsplan godkänd, ej åtgärdad"


def _events(y: YearData) -> list[dict]:
    return [{"provider_id": e.provider_id, "name": _text(e.name), "date": _iso(e.date), "kind_id": _text(e.kind),
             "kind": label("events", "kind", e.kind), "review_area": label("events", "review_area", e.review_area),
             "description": _text(e.description) or "–"}
            for e in y.events.sort_values(["date", "provider_id"], kind="stable").itertuples()]


def _survey(y: YearData) -> list[dict]:
    """Each provider's result per indicator and group, with its respondents (raw: the versions decide what shows)."""
    if y.survey is None:
        return []
    s = y.survey
    return [{"provider_id": r.provider_id, "indicator": r.indicator, "sex_id": r.sex if isinstance(r.sex, str) else "total",
             "value_raw": None if r.value != r.value else float(r.value),
             "responses": None if r.responses != r.responses else int(r.responses)}
            for r in s.sort_values(["provider_id", "indicator"], kind="stable").itertuples()]


def _iso(value) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _text(value) -> str:
    return value if isinstance(value, str) else ""
