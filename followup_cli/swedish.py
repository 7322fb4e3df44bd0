"""Swedish formatting for everything people read: numbers, shares, hours, dates, months, agreement, ink on a fill.

One module, so a percentage looks the same in the terminal, the workbooks and the documents
(Swedish typography: decimal comma, a no-break space before %, thin spaces between thousands
as a no-break space, a real minus sign).
"""

from __future__ import annotations

NBSP = "\u00a0"
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december")


def sv(x: float, decimals: int = 1) -> str:
    """2.125 → '2,1' (Swedish decimal comma, and a real minus sign)."""
    return f"{x:.{decimals}f}".replace(".", ",").replace("-", "−")


def signed(x: float, decimals: int = 0) -> str:
    """A change with its sign: '+3', '−2,5', '±0'."""
    text = sv(x, decimals)
    if text.lstrip("−") == sv(0, decimals):
        return "±" + sv(0, decimals)
    return text if text.startswith("−") else "+" + text


_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_key(text) -> str:
    """Å, Ä and Ö sort after Z, as in a Swedish dictionary (é with e, ü with y); case does not count."""
    return str(text).casefold().translate(_ORDER)


def decimal_comma(value: float | None) -> str:
    """A number as Python writes it, with a decimal comma: 2.5 → '2,5', 100 → '100' (a schema's or an option's
    bound in a sentence); nothing for None."""
    return "" if value is None else str(value).replace(".", ",")


def hours_text(h: float) -> str:
    """'1 timme', '12,5 timmar', '1 020 timmar'."""
    return f"{hours(h)} {'timme' if round(h, 1) == 1 else 'timmar'}"


def thousands(n: int) -> str:
    """12345 → '12 345', as Swedish text writes it."""
    return f"{n:,}".replace(",", NBSP)


def count(value: int | str) -> str:
    """A count with thousands grouped; a count hidden for privacy stays its text."""
    return value if isinstance(value, str) else thousands(value)


def hours(value: float) -> str:
    """892.0 → '892', 1020 → '1 020', 12.5 → '12,5'."""
    value = round(value, 1)
    if value == int(value):
        return thousands(int(value))
    return sv(value, 1)


def percent(share: float | str, decimals: int = 0) -> str:
    """A share as a percentage: 0.712 → '71 %'; with decimals=1, 0.125 → '12,5 %' and 0.15 → '15 %'.
    A share hidden for privacy stays its text."""
    if isinstance(share, str):
        return share
    text = sv(round(share * 100, 9), decimals)  # 0.545 * 100 is 54.50000000000001: no float noise in the rounding
    if decimals and text.endswith("," + "0" * decimals):
        text = text[: -decimals - 1]
    return f"{text}{NBSP}%"


def swedish_date(day) -> str:
    """2025-12-31 → '31 december 2025', as dates are written in documents."""
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def swedish_list(items: list[str], conjunction: str = "eller") -> str:
    """['a', 'b', 'c'] → 'a, b eller c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


# A finding's severity (its id on the sheet Brister) in running text, one and many, the most serious first.
SEVERITY_WORDS = {"serious": ("allvarlig brist", "allvarliga brister"), "deficiency": ("brist", "brister"),
                  "observation": ("iakttagelse", "iakttagelser")}


def findings_count(severities) -> str:
    """'1 allvarlig brist, 2 brister och 1 iakttagelse' for the severity ids of some findings; 'inga brister' for
    none. (Brister is also the sheet of them all: an Iakttagelse counted as a brist would read as one.)"""
    severities = list(severities)
    parts = [f"{n} {SEVERITY_WORDS[sev][n != 1]}" for sev in SEVERITY_WORDS if (n := severities.count(sev))]
    unknown = sum(sev not in SEVERITY_WORDS for sev in severities)
    parts += [f"{unknown} fynd utan angiven allvarlighet"] if unknown else []
    return swedish_list(parts, "och") or "inga brister"


def month_span(months: tuple[int, ...]) -> str:
    """(3, 4, 5) → 'mars–maj'; (3, 5) → 'mars och maj'."""
    if tuple(months) == tuple(range(months[0], months[-1] + 1)) and len(months) > 1:
        return f"{MONTHS_SV[months[0] - 1]}–{MONTHS_SV[months[-1] - 1]}"
    return swedish_list([MONTHS_SV[m - 1] for m in months], "och")


def plural(n: int, one: str, many: str) -> str:
    """'1 obligatorisk', '2 obligatoriska': the count with the word that agrees with it."""
    return f"{n} {one if n == 1 else many}"


def ink(fill: str, dark: str = "#000000", light: str = "#FFFFFF") -> str:
    """The text colour readable on a fill ('#RRGGBB'): dark on light fills, light on dark ones
    (a user's risk matrix may use dark colours)."""
    r, g, b = (int(fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return dark if 0.299 * r + 0.587 * g + 0.114 * b > 140 else light
