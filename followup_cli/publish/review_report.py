"""The review report written: docx, md or html from the editable templates, after the privacy scan.

The report goes to the provider, so any personal or coordination number in its free text stops it (exit 4)
before any file is written, naming the cell to clear.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.publish.template_check import template_kind

if TYPE_CHECKING:  # the domain module reads pandas; check-template imports this module to find the kind, and no data
    from followup_cli.reviews.review_report import ReviewReport

TEMPLATES = {"docx": "granskningsrapport.docx", "md": "granskningsrapport.md.j2", "html": "granskningsrapport.html.j2"}


def write_review_report(report: ReviewReport, fmt: str, out: Path, own_templates: Path | None = None,
                        inputs: list[Path] = ()) -> Path:
    """`report` in `fmt` at `out` (atomically), from the workspace's own template of that name if there is one."""
    from followup_cli.publish.privacy import hits, refuse
    from followup_cli.publish.render import render_text, template_dirs, write_docx
    from followup_cli.publish.write import refuse_inputs, write_text

    refuse(hits(report.texts), "provider")
    refuse_inputs(out, inputs)
    folders = template_dirs(own_templates)
    if fmt == "docx":
        return write_docx(report.context, TEMPLATES["docx"], out, folders, title=report.title, author=report.organisation)
    return write_text(out, render_text(report.context, TEMPLATES[fmt], fmt, folders), inputs)


@template_kind("review-report", prefix="granskningsrapport")
def review_report_keys() -> dict:
    """Every value reviews/review_report.py gives a template, with one example element per list: what
    `followup check-template` checks a review report template against, and the list for users writing their own.
    (tests/test_review_report.py holds it to the real contexts.)"""
    text, texts = "text", ["text"]
    return {
        "organisation": text, "title": "Granskning av (utförarens namn)", "review_id": text, "date": "granskningsdagen i ord",
        "provider": {"id": text, "name": text}, "review_type": text, "method": text, "reviewers": text, "unit": text,
        "facts": [{"label": text, "value": text}],
        "background": texts, "method_text": texts, "summary": texts, "strengths": texts,
        "scale": [{"label": text, "action": text}],
        "assessment": "nivån på skalan", "assessment_reason": "granskarnas motivering, annars tomt",
        "area_headers": {"topic": "Fråga eller Brist", "answer": "Svar eller Allvarlighet", "text": "Iakttagelse eller Krav"},
        "areas": [{"name": text, "assessment": text, "reason": "granskarnas motivering, annars tomt",
                   "rows": [{"topic": text, "answer": text, "text": text}]}],
        "actions_text": text,
        "actions": [{"finding_id": "Brist-ID, eller Fråge-ID före ingest", "area": text, "description": text,
                     "severity": text, "severity_id": "observation, deficiency eller serious", "action": text,
                     "due": "datum i ord, eller Krävs inte"}],
        "earlier": [{"finding_id": text, "review_id": text, "review_date": text, "area": text, "description": text,
                     "severity": text, "status": text}],
        "events": {"period": text, "text": text, "total": text, "rows": [{"kind": text, "count": text}]},
    }
