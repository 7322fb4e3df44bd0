"""Swedish identity numbers: organisation numbers to validate, personal numbers to keep out of reports."""

from __future__ import annotations

import re

# 8 or 6 digit date, optional separator, 4 digits; not part of a longer number.
PERSONNUMMER = re.compile(r"(?<![\d-])((?:19|20)?\d{6})[-+ ]?(\d{4})(?![\d-])")


def luhn_check_digit(digits: str) -> int:
    """The digit that completes `digits` (nine of them) under the Luhn rule used by Swedish identity numbers."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def luhn_ok(digits: str) -> bool:
    """True if the last digit is the Luhn check digit of the ones before it."""
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def orgnr_problem(text: str) -> str | None:
    """Why an organisation number is wrong, or None if it is right."""
    digits = re.sub(r"[\s-]", "", text)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not digits.isdigit() or len(digits) != 10:
        return "ska ha tio siffror, t.ex. 556677-8899"
    if not luhn_ok(digits):
        return "har fel kontrollsiffra (sista siffran); kontrollera numret mot Bolagsverket"
    return None


def contains_personnummer(text: str) -> bool:
    """True if the text holds a plausible personal or coordination number with a valid check digit."""
    return any(_is_personnummer(match) for match in PERSONNUMMER.finditer(text))


def find_personnummer(text: str) -> list[str]:
    """Each personal or coordination number in the text, as written there."""
    return [m.group(0) for m in PERSONNUMMER.finditer(text) if _is_personnummer(m)]


def mask_personnummer(text: str) -> str:
    """The text with every personal or coordination number replaced by ÅÅMMDD-XXXX: no digit of it is kept."""
    return PERSONNUMMER.sub(lambda m: "ÅÅMMDD-XXXX" if _is_personnummer(m) else m.group(0), text)


def _is_personnummer(match: re.Match) -> bool:
    date_part, tail = match.group(1)[-6:], match.group(2)
    if not luhn_ok(date_part + tail):
        return False
    month, day = int(date_part[2:4]), int(date_part[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31
