"""`followup report`: the annual follow-up report to the board as ONE context of ready Swedish strings and raw numbers.

`report_context` is pure: it takes the register's tables, the risk analysis the year's plan was made from (as of the
last day of the year before), the year's plan as the plan workbook holds it, and settings, and returns a dict that
the Word, Markdown and HTML templates only place, and that `followup report --format json` prints (its shape is
documented in README, "Årsrapportens värden"). Every section has `empty`: '' when it has content, else the one line
shown instead. The report is a public document: it names providers, never clients or staff, and carries no free
text from findings or events.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from followup_cli import swedish
from followup_cli.plan.rules import PreviousItem
from followup_cli.report import sections
from followup_cli.report.evaluation import HIGH_LEVELS, action_plans, lift
from followup_cli.report.labels import label
from followup_cli.report.outcome import SELF_REPORT_SHEET, plan_outcome
from followup_cli.report.year import YearData, year_data

SCHEMA_VERSION = 1


@dataclass
class ReportInput:
    """Everything the report is made from besides the register's tables."""

    year: int
    organisation: str
    date: dt.date
    min_count: int
    assessment: object  # reviews.scale.Assessment
    analysis: object | None = None  # risk.results.RiskAnalysis as of the day before the year
    plan_items: list[PreviousItem] | None = None  # None: no plan workbook found
    plan_name: str = ""
    method_hours: dict[str, float] = field(default_factory=dict)
    billing_threshold: float = 0.10
    document: dict = field(default_factory=dict)  # plan.document of followup.yaml: board, signatory
    as_of: dt.date | None = None  # the interim report (delårsrapport): the year up to this day; None: the whole year


def report_context(tables: dict, given: ReportInput, with_detail: bool = True) -> dict:
    """The whole context, every version's numbers and the rows (`detail`) behind them; report/audience.py cuts it
    for each reader."""
    y = year_data(tables, given.year, given.as_of)
    year = given.year
    board = given.document.get("board") or "Nämnden"
    interim = given.as_of is not None
    until = swedish.swedish_date(given.as_of) if interim else ""
    high = {p.provider_id for p in given.analysis.providers if p.level_id in HIGH_LEVELS} if given.analysis else set()
    context = {
        "schema_version": SCHEMA_VERSION,
        "organisation": given.organisation,
        "year": year,
        "date": swedish.swedish_date(given.date),
        "board": board,
        "diarienummer": "",  # the report's own case number: the template's header shows it when filled in
        "signatory": given.document.get("signatory", ""),
        "audience": "board",
        "period": "interim" if interim else "year",
        "as_of": given.as_of.isoformat() if interim else "",
        "kind": "Delårsrapport" if interim else "Årsrapport",
        "title": f"Uppföljning av utförare {year} – delårsrapport per {until}" if interim else f"Uppföljning av utförare {year} – årsrapport",
        "decision": [f"{board} noterar informationen om uppföljningen av utförare {year} till och med {until}."] if interim else
                    [f"{board} noterar informationen om uppföljningen av utförare {year}.",
                     f"{board} ger förvaltningen i uppdrag att beakta förbättringsområdena i uppföljningsplanen för {year + 1}."],
        "min_count": given.min_count,
        "suppressed_mark": sections.hidden(given.min_count),
        "suppression_note": "",  # the public version explains its hidden counts
    }
    context["numbers"] = _numbers(y, high)
    context["summary"] = _summary(y, context["numbers"], f"till och med {until}" if interim else "")
    context["scope"] = _scope(y, given)
    context["plan"] = _plan(y, given, tables.get("adjustments"))
    context["service_areas"] = sections.per_service_area(y, _assessor(given.assessment))
    context["findings"] = sections.findings_by_area(y)
    context["ownership"] = sections.ownership_side_by_side(y, given.method_hours, given.min_count)
    context["survey"] = sections.survey(y, given.min_count)
    context["events"] = sections.events(y)
    context["billing"] = sections.billing(y, given.billing_threshold)
    context["sanctions"] = sections.sanctions(y)
    context["improvement"] = sections.improvement_areas(y)
    context["evaluation"] = _evaluation(y, given, high)
    context["risk"] = _risk(given.analysis)
    context["provider_ids"] = _shown_providers(context)
    if with_detail:  # only the staff's and a provider's versions show rows; the board's and the public's never do
        from followup_cli.report.detail import detail

        context["detail"] = detail(y, lambda finding: _correct_days(given.assessment, finding))
    return context


def _correct_days(assessment, finding):
    """The correction days of the finding's level, found as `followup actions` finds it: on its service area's
    scale, one step up when it repeats an earlier finding."""
    area = finding.service_area if isinstance(finding.service_area, str) else None
    recurring = isinstance(finding.recurring_of, str) and bool(finding.recurring_of.strip())
    return assessment.scale_for(area).finding_level(finding.severity, recurring).correct_days


def _numbers(y: YearData, high: set[str]) -> dict:
    f = y.findings
    return {
        "reviews": len(y.reviews),
        "reviewed_providers": int(y.reviews["provider_id"].nunique()),
        "active_providers": int(y.providers["active"].fillna(True).astype(bool).sum()),
        "findings": len(f),
        "observations": int((f["severity"] == "observation").sum()),
        "deficiencies": int((f["severity"] == "deficiency").sum()),
        "serious": int((f["severity"] == "serious").sum()),
        "recurring": int(f["recurring_of"].notna().sum()),
        "sanctions": int((f["sanction"].notna() & (f["sanction"] != "none")).sum()),
        "events": len(y.events),
        "events_previous_year": len(y.previous_events),
        "high_risk_providers": len(high),
    }


def _summary(y: YearData, n: dict, until: str = "") -> list[str]:
    """`until`: 'till och med 31 augusti 2026' in the interim report."""
    if not n["reviews"]:
        return [f"Inga granskningar är registrerade för {y.year}" + (f" {until}" if until else "") + "."]
    text = [f"Under {y.year}{' ' + until if until else ''} genomfördes {swedish.plural(n['reviews'], 'granskning', 'granskningar')} hos "
            f"{swedish.plural(n['reviewed_providers'], 'utförare', 'utförare')} av {n['active_providers']} aktiva. "
            f"De gav {swedish.plural(n['findings'], 'iakttagelse eller brist', 'iakttagelser och brister')}: "
            f"{swedish.plural(n['observations'], 'iakttagelse', 'iakttagelser')}, "
            f"{swedish.plural(n['deficiencies'], 'brist', 'brister')} och "
            f"{swedish.plural(n['serious'], 'allvarlig brist', 'allvarliga brister')}."]
    text.append(f"{swedish.plural(n['sanctions'], 'sanktion', 'sanktioner')} beslutades. Förvaltningen tog emot "
                f"{swedish.plural(n['events'], 'händelse', 'händelser')} (klagomål, synpunkter, Lex Sarah, Lex Maria, avvikelser "
                f"och andra signaler), mot {n['events_previous_year']} "
                f"{'samma period ' if until else ''}året innan.")
    return text


def _scope(y: YearData, given: ReportInput) -> dict:
    forms = Counter(zip(y.reviews["review_type"], y.reviews["method"].fillna("")))
    rows = [{"review_type": label("reviews", "review_type", t), "method": label("reviews", "method", m or None), "count": n}
            for (t, m), n in sorted(forms.items())]
    sources = ["registret över utförare, granskningar, brister och åtgärdsplaner"]
    for present, text in ((len(y.events) > 0, "händelser (klagomål, synpunkter, Lex Sarah, Lex Maria, avvikelser)"),
                          (y.survey is not None, "brukarundersökningen"),
                          (y.billing is not None, "faktureringen (beslutad och utförd tid)")):
        if present:
            sources.append(text)
    if given.analysis is not None:
        sources.append(f"riskanalysen per {swedish.swedish_date(given.analysis.as_of)}")
    if given.plan_items is not None:
        sources.append(f"uppföljningsplanen för {y.year} ({given.plan_name})")
    return {"sources": sources, "sources_text": "Rapporten bygger på " + swedish.swedish_list(sources, "och") + ".",
            "forms": rows, "empty": "" if rows else f"Inga granskningar är registrerade för {y.year}."}


def _plan(y: YearData, given: ReportInput, adjustments) -> dict:
    if given.plan_items is None:
        return {"empty": f"Ingen uppföljningsplan för {y.year} angavs, så planen kan inte jämföras med utfallet "
                         f"(ange planens arbetsbok med --plan).", "done": [], "not_done": [], "added": [], "remaining": [], "text": ""}
    outcome = plan_outcome(given.plan_items, y.reviews, y.providers, y.year, adjustments, y.self_reported)
    reviews = y.reviews.set_index("review_id")

    def provider(pid):
        row = y.provider_row(pid)
        return _name(row) if row is not None else pid

    def row(i, why):
        return {"provider_id": i.provider_id, "name": provider(i.provider_id),
                "review_type": label("reviews", "review_type", i.review_type_id), "month": _month(i.month), "why": why}

    cut = given.as_of.strftime("%Y-%m") if given.as_of is not None else None
    not_done = [row(i, why) for i, why in outcome.not_done if cut is None or (i.month or "") <= cut]
    remaining = [row(i, "") for i, _ in outcome.not_done if cut is not None and (i.month or "") > cut]
    added = [{"review_id": rid, "provider_id": reviews.at[rid, "provider_id"], "name": _name(reviews.loc[rid]),
              "review_type": label("reviews", "review_type", reviews.at[rid, "review_type"]),
              "date": swedish.swedish_date(reviews.at[rid, "date"].date())} for rid in outcome.added]
    planned = len(given.plan_items)
    triggered = sum(reviews.at[a["review_id"], "review_type"] == "triggered" for a in added)
    if cut is None:
        text = (f"Planen för {y.year} hade {swedish.plural(planned, 'granskning', 'granskningar')}; "
                f"{_done_count(outcome)} genomfördes och {len(not_done)} genomfördes inte. "
                f"Under året tillkom {swedish.plural(len(added), 'granskning', 'granskningar')} utanför planen, "
                f"varav {swedish.plural(triggered, 'påkallad', 'påkallade')}.")
    else:
        text = (f"Planen för {y.year} har {swedish.plural(planned, 'granskning', 'granskningar')}. Till och med "
                f"{swedish.swedish_date(given.as_of)} genomfördes {_done_count(outcome)}; "
                f"{swedish.plural(len(not_done), 'planerad', 'planerade')} till och med "
                f"{swedish.MONTHS_SV[given.as_of.month - 1]} {'är inte genomförd' if len(not_done) == 1 else 'är inte genomförda'} "
                f"och {len(remaining)} återstår enligt planen. "
                f"Hittills tillkom {swedish.plural(len(added), 'granskning', 'granskningar')} utanför planen, "
                f"varav {swedish.plural(triggered, 'påkallad', 'påkallade')}.")
    return {"empty": "", "text": text, "planned": planned, "done_count": len(outcome.done),
            "done": [{"provider_id": i.provider_id, "review_id": rid} for i, rid in outcome.done],
            "not_done": not_done, "added": added, "remaining": remaining}


def _evaluation(y: YearData, given: ReportInput, high: set[str]) -> dict:
    import pandas as pd

    end = pd.Timestamp(given.as_of) if given.as_of is not None else pd.Timestamp(y.year, 12, 31)
    plans = action_plans(y.findings, lambda finding: _correct_days(given.assessment, finding), end)
    lines = []
    if plans.due:
        lines.append(f"Åtgärdsplaner inkomna i tid: {plans.received_in_time} av {plans.due} "
                     f"({swedish.percent(plans.received_in_time / plans.due)}).")
    else:
        lines.append(f"Inga åtgärdsplaner begärdes {y.year}.")
    if plans.to_close:
        lines.append(f"Brister åtgärdade inom tidsfristen, av dem vars frist gick ut under året: {plans.closed_in_time} av {plans.to_close} "
                     f"({swedish.percent(plans.closed_in_time / plans.to_close)}).")
    recurring = int(y.findings["recurring_of"].notna().sum())
    lines.append(f"Återkommande brister (som upprepar en tidigare, ännu öppen brist): {recurring}.")
    lift_rows = lift(y.reviews, y.findings, high) if given.analysis is not None and len(y.reviews) else []
    rows = [{"method": label("reviews", "method", r.method if r.method != "unknown" else None),
             "high": f"{r.high_findings} / {r.high_reviews}", "high_rate": swedish.sv(r.high_rate, 1) if r.high_rate is not None else "–",
             "rest": f"{r.rest_findings} / {r.rest_reviews}", "rest_rate": swedish.sv(r.rest_rate, 1) if r.rest_rate is not None else "–",
             "lift": swedish.sv(r.lift, 1) if r.lift is not None else "–",
             "raw": {"method_id": r.method, "high_reviews": r.high_reviews, "high_findings": r.high_findings,
                     "rest_reviews": r.rest_reviews, "rest_findings": r.rest_findings}} for r in lift_rows]
    if given.analysis is None:
        lift_text = "Ingen riskanalys fanns att jämföra med."
    elif not rows:
        lift_text = f"Inga granskningar {y.year} att jämföra utförarna med hög risk mot övriga med."
    else:
        lift_text = (f"Brister (Brist och Allvarlig brist) per granskning hos de {len(high)} utförare som riskanalysen per "
                     f"{swedish.swedish_date(given.analysis.as_of)} gav hög eller mycket hög risk, mot övriga, inom samma metod "
                     "(brister / granskningar). Ett lyft över 1 betyder att utförarna med hög risk hade fler brister per "
                     "granskning än övriga, som riskanalysen förutsade.")
        if any(0 < min(r.high_reviews, r.rest_reviews) < FEW_REVIEWS for r in lift_rows):
            lift_text += (f" Där en grupp har färre än {FEW_REVIEWS} granskningar är lyftet osäkert: "
                          "en enda brist mer eller mindre ändrar det mycket.")
    return {"action_plans": {"due": plans.due, "received_in_time": plans.received_in_time, "to_close": plans.to_close,
                             "closed_in_time": plans.closed_in_time},
            "lines": lines, "lift_text": lift_text, "lift": rows}


def _risk(analysis) -> dict:
    if analysis is None:
        return {"empty": "Ingen riskanalys.", "text": "", "levels": []}
    counts = analysis.level_counts()
    levels = [{"level": lv.name, "count": counts[lv.id][0]} for lv in reversed(analysis.matrix.levels)]
    return {"empty": "", "as_of": analysis.as_of.isoformat(), "levels": levels,
            "text": f"Riskanalysen per {swedish.swedish_date(analysis.as_of)}, som årets plan byggde på: "
                    + ", ".join(f"{lv['level'].lower()} risk {lv['count']}" for lv in levels) + "."}


FEW_REVIEWS = 10  # below this many reviews in a group, a lift says little


def _done_count(outcome) -> str:
    """'55 (34 granskningar och 21 egenrapporteringar)': a planned self-report is done on the Egenrapportering
    sheet, not as a review, so the year's count of reviews is the first number in brackets, not the sum."""
    reports = sum(rid == SELF_REPORT_SHEET for _, rid in outcome.done)
    text = f"{len(outcome.done)}"
    if reports:
        text += (f" ({swedish.plural(len(outcome.done) - reports, 'granskning', 'granskningar')} och "
                 f"{swedish.plural(reports, 'egenrapportering', 'egenrapporteringar')})")
    return text


def _month(iso: str | None) -> str:
    """'2025-09' → 'september': the document's months in words (the year is the report's)."""
    return swedish.MONTHS_SV[int(iso[5:7]) - 1] if iso else ""


def _assessor(assessment):
    """The review's assessment: as registered, else the worst level its findings (rows) give on the service area's
    scale."""
    import pandas as pd

    def assess(review, findings) -> str:
        if isinstance(review.assessment, str) and review.assessment.strip():
            return review.assessment.strip()
        scale = assessment.scale_for(review.service_area if isinstance(review.service_area, str) else None)
        if not findings and review.result not in ("no_deficiencies", None) and not pd.isna(review.result):
            return label("reviews", "result", review.result)
        return scale.worst(scale.finding_level(f.severity, not pd.isna(f.recurring_of))
                           for f in findings).label if findings else scale.levels[0].label

    return assess


def _shown_providers(context: dict) -> list[str]:
    """Every provider the document names: what the privacy scan looks at."""
    ids = {r["provider_id"] for a in context["service_areas"]["areas"] for r in a["rows"]}
    ids |= {r["provider_id"] for r in context["billing"]["rows"]}
    ids |= {pid for r in context["sanctions"]["rows"] for pid in r["provider_ids"]}
    ids |= {r["provider_id"] for r in context["plan"]["not_done"]} | {r["provider_id"] for r in context["plan"]["added"]}
    return sorted(ids)


def _name(row) -> str:
    name = row.get("name") if hasattr(row, "get") else None
    return name if isinstance(name, str) else ""
