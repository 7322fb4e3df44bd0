"""The report's key structures for `followup check-template`: every value the rapport templates get for the board,
internal and public readers (the annual and the interim report), and what rapport-utforare templates get for one
provider, plus the charts report_document adds per format. Its own module so the registry finds it without
loading the report's code (and so the report's modules stay the report's)."""

from __future__ import annotations

from followup_cli.publish.template_check import template_kind

_CHARTS = ("risk_matrix", "findings", "survey", "events")  # report_charts.chart_names(); the test holds them equal


_FINDING = dict.fromkeys(
    ("finding_id", "provider_id", "name", "review_id", "review_area", "severity_id", "severity", "requirement_id",
     "description", "recurring", "action_plan_due", "action_plan_received", "correct_by", "resolved", "status",
     "sanction"), "text")
_DETAIL = {
    "providers": [dict.fromkeys(("provider_id", "name", "service_area", "ownership"), "text")],
    "reviews": [{**dict.fromkeys(("review_id", "provider_id", "name", "date", "review_type", "method", "reviewer"), "text"),
                 "month": "månadens namn"}],
    "findings": [_FINDING],
    "events": [dict.fromkeys(("provider_id", "name", "date", "kind_id", "kind", "review_area", "description"), "text")],
    "events_previous": [{"provider_id": "text", "kind_id": "text", "count": "antal"}],
    "survey": [{"provider_id": "text", "indicator": "text", "sex_id": "text", "value_raw": "tal", "responses": "antal"}],
}
_BY_KIND = [{"id": "text", "kind": "text", "previous": "antal", "current": "antal", "change": "text"}]


@template_kind("report", prefix="rapport")
def report_context_keys() -> dict:
    """Every value report_context gives a rapport template (what `followup report --format json` prints), with
    one example element per list, and the chart images: `chart_…` in the Word template, `charts.…` in the HTML
    one. Texts are ready Swedish strings; a number is a number. (tests/test_check_template.py holds it to the
    real context.)"""
    text, texts, count = "text", ["text"], "antal"
    return {
        "schema_version": "1", "audience": "board, internal eller public", "period": "year eller interim",
        "as_of": "delårsrapportens sista dag (ÅÅÅÅ-MM-DD), annars tomt", "kind": "Årsrapport eller Delårsrapport",
        "suppression_note": "allmänhetens förklaring av dolda tal, annars tomt", "organisation": text, "year": "2025", "date": "datum i ord", "board": text,
        "diarienummer": "rapportens diarienummer, annars tomt", "signatory": text, "title": text, "decision": texts,
        "min_count": "5", "suppressed_mark": "färre än 5*", "summary": texts,
        "numbers": {k: count for k in ("reviews", "reviewed_providers", "active_providers", "findings", "observations",
                                       "deficiencies", "serious", "recurring", "sanctions", "events",
                                       "events_previous_year", "high_risk_providers")},
        "scope": {"empty": text, "sources": texts, "sources_text": text,
                  "forms": [{"review_type": text, "method": text, "count": count}]},
        "plan": {"empty": "raden som visas utan plan, annars tomt", "text": text, "planned": count,
                 "done_count": count, "done": [{"provider_id": text, "review_id": text}],
                 "not_done": [{"provider_id": text, "name": text, "review_type": text, "month": "månadens namn",
                               "why": text}],
                 "added": [{"review_id": text, "provider_id": text, "name": text, "review_type": text,
                            "date": "datum i ord"}],
                 "remaining": [{"provider_id": text, "name": text, "review_type": text, "month": "månadens namn",
                                "why": "tomt"}]},
        "service_areas": {"empty": text,
                          "areas": [{"name": text, "reviews": count, "providers": count, "text": text,
                                     "rows": [{"review_id": text, "provider_id": text, "name": text, "ownership": text,
                                               "date": "datum i ord", "review_type": text, "method": text,
                                               "assessment": text, "observation": count, "deficiency": count,
                                               "serious": count, "recurring": text, "action_plans": text,
                                               "sanctions": text}]}]},
        "findings": {"empty": text, "total": count, "recurring": count,
                     "review_areas": [{"id": text, "area": text, "observation": count, "deficiency": count,
                                       "serious": count, "total": count, "recurring": count, "recurring_text": text,
                                       "providers": count}],
                     "quality_areas": [{"id": text, "area": text, "total": count, "recurring": count,
                                        "recurring_text": text}]},
        "ownership": {"empty": text, "columns": ["regiform"], "rows": [{"indicator": text, "values": texts,
                                                                            "raw": ["antal; bara internt"]}]},
        "survey": {"empty": text, "note": text, "by_gender": "sant om data per kön finns",
                   "rows": [{"indicator": text, "sex": text, "sex_id": "total, women eller men", "value": text,
                             "comparison": text, "difference": text, "respondents": text, "value_raw": "tal",
                             "comparison_raw": "tal", "respondents_raw": "antal; bara internt"}]},
        "events": {"empty": text, "kinds": texts,
                   "by_kind": [{"id": text, "kind": text, "previous": count, "current": count, "change": text}],
                   "by_area": [{"area": text, "counts": ["antal per typ i kinds"], "total": count}]},
        "billing": {"empty": text, "checked": count, "text": text,
                    "rows": [{"provider_id": text, "name": text, "decided": text, "billed": text, "deviation": text,
                              "deviation_raw": "tal"}]},
        "sanctions": {"empty": text, "reported": text,
                      "rows": [{"sanction": text, "count": count, "providers": text, "provider_ids": texts}]},
        "improvement": {"empty": text, "yaml": "ett plan.themes-block för followup.yaml",
                        "rows": [{"id": text, "area": text, "providers": count, "findings": count,
                                  "service_areas": texts, "service_areas_text": text}]},
        "evaluation": {"action_plans": {k: count for k in ("due", "received_in_time", "to_close", "closed_in_time")},
                       "lines": texts, "lift_text": text,
                       "lift": [{"method": text, "high": text, "high_rate": text, "rest": text, "rest_rate": text,
                                 "lift": text,
                                 "raw": {"method_id": text, "high_reviews": count, "high_findings": count,
                                         "rest_reviews": count, "rest_findings": count}}]},
        "risk": {"empty": text, "as_of": "ÅÅÅÅ-MM-DD", "text": text, "levels": [{"level": text, "count": count}]},
        "provider_ids": texts,
        "detail": _DETAIL,  # only in the internal version
        # the charts, added when the document is written; empty when the chart's section has no data
        **{f"chart_{name}": "bild, bara i Word-mallen" for name in _CHARTS},
        "charts": {name: "bild som data-URI, bara i HTML-mallen" for name in _CHARTS},
    }


@template_kind("report-provider", prefix="rapport-utforare")
def provider_report_context_keys() -> dict:
    """Every value one provider's report (rapport-utforare.*, `followup report --audience provider`) gets."""
    text, texts = "text", ["text"]
    return {
        "schema_version": "1", "audience": "provider", "period": "year eller interim",
        "as_of": "delårsrapportens sista dag, annars tomt", "kind": "Årsrapport eller Delårsrapport", "organisation": text,
        "year": "2025", "date": "datum i ord", "board": text, "diarienummer": text, "signatory": text, "min_count": "5",
        "suppressed_mark": "färre än 5*", "title": text, "summary": texts, "provider_ids": texts,
        "provider": dict.fromkeys(("provider_id", "name", "service_area", "ownership"), text),
        "reviews": {"empty": text, "rows": [{**_DETAIL["reviews"][0], "assessment": text}]},
        "findings": {"empty": text, "rows": [_FINDING],
                     "review_areas": [{"area": text, "observation": "antal", "deficiency": "antal", "serious": "antal"}]},
        "actions": {"empty": text, "rows": [_FINDING]},
        "survey": {"empty": text, "note": text, "legend": ["Utföraren, Kommunen"],
                   "rows": [{"indicator": text, "sex": text, "sex_id": text, "value": text, "comparison": text,
                             "difference": text, "respondents": text, "value_raw": "tal", "comparison_raw": "tal"}]},
        "events": {"empty": text, "by_kind": _BY_KIND},
        **{f"chart_{name}": "bild, bara i Word-mallen" for name in _CHARTS},
        "charts": {name: "bild som data-URI, bara i HTML-mallen" for name in _CHARTS},
    }
