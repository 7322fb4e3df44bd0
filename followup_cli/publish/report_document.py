"""The annual report written out: JSON (the context itself), Markdown, HTML with its charts inline, Word with its
charts embedded, and PDF converted from the Word document by LibreOffice."""

from __future__ import annotations

from pathlib import Path

from followup_cli.errors import UsageError
from followup_cli.publish.template_check import template_kind

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
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{Path(tmp).as_posix()}/lo",
                               "--convert-to", "pdf", "--outdir", tmp, str(docx)], capture_output=True, timeout=300)
        pdf = Path(tmp) / "rapport.pdf"
        if done.returncode or not pdf.is_file():
            raise OutputError(f"LibreOffice kunde inte göra PDF av rapporten ({done.stderr.decode(errors='replace').strip()[:200]}). "
                              "Skriv Word-dokumentet med --format docx och spara det som PDF i Word.")
        write_atomic(out, lambda target: shutil.copyfile(pdf, target))


def default_name(year: int, fmt: str, suffix: str = "", until=None) -> str:
    """rapport-2025.docx, rapport-2025-utforare-HT-001.docx, delarsrapport-2026-08-31-allmanhet.docx …"""
    return (f"delarsrapport-{until.isoformat()}" if until is not None else f"rapport-{year}") + f"{suffix}.{fmt}"


# --- what check-template holds a report template to -----------------------------------------------------------------

def _texts(names: str) -> dict:
    return dict.fromkeys(names.split(), "text")


_FINDING = _texts("finding_id provider_id name review_id review_area severity_id severity requirement_id description recurring "
                  "action_plan_due action_plan_received correct_by resolved status sanction")
_BY_KIND = [_texts("id kind previous current change")]
_CHARTS = ("risk_matrix", "findings", "survey", "events")


@template_kind("report", prefix="rapport")
def report_context_keys() -> dict:
    """Every value the report's context gives rapport.* for every reader (board, internal, public) and period, with one
    example element per list (tests/test_report_audiences.py holds it to the real contexts); the charts are
    `chart_…` in Word and `charts.…` in HTML."""
    t = "text"
    return {
        **_texts("schema_version organisation year date board diarienummer signatory audience period as_of kind title "
                 "min_count suppressed_mark suppression_note"),
        "decision": [t], "summary": [t], "provider_ids": [t],
        "numbers": _texts("reviews reviewed_providers active_providers findings observations deficiencies serious recurring "
                          "sanctions events events_previous_year high_risk_providers"),
        "scope": {**_texts("sources_text empty"), "sources": [t], "forms": [_texts("review_type method count")]},
        "plan": {**_texts("empty text planned done_count"), "done": [_texts("provider_id review_id")],
                 "not_done": [_texts("provider_id name review_type month why")],
                 "added": [_texts("review_id provider_id name review_type date")],
                 "remaining": [_texts("provider_id name review_type month why")]},
        "service_areas": {"empty": t, "areas": [{**_texts("name reviews providers text"), "rows": [_texts(
            "review_id provider_id name ownership date review_type method assessment observation deficiency serious recurring "
            "action_plans sanctions")]}]},
        "findings": {**_texts("empty total recurring"),
                     "review_areas": [_texts("id area observation deficiency serious total recurring recurring_text providers")],
                     "quality_areas": [_texts("id area total recurring recurring_text")]},
        "ownership": {"empty": t, "columns": [t], "rows": [{"indicator": t, "values": [t], "raw": [t]}]},
        "survey": {**_texts("empty note by_gender"), "rows": [_texts(
            "indicator sex sex_id value comparison difference respondents value_raw comparison_raw respondents_raw")]},
        "events": {"empty": t, "by_kind": _BY_KIND, "by_area": [{**_texts("area total"), "counts": [t]}], "kinds": [t]},
        "billing": {**_texts("empty checked text"), "rows": [_texts("provider_id name decided billed deviation deviation_raw")]},
        "sanctions": {**_texts("empty reported"), "rows": [{**_texts("sanction count providers"), "provider_ids": [t]}]},
        "improvement": {**_texts("empty yaml"),
                        "rows": [{**_texts("id area providers findings service_areas_text"), "service_areas": [t]}]},
        "evaluation": {"lift_text": t, "lines": [t],
                       "action_plans": _texts("due received_in_time to_close closed_in_time"),
                       "lift": [{**_texts("method high high_rate rest rest_rate lift"),
                                 "raw": _texts("method_id high_reviews high_findings rest_reviews rest_findings")}]},
        "risk": {**_texts("empty as_of text"), "levels": [_texts("level count")]},
        "detail": {"providers": [_texts("provider_id name service_area ownership")],
                   "reviews": [_texts("review_id provider_id name date month review_type method reviewer")],
                   "findings": [_FINDING],
                   "events": [_texts("provider_id name date kind_id kind review_area description")],
                   "events_previous": [_texts("provider_id kind_id count")],
                   "survey": [_texts("provider_id indicator sex_id value_raw responses")]},
        **_chart_keys(),
    }


@template_kind("report-provider", prefix="rapport-utforare")
def provider_report_context_keys() -> dict:
    """Every value one provider's report (rapport-utforare.*) gets."""
    t = "text"
    return {
        **_texts("schema_version audience period as_of kind organisation year date board diarienummer signatory min_count "
                 "suppressed_mark title"),
        "provider": _texts("provider_id name service_area ownership"), "provider_ids": [t], "summary": [t],
        "reviews": {"empty": t, "rows": [_texts("review_id provider_id name date month review_type method reviewer assessment")]},
        "findings": {"empty": t, "rows": [_FINDING], "review_areas": [_texts("area observation deficiency serious")]},
        "actions": {"empty": t, "rows": [_FINDING]},
        "survey": {**_texts("empty note"), "legend": [t], "rows": [_texts(
            "indicator sex sex_id value comparison difference respondents value_raw comparison_raw")]},
        "events": {"empty": t, "by_kind": _BY_KIND},
        **_chart_keys(),
    }


def _chart_keys() -> dict:
    return {"charts": _texts(" ".join(_CHARTS)), **_texts(" ".join(f"chart_{name}" for name in _CHARTS))}
