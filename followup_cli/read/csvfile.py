"""CSV exports from case-management and invoicing systems: guess encoding and separator.

They come as UTF-8 with or without BOM or as Windows-1252, separated by ';'
(Swedish Excel), ',' or tab, with decimal commas. Every cell is read as text;
types are decided later by the schema, never by pandas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from followup_cli.errors import InputError
from followup_cli.read.grid import Grid

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


def read_csv_grid(path: Path) -> Grid:
    import pandas as pd

    raw = path.read_bytes()
    encoding = detect_encoding(raw)
    text = raw.decode(encoding)
    del raw
    sep = detect_separator(text[:65536])
    width = max((len(r) for r in csv.reader(text[:65536].splitlines()[:50], delimiter=sep)), default=1)
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, names=range(width), dtype=str,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            f"{path.name} kan inte läsas som CSV med avgränsaren {_sep_name(sep)}: {' '.join(str(exc).split())}. "
            "Kontrollera att raden har lika många fält som rubrikraden."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path.name} innehåller inga rader.") from exc
    cells = cells.replace("", None)
    return Grid(file=path.name, sheet=None, cells=cells)


def _sep_name(sep: str) -> str:
    return {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]
