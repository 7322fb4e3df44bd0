"""`followup actions --out actions.xlsx`: the list of actions as a workbook, styled like the other workbooks.

Three sheets: every finding that needs an action with its next step, a summary per provider, and what the list is
based on. An internal working list: a personal number in a finding's description is masked (the caller warns).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from followup_cli.publish.xlsx_style import (
    DATE_FORMAT,
    fill,
    print_setup,
    require_xlsx,
    save_workbook,
    write_about_sheet,
    write_table,
)
from followup_cli.register.identity import mask_personnummer
from followup_cli.reviews.actions import BOARD_DECIDES, KIND_LABELS, KINDS, REPORT_FLAG, Actions, ActionItem
from followup_cli.schemas import register_schemas
from followup_cli.swedish import swedish_date

KIND_COLORS = {"overdue": "#F4B6B6", "uncorrected": "#F8CBAD", "not_approved": "#FFE699", "due_soon": "#DDEBF7"}

ACTION_COLUMNS = [  # header, width: what to do, by when and why first (what prints on A4 at 8 pt), the evidence after
    ("Uppföljande enhet", 20), ("Utförar-ID", 10), ("Namn", 18), ("Brist-ID", 11), ("Läge", 20),
    ("Föreslaget steg", 20), ("Nämnden beslutar", 9), ("Aktuellt från", 11), ("Skäl", 37), ("Anmälan", 22),
    ("Avtalsform", 14), ("Gransknings-ID", 12), ("Granskningsdatum", 12), ("Granskningsområde", 22),
    ("Allvarlighet", 12), ("Bedömning", 20), ("Åtgärdsplan senast", 12), ("Åtgärdsplan inkommen", 12),
    ("Åtgärdsplan godkänd", 12), ("Godkänn senast", 12), ("Rättat senast", 12), ("Beslutad sanktion", 16),
    ("Beskrivning", 48),
]
DATE_COLUMNS = {"Aktuellt från", "Granskningsdatum", "Åtgärdsplan senast", "Åtgärdsplan inkommen", "Åtgärdsplan godkänd",
                "Godkänn senast", "Rättat senast"}
SUMMARY_COLUMNS = [("Uppföljande enhet", 20), ("Utförar-ID", 11), ("Namn", 24), ("Avtalsform", 19),
                   ("Högsta föreslagna steg", 22), *((KIND_LABELS[k], 11) for k in KINDS), ("Anmälan att ta ställning till", 12)]


def write_actions_workbook(actions: Actions, path: Path, inputs: Iterable[Path] = ()) -> Path:
    path = require_xlsx(path, "Åtgärdslistan skrivs som Excel-arbetsbok")
    from openpyxl import Workbook

    workbook = Workbook()
    _actions(workbook.active, actions)
    _summary(workbook.create_sheet("Per utförare"), actions)
    _about(workbook.create_sheet("Om listan"), actions)
    for ws in workbook.worksheets:
        print_setup(ws)
    return save_workbook(workbook, path, f"Åtgärder per {swedish_date(actions.as_of)}", inputs)


def _actions(ws, actions: Actions) -> None:
    ws.title = "Åtgärder"
    write_table(ws, ACTION_COLUMNS, [_row(i) for i in actions.items], wrapped={"Uppföljande enhet", "Namn", "Skäl", "Beskrivning", "Föreslaget steg"},
                centred={"Nämnden beslutar"})
    titles = [t for t, _ in ACTION_COLUMNS]
    for row, item in enumerate(actions.items, start=2):
        for title in DATE_COLUMNS:
            ws.cell(row=row, column=titles.index(title) + 1).number_format = DATE_FORMAT
        if item.kind in KIND_COLORS:
            fill(ws.cell(row=row, column=titles.index("Läge") + 1), KIND_COLORS[item.kind])
    ws.freeze_panes = "E2"  # unit, provider and finding stay in view while scrolling right


def _row(i: ActionItem) -> dict:
    schemas = register_schemas()
    findings, providers = schemas["findings"], schemas["providers"]
    return {
        "Uppföljande enhet": i.reviewing_unit, "Utförar-ID": i.provider_id, "Namn": i.provider_name,
        "Brist-ID": i.finding_id, "Läge": KIND_LABELS[i.kind],
        "Föreslaget steg": i.step.label, "Nämnden beslutar": "Ja" if i.step.board else "Nej", "Aktuellt från": i.step_due,
        "Anmälan": REPORT_FLAG if i.report_needed else None, "Skäl": f"{i.reason}\n{i.step.reason}",
        "Avtalsform": providers.field("contract_form").label(i.contract_form) if i.contract_form else None,
        "Gransknings-ID": i.review_id, "Granskningsdatum": i.review_date, "Granskningsområde": i.review_area,
        "Allvarlighet": findings.field("severity").label(i.severity), "Bedömning": i.level.label,
        "Åtgärdsplan senast": i.plan_due, "Åtgärdsplan inkommen": i.plan_received, "Åtgärdsplan godkänd": i.plan_approved,
        "Godkänn senast": i.approve_by, "Rättat senast": i.correct_by,
        "Beslutad sanktion": findings.field("sanction").label(i.sanction) if i.sanction else None,
        "Beskrivning": mask_personnummer(i.description) if i.description else None,
    }


def _summary(ws, actions: Actions) -> None:
    providers = register_schemas()["providers"]
    rows = []
    for (provider_id, name, unit), items in actions.groups():
        steps = [i.step for i in items if i.kind in ("overdue", "uncorrected")] or [i.step for i in items]
        top = max(steps, key=lambda s: s.rank)  # the highest on the provider's ladder
        form = items[0].contract_form
        rows.append({"Uppföljande enhet": unit, "Utförar-ID": provider_id, "Namn": name,
                     "Avtalsform": providers.field("contract_form").label(form) if form else None,
                     **{KIND_LABELS[k]: sum(i.kind == k for i in items) for k in KINDS},
                     "Anmälan att ta ställning till": sum(i.report_needed for i in items),
                     "Högsta föreslagna steg": top.label})
    write_table(ws, SUMMARY_COLUMNS, rows, wrapped={"Uppföljande enhet", "Namn", "Högsta föreslagna steg"},
                centred={*(KIND_LABELS[k] for k in KINDS), "Anmälan att ta ställning till"})


def _about(ws, actions: Actions) -> None:
    counts = actions.counts()
    facts: list[tuple[str, object]] = [("Per dag", actions.as_of),
                                       *((KIND_LABELS[k], counts[k]) for k in KINDS),
                                       ("Allvarliga brister utan anteckning i Anmäld till", counts["report_needed"])]
    notes = [
        BOARD_DECIDES,
        "Åtgärdsplan försenad: sista dagen har passerat och ingen åtgärdsplan har kommit in. Inte åtgärdad i tid: "
        "bristen skulle ha varit rättad (räknat från att planen godkändes, eller skulle ha kommit in) och Åtgärdad är "
        "tom. Åtgärdsplan ej godkänd: planen har kommit in men förvaltningen har inte godkänt den. Åtgärdsplan snart: "
        "planen ska komma in inom de närmaste dagarna.",
        "Föreslaget steg följer Avtalsformen, aldrig Regiformen: avtalssanktioner för LOV, LOU, entreprenad och "
        "ramavtal, eskalering till förvaltningens ledning och nämnden för uppdragsbeskrivning och IOP. Ett steg som "
        "redan är beslutat (kolumnen Sanktion på bladet Brister) föreslås aldrig igen.",
    ]
    write_about_sheet(ws, f"Åtgärder per {swedish_date(actions.as_of)}", facts,
                      [("Om listan", notes), ("Att observera", actions.notes or ["Inget"])])

