"""A problem found in the user's data: where it is, how bad, and what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SEVERITY_SV = {"error": "fel", "warning": "varning"}


@dataclass(frozen=True)
class Problem:
    """One finding of the validator. `row` is the row number Excel shows (1-based)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None  # column letter, e.g. "C"
    header: str | None
    value: str | None
    severity: Severity
    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def place(self) -> str:
        """'fil.xlsx, bladet Utförare, cell C7 (Regiform)' — for one-line messages."""
        return place(self.file, self.sheet, self.row, self.column, self.header)

    def line(self) -> str:
        return f"{SEVERITY_SV[self.severity]}: {self.place}: {self.message}"


def place(file: str, sheet: str | None, row: int | None, column: str | None, header: str | None) -> str:
    """Where in the user's files something is, as Excel names it: 'fil.xlsx, bladet Utförare, cell C7 (Regiform)'."""
    parts = [file]
    if sheet:
        parts.append(f"bladet {sheet}")
    if row and column:
        cell = f"cell {column}{row}"
        parts.append(f"{cell} ({header})" if header else cell)
    elif row:
        parts.append(f"rad {row}")
    elif column:
        parts.append(f"kolumn {column}" + (f" ({header})" if header else ""))
    elif header:
        parts.append(f"kolumnen {header}")
    return ", ".join(parts)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.sheet or "", problem.row or 0, problem.column or "", problem.code)
