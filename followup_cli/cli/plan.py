"""`followup plan --year Y`: the annual follow-up plan, chosen under capacity and rules, as a working plan or a board document."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import AS_OF_HELP, REGISTER_OPTION, workspace
from followup_cli.errors import ExitCode, UsageError

FORMATS = ("xlsx", "docx", "md", "html", "ics", "json")  # api.PLAN_FORMATS, kept here so --help needs no import


def plan(
    year: int = typer.Option(None, "--year", min=2000, max=2100, help="Planåret; annars year i followup.yaml.", show_default=False),
    register: Path = REGISTER_OPTION,
    fmt: str = typer.Option(None, "--format", help=f"Utdata: {', '.join(FORMATS)}. Utan --format: en översikt, eller formatet som --out slutar på.",
                            show_default=False),
    out: Path = typer.Option(None, "--out", help="Fil att skriva. Utan --out skrivs text (md, html, ics, json) till stdout "
                             "och xlsx/docx till arbetsytans out-mapp.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Samma som --format json."),
    capacity_hours: float = typer.Option(None, "--capacity-hours", min=0, help="Timmar totalt i stället för plan.capacity per enhet "
                                         "(en gemensam pott, Totalt).", show_default=False),
    previous: Path = typer.Option(None, "--previous", help="Förra årets plan (xlsx från followup plan): planerat som inte "
                                  "genomförts förs över som obligatoriskt.", show_default=False),
    audience: str = typer.Option(None, "--audience", help="board: tjänsteskrivelsen till nämnden, med kvartal i stället för "
                                 "månader (standard för docx, md och html); internal: arbetsplanen med månader (standard, och "
                                 "det enda för xlsx, ics och json utan --audience); public: versionen för webben, bara antal.",
                                 show_default=False),
    date: str = typer.Option(None, "--date", help="Tjänsteskrivelsens datum (ÅÅÅÅ-MM-DD); annars plan.document.date, "
                             "annars dagens datum.", show_default=False),
    board: str = typer.Option(None, "--board", help="Visa bara denna nämnds utförare (urvalet görs för alla nämnder tillsammans).",
                              show_default=False),
    as_of: str = typer.Option(None, "--as-of", help=AS_OF_HELP.replace("standard är dagens datum", "standard är dagen före planåret"),
                              show_default=False),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil även om followup inte skrev den (eller den har ändrats sedan)."),
) -> None:
    """Uppföljningsplanen för ett år: urval under kapacitet och regler, fördelat över månaderna."""
    from followup_cli import api

    if as_json:
        if fmt not in (None, "json"):
            raise UsageError(f"--json och --format {fmt} går inte ihop: --json är samma som --format json.")
        fmt = "json"
    ws = workspace()
    with output.status("Läser registret …"):
        run = api.plan(ws, year=year, register=register, as_of=as_of, capacity_hours=capacity_hours, previous=previous,
                       board=board, fmt=fmt, out=out, audience=audience, date=date, force=force)
    result = run.plan
    for warning in result.warnings:
        output.warn(f"varning: {warning}")
    if run.output is None:
        _print_overview(result)
    elif run.output.path is not None:
        output.message(f"Skrev {run.output.path}")
    elif isinstance(run.output.data, dict):
        output.print_json(run.output.data)
    elif isinstance(run.output.data, bytes):
        output.write_stdout_bytes(run.output.data)
    else:
        sys.stdout.write(run.output.data)
        sys.stdout.flush()
    output.message(_summary(result))
    if run.shortfall:
        raise typer.Exit(ExitCode.FOUND)


def _print_overview(result) -> None:
    items = result.items
    if not sys.stdout.isatty():
        for i in items:
            print(output.plain_line(result.month_key(i.month), i.unit, i.provider_id, i.name, i.review_type, i.method,
                                    f"{i.hours:g} h", "obligatorisk" if i.mandatory else "vald", "; ".join(i.reasons)))
        return
    from rich.table import Table

    table = Table(title=f"Uppföljningsplan {result.year}" + (f" – {result.board}" if result.board else ""), header_style="bold")
    for title, kw in (("Månad", {"no_wrap": True}), ("Enhet", {"max_width": 22}), ("Utförare", {"max_width": 28}),
                      ("Typ och metod", {"max_width": 24}), ("Timmar", {"justify": "right"}), ("Skäl", {"ratio": 1, "min_width": 30})):
        table.add_column(title, overflow="fold", **kw)
    for i in items:
        table.add_row(result.month_key(i.month), i.unit, f"{i.provider_id}\n{i.name}", f"{i.review_type}\n{i.method}",
                      f"{i.hours:g}", "\n".join(i.reasons))
    output.out().print(table)
    cap = Table(title="Kapacitet per uppföljande enhet", header_style="bold")
    for title in ("Enhet", "Timmar", "Reserv", "Att planera", "Planerat"):
        cap.add_column(title, justify="right" if title != "Enhet" else "left")
    for c in result.capacity:
        cap.add_row(c.unit, f"{c.configured:g}", f"{c.reserve:g}", f"{c.available:g}", f"{c.used:g}")
    output.out().print(cap)


def _summary(result) -> str:
    from followup_cli.swedish import hours_text, plural

    mandatory = sum(i.mandatory for i in result.items)
    total = sum(i.hours for i in result.items)
    left_out = len({n.provider_id for n in result.not_selected})
    text = (f"Plan {result.year}" + (f" för {result.board}" if result.board else "") + f": {plural(len(result.items), 'granskning', 'granskningar')} "
            f"({plural(mandatory, 'obligatorisk', 'obligatoriska')}), {hours_text(total)}; "
            f"{plural(left_out, 'utförare', 'utförare')} utan granskning")
    excluded = [n for n in result.not_selected if n.excluded and n.mandatory]
    if excluded:
        text += f"; {plural(len(excluded), 'obligatorisk exkluderad', 'obligatoriska exkluderade')} ({', '.join(n.provider_id for n in excluded)})"
    if result.shortfall:
        parts = []
        for s in result.shortfall:
            what = []
            if s.provider_ids:
                what.append(f"{plural(len(s.provider_ids), 'obligatorisk', 'obligatoriska')} ({_ids(s.provider_ids)})")
            if s.unreached:
                what.append(f"{plural(len(s.unreached), 'utförare', 'utförare')} med hög eller mycket hög risk utan sin nivås metod "
                            f"({_ids(s.unreached)})")
            parts.append(f"{s.unit} saknar {hours_text(s.hours_short)} för " + " och ".join(what))
        text += ". KAPACITETEN RÄCKER INTE: " + "; ".join(parts)
    return text + "."


def _ids(ids) -> str:
    return ", ".join(ids[:6]) + (" …" if len(ids) > 6 else "")
