"""The annual report written out: JSON (the context itself), Markdown, HTML with its charts inline, Word with its
charts embedded, and PDF converted from the Word document by LibreOffice."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.errors import UsageError

if TYPE_CHECKING:
    from followup_cli.publish.chart_process import ChartDrawing

TEMPLATES = {"docx": "rapport.docx", "md": "rapport.md.j2", "html": "rapport.html.j2"}
PROVIDER_TEMPLATES = {"docx": "rapport-utforare.docx", "md": "rapport-utforare.md.j2", "html": "rapport-utforare.html.j2"}
FORMATS = ("docx", "md", "html", "pdf", "json")


def render_report(context: dict, fmt: str, out: Path | None, charts: ChartDrawing | None = None,
                  own_templates: Path | None = None, inputs: list[Path] = ()) -> str | None:
    """md and html: the text (written to `out` when given); docx and pdf: written to `out`, and None. html, docx
    and pdf get the charts of `charts` (with the heat map if it was given one) and of the context."""
    from followup_cli.publish.render import render_text, template_dirs, write_docx
    from followup_cli.publish.report_charts import chart_names

    folders = template_dirs(own_templates)
    templates = PROVIDER_TEMPLATES if context.get("audience") == "provider" else TEMPLATES  # one provider's year reads differently
    if fmt in ("md", "html"):
        inline = {}
        if fmt == "html":
            import base64

            made = _drawing(context, charts).result()
            inline = {name: "data:image/png;base64," + base64.b64encode(made[name][0]).decode("ascii") if name in made else ""
                      for name in chart_names()}
        text = render_text({**context, "charts": inline}, templates[fmt], fmt, folders)
        if out is not None:
            from followup_cli.publish.write import write_text

            write_text(out, text, inputs=inputs)
        return text
    charts = _drawing(context, charts)  # the Word text is rendered while they are drawn, then they are placed
    pictures = {f"chart_{name}": partial(charts.chart, name) for name in charts.names()}
    context = {**{f"chart_{name}": "" for name in chart_names()}, **context}  # a chart without data is left out
    if fmt == "docx":
        write_docx(context, templates["docx"], out, folders, title=context["title"], author=context["organisation"],
                   pictures=pictures)
        return None
    return _pdf(context, out, folders, pictures, templates["docx"])


def _drawing(context: dict, charts: ChartDrawing | None) -> ChartDrawing:
    """`charts` (with the heat map, if it was given one) and the context's own charts, set to be drawn: by the
    process of `charts`, or here when none was given."""
    from followup_cli.publish.chart_process import ChartDrawing
    from followup_cli.publish.report_charts import chart_data

    charts = charts or ChartDrawing(parallel=False)
    charts.report(chart_data(context))
    return charts


def _pdf(context: dict, out: Path, folders, pictures, template: str) -> None:
    """The Word document converted by LibreOffice in a temporary folder, then moved into place atomically."""
    import shutil
    import subprocess
    import tempfile

    from followup_cli.errors import OutputError
    from followup_cli.publish.render import write_docx
    from followup_cli.publish.write import write_atomic

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UsageError("PDF görs av LibreOffice, som inte är installerat: installera LibreOffice (libreoffice.org) och kör "
                         "igen, eller skriv Word-dokumentet med --format docx och spara det som PDF i Word.")
    with tempfile.TemporaryDirectory(prefix="followup-") as tmp:
        docx = Path(tmp) / "rapport.docx"
        write_docx(context, template, docx, folders, title=context["title"], author=context["organisation"],
                   pictures=pictures)
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation={(Path(tmp) / 'lo').as_uri()}",
                               "--convert-to", "pdf", "--outdir", tmp, str(docx)], capture_output=True, timeout=300)
        pdf = Path(tmp) / "rapport.pdf"
        if done.returncode or not pdf.is_file():
            raise OutputError(f"LibreOffice kunde inte göra PDF av rapporten ({done.stderr.decode(errors='replace').strip()[:200]}). "
                              "Skriv Word-dokumentet med --format docx och spara det som PDF i Word.")
        write_atomic(out, lambda target: shutil.copyfile(pdf, target))


def default_name(year: int, fmt: str, suffix: str = "", until=None) -> str:
    """rapport-2025.docx, rapport-2025-utforare-HT-001.docx, delarsrapport-2026-08-31-allmanhet.docx …"""
    return (f"delarsrapport-{until.isoformat()}" if until is not None else f"rapport-{year}") + f"{suffix}.{fmt}"

