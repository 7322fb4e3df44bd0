"""A completed checklist graded on its scale: each answer, each review area, the review as a whole.

The rule (stated in reviews/defaults.yaml and the README): an answer's level is the highest whose answers hold
the answer or whose severities hold its severity, one step higher when it repeats an open finding on the same
requirement; an area's level is its worst answer's; the review's is its worst area's. The reviewers may set
another level for an area (sheet Bedömning) or the whole review (header Samlad bedömning), with a reason: the
computed level is kept beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from followup_cli.reviews.scale import Level, Scale

NOT_ANSWERED = None


@dataclass(frozen=True)
class Answer:
    question_id: str
    review_area: str | None  # id
    question: str
    requirement_id: str | None
    answer: str | None  # id: yes, partly, no, not_applicable; None when unanswered
    observation: str | None
    severity: str | None  # id: observation, deficiency, serious
    action_required: bool
    level: Level
    recurring_of: str | None = None  # the open finding on the same requirement that this one repeats
    row: int | None = None  # the checklist row, for messages

    @property
    def is_finding(self) -> bool:
        """Nej and Delvis become findings; Ja, Ej aktuellt and an unanswered question do not."""
        return self.answer in ("no", "partly")


@dataclass(frozen=True)
class AreaGrade:
    review_area: str  # id
    level: Level  # what counts: the reviewers' own level if they set one, else the computed
    computed: Level
    reason: str | None  # the reviewers' reason when they set another level
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class GradedReview:
    review_id: str
    provider_id: str
    date: dt.date | None
    review_type: str | None
    method: str | None
    reviewer: str | None
    scale: Scale
    areas: tuple[AreaGrade, ...]  # in the checklist's order
    level: Level
    computed: Level
    reason: str | None
    strengths: str | None
    summary: str | None

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(a for area in self.areas for a in area.answers)


def grade_checklist(checklist, scale: Scale, open_findings: dict[str, str] | None = None) -> GradedReview:
    """The checklist graded on `scale`. `open_findings` maps a requirement id to the id of a finding still open
    from an earlier review of the same provider: an answer on that requirement is a repetition.

    The checklist is one that read without errors (register/checklist.py); unknown override labels are left to
    the checks (override_problems) and ignored here."""
    open_findings = open_findings or {}
    header = checklist.header
    answers: dict[str | None, list[Answer]] = {}
    if checklist.questions is not None:
        data, rows = checklist.questions.data, checklist.questions.rows
        for i, q in enumerate(data.itertuples(index=False)):
            answer, severity = _value(q.answer), _value(q.severity)
            requirement = _value(q.requirement_id)
            repeats = open_findings.get(requirement) if requirement and answer in ("no", "partly") else None
            answers.setdefault(_value(q.review_area), []).append(Answer(
                question_id=str(q.question_id), review_area=_value(q.review_area), question=str(_value(q.question) or ""),
                requirement_id=requirement, answer=answer, observation=_value(q.observation), severity=severity,
                action_required=bool(_value(q.action_required)), level=scale.grade(answer, severity, repeats is not None),
                recurring_of=repeats, row=int(rows[i])))
    overrides = _area_overrides(checklist, scale)
    areas = []
    for area, found in answers.items():
        if area is None:
            continue
        computed = scale.worst(a.level for a in found)
        own, reason = overrides.get(area, (None, None))
        areas.append(AreaGrade(area, own or computed, computed, reason if own else None, tuple(found)))
    computed = scale.worst(a.level for a in areas)
    own = scale.by_label(header.get("assessment")) if _value(header.get("assessment")) else None
    return GradedReview(
        review_id=str(header.get("review_id")), provider_id=str(header.get("provider_id")), date=_day(header.get("date")),
        review_type=_value(header.get("review_type")), method=_value(header.get("method")), reviewer=_value(header.get("reviewer")),
        scale=scale, areas=tuple(areas), level=own or computed, computed=computed,
        reason=_value(header.get("assessment_reason")) if own else None,
        strengths=_value(header.get("strengths")), summary=_value(header.get("summary")))


def _area_overrides(checklist, scale: Scale) -> dict[str, tuple[Level, str | None]]:
    if checklist.areas is None:
        return {}
    out = {}
    for row in checklist.areas.data.itertuples(index=False):
        level = scale.by_label(row.assessment) if _value(row.assessment) else None
        if level is not None and _value(row.review_area):
            out[row.review_area] = (level, _value(row.reason))
    return out


def _value(value):
    """None for every kind of missing cell (None, NaN, NaT, pd.NA, blank text)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _day(value) -> dt.date | None:
    value = _value(value)
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value
