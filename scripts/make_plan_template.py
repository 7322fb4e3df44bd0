"""Regenerate ``templates/plan.docx``, the Word template of the plan's tjänsteskrivelse.

The template is rendered by docxtpl with the context from
``followup_cli/publish/plan_document.py`` (the same values as plan.md.j2 and
plan.html.j2). It is generated here rather than drawn by hand so that a change
to the document's shape is a reviewable diff, and so that it can be rebuilt:

    python scripts/make_plan_template.py

Users may open the result in Word and edit it: the tags stay readable.
``{{ värde }}`` places a value, ``{%p if … %}`` / ``{%p for … %}`` in a
paragraph of its own repeats or hides what lies between, ``{%tr for … %}`` in
a table row repeats the row below it, ``{%tc for … %}`` in a cell repeats the
cell to its right (the month × unit table).

The output is deterministic: fixed document properties and zip-entry
timestamps, so two runs give the same bytes (with the same python-docx).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "plan.docx"
FONT = "Arial"
TEXT_WIDTH = 16.5  # cm: A4 with 2.5 cm left and 2 cm right margins
HEADER_FILL = "DCE4EE"
TOTAL_FILL = "F2F2F2"
BORDER = "8C8C8C"
ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)

sys.path.insert(0, str(ROOT))
from followup_cli.publish import docx_xml  # noqa: E402


def main() -> None:
    data = build()
    OUT.write_bytes(data)  # a source file of the project, not an output: no manifest, no rewriting of its zip
    print(f"Skrev {OUT.relative_to(ROOT)}")


def build() -> bytes:
    """The template's bytes; tests compare them with the committed file."""
    return build_document("Uppföljningsplan", lambda section: header_footer(section, "Tjänsteskrivelse"), _body)


def build_document(title: str, header_and_footer, body) -> bytes:
    """A template of the house: A4 page, hyphenation, styles, its header and footer, its body, and fixed metadata
    and zip dates so the same script gives the same bytes. Every template script builds through it."""
    doc = Document()
    _page(doc)
    docx_xml.turn_on_hyphenation(doc)
    _styles(doc)
    header_and_footer(doc.sections[0])
    body(doc)
    props = doc.core_properties
    props.author = props.last_modified_by = "followup"
    props.title = title
    props.created = props.modified = props.last_printed = dt.datetime(2000, 1, 1)
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


def _body(doc) -> None:
    p = _para(doc, "{{ board }}", bold=True)
    p.paragraph_format.space_after = Pt(2)
    doc.add_heading("{{ title }}", level=1)
    _tag(doc, "{%p if public %}")
    _para(doc, "Version för allmänheten", italic=True)
    _tag(doc, "{%p endif %}")

    doc.add_heading("Förslag till beslut", level=2)
    doc.add_paragraph("{{ decision }}", style="List Number")

    doc.add_heading("Ärende", level=2)
    _paragraphs(doc, "summary")
    doc.add_heading("Bakgrund", level=2)
    _paragraphs(doc, "background")
    doc.add_heading("Nämndens uppföljningsansvar", level=2)
    _paragraphs(doc, "responsibility")

    doc.add_heading("Vad som följs upp", level=2)
    _tag(doc, "{%p if public %}")
    _para(doc, "Planen omfattar {{ total_text }}.", keep=True)
    _table(doc, [("Verksamhetsområde", 11.5, "l"), ("Granskningar", 5.0, "r")],
           loop="row in by_service_area", row=["{{ row.label }}", "{{ row.count }}"], total=["Totalt", "{{ total }}"])
    _tag(doc, "{%p else %}")
    _tag(doc, "{%p for area in areas %}")
    doc.add_heading("{{ area.name }}", level=3)
    _para(doc, "{{ area.text }}", keep=True)
    _table(doc, [("Utförare", 3.6, "l"), ("Regiform", 1.9, "l"), ("Granskning", 3.1, "l"), ("{{ period }}", 2.0, "l"),
                 ("Timmar", 1.4, "r"), ("Skäl", 4.5, "l")],
           loop="i in area.rows",
           row=[[("{{ i.provider_id }}", "b"), ("{{ i.name }}", "")], "{{ i.ownership }}",
                [("{{ i.review_type }}", ""), ("{{ i.method }}", "i")], "{{ i.when }}", "{{ i.hours }}",
                '{{ i.reasons|join("\\n") }}'])
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Former och metoder", level=2)
    _tag(doc, "{%p for rule in rules %}")
    doc.add_paragraph("{{ rule }}", style="List Bullet")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if public %}")
    _table(doc, [("Typ av granskning", 11.5, "l"), ("Antal", 5.0, "r")],
           loop="row in by_review_type", row=["{{ row.label }}", "{{ row.count }}"])
    _table(doc, [("Metod", 11.5, "l"), ("Antal", 5.0, "r")],
           loop="row in by_method", row=["{{ row.label }}", "{{ row.count }}"])
    _tag(doc, "{%p else %}")
    _table(doc, [("Typ av granskning", 6.5, "l"), ("Metod", 4.0, "l"), ("Antal", 3.0, "r"), ("Timmar", 3.0, "r")],
           loop="row in forms.rows", row=["{{ row.review_type }}", "{{ row.method }}", "{{ row.count }}", "{{ row.hours }}"],
           total=["Totalt", "", "{{ forms.total }}", "{{ forms.hours }}"])
    _table(doc, [("Metod", 10.5, "l"), ("Granskningar", 3.0, "r"), ("Timmar", 3.0, "r")],
           loop="row in forms.methods", row=["{{ row.method }}", "{{ row.count }}", "{{ row.hours }}"],
           total=["Totalt", "{{ forms.total }}", "{{ forms.hours }}"])
    _tag(doc, "{%p endif %}")
    _para(doc, "Timmar per granskning: {% for row in method_hours %}{{ row.method|lower }} {{ row.hours }}"
               "{% if not loop.last %}, {% endif %}{% endfor %}.")

    doc.add_heading("Särskilda granskningsområden", level=2)
    _tag(doc, "{%p if review_areas %}")
    _para(doc, "De granskningsområden som driver risken hos {% if public %}de utförare som ingår i planen"
               "{% else %}de planerade utförarna{% endif %} granskas särskilt:", keep=True)
    _tag(doc, "{%p for a in review_areas %}")
    doc.add_paragraph("{{ a.area }}{% if not public %} ({{ a.providers }} utförare){% endif %}", style="List Bullet")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if themes %}")
    _para(doc, "Särskilt riktade uppföljningar:", keep=True)
    _tag(doc, "{%p for t in themes %}")
    bullet = doc.add_paragraph(style="List Bullet")
    bullet.add_run("{{ t.name }}").bold = True
    bullet.add_run(": {{ t.service_areas }}, {{ t.method|lower }}{% if not public %}, {{ t.hours }} timmar per utförare, "
                   "{{ t.months }}, {{ t.planned }} utförare{% endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Tidplan", level=2)
    _tag(doc, "{%p if public %}")
    _table(doc, [("Kvartal", 11.5, "l"), ("Granskningar", 5.0, "r")],
           loop="row in by_quarter", row=["{{ row.label }}", "{{ row.count }}"])
    _tag(doc, "{%p else %}")
    _para(doc, "{{ schedule.title }}", keep=True)
    unit = 4.0  # three units fill the width; docxtpl rescales the grid for more or fewer
    _table(doc, [("{{ schedule.header }}", 2.3, "l"), ("{%tc for u in schedule.units %}", unit, "r"), ("{{ u }}", unit, "r"),
                 ("{%tc endfor %}", unit, "r"), ("Totalt", 2.2, "r")],
           loop="row in schedule.rows",
           row=["{{ row.label }}", "{%tc for c in row.cells %}", "{{ c }}", "{%tc endfor %}", "{{ row.total }}"],
           total=["Totalt", "{%tc for c in schedule.totals %}", "{{ c }}", "{%tc endfor %}", "{{ schedule.total }}"])

    doc.add_heading("Kapacitet", level=2)
    _table(doc, [("Uppföljande enhet", 5.0, "l"), ("Timmar per år", 2.3, "r"), ("Reserv", 2.3, "r"),
                 ("Att planera", 2.3, "r"), ("Planerat", 2.3, "r"), ("Kvar", 2.3, "r")],
           loop="c in capacity", row=["{{ c.unit }}", "{{ c.configured }}", "{{ c.reserve }}", "{{ c.available }}",
                                      "{{ c.used }}", "{{ c.left }}"])
    _tag(doc, "{%p if board_filter %}")
    _para(doc, "Timmarna delas av alla nämnders utförare; siffrorna gäller hela enheten.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if shortfall %}")
    _bullets(doc, "Kapaciteten räcker inte.", "shortfall")
    _tag(doc, "{%p else %}")
    _para(doc, "Kapaciteten räcker för alla obligatoriska uppföljningar.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Likställd uppföljning", level=2)
    _para(doc, "Alla utförare följs upp efter samma regler, oavsett regiform; planen har ingen kvot per regiform.", keep=True)
    _tag(doc, "{%p if public %}")
    _table(doc, [("Regiform", 6.5, "l"), ("Andel av planen", 5.0, "r"), ("Andel av utförarna", 5.0, "r")],
           loop="o in ownership", row=["{{ o.ownership }}", "{{ o.share_of_plan }}", "{{ o.share_of_providers }}"])
    _tag(doc, "{%p else %}")
    method = 1.7  # three methods fill the width; docxtpl rescales the grid for more or fewer
    _table(doc, [("Regiform", 2.4, "l"), ("Aktiva utförare", 1.6, "r"), ("Uppföljda", 1.7, "r"), ("Andel uppföljda", 1.6, "r"),
                 ("{%tc for m in equal_treatment.methods %}", method, "r"), ("{{ m }}", method, "r"),
                 ("{%tc endfor %}", method, "r"), ("Tema", 1.2, "r"), ("Timmar", 1.5, "r"), ("Timmar per uppföljd", 1.8, "r")],
           loop="r in equal_treatment.rows",
           row=["{{ r.ownership }}", "{{ r.providers }}", "{{ r.followed_up }}", "{{ r.followed_up_share }}",
                "{%tc for n in r.methods %}", "{{ n }}", "{%tc endfor %}", "{{ r.themes }}", "{{ r.hours }}",
                "{{ r.hours_per_provider }}"])
    _para(doc, "{{ equal_treatment.note }}")

    doc.add_heading("Utförare som inte ingår i planen", level=2)
    _tag(doc, "{%p if excluded_mandatory %}")
    _bullets(doc, "Obligatoriska uppföljningar som inte ingår:", "excluded_mandatory")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not_selected %}")
    _para(doc, "Granskningar som prövades men inte ingår. En utförare kan ändå finnas i planen med en annan granskning; "
               "det står då under Skäl.", keep=True)
    _table(doc, [("Utförare", 3.4, "l"), ("Verksamhetsområde", 3.4, "l"), ("Granskning", 3.1, "l"),
                 ("Obligatorisk", 2.2, "l"), ("Skäl", 4.4, "l")],
           loop="n in not_selected",
           row=[[("{{ n.provider_id }}", "b"), ("{{ n.name }}", "")], "{{ n.service_area }}",
                [("{{ n.review_type }}", ""), ("{{ n.method }}", "i")],
                "{{ n.mandatory }}", '{{ n.reasons|join("\\n") }}'])
    _tag(doc, "{%p else %}")
    _para(doc, "Alla aktiva utförare ingår i planen.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Återkoppling av resultat", level=2)
    _table(doc, [("Resultat från", 3.5, "l"), ("Utförare", 3.25, "l"), ("Nämnd", 3.25, "l"), ("Internt", 3.25, "l"),
                 ("Allmänheten", 3.25, "l")],
           loop="row in feedback",
           row=[[("{{ row.source }}", "b")], "{{ row.provider }}", "{{ row.board }}", "{{ row.internal }}", "{{ row.public }}"])

    signature(doc, "{{ signatory }}")


# --- building blocks ------------------------------------------------------------------------------------------------

def signature(doc, who: str) -> None:
    """The organisation, a little apart from the text, kept on one page with who signs (`who`, template text)."""
    p = _para(doc, "{{ organisation }}")
    p.paragraph_format.space_before = Pt(30)
    p.paragraph_format.keep_with_next = True
    _para(doc, who)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    docx_xml.set_style_font_everywhere(normal, FONT)
    docx_xml.set_style_language(normal, "sv-SE")
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before, after in (("Heading 1", 18, 6, 12), ("Heading 2", 13, 16, 4), ("Heading 3", 11.5, 12, 3)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        docx_xml.set_style_font_everywhere(style, FONT)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(3)
    table_text = styles.add_style("Tabelltext", 1)
    table_text.base_style = normal
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    header = styles["Header"]
    header.font.size = Pt(9)
    header.paragraph_format.tab_stops.clear_all()
    header.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)


def header_footer(section, kind: str, second_line: str = "\t{{ date }}{% if diarienummer %}, Dnr {{ diarienummer }}{% endif %}",
                  footer_title: str | None = "{{ title }}") -> None:
    """The organisation and the kind of document at the top, a rule under the second line, and '<title> – sida X av
    Y' at the foot (no footer when `footer_title` is None)."""
    header = section.header.paragraphs[0]
    header.add_run("{{ organisation }}").bold = True
    header.add_run(f"\t{kind}")
    line = section.header.add_paragraph(second_line, style="Header")
    docx_xml.add_bottom_border(line, BORDER)
    if footer_title is None:
        return
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.style.font.size = Pt(9)
    footer.add_run(f"{footer_title} – sida ")
    docx_xml.add_field(footer, "PAGE")
    footer.add_run(" av ")
    docx_xml.add_field(footer, "NUMPAGES")


def _para(doc, text: str, bold: bool = False, italic: bool = False, keep: bool = False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


def _bullets(doc, lead: str, values: str) -> None:
    """A bold lead-in and one bullet per text in the context list `values`."""
    _para(doc, lead, bold=True, keep=True)
    _tag(doc, f"{{%p for text in {values} %}}")
    doc.add_paragraph("{{ text }}", style="List Bullet")
    _tag(doc, "{%p endfor %}")


def _tag(doc, text: str) -> None:
    """A paragraph that holds only a {%p … %} tag: docxtpl removes it when rendering."""
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    run.font.size = Pt(8)


def _paragraphs(doc, name: str) -> None:
    _tag(doc, f"{{%p for text in {name} %}}")
    _para(doc, "{{ text }}")
    _tag(doc, "{%p endfor %}")


def _table(doc, columns: list[tuple[str, float, str]], loop: str, row: list, total: list | None = None) -> None:
    """A table with a repeated header row, one looped row and an optional total row.

    A cell is a text, or a list of (text, "b"|"i"|"") paragraphs."""
    widths = [Cm(w) for _, w, _ in columns]
    aligns = [WD_ALIGN_PARAGRAPH.RIGHT if a == "r" else WD_ALIGN_PARAGRAPH.LEFT for _, _, a in columns]
    rows = [[title for title, _, _ in columns], [f"{{%tr for {loop} %}}"], row, ["{%tr endfor %}"]]
    if total:
        rows.append(total)
    table = doc.add_table(rows=len(rows), cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    docx_xml.set_table_borders(table, BORDER, {"top": 30, "left": 70, "bottom": 30, "right": 70})
    for r, (cells, tr) in enumerate(zip(rows, table.rows)):
        docx_xml.keep_row_together(tr)
        for c, cell in enumerate(tr.cells):
            cell.width = widths[c]
            spec = cells[c] if c < len(cells) else ""
            paragraphs = spec if isinstance(spec, list) else [(spec, "b" if r in (0, 4) else "")]
            for k, (text, look) in enumerate(paragraphs):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                p.style = doc.styles["Tabelltext"]
                p.alignment = aligns[c]
                if text:
                    run = p.add_run(text)
                    run.bold = look == "b" or None
                    run.italic = look == "i" or None
            if r == 0:
                docx_xml.set_cell_shading(cell, HEADER_FILL)
            elif r == 4:
                docx_xml.set_cell_shading(cell, TOTAL_FILL)
    docx_xml.repeat_header_row(table.rows[0])
    for c, width in enumerate(widths):
        table.columns[c].width = width
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(2)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps, so a rebuild gives the same bytes."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


if __name__ == "__main__":
    main()
