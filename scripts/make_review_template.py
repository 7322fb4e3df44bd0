"""Regenerate ``templates/granskningsrapport.docx``, the Word template of the review report to the provider.

Rendered by docxtpl with the context from ``followup_cli/reviews/review_report.py`` (the same values as
granskningsrapport.md.j2 and granskningsrapport.html.j2), and built with the plan template's building blocks
(scripts/make_plan_template.py) so both documents share page, fonts and table look:

    python scripts/make_review_template.py

Users may open the result in Word and edit it, or put their own copy in the workspace's templates/ folder.
The output is deterministic: fixed document properties and zip-entry timestamps.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_plan_template as plan  # noqa: E402  the shared building blocks: page, styles, tables, tags

ROOT = plan.ROOT
OUT = ROOT / "templates" / "granskningsrapport.docx"


def main() -> None:
    data = build()
    OUT.write_bytes(data)  # a source file of the project, not an output: no manifest, no rewriting of its zip
    print(f"Skrev {OUT.relative_to(ROOT)}")


def build() -> bytes:
    """The template's bytes; tests compare them with the committed file."""
    return plan.build_document("Granskningsrapport", lambda section: plan.header_footer(
        section, "Granskningsrapport", "\t{{ date }}, {{ review_id }}", "Granskningsrapport {{ review_id }}"), _body)


def _body(doc) -> None:
    tag, para, table = plan._tag, plan._para, plan._table
    doc.add_heading("{{ title }}", level=1)
    table(doc, [("Utförare", 4.5, "l"), ("{{ provider.name }}", 12.0, "l")], loop="f in facts",
          row=["{{ f.label }}", "{{ f.value }}"])

    doc.add_heading("Bakgrund och metod", level=2)
    plan._paragraphs(doc, "background")
    plan._paragraphs(doc, "method_text")
    table(doc, [("Nivå", 4.5, "l"), ("Vad nivån innebär", 12.0, "l")], loop="level in scale",
          row=[[("{{ level.label }}", "b")], "{{ level.action }}"])

    doc.add_heading("Sammanfattning", level=2)
    para(doc, "Samlad bedömning: {{ assessment }}", bold=True)
    tag(doc, "{%p if assessment_reason %}")
    para(doc, "Granskarnas motivering: {{ assessment_reason }}", italic=True)
    tag(doc, "{%p endif %}")
    plan._paragraphs(doc, "summary")

    doc.add_heading("Bedömning per granskningsområde", level=2)
    tag(doc, "{%p for area in areas %}")
    doc.add_heading("{{ area.name }}: {{ area.assessment }}", level=3)
    tag(doc, "{%p if area.reason %}")
    para(doc, "Granskarnas motivering: {{ area.reason }}", italic=True, keep=True)
    tag(doc, "{%p endif %}")
    table(doc, [("{{ area_headers.topic }}", 7.5, "l"), ("{{ area_headers.answer }}", 2.3, "l"),
                ("{{ area_headers.text }}", 6.7, "l")],
          loop="row in area.rows", row=["{{ row.topic }}", "{{ row.answer }}", "{{ row.text }}"])
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not areas %}")
    para(doc, "Granskningen har inga bedömda granskningsområden.")
    tag(doc, "{%p endif %}")

    doc.add_heading("Styrkor", level=2)
    plan._paragraphs(doc, "strengths")
    tag(doc, "{%p if not strengths %}")
    para(doc, "Inga särskilda styrkor har antecknats för granskningen.")
    tag(doc, "{%p endif %}")

    doc.add_heading("Åtgärder som krävs", level=2)
    para(doc, "{{ actions_text }}", keep=True)
    tag(doc, "{%p if actions %}")
    table(doc, [("Brist", 2.1, "l"), ("Beskrivning", 5.0, "l"), ("Allvarlighet", 2.1, "l"), ("Vad som krävs", 4.1, "l"),
                ("Åtgärdsplan senast", 3.2, "l")],
          loop="a in actions",
          row=["{{ a.finding_id }}", [("{{ a.description }}", ""), ("{{ a.area }}", "i")], "{{ a.severity }}",
               "{{ a.action }}", "{{ a.due }}"])
    tag(doc, "{%p endif %}")

    doc.add_heading("Brister kvar från tidigare granskningar", level=2)
    tag(doc, "{%p if earlier %}")
    para(doc, "Brister från tidigare granskningar som inte var åtgärdade på granskningsdagen:", keep=True)
    table(doc, [("Brist", 2.1, "l"), ("Granskning", 2.9, "l"), ("Beskrivning", 5.3, "l"), ("Allvarlighet", 2.2, "l"),
                ("Läge", 4.0, "l")],
          loop="e in earlier",
          row=["{{ e.finding_id }}", [("{{ e.review_id }}", ""), ("{{ e.review_date }}", "i")],
               [("{{ e.description }}", ""), ("{{ e.area }}", "i")], "{{ e.severity }}", "{{ e.status }}"])
    tag(doc, "{%p else %}")
    para(doc, "Inga brister från tidigare granskningar är öppna.")
    tag(doc, "{%p endif %}")

    doc.add_heading("Händelser under perioden", level=2)
    para(doc, "{{ events.text }}", keep=True)
    tag(doc, "{%p if events.rows %}")
    table(doc, [("Typ av händelse", 12.5, "l"), ("Antal", 4.0, "r")], loop="e in events.rows",
          row=["{{ e.kind }}", "{{ e.count }}"], total=["Totalt", "{{ events.total }}"])
    tag(doc, "{%p endif %}")
    # The last section travels with the signature: never a page holding only the signature.
    for row in doc.tables[-1].rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    doc.paragraphs[-2].paragraph_format.keep_with_next = True  # the spacer after the table

    plan.signature(doc, "{{ reviewers }}{% if unit %}, {{ unit }}{% endif %}")


if __name__ == "__main__":
    main()
