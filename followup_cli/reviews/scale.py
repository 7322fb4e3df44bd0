"""Assessment scales and the action ladder: reviews/defaults.yaml with followup.yaml's `assessment:` merged in.

A scale is an ordered list of levels, best first; each level says which answers and severities land on it,
what the provider must do, by when, and what happens if it does not. Rules compare ids (answer, severity,
sanction and contract-form ids from schemas/), never labels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from followup_cli.schemas import checklist_schemas, register_schemas
from followup_cli.settings import load_defaults, merge, validated
from followup_cli.text import fold

DEFAULTS = Path(__file__).with_name("defaults.yaml")


def correct_by(days: int | None, approved, due, received):
    """The day a finding is to be corrected by: its level's `days` after the action plan was approved, else after
    it was due, else after it came in; None when the level sets no days or none of the days is known. The action
    list and the reports date a finding by it alike."""
    start = next((day for day in (approved, due, received) if day is not None), None)
    return start + dt.timedelta(days=days) if start is not None and days is not None else None


SEVERITY_RANK = {"observation": 1, "deficiency": 2, "serious": 3}  # for a scale whose levels name no severities
# A Brist and an Allvarlig brist are corrected by a deadline and stay open until they are. An Iakttagelse asks for
# no action and is looked at again at the next review: it never stays open from one review to the next, so no later
# finding repeats it (ingest's Återkommande) and no review report lists it among the earlier findings still open.
CORRECTED = frozenset({"deficiency", "serious"})


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    rank: int  # 0 = best
    answers: frozenset[str]
    severities: frozenset[str]
    action: str
    plan_days: int | None
    correct_days: int | None
    escalation: str
    board: bool


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    levels: tuple[Level, ...]

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def by_label(self, text: object) -> Level | None:
        """The level a reviewer wrote by label or id, matched as every value is (case, spaces, accents)."""
        key = fold(text)
        return next((lv for lv in self.levels if key in (fold(lv.label), fold(lv.id))), None)

    def finding_level(self, severity: str, recurring: bool = False) -> Level:
        """A registered finding's level: by severity where the levels name severities (one step up when it repeats
        an earlier finding), else by the severity's rank (Iakttagelse the first level below the best, Allvarlig brist
        the last). followup actions, the review report and the annual report all grade a finding by it."""
        if any(severity in lv.severities for lv in self.levels):
            return self.grade(None, severity, recurring)
        rank = SEVERITY_RANK.get(severity, 1) + (1 if recurring else 0)
        return self.levels[min(rank, len(self.levels) - 1)]

    def grade(self, answer: str | None, severity: str | None, recurring: bool = False) -> Level:
        """The level of one answer: the highest whose answers hold the answer or whose severities hold the severity;
        one step higher when the finding repeats an earlier one still open. An unanswered question is the best level."""
        matched = [lv for lv in self.levels if (answer in lv.answers) or (severity is not None and severity in lv.severities)]
        level = max(matched, key=lambda lv: lv.rank) if matched else self.levels[0]
        if recurring and level.rank > 0:
            level = self.levels[min(level.rank + 1, len(self.levels) - 1)]
        return level

    def worst(self, levels) -> Level:
        levels = list(levels)
        return max(levels, key=lambda lv: lv.rank) if levels else self.levels[0]


@dataclass(frozen=True)
class Ladder:
    """The steps after the scale, by contract form: contract sanctions for LOV, LOU, entreprenad and ramavtal;
    escalation to management and board for an uppdragsbeskrivning or an IOP."""

    contract_steps: tuple[str, ...]  # sanction ids, mildest first
    mandate_steps: tuple[str, ...]  # escalation ids
    contract_forms: frozenset[str]
    mandate_forms: frozenset[str]
    missing: str  # 'contract' or 'mandate'
    board_step: str  # the first contract step the board decides on: where a level that goes to the board starts
    labels: dict[str, str]  # step id → Swedish label (sanction labels from the schema, escalation labels from settings)
    approval_days: int
    due_soon_days: int

    def steps_for(self, contract_form: str | None) -> tuple[str, ...]:
        if contract_form in self.contract_forms:
            return self.contract_steps
        if contract_form in self.mandate_forms:
            return self.mandate_steps
        return self.contract_steps if self.missing == "contract" else self.mandate_steps

    def remedies(self, contract_form: str | None) -> bool:
        """Whether the contract's sanctions apply to a provider of this contract form (else escalation)."""
        return self.steps_for(contract_form) == self.contract_steps

    def for_board(self, step: str) -> bool:
        """Whether the board decides the step: the contract steps from board_step up, the last escalation step."""
        if step in self.contract_steps:
            return self.contract_steps.index(step) >= self.contract_steps.index(self.board_step)
        return step == self.mandate_steps[-1]

    def is_sanction(self, step: str) -> bool:
        return step in self.contract_steps


@dataclass(frozen=True)
class Assessment:
    scales: dict[str, Scale]
    default_scale: str
    service_areas: dict[str, str]  # folded service-area name → scale id
    ladder: Ladder

    def scale_for(self, service_area: str | None) -> Scale:
        return self.scales[self.service_areas.get(fold(service_area or ""), self.default_scale)]

    def level_by_label(self, text: object) -> tuple[Scale, Level] | None:
        """The scale and level a label names, in any scale (the default scale first)."""
        for scale in sorted(self.scales.values(), key=lambda s: s.id != self.default_scale):
            level = scale.by_label(text)
            if level is not None:
                return scale, level
        return None


def load_assessment(section: dict | None, source: str = "followup.yaml") -> Assessment:
    """The shipped scales and ladder with the user's `assessment:` section merged in, checked; a wrong key or a
    name no vocabulary holds is one sentence naming it (exit 3)."""
    from followup_cli.reviews.settings import AssessmentSettings

    data = merge(load_defaults(DEFAULTS), section or {})
    settings = validated(AssessmentSettings, data, "assessment", source)
    questions = checklist_schemas()[1]
    answer, severity = questions.field("answer"), questions.field("severity")
    findings = register_schemas()["findings"]
    contract_form = register_schemas()["providers"].field("contract_form")
    sanction = findings.field("sanction")
    scales = {}
    for scale_id, raw in settings.scales.items():
        levels = []
        for rank, lv in enumerate(raw.levels):
            key = f"assessment.scales.{scale_id}.levels[{rank}]"
            levels.append(Level(
                id=lv.id, label=lv.label, rank=rank,
                answers=frozenset(answer.setting_id(a, f"{key}.answers", source, "Frågor") for a in lv.answers),
                severities=frozenset(severity.setting_id(s, f"{key}.severities", source, "Frågor") for s in lv.severities),
                action=lv.action, plan_days=lv.plan_days, correct_days=lv.correct_days, escalation=lv.escalation,
                board=lv.board))
        scales[scale_id] = Scale(scale_id, raw.name, tuple(levels))
    ladder = settings.ladder
    contract_steps = tuple(sanction.setting_id(s, "assessment.ladder.contract.steps", source, "Brister")
                           for s in ladder.contract.steps)
    labels = {s: sanction.label(s) for s in contract_steps}
    board_step = sanction.setting_id(ladder.board_step, "assessment.ladder.board_step", source, "Brister")
    if board_step not in contract_steps:
        from followup_cli.errors import InputError

        raise InputError(f"{source}: assessment.ladder.board_step är '{ladder.board_step}', som inte står bland "
                         "assessment.ladder.contract.steps. Välj ett av stegen där.")
    for step in ladder.mandate.steps:
        if step not in ladder.step_labels:
            from followup_cli.errors import InputError

            raise InputError(f"{source}: assessment.ladder.mandate.steps nämner '{step}', som saknar text under "
                             f"assessment.ladder.step_labels. Lägg till {step}: och vad steget heter.")
        labels[step] = ladder.step_labels[step]

    def forms(values, key):
        return frozenset(contract_form.setting_id(v, key, source, "Utförare") for v in values)

    return Assessment(
        scales=scales,
        default_scale=settings.default_scale,
        service_areas={fold(area): scale for area, scale in settings.service_areas.items()},
        ladder=Ladder(contract_steps, tuple(ladder.mandate.steps),
                      forms(ladder.contract.contract_forms, "assessment.ladder.contract.contract_forms"),
                      forms(ladder.mandate.contract_forms, "assessment.ladder.mandate.contract_forms"),
                      ladder.missing_contract_form, board_step, labels, ladder.approval_days, ladder.due_soon_days),
    )
