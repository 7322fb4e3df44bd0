"""The crash log of an internal error (exit 10): what the owner of a nightly job can send in.

It goes to the workspace's output folder, or to the system's temp folder when
there is no workspace or that folder cannot be written. Tracebacks quote cell
values, so personal identity numbers are masked before anything is written.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import tempfile
import traceback
from pathlib import Path

from followup_cli import __version__
from followup_cli.register.identity import mask_personnummer

CRASH_LOG = "followup-crash.log"


def report(exc: BaseException, argv: list[str]) -> str:
    """The crash log's text: version, Python, platform, command line, UTC time and traceback, masked."""
    lines = [
        f"followup {__version__}: internt fel",
        f"Tid (UTC): {dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}",
        f"Python: {sys.version.split()[0]} ({sys.executable})",
        f"Plattform: {platform.platform()}",
        f"Kommandorad: {' '.join(argv)}",
        "",
        *traceback.format_exception(exc),
    ]
    return mask_personnummer("\n".join(line.rstrip("\n") for line in lines) + "\n")


def write_crash_log(exc: BaseException, argv: list[str], config: Path | None) -> Path | None:
    """Write the crash log and return its path; None if not even the temp folder could take it."""
    from followup_cli.publish.write import write_text

    text = report(exc, argv)
    for folder in (_output_folder(config), Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            return write_text(folder / CRASH_LOG, text)
        except Exception:  # noqa: BLE001 - a crash log must never crash: the next folder is tried
            continue
    return None


def _output_folder(config: Path | None) -> Path | None:
    """The workspace's output folder, if there is a workspace and it can be loaded at all."""
    try:
        from followup_cli.workspace import load_workspace

        workspace = load_workspace(config)
    except Exception:  # noqa: BLE001 - the workspace may be what is broken
        return None
    return workspace.output if workspace.config_path is not None else None
