"""Regenerate ``templates/rapport.docx``, the Word template of the annual follow-up report (tjänsteskrivelse).

Rendered by docxtpl with the context of ``followup_cli/report/context.py`` (the same values as rapport.md.j2 and
rapport.html.j2, printed by ``followup report --format json``); the charts are placed as ``{{ chart_risk_matrix }}``,
``{{ chart_findings }}``, ``{{ chart_survey }}`` and ``{{ chart_events }}``. Built here, with the plan template's
building blocks, so a change to the document is a reviewable diff:

    python scripts/make_report_template.py

Users open the result in Word and edit wording, logo and order of sections; the tags stay readable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "rapport.docx"
OUT_PROVIDER = ROOT / "templates" / "rapport-utforare.docx"  # one provider's year: another document, the same context
sys.path.insert(0, str(ROOT / "scripts"))
from make_plan_template import _para, _table, _tag, build_document, header_footer, signature  # noqa: E402


def main() -> None:
    for path, make in ((OUT, build), (OUT_PROVIDER, build_provider)):
        path.write_bytes(make())  # a plain write: the template is a source file, not an output of followup
        print(f"Skrev {path.relative_to(ROOT)}")


def build() -> bytes:
    """The board's, the staff's and the public's report, and the interim report: sections shown by `audience`."""
    return _document(_body, "Årsrapport, uppföljning av utförare")


def build_provider() -> bytes:
    return _document(_provider_body, "Uppföljning av en utförare")


def _document(body, title: str) -> bytes:
    kind = ("{% if audience == 'public' %}{{ kind }}{% elif audience == 'provider' %}Uppföljning av utförare"
            "{% elif audience == 'internal' %}Tjänsteskrivelse (intern){% else %}Tjänsteskrivelse{% endif %}")
    return build_document(title, lambda section: header_footer(section, kind), body)  # the public one is no tjänsteskrivelse


def _survey(doc, heading: str, value_columns: list[tuple[str, float]], answers_width: float) -> None:
    """The survey against its comparison values: the board's report and the provider's name the two columns apart."""
    doc.add_heading(heading, level=2)
    _if_empty(doc, "survey")
    (value, value_width), (comparison, comparison_width) = value_columns
    _table(doc, [("Indikator", 4.5, "l"), ("Grupp", 2.2, "l"), (value, value_width, "r"), (comparison, comparison_width, "r"),
                 ("Skillnad", 2.0, "r"), ("Svar", answers_width, "r")],
           loop="r in survey.rows",
           row=["{{ r.indicator }}", "{{ r.sex }}", "{{ r.value }}", "{{ r.comparison }}", "{{ r.difference }}", "{{ r.respondents }}"])
    _tag(doc, "{%p if survey.note %}")
    _para(doc, "{{ survey.note }}", italic=True)
    _tag(doc, "{%p endif %}")
    _chart(doc, "survey")
    _tag(doc, "{%p endif %}")


def _events_by_kind(doc) -> None:
    _table(doc, [("Typ", 6.5, "l"), ("{{ year - 1 }}", 3.0, "r"), ("{{ year }}", 3.0, "r"), ("Förändring", 4.0, "r")],
           loop="r in events.by_kind", row=["{{ r.kind }}", "{{ r.previous }}", "{{ r.current }}", "{{ r.change }}"])
    _chart(doc, "events")


def _list(doc, loop: str, text: str, numbered: bool = False) -> None:
    """One bullet (or numbered) paragraph per element of a list in the context."""
    _tag(doc, f"{{%p for {loop} %}}")
    doc.add_paragraph(text, style="List Number" if numbered else "List Bullet")
    _tag(doc, "{%p endfor %}")


def _if_empty(doc, section: str) -> None:
    """The one line a section without data shows, and the start of its content."""
    _tag(doc, f"{{%p if {section}.empty %}}")
    _para(doc, f"{{{{ {section}.empty }}}}")
    _tag(doc, "{%p else %}")


def _chart(doc, name: str) -> None:
    _tag(doc, f"{{%p if chart_{name} %}}")
    p = doc.add_paragraph()
    p.add_run(f"{{{{ chart_{name} }}}}")
    p.paragraph_format.keep_with_next = False
    _tag(doc, "{%p endif %}")


def _body(doc) -> None:
    _tag(doc, "{%p if audience != 'public' %}")
    p = _para(doc, "{{ board }}", bold=True)
    p.paragraph_format.space_after = Pt(2)
    _tag(doc, "{%p endif %}")
    doc.add_heading("{{ title }}", level=1)

    _tag(doc, "{%p if decision %}")
    doc.add_heading("Förslag till beslut", level=2)
    _list(doc, "text in decision", "{{ text }}", numbered=True)
    _tag(doc, "{%p endif %}")

    doc.add_heading("Sammanfattning", level=2)
    _tag(doc, "{%p for text in summary %}")
    _para(doc, "{{ text }}")
    _tag(doc, "{%p endfor %}")

    _tag(doc, "{%p if suppression_note %}")
    _para(doc, "{{ suppression_note }}", italic=True)
    _tag(doc, "{%p endif %}")

    doc.add_heading("Omfattning och metod", level=2)
    _para(doc, "{{ scope.sources_text }}")
    _if_empty(doc, "scope")
    _table(doc, [("Typ av granskning", 8.0, "l"), ("Metod", 5.5, "l"), ("Antal", 3.0, "r")],
           loop="row in scope.forms", row=["{{ row.review_type }}", "{{ row.method }}", "{{ row.count }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not risk.empty %}")
    _para(doc, "{{ risk.text }}", keep=True)
    _tag(doc, "{%p endif %}")
    _chart(doc, "risk_matrix")

    doc.add_heading("{% if period == 'interim' %}Planen hittills mot utfallet{% else %}Planen mot utfallet{% endif %}", level=2)
    _if_empty(doc, "plan")
    _para(doc, "{{ plan.text }}")
    _tag(doc, "{%p if plan.not_done %}")
    _para(doc, "{% if period == 'interim' %}Planerade hittills som ännu inte är genomförda{% else %}Planerade granskningar som inte genomfördes{% endif %}", bold=True, keep=True)
    _table(doc, [("Utförare", 5.5, "l"), ("Granskning", 4.0, "l"), ("Månad", 2.0, "l"), ("Orsak", 5.0, "l")],
           loop="row in plan.not_done",
           row=[[("{{ row.name }}", ""), ("{{ row.provider_id }}", "i")], "{{ row.review_type }}", "{{ row.month }}", "{{ row.why }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if plan.added %}")
    _para(doc, "{% if period == 'interim' %}Granskningar som tillkommit hittills i år{% else %}Granskningar som tillkom under året{% endif %}", bold=True, keep=True)
    _table(doc, [("Utförare", 7.0, "l"), ("Granskning", 6.0, "l"), ("Datum", 3.5, "l")],
           loop="row in plan.added",
           row=[[("{{ row.name }}", ""), ("{{ row.provider_id }}", "i")], "{{ row.review_type }}", "{{ row.date }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if plan.remaining %}")
    _para(doc, "Återstår av planen", bold=True, keep=True)
    _table(doc, [("Utförare", 7.0, "l"), ("Granskning", 6.0, "l"), ("Månad", 3.5, "l")],
           loop="row in plan.remaining",
           row=[[("{{ row.name }}", ""), ("{{ row.provider_id }}", "i")], "{{ row.review_type }}", "{{ row.month }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Resultat per verksamhetsområde och utförare", level=2)
    _if_empty(doc, "service_areas")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for area in service_areas.areas %}")
    doc.add_heading("{{ area.name }}", level=3)
    _para(doc, "{{ area.text }}", keep=True)
    _table(doc, [("Utförare", 3.0, "l"), ("Granskning", 3.6, "l"), ("Bedömning", 2.2, "l"), ("Iaktt.", 1.0, "r"),
                 ("Brist", 1.0, "r"), ("Allv.", 1.0, "r"), ("Åtgärdsplaner", 2.5, "l"), ("Sanktion", 2.2, "l")],
           loop="r in area.rows",
           row=[[("{{ r.name }}", ""), ("{{ r.provider_id }} · {{ r.ownership }}", "i")],
                [("{{ r.review_type }}", ""), ("{{ r.method }}, {{ r.date }}", "i")], "{{ r.assessment }}",
                "{{ r.observation }}", "{{ r.deficiency }}", "{{ r.serious }}",
                [("{{ r.action_plans }}", ""), ("{{ r.recurring }}", "i")], "{{ r.sanctions }}"])
    _tag(doc, "{%p endfor %}")
    _internal(doc)

    doc.add_heading("Iakttagelser och brister per område", level=2)
    _if_empty(doc, "findings")
    _table(doc, [("Granskningsområde", 5.5, "l"), ("Iakttagelser", 2.2, "r"), ("Brister", 2.0, "r"), ("Allvarliga", 2.0, "r"),
                 ("Återkommande", 2.6, "r"), ("Utförare", 2.2, "r")],
           loop="r in findings.review_areas",
           row=["{{ r.area }}", "{{ r.observation }}", "{{ r.deficiency }}", "{{ r.serious }}", "{{ r.recurring_text }}",
                "{{ r.providers }}"])
    _chart(doc, "findings")
    _table(doc, [("Kvalitetsområde", 9.0, "l"), ("Antal", 3.5, "r"), ("Återkommande", 4.0, "r")],
           loop="r in findings.quality_areas", row=["{{ r.area }}", "{{ r.total }}", "{{ r.recurring_text }}"])
    _tag(doc, "{%p endif %}")

    doc.add_heading("Egen regi, privata och idéburna utförare", level=2)
    _if_empty(doc, "ownership")
    _table(doc, [("", 5.5, "l"), ("{{ ownership.columns[0] }}", 3.7, "r"), ("{{ ownership.columns[1] }}", 3.7, "r"),
                 ("{{ ownership.columns[2] }}", 3.6, "r")],
           loop="r in ownership.rows",
           row=["{{ r.indicator }}", "{{ r['values'][0] }}", "{{ r['values'][1] }}", "{{ r['values'][2] }}"])
    _tag(doc, "{%p endif %}")

    _survey(doc, "Brukarundersökningen", [("Resultat", 2.0), ("Jämförelse", 2.3)], 3.5)

    doc.add_heading("Klagomål, Lex Sarah, Lex Maria och avvikelser", level=2)
    _if_empty(doc, "events")
    _events_by_kind(doc)
    _tag(doc, "{%p if events.by_area %}")
    _para(doc, "Per granskningsområde {{ year }}", bold=True, keep=True)
    _table(doc, [("Granskningsområde", 5.5, "l"), ("{{ events.kinds[0] }}", 2.2, "r"), ("{{ events.kinds[1] }}", 2.2, "r"),
                 ("{{ events.kinds[2] }}", 2.2, "r"), ("{{ events.kinds[3] }}", 2.2, "r"), ("Totalt", 2.2, "r")],
           loop="r in events.by_area",
           row=["{{ r.area }}", "{{ r.counts[0] }}", "{{ r.counts[1] }}", "{{ r.counts[2] }}", "{{ r.counts[3] }}", "{{ r.total }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Avstämning av fakturering", level=2)
    _if_empty(doc, "billing")
    _para(doc, "{{ billing.text }}")
    _tag(doc, "{%p if billing.rows %}")
    _table(doc, [("Utförare", 6.5, "l"), ("Beslutad tid (h)", 3.3, "r"), ("Utförd tid (h)", 3.3, "r"), ("Avvikelse", 3.4, "r")],
           loop="r in billing.rows",
           row=[[("{{ r.name }}", ""), ("{{ r.provider_id }}", "i")], "{{ r.decided }}", "{{ r.billed }}", "{{ r.deviation }}"])
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Åtgärder och sanktioner", level=2)
    _if_empty(doc, "sanctions")
    _list(doc, "r in sanctions.rows", "{{ r.sanction }} ({{ r.count }}): {{ r.providers }}")
    _para(doc, "{{ sanctions.reported }}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Förbättringsområden på systemnivå", level=2)
    _if_empty(doc, "improvement")
    _list(doc, "r in improvement.rows", "{{ r.area }}: brister hos {{ r.providers }} utförare ({{ r.service_areas_text }}).")
    _tag(doc, "{%p if improvement.yaml %}")
    _para(doc, "Förslag till teman i nästa års plan (plan.themes i followup.yaml):", keep=True)
    p = doc.add_paragraph()
    run = p.add_run("{{ improvement.yaml }}")
    run.font.name, run.font.size = "Courier New", Pt(8.5)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    doc.add_heading("Utvärdering av uppföljningen", level=2)
    _list(doc, "line in evaluation.lines", "{{ line }}")
    _para(doc, "{{ evaluation.lift_text }}", keep=True)
    _tag(doc, "{%p if evaluation.lift %}")
    _table(doc, [("Metod", 3.5, "l"), ("Hög risk: brister / granskningar", 3.3, "r"), ("Per granskning", 2.2, "r"),
                 ("Övriga: brister / granskningar", 3.3, "r"), ("Per granskning", 2.2, "r"), ("Lyft", 2.0, "r")],
           loop="r in evaluation.lift",
           row=["{{ r.method }}", "{{ r.high }}", "{{ r.high_rate }}", "{{ r.rest }}", "{{ r.rest_rate }}", "{{ r.lift }}"])
    _tag(doc, "{%p endif %}")

    signature(doc, "{{ signatory }}")



def _internal(doc) -> None:
    """What staff work with: every review with month and reviewer, every finding and event with its text."""
    _tag(doc, "{%p if audience == 'internal' %}")
    doc.add_heading("Granskningar, brister och händelser i detalj (intern)", level=2)
    _para(doc, "Granskningar", bold=True, keep=True)
    _table(doc, [("Datum", 2.4, "l"), ("Månad", 2.2, "l"), ("Utförare", 5.0, "l"), ("Granskning", 4.3, "l"), ("Granskare", 2.6, "l")],
           loop="r in detail.reviews",
           row=["{{ r.date }}", "{{ r.month }}", [("{{ r.name }}", ""), ("{{ r.provider_id }}", "i")],
                [("{{ r.review_type }}", ""), ("{{ r.method }}", "i")], "{{ r.reviewer }}"])
    _para(doc, "Iakttagelser och brister", bold=True, keep=True)
    _table(doc, [("Utförare", 3.4, "l"), ("Område", 3.0, "l"), ("Beskrivning", 5.6, "l"), ("Åtgärdas senast", 2.2, "l"),
                 ("Status", 2.3, "l")],
           loop="r in detail.findings",
           row=[[("{{ r.name }}", ""), ("{{ r.finding_id }}", "i")], [("{{ r.review_area }}", ""), ("{{ r.severity }}", "i")],
                "{{ r.description }}", "{{ r.correct_by }}", "{{ r.status }}"])
    _para(doc, "Händelser", bold=True, keep=True)
    _table(doc, [("Datum", 2.4, "l"), ("Utförare", 4.4, "l"), ("Typ", 2.8, "l"), ("Beskrivning", 6.9, "l")],
           loop="r in detail.events",
           row=["{{ r.date }}", [("{{ r.name }}", ""), ("{{ r.provider_id }}", "i")], "{{ r.kind }}", "{{ r.description }}"])
    _tag(doc, "{%p endif %}")


def _provider_body(doc) -> None:
    """One provider's year: what it must act on first, then the results beside the municipality's."""
    p = _para(doc, "{{ provider.name }} ({{ provider.provider_id }}) · {{ provider.service_area }} · {{ provider.ownership }}",
              bold=True)
    p.paragraph_format.space_after = Pt(2)
    doc.add_heading("{{ title }}", level=1)

    doc.add_heading("Sammanfattning", level=2)
    _tag(doc, "{%p for text in summary %}")
    _para(doc, "{{ text }}")
    _tag(doc, "{%p endfor %}")

    doc.add_heading("Åtgärder som krävs", level=2)
    _if_empty(doc, "actions")
    _table(doc, [("Brist", 2.6, "l"), ("Område", 3.6, "l"), ("Åtgärdsplan senast", 2.6, "l"), ("Åtgärdas senast", 2.6, "l"),
                 ("Status", 5.1, "l")],
           loop="r in actions.rows",
           row=[[("{{ r.finding_id }}", ""), ("{{ r.severity }}", "i")], "{{ r.review_area }}", "{{ r.action_plan_due }}",
                "{{ r.correct_by }}", "{{ r.status }}"])
    _tag(doc, "{%p endif %}")

    doc.add_heading("Granskningar", level=2)
    _if_empty(doc, "reviews")
    _table(doc, [("Datum", 2.6, "l"), ("Granskning", 4.6, "l"), ("Metod", 3.0, "l"), ("Granskare", 3.0, "l"), ("Bedömning", 3.3, "l")],
           loop="r in reviews.rows",
           row=["{{ r.date }}", "{{ r.review_type }}", "{{ r.method }}", "{{ r.reviewer }}", "{{ r.assessment }}"])
    _tag(doc, "{%p endif %}")

    doc.add_heading("Iakttagelser och brister", level=2)
    _if_empty(doc, "findings")
    _table(doc, [("Brist", 2.4, "l"), ("Område och krav", 3.6, "l"), ("Beskrivning", 6.6, "l"), ("Sanktion", 2.0, "l"),
                 ("Återk.", 1.4, "l")],
           loop="r in findings.rows",
           row=[[("{{ r.finding_id }}", ""), ("{{ r.severity }}", "i")], [("{{ r.review_area }}", ""), ("{{ r.requirement_id }}", "i")],
                "{{ r.description }}", "{{ r.sanction }}", "{{ r.recurring }}"])
    _chart(doc, "findings")
    _tag(doc, "{%p endif %}")

    _survey(doc, "Brukarundersökningen mot kommunen", [("Utföraren", 2.2), ("Kommunen", 2.2)], 3.4)

    doc.add_heading("Händelser registrerade om utföraren", level=2)
    _if_empty(doc, "events")
    _para(doc, "Antal per typ; förvaltningen lämnar inte ut vad de gäller här.", italic=True)
    _events_by_kind(doc)
    _tag(doc, "{%p endif %}")

    signature(doc, "{{ signatory }}")


if __name__ == "__main__":
    main()
