"""Open any register file and hand out its sheets as text grids.

.xlsx/.xlsm go through fastexcel (calamine to Arrow): the benchmark in
`benchmarks/` measured it about 1.6× as fast as python-calamine to Python
lists. Each sheet's XML is measured by `safety` before fastexcel may touch
it. fastexcel releases the GIL while it parses, so `prefetch` hands measured
sheets to one loader thread and the caller coerces earlier sheets while
later ones load (2 cores: about a second saved on a large register).
Legacy .xls and .ods are small by nature and go through python-calamine,
which reports where a sheet starts itself.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.read import safety
from followup_cli.read.csvfile import read_csv_grid
from followup_cli.read.grid import Grid

LARGE_SHEET_BYTES = 20 << 20  # sheet XML above this gets a reader and a thread of its own


class Workbook:
    """One input file: a workbook with sheets, or a CSV file with one unnamed sheet."""

    def __init__(self, path: Path):
        self.path = path
        self._index: dict[str, safety.SheetScan] = {}
        self._pending: dict[str, Future] = {}
        self._loader: ThreadPoolExecutor | None = None
        self._big_loader: ThreadPoolExecutor | None = None
        self._reader = None
        with self._naming_this_file():
            self._open()

    @contextmanager
    def _naming_this_file(self):
        """Every InputError raised while handling this file says which file it is about,
        and a file another program holds locked is a sentence, not a traceback."""
        try:
            yield
        except InputError as exc:
            exc.file = exc.file or self.path.name
            raise
        except PermissionError as exc:
            raise InputError(f"{self.path.name} kan inte läsas: filen är låst av ett annat program eller så saknas läsrättighet. "
                             "Stäng den (t.ex. i Excel) och försök igen.", file=self.path.name) from exc
        except OSError as exc:
            raise InputError(f"{self.path.name} kan inte läsas: {exc.strerror or exc}.", file=self.path.name) from exc

    def _open(self) -> None:
        self.kind = safety.sniff_kind(self.path)
        self.sheet_names: list[str] = []
        if self.kind == "csv":
            return
        if self.kind == "xlsx":
            self._index = safety.index_xlsx(self.path)
        elif self.kind == "ods":
            safety.scan_ods(self.path)
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
        except reader_errors() as exc:
            raise InputError(f"{self.path.name} är trasig och kan inte läsas ({_reason(exc)}). Öppna den i Excel och spara om den.") from exc

    def prefetch(self, sheets: list[str]) -> None:
        """Measure these sheets and load each in the background as soon as it passes.

        The largest sheet (500,000 invoice rows in a large city) is measured first and parsed by a
        reader of its own on a second thread, so its parse overlaps everything else; the rest are
        loaded in order by the first thread while the caller coerces them.
        """
        if self.kind != "xlsx" or not sheets:
            return
        self._loader = self._loader or ThreadPoolExecutor(max_workers=1, thread_name_prefix="followup-read")
        largest = max(sheets, key=self._part_size)
        if len(sheets) > 1 and self._part_size(largest) > LARGE_SHEET_BYTES:
            with self._naming_this_file():
                self._measure(largest)
            self._big_loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="followup-read-large")
            self._pending[largest] = self._big_loader.submit(self._load_with_own_reader, largest)
        for sheet in sheets:
            if sheet not in self._pending:
                with self._naming_this_file():
                    self._measure(sheet)
                self._pending[sheet] = self._loader.submit(self._load, sheet)

    def _part_size(self, sheet: str) -> int:
        scan = self._index.get(sheet)
        return scan.size if scan is not None else 0

    def _load_with_own_reader(self, sheet: str):
        import fastexcel
        import pyarrow as pa

        loaded = fastexcel.read_excel(self.path).load_sheet(sheet, header_row=None, dtypes="string")
        return pa.Table.from_batches([loaded.to_arrow()])

    def close(self) -> None:
        for loader in (self._loader, self._big_loader):
            if loader is not None:
                loader.shutdown(wait=True, cancel_futures=True)
        self._loader = self._big_loader = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def grid(self, sheet: str | None = None) -> Grid:
        try:
            with self._naming_this_file():
                if self.kind == "csv":
                    return read_csv_grid(self.path)
                if self.kind == "xlsx":
                    return self._xlsx_grid(sheet)
                return self._calamine_grid(sheet)
        except InputError:
            raise
        except reader_errors() as exc:
            raise InputError(f"Bladet {sheet} i {self.path.name} kan inte läsas ({_reason(exc)}). "
                             "Öppna filen i Excel och spara om den.", file=self.path.name) from exc

    def _measure(self, sheet: str) -> safety.SheetScan:
        scan = self._index.setdefault(sheet, safety.SheetScan(name=sheet))
        return safety.scan_sheet(self.path, scan)

    def _load(self, sheet: str):
        import pyarrow as pa

        loaded = self._reader.load_sheet(sheet, header_row=None, dtypes="string")
        return pa.Table.from_batches([loaded.to_arrow()])

    def _xlsx_grid(self, sheet: str) -> Grid:
        if sheet in self._pending:
            table = self._pending.pop(sheet).result()
            scan = self._index[sheet]
        else:
            scan = self._measure(sheet)
            table = self._load(sheet)
        cells = table.to_pandas()
        cells.columns = range(cells.shape[1])
        return Grid(
            file=self.path.name, sheet=sheet, cells=cells,
            first_row=scan.first_row, first_col=scan.first_col, hidden=scan.hidden,
            error_cells=scan.error_cells, uncached_formulas=scan.uncached_formulas, merged=list(scan.merged),
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


def reader_errors() -> tuple[type[Exception], ...]:
    """What the readers raise for a file they cannot parse. Anything else is a bug of ours and must
    surface as one (exit 10), not as advice to save the file again. Evaluated only when an error is met."""
    import zipfile

    import fastexcel
    import pyarrow as pa
    from python_calamine import CalamineError

    return (fastexcel.FastExcelError, CalamineError, pa.ArrowException, zipfile.BadZipFile, UnicodeDecodeError)


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
    return str(value)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
