"""The shape of followup.yaml, strictly checked. The risk: and plan: sections are checked by their own models."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from followup_cli.settings_model import Strict, whole

Path = Annotated[str, Field(description="en sökväg, t.ex. register.xlsx")]


class SheetFile(Strict):
    file: Annotated[str, Field(min_length=1, pattern=r"\S", description="en sökväg, t.ex. export/fakturering.csv")]
    sheet: str | None = None


def _file_only(value):
    return {"file": value} if isinstance(value, str) else value


class Privacy(Strict):
    min_count: whole(1, description="ett heltal ≥ 1, t.ex. 5") = 5


class WorkspaceSettings(Strict):
    organisation: str | None = None
    year: whole(2000, 2100, description="ett årtal, t.ex. 2026") | None = None
    register_file: Path | None = Field(None, alias="register")  # `register` would hide BaseModel.register
    sheets: dict[str, Annotated[SheetFile, BeforeValidator(_file_only)]] | None = None  # sheet title → its own file
    checklists: Path | None = None
    reviews: Path | None = None  # the consolidated reviews-and-findings workbook `checklist ingest` writes
    questions: Path | None = None  # the user's own question bank (extends the packaged one)
    output: Path | None = None
    privacy: Privacy | None = None
    risk: dict[str, Any] | None = None  # checked by followup_cli.risk.settings
    plan: dict[str, Any] | None = None  # checked by followup_cli.plan.settings
    assessment: dict[str, Any] | None = None  # checked by followup_cli.reviews.settings
