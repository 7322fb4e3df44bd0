"""`risk-analyze --chart`: the risk matrix as a heat map (PNG or SVG) for a report or a slide.

Each cell is filled with its risk level's colour and shows how many active
providers it holds. The same analysis gives the same bytes: no dates or
software versions in the file, a fixed hash salt for SVG ids.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import UsageError
from followup_cli.publish.write import write_atomic
from followup_cli.risk.model import Matrix
from followup_cli.risk.results import RiskAnalysis
from followup_cli.swedish import ink, plural, swedish_date

FORMATS = {".png": "png", ".svg": "svg"}
UNKNOWN_COLOR = "#D9D9D9"
# One pattern per risk level, lowest first, drawn faintly over the colour: a board paper printed in black and
# white still tells the levels apart (the legend carries the same patterns).
HATCHES = ("", "...", "///", "xxx", "+++", "\\\\\\")
HATCH_INK = (0.1, 0.1, 0.1, 0.35)
UNKNOWN_Y, UNKNOWN_HEIGHT = -0.85, 0.7  # the Okänd row, a little apart from the grid
METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
RC = {
    "svg.hashsalt": "followup",   # fixed ids in the SVG
    "svg.fonttype": "path",       # text as outlines: looks the same in Word, PowerPoint and browsers
    "font.family": "DejaVu Sans",  # shipped with matplotlib, has å, ä, ö and ×
    "path.simplify": True,
}


@dataclass(frozen=True)
class HeatMap:
    """What the heat map shows of an analysis: a few counts, small enough to hand to the process that draws."""

    as_of: dt.date
    matrix: Matrix
    counts: list[list[int]]  # known providers per cell, [likelihood-1][consequence-1]
    unknown: list[int]  # unknown providers per consequence column
    per_level: dict[str, tuple[int, int]]  # level id → (providers, of which adjusted)
    total: int  # active providers

    @classmethod
    def of(cls, analysis: RiskAnalysis) -> HeatMap:
        return cls(analysis.as_of, analysis.matrix, analysis.counts(), analysis.unknown_counts(), analysis.level_counts(),
                   len(analysis.providers))


def write_risk_chart(analysis: RiskAnalysis, path: Path, inputs: Iterable[Path] = ()) -> Path:
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"Riskmatrisen kan sparas som .png eller .svg; ge filen en av de ändelserna (fick {path.name}).")
    import matplotlib

    matplotlib.use("Agg")  # no window, no display needed
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        figure = draw_heat_map(Figure, HeatMap.of(analysis))
        return write_atomic(path, lambda tmp: figure.savefig(tmp, format=fmt, dpi=150, metadata=METADATA[fmt],
                                                              bbox_inches="tight", pad_inches=0.2), inputs=inputs)


def draw_heat_map(Figure, heat: HeatMap):
    from matplotlib.patches import Patch, Rectangle

    matrix, counts = heat.matrix, heat.counts
    n_l, n_c = len(matrix.likelihood), len(matrix.consequence)
    cell = 1.35  # inches per matrix cell
    rows = n_l - UNKNOWN_Y  # the grid and the Okänd row
    figure = Figure(figsize=(cell * n_c + 4.2, cell * rows + 1.8))
    ax = figure.add_axes((0.2, 0.17, cell * n_c / (cell * n_c + 4.2), cell * rows / (cell * rows + 1.8)))

    for l in range(1, n_l + 1):
        for c in range(1, n_c + 1):
            level = matrix.level(l, c)
            ax.add_patch(Rectangle((c - 1, l - 1), 1, 1, facecolor=level.color, edgecolor="white", linewidth=3))
            if hatch := _hatch(matrix, level):
                ax.add_patch(Rectangle((c - 1 + 0.04, l - 1 + 0.04), 0.92, 0.92, fill=False, hatch=hatch,
                                       edgecolor=HATCH_INK, linewidth=0))
            n = counts[l - 1][c - 1]
            ax.text(c - 0.5, l - 0.5, str(n), ha="center", va="center", fontsize=22 if n else 16,
                    fontweight="bold" if n else "normal", color=ink(level.color, dark="#1A1A1A", light="white"), alpha=1.0 if n else 0.45)
    # Unknown providers in a row of their own below the grid, grey: where they are, without calling them likely.
    for c, n in enumerate(heat.unknown, start=1):
        ax.add_patch(Rectangle((c - 1, UNKNOWN_Y), 1, UNKNOWN_HEIGHT, facecolor=UNKNOWN_COLOR, edgecolor="white", linewidth=3))
        ax.text(c - 0.5, UNKNOWN_Y + UNKNOWN_HEIGHT / 2, str(n), ha="center", va="center", fontsize=16 if n else 13,
                fontstyle="italic", color="#1A1A1A", alpha=1.0 if n else 0.45)
    ax.set_xlim(0, n_c)
    ax.set_ylim(UNKNOWN_Y, n_l)  # likelihood 1 at the bottom, the highest at the top; Okänd below
    ax.set_aspect("equal")
    ax.set_xticks([c - 0.5 for c in range(1, n_c + 1)], [""] * n_c)
    lines = 1
    for c, step in enumerate(matrix.consequence, start=1):
        # One text per line on a shared baseline: 'Måttlig' and 'Lindrig' level, long names wrap downwards.
        label = _label(c, step.name).split("\n")
        lines = max(lines, len(label))
        for k, text in enumerate(label):
            ax.annotate(text, xy=(c - 0.5, 0), xycoords=("data", "axes fraction"), xytext=(0, -16 - 12.5 * k),
                        textcoords="offset points", ha="center", va="baseline", fontsize=10)
    ax.set_yticks([UNKNOWN_Y + UNKNOWN_HEIGHT / 2, *(l - 0.5 for l in range(1, n_l + 1))],
                  ["Okänd", *(_label(i, s.name) for i, s in enumerate(matrix.likelihood, start=1))], fontsize=10)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("Konsekvens", fontsize=12, fontweight="bold", labelpad=14 + 12.5 * lines)
    ax.set_ylabel("Sannolikhet", fontsize=12, fontweight="bold", labelpad=10)
    total = heat.total
    ax.set_title(f"Riskmatris per {swedish_date(heat.as_of)}", fontsize=15, fontweight="bold", loc="left", pad=26)
    ax.text(0, 1.02, f"{total} aktiva utförare. Rutorna: beräknade koordinater; okända utförare i raden Okänd. "
            "Antal per nivå: efter strategens justeringar.",
            transform=ax.transAxes, fontsize=9, color="#444444", ha="left", va="bottom")

    per_level = heat.per_level
    handles = [Patch(facecolor=lv.color, edgecolor="#888888", hatch=_hatch(matrix, lv),
                     label=_legend_label(lv.name, *per_level[lv.id]))
               for lv in reversed(matrix.levels)]  # highest first, as in the matrix
    ax.legend(handles=handles, title="Risknivå (antal)", loc="upper left", bbox_to_anchor=(1.04, 1.0),
              frameon=False, fontsize=10, title_fontsize=10, alignment="left")
    return figure


def _hatch(matrix, level) -> str:
    return HATCHES[[lv.id for lv in matrix.levels].index(level.id) % len(HATCHES)]


def _legend_label(name: str, n: int, adjusted: int) -> str:
    return f"{name} ({n}" + (f", varav {plural(adjusted, 'justerad', 'justerade')})" if adjusted else ")")


def _label(number: int, name: str) -> str:
    return "\n".join(textwrap.wrap(f"{number} {name}", 14)) or str(number)
