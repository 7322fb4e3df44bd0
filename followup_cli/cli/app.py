"""`followup`: the Typer application, its global options, and the one funnel every error leaves through.

Every failure ends in main(): our own errors as their sentence and exit code,
Click's usage errors as one Swedish line (exit 2), Ctrl+C as exit 130, and
anything else as a bug (exit 10) with a crash log. The exit codes are
errors.ExitCode; `followup --help` lists them from there.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from pathlib import Path

import typer

from followup_cli import __version__
from followup_cli.cli import check_template as check_template_command
from followup_cli.cli import actions as actions_command
from followup_cli.cli import checklist as checklist_command
from followup_cli.cli import checklist_ingest as checklist_ingest_command
from followup_cli.cli import init as init_command
from followup_cli.cli import plan as plan_command
from followup_cli.cli import report as report_command
from followup_cli.cli import review_report as review_report_command
from followup_cli.cli import risk_analyze as risk_command
from followup_cli.cli import validate as validate_command
from followup_cli.cli.state import options
from followup_cli.cli import usage
from followup_cli.errors import ExitCode, FollowupError, Interrupted, Terminated, UsageError

HELP_TEXT = "Visa den här hjälpen och avsluta."


def _swedish_help(option):
    if option is not None:
        option.help = HELP_TEXT
    return option


class Group(typer.core.TyperGroup):
    """Typer's group with the --help line in Swedish, like every other line of the help."""

    def get_help_option(self, ctx):
        return _swedish_help(super().get_help_option(ctx))

    def resolve_command(self, ctx, args):
        """An unknown command is one Swedish line with the closest command, not Click's English."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None and not ctx.resilient_parsing:
            raise UsageError(usage.unknown_command(args[0], list(self.commands)))
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        """Typer turns Ctrl+C into a silent exit 130, and a closed stdout pipe into exit 1; here the first is a
        sentence like every other way out, the second the silent exit 0 a pipeline expects."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            raise ReaderGone() from None


class Command(typer.core.TyperCommand):
    def get_help_option(self, ctx):
        return _swedish_help(super().get_help_option(ctx))

    def parse_args(self, ctx, args):
        """Arguments left over are one Swedish line naming them, not Click's English."""
        ctx.allow_extra_args = True
        try:
            extra = super().parse_args(ctx, args)
        except typer._click.exceptions.UsageError as exc:  # the parser's errors do not say which command
            exc.ctx = exc.ctx or ctx
            raise
        if extra and not ctx.resilient_parsing:
            raise UsageError(usage.extra_arguments(ctx.command_path, extra))
        return extra


app = typer.Typer(
    name="followup",
    cls=Group,
    help="Systematisk uppföljning av utförare: riskanalys, uppföljningsplan, granskningar, åtgärder och årsrapport.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    epilog="\b\nSlutkoder:\n" + "\n".join(f"  {int(code):>3}  {code.meaning.replace('`', '')}" for code in ExitCode),  # plain text: no Markdown backticks
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"followup {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    config: Path = typer.Option(None, "--config", help="followup.yaml att använda (annars söks den i mappen och uppåt)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Skriv bara ut resultat och fel, inga meddelanden."),
    debug: bool = typer.Option(False, "--debug", help="Visa hela felspåret vid fel (för felsökning)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Visa versionen."),
) -> None:
    """Systematisk uppföljning av utförare: riskanalys, uppföljningsplan, granskningar, åtgärder och årsrapport."""
    options.config, options.quiet, options.debug = config, quiet, debug


app.command("init", cls=Command, help="Skapa en ny arbetsyta: followup.yaml och en tom registermall.")(init_command.init)
app.command("validate", cls=Command, help="Kontrollera registret och visa alla fel och varningar.")(validate_command.validate)
app.command("risk-analyze", cls=Command, help="Riskanalys per utförare med skäl, riskmatris och larm om påkallad granskning.")(risk_command.risk_analyze)
app.command("plan", cls=Command, help="Uppföljningsplanen för ett år: urval under kapacitet och regler, kalender och tjänsteskrivelse.")(plan_command.plan)

checklist_app = typer.Typer(name="checklist", cls=Group, help="Granskningsprotokoll: nya att fylla i, och ifyllda tillbaka in.",
                            no_args_is_help=True, rich_markup_mode=None, add_completion=False)
checklist_app.command("new", cls=Command, help="Nya granskningsprotokoll för en utförare eller för varje granskning i planen.")(checklist_command.new)
checklist_app.command("ingest", cls=Command, help="Läs in ifyllda granskningsprotokoll: bedömning, brister och en samlad "
                      "arbetsbok med granskningar.")(checklist_ingest_command.ingest)
app.add_typer(checklist_app)
app.command("review-report", cls=Command, help="Granskningsrapporten till utföraren för en granskning (docx, md eller html).")(review_report_command.review_report)
app.command("actions", cls=Command, help="Åtgärdsplaner och brister att följa upp, med nästa steg på åtgärdstrappan.")(actions_command.actions)
app.command("report", cls=Command, help="Uppföljningsrapporten, års- eller delårsrapport, till nämnden, förvaltningen, en utförare eller allmänheten (docx, pdf, md, html, json).")(report_command.report)
app.command("check-template", cls=Command, help="Kontrollera en egen mall: värden som dokumentet inte har, med rad, stycke eller tabellcell.")(check_template_command.check_template)


def _utf8_streams() -> None:
    """Redirected output on Windows is cp1252; '→' or 'ö' must never crash a scheduled job."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


GLOBAL_FLAGS = ("-q", "--quiet", "--debug")


def _global_flags_first(argv: list[str]) -> list[str]:
    """`followup validate x.xlsx -q` means the same as `followup -q validate x.xlsx`."""
    flags = [a for a in argv[1:] if a in GLOBAL_FLAGS]
    return [argv[0], *flags, *(a for a in argv[1:] if a not in GLOBAL_FLAGS)]


def main() -> None:
    _utf8_streams()
    sys.argv = _global_flags_first(sys.argv)
    # A command runs for seconds and exits. The cyclic collector cost 0.26 s of a large city's risk-analyze,
    # mostly four full passes over pandas' and the data's objects that found about 1,200 cyclic objects in all,
    # and 0.08 s of validate (peak memory unchanged). Reference counting frees the rest, so it is off while a command runs.
    gc.disable()
    _on_sigterm()
    try:
        code = _run()
        # Flushed here, inside the error handling: a pipe closed or a disk filled at interpreter exit would print
        # Python's own complaint instead of our sentence.
        sys.stdout.flush()
    except FollowupError as exc:
        _fail(exc.message, exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _fail(Interrupted().message, ExitCode.INTERRUPTED)
    except Terminated:
        _fail("Stoppad av systemet (SIGTERM); inga halvskrivna filer lämnades kvar.", ExitCode.TERMINATED)
    except (BrokenPipeError, ReaderGone):
        _reader_went_away()
    except OSError as exc:  # what reaches here from stdout: the files written turn theirs into OutputError
        if exc.errno != errno.ENOSPC:
            _crash(exc)
        _fail("Utskriften kunde inte skrivas: disken är full. Frigör utrymme och kör igen.", ExitCode.OUTPUT)
    except Exception as exc:  # a bug: a crash log for whoever maintains followup, the traceback only with --debug
        _crash(exc)
    finally:
        gc.enable()
    raise SystemExit(int(code))


class ReaderGone(Exception):
    """stdout's reader closed the pipe (`followup … | head`); not an OSError, so Typer lets it through."""


def _on_sigterm() -> None:
    """SIGTERM (a scheduler's time limit, a shutdown) unwinds like an error, so every write under way removes its
    temp file; the process then ends with 143."""
    import signal

    def stop(signum, frame):
        raise Terminated()

    try:
        signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not the main thread (followup embedded in another program)
        pass


def _reader_went_away() -> None:
    """`followup … | head`: the reader has what it wanted. Exit 0 in silence, with stdout pointed at the null
    device so the interpreter's last flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(0)


def _run() -> int:
    """The command's exit code; Click's usage errors come back as our UsageError, in Swedish."""
    click_errors = typer._click.exceptions
    try:
        result = app(prog_name="followup", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:  # `followup` alone shows the help, as it always has
        exc.show()
        return ExitCode.USAGE
    except click_errors.UsageError as exc:
        raise UsageError(usage.sentence(exc)) from exc
    return result if isinstance(result, int) else ExitCode.OK


def _crash(exc: Exception) -> None:
    from followup_cli.cli.crash import write_crash_log
    from followup_cli.register.identity import mask_personnummer

    log = write_crash_log(exc, sys.argv, options.config)
    what = mask_personnummer(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
    send = (f"En felrapport finns i {log}: skicka den till den som sköter followup." if log is not None
            else "Kör igen med --debug och skicka utskriften till den som sköter followup.")
    _fail(f"Ett oväntat fel inträffade ({what}). {send}", ExitCode.INTERNAL)


def _fail(message: str, code: int) -> None:
    if options.debug:
        import traceback

        traceback.print_exc()
    sys.stderr.write(f"followup: {message}\n")
    sys.stderr.flush()
    raise SystemExit(int(code))


__all__ = ["app", "main", "ExitCode"]
