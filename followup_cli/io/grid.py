"""A sheet as the reader gives it: a grid of text cells and where it sits in Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


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
