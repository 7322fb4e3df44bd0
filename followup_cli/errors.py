"""The one exit-code scheme every command uses, and the errors that carry a code.

An error here always holds a finished Swedish sentence for the user; the CLI
prints it and exits with its code, never with a traceback. The meaning of
each code is written once, in EXIT_MEANINGS: the README's table and
`followup --help` are made from it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FOUND = 1
    USAGE = 2
    INPUT = 3
    PRIVACY = 4
    OUTPUT = 5
    INTERNAL = 10
    INTERRUPTED = 130
    TERMINATED = 143

    @property
    def meaning(self) -> str:
        return EXIT_MEANINGS[self]


EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "klart (varningar tillåtna)",
    ExitCode.FOUND: "kontrollen hittade något: valideringsfel, larm om påkallad granskning, obligatoriska granskningar "
                    "som inte ryms i planens timmar, värden som en mall använder men dokumentet inte har, försenade "
                    "åtgärdsplaner eller rättelser (`actions --fail-on-overdue`)",
    ExitCode.USAGE: "fel användning: okänd flagga, felaktigt värde, utdata som skulle skriva över en indatafil",
    ExitCode.INPUT: "indata kan inte användas: filen finns inte, är inte ett kalkylark, är krypterad, trasig eller "
                    "orimligt stor, felaktig `followup.yaml`, en mall med trasiga taggar; för andra kommandon än `validate` även ett register med valideringsfel",
    ExitCode.PRIVACY: "publicering stoppad av integritetsskyddet",
    ExitCode.OUTPUT: "utdata kan inte skrivas: öppen i Excel, skrivskyddad, full disk, eller filen finns redan och är inte "
                     "skriven av followup (skriv över med `--force`)",
    ExitCode.INTERNAL: "internt fel (en bugg): en felrapport skrivs till `followup-crash.log` i utdatamappen "
                       "(eller systemets temp-mapp); skicka den till den som sköter followup",
    ExitCode.INTERRUPTED: "avbruten (Ctrl+C)",
    ExitCode.TERMINATED: "stoppad av systemet (SIGTERM, t.ex. ett schemalagt jobb som tog för lång tid); inga halvskrivna filer lämnas kvar",
}


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


class Terminated(BaseException):
    """SIGTERM, raised from the signal handler so the writes under way remove their temp files on the way out."""


class Interrupted(FollowupError):
    """Ctrl+C: the command stops where it is, without a traceback."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self):
        super().__init__("Avbrutet.")
