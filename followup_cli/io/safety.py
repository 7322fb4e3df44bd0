"""Checks that run before any spreadsheet parser sees a file.

The Rust reader (calamine) aborts the whole process, uncatchably, on some
crafted but small files: two cells far apart make it allocate rows × columns
cells (calamine #693), a shared-string count makes it reserve that many
strings (#684), and a legacy (CFB) header's sector counts drive allocations
before anything is read (#714). So the archive, the sheet XML and the CFB
header are measured here first, by our own streaming code that never
allocates by what the file claims. The same pass collects what the reader
would silently drop: Excel error cells and formulas without a cached value.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from followup_cli.errors import InputError
from followup_cli.text import column_index, thousands

MAX_FILE_BYTES = 1 << 30  # 1 GiB on disk
MAX_UNPACKED_BYTES = 4 << 30  # 4 GiB unpacked in all
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 20 << 20
MAX_CELLS = 30_000_000  # rows × columns the reader would allocate; 10× the largest real register
MAX_SHARED_STRINGS = 20_000_000
CHUNK = 8 << 20

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class SheetScan:
    """What the pre-scan learned about one worksheet."""

    name: str
    hidden: bool = False
    first_row: int = 1  # Excel row of the reader's first row (its range starts at the first value)
    first_col: int = 0  # 0-based column of the reader's first column
    error_cells: dict[str, str] = field(default_factory=dict)  # "E7" → "#DIV/0!"
    uncached_formulas: list[str] = field(default_factory=list)  # ["E8", ...]


def sniff_kind(path: Path) -> str:
    """'xlsx', 'ods', 'xls', 'encrypted' or 'csv', from the bytes, not the name.

    Raises InputError with a sentence for what is not a table at all.
    """
    name = path.name
    if name.startswith("~$"):
        raise InputError(
            f"{name} är Excels låsfil, inte ett register: Excel skapar den medan "
            f"{name[2:]} är öppen. Ange {name[2:]} i stället (och stäng den i Excel om den är öppen)."
        )
    if not path.exists():
        raise InputError(f"Filen {path} finns inte. Kontrollera sökvägen.")
    if path.is_dir():
        raise InputError(f"{path} är en mapp, inte en fil. Ange registrets arbetsbok (.xlsx) eller en .csv-fil.")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name} är tom (0 byte). Spara registret på nytt från Excel.")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{name} är {size / 2**30:.1f} GB, större än något register; dela upp filen.")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        return "ods" if _is_ods(path) else "xlsx"
    if head == OLE_MAGIC:
        return _ole_kind(path, size)
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        raise InputError(
            f"{name} är inte en Excel-arbetsbok fast namnet slutar på {path.suffix}"
            + (" (den verkar vara text, t.ex. CSV)" if _looks_like_text(path) else "")
            + ". Öppna den i Excel och spara som Excel-arbetsbok (.xlsx), eller byt ändelse till .csv om den är CSV."
        )
    if not _looks_like_text(path):
        raise InputError(f"{name} är varken en Excel-arbetsbok eller en textfil (CSV). Spara registret som .xlsx.")
    return "csv"


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    return b"\x00" not in sample


def _is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet") if "mimetype" in zf.namelist() else False
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _ole_kind(path: Path, size: int) -> str:
    """A CFB container is either a legacy .xls or an encrypted OOXML workbook."""
    with path.open("rb") as fh:
        header = fh.read(512)
        if len(header) < 512:
            raise InputError(f"{path.name} är trasig (för kort för en Excel-fil). Spara om den från Excel.")
        sector_shift = struct.unpack_from("<H", header, 30)[0]
        fat_sectors, _, _, _, _, _, difat_sectors = struct.unpack_from("<7I", header, 44)
        if sector_shift not in (9, 12):
            raise InputError(f"{path.name} är trasig (okänd sektorstorlek). Spara om den från Excel.")
        sectors = size >> sector_shift
        if fat_sectors > sectors or difat_sectors > sectors:
            raise InputError(f"{path.name} är trasig: huvudet anger fler sektorer än filen har. Spara om den från Excel.")
        body = fh.read(min(size, 64 << 20))
    if "EncryptedPackage".encode("utf-16-le") in body:
        raise InputError(
            f"{path.name} är lösenordsskyddad (krypterad) och kan inte läsas. "
            "Öppna den i Excel och spara en kopia utan lösenord (Arkiv → Info → Skydda arbetsbok)."
        )
    return "xls"


def check_archive(path: Path) -> zipfile.ZipFile:
    """Open a zip-based workbook, refusing zip bombs by declared sizes and ratios."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path.name} är trasig och kan inte öppnas som arbetsbok ({exc}). Spara om den från Excel.") from exc
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            zf.close()
            raise InputError(
                f"{path.name} packas upp till orimligt mycket ({info.filename}: {info.file_size / 2**20:.0f} MB "
                f"ur {info.compress_size / 2**10:.0f} kB). Filen liknar en zip-bomb och läses inte."
            )
    if total > MAX_UNPACKED_BYTES:
        zf.close()
        raise InputError(f"{path.name} packas upp till {total / 2**30:.1f} GB, mer än något register. Filen läses inte.")
    return zf


# --- xlsx --------------------------------------------------------------------

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_ROW_NUM = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_BIG_CELL_ROW = re.compile(rb'<c\b[^>]*?\br="[A-Z]{1,3}(\d{7,})"')
_WIDE_CELL = {n: re.compile(rb'<c\b[^>]*?\br="([A-Z]{%d})\d' % n) for n in (3, 2)}
_VALUE_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(?:<v>[^<]|<is>)')
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?\bt="e"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]*)</v>')
_UNCACHED = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>')
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_UNIQUE_COUNT = re.compile(rb'<sst\b[^>]*?\buniqueCount="(\d+)"')


def scan_xlsx(path: Path) -> dict[str, SheetScan]:
    """Measure every worksheet of an .xlsx/.xlsm before calamine reads it.

    Returns the scans by sheet name; raises InputError for what must not be parsed.
    """
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    with check_archive(path) as zf:
        names = set(zf.namelist())
        try:
            book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        except KeyError as exc:
            raise InputError(f"{path.name} saknar delar som en Excel-arbetsbok måste ha ({exc}). Spara om den från Excel.") from exc
        except DefusedXmlException as exc:
            raise InputError(f"{path.name} innehåller XML-entiteter eller DTD:er, som en arbetsbok från Excel aldrig har. Filen läses inte.") from exc
        except ElementTree.ParseError as exc:
            raise InputError(f"{path.name} är trasig (felaktig XML i arbetsboken: {exc}). Spara om den från Excel.") from exc
        targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
        _check_shared_strings(zf, path, names)
        scans = {}
        for sheet in book.findall("m:sheets/m:sheet", _NS):
            name = sheet.get("name", "")
            target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            scan = SheetScan(name=name, hidden=sheet.get("state", "visible") != "visible")
            if part in names:
                _scan_sheet_xml(zf, part, path, scan)
            scans[name] = scan
        return scans


def _check_shared_strings(zf: zipfile.ZipFile, path: Path, names: set[str]) -> None:
    if "xl/sharedStrings.xml" not in names:
        return
    with zf.open("xl/sharedStrings.xml") as fh:
        head = fh.read(4096)
    _refuse_entities(head, path, "xl/sharedStrings.xml")
    match = _UNIQUE_COUNT.search(head)
    size = zf.getinfo("xl/sharedStrings.xml").file_size
    if match and int(match.group(1)) > min(MAX_SHARED_STRINGS, max(1000, size // 4)):
        raise InputError(
            f"{path.name} är trasig: den anger {thousands(int(match.group(1)))} delade texter men har plats för långt färre. "
            "Spara om den från Excel."
        )


def _refuse_entities(data: bytes, path: Path, part: str) -> None:
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise InputError(f"{path.name} innehåller XML-entiteter ({part}), som en arbetsbok från Excel aldrig har. Filen läses inte.")


def _scan_sheet_xml(zf: zipfile.ZipFile, part: str, path: Path, scan: SheetScan) -> None:
    """Stream one sheet's XML: size of the grid, where its values start, and bad cells."""
    max_row = 0
    max_col = 25  # assume up to column Z unless longer column names appear
    min_row: int | None = None
    min_col: int | None = None
    tail = b""
    first = True
    with zf.open(part) as fh:
        while True:
            block = fh.read(CHUNK)
            if not block:
                break
            data = tail + block
            if first:
                _refuse_entities(data[:4096], path, part)
                dim = _DIMENSION.search(data[:4096])
                if dim:
                    max_row = max(max_row, int(dim.group(2)))
                    max_col = max(max_col, column_index(dim.group(1).decode()))
                first = False
            rows = _ROW_NUM.findall(data)
            if rows:
                max_row = max(max_row, int(max(rows, key=lambda r: (len(r), r))))
            big = _BIG_CELL_ROW.findall(data)
            if big:
                max_row = max(max_row, max(int(r) for r in big))
            for width, pattern in _WIDE_CELL.items():
                wide = pattern.findall(data)
                if wide:
                    max_col = max(max_col, max(column_index(w.decode()) for w in wide))
                    break
            if min_row is None:
                hit = _VALUE_CELL.search(data)
                if hit:
                    min_row, min_col = int(hit.group(2)), column_index(hit.group(1).decode())
            if min_col:
                min_col = _leftmost_value_column(data, min_col)
            if b't="e"' in data:
                for ref, value in _ERROR_CELL.findall(data):
                    scan.error_cells[ref.decode()] = value.decode("utf-8", "replace")
            if b"<f" in data:
                for ref in _UNCACHED.findall(data):
                    if ref.decode() not in scan.uncached_formulas:
                        scan.uncached_formulas.append(ref.decode())
            cut = data.rfind(b"<row")
            tail = data[cut:] if cut > len(data) - 65536 else data[-65536:]
            if max_row * (max_col + 1) > MAX_CELLS:
                break
    cells = max_row * (max_col + 1)
    if cells > MAX_CELLS:
        raise InputError(
            f"Bladet {scan.name} i {path.name} sträcker sig över {thousands(max_row)} rader och {thousands(max_col + 1)} kolumner "
            f"– långt större än något register. Ta bort celler långt ut till höger eller nedåt "
            f"(Ctrl+End visar den sista), spara och försök igen."
        )
    scan.first_row = min_row or 1
    scan.first_col = min_col or 0


def _leftmost_value_column(data: bytes, current: int) -> int:
    """A value further left than the first one found moves the reader's first column."""
    for col in range(current):
        letter = chr(65 + col) if col < 26 else None
        if letter and re.search(
            rb'<c\b[^>]*?\br="' + letter.encode() + rb'\d+"[^>]*?(?<!/)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(?:<v>[^<]|<is>)', data
        ):
            return col
    return current


# --- ods ---------------------------------------------------------------------

_ODS_REPEATED_VALUE_CELL = re.compile(
    rb'<table:table-cell\b(?=[^>]*office:value-type)[^>]*?number-columns-repeated="(\d+)"'
)
_ODS_REPEATED_ROW = re.compile(rb'<table:table-row\b[^>]*?number-rows-repeated="(\d{5,})"[^>]*>')


def scan_ods(path: Path) -> None:
    """Refuse OpenDocument sheets whose repeated cells with values would explode in the reader."""
    with check_archive(path) as zf:
        try:
            data = zf.read("content.xml")
        except KeyError as exc:
            raise InputError(f"{path.name} saknar content.xml och är inte ett giltigt OpenDocument-kalkylark.") from exc
    _refuse_entities(data[:4096], path, "content.xml")
    repeats = [int(n) for n in _ODS_REPEATED_VALUE_CELL.findall(data)]
    rows = 0
    for match in _ODS_REPEATED_ROW.finditer(data):
        end = data.find(b"</table:table-row>", match.end())
        if b"office:value-type" in data[match.end() : end]:
            rows = max(rows, int(match.group(1)))
    if (repeats and max(repeats) > 16384) or rows * max(repeats or [1]) > MAX_CELLS:
        raise InputError(f"{path.name} upprepar värden över orimligt många celler och läses inte. Spara om den som .xlsx.")
