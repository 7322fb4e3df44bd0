"""Printing: data on stdout, messages on stderr; colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import os
import sys

from followup_cli.cli.state import options


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
