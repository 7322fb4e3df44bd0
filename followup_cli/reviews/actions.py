"""What needs doing about findings on a given day (`followup actions`): action plans due soon, overdue, received but
not approved, findings not corrected in time, and serious findings nobody has taken a position on reporting.

Pure: a Register (the register's Brister and Granskningar, or the consolidated reviews workbook read the same way)
and the assessment settings in, a list of items out. Each open finding gets at most one state, the most pressing:

- overdue: Åtgärdsplan senast has passed and no plan has come in;
- uncorrected: the correction deadline has passed and Åtgärdad is empty. The deadline is the scale level's
  correct_days after the plan was approved, or after it was due while it is not approved;
- not_approved: a plan has come in but is not approved (the administration should decide within approval_days);
- due_soon: the plan is due within due_soon_days.

Åtgärdsplan senast is the plan's deadline as registered (checklist ingest sets it from the scale); without it no
plan was asked for. Dates after `as_of` count as not yet there, so an earlier day can be looked at. Each item carries the next step on
the ladder (reviews/ladder.py) and the day it becomes due. The tool suggests and explains; the board decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.reviews.ladder import Step, next_step
from followup_cli.reviews.scale import Assessment, Level
from followup_cli.reviews.scale import correct_by as correction_day
from followup_cli.risk.results import Cell
from followup_cli.schemas import register_schemas
from followup_cli.swedish import plural

if TYPE_CHECKING:
    from followup_cli.register.table import Register

KINDS = ("overdue", "uncorrected", "not_approved", "due_soon")  # most pressing first
KIND_LABELS = {"overdue": "Åtgärdsplan försenad", "uncorrected": "Inte åtgärdad i tid",
               "not_approved": "Åtgärdsplan ej godkänd", "due_soon": "Åtgärdsplan snart", None: "Anmälan"}
REPORT_FLAG = "ta ställning till anmälan till IVO/polis"
BOARD_DECIDES = "Verktyget föreslår och förklarar; nämnden beslutar."


@dataclass(frozen=True)
class ActionItem:
    finding_id: str
    provider_id: str
    provider_name: str | None
    reviewing_unit: str | None
    contract_form: str | None  # id
    contract_remedies: bool  # the contract ladder (sanctions) applies, not the mandate ladder (escalation)
    service_area: str | None
    review_id: str | None
    review_date: dt.date | None
    review_area: str | None  # label
    severity: str  # id
    description: str | None
    description_cell: Cell | None
    scale: str
    level: Level
    kind: str | None  # one of KINDS; None when the item is only the report flag
    plan_due: dt.date | None
    plan_received: dt.date | None
    plan_approved: dt.date | None
    approve_by: dt.date | None
    correct_by: dt.date | None
    sanction: str | None  # decided on this finding (id), 'none' counts as none
    step: Step
    step_due: dt.date | None  # the day the step becomes due (past: due already)
    reason: str  # why the item is listed, in Swedish
    report_needed: bool  # serious, and Anmäld till is empty

    @property
    def overdue(self) -> bool:
        return self.kind in ("overdue", "uncorrected")

    @property
    def plan_overdue(self) -> bool:
        """No plan yet and its day has passed: what a reminder letter is about."""
        return self.kind == "overdue"


@dataclass
class Actions:
    as_of: dt.date
    items: list[ActionItem]
    notes: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> list[ActionItem]:
        return [i for i in self.items if i.overdue]

    def groups(self) -> list[tuple[tuple[str, str | None, str | None], list[ActionItem]]]:
        """Items per (provider id, name, reviewing unit), in the items' order (unit, provider)."""
        grouped: dict[tuple, list[ActionItem]] = {}
        for item in self.items:
            grouped.setdefault((item.provider_id, item.provider_name, item.reviewing_unit), []).append(item)
        return list(grouped.items())

    def counts(self) -> dict[str, int]:
        return {**{k: sum(i.kind == k for i in self.items) for k in KINDS},
                "report_needed": sum(i.report_needed for i in self.items)}


def find_actions(register: Register, assessment: Assessment, as_of: dt.date) -> Actions:
    """Every open finding known on `as_of` that needs an action, per reviewing unit and provider."""
    findings = register.tables.get("findings")
    if findings is None or findings.data.empty:
        return Actions(as_of, [], ["Bladet Brister saknas eller är tomt: inga brister att följa upp."])
    providers = register.data("providers").set_index("provider_id")
    reviews = register.data("reviews")
    review_dates = (dict(zip(reviews["review_id"], reviews["date"].map(_date))) if reviews is not None else {})
    inactive = set(providers.index[providers["active"].eq(False).fillna(False).to_numpy(dtype=bool)])
    data = findings.data
    cases = _decided(data, as_of)
    items, left_out = [], []
    for i, row in enumerate(data.itertuples(index=False)):
        if _known(row.resolved, as_of) is not None:
            continue
        review_date = review_dates.get(row.review_id) if isinstance(row.review_id, str) else None
        if review_date is not None and review_date > as_of:
            continue  # not yet known on the day asked about
        provider = providers.loc[row.provider_id] if row.provider_id in providers.index else None
        item = _item(row, i, findings, provider, review_date, assessment, as_of, cases.get(row.provider_id, {}))
        if item is not None and row.provider_id in inactive:  # the contract or the unit has ended: no step to take
            left_out.append(row.finding_id)
        elif item is not None:
            items.append(item)
    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda it: (it.reviewing_unit or "\uffff", it.provider_id, order.get(it.kind, len(KINDS)),
                               it.step_due or dt.date.max, it.finding_id))
    missing = sorted({it.provider_id for it in items if it.reviewing_unit is None})
    notes = [f"Uppföljande enhet saknas för {', '.join(missing)}: fyll i den på bladet Utförare."] if missing else []
    if left_out:
        notes.append(f"Öppna brister hos utförare som inte är aktiva (Aktiv = Nej) tas inte med: {', '.join(left_out)}; "
                     "fyll i Åtgärdad om de är avslutade.")
    return Actions(as_of, items, notes)


def _item(row, i: int, table, provider, review_date, assessment: Assessment, as_of: dt.date, case: dict) -> ActionItem | None:
    schemas = register_schemas()
    labels = schemas["findings"]
    service_area = _text(provider["service_area"]) if provider is not None else None
    contract_form = _text(provider["contract_form"]) if provider is not None else None
    scale = assessment.scale_for(service_area)
    recurring = isinstance(row.recurring_of, str) and bool(row.recurring_of.strip())
    level = scale.finding_level(row.severity, recurring)
    plan_due = _date(row.action_plan_due)
    received, approved = _known(row.action_plan_received, as_of), _known(row.action_plan_approved, as_of)
    correct_by = correction_day(level.correct_days, approved, plan_due, received)
    approve_by = received + dt.timedelta(days=assessment.ladder.approval_days) if received and not approved else None
    kind, why, step_due = _state(plan_due, received, approved, approve_by, correct_by, as_of, assessment.ladder.due_soon_days)
    reported = row.reported_to if isinstance(row.reported_to, tuple) else ()
    report_needed = row.severity == "serious" and not reported
    if kind is None and not report_needed:
        return None
    sanction = row.sanction if isinstance(row.sanction, str) and row.sanction != "none" else None
    decided = _strongest(assessment, [*case.items(), *([(row.finding_id, sanction)] if sanction else [])], row.finding_id)
    form_label = schemas["providers"].field("contract_form").label(contract_form) if contract_form else None
    step = next_step(assessment.ladder, contract_form, form_label, level, decided, recurring)
    if report_needed:
        why = f"{why} Allvarlig brist: {REPORT_FLAG} (ingen anteckning i Anmäld till).".lstrip()
    reason = f"{why} Bedömning {level.label}" + (f": {level.escalation}" if level.escalation else ".")
    description = _text(row.description)
    return ActionItem(
        finding_id=row.finding_id, provider_id=row.provider_id,
        provider_name=_text(provider["name"]) if provider is not None else None,
        reviewing_unit=_text(provider["reviewing_unit"]) if provider is not None else None,
        contract_form=contract_form,
        contract_remedies=assessment.ladder.remedies(contract_form),
        service_area=service_area, review_id=_text(row.review_id), review_date=review_date,
        review_area=labels.field("review_area").label(row.review_area) if isinstance(row.review_area, str) else None,
        severity=row.severity, description=description,
        description_cell=_cell(table, i, "description") if description else None,
        scale=scale.id, level=level, kind=kind, plan_due=plan_due, plan_received=received, plan_approved=approved,
        approve_by=approve_by, correct_by=correct_by, sanction=sanction, step=step, step_due=step_due,
        reason=reason, report_needed=report_needed)


def _state(plan_due, received, approved, approve_by, correct_by, as_of: dt.date, soon: int):
    """(kind, the reason in Swedish, the day the ladder's step becomes due) — kind None when nothing is due."""
    day = dt.timedelta(days=1)
    if plan_due and not received and as_of > plan_due:
        late = (as_of - plan_due).days
        text = f"Åtgärdsplanen skulle ha kommit in senast {plan_due} och saknas ({plural(late, 'dag', 'dagar')} sedan)."
        if correct_by and as_of > correct_by:
            text += f" Bristen skulle också ha varit rättad senast {correct_by}."
        return "overdue", text, plan_due + day
    if correct_by and as_of > correct_by:
        after = "att åtgärdsplanen godkändes" if approved else "att åtgärdsplanen skulle ha kommit in"
        return ("uncorrected", f"Bristen skulle ha varit rättad senast {correct_by} (räknat från {after}) och är inte "
                f"åtgärdad ({plural((as_of - correct_by).days, 'dag', 'dagar')} sedan).", correct_by + day)
    if received and not approved:
        text = f"Åtgärdsplanen kom in {received} men är inte godkänd; förvaltningen bör ta ställning senast {approve_by}."
        if approve_by < as_of:
            text = text.replace("bör ta ställning", "borde ha tagit ställning")
        return "not_approved", text, correct_by + day if correct_by else None
    if plan_due and not received and (plan_due - as_of).days <= soon:
        left = (plan_due - as_of).days
        when = "i dag" if left == 0 else f"om {plural(left, 'dag', 'dagar')}"
        return "due_soon", f"Åtgärdsplanen ska komma in senast {plan_due} ({when}).", plan_due + day
    return None, "", correct_by + day if correct_by else None


def _decided(data, as_of: dt.date) -> dict[str, dict[str, str]]:
    """Provider id → {finding id: sanction id} for the sanctions decided on its open findings: the case a new
    step is taken in."""
    decided: dict[str, dict[str, str]] = {}
    for row in data.itertuples(index=False):
        if isinstance(row.sanction, str) and row.sanction != "none" and _known(row.resolved, as_of) is None:
            decided.setdefault(row.provider_id, {})[row.finding_id] = row.sanction
    return decided


def _strongest(assessment: Assessment, decided: list[tuple[str, str]], own: str) -> tuple[str, str] | None:
    """The strongest sanction decided (id, finding id), mildest-first order as on the contract ladder; the finding's
    own sanction wins a tie."""
    steps = assessment.ladder.contract_steps
    known = [(s, f) for f, s in decided if s in steps]
    if not known:
        return None
    return max(known, key=lambda sf: (steps.index(sf[0]), sf[1] == own))


def _cell(table, i: int, field_name: str) -> Cell:
    return Cell(*table.place(i, field_name))


def _date(value) -> dt.date | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _known(value, as_of: dt.date) -> dt.date | None:
    """A date that has happened by `as_of`; a later one is not yet known on that day."""
    day = _date(value)
    return day if day is not None and day <= as_of else None


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
