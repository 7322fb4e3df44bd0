"""The annual report's charts as PNG bytes: the risk matrix heat map, findings by review area, survey results against
comparison values and the events' trend. Greys and hatching, so they read printed in black and white; no dates or
versions in the files, so the same data gives the same bytes."""

from __future__ import annotations

from followup_cli.publish.risk_chart import METADATA, RC, HeatMap, draw_heat_map

WIDTH_CM = 15.5  # the width the charts get in the Word document
GREYS = ("#303030", "#8C8C8C", "#D0D0D0")
HATCHES = ("", "//", "..")


def chart_data(context: dict) -> dict:
    """What the charts show of the report's context: a few short lists, small enough to hand to the process that
    draws them (publish/chart_process.py)."""
    survey = [r for r in context["survey"]["rows"] if r["sex_id"] == "total" and r["value_raw"] is not None]
    # a kind whose count is hidden (the public version) is left out of the events chart too
    events = [r for r in context["events"]["by_kind"] if isinstance(r["previous"], int) and isinstance(r["current"], int)]
    return {"year": context["year"], "findings": context["findings"]["review_areas"],
            "survey": survey, "survey_legend": context["survey"].get("legend") or ("Kommunens utförare", "Jämförelsevärde"),
            "events": events}


def drawn(data: dict) -> list[str]:
    """The charts of `chart_data` that are drawn: those whose section has data. The others are left out of the
    document (the templates test `charts.name` in html and place `chart_name`, then an empty text, in docx)."""
    return [name for name in ("findings", "survey", "events") if data[name]]


def heat_map_png(heat: HeatMap) -> dict[str, tuple[bytes, float]]:
    """{'risk_matrix': (the heat map as PNG, its width in the Word document in cm)}, shaped as report_charts_png."""
    Figure = _matplotlib()
    with _style():
        return {"risk_matrix": (_png(draw_heat_map(Figure, heat)), 14.0)}


def report_charts_png(data: dict) -> dict[str, tuple[bytes, float]]:
    """Chart name → (PNG, width in cm) for each chart of `chart_data` that is `drawn`."""
    Figure = _matplotlib()
    year = data["year"]
    draw = {"findings": lambda: _findings(Figure, data["findings"], year),
            "survey": lambda: _survey(Figure, data["survey"], year, data["survey_legend"]),
            "events": lambda: _events(Figure, data["events"], year)}
    with _style():
        return {name: (_png(draw[name]()), WIDTH_CM) for name in drawn(data)}


def chart_names() -> tuple[str, ...]:
    return ("risk_matrix", "findings", "survey", "events")


def _matplotlib():
    """matplotlib's Figure, drawing without a display (imported here: matplotlib takes a third of a second)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure


def _style():
    import matplotlib

    return matplotlib.rc_context(RC)


def _png(figure) -> bytes:
    import io

    raw = io.BytesIO()
    figure.savefig(raw, format="png", dpi=150, metadata=METADATA["png"], bbox_inches="tight", pad_inches=0.15)
    return raw.getvalue()


def _bars(ax, labels, series, names):
    """Horizontal bars, stacked, grey and hatched: readable without colour."""
    left = [0] * len(labels)
    for k, (values, name) in enumerate(zip(series, names)):
        ax.barh(labels, values, left=left, color=GREYS[k % 3], hatch=HATCHES[k % 3], edgecolor="#1A1A1A", linewidth=0.6, label=name)
        left = [a + b for a, b in zip(left, values)]
    ax.invert_yaxis()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return left


def _findings(Figure, rows, year):
    figure = Figure(figsize=(8, 0.45 * len(rows) + 1.4))
    ax = figure.add_subplot()
    totals = _bars(ax, [r["area"] for r in rows], [[r[s] for r in rows] for s in ("serious", "deficiency", "observation")],
                   ["Allvarlig brist", "Brist", "Iakttagelse"])
    for y, total in enumerate(totals):
        ax.text(total + 0.1, y, str(total), va="center", fontsize=9)
    ax.set_xlabel("Antal")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"Iakttagelser och brister per granskningsområde {year}", loc="left", fontsize=12, fontweight="bold")
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, never over them
    return figure


def _survey(Figure, rows, year, legend):
    figure = Figure(figsize=(8, 0.55 * len(rows) + 1.4))
    ax = figure.add_subplot()
    labels = [r["indicator"] for r in rows]
    positions = range(len(rows))
    ax.barh([p - 0.2 for p in positions], [r["value_raw"] for r in rows], height=0.38, color=GREYS[0], edgecolor="#1A1A1A",
            label=legend[0])
    ax.barh([p + 0.2 for p in positions], [r["comparison_raw"] or 0 for r in rows], height=0.38, color="white", hatch="//",
            edgecolor="#1A1A1A", label=legend[1])
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Andel nöjda (%)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = (f"Brukarundersökningen {year} mot jämförelsevärdet" if legend[1] == "Jämförelsevärde"
             else f"Brukarundersökningen {year}: {legend[0].lower()} mot {legend[1].lower()}")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, never over them
    return figure


def _events(Figure, rows, year):
    figure = Figure(figsize=(8, 0.55 * len(rows) + 1.4))
    ax = figure.add_subplot()
    positions = range(len(rows))
    ax.barh([p - 0.2 for p in positions], [r["previous"] for r in rows], height=0.38, color="white", hatch="//",
            edgecolor="#1A1A1A", label=str(year - 1))
    ax.barh([p + 0.2 for p in positions], [r["current"] for r in rows], height=0.38, color=GREYS[0], edgecolor="#1A1A1A",
            label=str(year))
    for p, r in zip(positions, rows):
        ax.text(max(r["previous"], r["current"]) + 0.5, p, r["change"], va="center", fontsize=9)
    ax.set_yticks(list(positions), [r["kind"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("Antal händelser")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Händelser {year - 1} och {year}", loc="left", fontsize=12, fontweight="bold")
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, never over them
    return figure
