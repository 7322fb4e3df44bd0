"""`plan --format xlsx`: the working plan as a styled workbook, and next year's `--previous`.

The sheet Plan has one row per review; `plan_previous` reads it back by its
headers, so a user may sort, filter, move months or delete rows in Excel and
still hand it in next year. Every value is a value (no formulas), every text
cell goes through `set_cell`, the file through `write_atomic`.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.plan.build import NotSelected, Plan, PlanItem
from followup_cli.plan.config import method_labels
from followup_cli.plan.equal_treatment import EqualTreatment, equal_treatment
from followup_cli.plan.previous import (
    MONTH_HEADER,
    PLAN_SHEET,
    PROVIDER_HEADER,
    TYPE_HEADER,
    TYPE_ID_HEADER,
)
from followup_cli.publish.xlsx_style import (
    fill,
    font,
    print_setup,
    require_xlsx,
    save_workbook,
    text_color,
    write_about_sheet,
    write_table,
)
from followup_cli.swedish import MONTHS_SV, percent, plural
from followup_cli.swedish import hours as swedish_hours

METHOD_ID_HEADER = "Metod (id)"
REVIEW_ID_HEADER = "Gransknings-ID"  # stable across re-runs; the checklist for the review is named by it
ID_COLUMNS = [(TYPE_ID_HEADER, 15), (METHOD_ID_HEADER, 13)]  # hidden, at the far right: for --previous and scripts
# The essential columns come first: print_setup prints only the leading columns that fit on A4 at 8 pt.
PLAN_COLUMNS = [  # header, width; the first nine are what prints (about 150 characters fit on A4 at 8 pt)
    (MONTH_HEADER, 9), (PROVIDER_HEADER, 11), ("Utförare", 23), ("Uppföljande enhet", 21), (TYPE_HEADER, 18), ("Metod", 14),
    ("Timmar", 8), ("Obligatorisk", 12), ("Skäl", 34), ("Regiform", 10), ("Verksamhetsområde", 22), ("Risknivå", 11),
    ("Nämnd", 18), ("Stickprov", 10), ("Tema", 18), ("Riskvärde", 10), ("Granskningsområden", 34),
    (REVIEW_ID_HEADER, 30), *ID_COLUMNS,
]
NOT_SELECTED_COLUMNS = [  # the first seven print
    ("Status", 18), (PROVIDER_HEADER, 11), ("Utförare", 24), ("Regiform", 10), (TYPE_HEADER, 18), ("Timmar", 8), ("Skäl", 60),
    ("Verksamhetsområde", 22), ("Uppföljande enhet", 22), ("Metod", 14), ("Risknivå", 11), ("Nämnd", 18), ("Riskvärde", 10),
    *ID_COLUMNS,
]
SHORTFALL_COLUMNS = [("Uppföljande enhet", 28), ("Timmar som saknas", 12), ("Obligatoriska som inte fick plats", 14), ("Utförar-ID", 60)]
WRAPPED = {"Status", "Utförare", "Verksamhetsområde", "Uppföljande enhet", TYPE_HEADER, "Granskningsområden", "Skäl", "Utförar-ID"}
CENTRED = {"Obligatorisk", "Stickprov"}  # Ja/Nej beside a number reads as one value otherwise
ATTENTION = "F8CBAD"  # mandatory reviews left out
BLOCKED = "D9D9D9"  # months without reviews


def hours_text(h: float) -> str:
    return f"{swedish_hours(h)} {'timme' if round(h, 1) == 1 else 'timmar'}"


def plan_title(plan: Plan) -> str:
    """'Uppföljningsplan 2026 – Exempelkommun', or with the board of --board: the same name in the workbook and the calendar."""
    return f"Uppföljningsplan {plan.year} – {plan.board or plan.organisation}"


def write_plan_workbook(plan: Plan, path: Path) -> Path:
    path = require_xlsx(path, "Planen skrivs som Excel-arbetsbok")
    from openpyxl import Workbook

    workbook = Workbook()
    colors = {lv.id: lv.color for lv in plan.analysis.matrix.levels}
    _plan(workbook.active, plan, colors)
    _not_selected(workbook.create_sheet("Ej valda"), plan, colors)
    _capacity(workbook.create_sheet("Kapacitet"), plan)
    if plan.shortfall:
        _shortfall(workbook.create_sheet("Brist"), plan)
    _about(workbook.create_sheet("Om planen"), plan)
    for ws in workbook.worksheets:
        _hide(ws, ID_COLUMNS)
        print_setup(ws)
    return save_workbook(workbook, path, plan_title(plan))


def _plan(ws, plan: Plan, colors: dict[str, str]) -> None:
    ws.title = PLAN_SHEET
    rows = [_plan_row(plan, i) for i in plan.items]
    write_table(ws, PLAN_COLUMNS, rows, WRAPPED, CENTRED)
    level = _col(PLAN_COLUMNS, "Risknivå")
    for row, item in enumerate(plan.items, start=2):
        _level_fill(ws.cell(row=row, column=level), colors.get(item.level_id))
    ws.freeze_panes = "D2"  # month, id and name stay in view while scrolling right


def _plan_row(plan: Plan, i: PlanItem) -> dict:
    return {
        REVIEW_ID_HEADER: i.review_id,
        MONTH_HEADER: plan.month_key(i.month), PROVIDER_HEADER: i.provider_id, "Utförare": i.name, "Regiform": i.ownership,
        "Verksamhetsområde": i.service_area, "Nämnd": i.board, "Uppföljande enhet": i.unit, TYPE_HEADER: i.review_type,
        "Metod": i.method, "Timmar": i.hours, "Obligatorisk": "Ja" if i.mandatory else "Nej", "Stickprov": "Ja" if i.sample else None,
        "Tema": i.theme, "Riskvärde": i.risk_value, "Risknivå": i.level, "Granskningsområden": ", ".join(i.areas) or None,
        "Skäl": "\n".join(i.reasons) or None, TYPE_ID_HEADER: i.review_type_id, METHOD_ID_HEADER: i.method_id,
    }


def _not_selected(ws, plan: Plan, colors: dict[str, str]) -> None:
    """Everything the plan leaves out, and why; a mandatory review left out stands out in colour."""
    rows = [_not_selected_row(n) for n in plan.not_selected]
    write_table(ws, NOT_SELECTED_COLUMNS, rows, WRAPPED, CENTRED)
    status, level = _col(NOT_SELECTED_COLUMNS, "Status"), _col(NOT_SELECTED_COLUMNS, "Risknivå")
    for row, n in enumerate(plan.not_selected, start=2):
        if n.mandatory:
            fill(ws.cell(row=row, column=status), ATTENTION)
            ws.cell(row=row, column=status).font = font(bold=True)
        _level_fill(ws.cell(row=row, column=level), colors.get(n.level_id or ""))
    ws.freeze_panes = "D2"


def _not_selected_row(n: NotSelected) -> dict:
    inactive = not n.method_id  # an inactive provider has no review to cost
    return {
        "Status": _status(n, inactive), PROVIDER_HEADER: n.provider_id, "Utförare": n.name, "Regiform": n.ownership,
        "Verksamhetsområde": n.service_area, "Nämnd": n.board, "Uppföljande enhet": n.unit,
        TYPE_HEADER: None if inactive else n.review_type, "Metod": n.method or None, "Timmar": None if inactive else n.hours,
        "Riskvärde": n.risk_value, "Risknivå": n.level, "Skäl": "\n".join(n.reasons) or None,
        TYPE_ID_HEADER: None if inactive else n.review_type_id, METHOD_ID_HEADER: n.method_id or None,
    }


def _status(n: NotSelected, inactive: bool) -> str:
    if n.excluded:
        return "Obligatorisk men exkluderad" if n.mandatory else "Exkluderad"
    if n.mandatory:
        return "Obligatorisk men fick inte plats"
    return "Inaktiv" if inactive else "Inte vald"


def _capacity(ws, plan: Plan) -> None:
    """Hours per unit and month as plain numbers; a blocked month is grey and says so in its header."""
    blocked = set(plan.config.blocked_months)
    months = [(f"{MONTHS_SV[m - 1][:3]}\nspärrad" if m in blocked else MONTHS_SV[m - 1][:3], 8) for m in range(1, 13)]
    columns = [("Uppföljande enhet", 28), ("Timmar per år", 10), ("Reserv", 9), ("Att planera", 10), ("Planerat", 10),
               ("Kvar", 9), ("Per öppen månad", 10), *months]
    rows = []
    for c in plan.capacity:
        row = {"Uppföljande enhet": c.unit, "Timmar per år": c.configured, "Reserv": c.reserve, "Att planera": c.available,
               "Planerat": c.used, "Kvar": round(c.available - c.used, 1), "Per öppen månad": c.per_month}
        row.update({title: hours for (title, _), hours in zip(months, c.months)})
        rows.append(row)
    write_table(ws, columns, rows, WRAPPED, CENTRED)
    for m in blocked:
        for row in range(2, len(rows) + 2):
            fill(ws.cell(row=row, column=len(columns) - 12 + m), BLOCKED)
    ws.freeze_panes = "B2"


def _shortfall(ws, plan: Plan) -> None:
    rows = [{"Uppföljande enhet": s.unit, "Timmar som saknas": s.hours_short, "Obligatoriska som inte fick plats": len(s.provider_ids),
             "Utförar-ID": ", ".join(s.provider_ids)} for s in plan.shortfall]
    write_table(ws, SHORTFALL_COLUMNS, rows, WRAPPED, CENTRED)


def _about(ws, plan: Plan) -> None:
    config, matrix = plan.config, plan.analysis.matrix
    methods = method_labels()
    hours = sum(i.hours for i in plan.items)
    rows: list[tuple[str, object]] = [
        ("Planår", plan.year),
        ("Underlag per", plan.as_of),
        ("Organisation", plan.organisation),
        ("Nämnd", plan.board or "Alla nämnder"),
        ("Granskningar", len(plan.items)),
        ("varav obligatoriska", sum(i.mandatory for i in plan.items)),
        ("Planerade timmar", hours),
        ("Ej valda (utförare/granskningar)", len(plan.not_selected)),
        ("Brist", "; ".join(f"{s.unit} saknar {hours_text(s.hours_short)} för "
                            f"{plural(len(s.provider_ids), 'obligatorisk', 'obligatoriska')} (se bladet Brist)"
                            for s in plan.shortfall) or "Ingen: timmarna räcker till alla obligatoriska granskningar"),
        ("Rotation", f"varje aktiv utförare följs upp minst en gång på {config.rotation_years} år"),
        ("Reserv", f"{percent(config.reserve_share, 1)} av timmarna för påkallade granskningar"),
        ("Stickprov", f"{percent(config.sample_share, 1)} av utförarna med risknivå upp till och med {matrix.levels[config.sample_level].name} "
                      f"som inte annars planeras, frö {config.sample_seed}"),
        ("Spärrade månader", ", ".join(MONTHS_SV[m - 1] for m in config.blocked_months) or "Inga"),
        ("Timmar per metod", "\n".join(f"{methods.get(m, m)}: {swedish_hours(h)} h" for m, h in config.hours.items())),
        ("Teman", "\n".join(f"{t.name}: {', '.join(t.service_areas)} ({methods[t.method_id].lower()}, {swedish_hours(t.hours)} h, "
                            f"{', '.join(MONTHS_SV[m - 1] for m in t.months)})" for t in config.themes) or "Inga"),
        ("Likställd uppföljning", "\n".join(_equal_line(r) for r in equal_treatment(plan))
         + "\nEtt tema räknas inte som uppföljning. Ingen kvot efter regiform: urvalet bygger på risk och regler."),
    ]
    notes = [
        ("Varningar", plan.warnings or ["Inga"]),
        ("Nästa år", [f"Spara den här filen. Nästa år: followup plan --year {plan.year + 1} --previous plan-{plan.year}.xlsx. "
                      "Det som planerats men inte registrerats som genomfört på bladet Granskningar förs då över som obligatoriskt.",
                      f"Bladet {PLAN_SHEET} läses med kolumnerna {PROVIDER_HEADER}, {TYPE_HEADER} och {MONTH_HEADER}: flytta gärna "
                      f"månader, sortera eller ta bort rader, men behåll rubrikerna och de dolda kolumnerna {TYPE_ID_HEADER} "
                      f"och {METHOD_ID_HEADER} längst till höger."]),
    ]
    write_about_sheet(ws, plan_title(plan), rows, notes)


def _equal_line(r: EqualTreatment) -> str:
    """'Privat: 23 aktiva utförare, 18 uppföljda (78 %); platsbesök 8, …; 5 teman; 452 timmar (25,1 per uppföljd utförare)'."""
    methods = ", ".join(f"{m.lower()} {n}" for m, n in r.by_method.items() if n) or "inga granskningar"
    return (f"{r.ownership}: {plural(r.providers, 'aktiv utförare', 'aktiva utförare')}, {r.followed_up} uppföljda "
            f"({percent(r.followed_up_share)}); {methods}; {plural(r.themes, 'tema', 'teman')}; {hours_text(r.hours)} "
            f"({swedish_hours(r.hours_per_followed_up)} per uppföljd utförare)")


def _hide(ws, columns: list[tuple[str, int]]) -> None:
    """The id columns stay in the file for --previous and scripts, out of the user's sight and off the printout."""
    from openpyxl.utils import get_column_letter

    titles = {t for t, _ in columns}
    for cell in ws[1]:
        if cell.value in titles:
            ws.column_dimensions[get_column_letter(cell.column)].hidden = True


def _level_fill(cell, color: str | None) -> None:
    if color:
        fill(cell, color)
        cell.font = font(color=text_color(color))


def _col(columns: list[tuple[str, int]], title: str) -> int:
    return next(i for i, (t, _) in enumerate(columns, start=1) if t == title)
