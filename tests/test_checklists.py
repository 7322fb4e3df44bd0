"""Completed review checklists in the workspace are validated with the register."""

from __future__ import annotations

import datetime as dt

from conftest import write_xlsx


def _checklist(path, review_id="G-1", provider_id="0180", date=dt.date(2025, 2, 1), questions=None):
    header = [["Granskningsprotokoll"], [], ["Gransknings-ID", review_id], ["Utförar-ID", provider_id], ["Datum", date],
              ["Typ", "Kvalitetsgranskning"], ["Metod", "Platsbesök"], ["Granskare", "Anna"]]
    rows = [["Fråge-ID", "Granskningsområde", "Fråga", "Krav-ID", "Svar", "Iakttagelse", "Allvarlighet", "Åtgärd krävs"]]
    rows += questions or [["F1", "Dokumentation", "Finns genomförandeplaner?", None, "Nej", "Saknas för två brukare", "Brist", "Ja"]]
    return write_xlsx(path, {"Granskning": header, "Frågor": rows})


def _workspace(tmp_path, register):
    register()
    (tmp_path / "checklists").mkdir()
    (tmp_path / "followup.yaml").write_text("register: register.xlsx\nchecklists: checklists/\n", encoding="utf-8")


def test_good_checklists_pass_and_are_counted(cli, tmp_path, register):
    _workspace(tmp_path, register)
    _checklist(tmp_path / "checklists" / "G-1.xlsx")
    (tmp_path / "checklists" / "~$G-1.xlsx").write_bytes(b"lock")
    result = cli("validate", cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert "1 granskningsprotokoll" in result.stderr


def test_checklist_problems_name_file_sheet_row_and_column(cli, tmp_path, register):
    _workspace(tmp_path, register)
    _checklist(tmp_path / "checklists" / "G-9.xlsx", review_id="G-9", provider_id="9999", date="i våras",
               questions=[["F1", "Dokumentation", "Fråga?", "K-404", "Kanske", None, None, "Ja"]])
    problems = cli("validate", "--json", cwd=tmp_path).json()
    found = {(p["file"], p["sheet"], p["row"], p["column"], p["code"]) for p in problems}
    assert ("G-9.xlsx", "Granskning", 5, "B", "wrong-type") in found
    assert ("G-9.xlsx", "Frågor", 2, "E", "not-in-vocabulary") in found
    assert ("G-9.xlsx", "Granskning", None, None, "unknown-reference") in found


def test_a_broken_checklist_is_one_problem_not_a_crash(cli, tmp_path, register):
    _workspace(tmp_path, register)
    (tmp_path / "checklists" / "trasig.xlsx").write_text("inte en arbetsbok", encoding="utf-8")
    result = cli("validate", "--json", cwd=tmp_path)
    assert result.code == 1
    assert [(p["file"], p["code"]) for p in result.json()] == [("trasig.xlsx", "unreadable-file")]


def test_one_broken_checklist_does_not_stop_the_others(cli, tmp_path, register):
    """Four checklists, one with a sheet the reader refuses: that one is one error naming it, the others are checked."""
    import zipfile

    _workspace(tmp_path, register)
    folder = tmp_path / "checklists"
    _checklist(folder / "G-1.xlsx")
    _checklist(folder / "G-2.xlsx", questions=[["F1", "Dokumentation", "Fråga?", None, "Kanske", None, None, "Ja"]])
    _checklist(folder / "G-4.xlsx", review_id="G-404", provider_id="X-404")
    good = _checklist(tmp_path / "mall.xlsx")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(folder / "G-3.xlsx", "w") as broken:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":  # Frågor: cells at A1 and XFD1048576
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            broken.writestr(item, data)

    result = cli("validate", "--json", cwd=tmp_path)

    assert result.code == 1
    found = [(p["file"], p["code"]) for p in result.json()]
    assert ("G-3.xlsx", "unreadable-file") in found and found.count(("G-3.xlsx", "unreadable-file")) == 1
    assert ("G-2.xlsx", "not-in-vocabulary") in found
    assert ("G-4.xlsx", "unknown-reference") in found
    assert not any(file == "G-1.xlsx" for file, _ in found)
    message = next(p["message"] for p in result.json() if p["file"] == "G-3.xlsx")
    assert "G-3.xlsx" in message
