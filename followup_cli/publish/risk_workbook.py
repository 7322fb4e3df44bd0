"""`risk-analyze --xlsx`: the risk register as a styled workbook.

One sheet per view of the same analysis: the ranked register, the matrix with
counts, summaries per service area and per review area, the inactive
providers, and what the analysis was based on. Every value is a value (no
formulas), every text cell goes through `set_cell`, the file through
`write_atomic`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from followup_cli.publish.write import set_cell
from followup_cli.publish.xlsx_style import (
    DATE_FORMAT,
    fill,
    fit_rows,
    print_setup,
    require_xlsx,
    save_workbook,
    style_header,
    text_color,
    write_about_sheet,
    write_table,
)
from followup_cli.risk.model import Level, Matrix
from followup_cli.risk.results import ProviderRisk, RiskAnalysis
from followup_cli.swedish import swedish_date

MISSING = "(saknas)"
UNKNOWN_COLOR = "#D9D9D9"  # the matrix's Okänd row: grey, no level's colour

REGISTER_COLUMNS = [  # header, width; the leading columns are what prints on A4 at 8 pt: the risk itself first
    ("Rang", 6), ("Utförar-ID", 11), ("Namn", 26), ("Riskvärde", 9), ("Risknivå", 11), ("Justerad risknivå", 11),
    ("Okänd", 7), ("Sannolikhet", 12), ("Konsekvens", 11), ("Skäl", 48), ("Verksamhetsområde", 24),
    ("Regiform", 12), ("Nämnd", 20), ("Uppföljande enhet", 24), ("Antal brukare", 10), ("Poäng", 9),
    ("Saknat underlag", 22), ("Senast granskad", 13), ("Särskilda granskningsområden", 30), ("Justering", 40),
    ("Övriga beslut", 40),
]


def write_risk_workbook(analysis: RiskAnalysis, path: Path, inputs: Iterable[Path] = ()) -> Path:
    path = require_xlsx(path, "Riskregistret skrivs som Excel-arbetsbok")
    from openpyxl import Workbook

    workbook = Workbook()
    _register(workbook.active, analysis)
    _matrix(workbook.create_sheet("Matris"), analysis)
    _per_service_area(workbook.create_sheet("Per verksamhetsområde"), analysis)
    _per_review_area(workbook.create_sheet("Per granskningsområde"), analysis)
    _inactive(workbook.create_sheet("Inaktiva"), analysis)
    _about(workbook.create_sheet("Om analysen"), analysis)
    for ws in workbook.worksheets:
        print_setup(ws)
    return save_workbook(workbook, path, f"Riskregister per {swedish_date(analysis.as_of)}", inputs)


# --- Riskregister ---------------------------------------------------------------------------------------------

def _register(ws, analysis: RiskAnalysis) -> None:
    ws.title = "Riskregister"
    wrap_columns = {"Namn", "Saknat underlag", "Särskilda granskningsområden", "Skäl", "Justering", "Övriga beslut"}
    write_table(ws, REGISTER_COLUMNS, [_register_row(p) for p in analysis.providers], wrap_columns)
    for row, p in enumerate(analysis.providers, start=2):
        ws.cell(row=row, column=_col("Poäng")).number_format = "0.00"
        ws.cell(row=row, column=_col("Senast granskad")).number_format = DATE_FORMAT
        fill(ws.cell(row=row, column=_col("Risknivå")), p.color)
        if p.adjustment and p.adjustment.level:
            adjusted = _level_of(analysis.matrix, p.adjustment.level_id or p.adjustment.level)
            if adjusted is not None:
                fill(ws.cell(row=row, column=_col("Justerad risknivå")), adjusted.color)
    ws.freeze_panes = "D2"  # rank, id and name stay in view while scrolling right


def _register_row(p: ProviderRisk) -> dict:
    adjustment = p.adjustment
    return {
        "Rang": p.rank, "Utförar-ID": p.provider_id, "Namn": p.name, "Regiform": p.ownership,
        "Verksamhetsområde": p.service_area, "Nämnd": p.board, "Uppföljande enhet": p.reviewing_unit,
        "Antal brukare": p.clients, "Sannolikhet": p.likelihood, "Konsekvens": p.consequence,
        "Riskvärde": p.risk_value, "Risknivå": p.level, "Poäng": p.score, "Okänd": "Ja" if p.unknown else "Nej",
        "Saknat underlag": ", ".join(p.missing) or None,
        "Senast granskad": _date(p.last_review),
        "Särskilda granskningsområden": ", ".join(a.area for a in p.areas) or None,
        "Skäl": "\n".join(r.text for r in p.reasons) or None,
        "Justering": f"{adjustment.action} → {adjustment.level}: {adjustment.reason}" if adjustment and adjustment.level else None,
        "Justerad risknivå": adjustment.level if adjustment and adjustment.level else None,
        "Övriga beslut": "\n".join(_decision(a) for a in p.other_adjustments) or None,
    }


def _decision(a) -> str:
    who = ", ".join(x for x in (a.decided_by, a.date) if x)
    return f"{a.action}: {a.reason}" + (f" ({who})" if who else "")


def _col(title: str) -> int:
    return next(i for i, (t, _) in enumerate(REGISTER_COLUMNS, start=1) if t == title)


# --- Matris ---------------------------------------------------------------------------------------------------

def _matrix(ws, analysis: RiskAnalysis) -> None:
    """Likelihood from the highest level at the top, consequence left to right; a legend below."""
    from openpyxl.styles import Alignment, Border, Font, Side

    matrix, counts = analysis.matrix, analysis.counts()
    n_l, n_c = len(matrix.likelihood), len(matrix.consequence)
    thin = Side(style="thin", color="FFFFFF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    set_cell(ws["A1"], matrix.name)
    ws["A1"].font = Font(bold=True, size=14)
    set_cell(ws["A2"], f"Antal aktiva utförare per ruta, per {swedish_date(analysis.as_of)}: beräknade koordinater, före "
                       "justeringar. Okända utförare (för lite underlag) står i raden Okänd, inte som sannolika. "
                       "Antalen per risknivå nedanför gäller nivån efter justeringar.")
    ws["A2"].font = Font(italic=True)

    first_row, first_col = 5, 3  # the grid's top-left cell: C5
    set_cell(ws.cell(row=first_row - 2, column=first_col), "Konsekvens →")
    ws.cell(row=first_row - 2, column=first_col).font = Font(bold=True)
    ws.merge_cells(start_row=first_row - 2, start_column=first_col, end_row=first_row - 2, end_column=first_col + n_c - 1)
    ws.cell(row=first_row - 2, column=first_col).alignment = Alignment(horizontal="center")
    set_cell(ws.cell(row=first_row, column=1), "Sannolikhet ↓")
    ws.cell(row=first_row, column=1).font = Font(bold=True)
    ws.merge_cells(start_row=first_row, start_column=1, end_row=first_row + n_l - 1, end_column=1)
    ws.cell(row=first_row, column=1).alignment = Alignment(horizontal="center", vertical="center", text_rotation=90)

    for j, step in enumerate(matrix.consequence):
        cell = ws.cell(row=first_row - 1, column=first_col + j)
        set_cell(cell, f"{j + 1} {step.name}")
        cell.font = Font(bold=True)
        cell.alignment = centre
    for i in range(n_l):
        likelihood = n_l - i  # highest at the top
        row = first_row + i
        label = ws.cell(row=row, column=2)
        set_cell(label, f"{likelihood} {matrix.likelihood[likelihood - 1].name}")
        label.font = Font(bold=True)
        label.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = 42
        for j in range(n_c):
            cell = ws.cell(row=row, column=first_col + j)
            level = matrix.level(likelihood, j + 1)
            set_cell(cell, counts[likelihood - 1][j])
            fill(cell, level.color)
            cell.font = Font(bold=True, size=14, color=text_color(level.color))
            cell.alignment = centre
            cell.border = border
    unknown_row = first_row + n_l
    label = ws.cell(row=unknown_row, column=2)
    set_cell(label, "Okänd")
    label.font = Font(bold=True, italic=True)
    label.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[unknown_row].height = 30
    for j, n in enumerate(analysis.unknown_counts()):
        cell = ws.cell(row=unknown_row, column=first_col + j)
        set_cell(cell, n)
        fill(cell, UNKNOWN_COLOR)
        cell.font = Font(italic=True, size=12)
        cell.alignment = centre
        cell.border = border
    ws.row_dimensions[first_row - 1].height = 30
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 20
    for j in range(n_c):
        ws.column_dimensions[_letter(first_col + j)].width = 15

    legend = first_row + n_l + 3
    for col, title in enumerate(("Risknivå", "Antal utförare (efter justeringar)", "Varav justerade", "Vad nivån innebär"), start=2):
        set_cell(ws.cell(row=legend, column=col), title)
        ws.cell(row=legend, column=col).font = Font(bold=True)
        ws.cell(row=legend, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    counts_per_level = analysis.level_counts()
    for k, level in enumerate(reversed(matrix.levels), start=1):  # highest first, as in the grid
        row = legend + k
        name = ws.cell(row=row, column=2)
        set_cell(name, level.name)
        fill(name, level.color)
        name.font = Font(bold=True, color=text_color(level.color))
        n, adjusted = counts_per_level[level.id]
        for col, value in ((3, n), (4, adjusted)):
            set_cell(ws.cell(row=row, column=col), value)
            ws.cell(row=row, column=col).alignment = Alignment(horizontal="center")
        set_cell(ws.cell(row=row, column=5), level.description)
        ws.cell(row=row, column=5).alignment = Alignment(vertical="top")
    total_row = legend + len(matrix.levels) + 1
    set_cell(ws.cell(row=total_row, column=2), "Totalt")
    set_cell(ws.cell(row=total_row, column=3), len(analysis.providers))
    set_cell(ws.cell(row=total_row, column=4), sum(p.adjusted for p in analysis.providers))
    ws.cell(row=total_row, column=2).font = Font(bold=True)
    for col in (3, 4):
        ws.cell(row=total_row, column=col).alignment = Alignment(horizontal="center")


# --- Summaries ------------------------------------------------------------------------------------------------

def _per_service_area(ws, analysis: RiskAnalysis) -> None:
    from openpyxl.styles import Font

    levels = analysis.matrix.levels
    headers = ["Verksamhetsområde", "Antal utförare", *(lv.name for lv in levels), "Medel riskvärde"]  # after adjustments
    _header(ws, headers)
    groups: dict[str, list[ProviderRisk]] = {}
    for p in analysis.providers:
        groups.setdefault(p.service_area or MISSING, []).append(p)
    rows = []
    for area, providers in groups.items():
        mean = sum(p.final_value for p in providers) / len(providers)
        rows.append((area, len(providers), [sum(p.final_level_id == lv.id for p in providers) for lv in levels], mean))
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    for row, (area, n, per_level, mean) in enumerate(rows, start=2):
        for col, value in enumerate([area, n, *per_level, round(mean, 1)], start=1):
            set_cell(ws.cell(row=row, column=col), value)
        ws.cell(row=row, column=len(headers)).number_format = "0.0"
    widths = [30, 12, *(max(10, len(lv.name) + 4) for lv in levels), 14]
    style_header(ws, len(headers), widths=widths)
    fit_rows(ws, widths)
    for k, level in enumerate(levels, start=3):
        fill(ws.cell(row=1, column=k), level.color)
        ws.cell(row=1, column=k).font = Font(bold=True, color=text_color(level.color))


def _per_review_area(ws, analysis: RiskAnalysis) -> None:
    from openpyxl.styles import Alignment

    headers = ["Granskningsområde", "Antal utförare där området driver risken", "Summa poäng", "Utförare"]
    _header(ws, headers)
    totals: dict[str, list] = {}
    for p in analysis.providers:
        for a in p.areas:
            entry = totals.setdefault(a.area, [0, 0.0, []])
            entry[0] += 1
            entry[1] += a.points
            entry[2].append(p.provider_id)
    rows = sorted(totals.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    for row, (area, (n, points, ids)) in enumerate(rows, start=2):
        for col, value in enumerate([area, n, round(points, 2), ", ".join(ids)], start=1):
            set_cell(ws.cell(row=row, column=col), value)
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=col == 4, vertical="top")
        ws.cell(row=row, column=3).number_format = "0.00"
    style_header(ws, len(headers), widths=[36, 18, 12, 60])
    fit_rows(ws, [36, 18, 12, 60])


def _inactive(ws, analysis: RiskAnalysis) -> None:
    headers = ["Utförar-ID", "Namn", "Verksamhetsområde", "Avtal till"]
    _header(ws, headers)
    for row, p in enumerate(analysis.inactive, start=2):
        for col, value in enumerate([p.provider_id, p.name, p.service_area, _date(p.contract_end)], start=1):
            set_cell(ws.cell(row=row, column=col), value)
        ws.cell(row=row, column=4).number_format = DATE_FORMAT
    style_header(ws, len(headers), widths=[14, 34, 24, 13])


def _about(ws, analysis: RiskAnalysis) -> None:
    matrix = analysis.matrix
    adjusted = sum(1 for p in analysis.providers if p.adjustment and p.adjustment.level)
    rows: list[tuple[str, object]] = [
        ("Analysdatum", analysis.as_of),
        ("Matris", matrix.name),
        ("Aktiva utförare", len(analysis.providers)),
        ("Inaktiva utförare", len(analysis.inactive)),
        ("Okänd risk (för lite underlag)", sum(p.unknown for p in analysis.providers)),
        ("Justerade av strateg", adjusted),
        ("Saknade blad i registret", ", ".join(analysis.absent_sheets) or "Inga"),
    ]
    notes = [
        "Risknivån är beräknad ur underlaget i registret: sannolikhet ur händelser, brister, granskningar, "
        "brukarundersökning, egenrapportering och fakturering; konsekvens ur brukarnas sårbarhet, antal och kravens allvar.",
        "Poäng är den kontinuerliga poängen bakom rangordningen inom samma riskvärde.",
        "Okänd betyder att för lite underlag finns: risknivån är då minst den nivå modellen anger, men sannolikheten är "
        "den underlaget ger. I matrisen står okända utförare i en egen rad, Okänd, inte som sannolika.",
        "Justering visar strategens beslut bredvid den beräknade nivån, aldrig i stället för den. Rangordningen, antalen "
        "per risknivå och sammanställningen per verksamhetsområde utgår från den justerade nivån där en justering finns; "
        "matrisens rutor visar de beräknade koordinaterna.",
    ]
    write_about_sheet(ws, f"Riskanalys per {swedish_date(analysis.as_of)}", rows,
                      [("Varningar", analysis.warnings or ["Inga"]), ("Om siffrorna", notes)])


# --- Helpers --------------------------------------------------------------------------------------------------

def _header(ws, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        set_cell(ws.cell(row=1, column=col), title)


def _level_of(matrix: Matrix, name_or_id: str) -> Level | None:
    try:
        return matrix.levels[matrix.level_index(name_or_id)]
    except KeyError:
        return None


def _date(value: str | None) -> dt.date | str | None:
    """An ISO date from the analysis as a real date cell; anything else kept as the text it was."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
