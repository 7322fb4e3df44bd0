"""The report for each reader, cut from the one context (report/context.py), so no number differs between them.

Nacka 002 §8's matrix of who receives what, in the vocabulary every command shares:

- board: the tjänsteskrivelse as it is, without the rows behind it (no free text, no reviewers, no months);
- internal: everything, with the findings' and events' free text, reviewers and months (personal numbers are masked
  by the shell before it is written);
- provider: one provider's year: its reviews, findings, required actions with deadlines, its survey results against
  the municipality's and the events registered about it, counted by kind; nothing about any other provider;
- public: plain language, aggregated and per-provider results, no proposed decision and nothing planned, counts
  about individuals under min_count hidden together with the cells that would give them away.
"""

from __future__ import annotations

import copy
from collections import Counter

from followup_cli import swedish
from followup_cli.plan.public import SECONDARY, suppress  # SECONDARY: hidden only so a smaller count cannot be worked out
from followup_cli.report.labels import labels
from followup_cli.report.sections import hidden

AUDIENCES = ("board", "internal", "provider", "public")


def for_reader(context: dict, audience: str, provider_id: str | None = None) -> dict:
    if audience == "internal":
        return {**copy.deepcopy(context), "audience": "internal", "title": context["title"] + " (intern version)"}
    if audience == "provider":
        return provider_version(context, provider_id)
    version = {k: copy.deepcopy(v) for k, v in context.items() if k != "detail"}  # rows are never the board's
    if audience == "public":
        _public(version)
    _drop_raw(version)
    return version


# ---------------------------------------------------------------------------------------------- public


def _public(c: dict) -> None:
    """In place: the board's version made fit for the website."""
    m = c["min_count"]
    c["audience"] = "public"
    c["title"] = (f"Så följde vi upp utförarna {c['year']}" if c["period"] == "year"
                  else f"Så har vi följt upp utförarna hittills {c['year']}")
    c["decision"] = []  # a proposed decision is pending until the board has decided
    c["summary"] = _plain_summary(c)
    c["suppression_note"] = (f"Om antalet händelser, brukare eller svarande är färre än {m} står det \"{hidden(m)}\", så att "
                             f"ingen enskild person kan pekas ut; \"{SECONDARY}\" står där ett tal annars skulle gå att räkna "
                             "ut ur summan och de andra talen.")
    # planned visits stay unannounced: in the interim report what is not yet done is still planned
    c["plan"]["not_done"] = [] if c["period"] == "interim" else [{**r, "month": ""} for r in c["plan"]["not_done"]]
    c["plan"]["remaining"] = []
    c["improvement"]["yaml"] = ""  # next year's plan is not decided
    events = c["events"]
    if events["by_kind"]:
        for column in ("current", "previous"):
            shown = _suppressed([r[column] for r in events["by_kind"]], m)
            for r, value in zip(events["by_kind"], shown):
                r[column] = value
        for r in events["by_kind"]:
            if isinstance(r["current"], str) or isinstance(r["previous"], str):
                r["change"] = "–"
        events["by_area"] = []  # a cross table of few events gives them away: the kinds alone are shown
    for row in c["ownership"]["rows"]:
        if row.get("raw") is not None:
            row["values"] = [swedish.thousands(v) if isinstance(v, int) else v for v in _suppressed(row["raw"], m)]
    _public_survey(c["survey"], m)
    if c["numbers"]["events"] and c["numbers"]["events"] < m:
        c["numbers"]["events"] = hidden(m)


def _suppressed(counts: list[int], min_count: int) -> list[int | str]:
    """Counts of one table whose total is known: those under min_count marked, and more hidden until none of the
    marked ones can be worked out (plan/public.py's rule, shared with the public plan)."""
    shown = suppress({str(i): int(n) for i, n in enumerate(counts)}, min_count)
    return [shown[str(i)] if not isinstance(shown[str(i)], str) else hidden(min_count) if 0 < counts[i] < min_count
            else SECONDARY for i in range(len(counts))]


def _public_survey(survey: dict, m: int) -> None:
    """Women and men beside the total: a small group's respondents could be worked out from the other's."""
    by_indicator: dict[str, list[dict]] = {}
    for r in survey["rows"]:
        by_indicator.setdefault(r["indicator"], []).append(r)
    for rows in by_indicator.values():
        groups = [r for r in rows if r["sex_id"] in ("women", "men")]
        if groups and all(r["respondents_raw"] is not None for r in groups):
            for r, value in zip(groups, _suppressed([r["respondents_raw"] for r in groups], m)):
                if isinstance(value, str):
                    r["respondents"] = value
                    if value != SECONDARY:
                        r["value"] = r["comparison"] = r["difference"] = value
                        r["value_raw"] = r["comparison_raw"] = None


def _plain_summary(c: dict) -> list[str]:
    n = c["numbers"]
    year = c["year"]
    when = f"i år till och med {_until(c)}" if c["period"] == "interim" else f"under {year}"
    text = [f"{c['organisation']} följer upp att de som ger vård och omsorg på kommunens uppdrag – både kommunens egna "
            "verksamheter och privata och idéburna utförare – håller den kvalitet som avtalen och lagen kräver."]
    if not n["reviews"]:
        return text + [f"Inga granskningar är gjorda {when}."]
    text.append(f"{when.capitalize()} granskade vi {swedish.plural(n['reviewed_providers'], 'utförare', 'utförare')} av "
                f"{n['active_providers']}. Vi fann {swedish.plural(n['deficiencies'], 'brist', 'brister')} och "
                f"{swedish.plural(n['serious'], 'allvarlig brist', 'allvarliga brister')}. En utförare med brister ska "
                "lämna en plan för hur de rättas och visa att de är rättade; vi följer upp att det blir gjort.")
    return text


def _drop_raw(version: dict) -> None:
    """The counts about individuals behind the suppressed cells: only the internal version keeps them."""
    for row in version["ownership"]["rows"]:
        row.pop("raw", None)
    for row in version["survey"]["rows"]:
        row.pop("respondents_raw", None)


# ---------------------------------------------------------------------------------------------- provider


def _calls_for_action(finding: dict) -> bool:
    """Not yet corrected, and more than an observation that asks for no action plan: by the row's ids and dates,
    never by its status wording."""
    return not finding["resolved"] and (bool(finding["action_plan_due"]) or finding["severity_id"] != "observation")


def provider_version(context: dict, provider_id: str) -> dict:
    """One provider's year, from the context's rows; the municipality's figures are totals over every provider."""
    d = context["detail"]
    me = next(p for p in d["providers"] if p["provider_id"] == provider_id)
    m, year = context["min_count"], context["year"]
    interim = context["period"] == "interim"
    assessments = {r["review_id"]: r["assessment"] for a in context["service_areas"]["areas"] for r in a["rows"]}
    reviews = [{**r, "assessment": assessments.get(r["review_id"], "–")} for r in d["reviews"] if r["provider_id"] == provider_id]
    findings = [f for f in d["findings"] if f["provider_id"] == provider_id]
    actions = [f for f in findings if _calls_for_action(f)]
    when = f"till och med {_until(context)}" if interim else str(year)
    severity = Counter(f["severity_id"] for f in findings)
    summary = [f"{me['name']} granskades inte {when}." if not reviews and not findings else
               f"{swedish.plural(len(reviews), 'granskning', 'granskningar')} av {me['name']} {when}, med "
               f"{swedish.plural(severity['observation'], 'iakttagelse', 'iakttagelser')}, "
               f"{swedish.plural(severity['deficiency'], 'brist', 'brister')} och "
               f"{swedish.plural(severity['serious'], 'allvarlig brist', 'allvarliga brister')}.",
               f"{swedish.plural(len(actions), 'brist väntar', 'brister väntar')} på åtgärd." if actions else "Inga brister väntar på åtgärd."]
    by_area = Counter((f["review_area"], f["severity_id"]) for f in findings)
    areas = sorted({f["review_area"] for f in findings})
    kinds_now = Counter(e["kind_id"] for e in d["events"] if e["provider_id"] == provider_id)
    kinds_before = Counter({r["kind_id"]: r["count"] for r in d["events_previous"] if r["provider_id"] == provider_id})
    kind_label = {e["kind_id"]: e["kind"] for e in d["events"]} | {r["id"]: r["kind"] for r in context["events"]["by_kind"]}
    order = list(labels("events", "kind"))  # the schema's order, as in the board's table
    by_kind = [{"id": k, "kind": kind_label.get(k, k), "previous": kinds_before[k], "current": kinds_now[k],
                "change": swedish.signed(kinds_now[k] - kinds_before[k])}
               for k in sorted(set(kinds_now) | set(kinds_before), key=lambda k: (order.index(k) if k in order else len(order), k))]
    return {
        "schema_version": context["schema_version"], "audience": "provider", "period": context["period"],
        "as_of": context["as_of"], "kind": context["kind"], "organisation": context["organisation"], "year": year,
        "date": context["date"], "board": context["board"], "diarienummer": context["diarienummer"],
        "signatory": context["signatory"], "min_count": m, "suppressed_mark": context["suppressed_mark"],
        "provider": me, "provider_ids": [provider_id],
        "title": f"Uppföljning av {me['name']} {year}" + (f" – delår till och med {_until(context)}" if interim else ""),
        "summary": summary,
        "reviews": {"empty": "" if reviews else f"Inga granskningar av {me['name']} {when}.", "rows": reviews},
        "findings": {"empty": "" if findings else "Inga iakttagelser eller brister.", "rows": findings,
                     "review_areas": [{"area": a, **{s: by_area[(a, s)] for s in ("observation", "deficiency", "serious")}}
                                      for a in areas]},
        "actions": {"empty": "" if actions else "Inga brister väntar på åtgärd.", "rows": actions},
        "survey": _provider_survey(context, d["survey"], provider_id, m),
        "events": {"empty": "" if by_kind else f"Inga händelser är registrerade om utföraren {when} eller samma period året innan.",
                   "by_kind": by_kind},
    }


def _provider_survey(context: dict, rows: list[dict], provider_id: str, m: int) -> dict:
    """The provider's result per indicator against the municipality's (the board version's weighted result)."""
    municipality = {(r["indicator"], r["sex_id"]): r for r in context["survey"]["rows"]}
    mine = [r for r in rows if r["provider_id"] == provider_id]
    out = []
    for r in mine:
        whole = municipality.get((r["indicator"], r["sex_id"]))
        if whole is None:
            continue
        few = r["responses"] is not None and r["responses"] < m
        value = None if few or r["value_raw"] is None else r["value_raw"]
        out.append({"indicator": r["indicator"], "sex": whole["sex"], "sex_id": r["sex_id"],
                    "value": hidden(m) if value is None else swedish.sv(value, 0), "comparison": whole["value"],
                    "difference": "–" if value is None or whole["value_raw"] is None else swedish.signed(round(value - whole["value_raw"])),
                    "respondents": hidden(m) if few else (swedish.thousands(r["responses"]) if r["responses"] is not None else "–"),
                    "value_raw": value, "comparison_raw": whole["value_raw"]})
    if not out:
        return {"empty": f"Ingen brukarundersökning om utföraren för {context['year']}.", "rows": [], "note": "",
                "legend": ["Utföraren", "Kommunen"]}
    note = f"* Färre än {m} svar: resultatet visas inte." if any(r["value_raw"] is None for r in out) else ""
    return {"empty": "", "rows": out, "note": note, "legend": ["Utföraren", "Kommunen"]}


def _until(context: dict) -> str:
    import datetime as dt

    return swedish.swedish_date(dt.date.fromisoformat(context["as_of"]))


