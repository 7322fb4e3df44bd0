"""The shape of the plan's settings (plan/defaults.yaml and the `plan:` section of followup.yaml), strictly checked.

Method names and risk levels are checked in plan/config.py, where the
vocabulary and the risk matrix are known; everything that can be checked
from the settings alone is checked here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from followup_cli.settings_model import MAX_INT, DateText, Positive, Share, Strict, refuse, whole

Month = whole(1, 12)
NonEmpty = Annotated[str, Field(min_length=1, pattern=r"\S", description="en text som inte är tom")]


def _as_list(value):
    return [value] if isinstance(value, str) else value


class ThemeSetting(Strict):
    name: NonEmpty
    service_areas: Annotated[list[NonEmpty], BeforeValidator(_as_list), Field(
        min_length=1, description="en lista med verksamhetsområden, t.ex. [Särskilt boende]")]
    method: str | None = None
    hours: Annotated[float, Field(gt=0, le=MAX_INT, allow_inf_nan=False, description="timmar per utförare, fler än 0")] | None = None
    months: list[Month] | None = None


class HoursSetting(Strict):
    site_visit: Positive
    digital_visit: Positive
    routine_audit: Positive
    survey: Positive
    self_report: Positive


class SeriousEventsSetting(Strict):
    kinds: Annotated[list[NonEmpty], BeforeValidator(_as_list)]
    min_severity: whole(1, 4)
    months: whole(0, 24)


class DocumentSetting(Strict):
    diarienummer: str
    board: str
    date: DateText
    signatory: str
    title: str
    decision: str
    responsibility: str
    background: str


class FeedbackRow(Strict):
    source: NonEmpty
    provider: str | None = None
    board: str | None = None
    internal: str | None = None
    public: str | None = None


def _event_day(value):
    if value != "first_weekday" and not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 28):
        raise refuse(f"ska vara first_weekday eller en dag 1–28 (nu: {value!r})")
    return value


class PlanSettings(Strict):
    rotation_years: whole(1, 20)
    capacity: dict[str, Annotated[float, Field(ge=0, le=MAX_INT, allow_inf_nan=False, description="timmar per år, ett tal ≥ 0")]]
    default_unit: str
    reserve_share: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, description="en andel mellan 0 och 0,99, t.ex. 0.15")]
    hours: HoursSetting
    methods: dict[str, str]  # risk level (id or name) → method
    light_method: str
    light_max_level: str
    method_strength: Annotated[list[str], Field(min_length=1, description="en lista med metoder, svagast först")]
    minimum_method: str
    vulnerable_service_areas: Annotated[list[NonEmpty], BeforeValidator(_as_list)]
    vulnerable_method: str
    serious_method: str
    serious_events: SeriousEventsSetting
    urgent_within_months: whole(1, 12)
    min_months_between: whole(0, 24)
    level_months: dict[str, whole(1, 12)]  # risk level (id or name) → within so many months of the plan's start
    new_provider_within_months: whole(1, 12)
    contract_review_method: str
    contract_months: whole(0, 120)
    new_provider_months: whole(0, 120)
    sample_share: Share
    sample_level: str
    sample_seed: whole(0) | None
    themes: list[ThemeSetting]
    blocked_months: list[Month]
    event_day: Annotated[object, AfterValidator(_event_day)]
    show_months_to_board: bool
    document: DocumentSetting
    feedback: list[FeedbackRow]

    @field_validator("blocked_months")
    @classmethod
    def _one_month_open(cls, months):
        if len(set(months)) >= 12:
            raise refuse("ska lämna minst en månad öppen för granskningar, t.ex. [7]")
        return months

    @model_validator(mode="after")
    def _themes_have_an_open_month(self):
        for i, theme in enumerate(self.themes):
            if theme.months is not None and not set(theme.months) - set(self.blocked_months):
                raise refuse(f"ska vara månader 1–12 som inte alla är spärrade i plan.blocked_months (nu: {theme.months})",
                             f"themes.{i}.months")
        return self
