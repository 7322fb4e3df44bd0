"""One privacy guard for every output: no personnummer or samordningsnummer leaves in the data's free text.

What a board, a provider or the public reads is stopped (exit 4) before any file is written, naming the register
cell the number came from: only removing it there makes the next run safe. Internal outputs are still needed to
work, so there the number is masked (ÅÅMMDD-XXXX) with a warning naming the cell. The rule is the one `validate`
uses (register/identity.py): a valid check digit, every common form.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from followup_cli.errors import PrivacyError
from followup_cli.problems import place
from followup_cli.register.identity import contains_personnummer, find_personnummer, mask_personnummer

if TYPE_CHECKING:
    from followup_cli.risk.results import Adjustment, Cell, RiskAnalysis

SourcedText = tuple[str, "Cell | None"]  # a free text from the register and the cell it came from

READERS = {"board": "Tjänsteskrivelsen till nämnden", "public": "Planen för allmänheten",
           "provider": "Dokumentet till utföraren"}


def analysis_texts(analysis: RiskAnalysis) -> list[SourcedText]:
    """Every free text of the register that the analysis (and so the plan made from it) carries: the adjustments'
    reasons. Findings' and events' descriptions never reach an output."""
    seen: dict[SourcedText, None] = {}
    for p in analysis.providers:
        for a in (p.adjustment, *p.other_adjustments):
            if a is not None and isinstance(a.reason, str):
                seen[(a.reason, a.source)] = None
    return list(seen)


def hits(texts: list[SourcedText]) -> list[SourcedText]:
    """The texts holding a personal or coordination number."""
    return [t for t in texts if contains_personnummer(t[0])]


def where(found: list[SourcedText]) -> str:
    """'register.xlsx, bladet Justeringar, cell C3 (Motivering)', and how many more cells there are."""
    first = _cell(found[0][1])
    more = len({cell for _, cell in found}) - 1
    return first + (f" (och {more} {'cell' if more == 1 else 'celler'} till)" if more else "")


def refuse(found: list[SourcedText], audience: str, readers: dict[str, str] = READERS, emails: bool = False) -> None:
    """Stop a document for the board, a provider or the public that would carry a personal number (or, where
    `emails`, an e-mail address) with exit 4, before any file; `readers` names the document by its audience."""
    if found:
        what = ("ett personnummer, samordningsnummer eller en e-postadress" if emails
                else "ett personnummer eller samordningsnummer")
        raise PrivacyError(
            f"{readers.get(audience, 'Dokumentet')} skrivs inte: {where(found)} innehåller {what}, som aldrig får lämna "
            f"registret – ta bort {'det' if emails else 'numret'} ur cellen och kör igen.")


def mask_warning(found: list[SourcedText]) -> str | None:
    """The warning that goes with masked internal outputs, naming the cells ('varning: ' is the CLI's)."""
    if not found:
        return None
    return (f"personnummer maskerat i {where(found)} (ÅÅMMDD-XXXX i utdata); ta bort numret ur registret – "
            "nämndens och allmänhetens versioner stoppas tills det är borta.")


def mask_analysis(analysis: RiskAnalysis) -> list[SourcedText]:
    """Mask the data's free texts in the analysis in place; returns what was found (empty: nothing changed)."""
    found = hits(analysis_texts(analysis))
    if not found:
        return found
    analysis.providers = [
        dataclasses.replace(p, adjustment=_masked(p.adjustment), other_adjustments=tuple(_masked(a) for a in p.other_adjustments))
        if p.adjustment or p.other_adjustments else p
        for p in analysis.providers]
    warning = mask_warning(found)
    analysis.warnings.append(warning)
    return found


def _masked(a: Adjustment | None) -> Adjustment | None:
    if a is None or not isinstance(a.reason, str):
        return a
    return dataclasses.replace(a, reason=mask_personnummer(a.reason))


def _cell(cell: Cell | None) -> str:
    return "en fritext i registret" if cell is None else place(cell.file, cell.sheet, cell.row, cell.column, cell.header)


# ---------------------------------------------------------------------------------------------- report audiences
# The report's versions are scanned in what they print: every string of the context cut for the reader, except the
# values followup.yaml gives (the template's own text, like a contact address, is never in the context).

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SETTINGS_KEYS = frozenset({"organisation", "board", "signatory", "date", "diarienummer"})
REPORT_READERS = {"board": "Rapporten till nämnden", "provider": "Utförarens rapport", "public": "Rapporten för allmänheten"}


def context_hits(context: dict, sources, emails: bool = True) -> list[SourcedText]:
    """Each personal number (and e-mail address) the context prints, placed in the register cell `sources()` holds it
    in (a callable: the register's texts are only gathered when something is found)."""
    tokens: dict[str, None] = {}
    for text in _strings({k: v for k, v in context.items() if k not in SETTINGS_KEYS}):
        tokens.update((number, None) for number in find_personnummer(text))
        if emails:
            tokens.update((m.group(0), None) for m in EMAIL.finditer(text))
    if not tokens:
        return []
    known = sources()
    found: dict[SourcedText, None] = {}
    for token in tokens:
        found[next(((t, cell) for t, cell in known if token in t), (token, None))] = None
    return list(found)


def mask_context(context: dict) -> dict:
    """The context with every personal or coordination number masked (ÅÅMMDD-XXXX), for the internal version."""
    if isinstance(context, dict):
        return {k: mask_context(v) for k, v in context.items()}
    if isinstance(context, list):
        return [mask_context(v) for v in context]
    return mask_personnummer(context) if isinstance(context, str) else context


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
