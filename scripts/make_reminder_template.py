"""Regenerate ``templates/paminnelse.docx``, the Word template of the reminder to a provider whose action plan is
overdue (``followup actions --letters DIR``).

Rendered by docxtpl with the context from ``followup_cli/publish/reminder_letters.py``. Built with the plan
template's building blocks (scripts/make_plan_template.py), so both documents look alike, and deterministic:

    python scripts/make_reminder_template.py

Users may open the result in Word and edit it (logo, wording); the tags stay readable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_plan_template as plan  # noqa: E402  the shared building blocks: page, styles, tables, tags

ROOT = plan.ROOT
OUT = ROOT / "templates" / "paminnelse.docx"


def main() -> None:
    data = build()
    OUT.write_bytes(data)  # a file of the repository, not an output: no manifest beside it
    print(f"Skrev {OUT.relative_to(ROOT)}")


def build() -> bytes:
    """The template's bytes; tests compare them with the committed file."""
    return plan.build_document("Påminnelse om åtgärdsplan", lambda section: plan.header_footer(
        section, "{{ date }}", "{{ unit }}", footer_title=None), _body)


def _body(doc) -> None:
    p = plan._para(doc, "Till {{ provider }} ({{ provider_id }})", bold=True)
    p.paragraph_format.space_after = Pt(12)
    doc.add_heading("{{ title }}", level=1)
    plan._para(doc, "Vid kommunens uppföljning konstaterades brister som ni ska lämna en åtgärdsplan för. "
                    "Vi har inte tagit emot någon åtgärdsplan för {{ count }} nedan, och sista dagen har passerat.",
               keep=True)
    plan._table(doc, [("Brist", 2.2, "l"), ("Granskning", 3.2, "l"), ("Område", 3.3, "l"),
                      ("Beskrivning", 5.3, "l"), ("Senast", 2.5, "l")],
                loop="f in findings",
                row=[[("{{ f.id }}", "b")], "{{ f.review }}", "{{ f.area }}", "{{ f.description }}", "{{ f.due }}"])
    plan._para(doc, "Skicka åtgärdsplanen till {{ unit }} snarast. Beskriv för varje brist vad ni gör, vem som "
                    "ansvarar och när bristen är rättad.")
    plan._para(doc, "{{ consequence }}")
    plan._para(doc, "Har ni redan skickat åtgärdsplanen, eller har frågor, kontakta {{ unit }}.")
    plan.signature(doc, "{{ unit }}")


if __name__ == "__main__":
    main()
