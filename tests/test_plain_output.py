"""What `followup plan` and `risk-analyze` print to a pipe: one record per line, never a formula (issue 13).

Redirected into a .csv and opened in Excel, a provider named '=HYPERLINK(…)' was a live formula and a reason
with a line break split one plan row in two."""

from __future__ import annotations

from followup_cli.cli.output import plain_field, plain_line


def test_a_field_that_looks_like_a_formula_gets_an_apostrophe():
    for start in "=+-@":
        assert plain_field(f"{start}HYPERLINK(\"http://x\";\"Klicka\")").startswith(f"'{start}")
    assert plain_field("Solgården") == "Solgården"
    assert plain_field("HT-001") == "HT-001"


def test_tabs_and_line_breaks_inside_a_field_stay_on_one_line():
    line = plain_line("HT-001", "Bemötande brister\nenligt klagomål\r\nfrån anhörig", "a\tb")
    assert line.split("\t") == ["HT-001", "Bemötande brister / enligt klagomål / från anhörig", "a b"]


def test_the_plan_overview_for_a_pipe_is_one_safe_record_per_line(cli, workspace):
    from openpyxl import load_workbook

    path = workspace / "register.xlsx"
    book = load_workbook(path)
    sheet = book["Utförare"]
    names = [c for c in next(sheet.iter_cols(min_col=2, max_col=2, min_row=2)) if c.value]
    for cell in names:
        cell.value = f'=HYPERLINK("http://x";"{cell.value}")\nAB'
        cell.data_type = "s"  # text that looks like a formula, as a user typing ' before = leaves it
    book.save(path)

    result = cli("plan", "--year", "2026", cwd=workspace)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        fields = line.split("\t")
        assert len(fields) == 9, line
        assert not any(f.startswith(("=", "+", "-", "@")) for f in fields), line
        assert fields[3].startswith("'=HYPERLINK(") and fields[3].endswith(" / AB"), line
