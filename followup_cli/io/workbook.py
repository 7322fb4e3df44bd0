"""Open any register file and hand out its sheets as text grids.

.xlsx/.xlsm go through fastexcel (calamine to Arrow): the benchmark in
`benchmarks/` measured it about twice as fast as python-calamine to Python
lists, with a fraction of the memory. The pre-scan in `safety` runs first and
tells where each sheet's values start. Legacy .xls and .ods are small by
nature and go through python-calamine, which reports that start itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.io import safety
from followup_cli.io.csvfile import read_csv_grid
from followup_cli.io.grid import Grid


class Workbook:
    """One input file: a workbook with sheets, or a CSV file with one unnamed sheet."""

    def __init__(self, path: Path):
        try:
            self._open(path)
        except InputError as exc:
            exc.file = exc.file or path.name
            raise

    def _open(self, path: Path) -> None:
        self.path = path
        self.kind = safety.sniff_kind(path)
        self._scans: dict[str, safety.SheetScan] = {}
        self._reader = None
        if self.kind == "csv":
            self.sheet_names: list[str] = []
            return
        if self.kind == "xlsx":
            self._scans = safety.scan_xlsx(path)
        elif self.kind == "ods":
            safety.scan_ods(path)
        self.sheet_names = self._open_reader()

    def _open_reader(self) -> list[str]:
        try:
            if self.kind == "xlsx":
                import fastexcel

                self._reader = fastexcel.read_excel(self.path)
                return list(self._reader.sheet_names)
            from python_calamine import CalamineWorkbook

            self._reader = CalamineWorkbook.from_path(str(self.path))
            return list(self._reader.sheet_names)
        except OSError as exc:
            raise InputError(f"{self.path.name} kan inte läsas: {exc.strerror or exc}. Stäng filen i Excel och försök igen.") from exc
        except Exception as exc:  # the readers raise their own error types for broken files
            raise InputError(f"{self.path.name} är trasig och kan inte läsas ({_reason(exc)}). Öppna den i Excel och spara om den.") from exc

    def is_hidden(self, sheet: str) -> bool:
        if sheet in self._scans:
            return self._scans[sheet].hidden
        return False

    def grid(self, sheet: str | None = None) -> Grid:
        try:
            return self._grid(sheet)
        except InputError as exc:
            exc.file = exc.file or self.path.name
            raise

    def _grid(self, sheet: str | None) -> Grid:
        if self.kind == "csv":
            return read_csv_grid(self.path)
        try:
            if self.kind == "xlsx":
                return self._xlsx_grid(sheet)
            return self._calamine_grid(sheet)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"Bladet {sheet} i {self.path.name} kan inte läsas ({_reason(exc)}). Öppna filen i Excel och spara om den.") from exc

    def _xlsx_grid(self, sheet: str) -> Grid:
        import pyarrow as pa

        scan = self._scans.get(sheet) or safety.SheetScan(name=sheet)
        loaded = self._reader.load_sheet(sheet, header_row=None, dtypes="string")
        table = pa.Table.from_batches([loaded.to_arrow()])
        cells = table.to_pandas()
        cells.columns = range(cells.shape[1])
        return Grid(
            file=self.path.name, sheet=sheet, cells=cells,
            first_row=scan.first_row, first_col=scan.first_col, hidden=scan.hidden,
            error_cells=scan.error_cells, uncached_formulas=scan.uncached_formulas,
        )

    def _calamine_grid(self, sheet: str) -> Grid:
        import pandas as pd

        calamine_sheet = self._reader.get_sheet_by_name(sheet)
        rows = calamine_sheet.to_python(skip_empty_area=True)
        start = calamine_sheet.start or (0, 0)
        cells = pd.DataFrame([[_cell_text(v) for v in row] for row in rows], dtype=object)
        meta = next((m for m in self._reader.sheets_metadata if m.name == sheet), None)
        hidden = meta is not None and "Visible" not in str(meta.visible)
        return Grid(file=self.path.name, sheet=sheet, cells=cells, first_row=start[0] + 1, first_col=start[1], hidden=hidden)


def _cell_text(value: object) -> str | None:
    """python-calamine's typed cell as the text fastexcel would give, so both paths coerce alike."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    return str(value)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
