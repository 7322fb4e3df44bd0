"""A sheet as the reader gives it: a grid of text cells and where it sits in Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

EXCEL_MAX_CELL = 32_767  # characters Excel keeps in one cell: the readers cut the rest, the writers must too
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
    merged: list[str] = field(default_factory=list)  # merged ranges as Excel names them, e.g. "A2:A5"

    def fill_merged(self, below_row: int) -> list[str]:
        """Every cell of a merged range that starts below Excel row `below_row` (the header) holds the range's
        value, as Excel shows it: the file keeps it only in the top-left cell, so rows below a vertical merge
        would otherwise read as empty. Returns the ranges filled; merges in titles and headers are left alone."""
        from followup_cli.text import column_index

        filled = []
        for ref in self.merged:
            start, end = ref.split(":")
            (c0, r0), (c1, r1) = (_split(start), _split(end))
            if r0 <= below_row:
                continue
            rows = slice(r0 - self.first_row, r1 - self.first_row + 1)
            cols = slice(column_index(c0) - self.first_col, column_index(c1) - self.first_col + 1)
            top, left = rows.start, cols.start
            if top < 0 or left < 0 or top >= len(self.cells) or left >= self.cells.shape[1]:
                continue
            self.cells.iloc[rows, cols] = self.cells.iat[top, left]
            filled.append(ref)
        return filled


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


def _split(ref: str) -> tuple[str, int]:
    """'AB12' → ('AB', 12)."""
    letters = ref.rstrip("0123456789")
    return letters, int(ref[len(letters):])
