"""Turn text cells into typed values, as a Swedish user writes them.

Values from a vocabulary (schema `enum`) become their ids, whichever
accepted spelling the cell used; labels are for display only.
Every function takes the cells of one column as a pandas Series of text
(NA for empty) and returns the typed Series plus a boolean mask of cells
that could not be read. Work is done once per distinct value, so a column
of 500,000 months with 36 distinct values costs 36 parses.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from followup_cli.schemas import Field
from followup_cli.text import fold

EXCEL_EPOCH = dt.date(1899, 12, 30)
MONTHS_SV = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
TRUE = {"ja", "j", "x", "1", "true", "sant", "yes", "y"}
FALSE = {"nej", "n", "0", "false", "falskt", "no"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./ -]+)(\d{4})$")
_WORDS = re.compile(r"^(?:den\s+)?(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")
_YEARMONTH = re.compile(r"^(\d{4})-?(\d{1,2})$")
_MONTH_WORDS = re.compile(r"^([a-zåäö]+)\.?\s+(\d{4})$")
_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_date(text: str) -> dt.date | None:
    """ISO, compact, Swedish (1/3 2024, 01.03.2024, 1 mars 2024) dates, and Excel serials."""
    s = text.strip().lower()
    for pattern, order in ((_ISO, "ymd"), (_COMPACT, "ymd"), (_DMY, "dmy"), (_WORDS, "dmy")):
        m = pattern.match(s)
        if not m:
            continue
        if pattern is _WORDS:
            month = MONTHS_SV.get(m.group(2))
            if month is None:
                return None
            parts = (int(m.group(3)), month, int(m.group(1)))
        elif order == "ymd":
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        else:
            parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
        try:
            return _plausible(dt.date(*parts))
        except ValueError:
            return None
    if _SERIAL.match(s):
        serial = int(float(s))
        if 1 <= serial <= 2958465:
            return _plausible(EXCEL_EPOCH + dt.timedelta(days=serial))
    return None


def _plausible(day: dt.date) -> dt.date | None:
    return day if 1900 <= day.year <= 2100 else None


def parse_yearmonth(text: str) -> str | None:
    """'2024-03', '202403', 'mars 2024' or any date in the month → '2024-03'."""
    s = text.strip().lower()
    m = _YEARMONTH.match(s)
    if m and 1 <= int(m.group(2)) <= 12 and 1900 <= int(m.group(1)) <= 2100:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = _MONTH_WORDS.match(s)
    if m and m.group(1) in MONTHS_SV:
        return f"{int(m.group(2)):04d}-{MONTHS_SV[m.group(1)]:02d}"
    day = parse_date(s)
    return f"{day.year:04d}-{day.month:02d}" if day else None


def parse_number(text: str) -> float | None:
    """'1 234,5', '1234.5', '12,5 %' → float."""
    s = _NUMBER_JUNK.sub("", text).rstrip("%").replace("\u2212", "-")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    elif s.count(",") and s.count("."):  # 1.234,5 or 1,234.5: the last one is the decimal mark
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def parse_boolean(text: str) -> bool | None:
    key = fold(text)
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    return None


def _clean_numbers(values: pd.Series) -> pd.Series | None:
    """A column whose every cell is a plain number, parsed by Arrow in one pass; None if any cell needs care."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        parsed = pc.cast(pa.array(values, type=pa.string(), from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    numbers = pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
    return None if np.isinf(numbers.to_numpy()).any() else numbers


def _by_unique(values: pd.Series, parse) -> tuple[pd.Series, np.ndarray]:
    """Apply `parse` once per distinct value; return parsed values (object) and the failure mask."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.array([parse(u) for u in uniques] + [None], dtype=object)
    result = parsed[codes]  # code -1 (missing) picks the trailing None
    # Failures found among the distinct values, not the cells: a Series of 500,000 results infers a string dtype first.
    failed = (codes >= 0) & pd.isna(parsed)[codes]
    return pd.Series(result, index=values.index, dtype=object), failed


def coerce(values: pd.Series, field: Field) -> tuple[pd.Series, np.ndarray]:
    """Typed column and failure mask for one schema field. Missing cells are never failures here."""
    kind = field.type
    if kind == "string":
        if field.enum:  # every accepted spelling (label, alias, id) becomes the value's id
            ids = field.ids()
            return _by_unique(values, lambda v: ids.get(fold(v)))
        return values, np.zeros(len(values), dtype=bool)
    if kind in ("number", "integer", "year"):
        numbers = _clean_numbers(values)
        if numbers is None:
            numbers = pd.to_numeric(values, errors="coerce")
        retry = numbers.isna() & values.notna()
        if retry.any():
            fixed, _ = _by_unique(values[retry], parse_number)
            numbers = numbers.astype("float64")
            numbers[retry] = pd.to_numeric(fixed, errors="coerce")
        numbers = numbers.astype("float64")
        failed = (numbers.isna() & values.notna()).to_numpy(dtype=bool, copy=True)
        if kind in ("integer", "year"):
            fractional = numbers.notna() & (numbers != numbers.round())
            failed |= fractional.fillna(False).to_numpy(dtype=bool)
            numbers = numbers.where(~fractional).round().astype("Int64")
        if kind == "year":
            bad_year = numbers.notna() & ((numbers < 1900) | (numbers > 2100))
            failed |= bad_year.fillna(False).to_numpy(dtype=bool)
            numbers = numbers.where(~bad_year.fillna(False))
        return numbers, failed
    if kind == "date":
        days, failed = _by_unique(values, parse_date)
        return pd.to_datetime(days).astype("datetime64[s]"), failed
    if kind == "yearmonth":
        return _by_unique(values, parse_yearmonth)
    if kind == "boolean":
        flags, failed = _by_unique(values, parse_boolean)
        return flags.astype("boolean"), failed
    if kind == "list":
        return _by_unique(values, lambda v: _parse_list(v, field))
    raise ValueError(f"okänd typ {kind}")


def _parse_list(text: str, field: Field) -> tuple[str, ...] | None:
    items = [p for p in re.split(r"\s*(?:[,;/+&]|\soch\s)\s*", text.strip()) if p]
    if not field.enum:
        return tuple(items)
    ids = field.ids()
    found = [ids.get(fold(p)) for p in items]
    return None if not found or None in found else tuple(dict.fromkeys(found))
