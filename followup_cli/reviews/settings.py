"""The shape of the assessment settings (reviews/defaults.yaml and the `assessment:` section of followup.yaml).

Answer, severity, sanction and contract-form names are checked in reviews/scale.py, where the schema's
vocabularies are known; everything that can be checked from the settings alone is checked here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from followup_cli.settings_model import Strict, refuse, whole

NonEmpty = Annotated[str, Field(min_length=1, pattern=r"\S", description="en text som inte är tom")]


def _yaml_yes_no(values):
    """YAML reads an unquoted yes/no as true/false; in a list of answers they mean the answers Ja and Nej."""
    return [("yes" if v else "no") if isinstance(v, bool) else v for v in values] if isinstance(values, list) else values


Answers = Annotated[list[NonEmpty], BeforeValidator(_yaml_yes_no)]
Days = whole(0, 3650, description="ett antal dagar, t.ex. 28")


class LevelSetting(Strict):
    id: NonEmpty
    label: NonEmpty
    answers: Answers = []
    severities: list[NonEmpty] = []
    action: str = ""
    plan_days: Days | None = None
    correct_days: Days | None = None
    escalation: str = ""
    board: bool = False


class ScaleSetting(Strict):
    name: str = ""
    levels: Annotated[list[LevelSetting], Field(min_length=2, description="en lista med minst två nivåer")]

    @model_validator(mode="after")
    def _distinct(self):
        for attr in ("id", "label"):
            seen: set[str] = set()
            for i, level in enumerate(self.levels):
                value = getattr(level, attr).strip().casefold()
                if value in seen:
                    raise refuse(f"{attr} '{getattr(level, attr)}' står två gånger; varje nivå ska ha ett eget", f"levels.{i}.{attr}")
                seen.add(value)
        return self


class LadderPart(Strict):
    contract_forms: list[NonEmpty]
    steps: Annotated[list[NonEmpty], Field(min_length=1, description="en lista med minst ett steg")]


class LadderSetting(Strict):
    contract: LadderPart
    mandate: LadderPart
    missing_contract_form: NonEmpty
    board_step: NonEmpty
    step_labels: dict[str, NonEmpty]
    approval_days: Days
    due_soon_days: Days


class AssessmentSettings(Strict):
    default_scale: NonEmpty
    service_areas: dict[str, NonEmpty]
    scales: dict[str, ScaleSetting]
    ladder: LadderSetting

    @model_validator(mode="after")
    def _known_scales(self):
        if self.default_scale not in self.scales:
            raise refuse(f"nämner skalan '{self.default_scale}', som inte finns under assessment.scales "
                         f"(finns: {', '.join(self.scales)})", "default_scale")
        for area, scale in self.service_areas.items():
            if scale not in self.scales:
                raise refuse(f"nämner skalan '{scale}', som inte finns under assessment.scales "
                             f"(finns: {', '.join(self.scales)})", f"service_areas.{area}")
        if self.ladder.missing_contract_form not in ("contract", "mandate"):
            raise refuse("ska vara contract eller mandate", "ladder.missing_contract_form")
        return self
