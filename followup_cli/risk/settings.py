"""The shape of the risk model's settings (risk/defaults.yaml and the `risk:` section of followup.yaml), strictly checked.

The tables whose keys the user chooses (event kinds, findings, sanctions,
indicators, service areas) are open maps; every other table has fixed keys.
The checks that need more than one key (the grid against the levels, rising
cut points, the normalisation limits) are model validators.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from followup_cli.settings_model import Count, Number, Positive, Share, Strict, refuse
from followup_cli.swedish import sv


class StepSetting(Strict):
    name: str
    description: str = ""


def _step(value):
    return {"name": value} if isinstance(value, str) else value


Step = Annotated[StepSetting, BeforeValidator(_step)]  # a plain name is a step without description


class LevelSetting(Strict):
    id: str | None = None
    name: str
    color: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="en färg som #FF0000")] = "#FFFFFF"
    description: str = ""


class MatrixSetting(Strict):
    name: str = "Riskmatris"
    likelihood: Annotated[list[Step], Field(min_length=2, description="en lista med minst två nivåer")]
    consequence: Annotated[list[Step], Field(min_length=2, description="en lista med minst två nivåer")]
    levels: Annotated[list[LevelSetting], Field(min_length=1, description="en lista med minst en risknivå")]
    grid: list[list[Count]]

    @model_validator(mode="after")
    def _grid_fits(self):
        rows, columns, levels = len(self.likelihood), len(self.consequence), len(self.levels)
        if len(self.grid) != rows or any(len(row) != columns or any(v >= levels for v in row) for row in self.grid):
            raise refuse(f"ska ha {rows} rader (sannolikhet) med {columns} tal (konsekvens), vart och ett ett index "
                         f"0–{levels - 1} i risk.matrix.levels", "grid")
        return self


def _rising(values: list[float]) -> list[float]:
    if any(a >= b for a, b in zip(values, values[1:])):
        raise refuse(f"ska vara stigande värden, ett per nivå efter den första (nu: {values})")
    return values


CutPoints = Annotated[list[Annotated[float, Field(allow_inf_nan=False)]], Field(min_length=1)]


class SurveySetting(Strict):
    margin: Number
    points_per_10: Number
    max_per_indicator: Number
    min_responses: Count
    areas: dict[str, str]  # indicator (part of its name) → review area


class SelfReportRule(Strict):
    indicator: str
    above: Number | None = None
    below: Number | None = None
    points: Number
    area: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_limit(cls, data):
        if isinstance(data, dict) and ("above" in data) == ("below" in data):
            raise refuse("ska ha antingen above eller below, t.ex. {indicator: Personalomsättning, above: 25, points: 1.5}")
        return data


class BillingSetting(Strict):
    threshold: Number
    points_per_10_percent: Number
    max_points: Number
    months: Count
    area: str


class ReviewAgeSetting(Strict):
    grace_months: Number = 0
    full_after_months: Positive
    max_points: Number

    @model_validator(mode="after")
    def _grace_before_full(self):
        if self.grace_months >= self.full_after_months:
            raise refuse(f"ska vara mindre än full_after_months ({self.full_after_months:g}), så att poängen hinner växa "
                         f"(nu: {self.grace_months:g})", "grace_months")
        return self


class MonthsPoints(Strict):
    months: Count
    points: Number


class SeriousFloorSetting(Strict):
    min_likelihood: Count
    months: Count
    event_kinds: list[str]
    min_severity: Number


class LikelihoodSetting(Strict):
    cut_points: CutPoints
    half_life_days: Positive
    lookback_days: Count
    events: dict[str, Number]
    severity_factor: dict[int, Number]
    normalise_by_clients: list[str]
    reference_clients: Positive
    normalisation_limits: Annotated[list[Positive], Field(min_length=2, max_length=2, description=(
        "två tal, lägst först och större än 0, t.ex. [0.25, 2.0]"))]
    open_findings: dict[str, Number]
    overdue_action_plan: Number
    sanctions: dict[str, Number]
    sanction_months: Count
    serious_floor: SeriousFloorSetting
    survey: SurveySetting
    self_report: list[SelfReportRule]
    billing: BillingSetting
    review_age: ReviewAgeSetting
    new_provider: MonthsPoints
    contract_ending: MonthsPoints

    _cuts_rise = field_validator("cut_points")(_rising)

    @field_validator("normalisation_limits")
    @classmethod
    def _lowest_first(cls, limits):
        if limits[0] > limits[1]:
            raise refuse(f"ska vara två tal, lägst först och större än 0, t.ex. [0.25, 2.0] (nu: {limits})")
        return limits


class WeightsSetting(Strict):
    vulnerability: Number
    clients: Number
    requirements: Number


class ConsequenceSetting(Strict):
    cut_points: CutPoints
    weights: WeightsSetting
    reference_clients: Positive
    default_vulnerability: Number
    vulnerability: dict[str, Number]  # service area → 1–4

    _cuts_rise = field_validator("cut_points")(_rising)


class UnknownSetting(Strict):
    min_evidence_kinds: Count
    never_reviewed: bool
    min_level: str


class ComplaintJump(Strict):
    days: Count
    min_count: Count
    factor: Number


class AlertsSetting(Strict):
    lex_sarah_severity: Number
    lex_maria_severity: Number
    ivo_decision: bool
    complaint_jump: ComplaintJump


def _shares(shares: dict[str, float]) -> dict[str, float]:
    if abs(sum(shares.values()) - 1) > 0.005:
        raise refuse(f"ska vara andelar per risknivå som tillsammans blir 1 (nu: {sv(sum(shares.values()), 3)})")
    return shares


class RiskSettings(Strict):
    matrix: MatrixSetting
    likelihood: LikelihoodSetting
    consequence: ConsequenceSetting
    unknown: UnknownSetting
    alerts: AlertsSetting
    max_top_share: Share
    target_shares: Annotated[dict[str, Share], AfterValidator(_shares)]  # level id (or name) → share
