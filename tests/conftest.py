"""Shared test helpers: build small registers in code, run the CLI in-process, fingerprint inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

PROVIDER_HEADERS = ["Utförar-ID", "Namn", "Organisationsnummer", "Regiform", "Avtalsform", "Verksamhetsområde",
                    "Lagrum", "Nämnd", "Uppföljande enhet", "Antal brukare", "Avtal från", "Avtal till",
                    "Senast granskad", "Aktiv"]


def provider_row(pid="HT-001", name="Solgården", orgnr="556677-8899", ownership="Privat", contract="LOV",
                 area="Hemtjänst", law="SoL", board="Socialnämnden", unit="Sociala kvalitetsenheten", clients=40,
                 start=dt.date(2020, 1, 1), end=None, last=None, active="Ja"):
    return [pid, name, orgnr, ownership, contract, area, law, board, unit, clients, start, end, last, active]


def valid_sheets() -> dict[str, list[list]]:
    """A small register without any problem: two providers, events, a review with a finding."""
    return {
        "Utförare": [PROVIDER_HEADERS,
                     provider_row(),
                     provider_row("0180", "Björkbacken", "212000-0142", "Egen regi", "Uppdragsbeskrivning", "Särskilt boende", "SoL, HSL", clients=60)],
        "Händelser": [["Datum", "Utförar-ID", "Typ", "Allvarlighet", "Granskningsområde", "Beskrivning"],
                      [dt.date(2025, 3, 1), "HT-001", "Klagomål", 2, "Bemötande", "Missnöje med bemötande"]],
        "Granskningar": [["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"],
                         ["G-1", "0180", dt.date(2025, 2, 1), "Kvalitetsgranskning", "Platsbesök", "Anna", "Brister"]],
        "Brister": [["Brist-ID", "Utförar-ID", "Gransknings-ID", "Krav-ID", "Granskningsområde", "Allvarlighet",
                     "Beskrivning", "Åtgärdsplan senast", "Åtgärdsplan inkommen", "Åtgärdad", "Sanktion", "Anmäld till"],
                    ["B-1", "0180", "G-1", None, "Dokumentation", "Brist", "Genomförandeplaner saknas",
                     dt.date(2025, 3, 15), dt.date(2025, 3, 10), dt.date(2025, 6, 1), "Ingen", None]],
    }


def write_xlsx(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = (), epoch=None) -> Path:
    """A workbook with the given rows per sheet (dates become date cells); `epoch` as openpyxl's, e.g. Mac 1904."""
    from openpyxl import Workbook

    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value.startswith("=") and not cell.value.startswith("=SUM"):
                    cell.data_type = "s"
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.fixture
def register(tmp_path):
    """Factory: register(sheets=None, name='register.xlsx') → path of a fresh workbook."""
    def make(sheets=None, name="register.xlsx", **kw):
        return write_xlsx(tmp_path / name, sheets if sheets is not None else valid_sheets(), **kw)
    return make


@pytest.fixture
def workspace(tmp_path):
    """The example municipality, copied so that nothing is written into the repository."""
    import shutil

    target = tmp_path / "ex"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("out"))
    return target


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `followup ARGS` in-process; returns exit code, stdout and stderr."""
    from followup_cli.cli.app import main

    def run(*args, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["followup", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return run


def run_followup(*args) -> int:
    """`followup ARGS` in-process, for module-scoped fixtures (which cannot use `cli`); the exit code."""
    from followup_cli.cli.app import main

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "argv", ["followup", *map(str, args)])
        try:
            main()
        except SystemExit as exc:
            return exc.code or 0
    return 0


def word_text(path) -> str:
    """A Word document's text as a reader sees it in the body: its paragraphs, then its tables' cells."""
    from docx import Document

    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def template_script(name: str):
    """scripts/<name>.py loaded as a module, to build a template as the committed one was built."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file below a folder, to assert inputs are never modified."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
