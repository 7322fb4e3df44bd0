"""Which questions a review asks, in what order: the register's requirements (sheet Krav) when it has review
questions for the provider's service area, else the question bank; the areas the risk analysis flagged first.

Pure: tables in, a list of questions out. Rules compare ids (review area and review type ids), never labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.text import fold

ALL = "alla"  # Krav's Verksamhetsområde for a requirement that applies everywhere (folded)
FOLLOW_UP = "follow_up"  # a follow-up of an earlier review asks only about the areas of the open findings


@dataclass(frozen=True)
class BankQuestion:
    id: str
    area: str  # review area id
    text: str
    service_areas: tuple[str, ...] = ()  # empty: every service area
    review_types: tuple[str, ...] = ()  # review type ids; empty: every type

    def applies(self, service_area: str | None, review_type: str) -> bool:
        areas = {fold(a) for a in self.service_areas}
        return ((not areas or ALL in areas or fold(service_area or "") in areas)
                and (not self.review_types or review_type in self.review_types))


@dataclass(frozen=True)
class Question:
    id: str
    area: str  # review area id
    text: str
    requirement_id: str | None
    flagged: bool  # the area is one the risk analysis flagged for the provider


def requirement_questions(requirements, service_area: str | None) -> list[BankQuestion]:
    """The Krav sheet's rows for the service area (or Alla) as questions, in sheet order, named by their Krav-ID.
    A requirement without a Granskningsfråga is asked as the requirement itself."""
    if requirements is None or requirements.empty:
        return []
    wanted = fold(service_area or "")
    out = []
    for row in requirements.itertuples(index=False):
        applies_to = {fold(part) for part in str(row.service_area or ALL).split(",")}
        if ALL not in applies_to and wanted not in applies_to:
            continue
        if not isinstance(row.requirement_id, str) or not isinstance(row.review_area, str):
            continue
        text = row.question if isinstance(row.question, str) and row.question.strip() else row.requirement
        out.append(BankQuestion(row.requirement_id, row.review_area, str(text).strip()))
    return out


def select_questions(requirements, bank: list[BankQuestion], service_area: str | None, review_type: str,
                     flagged: list[str], area_order: list[str], open_areas: set[str]) -> tuple[list[Question], str]:
    """The review's questions and where they came from ('Krav' or 'frågebanken').

    `flagged`: the review area ids the risk analysis flagged, most important first; their questions come first.
    `area_order`: every review area id in the schema's order, for the rest. `open_areas`: the areas of the
    provider's open findings; a follow-up asks only about those (all areas when there are none)."""
    from_register = requirement_questions(requirements, service_area)
    source = "Krav" if from_register else "frågebanken"
    chosen = from_register or [q for q in bank if q.applies(service_area, review_type)]
    if review_type == FOLLOW_UP and open_areas:
        chosen = [q for q in chosen if q.area in open_areas] or chosen
    rank = {area: i for i, area in enumerate([*flagged, *(a for a in area_order if a not in flagged)])}
    ordered = sorted(enumerate(chosen), key=lambda iq: (rank.get(iq[1].area, len(rank)), iq[0]))
    return [Question(q.id, q.area, q.text, q.id if from_register else None, q.area in flagged) for _, q in ordered], source
