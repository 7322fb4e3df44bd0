"""The register's texts the annual report prints, with the cells they came from, for the privacy scan: provider names
(and ids) of the providers the report names, and the survey's indicator names. Findings' and events' free texts never
reach the report, so they are not here."""

from __future__ import annotations

from followup_cli.register.table import Register
from followup_cli.risk.results import Cell


def report_texts(register: Register, provider_ids: list[str], year: int) -> list[tuple[str, Cell]]:
    found: list[tuple[str, Cell]] = []
    providers = register.tables["providers"]
    shown = providers.data["provider_id"].isin(set(provider_ids)).to_numpy()
    for field in ("provider_id", "name", "service_area"):
        found += _column(providers, field, shown)
    survey = register.tables.get("survey")
    if survey is not None:
        found += _column(survey, "indicator", (survey.data["year"] == year).fillna(False).to_numpy())
    return found


def _column(table, field: str, rows) -> list[tuple[str, Cell]]:
    values = table.data[field]
    return [(values.iat[i], Cell(*table.place(i, field)))
            for i in rows.nonzero()[0] if isinstance(values.iat[i], str)]
