"""Swedish labels for the register's ids, read from the schemas (the one place ids become text again)."""

from __future__ import annotations

from functools import cache


@cache
def labels(sheet: str, field: str) -> dict[str, str]:
    from followup_cli.schemas import register_schemas

    return register_schemas()[sheet].field(field).labels()


def label(sheet: str, field: str, value_id) -> str:
    """The label of an id; an empty or missing value is 'Uppgift saknas'."""
    if not isinstance(value_id, str) or not value_id:
        return "Uppgift saknas"
    return labels(sheet, field).get(value_id, value_id)
