"""The plan as a tjänsteskrivelse for the board: one context of plain Swedish text, three templates (docx, md, html).

`plan_context` is pure: it turns the Plan into strings, lists and dicts that a
template only has to place, so users can edit the templates without knowing
the code. Three audiences: the board's version is published with the agenda,
so a visit shows its quarter, not its month (unless plan.show_months_to_board);
the internal working copy shows months; the public version is built from
`public_summary` and the config's general texts alone, so no provider, month
or small count can reach it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from followup_cli import swedish
from followup_cli.plan.build import Plan, PlanItem
from followup_cli.plan.config import method_labels, review_type_labels
from followup_cli.plan.equal_treatment import equal_treatment
from followup_cli.plan.public import hidden_text, public_summary
from followup_cli.publish.template_check import template_kind
from followup_cli.swedish import (
    MONTHS_SV,
    plural,
    swedish_date,
    swedish_list,
)

TEMPLATES = {"docx": "plan.docx", "md": "plan.md.j2", "html": "plan.html.j2"}
NO_AREA = "Okänt verksamhetsområde"


def render_plan(plan: Plan, fmt: str, audience: str, out: Path | None, min_count: int, date: dt.date,
                own_templates: Path | None = None) -> str | None:
    """md and html: the text. docx: written to `out` (atomically), and None.

    A template in `own_templates` (the workspace's templates/ folder) is used instead of the shipped one
    of the same name, so a municipality's edited template survives a reinstall."""
    from followup_cli.publish.render import render_text, template_dirs, write_docx

    context = plan_context(plan, audience, min_count, date)
    folders = template_dirs(own_templates)
    if fmt == "docx":
        write_docx(context, TEMPLATES["docx"], out, folders, title=context["title"], author=context["organisation"])
        return None
    return render_text(context, TEMPLATES[fmt], fmt, folders)


# --- the context ----------------------------------------------------------------------------------------------------

def plan_context(plan: Plan, audience: str, min_count: int, date: dt.date) -> dict:
    """Everything the templates show, as text, for `audience` (board, internal or public)."""
    context = _general(plan, date)
    context["audience"] = audience
    if audience == "public":
        return _public(plan, context, min_count)
    return _internal(plan, context, months=audience == "internal" or plan.config.show_months_to_board)


@template_kind("plan", prefix="plan")
def plan_context_keys() -> dict:
    """Every value plan_context gives a template, for every audience, with one example element per list: what
    `followup check-template` checks a plan template against, and the list for users writing their own.
    Each value is ready Swedish text. (tests/test_check_template.py holds it to the real contexts.)"""
    text, texts = "text", ["text"]
    provider_row = {"provider_id": text, "name": text, "review_type": text, "method": text, "mandatory": "Ja/Nej",
                    "reasons": texts}
    label_count = [{"label": text, "count": text}]
    return {
        # every audience
        "public": "sant i den publika versionen", "audience": "board, internal eller public",
        "organisation": text, "year": "2026", "date": "datum i ord", "diarienummer": text, "board": text,
        "board_filter": "nämnden med --board, annars tomt", "title": text, "decision": text,
        "responsibility": texts, "background": texts, "signatory": text, "rules": texts, "summary": texts,
        "method_hours": [{"method": text, "hours": text}],
        "themes": [{"name": text, "service_areas": text, "method": text, "hours": text,
                    "months": "månader, för nämnden kvartal; inte i den publika", "planned": "antal; inte i den publika"}],
        "review_areas": [{"area": text, "providers": "antal; inte i den publika"}],
        "feedback": [{"source": text, "provider": text, "board": text, "internal": text, "public": text}],
        # the board's and the internal version
        "period": "Kvartal eller Månad",
        "areas": [{"name": text, "reviews": "antal", "providers": "antal", "hours": text, "text": text,
                   "rows": [{**provider_row, "ownership": text, "when": "kvartal eller månad", "hours": text}]}],
        "forms": {"rows": [{"review_type": text, "method": text, "count": text, "hours": text}],
                  "methods": [{"method": text, "count": text, "hours": text}], "total": text, "hours": text},
        "schedule": {"title": text, "header": "Kvartal eller Månad", "units": texts,
                     "rows": [{"label": text, "cells": texts, "total": text}], "totals": texts, "total": text},
        "capacity": [{"unit": text, "configured": text, "reserve": text, "available": text, "used": text, "left": text}],
        "shortfall": texts,
        "equal_treatment": {"methods": texts, "note": text,
                            "rows": [{"ownership": text, "providers": text, "followed_up": text,
                                      "followed_up_share": text, "methods": texts, "themes": text, "hours": text,
                                      "hours_per_provider": text}]},
        "not_selected": [{**provider_row, "service_area": text}],
        "excluded_mandatory": texts,
        # the public version
        "total": text, "total_text": text, "by_service_area": label_count, "by_method": label_count,
        "by_review_type": label_count, "by_quarter": label_count,
        "ownership": [{"ownership": text, "share_of_plan": text, "share_of_providers": text}],
    }


def _general(plan: Plan, date: dt.date) -> dict:
    """The header and the general texts: config and board decisions, nothing about single providers."""
    doc = plan.config.document
    board = plan.board or doc.get("board") or swedish_list(_register_boards(plan), "och") or "Nämnden"
    values = {"year": str(plan.year), "board": board}
    levels = {lv.id: lv.name for lv in plan.analysis.matrix.levels}
    methods = method_labels()
    by_method = defaultdict(list)
    for level_id, method_id in plan.config.methods.items():
        by_method[method_id].append(levels.get(level_id, level_id))
    return {
        "public": False,
        "organisation": plan.organisation,
        "year": plan.year,
        "date": swedish_date(date),
        "diarienummer": doc.get("diarienummer", ""),
        "board": board,
        "board_filter": plan.board or "",
        "title": _fill(doc.get("title") or "Uppföljningsplan {year}", values),
        "decision": _fill(doc.get("decision", ""), values),
        "responsibility": _paragraphs(doc.get("responsibility", "")),
        "background": _paragraphs(doc.get("background", "")),
        "signatory": doc.get("signatory", ""),
        "rules": [
            f"Varje aktiv utförare följs upp i någon form minst en gång vart {plan.config.rotation_years}:e år."
            if plan.config.rotation_years > 1 else "Varje aktiv utförare följs upp i någon form varje år.",
            "Metoden väljs efter risknivån i riskanalysen: " + "; ".join(
                f"{swedish_list(names, 'och')} – {methods[m].lower()}" for m, names in by_method.items()) + ". "
            f"En utförare som ska följas upp i år får minst {methods[plan.config.minimum_method].lower()}, aldrig bara "
            f"egenrapportering, och {methods[plan.config.serious_method].lower()} vid en öppen allvarlig brist, en försenad "
            "åtgärdsplan, en sanktion eller en allvarlig händelse de senaste månaderna.",
            f"{swedish.percent(plan.config.reserve_share)} av timmarna hålls i reserv för påkallade granskningar under året.",
            f"Ett slumpmässigt stickprov på {swedish.percent(plan.config.sample_share)} av utförarna med låg risk får en lätt "
            "uppföljning, för att fånga det som riskanalysen inte ser." if plan.config.sample_share > 0 else
            "Inget slumpmässigt stickprov dras i år.",
            "Egen regi, privata och idéburna utförare följs upp efter samma regler.",
        ],
        "method_hours": [{"method": methods[m], "hours": swedish.hours(h)} for m, h in plan.config.hours.items()],
        "themes": [{"name": t.name, "service_areas": swedish_list(list(t.service_areas), "och"),
                    "method": methods[t.method_id], "hours": swedish.hours(t.hours),
                    "months": swedish.month_span(t.months)} for t in plan.config.themes],
        "feedback": [dict(row) for row in plan.config.feedback],
    }


def _internal(plan: Plan, context: dict, months: bool) -> dict:
    """The board's and the internal version: every provider; with `months` each visit's month, else its quarter."""
    items = plan.items
    providers = {i.provider_id for i in items}
    mandatory = sum(i.mandatory for i in items)
    sample = sum(i.sample and not i.mandatory for i in items)
    hours = sum(i.hours for i in items)
    context.update({
        "summary": _summary(plan, len(items), len(providers), hours, mandatory, sample),
        "period": "Månad" if months else "Kvartal",
        "areas": _areas(items, months),
        "forms": _forms(items),
        "review_areas": [{"area": a["area"], "providers": a["providers"]} for a in plan.review_areas()],
        "schedule": _schedule(plan) if months else _quarters(plan),
        "capacity": _capacity(plan),
        "shortfall": _shortfall(plan),
        "equal_treatment": _equal_treatment(plan),
        "not_selected": _not_selected(plan),
        "excluded_mandatory": [f"{n.provider_id} {n.name} ({n.review_type.lower()}): {n.reasons[0]}"
                               for n in plan.not_selected if n.mandatory and n.excluded],
    })
    for theme, setting in zip(context["themes"], plan.config.themes):
        theme["planned"] = sum(1 for i in items if i.theme == theme["name"])
        if not months:
            theme["months"] = quarter_span(setting.months)
    return context


def _public(plan: Plan, context: dict, min_count: int) -> dict:
    """Only public_summary's counts (small ones already hidden) and the general texts; no months, no providers."""
    summary = public_summary(plan, min_count)
    total = summary["total"]
    text = [f"Förvaltningen har tagit fram ett förslag till uppföljningsplan för {plan.year}. Planen omfattar "
            f"{_reviews(total)} av utförare inom socialtjänsten, fördelade på verksamhetsområden, former "
            "och kvartal enligt tabellerna nedan."]
    if plan.board:
        text.append(f"Planen gäller de utförare som hör till {plan.board}.")
    text.append("Den här versionen är avsedd för allmänheten: den visar bara antal, inte vilka utförare som granskas "
                f"eller när. Antal under {min_count} visas som ”{hidden_text(min_count)}”, och där ett sådant annars "
                "skulle kunna räknas fram ur summan döljs ett antal till (”visas inte”).")

    def rows(key: str) -> list[dict]:
        return [{"label": r["label"], "count": swedish.count(r["count"])} for r in summary[key]]

    context.update({
        "public": True,
        "summary": text,
        "total": swedish.count(total),
        "total_text": _reviews(total),
        "by_service_area": rows("by_service_area"),
        "by_method": rows("by_method"),
        "by_review_type": rows("by_review_type"),
        "by_quarter": rows("by_quarter"),
        "review_areas": [{"area": a} for a in summary["review_areas"]],
        "ownership": [{"ownership": o["ownership"], "share_of_plan": swedish.percent(o["share_of_plan"]),
                       "share_of_providers": swedish.percent(o["share_of_providers"])} for o in summary["ownership"]],
    })
    for theme in context["themes"]:
        del theme["months"]
    return context


def _summary(plan: Plan, reviews: int, providers: int, hours: float, mandatory: int, sample: int) -> list[str]:
    chosen = reviews - mandatory - sample
    others = ([f"{chosen} {'är vald' if chosen == 1 else 'är valda'} efter riskanalysen per {swedish_date(plan.as_of)}"]
              if chosen else []) + ([f"{sample} ingår i det slumpmässiga stickprovet"] if sample else [])
    text = [f"Förvaltningen har tagit fram ett förslag till uppföljningsplan för {plan.year}. Planen omfattar "
            f"{_reviews(reviews)} hos {providers} utförare, sammanlagt {swedish.hours_text(hours)}.",
            f"{mandatory} av granskningarna ({swedish.percent(mandatory / reviews if reviews else 0)}) "
            f"{'är obligatorisk' if mandatory == 1 else 'är obligatoriska'} enligt planens "
            "regler: utförare som inte följts upp under rotationsperioden, uppföljning av tidigare brister, avtal som löper ut, "
            "nya utförare och särskilt riktade uppföljningar." + (f" {swedish_list(others, 'och')}." if others else "")]
    if plan.board:
        text.append(f"Planen gäller de utförare som hör till {plan.board}. Urvalet har gjorts för alla nämnder tillsammans, "
                    "eftersom de uppföljande enheternas timmar delas.")
    if plan.shortfall:
        text.append("Kapaciteten räcker inte för alla obligatoriska uppföljningar; se avsnittet Kapacitet.")
    excluded = sum(1 for n in plan.not_selected if n.mandatory and n.excluded)
    if excluded:
        text.append(f"{plural(excluded, 'obligatorisk uppföljning', 'obligatoriska uppföljningar')} "
                    "har exkluderats genom beslut och ingår inte; se avsnittet Utförare som inte ingår i planen.")
    return text


def _areas(items: list[PlanItem], months: bool) -> list[dict]:
    """One section per service area, its providers in ID order; each visit's month, or with `months` false its quarter."""
    grouped: dict[str, list[PlanItem]] = defaultdict(list)
    for i in items:
        grouped[i.service_area or NO_AREA].append(i)
    return [{"name": area,
             "reviews": len(rows),
             "providers": len({i.provider_id for i in rows}),
             "hours": swedish.hours(sum(i.hours for i in rows)),
             "text": f"{_reviews(len(rows))} hos {len({i.provider_id for i in rows})} utförare, {swedish.hours_text(sum(i.hours for i in rows))}.",
             "rows": [{"provider_id": i.provider_id, "name": i.name, "ownership": i.ownership or "",
                        "review_type": i.review_type, "method": "" if i.method == i.review_type else i.method,
                        "when": MONTHS_SV[i.month - 1].capitalize() if months else _quarter(i.month).capitalize(),
                        "hours": swedish.hours(i.hours), "mandatory": "Ja" if i.mandatory else "Nej",
                        "reasons": list(i.reasons if months else i.reasons_but_the_month)}
                       for i in sorted(rows, key=lambda i: (i.provider_id, i.month, i.review_type_id))]}
            for area, rows in sorted(grouped.items(), key=lambda kv: swedish.swedish_key(kv[0]))]


def _forms(items: list[PlanItem]) -> dict:
    """Reviews per type and method, and the hours they take."""
    methods, types = list(method_labels().values()), list(review_type_labels().values())
    count, hours = Counter(), Counter()
    for i in items:
        count[i.review_type, i.method] += 1
        hours[i.review_type, i.method] += i.hours
    return {
        "rows": [{"review_type": t, "method": m, "count": count[t, m], "hours": swedish.hours(hours[t, m])}
                 for t in types for m in methods if count[t, m]],
        "methods": [{"method": m, "count": sum(count[t, m] for t in types), "hours": swedish.hours(sum(hours[t, m] for t in types))}
                    for m in methods if any(count[t, m] for t in types)],
        "total": len(items),
        "hours": swedish.hours(sum(i.hours for i in items)),
    }


def _schedule(plan: Plan) -> dict:
    """Month × unit: reviews and hours, so each unit sees its year."""
    units = [c.unit for c in plan.capacity if any(i.unit == c.unit for i in plan.items)]
    count, hours = Counter(), Counter()
    for i in plan.items:
        count[i.month, i.unit] += 1
        hours[i.month, i.unit] += i.hours

    def cell(n: int, h: float) -> str:
        return f"{n} ({swedish.hours(h)} h)" if n else "–"

    rows = []
    for month in range(1, 13):
        blocked = month in plan.config.blocked_months
        rows.append({"label": MONTHS_SV[month - 1].capitalize() + (" (ingen planering)" if blocked else ""),
                     "cells": [cell(count[month, u], hours[month, u]) for u in units],
                     "total": cell(sum(count[month, u] for u in units), sum(hours[month, u] for u in units))})
    totals = [cell(sum(count[m, u] for m in range(1, 13)), sum(hours[m, u] for m in range(1, 13))) for u in units]
    return {"title": "Granskningar per månad och uppföljande enhet, timmar inom parentes.", "header": "Månad",
            "units": units, "rows": rows, "totals": totals, "total": cell(len(plan.items), sum(i.hours for i in plan.items))}


def _quarters(plan: Plan) -> dict:
    """The board's schedule: quarter × unit, so no unannounced visit's month reaches the agenda."""
    months = _schedule(plan)
    units = months["units"]
    count, hours = Counter(), Counter()
    for i in plan.items:
        count[_quarter(i.month), i.unit] += 1
        hours[_quarter(i.month), i.unit] += i.hours

    def cell(n: int, h: float) -> str:
        return f"{n} ({swedish.hours(h)} h)" if n else "–"

    quarters = [_quarter(m) for m in (1, 4, 7, 10)]
    rows = [{"label": q.capitalize(), "cells": [cell(count[q, u], hours[q, u]) for u in units],
             "total": cell(sum(count[q, u] for u in units), sum(hours[q, u] for u in units))} for q in quarters]
    return {**months, "rows": rows, "header": "Kvartal",
            "title": "Granskningar per kvartal och uppföljande enhet, timmar inom parentes. Besöken är oanmälda, "
                     "därför visas kvartalet och inte månaden."}


def _equal_treatment(plan: Plan) -> dict:
    """The table that shows whether every regiform is followed up alike: providers, followed up, methods, hours."""
    rows = equal_treatment(plan)
    methods = list(rows[0].by_method) if rows else []
    return {
        "methods": methods,
        "rows": [{"ownership": r.ownership, "providers": swedish.count(r.providers), "followed_up": swedish.count(r.followed_up),
                  "followed_up_share": swedish.percent(r.followed_up_share),
                  "methods": [swedish.count(r.by_method[m]) for m in methods], "themes": swedish.count(r.themes),
                  "hours": swedish.hours(r.hours), "hours_per_provider": swedish.hours(r.hours_per_followed_up)}
                 for r in rows],
        "note": "Uppföljda är utförare med minst en granskning i planen; ett tema räknas inte som uppföljning och står "
                "i en egen kolumn. Timmarna är granskningarnas, utan teman.",
    }


def _capacity(plan: Plan) -> list[dict]:
    return [{"unit": c.unit, "configured": swedish.hours(c.configured), "reserve": swedish.hours(c.reserve),
             "available": swedish.hours(c.available), "used": swedish.hours(c.used), "left": swedish.hours(c.available - c.used)}
            for c in plan.capacity]


def _shortfall(plan: Plan) -> list[str]:
    names = {n.provider_id: n.name for n in plan.not_selected}
    return [f"{s.unit} saknar {swedish.hours(s.hours_short)} timmar för obligatoriska uppföljningar hos {len(s.provider_ids)} utförare: "
            + swedish_list([f"{pid} {names.get(pid, '')}".strip() for pid in s.provider_ids], "och") + "."
            for s in plan.shortfall]


def _not_selected(plan: Plan) -> list[dict]:
    """Mandatory ones first (excluded or without room), then the rest by service area."""
    def status(n) -> str:
        if not n.mandatory:
            return "Nej"
        return "Ja – exkluderad" if n.excluded else "Ja – ryms inte"

    planned = {i.provider_id for i in plan.items}
    rows = sorted(plan.not_selected, key=lambda n: (not n.mandatory, swedish.swedish_key(n.service_area or NO_AREA), n.provider_id))
    return [{"provider_id": n.provider_id, "name": n.name, "service_area": n.service_area or NO_AREA,
             "review_type": n.review_type, "method": n.method, "mandatory": status(n),
             "reasons": (["utföraren ingår i planen med en annan granskning"] if n.provider_id in planned else []) + list(n.reasons)}
            for n in rows]


# --- Swedish formatting ---------------------------------------------------------------------------------------------

def _register_boards(plan: Plan) -> list[str]:
    return sorted({p.board for p in plan.analysis.providers if p.board}, key=swedish.swedish_key)


def _quarter(month: int) -> str:
    return f"kvartal {(month - 1) // 3 + 1}"


def quarter_span(months: tuple[int, ...]) -> str:
    """(3, 4, 5) → 'kvartal 1–2'; (4, 5) → 'kvartal 2'; (2, 11) → 'kvartal 1 och 4'."""
    quarters = sorted({(m - 1) // 3 + 1 for m in months})
    if len(quarters) > 1 and quarters == list(range(quarters[0], quarters[-1] + 1)):
        return f"kvartal {quarters[0]}–{quarters[-1]}"
    return "kvartal " + swedish_list([str(q) for q in quarters], "och")


def _reviews(n: int | str) -> str:
    """'1 granskning', '12 granskningar', 'färre än 5 granskningar'."""
    return f"{n} granskningar" if isinstance(n, str) else f"{swedish.count(n)} {'granskning' if n == 1 else 'granskningar'}"


def _fill(text: str, values: dict[str, str]) -> str:
    """{year} and {board} filled in; other braces in the user's text are left alone."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


