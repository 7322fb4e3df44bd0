"""The report of one review to the provider, as ready Swedish text: what was reviewed and how, the assessment per
review area on the scale, what must be done by when, what is still open from before, and the events of the period.

Pure: the register's tables (and the review's checklist, when there is one) in, a context of strings, lists and
dicts out, so the templates only place values and users can edit them. Alongside goes every free text the
report carries with the cell it came from: what a provider reads is scanned for personal numbers before writing.
Events are only counted by kind; their descriptions are about individuals and never reach the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from followup_cli.errors import InputError
from followup_cli.register.table import Register, Table
from followup_cli.reviews.grading import GradedReview, grade_checklist
from followup_cli.reviews.scale import CORRECTED, Assessment, Level, Scale
from followup_cli.risk.results import Cell
from followup_cli.schemas import checklist_schemas, register_schemas
from followup_cli.swedish import findings_count, plural, swedish_date, swedish_list

EVENT_MONTHS = 12  # the period whose events the report counts: the twelve months up to the review
NO_AREA = "Utan granskningsområde"
NO_PLAN = "Krävs inte"  # the deadline column of a finding that asks for no action plan (an observation)


@dataclass(frozen=True)
class ReviewReport:
    context: dict  # what the templates place, all text
    texts: list[tuple[str, Cell]]  # every free text in the context and the cell it came from
    title: str
    organisation: str


def review_ids(register: Register) -> list[str]:
    reviews = register.data("reviews")
    return [] if reviews is None else [str(v) for v in reviews["review_id"].dropna()]


def review_report(review_id: str, register: Register, assessment: Assessment, organisation: str,
                  checklist=None) -> ReviewReport:
    """The report of `review_id` (which the register's Granskningar holds). With `checklist` (one read without
    errors) the areas are graded from its answers; without, from the review's Brister rows and its Bedömning."""
    review = _review(register, review_id, checklist)
    provider_id = str(review["provider_id"])
    providers = register.data("providers")
    provider = providers[providers["provider_id"] == provider_id].iloc[0]
    day = pd.Timestamp(review["date"]).date()
    scale = assessment.scale_for(_text(provider["service_area"]))
    texts: list[tuple[str, Cell]] = []
    earlier = _earlier_open(register, provider_id, review_id, day, texts)
    own = _own_findings(register, review_id, scale, texts)
    if checklist is not None:
        open_by_requirement = {r["requirement_id"]: r["finding_id"] for r in earlier if r["requirement_id"]}
        graded = grade_checklist(checklist, scale, open_by_requirement)
        areas, area_headers = _checklist_areas(graded, checklist, texts), QUESTION_HEADERS
        level, reason = graded.level, _text(graded.reason)
        summary = _header_text(checklist, "summary", graded.summary, texts)
        strengths = _paragraphs(_header_text(checklist, "strengths", graded.strengths, texts))
        if reason:
            _header_text(checklist, "assessment_reason", reason, texts)
        actions = _actions(own, day) + _new_actions(graded, own, day)
        basis = (f"Granskningen utgick från ett granskningsprotokoll med {plural(len(graded.answers), 'fråga', 'frågor')} "
                 f"inom {plural(len(graded.areas), 'granskningsområde', 'granskningsområden')}.")
    else:
        areas, area_headers = _finding_areas(own), FINDING_HEADERS
        level, reason = None, None
        summary, strengths = None, []
        actions = _actions(own, day)
        basis = "Resultatet bygger på granskningens registrerade bedömning och de brister som registrerats för den."
    overall = _overall(review, level, own, scale, assessment)
    reviews_schema = register_schemas()["reviews"]
    review_type = reviews_schema.field("review_type").label(review["review_type"]) if _text(review["review_type"]) else ""
    method = reviews_schema.field("method").label(review["method"]) if _text(review["method"]) else ""
    reviewers = _text(review["reviewer"]) or ""
    unit = _text(provider["reviewing_unit"]) or ""
    name = str(provider["name"])
    facts = [
        {"label": "Utförar-ID", "value": provider_id},
        {"label": "Organisationsnummer", "value": _text(provider["org_number"]) or "–"},
        {"label": "Verksamhetsområde", "value": _text(provider["service_area"]) or "–"},
        {"label": "Gransknings-ID", "value": review_id},
        {"label": "Granskningsdag", "value": swedish_date(day)},
        {"label": "Typ av granskning", "value": review_type or "–"},
        {"label": "Metod", "value": method or "–"},
        {"label": "Granskare", "value": reviewers or "–"},
        {"label": "Uppföljande enhet", "value": unit or "–"},
    ]
    result = reviews_schema.field("result").label(review["result"]) if _text(review["result"]) else None
    if result:
        facts.append({"label": "Resultat", "value": result})
    if overall["label"] != result:
        facts.append({"label": "Samlad bedömning", "value": overall["label"]})
    events = _events(register, provider_id, day)
    title = f"Granskning av {name}"
    context = {
        "organisation": organisation,
        "title": title,
        "review_id": review_id,
        "date": swedish_date(day),
        "provider": {"id": provider_id, "name": name},
        "review_type": review_type,
        "method": method,
        "reviewers": reviewers,
        "unit": unit,
        "facts": facts,
        "background": _background(organisation, name, provider_id, review_id, review_type, method, day, reviewers, unit, basis),
        "method_text": _method_text(scale, checklist is not None),
        "scale": [{"label": lv.label, "action": lv.action or "–"} for lv in scale.levels],
        "assessment": overall["label"],
        "assessment_reason": reason or "",
        "summary": [*_paragraphs(summary), *_summary(overall, actions, earlier, name)],
        "area_headers": area_headers,
        "areas": areas,
        "strengths": strengths,
        "actions": actions,
        "actions_text": _actions_text(actions),
        "earlier": [{k: v for k, v in r.items() if k != "requirement_id"} for r in earlier],
        "events": events,
    }
    return ReviewReport(context, texts, title, organisation)


def _review(register: Register, review_id: str, checklist) -> dict:
    """The review's row in Granskningar; a review not yet there (its checklist not yet ingested) from the checklist's
    header, whose provider must be in the register."""
    reviews = register.data("reviews")
    found = reviews[reviews["review_id"] == review_id] if reviews is not None else None
    if found is not None and len(found):
        return found.iloc[0].to_dict()
    header = checklist.header
    providers = register.data("providers")
    if header.get("provider_id") not in set(providers["provider_id"]):
        raise InputError(f"Granskningsprotokollet {checklist.path.name} gäller utföraren {header.get('provider_id')}, som inte "
                         "finns på bladet Utförare. Rätta Utförar-ID i protokollet eller lägg till utföraren och kör igen.",
                         file=checklist.path.name)
    return {"review_id": review_id, "result": None, "assessment": None,
            **{k: header.get(k) for k in ("provider_id", "date", "review_type", "method", "reviewer")}}


QUESTION_HEADERS = {"topic": "Fråga", "answer": "Svar", "text": "Iakttagelse"}
FINDING_HEADERS = {"topic": "Brist", "answer": "Allvarlighet", "text": "Krav"}


# --- the areas ------------------------------------------------------------------------------------------------------

def _checklist_areas(graded: GradedReview, checklist, texts: list) -> list[dict]:
    _, questions = checklist_schemas()
    area_field, answer_field = questions.field("review_area"), questions.field("answer")
    table = checklist.questions
    areas = []
    for area in graded.areas:
        rows = []
        for a in area.answers:
            observation = _text(a.observation) or ""
            if observation and table is not None:
                texts.append((observation, Cell(table.file, table.sheet, a.row, table.letters.get("observation"),
                                                 table.headers.get("observation") or "Iakttagelse")))
            rows.append({"topic": a.question, "answer": answer_field.label(a.answer) if a.answer else "Obesvarad",
                         "text": observation})
        reason = _text(area.reason) or ""
        if reason and checklist.areas is not None:
            _area_reason_cell(checklist.areas, area.review_area, reason, texts)
        areas.append({"name": area_field.label(area.review_area), "assessment": area.level.label, "reason": reason,
                      "rows": rows})
    return areas


def _area_reason_cell(table: Table, area: str, reason: str, texts: list) -> None:
    for i, value in enumerate(table.data["review_area"]):
        if value == area:
            texts.append((reason, _cell(table, i, "reason")))


def _finding_areas(own: list[dict]) -> list[dict]:
    """Without a checklist: the review's Brister rows grouped by review area, each area at its worst finding's level,
    each with the requirement it does not meet."""
    order = {value: i for i, value in enumerate(register_schemas()["findings"].field("review_area").enum_ids)}
    grouped: dict[str | None, list[dict]] = {}
    for f in own:
        grouped.setdefault(f["area"], []).append(f)
    areas = []
    for area in sorted(grouped, key=lambda a: order.get(a, len(order))):
        found = grouped[area]
        worst = max(found, key=lambda f: f["level"].rank if f["level"] else 0)
        areas.append({"name": found[0]["area_label"] or NO_AREA, "assessment": worst["level_label"], "reason": "",
                      "rows": [{"topic": f["description"], "answer": f["severity"], "text": f["requirement"]} for f in found]})
    return areas


# --- findings -------------------------------------------------------------------------------------------------------

def _own_findings(register: Register, review_id: str, scale: Scale, texts: list) -> list[dict]:
    """The review's Brister rows, each with the level its severity lands on; their descriptions go to `texts`."""
    table = register.tables.get("findings")
    if table is None:
        return []
    schema = register_schemas()["findings"]
    requirements = register.data("requirements")
    wording = {} if requirements is None else dict(zip(requirements["requirement_id"], requirements["requirement"]))
    out = []
    for i, row in enumerate(table.data.itertuples(index=False)):
        if _text(row.review_id) != review_id:
            continue
        description = _text(row.description) or ""
        if description:
            texts.append((description, _cell(table, i, "description")))
        level = scale.finding_level(row.severity, bool(_text(row.recurring_of))) if _text(row.severity) else None
        area = _text(row.review_area)
        out.append({"finding_id": str(row.finding_id), "area": area,
                    "area_label": schema.field("review_area").label(area) if area else "",
                    "severity": schema.field("severity").label(row.severity), "severity_id": row.severity, "level": level,
                    "level_label": level.label if level else schema.field("severity").label(row.severity),
                    "description": description or "–", "due": row.action_plan_due,
                    "requirement_id": _text(row.requirement_id), "question_id": _text(row.question_id),
                    "requirement": " ".join(t for t in (_text(row.requirement_id), _text(wording.get(row.requirement_id))) if t)})
    return sorted(out, key=lambda f: f["finding_id"])


def _actions(own: list[dict], day: dt.date) -> list[dict]:
    """The review's Brister rows as required actions: the registered deadline for the action plan, else the scale's."""
    return [{"finding_id": f["finding_id"], "area": f["area_label"], "description": f["description"],
             "severity": f["severity"], "severity_id": f["severity_id"], "action": f["level"].action if f["level"] and f["level"].action else "–",
             "due": _deadline(f["due"], f["level"], day)} for f in own]


def _new_actions(graded: GradedReview, own: list[dict], day: dt.date) -> list[dict]:
    """Nej and Delvis in the checklist that the register does not yet hold as Brister (not yet ingested):
    their actions with the scale's deadline, so the provider learns of them with the report."""
    held_questions = {f["question_id"] for f in own} - {None}
    held_requirements = {f["requirement_id"] for f in own} - {None}
    severity = register_schemas()["findings"].field("severity")
    area_field = checklist_schemas()[1].field("review_area")
    out = []
    for a in graded.answers:
        if not a.is_finding or a.question_id in held_questions or (a.requirement_id and a.requirement_id in held_requirements):
            continue
        out.append({"finding_id": a.question_id, "area": area_field.label(a.review_area) if a.review_area else "",
                    "description": _text(a.observation) or a.question, "severity": severity.label(a.severity) if a.severity else "–",
                    "severity_id": a.severity,
                    "action": a.level.action or "–", "due": _deadline(None, a.level, day)})
    return out


def _deadline(due, level: Level | None, day: dt.date) -> str:
    """The registered date for the action plan, else the scale's days after the review, else none is asked for."""
    if due is not None and not pd.isna(due):
        return swedish_date(due)
    if level is not None and level.plan_days is not None:
        return swedish_date(day + dt.timedelta(days=level.plan_days))
    return NO_PLAN


def _earlier_open(register: Register, provider_id: str, review_id: str, day: dt.date, texts: list) -> list[dict]:
    """Findings of the provider from reviews before this one's day, not resolved by it, as ingest finds the findings
    a new one repeats: only Brist and Allvarlig brist (scale.CORRECTED), as an observation is looked at again at the
    next review. Oldest first, so the latest on a requirement is the one a repeated finding refers to."""
    table, reviews = register.tables.get("findings"), register.data("reviews")
    if table is None or reviews is None:  # without Granskningar no finding has a date to be earlier by
        return []
    data = table.data
    dates = dict(zip(reviews["review_id"], reviews["date"]))
    schema = register_schemas()["findings"]
    out, when = [], []
    for i, row in enumerate(data.itertuples(index=False)):
        earlier_review = _text(row.review_id)
        if row.provider_id != provider_id or earlier_review in (None, review_id) or row.severity not in CORRECTED:
            continue
        found = dates.get(earlier_review)
        if found is None or pd.isna(found) or found.date() >= day:
            continue
        if not pd.isna(row.resolved) and row.resolved.date() <= day:
            continue
        description = _text(row.description) or ""
        if description:
            texts.append((description, _cell(table, i, "description")))
        out.append({"finding_id": str(row.finding_id), "review_id": str(row.review_id),
                    "review_date": swedish_date(found.date()),
                    "area": schema.field("review_area").label(row.review_area) if _text(row.review_area) else "",
                    "description": description or "–", "severity": schema.field("severity").label(row.severity),
                    "status": _status(row), "requirement_id": _text(row.requirement_id)})
        when.append(found)
    return [r for _, r in sorted(zip(when, out), key=lambda pair: (pair[0], pair[1]["finding_id"]))]


def _status(row) -> str:
    if not pd.isna(row.action_plan_approved):
        return f"Åtgärdsplan godkänd {swedish_date(row.action_plan_approved)}; inte åtgärdad"
    if not pd.isna(row.action_plan_received):
        return f"Åtgärdsplan inkommen {swedish_date(row.action_plan_received)}; inte åtgärdad"
    if not pd.isna(row.action_plan_due):
        return f"Åtgärdsplan skulle ha kommit in senast {swedish_date(row.action_plan_due)}"
    return "Inte åtgärdad"


# --- overall, texts, events -----------------------------------------------------------------------------------------

def _overall(review, graded: Level | None, own: list[dict], scale: Scale, assessment: Assessment) -> dict:
    """The checklist's grade; else the Bedömning in Granskningar; else the worst finding's level; else the Resultat."""
    if graded is not None:
        return {"label": graded.label, "level": graded}
    written = _text(review.get("assessment"))
    if written:
        found = scale.by_label(written) or (assessment.level_by_label(written) or (None, None))[1]
        return {"label": found.label if found else written, "level": found}
    graded_findings = [f["level"] for f in own if f["level"] is not None]
    if graded_findings:
        worst = scale.worst(graded_findings)
        return {"label": worst.label, "level": worst}
    if review.get("result") == "no_deficiencies":
        return {"label": scale.levels[0].label, "level": scale.levels[0]}
    result = _text(review.get("result"))
    return {"label": register_schemas()["reviews"].field("result").label(result) if result else "Ingen bedömning registrerad",
            "level": None}


def _background(organisation, name, provider_id, review_id, review_type, method, day, reviewers, unit, basis) -> list[str]:
    how = f"{('en ' + review_type.lower()) if review_type else 'en granskning'}"
    by = swedish_list([t for t in (reviewers, unit) if t], "vid") if reviewers and unit else (reviewers or unit)
    return [
        f"{organisation} följer systematiskt upp de utförare som utför insatser inom socialtjänsten åt kommunen. "
        f"Den här rapporten redovisar resultatet av granskning {review_id} av {name} ({provider_id}).",
        f"Granskningen var {how}" + (f" och genomfördes som {method.lower()}" if method else "")
        + f" den {swedish_date(day)}" + (f" av {by}" if by else "") + ". " + basis,
    ]


def _method_text(scale: Scale, from_checklist: bool) -> list[str]:
    levels = swedish_list([lv.label for lv in scale.levels], "och")
    if from_checklist:
        return [f"Varje granskningsområde bedöms på skalan {levels}. Ett område får den nivå som dess allvarligaste "
                "iakttagelse motsvarar, och granskningen som helhet det sämsta områdets nivå. Granskarna kan sätta en annan "
                "nivå och motiverar det då. Nivåerna och vad de innebär:"]
    return [f"Kommunens bedömningsskala är {levels}. Varje granskningsområde med en brist får den nivå som dess "
            "allvarligaste brist motsvarar, en nivå högre när bristen upprepar en tidigare som ännu är öppen. "
            "Nivåerna och vad de innebär:"]


def _summary(overall: dict, actions: list[dict], earlier: list[dict], name: str) -> list[str]:
    level = overall["level"]
    action = level.action.strip() if level is not None else ""
    if action[1:2].islower():  # 'Ingen åtgärd.' continues the sentence; an acronym such as 'IVO …' keeps its case
        action = action[0].lower() + action[1:]
    text = [f"Den samlade bedömningen är {overall['label']}." + (f" Det innebär: {action}" if action else "")]
    with_plan = [a for a in actions if a["due"] != NO_PLAN]
    if actions:
        text.append(f"Granskningen ledde till {findings_count(a['severity_id'] for a in actions)}"
                    + (f"; {name} ska lämna en skriftlig åtgärdsplan för "
                       + (("den" if len(actions) == 1 else "var och en av dem") if len(with_plan) == len(actions)
                          else f"{len(with_plan)} av dem") if with_plan else "")
                    + ". Se Åtgärder som krävs.")
    else:
        text.append("Granskningen ledde inte till några krav på åtgärder.")
    if earlier:
        text.append("En brist från en tidigare granskning är ännu inte åtgärdad; den står under Brister kvar från tidigare "
                    "granskningar." if len(earlier) == 1 else f"{len(earlier)} brister från tidigare granskningar är ännu "
                    "inte åtgärdade; de står under Brister kvar från tidigare granskningar.")
    return text


def _actions_text(actions: list[dict]) -> str:
    if not actions:
        return "Granskningen kräver inga åtgärder."
    if all(a["due"] == NO_PLAN for a in actions):
        return ("Iakttagelserna kräver ingen skriftlig åtgärdsplan: de tas upp i dialog med utföraren och kontrolleras "
                "vid nästa uppföljning.")
    return ("Utföraren ska lämna en skriftlig åtgärdsplan senast det datum som anges för varje brist. Planen ska beskriva "
            "vad som görs, vem som ansvarar och när bristen är rättad."
            + (" Iakttagelser utan datum kräver ingen plan; de kontrolleras vid nästa uppföljning."
               if any(a["due"] == NO_PLAN for a in actions) else ""))


def _events(register: Register, provider_id: str, day: dt.date) -> dict:
    """Counts by kind of the provider's events in the twelve months up to the review day; never their texts."""
    start = (pd.Timestamp(day) - pd.DateOffset(months=EVENT_MONTHS)).date() + dt.timedelta(days=1)
    period = f"{swedish_date(start)} – {swedish_date(day)}"
    data = register.data("events")
    kinds = register_schemas()["events"].field("kind")
    counts: dict[str, int] = {}
    if data is not None and not data.empty:
        mine = data[(data["provider_id"] == provider_id) & (data["date"] >= pd.Timestamp(start)) & (data["date"] <= pd.Timestamp(day))]
        counts = mine["kind"].value_counts().to_dict()
    rows = [{"kind": kinds.label(k), "count": str(counts[k])} for k in kinds.enum_ids if counts.get(k)]
    total = sum(counts.values())
    text = (f"Under perioden {period} registrerade kommunen {plural(total, 'händelse', 'händelser')} om utföraren "
            "(klagomål, avvikelser, lex Sarah-rapporter och andra signaler). Här redovisas bara antal per slag."
            if total else f"Under perioden {period} registrerade kommunen inga händelser om utföraren.")
    return {"period": period, "rows": rows, "total": str(total), "text": text}


# --- small helpers --------------------------------------------------------------------------------------------------

def _header_text(checklist, field_name: str, value, texts: list) -> str | None:
    text = _text(value)
    if text:
        sheet, row, column = checklist.header_cells.get(field_name, (None, None, None))
        title = checklist_schemas()[0].field(field_name).title
        texts.append((text, Cell(checklist.path.name, sheet, row, column, title)))
    return text


def _cell(table: Table, i: int, field_name: str) -> Cell:
    return Cell(*table.place(i, field_name))


def _paragraphs(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in (text or "").replace("\r", "").split("\n\n") if p.strip()]


def _text(value) -> str | None:
    """The value as text, or None for every kind of missing cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None
