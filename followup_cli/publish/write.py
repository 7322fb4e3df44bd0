"""The one way the toolkit writes a file: to a temporary file beside it, then an atomic replace.

A crash leaves the old file or the new one, never half of one; an output that
is an input is refused; Excel holding a file gets a sentence, not a traceback.
A file that is already there is replaced only if followup wrote it and nobody
has changed it since (a digest per file in the folder's manifest), or with
--force: a checklist that followup wrote and a reviewer then filled in is the
reviewer's. A replaced file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import hashlib
import json
import os
import re
import stat
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from followup_cli.errors import OutputError, UsageError
from followup_cli.read.grid import EXCEL_MAX_CELL

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@")  # what makes Excel read a cell (or a CSV field) as a formula

MANIFEST = ".followup-manifest.json"  # file name → sha256 of what followup last wrote there
TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 3600
PAUSE_FOR_TESTS = "FOLLOWUP_TEST_PAUSE_IN_WRITE"  # seconds to wait with the temp file written: tests/test_faults.py

_overwrite = contextvars.ContextVar("overwrite", default=False)


@contextlib.contextmanager
def overwriting(allowed: bool = True) -> Iterator[None]:
    """Within the block, existing files are replaced even if followup did not write them (--force)."""
    token = _overwrite.set(allowed)
    try:
        yield
    finally:
        _overwrite.reset(token)


def write_atomic(path: Path, write: Callable[[Path], None], inputs: Iterable[Path] = ()) -> Path:
    """Call `write(temp_path)`, then move the result into place."""
    path = Path(path)
    refuse_inputs(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_sentence(path, exc)) from exc
    remove_stale_temps(path.parent)
    mode = _replaceable_mode(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    try:
        write(temp)
        if path.suffix.lower() in (*OFFICE_SUFFIXES, ".pdf"):
            same_bytes_every_time(temp)
        if mode is not None:
            os.chmod(temp, mode)
        if os.environ.get(PAUSE_FOR_TESTS):
            os.write(2, f"paused {temp.name}\n".encode())
            time.sleep(float(os.environ[PAUSE_FOR_TESTS]))
        digest = _digest(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(_sentence(path, exc)) from exc
    finally:
        _unlink(temp)
    _remember(path, digest)
    return path


def remove_stale_temps(folder: Path) -> None:
    """Our own temp files that no writer will finish: older than an hour, or (where we can tell) left by a
    process that is gone. Another job's live temp file is never touched."""
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for temp in candidates:
        parts = temp.name[: -len(TEMP_SUFFIX)].rsplit(".", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            continue  # not ours
        try:
            old = now - temp.stat().st_mtime > STALE_AFTER_SECONDS
        except OSError:
            continue
        if old or not _process_alive(int(parts[1])):
            _unlink(temp)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True  # os.kill(pid, 0) would end the process on Windows: only age decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def _replaceable_mode(path: Path) -> int | None:
    """The permission bits to keep when `path` is replaced (None when it does not exist); refuses, with a
    sentence, a read-only target and one followup did not write (unless --force)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(_sentence(path, exc)) from exc
    if path.is_dir():
        raise OutputError(f"{path} är en mapp. Ange ett filnamn, t.ex. {path / 'plan.xlsx'}.")
    if not info.st_mode & stat.S_IWUSR:
        raise OutputError(f"{path} är skrivskyddad och skrivs inte över. Ta bort skrivskyddet eller välj ett annat namn.")
    if not _overwrite.get() and _manifest(path.parent).get(path.name) != _digest(path):
        raise OutputError(f"{path} finns redan och är inte skriven av followup, eller har ändrats sedan followup skrev den. "
                          "Den skrivs inte över: välj ett annat namn, eller lägg till --force om den ska ersättas.")
    return stat.S_IMODE(info.st_mode)


def changed_since_written(path: Path) -> bool:
    """Whether an existing file is not what followup last wrote there (a reviewer has filled in a checklist, or
    followup never wrote it): the files write_atomic refuses to replace without --force."""
    return path.exists() and _manifest(path.parent).get(path.name) != _digest(path)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(path: Path, digest: str) -> None:
    """The digest of what was just written, in the folder's manifest (itself replaced atomically). A manifest
    that cannot be written costs only the right to replace the file later without --force."""
    folder = path.parent
    entries = _manifest(folder)
    entries[path.name] = digest
    temp = folder / f".{MANIFEST}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    try:
        temp.write_text(json.dumps(dict(sorted(entries.items())), indent=1) + "\n", encoding="utf-8")
        os.replace(temp, folder / MANIFEST)
    except OSError:
        pass
    finally:
        _unlink(temp)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


OFFICE_SUFFIXES = (".xlsx", ".docx")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:\d{14}")
_PDF_ID = re.compile(rb"/ID \[ ?<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})> ?\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]{32})")


def same_bytes_every_time(path: Path) -> None:
    """An Office file rewritten so the same content gives the same bytes: every zip member dated the zip
    epoch (openpyxl and python-docx stamp the time of writing), and the creation and modification times
    left out of docProps/core.xml (both are optional there; Word and Excel show them as empty). A PDF (from
    LibreOffice) gets the same treatment in place: its dates fixed, and its file id and checksum, which
    LibreOffice derives from the time, made from the content instead."""
    with path.open("rb") as fh:
        if fh.read(5) == b"%PDF-":
            return _same_pdf_bytes(path)
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


def _same_pdf_bytes(path: Path) -> None:
    """Every replacement keeps its length, so the PDF's cross-reference offsets stay right."""
    data = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b"(D:20000101000000", path.read_bytes())
    data = _PDF_CHECKSUM.sub(b"/DocChecksum /" + b"0" * 32, data)
    data = _PDF_ID.sub(lambda m: m.group(0).replace(m.group(1), b"0" * 32).replace(m.group(2), b"0" * 32), data)
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().upper().encode()
    data = data.replace(b"/DocChecksum /" + b"0" * 32, b"/DocChecksum /" + digest)
    data = _PDF_ID.sub(lambda m: m.group(0).replace(b"0" * 32, digest), data)
    path.write_bytes(data)


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
        if value.startswith(FORMULA_START):
            cell.data_type = "s"
        return changes
    cell.value = value
    return []
