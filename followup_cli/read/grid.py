"""A sheet as the reader gives it: a grid of text cells and where it sits in Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

HEADER_SEARCH_ROWS = 10  # the header row is looked for among a sheet's first rows: title rows may stand above it


@dataclass
class Grid:
    """All cells as text (missing = NA), columns numbered 0.., rows as read.

    `first_row` is the Excel row of grid row 0 and `first_col` the 0-based
    column of grid column 0, so every cell can be named as Excel names it.
    """

    file: str
    sheet: str | None  # None for a CSV file
    cells: pd.DataFrame
    first_row: int = 1
    first_col: int = 0
    hidden: bool = False
    error_cells: dict[str, str] = field(default_factory=dict)
    uncached_formulas: list[str] = field(default_factory=list)


def header_row(cells: pd.DataFrame, lookup: dict) -> int | None:
    """Index of the row, within the first HEADER_SEARCH_ROWS, with the most cells that are headers in `lookup`
    (keyed by folded header text); the first such row on a tie, None where no row has any."""
    from followup_cli.text import fold

    best, best_hits = None, 0
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        hits = sum(1 for v in cells.iloc[i] if isinstance(v, str) and fold(v) in lookup)
        if hits > best_hits:
            best, best_hits = i, hits
    return best
