"""A register sheet after reading: typed columns plus where each cell came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.problem_codes import problem
from followup_cli.problems import Problem
from followup_cli.schemas import Schema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass
class Table:
    """One sheet's rows, typed per schema field (every field is a column, absent ones all missing)."""

    schema: Schema
    file: str
    sheet: str | None
    data: pd.DataFrame
    rows: np.ndarray  # the Excel row number of each data row
    letters: dict[str, str] = field(default_factory=dict)  # field name → column letter
    headers: dict[str, str] = field(default_factory=dict)  # field name → header as the user wrote it
    text: dict[str, pd.Series] = field(default_factory=dict)  # field name → cell text as read
    extra: pd.DataFrame | None = None  # unknown columns, kept as read
    appended: Table | None = None  # the last rows came from this table of another file (register/union.py)

    def __len__(self) -> int:
        return len(self.data)

    def place(self, index: int, field_name: str) -> tuple[str, str, int, str | None, str]:
        """File, sheet, row, column letter and header of data row `index` (positional) in the column of `field_name`:
        the user's own cell, in the other file for a row that came from it (register/union.py)."""
        start = len(self) - len(self.appended) if self.appended is not None else None
        if start is not None and index >= start:
            return self.appended.place(index - start, field_name)
        return (self.file, self.sheet, int(self.rows[index]), self.letters.get(field_name),
                self.headers.get(field_name) or self.schema.field(field_name).title)

    def problem(self, index, field_name: str | None, code: str, value: object = "__text__", variant: str | None = None,
                **fields) -> Problem:
        """A problem of a catalogued kind at data row `index` (positional) in the column of `field_name`."""
        start = len(self) - len(self.appended) if self.appended is not None else None
        if start is not None and index is not None and index >= start:  # a row from the other file: its place there
            return self.appended.problem(index - start, field_name, code, value, variant, **fields)
        if value == "__text__":
            value = self.text[field_name].iat[index] if field_name in self.text else None
        return problem(
            code,
            file=self.file,
            sheet=self.sheet,
            row=int(self.rows[index]) if index is not None else None,
            column=self.letters.get(field_name) if field_name else None,
            header=(self.headers.get(field_name) or self.schema.field(field_name).title) if field_name else None,
            value=_text(value),
            variant=variant,
            **fields,
        )

    def problems_where(self, mask, field_name: str | None, code: str, row_fields=None, value: object = "__text__",
                       variant: str | None = None, **fields) -> list[Problem]:
        """One problem for each row where `mask` is true; `row_fields(i)` gives the message's fields that differ by row."""
        import numpy as np
        import pandas as pd

        flags = mask.fillna(False).to_numpy(dtype=bool) if isinstance(mask, pd.Series) else np.asarray(mask, dtype=bool)
        return [self.problem(i, field_name, code, value, variant, **fields, **(row_fields(i) if row_fields else {}))
                for i in np.flatnonzero(flags)]


@dataclass
class Register:
    """Every sheet that was found, and every problem met on the way."""

    tables: dict[str, Table]
    problems: list[Problem]
    absent: list[str]  # optional sheets that were not there, by schema name

    def data(self, name: str) -> pd.DataFrame | None:
        table = self.tables.get(name)
        return table.data if table is not None else None


def _text(value: object) -> str | None:
    """A cell value for a message; missing values (None, NaN, NaT, NA) are None."""
    if value is None or isinstance(value, str):
        return value
    import pandas as pd

    return None if pd.isna(value) else str(value)
