"""`followup checklist ingest DIR`: completed checklists graded and written to the consolidated reviews workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import workspace
from followup_cli.errors import ExitCode

STATUS_SV = {"new": "ny", "changed": "ändrad", "unchanged": "oförändrad"}


def ingest(
    folder: Path = typer.Argument(..., help="Mappen med ifyllda granskningsprotokoll (undermappar läses också).", show_default=False),
    out: Path = typer.Option(None, "--out", help="Arbetsboken att skriva; annars reviews: i followup.yaml, annars "
                             "granskningar.xlsx i arbetsytan.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Skriv vad som lästes in som JSON på stdout."),
    force: bool = typer.Option(False, "--force", help="Ersätt en fil på --out-platsen som inte är en arbetsbok med granskningar."),
) -> None:
    """Läs in ifyllda granskningsprotokoll: bedömning på skalan, brister med tidsfrister, en samlad arbetsbok."""
    from followup_cli import api
    from followup_cli.swedish import findings_count, plural

    ws = workspace()
    with output.status("Läser protokollen …"):
        run = api.ingest_checklists(ws, folder, out=out, force=force)
    for line in _skipped_lines(run.skipped):
        output.message(line)
    for finding in run.dropped:
        output.warn(f"varning: {finding['finding_id']} ({finding['review_id']}, fråga {finding['question_id']}) är inte längre "
                    "en brist i protokollet och togs bort ur arbetsboken, med det som fyllts i för den. Ändra svaret "
                    "tillbaka om det var fel, annars för in uppgifterna på rätt brist.")
    for problem in run.broken:
        output.warn(problem.line())
    if as_json:
        output.print_json({"path": str(run.path) if run.path else None,
                           "reviews": [c.to_dict() for c in run.changes],
                           "broken": [p.to_dict() for p in run.broken],
                           "dropped": [{"finding_id": f["finding_id"], "review_id": f["review_id"],
                                        "question_id": f["question_id"]} for f in run.dropped],
                           "skipped": [{"file": name, "reason": why} for name, why in run.skipped]})
    else:
        for c in run.changes:
            print(output.plain_line(STATUS_SV[c.status], c.review_id, c.provider_id, c.assessment,
                                    findings_count(c.severities), c.file))
    counts = {s: sum(c.status == s for c in run.changes) for s in STATUS_SV}
    broken = len({p.file for p in run.broken})
    summary = (f"{plural(counts['new'], 'ny granskning', 'nya granskningar')}, {plural(counts['changed'], 'ändrad', 'ändrade')}, "
               f"{plural(counts['unchanged'], 'oförändrad', 'oförändrade')}")
    if run.path is not None:
        output.message(f"Skrev {run.path}: {summary}; {plural(run.findings, 'rad', 'rader')} på bladet Brister.")
    else:
        output.message(f"Inget att skriva: {summary}.")
    if broken:
        output.warn(f"{plural(broken, 'protokoll', 'protokoll')} har fel och lästes inte in. Rätta dem och kör igen.")
        raise typer.Exit(ExitCode.INPUT)


def _skipped_lines(skipped: list[tuple[str, str]], named: int = 3) -> list[str]:
    """One line per skipped file, but one line per reason when many share it: the year's blank checklists from
    `checklist new --plan` are skipped on every ingest until they are filled in, and 46 lines would bury the rest."""
    by_reason: dict[str, list[str]] = {}
    for name, why in skipped:
        by_reason.setdefault(why, []).append(name)
    lines = []
    for why, names in by_reason.items():
        if len(names) <= named:
            lines += [f"{name}: {why}." for name in names]
        else:
            lines.append(f"{len(names)} filer, {', '.join(names[:named])} med flera: {why}.")
    return lines
