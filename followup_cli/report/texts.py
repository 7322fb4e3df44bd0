"""The register's texts a report version may print, with the cells they came from: when the privacy scan finds a
personal number or an e-mail address in the rendered context, the message names the cell to correct."""

from __future__ import annotations

from followup_cli.register.table import Register
from followup_cli.risk.results import Cell

FIELDS = {"providers": ("provider_id", "name", "service_area", "org_number"), "findings": ("description", "requirement_id"),
          "events": ("description",), "reviews": ("reviewer", "review_id"), "survey": ("indicator",),
          "adjustments": ("reason",)}


def report_texts(register: Register) -> list[tuple[str, Cell]]:
    """Every text cell of the fields above (built only when the scan has found something to place)."""
    found: list[tuple[str, Cell]] = []
    for sheet, fields in FIELDS.items():
        table = register.tables.get(sheet)
        if table is None:
            continue
        for field in fields:
            if field in table.data:
                found += _column(table, field)
    return found


def _column(table, field: str) -> list[tuple[str, Cell]]:
    values = table.data[field]
    return [(values.iat[i], Cell(*table.place(i, field)))
            for i in range(len(values)) if isinstance(values.iat[i], str)]
