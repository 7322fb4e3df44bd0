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
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from followup_cli.errors import InputError
from followup_cli.swedish import thousands
from followup_cli.text import column_index

MAX_FILE_BYTES = 1 << 30  # 1 GiB on disk
MAX_UNPACKED_BYTES = 4 << 30  # 4 GiB unpacked in all
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 20 << 20
MAX_CELLS = 30_000_000  # rows × columns the reader would allocate; 10× the largest real register
MAX_SHARED_STRINGS = 20_000_000
CHUNK = 8 << 20
RAW_CHUNK = 512 << 10  # compressed bytes per read: small, so zlib's unconsumed input is never copied much

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class SheetScan:
    """What the pre-scan learned about one worksheet."""

    name: str
    part: str = ""  # the sheet's XML inside the package
    size: int = 0  # its unpacked size in bytes
    hidden: bool = False
    first_row: int = 1  # Excel row of the reader's first row (its range starts at the first value)
    first_col: int = 0  # 0-based column of the reader's first column
    error_cells: dict[str, str] = field(default_factory=dict)  # "E7" → "#DIV/0!"
    uncached_formulas: list[str] = field(default_factory=list)  # ["E8", ...]
    merged: list[str] = field(default_factory=list)  # merged ranges, ["A2:A5", ...]


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
        # Header fields from offset 44: FAT sector count … first DIFAT sector (68), DIFAT sector count (72).
        fields = struct.unpack_from("<8I", header, 44)
        fat_sectors, difat_sectors = fields[0], fields[7]
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
# Patterns anchored on a literal, so the regex engine skips ahead instead of trying every cell.
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
# A row or cell at row 1,000,000 or beyond, or a cell in column AA or beyond: one pass finds either.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{2,3}\d|[A-Z]?\d{7})')
_HUGE_ROW = re.compile(rb'r="[A-Z]{0,3}(\d{7,})"')
_WIDE_REF = re.compile(rb'r="([A-Z]{2,3})\d')
# A cell the reader counts as a value: a non-empty <v>, an inline string, or a t="str" formula
# result even when empty (measured against calamine: an empty <v> of any other type is no value).
_CELL_WITH_V = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?<!/)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(<v>[^<]|<is>|<v></v>|<v\s*/>)')
_UNCACHED_END = (re.compile(rb'</f>(?:<v\s*/>|<v></v>)?</c>'), re.compile(rb'<f\b[^>]*/>(?:<v\s*/>|<v></v>)?</c>'))
_CELL_START = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*)>')
_CELL_REF = re.compile(rb'<c r="([A-Z]+\d+)"')
_ERROR_VALUE = re.compile(rb'<v>([^<]*)</v>')
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_UNIQUE_COUNT = re.compile(rb'<sst\b[^>]*?\buniqueCount="(\d+)"')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')


def index_xlsx(path: Path) -> dict[str, SheetScan]:
    """The sheets of an .xlsx/.xlsm by name, after the archive and shared strings are checked.

    Each sheet's own XML is measured later by `scan_sheet`, just before it is read.
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
        _check_shared_strings(zf, path, names)
        sizes = {info.filename: info.file_size for info in zf.infolist()}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    scans = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        name = sheet.get("name", "")
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        scans[name] = SheetScan(name=name, part=part if part in names else "", size=sizes.get(part, 0),
                                hidden=sheet.get("state", "visible") != "visible")
    return scans


def scan_sheet(path: Path, scan: SheetScan) -> SheetScan:
    """Measure one sheet's XML before calamine reads it; raises InputError for what must not be parsed."""
    if scan.part:
        with zipfile.ZipFile(path) as zf:
            _scan_sheet_xml(zf, scan.part, path, scan)
    return scan


def scan_xlsx(path: Path) -> dict[str, SheetScan]:
    """Index and measure every sheet at once."""
    return {name: scan_sheet(path, scan) for name, scan in index_xlsx(path).items()}


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
    """Stream one sheet's XML: how large a grid the reader would allocate, where values start, bad cells.

    Rows of a million or more and columns beyond Z are searched for first; only
    where they occur is the exact extent worked out, so an ordinary register
    costs a few fast searches per block.
    """
    max_row = 0
    max_col = 25  # columns A–Z unless a longer column name occurs
    min_row: int | None = None
    min_col: int | None = None
    tail = b""
    first = True
    for block in _blocks(zf, part, path):
        data = tail + block
        if first:
            _refuse_entities(data[:4096], path, part)
            dim = _DIMENSION.search(data[:4096])
            if dim:
                max_row = max(max_row, int(dim.group(2)))
                max_col = max(max_col, column_index(dim.group(1).decode()))
            first = False
        last = data.rfind(b"<row ")
        if last >= 0:
            row = _LAST_ROW.match(data, last)
            if row:
                max_row = max(max_row, int(row.group(1)))
        if _FAR_REF.search(data):
            rows = _HUGE_ROW.findall(data)
            cols = _WIDE_REF.findall(data)
            max_row = max(max_row, *(int(r) for r in rows)) if rows else max_row
            max_col = max(max_col, *(column_index(c.decode()) for c in cols)) if cols else max_col
        if min_row is None:
            hit = _first_value_cell(data)
            if hit:
                min_row, min_col = int(hit.group(2)), column_index(hit.group(1).decode())
        if min_col:
            min_col = _leftmost_value_column(data, min_col)
        if b't="e"' in data:
            _collect_errors(data, scan)
        if b"<f" in data:
            _collect_uncached(data, scan)
        if b"<mergeCell " in data:  # at the sheet's end; the overlap with the last block may repeat one
            for ref in _MERGE.findall(data):
                if ref.decode() not in scan.merged:
                    scan.merged.append(ref.decode())
        tail = data[-4096:]
        if max_row * (max_col + 1) > MAX_CELLS:
            break
    # Rows out of order cannot hide beyond 999,999 (a 7-digit row would have been found),
    # so where columns reach past Z the exact row count is worth its cost.
    if max_col >= 26 and max_row * (max_col + 1) <= MAX_CELLS:
        max_row = max(max_row, _exact_max_row(zf, part))
    cells = max_row * (max_col + 1)
    if cells > MAX_CELLS:
        raise InputError(
            f"Bladet {scan.name} i {path.name} sträcker sig över {thousands(max_row)} rader och {thousands(max_col + 1)} kolumner "
            f"– långt större än något register. Ta bort celler långt ut till höger eller nedåt "
            f"(Ctrl+End visar den sista), spara och försök igen."
        )
    scan.first_row = min_row or 1
    scan.first_col = min_col or 0


def _blocks(zf: zipfile.ZipFile, part: str, path: Path):
    """A sheet's XML in blocks of about CHUNK bytes.

    Deflated parts are inflated with zlib straight from the file: zipfile's reader also keeps a CRC, which
    this scan has no use for (the reader that parses the sheet checks the file itself); that was 0.08 s of
    0.24 s for the benchmark's 104 MB invoice sheet. Output is bounded per call and by the declared size,
    so a part that inflates beyond what it claims is refused, not held in memory."""
    info = zf.getinfo(part)
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        with zf.open(part) as fh:
            while block := fh.read(CHUNK):
                yield block
        return
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise InputError(f"{path.name} är trasig ({part} saknas där arkivet anger det). Spara om den från Excel.")
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        fh.seek(info.header_offset + 30 + name_length + extra_length)
        inflater = zlib.decompressobj(-15)
        left, produced = info.compress_size, 0
        while left > 0 and not inflater.eof:
            data = fh.read(min(RAW_CHUNK, left))
            if not data:
                break
            left -= len(data)
            while data:
                try:
                    block = inflater.decompress(data, CHUNK)
                except zlib.error as exc:
                    raise InputError(f"{path.name} är trasig ({part} kan inte packas upp: {exc}). Spara om den från Excel.") from exc
                data = inflater.unconsumed_tail
                produced += len(block)
                if produced > info.file_size:
                    raise InputError(f"{path.name} är trasig: {part} packas upp till mer än de {thousands(info.file_size)} byte "
                                     "arkivet anger. Spara om den från Excel.")
                if block:
                    yield block


def _exact_max_row(zf: zipfile.ZipFile, part: str) -> int:
    best = 0
    tail = b""
    with zf.open(part) as fh:
        while block := fh.read(CHUNK):
            data = tail + block
            rows = _LAST_ROW.findall(data)
            if rows:
                best = max(best, max(int(r) for r in rows))
            tail = data[-64:]
    return best


def _first_value_cell(data: bytes, letter: bytes = b"[A-Z]+"):
    pattern = _CELL_WITH_V if letter == b"[A-Z]+" else re.compile(_CELL_WITH_V.pattern.replace(b"([A-Z]+)", b"(" + letter + b")", 1))
    for match in pattern.finditer(data):
        if match.group(4).startswith(b"<v>") and match.group(4) != b"<v></v>" or match.group(4) == b"<is>" or b't="str"' in match.group(3):
            return match
    return None


def _cell_start_before(data: bytes, position: int):
    start = data.rfind(b"<c ", 0, position)
    return _CELL_START.match(data, start) if start >= 0 else None


def _cell_ref_before(data: bytes, position: int) -> str | None:
    cell = _cell_start_before(data, position)
    return cell.group(1).decode() if cell else None


def _collect_errors(data: bytes, scan: SheetScan) -> None:
    """Cells of type e hold an Excel error (#DIV/0!, #N/A) that the reader turns into an empty cell."""
    position = data.find(b't="e"')
    while position >= 0:
        ref = _cell_ref_before(data, position)
        end = data.find(b"</c>", position)
        value = _ERROR_VALUE.search(data, position, end if end > 0 else len(data))
        if ref and value:
            scan.error_cells[ref] = value.group(1).decode("utf-8", "replace")
        position = data.find(b't="e"', position + 5)


def _collect_uncached(data: bytes, scan: SheetScan) -> None:
    """A formula whose cell has no saved value (written by a program that does not calculate)."""
    for pattern in _UNCACHED_END:
        for match in pattern.finditer(data):
            cell = _cell_start_before(data, match.start())
            if cell is None or (b't="str"' in cell.group(2) and b"<v" in match.group(0)):
                continue  # a t="str" formula with an empty <v> saved an empty text: that is a value
            ref = cell.group(1).decode()
            if ref not in scan.uncached_formulas:
                scan.uncached_formulas.append(ref)


def _leftmost_value_column(data: bytes, current: int) -> int:
    """A value further left than the first one found moves the reader's first column."""
    for col in range(min(current, 26)):
        if _first_value_cell(data, chr(65 + col).encode()):
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
