"""Every use of python-docx's XML layer (`docx.oxml`, `qn`, `table._tbl`, `cell._tc`, `paragraph._p`) in one place.

python-docx has no public API for a table's borders, a repeated header row, cell
shading, a page-number field or hyphenation, so these reach under it into the
WordprocessingML. Those internals may change in any release; kept here, each is
one small function that tests/test_docx_xml.py exercises against the installed
python-docx, so an upgrade that breaks one fails a test that names it.
"""

from __future__ import annotations

import re


def _element(tag: str, **attributes: str):
    """A new WordprocessingML element, e.g. _element("w:shd", val="clear") → <w:shd w:val="clear"/>."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def cells_follow_grid(table) -> None:
    """Each cell's own width set to its grid column's, in rows with one cell per column.

    docxtpl's column loop ({%tc for %}) rescales a table's grid but leaves each cell's own width, which Word
    follows: with more columns than the template had, the table would run off the page."""
    from docx.oxml.ns import qn

    widths = [col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    rows = (cells for cells in (row.tc_lst for row in table._tbl.tr_lst) if len(cells) == len(widths)
            and not any(c.grid_span > 1 for c in cells))
    first = next(rows, None)
    if first is None or all(_width(cell) == int(width) for cell, width in zip(first, widths)):
        return  # no column loop rescaled this table (a year's 2,000 review rows need no visit)
    for cells in (first, *rows):
        for cell, width in zip(cells, widths):
            tc_width = cell.get_or_add_tcPr().get_or_add_tcW()
            tc_width.type, tc_width.w = "dxa", int(width)


def _width(cell) -> int | None:
    from docx.oxml.ns import qn

    properties = cell.tcPr
    width = properties.find(qn("w:tcW")) if properties is not None else None
    return int(width.get(qn("w:w"))) if width is not None and width.get(qn("w:w")) else None


def set_table_borders(table, color: str, cell_margins: dict[str, int]) -> None:
    """Thin single lines of `color` (hex RGB) round and inside the table; cell margins in twentieths of a point."""
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="single", sz="4", space="0", color=color))
    margins = _element("w:tblCellMar")
    for edge, width in cell_margins.items():
        margins.append(_element(f"w:{edge}", w=str(width), type="dxa"))
    properties = table._tbl.tblPr
    properties.append(borders)
    properties.append(margins)


def set_cell_shading(cell, fill: str) -> None:
    """The cell's background in `fill` (hex RGB)."""
    cell._tc.get_or_add_tcPr().append(_element("w:shd", val="clear", color="auto", fill=fill))


def repeat_header_row(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(_element("w:tblHeader", val="true"))


def keep_row_together(row) -> None:
    """Word never breaks this row across two pages."""
    row._tr.get_or_add_trPr().append(_element("w:cantSplit", val="true"))


_PICTURE = "followup-bild:"  # a picture's placeholder, between rendering the text and placing the picture


def picture_marker(key: str) -> str:
    """The XML a picture's {{ key }} renders as until the picture is placed: a run of its own holding only a
    marker, where docxtpl's InlineImage would put the picture at once (so the text is never held up by drawing)."""
    return f'</w:t></w:r><w:r><w:t>{_PICTURE}{key}</w:t></w:r><w:r><w:t xml:space="preserve">'


def place_picture(document, key: str, png: bytes, width) -> int:
    """Each marker of `key` in the body becomes the picture `png`, `width` wide (its height follows); how many."""
    import io

    from docx.oxml.ns import qn

    marked = [t for t in document.element.body.iter(qn("w:t")) if t.text == _PICTURE + key]
    for text in marked:
        run = text.getparent()
        run.remove(text)
        run.add_drawing(document.part.new_pic_inline(io.BytesIO(png), width, None))
    return len(marked)


def unplaced_pictures(document) -> list[str]:
    """The pictures whose {{ name }} stands outside the body (a header, a footer, a footnote): their markers, which
    place_picture does not reach."""
    names = set()
    for part in document.part.package.iter_parts():
        if part is not document.part and _PICTURE.encode() in part.blob:
            names |= {m.decode() for m in re.findall(rb"followup-bild:([\w.]+)", part.blob)}
    return sorted(names)


def add_field(paragraph, code: str) -> None:
    """A field Word fills in when it lays out the page, such as PAGE or NUMPAGES; shows 1 until then."""
    field = _element("w:fldSimple", instr=code)
    run = _element("w:r")
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def add_bottom_border(paragraph, color: str) -> None:
    """A thin line of `color` (hex RGB) under the paragraph."""
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz="4", space="4", color=color))
    paragraph._p.get_or_add_pPr().append(borders)


def turn_on_hyphenation(document) -> None:
    """Word hyphenates the document automatically (Swedish compounds in narrow table cells)."""
    from docx.oxml.ns import qn

    flag = _element("w:autoHyphenation", val="true")
    document.settings.element.find(qn("w:defaultTabStop")).addnext(flag)  # the schema's order


def set_style_language(style, language: str) -> None:
    """The proofing language of a style, e.g. "sv-SE"."""
    style.element.get_or_add_rPr().append(_element("w:lang", val=language))


def set_style_font_everywhere(style, font: str) -> None:
    """The font in every script slot: Word reads the theme font for some scripts unless every slot names it."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), font)
