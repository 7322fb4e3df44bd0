"""A catalogue of malformed and unusual inputs for `followup validate`.

Every input is built by code in tmp_path while the test runs (no bombs or
binaries are committed). Each case asserts the exact exit code (3: the file
cannot be used at all, 1: readable but the register has errors, 0: readable,
warnings at most), that the message or the JSON problems name the file (and
sheet, row and column where there is one), that no traceback is printed and
that the input files are left byte for byte as they were.

Cases that could abort the process inside the Rust reader if our pre-scan
failed (calamine #693, #684) run first in a subprocess with a timeout.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import (
    PROVIDER_HEADERS,
    fingerprint,
    provider_row,
    valid_sheets,
    write_xlsx,
)

from followup_cli.text import column_letter

JSON_KEYS = {"file", "sheet", "row", "column", "header", "value", "severity", "code", "message"}


# --- running and asserting -----------------------------------------------------


def run(cli, tmp_path: Path, *args, **kw):
    """`followup validate ARGS`, asserting no traceback and untouched inputs."""
    before = fingerprint(tmp_path)
    result = cli("validate", *args, **kw)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert fingerprint(tmp_path) == before, "validate changed its input files"
    return result


def problems_of(cli, tmp_path: Path, path: Path, *more) -> tuple[int, list[dict]]:
    """Exit code and JSON problems; every problem has the documented keys and names the file."""
    result = run(cli, tmp_path, path, "--json", *more)
    problems = result.json()
    assert isinstance(problems, list)
    assert all(set(p) == JSON_KEYS for p in problems), problems
    assert all(p["file"] == path.name for p in problems), problems
    return result.code, problems


def places(problems: list[dict], code: str) -> list[tuple]:
    return [(p["sheet"], p["row"], p["column"]) for p in problems if p["code"] == code]


def assert_excel_shows(path: Path, problems: list[dict]) -> None:
    """Each problem's sheet, row and column hold its value in the workbook as Excel (openpyxl) addresses it."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    checked = [p for p in problems if p["row"] and p["column"] and p["value"] is not None]
    assert checked
    for p in checked:
        assert str(book[p["sheet"]][f"{p['column']}{p['row']}"].value).strip() == p["value"], p


def assert_unusable(cli, tmp_path: Path, path: Path, *phrases: str) -> str:
    """Exit 3 with a sentence naming the file; with --json one 'unreadable-file' problem."""
    plain = run(cli, tmp_path, path)
    assert plain.code == 3, (plain.code, plain.stderr)
    assert path.name in plain.stderr
    assert plain.stderr.startswith("followup: ")
    for phrase in phrases:
        assert phrase in plain.stderr, plain.stderr
    as_json = run(cli, tmp_path, path, "--json")
    assert as_json.code == 3, as_json.stderr
    [problem] = as_json.json()
    assert set(problem) == JSON_KEYS
    assert (problem["code"], problem["severity"], problem["file"]) == ("unreadable-file", "error", path.name)
    assert path.name in problem["message"]
    return plain.stderr


def run_in_subprocess(path: Path, timeout: float = 20.0) -> tuple[subprocess.CompletedProcess, float]:
    """The real process, so an abort in the reader shows as a signal instead of killing pytest."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "followup_cli", "validate", str(path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    return proc, time.monotonic() - start


def read(path: Path, **sheets):
    from followup_cli.register.read import RegisterSources, SheetSource, read_register

    return read_register(RegisterSources(path, {k: SheetSource(v) for k, v in sheets.items()}), dt.date(2026, 1, 1))


# --- building inputs -------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(rows: list[list], *, dimension: str | None = None, extra_cells: str = "") -> str:
    """A worksheet with inline-string and number cells from row 1, column A."""
    out = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{column_letter(c)}{r}"
            if value is None:
                continue
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{"".join(out)}{extra_cells}</sheetData></worksheet>'


def workbook_xml(sheet: str = "Utförare", doctype: str = "") -> str:
    return (f'{XML_HEAD}{doctype}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def write_package(path: Path, sheet: str | None = None, *, workbook: str | None = None,
                  shared_strings: str | None = None, big_sheet_mb: int = 0) -> Path:
    """A minimal .xlsx written by hand with zipfile: content types, rels, workbook and one sheet.

    With big_sheet_mb, sheet1.xml is streamed as that many MB of spaces after an opening tag
    (a zip bomb that stays a few hundred kB on disk and takes a second to build).
    """
    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    wb_rels = f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        overrides += '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        wb_rels += f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                               f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        "_rels/.rels": f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": workbook or workbook_xml(),
        "xl/_rels/workbook.xml.rels": f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{wb_rels}</Relationships>',
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))
        if big_sheet_mb:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                fh.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
                block = b" " * (1 << 20)
                for _ in range(big_sheet_mb):
                    fh.write(block)
                fh.write(b"</sheetData></worksheet>")
        else:
            zf.writestr("xl/worksheets/sheet1.xml", (sheet or sheet_xml([])).encode("utf-8"))
    return path


def write_grid(path: Path, cells: dict[str, object], merges: tuple[str, ...] = (), sheet: str = "Utförare") -> Path:
    """A workbook whose only sheet has the given cells, e.g. {'C4': 'Utförar-ID'}."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
        if isinstance(value, dt.date):
            ws[ref].number_format = "yyyy-mm-dd"
    for area in merges:
        ws.merge_cells(area)
    wb.save(path)
    return path


def provider_cells(first_row: int, first_col: int, rows: list[list]) -> dict[str, object]:
    """The header and provider rows placed with their top-left corner at (first_row, first_col)."""
    cells = {}
    for r, row in enumerate([PROVIDER_HEADERS, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                cells[f"{column_letter(first_col + c)}{first_row + r}"] = value
    return cells


def csv_text(rows: list[list], sep: str) -> str:
    def field(v):
        text = "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
        return f'"{text}"' if sep in text else text
    return "".join(sep.join(field(v) for v in row) + "\r\n" for row in rows)


def with_event_date(value) -> dict:
    sheets = valid_sheets()
    sheets["Händelser"][1][0] = value
    return sheets


# --- files that are not a usable workbook at all: exit 3 ----------------------------


def test_empty_0_byte_xlsx(cli, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"")
    assert_unusable(cli, tmp_path, path, "tom (0 byte)")


def test_text_file_named_xlsx(cli, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("Utförar-ID;Namn\nHT-001;Solgården\n", encoding="utf-8")
    assert_unusable(cli, tmp_path, path, "inte en Excel-arbetsbok", "verkar vara text")


def test_random_bytes_named_xlsx(cli, tmp_path):
    import random

    path = tmp_path / "register.xlsx"
    path.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(5000)).replace(b"PK", b"pk") + b"\x00")
    assert_unusable(cli, tmp_path, path, "inte en Excel-arbetsbok")


def test_truncated_zip_named_xlsx(cli, tmp_path, register):
    path = register()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_unusable(cli, tmp_path, path, "trasig")


def test_zip_without_workbook_parts(cli, tmp_path):
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    assert_unusable(cli, tmp_path, path, "saknar delar")


def test_broken_sheet_xml(cli, tmp_path):
    path = write_package(tmp_path / "register.xlsx", sheet_xml([PROVIDER_HEADERS])[:-40])
    assert_unusable(cli, tmp_path, path)


def encrypted_register(tmp_path: Path, register) -> Path:
    """A password-protected workbook, as Excel writes it: an OLE container holding EncryptedPackage."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = register(name="plain.xlsx")
    path = tmp_path / "register.xlsx"
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("hemligt", out)
    plain.unlink()
    return path


def test_password_protected_xlsx_is_exit_3(cli, tmp_path, register):
    assert_unusable(cli, tmp_path, encrypted_register(tmp_path, register))




def test_password_protected_xlsx_says_so(cli, tmp_path, register):
    assert_unusable(cli, tmp_path, encrypted_register(tmp_path, register), "lösenordsskyddad")


def test_cfb_header_claiming_more_sectors_than_the_file_has(cli, tmp_path):
    """calamine #714: sector counts from a legacy header drive allocations before anything is read."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = (9).to_bytes(2, "little")
    header[44:48] = (0x7FFFFFFF).to_bytes(4, "little")  # number of FAT sectors
    path = tmp_path / "register.xls"
    path.write_bytes(bytes(header) + b"\x00" * 1024)
    assert_unusable(cli, tmp_path, path, "trasig")


def test_excel_lock_file_names_the_real_workbook(cli, tmp_path):
    path = tmp_path / "~$register.xlsx"
    path.write_bytes(b"\x0aAnna Andersson" + b" " * 40 + b"\x00" * 110)
    stderr = assert_unusable(cli, tmp_path, path, "låsfil")
    assert "Ange register.xlsx i stället" in stderr


def test_directory_instead_of_a_file(cli, tmp_path):
    path = tmp_path / "register.xlsx"
    path.mkdir()
    assert_unusable(cli, tmp_path, path, "mapp")


def test_missing_file_is_exit_3_not_typer_usage(cli, tmp_path):
    path = tmp_path / "finns-inte.xlsx"
    stderr = assert_unusable(cli, tmp_path, path, "finns inte")
    assert str(path) in stderr


def test_empty_csv(cli, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(b"")
    assert_unusable(cli, tmp_path, path, "tom")


def test_workbook_xml_with_entities_billion_laughs(cli, tmp_path):
    doctype = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
               + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
               + "]>")
    book = workbook_xml(doctype=doctype).replace('name="Utförare"', 'name="&lol9;"')
    path = write_package(tmp_path / "register.xlsx", sheet_xml([PROVIDER_HEADERS]), workbook=book)
    assert_unusable(cli, tmp_path, path, "XML-entiteter")


def test_zip_bomb_sheet_is_refused_quickly(cli, tmp_path):
    path = write_package(tmp_path / "register.xlsx", big_sheet_mb=300)
    assert path.stat().st_size < 2 << 20
    start = time.monotonic()
    assert_unusable(cli, tmp_path, path, "zip-bomb")
    assert time.monotonic() - start < 5


def test_a_sheet_that_inflates_beyond_its_declared_size_is_refused(cli, tmp_path):
    """The archive's directory may lie about a part's size; the pre-scan must not trust it while inflating."""
    import struct

    path = write_package(tmp_path / "register.xlsx", sheet_xml([PROVIDER_HEADERS, provider_row()] * 200))
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = next(i for i in range(len(data)) if data[i:i + 4] == b"PK\x01\x02" and data[i + 46:i + 46 + len(name)] == name)
    struct.pack_into("<I", data, entry + 24, 100)  # central directory: uncompressed size 100 bytes
    path.write_bytes(bytes(data))
    assert_unusable(cli, tmp_path, path, "packas upp till mer än")


HUGE_GRID = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize("dimension", [None, "A1:A1"], ids=["no-dimension", "lying-dimension"])
def test_two_cells_far_apart_are_refused_before_the_reader_allocates(cli, tmp_path, dimension):
    """calamine #693: cells at A1 and XFD1048576 make the reader allocate 17 billion cells and abort."""
    path = write_package(tmp_path / "register.xlsx", sheet_xml([["Utförar-ID"]], dimension=dimension, extra_cells=HUGE_GRID))
    proc, took = run_in_subprocess(path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-2000:])
    assert took < 10
    assert "Traceback" not in proc.stderr and "register.xlsx" in proc.stderr and "Utförare" in proc.stderr
    assert_unusable(cli, tmp_path, path, "rader och", "kolumner")


def test_shared_strings_claiming_four_billion_strings(cli, tmp_path):
    """calamine #684: uniqueCount is used to reserve memory before any string is read."""
    sst = f'{XML_HEAD}<sst xmlns="{MAIN_NS}" count="4000000000" uniqueCount="4000000000"><si><t>Utförar-ID</t></si></sst>'
    sheet = f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    path = write_package(tmp_path / "register.xlsx", sheet, shared_strings=sst)
    proc, took = run_in_subprocess(path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-2000:])
    assert took < 10
    assert "Traceback" not in proc.stderr and "register.xlsx" in proc.stderr
    assert_unusable(cli, tmp_path, path, "delade texter")


# --- readable files: what is wrong is named by sheet, row and column ------------------


def test_hand_made_package_helper_makes_a_readable_register(cli, tmp_path):
    """Control for the cases above: the same helper without a defect validates."""
    rows = [PROVIDER_HEADERS, ["HT-001", "Solgården", None, "Privat", None, "Hemtjänst", None, None, "Kvalitetsenheten"]]
    code, problems = problems_of(cli, tmp_path, write_package(tmp_path / "register.xlsx", sheet_xml(rows)))
    assert (code, problems) == (0, [])


def test_missing_utforare_sheet(cli, tmp_path, register):
    sheets = valid_sheets()
    del sheets["Utförare"]
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    assert places(problems, "missing-sheet") == [("Utförare", None, None)]


def test_missing_required_column(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"] = [row[:3] + row[4:] for row in sheets["Utförare"]]  # without Regiform (and no shared list mutated)
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = [p for p in problems if p["code"] == "missing-column"]
    assert (p["sheet"], p["row"], p["header"], p["severity"]) == ("Utförare", 1, "Regiform", "error")


def test_duplicate_ids(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"].append(provider_row("0180", "Kopia"))
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = [p for p in problems if p["code"] == "duplicate"]
    assert (p["sheet"], p["row"], p["column"], p["value"]) == ("Utförare", 4, "A", "0180")
    assert "rad 3" in p["message"]


def test_unknown_provider_reference(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Händelser"].append([dt.date(2025, 4, 1), "HT-404", "Synpunkt", 1, None, None])
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    assert places(problems, "unknown-reference") == [("Händelser", 3, "B")]


def test_text_in_a_number_column(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"][2][9] = "ungefär sextio"
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = [p for p in problems if p["code"] == "wrong-type"]
    assert (p["sheet"], p["row"], p["column"], p["header"], p["value"]) == \
        ("Utförare", 3, "J", "Antal brukare", "ungefär sextio")




@pytest.mark.parametrize("value", [
    "2024-03-01", "2024-03-01 13:45", "2024-03-01T13:45:10",
    "1/3 2024", "01.03.2024", "1 mars 2024", "den 1 mars 2024",
    45352, "45352", 20240301, "20240301", dt.datetime(2024, 3, 1, 8, 30), dt.date(2024, 3, 1),
], ids=["iso", "iso-time", "iso-T-seconds", "swedish-slash", "dotted", "words", "den-words", "serial-number",
        "serial-text", "compact-number", "compact-text", "datetime-cell", "date-cell"])
def test_each_date_form_is_accepted(cli, tmp_path, register, value):
    path = register(with_event_date(value))
    code, problems = problems_of(cli, tmp_path, path, "--as-of", "2025-01-01")
    assert (code, problems) == (0, [])
    events = read(path).tables["events"].data
    assert events["date"].iat[0].date() == dt.date(2024, 3, 1)


def test_impossible_date_is_rejected_with_its_cell(cli, tmp_path, register):
    code, problems = problems_of(cli, tmp_path, register(with_event_date("2025-02-30")))
    assert code == 1
    [p] = [p for p in problems if p["code"] == "wrong-type"]
    assert (p["sheet"], p["row"], p["column"], p["header"], p["value"]) == ("Händelser", 2, "A", "Datum", "2025-02-30")


def test_decimal_commas_in_a_csv_sheet_are_accepted(cli, tmp_path, register):
    path = register()
    (tmp_path / "fakt.csv").write_text("Månad;Utförar-ID;Beslutad tid;Utförd tid\n"
                                       "2025-01;HT-001;12,5;1 234,75\n2025-02;0180;0,5;1.234,5\n", encoding="utf-8")
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nsheets:\n  fakturering: fakt.csv\n", encoding="utf-8")
    result = run(cli, tmp_path, "--json", cwd=tmp_path)
    assert (result.code, result.json()) == (0, [])
    billing = read(path, billing=tmp_path / "fakt.csv").tables["billing"].data
    assert billing["decided_hours"].tolist() == [12.5, 0.5]
    assert billing["billed_hours"].tolist() == [1234.75, 1234.5]


def test_header_under_title_rows(cli, tmp_path):
    cells = {"A1": "Utförarregister", "A2": "Socialförvaltningen", "B3": "Uppdaterad 2025-01-07"}
    cells |= provider_cells(4, 0, [provider_row(), provider_row("HT-002", "Eken"), provider_row("HT-003", ownership="Privat regi")])
    path = write_grid(tmp_path / "register.xlsx", cells)
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 7, "D")]
    assert [p["code"] for p in problems] == ["not-in-vocabulary"]
    assert_excel_shows(path, problems)


def test_header_under_title_rows_with_empty_first_row(cli, tmp_path):
    cells = {"B2": "Utförarregister"} | provider_cells(4, 0, [provider_row(), provider_row("HT-002", clients="många")])
    path = write_grid(tmp_path / "register.xlsx", cells)
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "wrong-type") == [("Utförare", 6, "J")]
    assert_excel_shows(path, problems)


def test_table_starting_in_column_c(cli, tmp_path):
    """Excel shows Regiform in column F when the table starts in C; a problem must say F, not D."""
    rows = [provider_row(), provider_row("HT-002", ownership="Privat regi", clients=-1)]
    path = write_grid(tmp_path / "register.xlsx", provider_cells(3, 2, rows))
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 5, "F")]
    assert places(problems, "out-of-range") == [("Utförare", 5, "L")]
    assert_excel_shows(path, problems)


def test_table_in_column_c_with_a_note_further_left(cli, tmp_path):
    cells = provider_cells(3, 2, [provider_row(), provider_row("HT-002", ownership="Privat regi")])
    cells["A9"] = "Anteckning: HT-002 byter ägare"
    path = write_grid(tmp_path / "register.xlsx", cells)
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 5, "F")]
    assert_excel_shows(path, problems)


def test_merged_title_and_data_cells(cli, tmp_path):
    cells = {"A1": "Utförarregister 2025"} | provider_cells(
        3, 0, [provider_row(), provider_row("HT-002", "Eken"), provider_row("HT-003", "Ek", ownership="Privat regi")])
    path = write_grid(tmp_path / "register.xlsx", cells, merges=("A1:N2", "H4:H5"))
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 6, "D")]
    # The title's merge is left alone; Nämnd merged over two providers' rows is read as Excel shows it, and said.
    assert places(problems, "merged-cells") == [("Utförare", 4, "H")]
    assert len(problems) == 2
    assert read(path).tables["providers"].data["board"].tolist()[:2] == ["Socialnämnden", "Socialnämnden"]
    assert_excel_shows(path, [p for p in problems if p["code"] != "merged-cells"])


def test_merged_header_cell_over_two_columns(cli, tmp_path):
    """'Namn' merged over B:C hides the header of column C (Organisationsnummer): that column is missing."""
    cells = provider_cells(1, 0, [provider_row()])
    path = write_grid(tmp_path / "register.xlsx", cells, merges=("B1:C1",))
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 0
    assert problems == []
    assert read(path).tables["providers"].data["org_number"].isna().all()


def test_hidden_sheet_is_a_warning(cli, tmp_path, register):
    code, problems = problems_of(cli, tmp_path, register(hidden=("Händelser",)))
    assert code == 0
    [p] = problems
    assert (p["code"], p["severity"], p["sheet"]) == ("hidden-sheet", "warning", "Händelser")


def test_formula_without_cached_value(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"][2][9] = "=SUM(20,40)"
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = problems
    assert (p["code"], p["sheet"], p["row"], p["column"], p["header"]) == \
        ("formula-without-value", "Utförare", 3, "J", "Antal brukare")


def test_excel_error_cell(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Händelser"][1][3] = "#DIV/0!"
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = problems
    assert (p["code"], p["sheet"], p["row"], p["column"], p["header"], p["value"]) == \
        ("excel-error", "Händelser", 2, "D", "Allvarlighet", "#DIV/0!")


def write_xls(path: Path, sheets: dict[str, list[list]]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                elif value is not None:
                    ws.write(r, c, value)
    book.save(str(path))
    return path


def test_legacy_xls_validates(cli, tmp_path):
    path = write_xls(tmp_path / "register.xls", valid_sheets())
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["provider_id"].tolist() == ["HT-001", "0180"]
    assert providers["contract_start"].iat[0].date() == dt.date(2020, 1, 1)


def test_legacy_xls_names_the_cell(cli, tmp_path):
    sheets = valid_sheets()
    sheets["Utförare"][2][3] = "Privat regi"
    code, problems = problems_of(cli, tmp_path, write_xls(tmp_path / "register.xls", sheets))
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 3, "D")]


def write_ods(path: Path, rows: list[list], sheet: str = "Utförare") -> Path:
    """An OpenDocument spreadsheet by hand: mimetype (stored, first), manifest and content.xml."""
    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    content = (f'{XML_HEAD}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = (f'{XML_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def test_ods_validates(cli, tmp_path):
    path = write_ods(tmp_path / "register.ods", valid_sheets()["Utförare"])
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["provider_id"].tolist() == ["HT-001", "0180"]
    assert providers["clients"].tolist() == [40, 60]


def test_ods_names_the_cell(cli, tmp_path):
    rows = valid_sheets()["Utförare"]
    rows[2][9] = "sextio"
    code, problems = problems_of(cli, tmp_path, write_ods(tmp_path / "register.ods", rows))
    assert code == 1
    assert places(problems, "wrong-type") == [("Utförare", 3, "J")]


SWEDISH_ROWS = [PROVIDER_HEADERS,
                provider_row("HT-001", "Björkbacken Åsa & Öberg", ownership="Idéburen", area="Särskilt boende", law="SoL, HSL"),
                provider_row("0180", "Ängsgården", "212000-0142", "Egen regi", "Uppdragsbeskrivning", clients="1 200")]


def test_csv_cp1252_semicolons_swedish_characters(cli, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_text(SWEDISH_ROWS, ";").encode("cp1252"))
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["name"].tolist() == ["Björkbacken Åsa & Öberg", "Ängsgården"]
    assert providers["provider_id"].tolist() == ["HT-001", "0180"]
    assert providers["clients"].tolist() == [40, 1200]


def test_csv_utf8_bom_comma_separator(cli, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(SWEDISH_ROWS, ",").encode("utf-8"))
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["ownership"].tolist() == ["non_profit", "in_house"]
    assert providers["law"].iat[0] == ("sol", "hsl")


def test_csv_names_row_and_column(cli, tmp_path):
    rows = [*SWEDISH_ROWS, provider_row("HT-003", ownership="Privat regi")]
    path = tmp_path / "register.csv"
    path.write_bytes(csv_text(rows, ";").encode("cp1252"))
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [(None, 4, "D")]


def test_header_only_csv_is_a_warning(cli, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(";".join(PROVIDER_HEADERS) + "\n", encoding="utf-8")
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 0
    assert [(p["code"], p["severity"]) for p in problems] == [("no-providers", "warning")]


def test_na_none_null_stay_text_and_leading_zero_is_kept(cli, tmp_path, register):
    sheets = valid_sheets()
    for i, name in enumerate(["NA", "None", "null", "n/a", "NaN", "-"]):  # ('#N/A' openpyxl writes as an error cell)
        sheets["Utförare"].append(provider_row(f"0{i}", name))
    path = register(sheets)
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["name"].tolist()[2:] == ["NA", "None", "null", "n/a", "NaN", "-"]
    assert providers["provider_id"].tolist() == ["HT-001", "0180", "00", "01", "02", "03", "04", "05"]


def test_vocabulary_near_miss_suggests_the_value(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"][1][3] = "Privat regi"
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    [p] = problems
    assert (p["code"], p["sheet"], p["row"], p["column"], p["value"]) == ("not-in-vocabulary", "Utförare", 2, "D", "Privat regi")
    assert "menade du 'Privat'" in p["message"]


def test_id_typed_as_number_matches_the_same_id_as_text(cli, tmp_path, register):
    """'180' (text) on Utförare and 180 (a number cell) on Händelser are the same provider to a user."""
    sheets = valid_sheets()
    sheets["Utförare"].append(provider_row("180", "Hagen"))
    sheets["Händelser"].append([dt.date(2025, 3, 2), 180, "Synpunkt", 1, None, None])
    sheets["Händelser"].append([dt.date(2025, 3, 3), 180.0, "Synpunkt", 1, None, None])
    path = register(sheets)
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    assert read(path).tables["events"].data["provider_id"].tolist() == ["HT-001", "180", "180"]


def test_whitespace_around_values_is_ignored(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"][1][:4] = ["  HT-001 ", " Solgården\t", " 556677-8899 ", "  Privat  "]
    sheets["Utförare"][1][13] = " Ja "
    sheets["Händelser"][1][1:3] = ["HT-001  ", "  Klagomål"]
    sheets["Händelser"][0][0] = "  Datum "
    path = register(sheets)
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert (providers["provider_id"].iat[0], providers["name"].iat[0], providers["ownership"].iat[0]) == \
        ("HT-001", "Solgården", "private")


def test_empty_utforare_sheet_has_no_header(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"] = []
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    assert ("Utförare", None, None) in places(problems, "header-not-found")


def test_written_by_write_xlsx_sanity(tmp_path):
    """The conftest writer keeps '0180' as text: the leading-zero case above tests the reader, not the writer."""
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "r.xlsx", valid_sheets())
    assert load_workbook(path)["Utförare"]["A3"].value == "0180"


def test_csv_blank_line_keeps_row_numbers(cli, tmp_path):
    """Excel shows a blank line of a CSV as an empty row, so the rows after it keep their numbers."""
    rows = [PROVIDER_HEADERS, provider_row(), [], provider_row("HT-002", ownership="Privat regi")]
    path = tmp_path / "register.csv"
    path.write_text(csv_text(rows, ";"), encoding="utf-8")
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [(None, 4, "D")]


def test_csv_quoted_line_break_is_one_row(cli, tmp_path):
    rows = [PROVIDER_HEADERS, provider_row(name="Sol\ngården"), provider_row("HT-002", ownership="Privat regi")]
    path = tmp_path / "register.csv"
    path.write_text(csv_text(rows, ";").replace("Sol\ngården", '"Sol\ngården"'), encoding="utf-8")
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [(None, 3, "D")]
    assert read(path).tables["providers"].data["name"].iat[0] == "Sol\ngården"


def csv_with_an_extra_field(tmp_path: Path) -> Path:
    lines = csv_text([PROVIDER_HEADERS] + [provider_row(f"HT-{i:03d}") for i in range(60)], ";").splitlines()
    lines[55] += ";ett fält för mycket"
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_row_with_an_extra_field_is_exit_3_naming_the_line(cli, tmp_path):
    assert_unusable(cli, tmp_path, csv_with_an_extra_field(tmp_path), "semikolon", "56")


def test_csv_extra_field_message_is_one_line(cli, tmp_path):
    result = run(cli, tmp_path, csv_with_an_extra_field(tmp_path), "--json")
    [p] = result.json()
    assert "\n" not in p["message"]


def test_utf16_csv_is_exit_3(cli, tmp_path):
    """Excel's 'Unicode text' export (UTF-16, tabs) is not read; the user is told to save as .xlsx."""
    path = tmp_path / "register.csv"
    path.write_bytes(("\ufeff" + csv_text(SWEDISH_ROWS, "\t")).encode("utf-16-le"))
    assert_unusable(cli, tmp_path, path, ".xlsx")


def test_workbook_named_csv_is_read_as_a_workbook(cli, tmp_path):
    path = write_xlsx(tmp_path / "register.csv", valid_sheets())
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])


def test_sheet_names_match_regardless_of_case_spaces_and_accents(cli, tmp_path):
    sheets = valid_sheets()
    path = write_xlsx(tmp_path / "register.xlsx", {" UTFORARE ": sheets["Utförare"], "händelser": sheets["Händelser"]})
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    assert len(read(path).tables["events"]) == 1


def test_sheet_part_missing_from_the_package(cli, tmp_path):
    full = write_package(tmp_path / "full.xlsx", sheet_xml([PROVIDER_HEADERS]))
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
    full.unlink()
    assert_unusable(cli, tmp_path, path, "Utförare")


def test_header_below_row_10_is_not_found(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"] = [[f"Titelrad {i}"] for i in range(10)] + sheets["Utförare"]
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    assert places(problems, "header-not-found") == [("Utförare", None, None)]


def test_mac_1904_date_system(cli, tmp_path):
    """A workbook from old Mac Excel counts days from 1904; its date cells must still be the same dates."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = write_xlsx(tmp_path / "register.xlsx", valid_sheets(), epoch=CALENDAR_MAC_1904)
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    register = read(path)
    assert register.tables["events"].data["date"].iat[0].date() == dt.date(2025, 3, 1)
    assert register.tables["providers"].data["contract_start"].iat[0].date() == dt.date(2020, 1, 1)


def test_boolean_and_number_cells(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"][1][13], sheets["Utförare"][2][13] = True, False
    sheets["Utförare"][1][9] = 40.0
    sheets["Utförare"][1][2] = 5566778899
    path = register(sheets)
    code, problems = problems_of(cli, tmp_path, path)
    assert (code, problems) == (0, [])
    providers = read(path).tables["providers"].data
    assert providers["active"].tolist() == [True, False]
    assert providers["org_number"].iat[0] == "5566778899"


def sheet_under_an_empty_string_formula(tmp_path: Path) -> Path:
    """A1 holds =IF(B1="";"";"Titel"), whose saved result is the empty string (Excel writes t="str" and <v></v>);
    the table's header is on row 2 and 'Privat regi' in D3."""
    rows = [[None], PROVIDER_HEADERS, ["HT-001", "Solgården", None, "Privat regi", None, "Hemtjänst", None, None, "Enheten"]]
    title = '<row r="1"><c r="A1" t="str"><f>IF(B1="","","Titel")</f><v></v></c></row>'
    return write_package(tmp_path / "register.xlsx", sheet_xml(rows).replace('<row r="1"></row>', title))


def test_empty_string_formula_above_the_table_keeps_row_numbers(cli, tmp_path):
    code, problems = problems_of(cli, tmp_path, sheet_under_an_empty_string_formula(tmp_path))
    assert code == 1
    assert places(problems, "not-in-vocabulary") == [("Utförare", 3, "D")]


def test_empty_string_formula_result_is_not_an_uncached_formula(cli, tmp_path):
    code, problems = problems_of(cli, tmp_path, sheet_under_an_empty_string_formula(tmp_path))
    assert places(problems, "formula-without-value") == []


# CSV side files are bounded while they are parsed, like workbooks before they are (issue 13: a very wide header or
# one very long line once drove the reader to gigabytes and a native crash).

def test_a_csv_header_wider_than_excel_is_exit_3(cli, tmp_path):
    path = tmp_path / "fakturering.csv"
    path.write_text(";".join(f"k{i}" for i in range(20_000)) + "\n1;2\n", encoding="utf-8")
    assert_unusable(cli, tmp_path, path, "20\u00a0000 fält", "16\u00a0384 kolumner")


def test_a_csv_that_is_one_very_long_line_is_exit_3(cli, tmp_path):
    path = tmp_path / "fakturering.csv"
    path.write_text("x" * 3_000_000, encoding="utf-8")
    assert_unusable(cli, tmp_path, path, "ett fält längre än 1\u00a0000\u00a0000 tecken")


def test_a_csv_quote_that_never_closes_is_exit_3(cli, tmp_path):
    path = tmp_path / "fakturering.csv"
    path.write_text('Månad;Utförar-ID;Beslutad tid;Utförd tid\n2025-01;"HT-001;10;9\n' + "2025-01;HT-001;10;9\n" * 80_000,
                    encoding="utf-8")
    assert_unusable(cli, tmp_path, path, "citattecken som aldrig avslutas")


# No quiet misreads (issue 13): what Excel hides or cuts is said, by cell.

def test_an_id_of_a_zero_width_space_is_an_error_naming_the_character(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Utförare"].append(provider_row("\u200b", "Osynliga hemtjänsten"))
    sheets["Händelser"][1][1] = "HT-001\u2060"
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 1
    found = {(p["sheet"], p["row"], p["column"]): p["message"] for p in problems if p["code"] == "invisible-character"}
    assert set(found) == {("Utförare", 4, "A"), ("Händelser", 2, "B")}
    assert "U+200B" in found["Utförare", 4, "A"] and "ser tom ut" in found["Utförare", 4, "A"]
    assert "U+2060" in found["Händelser", 2, "B"] and "'HT-001'" in found["Händelser", 2, "B"]
    assert all(p["severity"] == "error" for p in problems if p["code"] == "invisible-character")


def test_text_longer_than_excel_holds_is_a_warning_naming_the_cell(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Händelser"][1][5] = "Missnöje. " * 4_000  # 40 000 characters; Excel keeps 32 767
    sheets["Händelser"].append([dt.date(2025, 4, 1), "HT-001", "Klagomål", 2, "Bemötande", "x" * 32_766])  # fits
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 0
    [p] = [p for p in problems if p["code"] == "text-too-long"]
    assert (p["severity"], p["sheet"], p["row"], p["column"], p["header"]) == ("warning", "Händelser", 2, "F", "Beskrivning")
    assert "32\u00a0767 tecken" in p["message"] and "kapats" in p["message"]


def test_a_sheet_renamed_for_differing_only_in_case_is_warned_as_a_near_miss(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["händelser"] = [row[:] for row in sheets["Händelser"]]  # Excel (and openpyxl) save it as 'händelser1'
    sheets["Instruktioner"] = [["Fyll i en rad per utförare."]]  # not like any register sheet: no warning
    code, problems = problems_of(cli, tmp_path, register(sheets))
    assert code == 0
    [p] = problems
    assert (p["code"], p["severity"], p["sheet"]) == ("unknown-sheet", "warning", "händelser1")
    assert "menade du Händelser?" in p["message"]


def test_two_sheet_names_equal_but_for_case_are_warned(cli, tmp_path, register):
    sheets = valid_sheets()
    sheets["Xtförare"] = [row[:] for row in sheets["Utförare"]]
    path = register(sheets)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("Xtförare".encode(), "utförare".encode())
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    code, problems = problems_of(cli, tmp_path, path)
    assert code == 0
    [p] = problems
    assert (p["code"], p["severity"], p["sheet"]) == ("duplicate-sheet", "warning", "utförare")
    assert "Utförare" in p["message"]


def test_merged_cells_are_filled_down_as_excel_shows_them_and_warned(cli, tmp_path):
    """A vertically merged Regiform (one value for three rows) once read as empty below the first row."""
    from openpyxl import load_workbook

    sheets = valid_sheets()
    sheets["Utförare"].append(provider_row("HT-002", "Björken"))
    path = write_xlsx(tmp_path / "register.xlsx", sheets)
    wb = load_workbook(path)
    ws = wb["Utförare"]
    ws["D2"] = "Privat"
    ws.merge_cells("D2:D4")  # D3 and D4 are emptied by the merge, as in Excel
    wb.save(path)
    result = run(cli, tmp_path, path, "--json")
    problems = result.json()
    merged = [p for p in problems if p["code"] == "merged-cells"]
    assert [(p["sheet"], p["row"], p["column"]) for p in merged] == [("Utförare", 2, "D")]
    assert "D2:D4" in merged[0]["message"] and merged[0]["severity"] == "warning"
    assert not [p for p in problems if p["severity"] == "error"], problems  # the rows below have their Regiform
    from followup_cli import api

    analysis = api.analyze(api.open_workspace(cwd=tmp_path), register=path, as_of="2025-12-31").analysis
    assert {p.provider_id: p.ownership for p in analysis.providers} == {"HT-001": "Privat", "0180": "Privat", "HT-002": "Privat"}
