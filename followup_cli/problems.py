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
        parts = [self.file]
        if self.sheet:
            parts.append(f"bladet {self.sheet}")
        if self.row and self.column:
            cell = f"cell {self.column}{self.row}"
            parts.append(f"{cell} ({self.header})" if self.header else cell)
        elif self.row:
            parts.append(f"rad {self.row}")
        elif self.column:
            parts.append(f"kolumn {self.column}" + (f" ({self.header})" if self.header else ""))
        elif self.header:
            parts.append(f"kolumnen {self.header}")
        return ", ".join(parts)

    def line(self) -> str:
        return f"{SEVERITY_SV[self.severity]}: {self.place}: {self.message}"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.sheet or "", problem.row or 0, problem.column or "", problem.code)
