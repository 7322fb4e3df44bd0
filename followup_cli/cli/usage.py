"""Wrong usage as one Swedish line: what was wrong, a suggestion when one is close, and where the help is.

Typer (and the Click it bundles) reports usage errors as three English lines;
these functions turn each kind into a sentence for `followup: …` (exit 2).
"""

from __future__ import annotations

from difflib import get_close_matches

from typer import _click

from followup_cli.swedish import decimal_comma

ClickUsageError = _click.exceptions.UsageError


def sentence(exc: ClickUsageError) -> str:
    """The Swedish sentence for one of Click's usage errors."""
    ctx = exc.ctx
    hint = help_hint(ctx.command_path if ctx is not None else "followup")
    errors = _click.exceptions
    if isinstance(exc, errors.NoSuchOption):
        near = f" – menade du {exc.possibilities[0]}?" if exc.possibilities else "."
        return f"Okänd flagga {exc.option_name}{near} {hint}"
    if isinstance(exc, errors.BadOptionUsage):
        param = _param(ctx, exc.option_name)
        if param is not None and getattr(param, "is_flag", False):
            return f"Flaggan {exc.option_name} tar inget värde. {hint}"
        return f"Flaggan {exc.option_name} saknar värde. {hint}"
    if isinstance(exc, errors.MissingParameter):
        return f"{_name(exc.param) or 'Ett värde'} saknas. {hint}"
    if isinstance(exc, errors.BadParameter):
        return f"Ogiltigt värde för {_name(exc.param) or 'en flagga'}: {_expected(exc.param)}. {hint}"
    return f"Fel användning ({exc.message}). {hint}"


def unknown_command(name: str, commands: list[str]) -> str:
    near = get_close_matches(name, commands, n=1)
    suggestion = f" – menade du {near[0]}?" if near else f". Kommandona är {', '.join(commands)}."
    return f"Okänt kommando {name}{suggestion} {help_hint('followup')}"


def extra_arguments(command_path: str, extra: list[str]) -> str:
    return f"För många argument: {' '.join(extra)} används inte. {help_hint(command_path)}"


def help_hint(command_path: str) -> str:
    return f"Se {command_path} --help."


def _param(ctx, option_name: str):
    if ctx is None:
        return None
    return next((p for p in ctx.command.params if option_name in getattr(p, "opts", ())), None)


def _name(param) -> str | None:
    if param is None:
        return None
    if param.param_type_name == "argument":
        return f"Argumentet {(param.name or '').upper()}"
    return "/".join(param.opts)


def _expected(param) -> str:
    """What the option takes, from its type and bounds: 'ange ett heltal mellan 2000 och 2100'."""
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    kind = {int: "ett heltal", float: "ett tal"}.get(annotation)
    if kind is None:
        return "värdet kan inte användas"
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"ange {kind} mellan {decimal_comma(low)} och {decimal_comma(high)}"
    if low is not None:
        return f"ange {kind} som är minst {decimal_comma(low)}"
    if high is not None:
        return f"ange {kind} som är högst {decimal_comma(high)}"
    return f"ange {kind}"
