"""CSV exports from case-management and invoicing systems: guess encoding and separator.

They come as UTF-8 with or without BOM or as Windows-1252, separated by ';'
(Swedish Excel), ',' or tab, with decimal commas. Every cell is read as text;
types are decided later by the schema, never by pandas. Columns, field length
and cells are bounded while parsing, so a hostile file costs no more than its size.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.read.grid import Grid
from followup_cli.swedish import thousands

SEPARATORS = [";", "\t", ","]


def detect_encoding(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_separator(sample: str) -> str:
    """The separator that splits the sample's lines into the most, most consistent fields."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ";", (0, 0)
    for sep in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = sep, score
    return best


# Bounds checked while the file is parsed, before anything grows with them: a CSV export is a table that
# fits in Excel, so a wider header, a longer field or more cells is a broken or hostile file, not a register.
MAX_COLUMNS = 16_384  # Excel's widest sheet
MAX_FIELD_CHARS = 1_000_000  # a field past this (a line without separators, an unclosed quote) is not a cell
MAX_CELLS = 30_000_000  # as for workbooks (read/safety.py)


def read_csv_grid(path: Path) -> Grid:
    """Every cell as text. One streaming pass of Python's C csv reader: time and memory grow with the file,
    and each bound is checked on the row that crosses it."""
    import pandas as pd

    raw = path.read_bytes()
    encoding = detect_encoding(raw)
    text = raw.decode(encoding)
    del raw
    sep = detect_separator(text[:65536])
    rows = _rows(text, sep, path.name)
    del text
    if not rows:
        raise InputError(f"{path.name} innehåller inga rader.", file=path.name)
    width = max(len(row) for row in rows[:50])  # the header and the first rows set the width
    for number, row in enumerate(rows, start=1):
        if len(row) > width and any(row[width:]):
            raise InputError(f"{path.name} kan inte läsas som CSV med avgränsaren {_sep_name(sep)}: rad {number} har "
                             f"{len(row)} fält men rubrikraden {width}. Kontrollera att raden har lika många fält som "
                             "rubrikraden (ett decimalkomma eller en avgränsare i en text utan citattecken?).", file=path.name)
        if len(row) != width:
            rows[number - 1] = (row + [""] * width)[:width]
    cells = pd.DataFrame(rows, columns=range(width), dtype=object)
    cells = cells.replace("", None)
    return Grid(file=path.name, sheet=None, cells=cells)


def _rows(text: str, sep: str, name: str) -> list[list[str]]:
    for number, line in enumerate(io.StringIO(text), start=1):  # a line of a million separators is refused before it is split
        if len(line) > MAX_COLUMNS and line.count(sep) >= MAX_COLUMNS:
            raise InputError(f"{name}, rad {number}: {thousands(line.count(sep) + 1)} fält, fler än Excels "
                             f"{thousands(MAX_COLUMNS)} kolumner. Filen är inte en tabell som går att läsa; exportera den igen.",
                             file=name)
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    rows: list[list[str]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise InputError(f"{name}, rad {reader.line_num}: {thousands(len(row))} fält, fler än Excels "
                                 f"{thousands(MAX_COLUMNS)} kolumner. Filen är inte en tabell som går att läsa; exportera den igen.",
                                 file=name)
            cells += len(row)
            if cells > MAX_CELLS:
                raise InputError(f"{name} har över {thousands(MAX_CELLS)} celler (vid rad {reader.line_num}), orimligt många "
                                 "för ett register. Dela upp filen eller kontrollera exporten.", file=name)
            rows.append(row)
    except csv.Error as exc:
        what = (f"ett fält längre än {thousands(MAX_FIELD_CHARS)} tecken (en rad utan avgränsaren {_sep_name(sep)}, "
                "eller ett citattecken som aldrig avslutas)" if "field larger" in str(exc) else str(exc))
        raise InputError(f"{name}, rad {reader.line_num}: kan inte läsas som CSV: {what}. Exportera filen igen.",
                         file=name) from None
    finally:
        csv.field_size_limit(previous)
    return rows


def _sep_name(sep: str) -> str:
    return {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]
