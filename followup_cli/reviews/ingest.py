"""Completed checklists into reviews and findings: the rows of the consolidated workbook and what changed.

Pure: checklists (read without errors), the register's tables and the workbook written last time in; rows
and a change summary out. Each review is graded on its service area's scale (reviews/grading.py); each Nej and
Delvis becomes a finding with the checklist's severity, the level's deadline for the action plan (review date
+ plan_days), the review, requirement and question it comes from.

A finding's Brist-ID is stable: the register's own finding for the same review and requirement when there is
one (linked, not duplicated), else the id it got last time for the same review and question, else one made
from both (B-2026-014-F03 for review G-2026-014, question F03). What people record after the review (MANUAL)
is taken from the earlier workbook and never overwritten. A finding on a requirement where an earlier review
of the same provider left a finding still open is recurring: Återkommande holds the earlier Brist-ID, and the
grade goes one step up (reviews/scale.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from followup_cli.problem_codes import problem
from followup_cli.reviews.grading import grade_checklist
from followup_cli.reviews.scale import CORRECTED, Assessment
from followup_cli.schemas import checklist_schemas

MANUAL = ("action_plan_received", "action_plan_approved", "resolved", "sanction", "reported_to")
REVIEW_FIELDS = ("review_id", "provider_id", "date", "review_type", "method", "reviewer", "result", "assessment")
FINDING_FIELDS = ("finding_id", "provider_id", "review_id", "question_id", "requirement_id", "review_area", "severity",
                  "description", "action_plan_due", *MANUAL, "recurring_of")
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True)
class ReviewChange:
    review_id: str
    provider_id: str
    file: str  # the checklist, relative to the folder read
    status: str  # new, changed or unchanged against the earlier workbook
    assessment: str  # the review's grade (label on its scale)
    findings: tuple[str, ...]  # Brist-ID of each finding, in question order
    linked: tuple[str, ...]  # those that are the register's own findings
    recurring: tuple[tuple[str, str], ...]  # (finding, the earlier open finding it repeats)
    areas: tuple[dict, ...] = ()  # per review area: review_area (id), assessment, computed (labels), reason
    severities: tuple[str | None, ...] = ()  # each finding's Allvarlighet (id), as `findings`

    def to_dict(self) -> dict:
        return {"review_id": self.review_id, "provider_id": self.provider_id, "file": self.file, "status": self.status,
                "assessment": self.assessment, "findings": list(self.findings), "linked": list(self.linked),
                "recurring": [{"finding_id": a, "recurring_of": b} for a, b in self.recurring],
                "areas": [dict(a) for a in self.areas]}


@dataclass
class Ingested:
    reviews: list[dict]  # every row of the workbook's Granskningar (field name → id, date or text), by review id
    findings: list[dict]  # every row of Brister, by review id and then question order
    changes: list[ReviewChange] = field(default_factory=list)  # one per checklist ingested, by review id
    dropped: list[dict] = field(default_factory=list)  # earlier findings no longer in their checklist, with entries people made


@dataclass(frozen=True)
class Source:
    """One checklist to ingest and the name to show for it."""

    checklist: object  # register.checklist.Checklist
    name: str


def _by_review(findings: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for f in findings:
        grouped.setdefault(f["review_id"], []).append(f)
    return grouped


def ingest(sources: list[Source], assessment: Assessment, *, providers=None, register_reviews=None,
           register_findings=None, earlier_reviews=None, earlier_findings=None) -> Ingested:
    """The workbook's rows after ingesting `sources` (DataFrames as the register reader types them; None when
    a sheet is absent). Reviews in the earlier workbook that no checklist names are kept as they were."""
    checklists = sorted(sources, key=lambda s: (_date(s.checklist.header.get("date")) or dt.date.min,
                                                str(s.checklist.header.get("review_id"))))
    ingested_ids = {str(s.checklist.header.get("review_id")) for s in checklists}
    old_reviews = {r["review_id"]: r for r in rows(earlier_reviews, REVIEW_FIELDS)}
    old_findings = rows(earlier_findings, FINDING_FIELDS)
    old_by_id = {f["finding_id"]: f for f in old_findings}
    old_by_question = {(f["review_id"], f["question_id"]): f["finding_id"] for f in old_findings if f["question_id"]}
    own_reviews = {r["review_id"]: r for r in rows(register_reviews, REVIEW_FIELDS)}
    own_findings = rows(register_findings, FINDING_FIELDS)
    own_by_review, old_by_review = _by_review(own_findings), _by_review(old_findings)  # once, not per checklist
    area_of = service_areas(providers)
    dates = {rid: r["date"] for rid, r in {**old_reviews, **own_reviews}.items()}
    dates.update({str(s.checklist.header["review_id"]): _date(s.checklist.header.get("date")) for s in checklists})
    pool = _finding_pool(own_findings, [f for f in old_findings if f["review_id"] not in ingested_ids])

    result = Ingested(reviews=[r for rid, r in old_reviews.items() if rid not in ingested_ids],
                      findings=[f for f in old_findings if f["review_id"] not in ingested_ids])
    for source in checklists:
        header = source.checklist.header
        review_id, provider_id, day = str(header["review_id"]), str(header["provider_id"]), _date(header.get("date"))
        scale = assessment.scale_for(area_of.get(provider_id))
        graded = grade_checklist(source.checklist, scale, _open_findings(pool, provider_id, review_id, day, dates))
        own_links = {}
        for f in own_by_review.get(review_id, []):
            if f["requirement_id"]:
                own_links.setdefault(f["requirement_id"], []).append(f["finding_id"])
        findings, linked, recurring = [], [], []
        for answer in sorted(graded.answers, key=lambda a: a.row or 0):
            if not answer.is_finding:
                continue
            candidates = own_links.get(answer.requirement_id)
            linked_id = candidates.pop(0) if candidates else None
            finding_id = linked_id or old_by_question.get((review_id, answer.question_id)) or finding_id_for(review_id, answer.question_id)
            days = answer.level.plan_days
            row = {"finding_id": finding_id, "provider_id": provider_id, "review_id": review_id,
                   "question_id": answer.question_id, "requirement_id": answer.requirement_id,
                   "review_area": answer.review_area, "severity": answer.severity, "description": answer.observation,
                   "action_plan_due": day + dt.timedelta(days=days) if day is not None and days is not None else None,
                   "action_plan_received": None, "action_plan_approved": None, "resolved": None, "sanction": "none",
                   "reported_to": None, "recurring_of": answer.recurring_of}
            earlier = old_by_id.get(finding_id)
            if earlier is not None:
                row.update({k: earlier[k] for k in MANUAL})
            findings.append(row)
            if linked_id:
                linked.append(finding_id)
            if answer.recurring_of:
                recurring.append((finding_id, answer.recurring_of))
        review = {"review_id": review_id, "provider_id": provider_id, "date": day,
                  "review_type": header.get("review_type") or own_reviews.get(review_id, {}).get("review_type"),
                  "method": _value(header.get("method")), "reviewer": _value(header.get("reviewer")),
                  "result": result_of(findings), "assessment": graded.level.label}
        before = old_by_review.get(review_id, [])
        now = {f["finding_id"] for f in findings}
        result.dropped += [f for f in before if f["finding_id"] not in now and _recorded(f)]
        status = NEW if review_id not in old_reviews else UNCHANGED if (old_reviews[review_id], before) == (review, findings) else CHANGED
        result.reviews.append(review)
        result.findings += findings
        areas = tuple({"review_area": a.review_area, "assessment": a.level.label, "computed": a.computed.label,
                       "reason": a.reason} for a in graded.areas)
        result.changes.append(ReviewChange(review_id, provider_id, source.name, status, graded.level.label,
                                           tuple(f["finding_id"] for f in findings), tuple(linked), tuple(recurring), areas,
                                           tuple(f["severity"] for f in findings)))
        for f in findings:
            pool.setdefault(provider_id, {})[f["finding_id"]] = f
    order = {rid: i for i, rid in enumerate(sorted({r["review_id"] for r in result.reviews}))}
    result.reviews.sort(key=lambda r: order[r["review_id"]])
    result.findings.sort(key=lambda f: order.get(f["review_id"], len(order)))  # stable: question order within a review
    result.changes.sort(key=lambda c: c.review_id)
    return result


def override_problems(checklist, scale) -> list:
    """The reviewers' own grade (Samlad bedömning in the header, Bedömning per area) must be a level on the
    review's scale and carry its reason; grade_checklist would otherwise ignore it or keep it unexplained."""
    levels = ", ".join(lv.label for lv in scale.levels)
    header_schema = checklist_schemas()[0]
    name, header = checklist.path.name, checklist.header
    problems = []
    own = _value(header.get("assessment"))
    if own is not None:
        title = header_schema.field("assessment").title
        level = scale.by_label(own)
        if level is None:
            problems.append(problem("unknown-level", name, header_schema.title, header=title, value=str(own), text=own,
                                    scale=scale.name or scale.id, levels=levels))
        elif _value(header.get("assessment_reason")) is None:
            reason = header_schema.field("assessment_reason").title
            problems.append(problem("override-without-reason", name, header_schema.title, header=reason, level=level.label,
                                    where=f"raden {reason} under {title}"))
    areas = checklist.areas
    if areas is not None:
        for i, (own, reason) in enumerate(zip(areas.data["assessment"], areas.data["reason"])):
            own = _value(own)
            if own is None:
                continue
            level = scale.by_label(own)
            if level is None:
                problems.append(areas.problem(i, "assessment", "unknown-level", text=own, scale=scale.name or scale.id,
                                              levels=levels))
            elif _value(reason) is None:
                problems.append(areas.problem(i, "reason", "override-without-reason", value=None, level=level.label,
                                              where=f"kolumnen {areas.schema.field('reason').title}"))
    return problems


def _recorded(finding: dict) -> bool:
    """Someone has entered something after the review: a date, a sanction other than Ingen, a report."""
    return any(finding[k] is not None and not (k == "sanction" and finding[k] == "none") for k in MANUAL)


def finding_id_for(review_id: str, question_id: str) -> str:
    """A new finding's id from its review and question: stable however the answers around it change."""
    review = review_id[2:] if review_id.upper().startswith("G-") else review_id
    return f"B-{review}-{question_id}"


def result_of(findings: list[dict]) -> str:
    """Granskningar's Resultat from the findings: an Iakttagelse alone is still 'Inga brister', as in the register."""
    severities = {f["severity"] for f in findings}
    return "serious_deficiencies" if "serious" in severities else "deficiencies" if "deficiency" in severities else "no_deficiencies"


def _finding_pool(own: list[dict], earlier: list[dict]) -> dict[str, dict[str, dict]]:
    """Provider → finding id → finding, the register's and the earlier workbook's; the register's row wins, with
    a resolved date recorded only in the workbook taken from there."""
    pool: dict[str, dict[str, dict]] = {}
    for f in earlier:
        pool.setdefault(f["provider_id"], {})[f["finding_id"]] = f
    for f in own:
        known = pool.setdefault(f["provider_id"], {})
        resolved = f["resolved"] or (known.get(f["finding_id"]) or {}).get("resolved")
        known[f["finding_id"]] = {**f, "resolved": resolved}
    return pool


def _open_findings(pool, provider_id: str, review_id: str, day: dt.date | None, dates: dict) -> dict[str, str]:
    """Requirement → the latest finding (a Brist or an Allvarlig brist, scale.CORRECTED) of an earlier review of this
    provider still open on `day`."""
    if day is None:
        return {}
    latest: dict[str, tuple] = {}
    for f in pool.get(provider_id, {}).values():
        when = dates.get(f["review_id"])
        if f["review_id"] == review_id or not f["requirement_id"] or when is None or when >= day:
            continue
        if f["severity"] not in CORRECTED:
            continue
        if f["resolved"] is not None and f["resolved"] <= day:
            continue
        key = (when, f["finding_id"])
        if f["requirement_id"] not in latest or key > latest[f["requirement_id"]]:
            latest[f["requirement_id"]] = key
    return {req: key[1] for req, key in latest.items()}


def service_areas(providers) -> dict[str, str]:
    """Utförar-ID → Verksamhetsområde, for the scale each provider's reviews are graded on."""
    if providers is None:
        return {}
    return {str(p): a for p, a in zip(providers["provider_id"], providers["service_area"]) if isinstance(a, str)}


def rows(data, fields) -> list[dict]:
    """A typed table's rows as plain dicts: dates as dates, every kind of missing cell as None, lists as tuples."""
    if data is None:
        return []
    columns = [data[f].tolist() if f in data.columns else [None] * len(data) for f in fields]
    return [{f: _plain(v) for f, v in zip(fields, values)} for values in zip(*columns)]


def _plain(value):
    if isinstance(value, (list, tuple)):
        return tuple(value) or None
    value = _value(value)
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _value(value):
    """None for every kind of missing cell (None, NaN, NaT, pd.NA, blank text)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value != value:
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def _date(value) -> dt.date | None:
    return _plain(value)
