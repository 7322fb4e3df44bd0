"""`followup actions`: action plans due, overdue, not approved, findings not corrected in time, with the next step."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import AS_OF_OPTION, REGISTER_OPTION, workspace
from followup_cli.errors import ExitCode


def actions(
    register: Path = REGISTER_OPTION,
    as_of: str = AS_OF_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Skriv listan som JSON på stdout."),
    out: Path = typer.Option(None, "--out", help="Skriv listan som Excel-arbetsbok (.xlsx).", show_default=False),
    letters: Path = typer.Option(None, "--letters", help="Skriv en påminnelse (docx) till varje utförare med försenad "
                                 "åtgärdsplan, i denna mapp.", show_default=False),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue", help="Slutkod 1 om något är försenat (åtgärdsplan "
                                         "eller rättelse), annars 0: för ett schemalagt jobb."),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den (eller den har ändrats sedan)."),
) -> None:
    """Åtgärdsplaner och brister att följa upp, med nästa steg på åtgärdstrappan; nämnden beslutar."""
    from followup_cli import api

    ws = workspace()
    with output.status("Läser registret …"):
        run = api.actions(ws, register=register, as_of=as_of, out=out, letters=letters, force=force)
    result = run.actions
    for warning in run.warnings:
        output.warn(f"varning: {warning}")
    if as_json:
        output.print_json(to_json(result))
    else:
        _print(result)
    for path in run.written:
        output.message(f"Skrev åtgärdslistan {path}")
    if letters is not None:
        from followup_cli.swedish import plural

        output.message(f"Skrev {plural(len(run.letters), 'påminnelse', 'påminnelser')} i {letters}" if run.letters else
                       "Ingen utförare har en försenad åtgärdsplan: inga påminnelser skrevs.")
    output.message(_summary(result))
    if fail_on_overdue and run.overdue:
        raise typer.Exit(ExitCode.FOUND)


def to_json(result) -> dict:
    """The stable shape of `--json`: per provider (and its reviewing unit) the items, dates as ISO text."""
    from followup_cli.reviews.actions import BOARD_DECIDES

    def day(value):
        return value.isoformat() if value else None

    return {
        "as_of": result.as_of.isoformat(),
        "note": BOARD_DECIDES,
        "counts": result.counts(),
        "overdue": bool(result.overdue),
        "providers": [{
            "provider_id": pid, "name": name, "reviewing_unit": unit, "contract_form": items[0].contract_form,
            "items": [{
                "finding_id": i.finding_id, "review_id": i.review_id, "review_date": day(i.review_date),
                "severity": i.severity, "scale": i.scale, "level": i.level.id, "kind": i.kind,
                "plan_due": day(i.plan_due), "plan_received": day(i.plan_received), "plan_approved": day(i.plan_approved),
                "approve_by": day(i.approve_by), "correct_by": day(i.correct_by), "sanction": i.sanction,
                "next_step": {"id": i.step.id, "label": i.step.label, "board": i.step.board, "due": day(i.step_due),
                              "reason": i.step.reason},
                "reason": i.reason, "report_needed": i.report_needed,
            } for i in items],
        } for (pid, name, unit), items in result.groups()],
        "notes": result.notes,
    }


def _print(result) -> None:
    from followup_cli.reviews.actions import KIND_LABELS

    if not sys.stdout.isatty():
        for i in result.items:
            print(output.plain_line(i.reviewing_unit or "", i.provider_id, i.provider_name or "", i.finding_id,
                                    KIND_LABELS[i.kind], i.step.label + (" (nämnden)" if i.step.board else ""),
                                    i.step_due.isoformat() if i.step_due else "", f"{i.reason} {i.step.reason}"))
        sys.stdout.flush()
        return
    from rich.table import Table

    table = Table(title=f"Åtgärder per {result.as_of.isoformat()}", caption="Verktyget föreslår och förklarar; nämnden beslutar.",
                  header_style="bold", show_lines=True)
    for title, kw in (("Enhet", {"max_width": 20}), ("Utförare", {"max_width": 26}), ("Brist", {"no_wrap": True}),
                      ("Läge", {"max_width": 16}), ("Nästa steg", {"max_width": 22}), ("Från", {"no_wrap": True}),
                      ("Skäl", {"ratio": 1, "min_width": 30})):
        table.add_column(title, overflow="fold", **kw)
    for i in result.items:
        table.add_row(i.reviewing_unit or "", f"{i.provider_id}\n{i.provider_name or ''}", i.finding_id, KIND_LABELS[i.kind],
                      i.step.label + ("\n(nämnden beslutar)" if i.step.board else ""),
                      i.step_due.isoformat() if i.step_due else "", f"{i.reason}\n{i.step.reason}")
    output.out().print(table)


def _summary(result) -> str:
    from followup_cli.reviews.actions import BOARD_DECIDES
    from followup_cli.swedish import plural

    c = result.counts()
    if not result.items:
        return f"Inget att följa upp per {result.as_of.isoformat()}."
    return (f"Per {result.as_of.isoformat()}: {plural(c['overdue'], 'försenad åtgärdsplan', 'försenade åtgärdsplaner')}, "
            f"{plural(c['uncorrected'], 'brist inte åtgärdad', 'brister inte åtgärdade')} i tid, "
            f"{plural(c['not_approved'], 'åtgärdsplan inte godkänd', 'åtgärdsplaner inte godkända')}, "
            f"{plural(c['due_soon'], 'åtgärdsplan', 'åtgärdsplaner')} snart, "
            f"{plural(c['report_needed'], 'allvarlig brist', 'allvarliga brister')} att ta ställning till anmälan för. "
            + BOARD_DECIDES)
