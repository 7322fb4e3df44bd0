"""`followup actions --letters DIR`: one reminder (docx) to each provider whose action plan is overdue.

The letter leaves the municipality, so everything it carries from the register's free text is scanned first
(`letter_texts`, refused by the caller before any letter is written). It asks for the plan and says what happens
if it does not come, without naming a sanction: the tool suggests, the board decides. The template is
templates/paminnelse.docx (scripts/make_reminder_template.py), overridable from the workspace's templates/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from followup_cli.publish.privacy import SourcedText
from followup_cli.publish.template_check import template_kind
from followup_cli.reviews.actions import ActionItem, Actions
from followup_cli.swedish import swedish_date

TEMPLATE = "paminnelse.docx"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')  # characters Windows does not allow in a file name


def letter_items(actions: Actions) -> list[tuple[str, list[ActionItem]]]:
    """(provider id, its findings whose action plan is overdue), for providers that have any."""
    return [(key[0], overdue) for key, items in actions.groups() if (overdue := [i for i in items if i.plan_overdue])]


def letter_texts(actions: Actions) -> list[SourcedText]:
    """The register's free text the letters would carry, with the cells it came from."""
    return [(i.description, i.description_cell) for _, items in letter_items(actions) for i in items if i.description]


def letter_context(items: list[ActionItem], as_of: dt.date, organisation: str) -> dict:
    first = items[0]
    return {
        "organisation": organisation,
        "unit": first.reviewing_unit or organisation,
        "date": swedish_date(as_of),
        "provider_id": first.provider_id,
        "provider": first.provider_name or first.provider_id,
        "title": "Påminnelse om åtgärdsplan",
        "count": "bristen" if len(items) == 1 else f"de {len(items)} bristerna",
        "findings": [{
            "id": i.finding_id,
            "review": " ".join(x for x in (i.review_id or "", f"({swedish_date(i.review_date)})" if i.review_date else "") if x),
            "area": i.review_area or "",
            "description": i.description or "",
            "due": swedish_date(i.plan_due) if i.plan_due else "",
        } for i in items],
        "consequence": (f"Kommer åtgärdsplanen inte in tas ärendet vidare enligt "
                        f"{'överenskommelsen' if first.contract_form == 'iop' else 'uppdragsbeskrivningen'}, till "
                        "förvaltningens ledning och vid behov till nämnden." if not first.contract_remedies else
                        "Kommer åtgärdsplanen inte in kan kommunen gå vidare enligt avtalets bestämmelser om påföljder; "
                        "det är nämnden som beslutar om sanktioner."),
    }


@template_kind("reminder", prefix="paminnelse")
def letter_context_keys() -> dict:
    """Every value letter_context gives the template, with one example element for the list: what
    `followup check-template` checks a reminder template against. Each value is ready Swedish text."""
    text = "text"
    return {"organisation": text, "unit": "uppföljande enhet", "date": "datum i ord", "provider_id": text,
            "provider": "utförarens namn", "title": text, "count": "bristen, eller de 2 bristerna",
            "findings": [{"id": "Brist-ID", "review": "Gransknings-ID och datum", "area": "granskningsområde",
                          "description": text, "due": "datum i ord"}],
            "consequence": text}


def write_letters(actions: Actions, folder: Path, organisation: str, own_templates: Path | None,
                  inputs: Iterable[Path] = ()) -> list[Path]:
    """Every reminder, one per provider, as `paminnelse-<Utförar-ID>.docx` in `folder`."""
    from followup_cli.publish.render import template_dirs, write_docx
    from followup_cli.publish.write import refuse_inputs

    inputs = list(inputs)
    written = []
    for provider_id, items in letter_items(actions):
        out = Path(folder) / f"paminnelse-{_UNSAFE.sub('_', provider_id)}.docx"
        refuse_inputs(out, inputs)
        context = letter_context(items, actions.as_of, organisation)
        written.append(write_docx(context, TEMPLATE, out, template_dirs(own_templates),
                                  title=f"{context['title']} – {context['provider']}", author=organisation))
    return written
