"""The next step on the action ladder for one finding: which step, and why, in Swedish.

The ladder follows the provider's Avtalsform, never its Regiform (reviews/defaults.yaml, `ladder:`). On the
contract ladder (LOV, LOU, entreprenad, ramavtal) the step is the one above the strongest sanction already
decided, so a decided sanction is never suggested twice; a finding that repeats an earlier one (Återkommande)
goes one step further, as it does on the assessment scale, and a level that goes to the board starts no lower than
the first step the board decides on (ladder.board_step). On the mandate ladder (uppdragsbeskrivning, IOP) the
steps are escalation: to the administration's management, and to the board when the level says the board takes
the case or the finding repeats. The tool suggests; the board decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.reviews.scale import Ladder, Level


@dataclass(frozen=True)
class Step:
    id: str | None  # a sanction id on the contract ladder, an escalation id on the mandate ladder; None: none left
    label: str
    reason: str
    board: bool  # the board decides this step (the administration prepares it)
    rank: int = 0  # its place on its ladder, mildest 0; none left ranks above every step


def next_step(ladder: Ladder, contract_form: str | None, contract_form_label: str | None, level: Level,
              decided: tuple[str, str] | None, recurring: bool) -> Step:
    """The step to suggest for a finding whose provider missed a deadline.

    `decided` is the strongest sanction already decided in the case (its id and the finding it was decided on)."""
    steps, remedies = ladder.steps_for(contract_form), ladder.remedies(contract_form)
    form = contract_form_label or "avtalsform saknas"
    if remedies:
        start = steps.index(decided[0]) + 1 if decided and decided[0] in steps else 0
        index = start + (1 if recurring else 0)
        said = [f"Avtalssanktioner gäller ({form})."]
        if decided and decided[0] in steps:
            said.append(f"{ladder.labels[decided[0]]} är redan beslutad ({decided[1]}) och föreslås inte igen.")
        if level.board and index < steps.index(ladder.board_step):
            index = steps.index(ladder.board_step)
            said.append(f"Bedömningen {level.label} går till nämnden: lägst {ladder.labels[ladder.board_step]}.")
    else:
        index = len(steps) - 1 if (level.board or recurring) else 0  # the board is the top of the escalation
        said = [f"{form}: inga avtalssanktioner, i stället eskalering." if contract_form else
                "Avtalsform saknas i registret: eskalering som för en uppdragsbeskrivning; fyll i Avtalsform."]
    if recurring:
        said.append("Bristen är återkommande: ett steg högre.")
    if level.board and not remedies:
        said.append(f"Bedömningen {level.label} går till nämnden.")
    if index >= len(steps):
        last = ladder.labels[steps[-1]]
        said.append(f"Trappans sista steg ({last}) är redan beslutat eller passerat: nämnden tar ställning.")
        return Step(None, "Nämnden tar ställning", " ".join(said), True, len(steps))
    step = steps[index]
    return Step(step, ladder.labels[step], " ".join(said), ladder.for_board(step), index)
