"""`followup risk-analyze`: ranked, explained risk per provider; --alerts for triggered reviews."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import (
    AS_OF_OPTION,
    REGISTER_ARGUMENT,
    REGISTER_OPTION,
    one_register,
    workspace,
)
from followup_cli.errors import ExitCode


def risk_analyze(
    register: Path = REGISTER_ARGUMENT,
    register_option: Path = REGISTER_OPTION,
    as_of: str = AS_OF_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Skriv resultatet som JSON på stdout."),
    out: Path = typer.Option(None, "--out", help="Skriv ett riskregister som Excel-arbetsbok (.xlsx).", show_default=False),
    chart: Path = typer.Option(None, "--chart", help="Rita riskmatrisen som bild (.png eller .svg).", show_default=False),
    top: int = typer.Option(15, "--top", min=1, help="Hur många utförare tabellen visar."),
    alerts: bool = typer.Option(False, "--alerts", help="Visa bara utförare där nya händelser kräver påkallad granskning; slutkod 1 om någon finns."),
    since: str = typer.Option(None, "--since", help="Med --alerts: bara händelser från och med detta datum (ÅÅÅÅ-MM-DD).", show_default=False),
    calibrate: bool = typer.Option(False, "--calibrate", help=(
        "Visa hur utförarna fördelas på nivåerna och skriv brytpunkter som ger andelarna i risk.target_shares, "
        "som YAML att klistra in i followup.yaml.")),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den (eller den har ändrats sedan)."),
) -> None:
    """Riskanalys per utförare: sannolikhet × konsekvens med skäl, eller larm om påkallad granskning."""
    from followup_cli import api
    from followup_cli.errors import UsageError

    if calibrate and alerts:
        raise UsageError("--calibrate och --alerts går inte att kombinera: kör dem var för sig.")
    ws = workspace()
    with output.status("Läser registret …"):
        run = api.analyze(ws, register=one_register(register, register_option), as_of=as_of, out=out, chart=chart,
                          alerts=alerts, since=since, force=force)
    analysis = run.analysis
    if out is not None:
        output.message(f"Skrev riskregistret {out}")
    if chart is not None:
        output.message(f"Skrev riskmatrisen {chart}")
    for warning in analysis.warnings:
        output.warn(f"varning: {warning}")
    if run.alerts is not None:
        _print_alerts(run, as_json)
    if calibrate:
        found = api.calibrate(run)
        if as_json:
            output.print_json(found.to_dict())
        else:
            print(calibration_yaml(found))
    elif as_json:
        output.print_json(analysis.json_ready())
    else:
        _print_ranking(analysis, top)
        _print_matrix(analysis)
    output.message(_summary(analysis))


def _print_alerts(run, as_json: bool) -> None:
    found = run.alerts
    if as_json:
        output.print_json({"as_of": run.as_of.isoformat(), "since": run.since.isoformat() if run.since else None,
                           "alerts": [a.to_dict() for a in found]})
    else:
        for a in found:
            print(output.plain_field(f"{a.provider_id} {a.name} ({a.service_area}; senast granskad {a.last_review or 'aldrig'}; "
                                     f"{a.reviewing_unit or 'ingen uppföljande enhet'}):"))
            for t in a.triggers:
                print("  - " + output.one_line(t.text))
    output.message(f"{len(found)} utförare behöver påkallad granskning." if found else "Inga nya händelser kräver påkallad granskning.")
    raise typer.Exit(ExitCode.FOUND if found else ExitCode.OK)


def _print_ranking(analysis, top: int) -> None:
    import sys

    shown = analysis.providers[:top]
    if not sys.stdout.isatty():
        for p in shown:
            adjusted = f"; justerad till {p.adjustment.level} ({p.adjustment.action}: {p.adjustment.reason})" if p.adjustment and p.adjustment.level else ""
            likely = p.main_reasons()
            reasons = "; ".join(likely[:3]) + (f"; … ({len(likely) - 3} skäl till)" if len(likely) > 3 else "")
            print(output.plain_field(f"{p.rank}. {p.provider_id} {p.name} ({p.service_area}): risk {p.risk_value} {p.level} "
                  f"(sannolikhet {p.likelihood} × konsekvens {p.consequence}){' [okänd]' if p.unknown else ''}{adjusted}. {reasons}"))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Riskanalys per {analysis.as_of.isoformat()} (de {len(shown)} högsta av {len(analysis.providers)})",
                  header_style="bold", show_lines=True)
    for title, kw in (("#", {"justify": "right"}), ("Utförare", {"max_width": 28}), ("Område", {"max_width": 18}),
                      ("S×K", {"justify": "center"}), ("Risk", {}), ("Skäl", {"ratio": 1}), ("Justering", {"max_width": 26})):
        table.add_column(title, overflow="fold", **kw)
    for p in shown:
        risk = Text(f" {p.risk_value} {p.level} ", style=f"black on {p.color}")
        if p.unknown:
            risk.append(" okänd", style="italic")
        likely = p.main_reasons()
        reasons = "\n".join(likely[:3]) + (f"\n… och {len(likely) - 3} skäl till (se --json eller --out)" if len(likely) > 3 else "")
        adjustment = ""
        if p.adjustment:
            adjustment = f"{p.adjustment.action}" + (f" → {p.adjustment.level}" if p.adjustment.level else "") + f": {p.adjustment.reason}"
        table.add_row(str(p.rank), f"{p.provider_id}\n{p.name}", p.service_area or "", f"{p.likelihood}×{p.consequence}",
                      risk, reasons or "Inga signaler", adjustment)
    output.out().print(table)


def calibration_yaml(found) -> str:
    """The proposed cut points as YAML to paste into followup.yaml, the distribution behind them as comments."""
    from followup_cli.risk.calibrate import describe

    def flow(values) -> str:
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"

    lines = [f"# {line}".rstrip() for line in describe(found)]
    lines += ["#", "# Klistra in i followup.yaml (finns avsnittet risk: redan, lägg raderna under det):",
              "risk:",
              "  likelihood:", f"    cut_points: {flow(found.likelihood.proposed)}",
              "  consequence:", f"    cut_points: {flow(found.consequence.proposed)}"]
    return "\n".join(lines)


MATRIX_NOTE = "beräknade koordinater före justeringar; okända utförare i egen rad, inte som sannolika"


def _print_matrix(analysis) -> None:
    import sys

    matrix, counts, unknown = analysis.matrix, analysis.counts(), analysis.unknown_counts()
    if not sys.stdout.isatty():
        print(f"Riskmatris (antal utförare; rader = sannolikhet högst först, kolumner = konsekvens; {MATRIX_NOTE}):")
        for li in range(len(matrix.likelihood), 0, -1):
            print(f"  {matrix.likelihood[li - 1].name:>16}: " + "  ".join(f"{counts[li - 1][ci]:>3}" for ci in range(len(matrix.consequence))))
        print(f"  {'Okänd':>16}: " + "  ".join(f"{n:>3}" for n in unknown))
        sys.stdout.flush()
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Riskmatris: antal utförare", caption=MATRIX_NOTE[0].upper() + MATRIX_NOTE[1:] + ".", header_style="bold")
    table.add_column("Sannolikhet \\ Konsekvens")
    for step in matrix.consequence:
        table.add_column(step.name, justify="center")
    for li in range(len(matrix.likelihood), 0, -1):
        cells = [Text(f" {counts[li - 1][ci - 1]} ", style=f"black on {matrix.level(li, ci).color}") for ci in range(1, len(matrix.consequence) + 1)]
        table.add_row(matrix.likelihood[li - 1].name, *cells)
    table.add_row(Text("Okänd", style="italic"), *(Text(f" {n} ", style="italic") for n in unknown), end_section=True)
    output.out().print(table)


def _summary(analysis) -> str:
    from followup_cli.swedish import plural

    counts = analysis.level_counts()
    parts = []
    for lv in reversed(analysis.matrix.levels):
        n, adjusted = counts[lv.id]
        parts.append(f"{n} {lv.name}" + (f" (varav {plural(adjusted, 'justerad', 'justerade')})" if adjusted else ""))
    unknown = sum(p.unknown for p in analysis.providers)
    adjusted = sum(p.adjusted for p in analysis.providers)
    text = f"{len(analysis.providers)} utförare analyserade per {analysis.as_of.isoformat()}: {', '.join(parts)}"
    if adjusted:
        text += " (nivå efter strategens justeringar)"
    text += f"; {plural(unknown, 'okänd', 'okända')}"
    if analysis.inactive:
        text += f"; {len(analysis.inactive)} inaktiva ej rankade"
    if analysis.absent_sheets:
        text += f". Blad som saknades: {', '.join(analysis.absent_sheets)}"
    return text + "."
