"""Text helpers: the forgiving match users expect, and Excel's column letters (Swedish formatting: swedish.py)."""

from __future__ import annotations

import difflib
import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_.:/()]+")


def fold(text: object) -> str:
    """Fold text for matching: case, whitespace, hyphens and accents (å/ä/ö/é) ignored.

    'Utforar ID', 'utförar-id' and 'UTFÖRARID' all fold to 'utforarid'.
    """
    s = unicodedata.normalize("NFKD", str(text).casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _SEPARATORS.sub("", s)


def column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' → 0, 'AA' → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def as_written(value: str, known) -> str | None:
    """`value` as `known` (ids from a sheet) writes it, however the user typed case, hyphens and spaces; None when
    it is not there."""
    if value in known:
        return value
    key = fold(value)
    return next((k for k in known if fold(k) == key), None)


def suggest(value: str, choices: dict[str, str]) -> str | None:
    """The allowed value a near miss was meant to be, or None.

    `choices` maps folded spellings to the label to suggest. 'Privat regi'
    suggests 'Privat' (one contains the other), 'Lex Sara' suggests 'Lex Sarah'.
    """
    key = fold(value)
    if not key:
        return None
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.65)
    if close:
        return choices[close[0]]
    containing = [label for folded, label in choices.items() if len(folded) >= 3 and (folded in key or key in folded)]
    return containing[0] if len(set(containing)) == 1 else None
