"""Each reach into python-docx's XML (publish/docx_xml.py) works with the installed python-docx: build a document,
apply it, save, reopen, and find the WordprocessingML it should have written."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from docx.shared import Cm

from followup_cli.publish import docx_xml


def _reopened(document, tmp_path):
    path = tmp_path / "t.docx"
    document.save(path)
    return docx.Document(path)


def _w(element, path: str) -> list:
    return element.xpath(path)


def test_repeat_header_row_and_keep_row_together_mark_the_row(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    docx_xml.repeat_header_row(table.rows[0])
    docx_xml.keep_row_together(table.rows[0])
    rows = _reopened(document, tmp_path).tables[0].rows
    assert _w(rows[0]._tr, "./w:trPr/w:tblHeader/@w:val") == ["true"]
    assert _w(rows[0]._tr, "./w:trPr/w:cantSplit/@w:val") == ["true"]
    assert _w(rows[1]._tr, "./w:trPr/w:tblHeader") == []


def test_set_cell_shading_fills_that_cell_only(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    docx_xml.set_cell_shading(table.cell(0, 0), "DCE4EE")
    cells = _reopened(document, tmp_path).tables[0].rows[0].cells
    assert _w(cells[0]._tc, "./w:tcPr/w:shd/@w:fill") == ["DCE4EE"]
    assert _w(cells[1]._tc, "./w:tcPr/w:shd") == []


def test_set_table_borders_draws_every_edge_and_sets_the_cell_margins(tmp_path):
    document = docx.Document()
    docx_xml.set_table_borders(document.add_table(rows=1, cols=1), "8C8C8C", {"top": 30, "left": 70})
    tbl = _reopened(document, tmp_path).tables[0]._tbl
    edges = {e.tag.split("}")[1]: e.get(qn("w:color")) for e in _w(tbl, "./w:tblPr/w:tblBorders/*")}
    assert edges == dict.fromkeys(["top", "left", "bottom", "right", "insideH", "insideV"], "8C8C8C")
    assert _w(tbl, "./w:tblPr/w:tblCellMar/w:left/@w:w") == ["70"]


def test_cells_follow_grid_gives_each_cell_its_grid_columns_width(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (1000, 2000, 3000)):
        col.set(qn("w:w"), str(width))
    for cell in table.rows[0].cells:
        cell.width = Cm(9)  # the stale width docxtpl leaves behind
    docx_xml.cells_follow_grid(table)
    reopened = _reopened(document, tmp_path).tables[0]
    for row in reopened.rows:
        assert [c._tc.xpath("./w:tcPr/w:tcW/@w:w")[0] for c in row.cells] == ["1000", "2000", "3000"]


def test_add_field_and_add_bottom_border_change_the_paragraph(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("sida ")
    docx_xml.add_field(paragraph, "PAGE")
    docx_xml.add_bottom_border(paragraph, "8C8C8C")
    p = _reopened(document, tmp_path).paragraphs[0]._p
    assert _w(p, "./w:fldSimple/@w:instr") == ["PAGE"]
    assert _w(p, "./w:pPr/w:pBdr/w:bottom/@w:color") == ["8C8C8C"]


def test_hyphenation_language_and_fonts_reach_the_settings_and_styles(tmp_path):
    document = docx.Document()
    docx_xml.turn_on_hyphenation(document)
    docx_xml.set_style_language(document.styles["Normal"], "sv-SE")
    docx_xml.set_style_font_everywhere(document.styles["Normal"], "Arial")
    reopened = _reopened(document, tmp_path)
    assert _w(reopened.settings.element, "./w:autoHyphenation/@w:val") == ["true"]
    normal = reopened.styles["Normal"].element
    assert _w(normal, "./w:rPr/w:lang/@w:val") == ["sv-SE"]
    fonts = _w(normal, "./w:rPr/w:rFonts")[0]
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Arial"}
