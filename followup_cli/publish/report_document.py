"""The annual report written out: JSON (the context itself), Markdown, HTML with its charts inline, Word with its
charts embedded, and PDF converted from the Word document by LibreOffice."""

from __future__ import annotations

from pathlib import Path

from followup_cli.errors import UsageError

TEMPLATES = {"docx": "rapport.docx", "md": "rapport.md.j2", "html": "rapport.html.j2"}
PROVIDER_TEMPLATES = {"docx": "rapport-utforare.docx", "md": "rapport-utforare.md.j2", "html": "rapport-utforare.html.j2"}
FORMATS = ("docx", "md", "html", "pdf", "json")


def render_report(context: dict, fmt: str, out: Path | None, analysis=None, own_templates: Path | None = None,
                  inputs: list[Path] = ()) -> str | None:
    """md and html: the text (written to `out` when given); docx and pdf: written to `out`, and None."""
    from followup_cli.publish.render import render_text, template_dirs, write_docx

    folders = template_dirs(own_templates)
    templates = PROVIDER_TEMPLATES if context.get("audience") == "provider" else TEMPLATES  # one provider's year reads differently
    if fmt in ("md", "html"):
        charts = {}
        if fmt == "html":
            import base64

            from followup_cli.publish.report_charts import chart_names, report_charts

            made = report_charts(context, analysis)
            charts = {name: "data:image/png;base64," + base64.b64encode(made[name][0]).decode("ascii") if name in made else ""
                      for name in chart_names()}
        text = render_text({**context, "charts": charts}, templates[fmt], fmt, folders)
        if out is not None:
            from followup_cli.publish.write import write_text

            write_text(out, text, inputs=inputs)
        return text
    from followup_cli.publish.report_charts import chart_names, report_charts

    images = {f"chart_{name}": image for name, image in report_charts(context, analysis).items()}
    context = {**{f"chart_{name}": "" for name in chart_names()}, **context}  # a chart without data is left out
    if fmt == "docx":
        write_docx(context, templates["docx"], out, folders, title=context["title"], author=context["organisation"],
                   images=images)
        return None
    return _pdf(context, out, folders, images, templates["docx"])


def _pdf(context: dict, out: Path, folders, images, template: str) -> None:
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
                   images=images)
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

