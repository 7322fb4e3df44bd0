"""The review report written: docx, md or html from the editable templates, after the privacy scan.

The report goes to the provider, so any personal or coordination number in its free text stops it (exit 4)
before any file is written, naming the cell to clear.
"""

from __future__ import annotations

from pathlib import Path

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
