"""followup as a library: each command as one function over a workspace, returning plain result objects.

The CLI parses options, calls one of these and prints what it returns;
scheduled Python scripts and tests call them directly:

    from followup_cli import api
    ws = api.open_workspace(Path("kommun/followup.yaml"))
    run = api.plan(ws, year=2026, fmt="xlsx")       # run.plan, run.output.path

Every function raises a FollowupError (a Swedish sentence and an exit code)
for anything the user can put right; nothing here prints. Heavy libraries
are imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.errors import InputError, UsageError
from followup_cli.workspace import Workspace, load_workspace, parse_as_of

if TYPE_CHECKING:
    from followup_cli.plan.build import Plan
    from followup_cli.publish.template_check import TemplateCheck
    from followup_cli.register.read import RegisterSources
    from followup_cli.register.table import Register
    from followup_cli.register.validate import ValidationResult
    from followup_cli.reviews.actions import Actions
    from followup_cli.risk.alerts import Alert
    from followup_cli.risk.calibrate import Calibration
    from followup_cli.risk.model import RiskModel
    from followup_cli.risk.results import RiskAnalysis

PLAN_FORMATS = ("xlsx", "docx", "md", "html", "ics", "json")
BINARY_FORMATS = ("xlsx", "docx")
DOCUMENT_FORMATS = ("docx", "md", "html")  # the tjänsteskrivelse: made for the board unless asked otherwise
INTERNAL_FORMATS = ("xlsx", "ics")  # the working plan and the calendar hold every month: internal only
AUDIENCES = ("board", "internal", "public")


def open_workspace(config: Path | None = None, cwd: Path | None = None) -> Workspace:
    """`followup.yaml` given, or found in `cwd` (default: the current folder) and upward; an empty workspace
    rooted there when there is none, so a scheduled job can run on a register named on its own."""
    return load_workspace(config, cwd)


@dataclass
class Output:
    """What a command produced for the user: the file it wrote, or what belongs on stdout."""

    path: Path | None = None
    data: bytes | str | dict | None = None  # bytes and str as they are; a dict is JSON for the caller to print


# ---------------------------------------------------------------------------------------------- validate


@dataclass
class Validation:
    result: ValidationResult
    register: Path
    annotated: tuple[Path, int] | None = None  # the annotated copy and how many cells it marks

    @property
    def problems(self):
        return self.result.problems

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.result.problems)


def validate(ws: Workspace, *, register: Path | None = None, as_of: dt.date | str | None = None,
             annotate: Path | None = None, force: bool = False) -> Validation:
    """Every problem in the register, and in the workspace's checklists when the register is the workspace's own.

    Another register named explicitly may belong to another municipality or year: the workspace's checklists are
    then not checked against it (their providers would all be 'unknown')."""
    from followup_cli.register.validate import validate_register
    from followup_cli.reviews.scale import load_assessment

    sources = register_sources(ws, register)
    checklists = ws.checklists if ws.is_own_register(register) else None
    grades = (lambda reg: _grade_checks(reg, load_assessment(ws.assessment, ws.source_name))) if checklists else None
    result = validate_register(sources, _day(as_of), checklists, service_areas(ws), grades)
    run = Validation(result, sources.register)
    if annotate is not None:
        from followup_cli.publish.annotate import annotate_copy
        from followup_cli.publish.write import overwriting

        with overwriting(force):
            run.annotated = (annotate, annotate_copy(sources.register, annotate, result.problems, inputs=result.inputs))
    return run


def service_areas(ws: Workspace) -> list[str]:
    """The service areas the risk analysis knows: the shipped ones and any the user adds under
    risk.consequence.vulnerability (settings that do not parse are the risk analysis's to report)."""
    from followup_cli.risk.model import defaults

    shipped = list(defaults()["consequence"]["vulnerability"])
    consequence = ws.risk.get("consequence") if isinstance(ws.risk, dict) else None
    added = consequence.get("vulnerability") if isinstance(consequence, dict) else None
    return shipped + [str(k) for k in added] if isinstance(added, dict) else shipped


# ---------------------------------------------------------------------------------------------- risk


@dataclass
class RiskRun:
    analysis: RiskAnalysis
    register: Register
    sources: RegisterSources
    model: RiskModel
    as_of: dt.date
    inputs: list[Path]  # every file read, the register's and the settings: never written over
    alerts: list[Alert] | None = None  # with alerts=True: providers whose new events call for a triggered review
    since: dt.date | None = None
    written: list[Path] = field(default_factory=list)


def analyze(ws: Workspace, *, register: Path | None = None, as_of: dt.date | str | None = None,
            out: Path | None = None, chart: Path | None = None, alerts: bool = False,
            since: dt.date | str | None = None, force: bool = False) -> RiskRun:
    """The ranked risk analysis; with `out` a risk register workbook, with `chart` the heat map (png or svg),
    with `alerts` the providers whose events since their last review (or `since`) call for a triggered review."""
    from followup_cli.risk.model import load_model

    if since is not None and not alerts:
        raise UsageError("--since hör till --alerts: lägg till --alerts, eller ta bort --since.")
    day = _day(as_of)
    since_day = _day(since) if since is not None else None
    model = load_model(ws.risk, ws.source_name)
    analysis, reg, sources, _ = masked_analysis(ws, register, day, model)  # every risk output is internal
    run = RiskRun(analysis, reg, sources, model, day, input_files(ws, sources), since=since_day)
    from followup_cli.risk.calibrate import top_share_warning

    too_many = top_share_warning(run.analysis, model)
    if too_many:
        run.analysis.warnings.append(too_many)
    if out is not None or chart is not None:
        from followup_cli.publish.write import overwriting

        with overwriting(force):
            if out is not None:
                from followup_cli.publish.risk_workbook import write_risk_workbook

                run.written.append(write_risk_workbook(run.analysis, out, run.inputs))
            if chart is not None:
                from followup_cli.publish.risk_chart import write_risk_chart

                run.written.append(write_risk_chart(run.analysis, chart, run.inputs))
    if alerts:
        from followup_cli.risk.alerts import find_alerts

        run.alerts = find_alerts(reg, day, model, since_day)
    return run


def calibrate(run: RiskRun) -> Calibration:
    """Over an analysis: how the providers spread over the levels, and the cut points that give
    risk.target_shares (`followup risk-analyze --calibrate`)."""
    from followup_cli.risk.calibrate import calibrate as calibrate_cuts

    return calibrate_cuts(run.analysis, run.model)


# ---------------------------------------------------------------------------------------------- plan


@dataclass
class PlanRun:
    plan: Plan
    workspace: Workspace
    inputs: list[Path]
    audience: str | None = None  # None: board for the document, internal for the rest (plan_audience)
    output: Output | None = None  # with fmt: the file written, or what belongs on stdout
    date: dt.date | None = None  # the document's date: --date, else plan.document.date, else the day it is made
    private: list = field(default_factory=list)  # the register's free texts holding a personal number (masked here)

    @property
    def shortfall(self) -> bool:
        return bool(self.plan.shortfall)


def plan(ws: Workspace, *, year: int | None = None, register: Path | None = None, as_of: dt.date | str | None = None,
         capacity_hours: float | None = None, previous: Path | None = None, board: str | None = None,
         fmt: str | None = None, out: Path | None = None, audience: str | None = None,
         date: dt.date | str | None = None, force: bool = False) -> PlanRun:
    """The year's follow-up plan (risk analysed as of the day before the plan year unless `as_of`), and with
    `fmt` or `out` its document, workbook, calendar or JSON. xlsx and docx without `out` go to the workspace's
    output folder; text formats without `out` come back in `run.output.data` for stdout."""
    from followup_cli.plan.build import make_plan, resolve_board
    from followup_cli.plan.config import load_plan_config
    from followup_cli.plan.previous import previous_plan
    from followup_cli.risk.model import load_model

    year = year or ws.year
    if year is None:
        raise UsageError("Ange planåret med --year, t.ex. followup plan --year 2026, eller year: i followup.yaml.")
    fmt = plan_format(fmt, out)
    plan_audience(audience, fmt)
    document_day = _document_date(date)
    day = _day(as_of) if as_of is not None else dt.date(year - 1, 12, 31)
    model = load_model(ws.risk, ws.source_name)
    config = load_plan_config(ws.plan, model.matrix, year, ws.source_name, capacity_hours)
    if not config.capacity:
        raise UsageError("Planen behöver timmar: ange plan.capacity per uppföljande enhet i followup.yaml "
                         "eller --capacity-hours, t.ex. --capacity-hours 2400.")
    prior, prior_warnings = previous_plan(previous, year) if previous is not None else ([], [])
    # The plan is made from masked texts; its board and public versions are refused while any number is there.
    analysis, reg, sources, private = masked_analysis(ws, register, day, model)
    from followup_cli.publish.privacy import mask_warning

    tables = {name: table.data for name, table in reg.tables.items()}
    chosen_board = resolve_board(board, tables["providers"]) if board else None
    result = make_plan(analysis, tables, config, year, ws.organisation, prior, chosen_board)
    result.warnings[:0] = prior_warnings + ([mask_warning(private)] if private else [])
    inputs = input_files(ws, sources, previous)
    run = PlanRun(result, ws, inputs, audience, date=document_day or _configured_date(config.document.get("date")),
                  private=private)
    if fmt is not None:
        run.output = publish_plan(run, fmt, out, force=force)
    return run


def plan_format(fmt: str | None, out: Path | None) -> str | None:
    """The format asked for, or the one `out` ends in; None for the overview."""
    return output_format(fmt, out, PLAN_FORMATS)


def output_format(fmt: str | None, out: Path | None, formats, default: str | None = None) -> str | None:
    """--format, else what `out` ends in (.htm is html), else `default`: one rule for every command that writes
    documents. An ending that is no format of the command's is a usage error naming the file."""
    if fmt is None and out is not None and (out.suffix or default is None):
        fmt = out.suffix.lower().lstrip(".")
        fmt = "html" if fmt == "htm" else fmt
        if fmt not in formats:
            raise UsageError(f"Kan inte avgöra formatet av {out.name}: ange --format ({', '.join(formats)}).")
    if fmt is None:
        return default
    fmt = fmt.lower()
    if fmt not in formats:
        raise UsageError(f"Okänt format '{fmt}'. Välj ett av {', '.join(formats)}.")
    return fmt


def plan_audience(audience: str | None, fmt: str | None) -> str:
    """Who a format is made for: the document goes to the board unless asked otherwise, everything else is internal.
    The workbook and the calendar hold every month, so they exist only for internal use."""
    if audience is None:
        return "board" if fmt in DOCUMENT_FORMATS else "internal"
    if audience not in AUDIENCES:
        raise UsageError(f"--audience ska vara board (nämnden), internal eller public (nu: {audience}).")
    if fmt in INTERNAL_FORMATS and audience != "internal":
        raise UsageError(f"--format {fmt} är den interna arbetsplanen med månader och finns inte för --audience {audience} "
                         "(nämndens version har kvartal, allmänhetens bara antal): använd docx, md eller html.")
    if fmt == "json" and audience == "board":
        raise UsageError("--audience board är tjänsteskrivelsen till nämnden (docx, md eller html); "
                         "json finns som internal (standard) och public.")
    return audience


def _document_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date ska vara ett datum som 2025-12-15 (fick '{value}').") from None


def _configured_date(text: str | None) -> dt.date:
    """plan.document.date (checked as a date by the settings), else the day the document is made."""
    return dt.date.fromisoformat(text.strip()) if text and text.strip() else dt.date.today()


def publish_plan(run: PlanRun, fmt: str, out: Path | None = None, *, force: bool = False) -> Output:
    """The plan in one format: written to `out` (or the default file for xlsx and docx), else returned for stdout.
    An existing file that followup did not write is replaced only with `force`."""
    from followup_cli.publish.write import overwriting

    with overwriting(force):
        return _publish_plan(run, fmt, out)


def _publish_plan(run: PlanRun, fmt: str, out: Path | None) -> Output:
    from followup_cli.publish.write import refuse_inputs

    ws, result = run.workspace, run.plan
    audience = plan_audience(run.audience, fmt)
    if audience in ("board", "public"):
        from followup_cli.publish.privacy import refuse

        refuse(run.private, audience)  # before any file: what the board or the public reads never holds one
    public = audience == "public"
    if fmt in BINARY_FORMATS and out is None:
        suffix = {"public": "-allmanhet", "internal": "-intern" if fmt == "docx" else ""}.get(audience, "")
        out = ws.output / f"plan-{result.year}{suffix}.{fmt}"
    if out is not None:
        refuse_inputs(out, run.inputs)
    if fmt == "json":
        from followup_cli.plan.public import public_summary

        data = public_summary(result, ws.min_count) if public else result.to_dict()
        if out is None:
            return Output(data=data)
        from followup_cli.publish.write import write_json

        return Output(path=write_json(out, data))
    if fmt == "xlsx":
        from followup_cli.publish.plan_workbook import write_plan_workbook

        return Output(path=write_plan_workbook(result, out))
    if fmt == "ics":
        from followup_cli.publish.plan_ics import plan_ics

        data = plan_ics(result).encode("utf-8")  # bytes: the calendar's CRLF stays exactly as RFC 5545 wants
    else:
        from followup_cli.publish.plan_document import render_plan

        data = render_plan(result, fmt, audience, out=out, min_count=ws.min_count, date=run.date or dt.date.today(),
                           own_templates=ws.root / "templates")
        if data is None:
            return Output(path=out)
    if out is None:
        return Output(data=data)
    from followup_cli.publish.write import write_atomic, write_text

    if isinstance(data, bytes):
        write_atomic(out, lambda tmp: tmp.write_bytes(data))
    else:
        write_text(out, data)
    return Output(path=out)


# ---------------------------------------------------------------------------------------------- init


def init(folder: Path, *, organisation: str = "Kommunen", year: int | None = None, force: bool = False) -> list[Path]:
    """A new workspace: a commented followup.yaml and an empty register with dropdowns. Existing files are
    left alone unless `force`."""
    from followup_cli.errors import OutputError
    from followup_cli.publish.workspace import create_workspace

    year = year or dt.date.today().year + 1
    from followup_cli.publish.write import overwriting

    existing = [p for p in (folder / "followup.yaml", folder / "register.xlsx") if p.exists()]
    if existing and not force:
        names = " och ".join(str(p) for p in existing)
        raise OutputError(f"{names} finns redan och skrivs inte över. Välj en annan mapp eller lägg till --force.")
    with overwriting(force):
        return create_workspace(folder, organisation, year)


# ---------------------------------------------------------------------------------------------- shared steps


def register_sources(ws: Workspace, register: Path | None = None) -> RegisterSources:
    """The register named (a file), else the workspace's, with the sheets the workspace takes from other files."""
    from followup_cli.register.read import RegisterSources, SheetSource

    sheets = {name: SheetSource(p, sheet) for name, (p, sheet) in ws.sheets.items()}
    # The workspace's consolidated reviews workbook (checklist ingest) is read beside the workspace's own register,
    # also when that is named with --register; another register may be another municipality's or year's.
    reviews = ws.reviews_path if ws.is_own_register(register) else None
    return RegisterSources(register=ws.register_path(register), sheets=sheets, reviews=reviews)


def read_valid_register(ws: Workspace, register: Path | None, as_of: dt.date, on_table=None,
                        sources: RegisterSources | None = None) -> tuple[Register, RegisterSources]:
    """The register for an analysis (or `sources` when given): read, checked, and refused (exit 3) while it has errors.
    `on_table` is told of each sheet as it is read, so the analysis can start while large sheets still load."""
    from followup_cli.register.read import read_register

    sources = sources or register_sources(ws, register)
    reg = read_register(sources, as_of, on_table)
    errors = [p for p in reg.problems if p.severity == "error"]
    if errors:
        raise InputError(
            f"{sources.register.name} har {len(errors)} fel och kan inte analyseras förrän de är rättade. "
            f"Kör followup validate {sources.register} för att se alla. Det första: {errors[0].line()}",
            file=sources.register.name)
    return reg, sources


def masked_analysis(ws: Workspace, register: Path | None, day: dt.date, model: RiskModel):
    """The register read and the risk analysed while it loads, with any personal identity number in the analysis's
    free text masked (and said in its warnings): (analysis, register, sources, the texts that were masked)."""
    from followup_cli.publish.privacy import mask_analysis
    from followup_cli.risk.analyze import analyze_risk
    from followup_cli.risk.collect import EvidenceCollector

    collector = EvidenceCollector(day, model)
    reg, sources = read_valid_register(ws, register, day, on_table=collector)
    analysis = analyze_risk(reg, day, model, collector)
    return analysis, reg, sources, mask_analysis(analysis)


def input_files(ws: Workspace, sources: RegisterSources, *more: Path | None) -> list[Path]:
    """Every file a command read: the register's, `more` (a plan, checklists) and the workspace's settings.
    Outputs must never be written over one of them."""
    return [*sources.files(), *(p for p in more if p is not None), *([ws.config_path] if ws.config_path else [])]


def _day(value: dt.date | str | None) -> dt.date:
    return value if isinstance(value, dt.date) else parse_as_of(value)


# ---------------------------------------------------------------------------------------------- checklist ingest


@dataclass
class IngestRun:
    """What `checklist ingest` did: the workbook written, each review ingested, and the checklists left out."""

    path: Path | None  # the consolidated workbook written; None when nothing could be ingested and none existed
    changes: list = field(default_factory=list)  # reviews.ingest.ReviewChange, by review id
    broken: list = field(default_factory=list)  # Problem: the errors of each checklist that was not ingested
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) for lock files and other workbooks
    findings: int = 0  # rows on Brister after the ingest
    dropped: list = field(default_factory=list)  # earlier findings whose answer is no longer Nej or Delvis, entries and all


def ingest_checklists(ws: Workspace, folder: Path, *, out: Path | None = None, force: bool = False) -> IngestRun:
    """Every completed checklist in `folder` and its subfolders graded, its Nej and Delvis made findings, and all
    written to the consolidated workbook (`out`, else reviews: in followup.yaml, else granskningar.xlsx in the
    workspace). Checklists with errors are reported in `run.broken` and left out; the others are written.
    The register and the checklists are only read; what people recorded in the workbook is kept."""
    import dataclasses

    from followup_cli.publish.write import overwriting, refuse_inputs
    from followup_cli.register.checklist import completed_checklists
    from followup_cli.reviews.ingest import MANUAL, ingest
    from followup_cli.reviews.scale import load_assessment

    if not folder.is_dir():
        raise UsageError(f"{folder} är ingen mapp. Ange mappen med ifyllda granskningsprotokoll, "
                         "t.ex. followup checklist ingest checklists/2026/.")
    assessment = load_assessment(ws.assessment, ws.source_name)
    sources = dataclasses.replace(register_sources(ws), reviews=None)  # the register's own rows, to link against
    reg, sources = read_valid_register(ws, None, dt.date.today(), sources=sources)
    target = out or ws.reviews_path
    paths, locks = completed_checklists(folder)
    inputs = input_files(ws, sources, *paths)
    refuse_inputs(target, inputs)
    earlier = _earlier_reviews_workbook(target, force)
    run = IngestRun(path=None, skipped=[(_shown(p, folder), "Excels låsfil, hoppas över") for p in locks])
    good = _checked_checklists(paths, folder, reg, run, assessment)
    result = ingest(good, assessment, providers=reg.data("providers"), register_reviews=reg.data("reviews"),
                    register_findings=reg.data("findings"), earlier_reviews=earlier.get("reviews"),
                    earlier_findings=earlier.get("findings"))
    run.changes, run.findings, run.dropped = result.changes, len(result.findings), result.dropped
    if result.reviews or target.exists():
        from followup_cli.publish.reviews_workbook import write_reviews_workbook

        facts = [("Organisation", ws.organisation), ("Granskningar", len(result.reviews)), ("Brister", len(result.findings))]
        with overwriting(force or bool(earlier)):  # a workbook read here is rewritten with everything it held
            run.path = write_reviews_workbook(target, result.reviews, result.findings, MANUAL, facts, inputs)
    return run


def _earlier_reviews_workbook(target: Path, force: bool) -> dict:
    """The workbook the last ingest wrote (name → DataFrame), to keep what people recorded in it; {} if none.
    A file there that is not one is refused unless `force`; one with errors is refused: its entries would be lost."""
    from followup_cli.errors import OutputError
    from followup_cli.register.union import read_reviews_workbook

    if not target.exists():
        return {}
    tables, problems = read_reviews_workbook(target)
    if not tables:
        if force:
            return {}
        raise OutputError(f"{target} finns redan men har inga blad Granskningar eller Brister och skrivs inte över. "
                          "Välj ett annat namn med --out, eller lägg till --force om den ska ersättas.")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(f"{errors[0].line()} Rätta det i {target.name} och kör igen: annars skulle det som "
                         "skrivits in där gå förlorat.", file=target.name)
    return {name: table.data for name, table in tables.items()}


def _checked_checklists(paths: list[Path], folder: Path, reg: Register, run: IngestRun, assessment) -> list:
    """The checklists that read without errors, each checked as `validate` checks it; the others in run.broken
    (their errors, named by the path under `folder`) or, when they are no checklist at all, in run.skipped."""
    import dataclasses

    from followup_cli.register.checklist import FolderChecks, read_checklist
    from followup_cli.reviews.ingest import Source

    good, checks = [], FolderChecks(reg, _grade_checks(reg, assessment))
    for path in paths:
        shown = _shown(path, folder)
        checklist, problems = read_checklist(path)
        if checklist is not None and len(problems) == 2 and all(p.code == "missing-sheet" for p in problems):
            run.skipped.append((shown, "inget granskningsprotokoll (bladen Granskning och Frågor saknas), hoppas över"))
            continue
        if checklist is not None and checklist.questions is not None and (checklist.questions.data.empty or not checklist.started):
            run.skipped.append((shown, "inte ifyllt ännu (inga svar), hoppas över"))
            continue
        if checklist is not None:
            problems += checks.problems(checklist, shown)
        errors = [dataclasses.replace(p, file=shown) for p in problems if p.severity == "error"]
        if errors:
            run.broken += errors
            continue
        good.append(Source(checklist, shown))
    return good


def _grade_checks(reg: Register, assessment):
    """The check of a checklist's own grades against its provider's scale (reviews/ingest.override_problems), for
    validate and ingest alike."""
    from followup_cli.reviews.ingest import override_problems, service_areas

    area_of = service_areas(reg.data("providers"))
    return lambda checklist: override_problems(checklist, assessment.scale_for(area_of.get(checklist.header.get("provider_id"))))


def _shown(path: Path, folder: Path) -> str:
    """A checklist named by its path under the folder read, with forward slashes on every system."""
    return path.relative_to(folder).as_posix()


# ---------------------------------------------------------------------------------------------- report


@dataclass
class ReportRun:
    context: dict  # the version written: the whole context cut for its reader (report/audience.py)
    year: int
    output: Output
    audience: str = "board"
    warnings: list[str] = field(default_factory=list)  # e.g. personal numbers masked in the internal version


REPORT_SUFFIX = {"board": "", "internal": "-intern", "public": "-allmanhet"}  # provider: -utforare-<id>


def report(ws: Workspace, *, year: int | None = None, fmt: str | None = None, out: Path | None = None,
           register: Path | None = None, plan_file: Path | None = None, date: dt.date | str | None = None,
           force: bool = False, audience: str | None = None, provider: str | None = None, period: str | None = None,
           as_of: dt.date | str | None = None) -> ReportRun:
    """The follow-up report for `year` (default: the year before followup.yaml's year), or with period='interim' the
    delårsrapport of as_of's year up to `as_of`, for one reader: board (default), internal, provider (with
    `provider`) or public. docx and pdf are written to `out` (default out/rapport-ÅR[-version].docx), md and html to
    `out` or returned for stdout, json is the version's context. The texts a board, provider or public version
    prints are scanned first: a personal number or e-mail address stops it (exit 4) before any file; the internal
    version masks personal numbers and says where (run.warnings)."""
    from followup_cli.plan.config import load_plan_config
    from followup_cli.plan.previous import read_previous_plan
    from followup_cli.publish.privacy import REPORT_READERS, context_hits, mask_context, mask_warning, refuse
    from followup_cli.publish.risk_chart import HeatMap
    from followup_cli.publish.report_document import FORMATS, default_name, render_report
    from followup_cli.publish.write import overwriting, refuse_inputs, write_json
    from followup_cli.report.audience import AUDIENCES as REPORT_AUDIENCES
    from followup_cli.report.audience import for_reader
    from followup_cli.report.context import ReportInput, report_context
    from followup_cli.report.texts import report_texts
    from followup_cli.reviews.scale import load_assessment
    from followup_cli.risk.model import load_model

    audience = audience or "board"
    if audience not in REPORT_AUDIENCES:
        raise UsageError(f"--audience ska vara board (nämnden), internal, provider eller public (nu: {audience}).")
    if (audience == "provider") != (provider is not None):
        raise UsageError("Utförarens version behöver utföraren: followup report --audience provider --provider ID."
                         if provider is None else "--provider hör till --audience provider: lägg till det, eller ta bort --provider.")
    if period not in (None, "year", "interim"):
        raise UsageError(f"--period ska vara year (årsrapporten, standard) eller interim (delårsrapporten) (nu: {period}).")
    interim = period == "interim"
    if interim != (as_of is not None):
        raise UsageError("Delårsrapporten gäller året till och med en dag: ange --period interim --as-of 2026-08-31."
                         if interim else "--as-of hör till delårsrapporten: lägg till --period interim, eller ta bort --as-of.")
    until = _day(as_of) if interim else None
    if until is not None:
        if year is not None and year != until.year:
            raise UsageError(f"Delårsrapporten gäller --as-of:s år ({until.year}): ta bort --year {year}.")
        year = until.year
    year = year or (ws.year - 1 if ws.year else None)
    if year is None:
        raise UsageError("Ange rapportåret med --year, t.ex. followup report --year 2025, eller year: i followup.yaml "
                         "(rapporten gäller året före planåret).")
    fmt = output_format(fmt, out, FORMATS, default="docx")
    model = load_model(ws.risk, ws.source_name)
    day = dt.date(year - 1, 12, 31)  # the analysis the year's plan was made from
    with _drawing(fmt) as charts:  # started before the register is read: the charts are drawn meanwhile
        analysis, reg, sources, _ = masked_analysis(ws, register, day, model)
        if charts is not None and audience != "provider":  # a provider's version has no heat map: it counts every provider
            charts.heat_map(HeatMap.of(analysis))
        if provider is not None:
            provider = _known_provider(provider, reg.tables["providers"].data, sources.register.name)
        if plan_file is None and (ws.output / f"plan-{year}.xlsx").is_file():
            plan_file = ws.output / f"plan-{year}.xlsx"
        items = read_previous_plan(plan_file) if plan_file is not None else None
        if items and items[0].year != year:
            raise UsageError(f"--plan {plan_file.name} är planen för {items[0].year}, inte för {year}. Ange planen för {year}.")
        config = load_plan_config(ws.plan, model.matrix, year, ws.source_name)
        given = ReportInput(year, ws.organisation, _document_date(date) or dt.date.today(), ws.min_count,
                            load_assessment(ws.assessment, ws.source_name), analysis, items,
                            plan_file.name if plan_file is not None else "", dict(config.hours),
                            float(model.likelihood["billing"]["threshold"]), dict(config.document), until)
        full = report_context({name: t.data for name, t in reg.tables.items()}, given,
                              with_detail=audience in ("internal", "provider"))
        context = for_reader(full, audience, provider)
        warnings = []
        found = context_hits(context, lambda: report_texts(reg), emails=audience != "internal")
        if audience == "internal":
            if found:
                context = mask_context(context)
                warnings.append(mask_warning(found))
        else:
            refuse(found, audience, REPORT_READERS, emails=True)  # before any file is written
        inputs = input_files(ws, sources, plan_file)
        if out is None and fmt in ("docx", "pdf"):
            suffix = f"-utforare-{provider}" if audience == "provider" else REPORT_SUFFIX[audience]
            out = ws.output / default_name(year, fmt, suffix, until)
        if out is not None:
            refuse_inputs(out, inputs)
        with overwriting(force):
            if fmt == "json":
                output = Output(path=write_json(out, context)) if out else Output(data=context)
                return ReportRun(context, year, output, audience, warnings)
            text = render_report(context, fmt, out, charts, ws.root / "templates", inputs)
        return ReportRun(context, year, Output(path=out) if out is not None else Output(data=text), audience, warnings)


def _drawing(fmt: str):
    """The report's charts in a process of their own (publish/chart_process.py), for the formats that show them."""
    from contextlib import nullcontext

    from followup_cli.publish.chart_process import ChartDrawing

    return ChartDrawing() if fmt in ("docx", "pdf", "html") else nullcontext()


# ---------------------------------------------------------------------------------------------- checklist new


@dataclass
class ChecklistRun:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # filled in by a reviewer (or not written by followup): left alone
    skipped: list[str] = field(default_factory=list)  # planned reviews that get no checklist, and why


def new_checklists(ws: Workspace, *, provider: str | None = None, review_type: str | None = None,
                   method: str | None = None, plan: Path | None = None, out: Path | None = None,
                   register: Path | None = None, as_of: dt.date | str | None = None) -> ChecklistRun:
    """A new review checklist for `provider` (written to `out`, else the workspace's checklist folder), or with
    `plan` one per planned review in the folder `out`, named <review id>.xlsx. A checklist a reviewer has filled
    in (changed since followup wrote it) is never replaced: with `plan` it is kept and listed in `run.kept`."""
    from followup_cli.plan.rules import review_id
    from followup_cli.publish.checklist_workbook import write_checklist
    from followup_cli.publish.write import changed_since_written, refuse_inputs
    from followup_cli.reviews.question_bank import load_bank
    from followup_cli.reviews.scale import load_assessment
    from followup_cli.risk.model import load_model
    from followup_cli.schemas import checklist_schemas, register_schemas

    if (provider is None) == (plan is None):
        raise UsageError("Ange antingen --provider (ett protokoll för en utförare) eller --plan (ett per planerad granskning), "
                         "t.ex. followup checklist new --provider HT-001 --type quality_review.")
    if plan is not None and (review_type is not None or method is not None):
        raise UsageError("--type och --method hör till --provider; med --plan tas typ och metod ur planen.")
    if plan is None and out is not None:
        from followup_cli.publish.xlsx_style import require_xlsx

        require_xlsx(out, "Granskningsprotokollet skrivs som Excel-arbetsbok")
    types, methods = checklist_schemas()[0].field("review_type"), register_schemas()["reviews"].field("method")
    type_id = _vocabulary_id(types, review_type or "quality_review", "--type")
    method_id = _vocabulary_id(methods, method, "--method") if method is not None else None
    run = ChecklistRun()
    folder = ws.checklists or ws.output / "checklists"  # checklists: in followup.yaml, else out/checklists
    jobs = _planned_jobs(plan, out or folder, run) if plan is not None else []
    day = _day(as_of)
    model = load_model(ws.risk, ws.source_name)
    assessment = load_assessment(ws.assessment, ws.source_name)
    bank = load_bank(ws.questions)
    analysis, reg, sources, _ = masked_analysis(ws, register, day, model)
    tables = {name: table.data for name, table in reg.tables.items()}
    inputs = input_files(ws, sources, plan)
    by_id = {p.provider_id: p for p in analysis.providers}
    if plan is None:
        pid = _known_provider(provider, tables["providers"], sources.register.name)
        year = ws.year or day.year
        rid = review_id(year, pid, type_id)
        method_id = method_id or _level_method(ws, model, year, by_id[pid].final_level_id if pid in by_id else None)
        jobs = [(rid, pid, type_id, method_id, out or folder / f"{rid}.xlsx")]
    known = set(tables["providers"]["provider_id"].dropna())
    for rid, pid, kind, how, path in jobs:
        if pid not in known:
            run.skipped.append(f"{rid}: utföraren {pid} finns inte på bladet Utförare")
            continue
        refuse_inputs(path, inputs)
        if plan is not None and changed_since_written(path):
            run.kept.append(path)
            continue
        draft = _draft(rid, pid, kind, how, tables, by_id.get(pid), day, bank, assessment)
        run.written.append(write_checklist(draft, path))
    return run


def _planned_jobs(plan: Path, folder: Path, run: ChecklistRun) -> list[tuple]:
    """(review id, provider, type, method, file) per planned review that has a checklist; the plan's self-reports
    (the provider reports, nobody reviews on site) are one line in `run.skipped`."""
    from followup_cli.plan.planned import planned_reviews
    from followup_cli.schemas import checklist_schemas, register_schemas

    if folder.suffix.lower() == ".xlsx":
        raise UsageError(f"Med --plan är --out en mapp (ett protokoll per granskning), inte filen {folder.name}.")
    with_checklist = checklist_schemas()[0].field("review_type").labels()
    planned = planned_reviews(plan)
    without = [i for i in planned if i.review_type not in with_checklist]
    if without:
        kinds = sorted({register_schemas()["reviews"].field("review_type").label(i.review_type) for i in without})
        run.skipped.append(f"{len(without)} planerade ({', '.join(kinds)}) görs utan granskningsprotokoll")
    return [(i.review_id, i.provider_id, i.review_type, i.method, folder / f"{i.review_id}.xlsx")
            for i in planned if i.review_type in with_checklist]


def _vocabulary_id(fld, value: str, option: str) -> str:
    """The id of an option's value given by id or label; exit 2 with the allowed values otherwise."""
    found = fld.id_for(value)
    if found is None:
        from followup_cli.text import suggest

        near = suggest(value, {**fld.vocabulary(), **{k: v for k, v in zip(fld.enum_ids, fld.enum_ids)}})
        raise UsageError(f"{option} {value} är okänd" + (f" – menade du {near}?" if near else ".")
                         + f" Välj en av {', '.join(fld.enum_ids)} ({', '.join(fld.enum)}).")
    return found


def _known_provider(provider: str, providers, register_name: str) -> str:
    from followup_cli.text import as_written, fold, suggest

    known = providers["provider_id"].dropna().unique().tolist()
    if (found := as_written(provider, known)) is not None:
        return found
    near = suggest(provider, {fold(p): p for p in known})
    raise InputError(f"Utföraren {provider} finns inte på bladet Utförare i {register_name}"
                     + (f" – menade du {near}?" if near else ". Ange ett Utförar-ID därifrån."), file=register_name)


def _level_method(ws: Workspace, model, year: int, level_id: str | None) -> str | None:
    """The method the plan gives the provider's risk level (plan.methods), for a checklist made outside the plan."""
    from followup_cli.plan.config import load_plan_config

    return load_plan_config(ws.plan, model.matrix, year, ws.source_name).methods.get(level_id) if level_id else None


def _draft(rid, pid, kind, how, tables, risk, day, bank, assessment):
    from followup_cli.reviews.checklist_draft import ChecklistDraft, last_review, open_findings
    from followup_cli.reviews.questions import select_questions
    from followup_cli.schemas import checklist_schemas

    providers = tables["providers"]
    row = providers[providers["provider_id"] == pid].iloc[0]
    service_area = row["service_area"] if isinstance(row["service_area"], str) else None
    found = open_findings(tables.get("findings"), tables.get("reviews"), pid, day)
    flagged = [a.area_id for a in risk.areas] if risk is not None else []
    area_order = list(checklist_schemas()[1].field("review_area").enum_ids)
    questions, source = select_questions(tables.get("requirements"), bank, service_area, kind, flagged, area_order,
                                         {f.review_area for f in found if f.review_area})
    scale = assessment.scale_for(service_area)
    return ChecklistDraft(rid, pid, str(row["name"]), service_area, kind, how,
                          risk.final_level if risk is not None else None, tuple(flagged),
                          last_review(tables.get("reviews"), pid, day), found, tuple(questions), source,
                          tuple(lv.label for lv in scale.levels))


# ---------------------------------------------------------------------------------------------- check-template


def check_template(template: Path, *, kind: str | None = None) -> TemplateCheck:
    """The values a template uses that its context lacks, each with its line, paragraph or table cell.

    The kind (plan, report …) is `kind`, else read from the file name's start; no workspace or data is needed,
    since each kind's context is checked by its key structure."""
    from followup_cli.publish.template_check import check_template as check

    return check(Path(template), kind)


# ---------------------------------------------------------------------------------------------- actions


@dataclass
class ActionsRun:
    actions: Actions
    sources: RegisterSources
    written: list[Path] = field(default_factory=list)  # the workbook (--out)
    letters: list[Path] = field(default_factory=list)  # one reminder per provider with an overdue action plan
    warnings: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return bool(self.actions.overdue)


def actions(ws: Workspace, *, register: Path | None = None, as_of: dt.date | str | None = None, out: Path | None = None,
            letters: Path | None = None, force: bool = False) -> ActionsRun:
    """Action plans due soon, overdue, received but not approved, and findings not corrected in time, each with the
    next step on the ladder; with `out` the list as a workbook, with `letters` a reminder (docx) to every provider
    with an overdue action plan. The letters leave the municipality: a personal number in what they would carry
    stops everything (exit 4) before any file is written."""
    from followup_cli.publish.privacy import hits, mask_warning, refuse
    from followup_cli.publish.reminder_letters import letter_texts
    from followup_cli.reviews.actions import find_actions
    from followup_cli.reviews.scale import load_assessment

    day = _day(as_of)
    assessment = load_assessment(ws.assessment, ws.source_name)
    reg, sources = read_valid_register(ws, register, day)
    result = find_actions(reg, assessment, day)
    run = ActionsRun(result, sources, warnings=list(result.notes))
    inputs = input_files(ws, sources)
    if letters is not None:
        refuse(hits(letter_texts(result)), "provider")
    if out is not None:
        found = hits([(i.description, i.description_cell) for i in result.items if i.description])
        if found:
            run.warnings.append(mask_warning(found))
    from followup_cli.publish.write import overwriting

    with overwriting(force):
        if out is not None:
            from followup_cli.publish.actions_workbook import write_actions_workbook

            run.written.append(write_actions_workbook(result, out, inputs))
        if letters is not None:
            from followup_cli.publish.reminder_letters import write_letters

            run.letters = write_letters(result, letters, ws.organisation, ws.root / "templates", inputs)
    return run
# ---------------------------------------------------------------------------------------------- review report

REVIEW_REPORT_FORMATS = ("docx", "md", "html")


@dataclass
class ReviewReportRun:
    review_id: str
    path: Path
    checklist: Path | None  # the checklist the areas were graded from; None: from Granskningar and Brister


def review_report(ws: Workspace, review_id: str, *, register: Path | None = None, fmt: str | None = None,
                  out: Path | None = None, force: bool = False) -> ReviewReportRun:
    """The report of one review to the provider, written to `out` or to granskningsrapport-<ID>.<fmt> in the
    workspace's output folder. Graded from the review's checklist in the workspace's checklist folder when there is
    one (also for a review not yet in Granskningar), else from Granskningar and Brister. A personal number in its
    free text stops it (exit 4), nothing written."""
    from followup_cli.publish.review_report import write_review_report
    from followup_cli.publish.write import overwriting
    from followup_cli.reviews.review_report import review_ids
    from followup_cli.reviews.review_report import review_report as build_report
    from followup_cli.reviews.scale import load_assessment
    from followup_cli.text import as_written

    fmt = output_format(fmt, out, REVIEW_REPORT_FORMATS, default="docx")
    reg, sources = read_valid_register(ws, register, dt.date.today())
    ids = review_ids(reg)
    known = as_written(review_id, ids)
    checklist = _review_checklist(ws.checklists, known or review_id, known is not None) if ws.is_own_register(register) else None
    if known is None and checklist is None:
        raise _unknown_review(review_id, ids, sources.register)
    review_id = known or str(checklist.header["review_id"])
    assessment = load_assessment(ws.assessment, ws.source_name)
    report = build_report(review_id, reg, assessment, ws.organisation, checklist)
    out = out or ws.output / f"granskningsrapport-{review_id}.{fmt}"
    inputs = input_files(ws, sources, checklist.path if checklist else None)
    with overwriting(force):
        path = write_review_report(report, fmt, out, ws.root / "templates", inputs)
    return ReviewReportRun(review_id, path, checklist.path if checklist else None)


def _unknown_review(review_id: str, ids: list[str], register: Path) -> InputError:
    """One sentence with the closest ids in Granskningar."""
    import difflib

    from followup_cli.swedish import swedish_list
    from followup_cli.text import fold

    if not ids:
        return InputError(f"Granskningen {review_id} finns varken på bladet Granskningar i {register.name} (som är tomt) eller "
                          "som granskningsprotokoll i arbetsytan: registrera granskningen och kör igen.", file=register.name)
    by_key = {fold(i): i for i in ids}
    close = [by_key[k] for k in difflib.get_close_matches(fold(review_id), list(by_key), n=3, cutoff=0.5)]
    near = f" – menade du {swedish_list(close, 'eller')}?" if close else f"; där finns t.ex. {swedish_list(sorted(ids)[-3:], 'och')}."
    return InputError(f"Granskningen {review_id} finns inte på bladet Granskningar i {register.name}{near}", file=register.name)


def _review_checklist(folder: Path | None, review_id: str, registered: bool):
    """The checklist in the workspace's checklist folder whose Gransknings-ID is `review_id` (the file named after the
    review is tried first), or None. One with errors is refused: the report would grade answers that are wrong. One
    nobody has answered yet would grade every area as the best level: the report then rests on Granskningar
    (`registered`), or is refused."""
    if folder is None or not folder.is_dir():
        return None
    from followup_cli.register.checklist import checklist_paths, read_checklist
    from followup_cli.text import fold

    for path in sorted(checklist_paths(folder), key=lambda p: fold(p.stem) != fold(review_id)):
        checklist, problems = read_checklist(path)
        if checklist is None or fold(checklist.header.get("review_id")) != fold(review_id):
            continue
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InputError(f"Granskningsprotokollet {path.name} har {len(errors)} fel och kan inte ligga till grund för "
                             f"rapporten. Rätta det och kör igen (followup validate visar alla). Det första: {errors[0].line()}",
                             file=path.name)
        if not checklist.started:
            if registered:
                return None
            raise InputError(f"Granskningsprotokollet {path.name} för {review_id} är inte ifyllt än, så det finns inget att "
                             "rapportera: fyll i svaren och iakttagelserna och kör igen.", file=path.name)
        return checklist
    return None
