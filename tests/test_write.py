"""The one writer: atomic, never over an input, and user text never becomes a formula."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from openpyxl import Workbook, load_workbook

from followup_cli.errors import UsageError
from followup_cli.publish.write import (
    EXCEL_MAX_CELL,
    set_cell,
    write_atomic,
    write_text,
)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"klicka\")", "+46 8 123", "-1 brukare", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path, text):
    wb = Workbook()
    set_cell(wb.active["A1"], text)
    write_atomic(tmp_path / "ut.xlsx", wb.save)
    cell = load_workbook(tmp_path / "ut.xlsx").active["A1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_control_characters_are_removed_and_long_text_is_cut_with_a_marker(tmp_path):
    wb = Workbook()
    changes = set_cell(wb.active["A1"], "rad\x00ett\x07") + set_cell(wb.active["A2"], "x" * 40_000)
    write_atomic(tmp_path / "ut.xlsx", wb.save)
    ws = load_workbook(tmp_path / "ut.xlsx").active
    assert ws["A1"].value == "radett"
    assert len(ws["A2"].value) == EXCEL_MAX_CELL and ws["A2"].value.endswith("[…avkortad]")
    assert len(changes) == 2


def test_a_crash_while_writing_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "plan.md"
    write_text(target, "gammal")

    def crash(path):
        path.write_text("halv", encoding="utf-8")
        raise RuntimeError("krasch")

    with pytest.raises(RuntimeError):
        write_atomic(target, crash)
    assert target.read_text(encoding="utf-8") == "gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".followup-manifest.json", "plan.md"]


def test_an_output_that_is_an_input_is_refused(tmp_path):
    source = tmp_path / "register.xlsx"
    source.write_bytes(b"data")
    with pytest.raises(UsageError, match="indatafilerna"):
        write_text(tmp_path / "." / "register.xlsx", "x", inputs=[source])
    assert source.read_bytes() == b"data"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_office_files_carry_no_time_of_writing(tmp_path, fmt):
    """Same input, same bytes: zip members dated the zip epoch and no creation or modification time in
    docProps/core.xml (openpyxl and python-docx stamp the clock into both)."""
    import zipfile

    from followup_cli import api

    ws = api.open_workspace(EXAMPLES / "followup.yaml")
    written = [api.plan(ws, year=2026, fmt=fmt, out=tmp_path / f"{n}.{fmt}").output.path for n in ("a", "b")]
    with zipfile.ZipFile(written[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core and b"followup" in core
    assert written[0].read_bytes() == written[1].read_bytes()


@pytest.fixture(scope="module")
def initialised(tmp_path_factory):
    """A workspace `followup init` made, so followup wrote followup.yaml (it is in the manifest), with the example's
    register and checklists."""
    import shutil

    from followup_cli import api

    folder = tmp_path_factory.mktemp("init") / "ws"
    api.init(folder, organisation="Testkommun", year=2026)
    shutil.copy(EXAMPLES / "register.xlsx", folder / "register.xlsx")
    shutil.copytree(EXAMPLES / "checklists", folder / "checklists", dirs_exist_ok=True)
    return folder


@pytest.mark.parametrize("args", [
    ("checklist", "new", "--provider", "HT-001", "--out", "followup.yaml"),
    ("checklist", "ingest", "checklists", "--out", "followup.yaml", "--force"),
    ("plan", "--year", "2026", "--format", "md", "--out", "followup.yaml", "--force"),
    ("report", "--year", "2025", "--format", "md", "--out", "followup.yaml", "--force"),
])
def test_no_command_writes_over_the_settings_followup_wrote(cli, initialised, args):
    """followup.yaml written by `followup init` is followup's own file, and still an input: no --out or --force
    may replace the workspace's settings with a checklist or a workbook."""
    settings = (initialised / "followup.yaml").read_bytes()
    result = cli(*args, cwd=initialised)
    assert result.code == 2, result.stderr
    assert "followup.yaml" in result.stderr and result.stderr.count("\n") == 1
    assert (initialised / "followup.yaml").read_bytes() == settings
