"""`checklist new --plan`: the reviews a plan workbook (`plan --format xlsx`) lists, by their stable review id.

Columns are found by header (case, spaces and accents ignored), so a plan sorted, filtered or trimmed in
Excel still reads; only the rows with a Gransknings-ID count (a row a user added by hand has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.plan.previous import PROVIDER_HEADER, TYPE_HEADER, TYPE_ID_HEADER, plan_sheet
from followup_cli.text import column_letter, fold

REVIEW_ID_HEADER = "Gransknings-ID"
METHOD_HEADER, METHOD_ID_HEADER = "Metod", "Metod (id)"
HEADERS = {"review_id": REVIEW_ID_HEADER, "provider": PROVIDER_HEADER, "type": TYPE_HEADER, "type_id": TYPE_ID_HEADER,
           "method": METHOD_HEADER, "method_id": METHOD_ID_HEADER}
LOOKUP = {fold(h): key for key, h in HEADERS.items()}


@dataclass(frozen=True)
class PlannedReview:
    review_id: str
    provider_id: str
    review_type: str  # id
    method: str | None  # id


def planned_reviews(path: Path) -> list[PlannedReview]:
    """Every planned review in the plan workbook; a bad row is one sentence naming file, sheet, row and column (exit 3)."""
    from followup_cli.read.grid import HEADER_SEARCH_ROWS, header_row
    from followup_cli.schemas import register_schemas

    path = Path(path)
    if not path.is_file():
        raise InputError(f"Planen {path} (--plan) finns inte. Ange arbetsboken som followup plan --format xlsx skrev, "
                         "t.ex. --plan out/plan-2026.xlsx.", file=path.name)
    grid = plan_sheet(path)
    cells = grid.cells
    at = header_row(cells, LOOKUP)
    columns: dict[str, int] = {}
    if at is not None:
        for pos, raw in enumerate(cells.iloc[at]):
            key = LOOKUP.get(fold(raw)) if isinstance(raw, str) else None
            if key is not None:
                columns.setdefault(key, pos)
    where = f"{path.name}, bladet {grid.sheet}"
    if at is None or "review_id" not in columns or "provider" not in columns:
        raise InputError(f"{where}: hittar ingen rubrikrad med {REVIEW_ID_HEADER} och {PROVIDER_HEADER} bland de "
                         f"{HEADER_SEARCH_ROWS} första raderna. Ange planen som followup plan --format xlsx skrev, med "
                         "rubrikerna kvar.", file=path.name)
    types, methods = register_schemas()["reviews"].field("review_type"), register_schemas()["reviews"].field("method")
    out = []
    for i in range(at + 1, len(cells)):
        value = {key: _text(cells.iat[i, pos]) for key, pos in columns.items()}
        if not value["review_id"]:
            continue
        row = grid.first_row + i
        type_id = _id(types, value.get("type")) or _id(types, value.get("type_id"))
        if not value["provider"] or type_id is None:
            key = "provider" if not value["provider"] else ("type" if "type" in columns else "type_id")
            col = column_letter(grid.first_col + columns.get(key, columns["provider"]))
            raise InputError(f"{where}, rad {row}, kolumn {col}: granskningen {value['review_id']} saknar "
                             f"{'Utförar-ID' if key == 'provider' else 'en känd granskningstyp'}. Rätta raden eller "
                             "skriv planen på nytt med followup plan --format xlsx.", file=path.name)
        method_id = _id(methods, value.get("method")) or _id(methods, value.get("method_id"))
        out.append(PlannedReview(value["review_id"], value["provider"], type_id, method_id))
    return out


def _text(value) -> str | None:
    import pandas as pd

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip() or None


def _id(field, text: str | None) -> str | None:
    return field.id_for(text) if text else None
