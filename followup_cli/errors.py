"""The one exit-code scheme every command uses, and the errors that carry a code.

An error here always holds a finished Swedish sentence for the user; the CLI
prints it and exits with its code, never with a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done; warnings allowed
    FOUND = 1  # the check found something: validation errors, alerts, overdue actions, shortfall
    USAGE = 2  # wrong usage: unknown option, bad value
    INPUT = 3  # the input cannot be used: missing, not a spreadsheet, corrupt, too large, invalid register
    PRIVACY = 4  # publication blocked by the privacy guard
    OUTPUT = 5  # an output cannot be written: locked by Excel, no permission, disk full, exists


class FollowupError(Exception):
    """An expected failure with a sentence for the user."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, problems: list | None = None, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.file = file  # the input file it is about, where there is one


class UsageError(FollowupError):
    exit_code = ExitCode.USAGE


class InputError(FollowupError):
    exit_code = ExitCode.INPUT


class OutputError(FollowupError):
    exit_code = ExitCode.OUTPUT


class PrivacyError(FollowupError):
    exit_code = ExitCode.PRIVACY
