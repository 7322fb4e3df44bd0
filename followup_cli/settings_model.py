"""What every settings model shares: strict checking and the kinds of number a setting can be.

Strict means no guessing: `true` is not 1, "5" is not 5, NaN and infinity are
not numbers, an unknown key is an error. A `description` on a field is the
phrase the error sentence uses for what the value should be.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

MAX_INT = 2**63 - 1  # what a 64-bit integer holds; anything larger is a typing slip, not a setting


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


def refuse(phrase: str, key: str = "") -> PydanticCustomError:
    """An error whose sentence is `<key> <phrase>`; `key` is a path below the model that raised it."""
    return PydanticCustomError("followup", "{phrase}", {"phrase": phrase, "key": key})


Number = Annotated[float, Field(ge=0, le=MAX_INT, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, le=MAX_INT, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, description="en andel mellan 0 och 1, t.ex. 0.15")]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]


def whole(low: int, high: int = MAX_INT, description: str | None = None):
    """An integer low–high."""
    return Annotated[int, Field(ge=low, le=high, description=description)]


def _iso_date_or_empty(value: str) -> str:
    if value.strip():
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            raise refuse(f"ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, eller tomt (nu: '{value}')") from None
    return value


DateText = Annotated[str, AfterValidator(_iso_date_or_empty)]
