"""`followup plan --year Y`: the annual follow-up plan, chosen under capacity and rules, as a working plan or a board document."""

from __future__ import annotations

from pathlib import Path

import typer

from followup_cli.cli import output
from followup_cli.cli.common import (
    AS_OF_HELP,
    REGISTER_OPTION,
    read_valid_register,
    workspace,
)
from followup_cli.errors import ExitCode, UsageError

FORMATS = ("xlsx", "docx", "md", "html", "ics", "json")
BINARY = ("xlsx", "docx")


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
    audience: str = typer.Option("internal", "--audience", help="internal (standard) eller public: versionen för webben, "
                                 "bara antal, inga namn och inga månader."),
    board: str = typer.Option(None, "--board", help="Visa bara denna nämnds utförare (urvalet görs för alla nämnder tillsammans).",
                              show_default=False),
    as_of: str = typer.Option(None, "--as-of", help=AS_OF_HELP.replace("standard är dagens datum", "standard är dagen före planåret"),
                              show_default=False),
) -> None:
    """Uppföljningsplanen för ett år: urval under kapacitet och regler, fördelat över månaderna."""
    import datetime as dt

    from followup_cli.plan.config import load_plan_config
    from followup_cli.risk.collect import EvidenceCollector
    from followup_cli.risk.model import load_model
    from followup_cli.workspace import parse_as_of

    ws = workspace()
    year = year or ws.year
    if year is None:
        raise UsageError("Ange planåret med --year, t.ex. followup plan --year 2026, eller year: i followup.yaml.")
    fmt = _format(fmt, out, as_json)
    if audience not in ("internal", "public"):
        raise UsageError(f"--audience ska vara internal eller public (nu: {audience}).")
    if audience == "public" and fmt in ("ics", "xlsx"):
        raise UsageError(f"--audience public ger bara antal; {fmt} för allmänheten finns inte. Använd docx, html, md eller json.")
    day = parse_as_of(as_of) if as_of else dt.date(year - 1, 12, 31)
    source = ws.config_path.name if ws.config_path else "followup.yaml"
    model = load_model(ws.risk, source)
    config = load_plan_config(ws.plan, model.matrix, year, source, capacity_hours)
    if not config.capacity:
        raise UsageError("Planen behöver timmar: ange plan.capacity per uppföljande enhet i followup.yaml "
                         "eller --capacity-hours, t.ex. --capacity-hours 2400.")
    prior = _previous(previous, year) if previous else []
    collector = EvidenceCollector(day, model)
    reg, sources = read_valid_register(ws, None, register, day, on_table=collector)
    from followup_cli.plan.build import make_plan
    from followup_cli.risk.analyze import analyze_risk

    analysis = analyze_risk(reg, day, model, collector)
    tables = {name: table.data for name, table in reg.tables.items()}
    chosen_board = _board(board, tables["providers"]) if board else None
    result = make_plan(analysis, tables, config, year, ws.organisation, prior, chosen_board)
    for warning in result.warnings:
        output.warn(f"varning: {warning}")
    inputs = [sources.register, *(s.path for s in sources.sheets.values()), previous, ws.config_path]
    _write(result, fmt, out, audience, ws, inputs)
    output.message(_summary(result))
    if result.shortfall:
        raise typer.Exit(ExitCode.FOUND)


def _format(fmt: str | None, out: Path | None, as_json: bool) -> str | None:
    if as_json:
        if fmt not in (None, "json"):
            raise UsageError(f"--json och --format {fmt} går inte ihop: --json är samma som --format json.")
        return "json"
    if fmt is None and out is not None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt == "htm":
            fmt = "html"
        if fmt not in FORMATS:
            raise UsageError(f"Kan inte avgöra formatet av {out.name}: ange --format ({', '.join(FORMATS)}).")
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise UsageError(f"Okänt format '{fmt}'. Välj ett av {', '.join(FORMATS)}.")
    return fmt


def _board(name: str, providers) -> str:
    from followup_cli.text import fold, suggest

    boards = sorted({b for b in providers["board"].dropna().unique()})
    for b in boards:
        if fold(b) == fold(name):
            return b
    near = suggest(name, {fold(b): b for b in boards})
    raise UsageError(f"Nämnden '{name}' finns inte i registret" + (f" – menade du '{near}'?" if near else
                     f"; nämnderna är {', '.join(boards) or '(kolumnen Nämnd är tom)'}."))


def _previous(path: Path, year: int):
    """Last year's plan; a plan for this year or later cannot be carried over into it."""
    from followup_cli.plan.previous import read_previous_plan

    items = read_previous_plan(path)
    if items and items[0].year >= year:
        raise UsageError(f"--previous {path.name} är planen för {items[0].year}; ange förra årets plan ({year - 1}).")
    if items and items[0].year < year - 1:
        output.warn(f"varning: {path.name} är planen för {items[0].year}, inte för {year - 1}; "
                    "granskningar därifrån som inte genomförts förs ändå över.")
    return items


def _write(result, fmt: str | None, out: Path | None, audience: str, ws, inputs: list) -> None:
    import sys

    from followup_cli.publish.write import refuse_inputs

    if fmt is None:
        _print_overview(result)
        return
    public = audience == "public"
    if fmt in BINARY and out is None:
        suffix = "-allmanhet" if public else ""
        out = ws.output / f"plan-{result.year}{suffix}.{fmt}"
    if out is not None:
        refuse_inputs(out, inputs)
    if fmt == "json":
        from followup_cli.plan.public import public_summary

        data = public_summary(result, ws.min_count) if public else result.to_dict()
        _emit(output.json_bytes(data, indent=out is not None or sys.stdout.isatty()) + b"\n", out)
    elif fmt == "xlsx":
        from followup_cli.publish.plan_workbook import write_plan_workbook

        write_plan_workbook(result, out)
    elif fmt == "ics":
        from followup_cli.publish.plan_ics import plan_ics

        _emit(plan_ics(result).encode("utf-8"), out)  # bytes: the calendar's CRLF stays exactly as RFC 5545 wants
    else:
        from followup_cli.publish.plan_document import render_plan

        rendered = render_plan(result, fmt, public=public, out=out, min_count=ws.min_count, own_templates=ws.root / "templates")
        if rendered is not None:
            _emit(rendered, out)
    if out is not None:
        output.message(f"Skrev {out}")
    else:
        sys.stdout.flush()


def _emit(data: bytes | str, out: Path | None) -> None:
    """Bytes go out exactly as they are (JSON, the calendar); text (md, html) with the console's own line endings."""
    import sys

    from followup_cli.publish.write import write_atomic, write_text

    if out is not None and isinstance(data, bytes):
        write_atomic(out, lambda tmp: tmp.write_bytes(data))
    elif out is not None:
        write_text(out, data)
    elif isinstance(data, bytes):
        output.write_stdout_bytes(data)
    else:
        sys.stdout.write(data)


def _print_overview(result) -> None:
    import sys

    items = result.items
    if not sys.stdout.isatty():
        for i in items:
            print(f"{result.month_key(i.month)}\t{i.unit}\t{i.provider_id}\t{i.name}\t{i.review_type}\t{i.method}\t{i.hours:g} h\t"
                  f"{'obligatorisk' if i.mandatory else 'vald'}\t{'; '.join(i.reasons)}")
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
    mandatory = sum(i.mandatory for i in result.items)
    hours = sum(i.hours for i in result.items)
    text = (f"Plan {result.year}" + (f" för {result.board}" if result.board else "") + f": {len(result.items)} granskningar "
            f"({mandatory} obligatoriska), {hours:g} timmar; {len(result.not_selected)} utförare/granskningar inte valda")
    excluded = [n for n in result.not_selected if n.excluded and n.mandatory]
    if excluded:
        text += f"; {len(excluded)} obligatoriska exkluderade ({', '.join(n.provider_id for n in excluded)})"
    if result.shortfall:
        text += ". KAPACITETEN RÄCKER INTE: " + "; ".join(
            f"{s.unit} saknar {s.hours_short:g} timmar för {len(s.provider_ids)} obligatoriska ({', '.join(s.provider_ids[:6])}"
            f"{' …' if len(s.provider_ids) > 6 else ''})" for s in result.shortfall)
    return text + "."
