"""The one way the toolkit writes a file: to a temporary file beside it, then an atomic replace.

A crash leaves the old file or the new one, never half of one; an output that
is an input is refused; Excel holding a file gets a sentence, not a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from followup_cli.errors import OutputError, UsageError

EXCEL_MAX_CELL = 32_767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@")


def write_atomic(path: Path, write: Callable[[Path], None], inputs: Iterable[Path] = ()) -> Path:
    """Call `write(temp_path)`, then move the result into place."""
    path = Path(path)
    refuse_inputs(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_sentence(path, exc)) from exc
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(temp)
        if path.suffix.lower() in OFFICE_SUFFIXES:
            same_bytes_every_time(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(_sentence(path, exc)) from exc
    finally:
        if temp.exists():
            try:
                temp.unlink()
            except OSError:
                pass
    return path


OFFICE_SUFFIXES = (".xlsx", ".docx")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def same_bytes_every_time(path: Path) -> None:
    """An Office file rewritten so the same content gives the same bytes: every zip member dated the zip
    epoch (openpyxl and python-docx stamp the time of writing), and the creation and modification times
    left out of docProps/core.xml (both are optional there; Word and Excel show them as empty)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _TIMESTAMPS.sub(b"", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            target.writestr(fixed, data)


def refuse_inputs(path: Path, inputs: Iterable[Path]) -> None:
    """An output that is one of the inputs is refused before anything is written: inputs are never modified."""
    target = Path(path).resolve()
    for source in inputs:
        if source is not None and Path(source).resolve() == target:
            raise UsageError(f"{Path(path).name} är en av indatafilerna och skrivs aldrig över. Ange ett annat namn på utdatafilen.")


def write_text(path: Path, text: str, inputs: Iterable[Path] = ()) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"), inputs)


def json_bytes(data, indent: bool = True) -> bytes:
    """UTF-8 JSON. orjson rather than the json module: it writes dataclasses itself, so a large city's risk
    analysis goes out without first being copied into dicts (0.03 s against 0.22 s for to_dict and json.dumps)."""
    import orjson

    options = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(data, default=str, option=options)


def write_json(path: Path, data, inputs: Iterable[Path] = ()) -> Path:
    """Indented JSON and a final newline, as a person opening the file expects."""
    payload = json_bytes(data) + b"\n"
    return write_atomic(path, lambda tmp: tmp.write_bytes(payload), inputs)


def _sentence(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return (f"{path} kan inte skrivas: filen är öppen i Excel eller ett annat program, eller så saknas skrivrättighet. "
                "Stäng filen och försök igen.")
    if exc.errno == errno.ENOSPC:
        return f"{path} kan inte skrivas: disken är full. Frigör utrymme och försök igen."
    if exc.errno == errno.ENOENT:
        return f"{path} kan inte skrivas: mappen {path.parent} finns inte och kunde inte skapas."
    return f"{path} kan inte skrivas: {exc.strerror or exc}."


def cell_text(value: str) -> tuple[str, list[str]]:
    """Text made safe for a spreadsheet cell, and what was changed (for a warning)."""
    changes = []
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
        changes.append("styrtecken togs bort")
    if len(value) > EXCEL_MAX_CELL:
        marker = " […avkortad]"
        value = value[: EXCEL_MAX_CELL - len(marker)] + marker
        changes.append(f"texten kortades till Excels gräns på {EXCEL_MAX_CELL} tecken")
    return value, changes


def set_cell(cell, value) -> list[str]:
    """Write a value into an openpyxl cell; text is always text, never a formula."""
    if isinstance(value, str):
        value, changes = cell_text(value)
        cell.value = value
        if value.startswith(_FORMULA_START):
            cell.data_type = "s"
        return changes
    cell.value = value
    return []
