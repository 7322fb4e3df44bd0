"""The packaged question bank (reviews/questions.yaml) with the user's own (followup.yaml `questions:`) laid over it.

A user's question with an id the bank has replaces it; a new id is added at the end of its area. Areas,
service areas' spelling and review types are checked here, so a typo is one sentence naming the key (exit 3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from followup_cli.reviews.questions import BankQuestion
from followup_cli.settings_model import Strict

PACKAGED = Path(__file__).with_name("questions.yaml")
NonEmpty = Annotated[str, Field(min_length=1, pattern=r"\S", description="en text som inte är tom")]


class QuestionSetting(Strict):
    id: NonEmpty
    area: NonEmpty
    question: NonEmpty
    service_areas: list[NonEmpty] = []
    review_types: list[NonEmpty] = []


class QuestionFile(Strict):
    questions: list[QuestionSetting]


def load_bank(own: Path | None = None) -> list[BankQuestion]:
    """The packaged questions, then the user's file merged in by id."""
    bank = {q.id: q for q in _read(PACKAGED, "questions.yaml")}
    if own is not None:
        if not own.is_file():
            from followup_cli.errors import InputError

            raise InputError(f"Frågebanken {own} (questions: i followup.yaml) finns inte. Rätta sökvägen, eller ta bort "
                             "raden för att använda den medföljande frågebanken.", file=own.name)
        for q in _read(own, own.name):
            bank[q.id] = q
    return list(bank.values())


def _read(path: Path, name: str) -> list[BankQuestion]:
    from followup_cli.schemas import checklist_schemas, register_schemas
    from followup_cli.settings import validated
    from followup_cli.yamlfile import load_yaml

    settings = validated(QuestionFile, load_yaml(path, name), "", name)
    area = checklist_schemas()[1].field("review_area")
    types = register_schemas()["reviews"].field("review_type")
    out = []
    for i, q in enumerate(settings.questions):
        key = f"questions[{i}]"
        out.append(BankQuestion(
            q.id.strip(), area.setting_id(q.area, f"{key}.area", name, "Frågor"), q.question.strip(),
            tuple(s.strip() for s in q.service_areas),
            tuple(types.setting_id(t, f"{key}.review_types", name, "Granskningar") for t in q.review_types)))
    return out
