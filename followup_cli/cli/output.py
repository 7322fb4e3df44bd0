"""Printing: data on stdout, messages on stderr; colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import os
import re
import sys

from followup_cli.cli.state import options
from followup_cli.publish.write import FORMULA_START


def _console(stderr: bool):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    color = stream.isatty() and "NO_COLOR" not in os.environ
    return Console(file=stream, no_color=not color, force_terminal=color or None, highlight=False, soft_wrap=not stream.isatty())


def out():
    """Rich console on stdout, for results meant for people."""
    return _console(False)


def err():
    return _console(True)


def message(text: str) -> None:
    """A progress or summary line on stderr; silenced by -q."""
    if not options.quiet:
        err().print(text, markup=False)


def warn(text: str) -> None:
    """Always shown, also with -q."""
    err().print(text, markup=False)


def status(text: str):
    """A spinner on stderr while something long runs, only on a terminal and not with -q."""
    from contextlib import nullcontext

    if options.quiet or not sys.stderr.isatty():
        return nullcontext()
    return err().status(text)


_BREAKS = re.compile(r"\s*(?:\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029])\s*")


def one_line(value: object) -> str:
    """User text on one line: line breaks as ' / ', tabs as spaces, so one record stays one line."""
    return _BREAKS.sub(" / ", str(value)).replace("\t", " ")


def plain_field(value: object) -> str:
    """One field of a line printed for a pipe: on one line and never a formula when the output is redirected into
    a .csv and opened in Excel (a leading = + - @ gets an apostrophe, as Excel itself marks text that only looks
    like a formula). Provider names and reasons are user text from the register."""
    text = one_line(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def plain_line(*fields: object) -> str:
    """A tab-separated record: one line, each field made safe by `plain_field`."""
    return "\t".join(plain_field(f) for f in fields)


def print_json(data) -> None:
    """UTF-8 JSON on stdout: indented for a person at a terminal, compact for a script."""
    from followup_cli.publish.write import json_bytes

    write_stdout_bytes(json_bytes(data, indent=sys.stdout.isatty()) + b"\n")


def write_stdout_bytes(data: bytes) -> None:
    """UTF-8 bytes to stdout as they are (no newline translation on Windows); as text where stdout is not
    a byte stream (a program that embeds followup and captures its output in a StringIO)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    else:
        buffer.write(data)
        buffer.flush()
