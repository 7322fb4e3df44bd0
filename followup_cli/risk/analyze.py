"""From the register to ranked risk: likelihood from the evidence, consequence from what is at stake.

`analyze_risk` is the library call behind `followup risk-analyze`; its
result is plain dataclasses that every output (console, JSON, workbook,
chart, plan) reads.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from followup_cli.register.table import Register, Table
from followup_cli.risk import evidence
from followup_cli.risk.collect import EvidenceCollector
from followup_cli.risk.consequence import consequence_scores
from followup_cli.risk.evidence import Context, day, text_or_none
from followup_cli.risk.model import Level, Matrix, RiskModel
from followup_cli.risk.results import (
    Adjustment,
    Area,
    Cell,
    InactiveProvider,
    ProviderRisk,
    Reason,
    RiskAnalysis,
)
from followup_cli.schemas import register_schemas

EVIDENCE_KINDS = {"events": "händelser", "reviews": "granskning", "survey": "brukarundersökning",
                  "self_report": "egenrapportering", "billing": "fakturering"}


def analyze_risk(register: Register, as_of: dt.date, model: RiskModel, collected: EvidenceCollector | None = None) -> RiskAnalysis:
    """The ranked analysis. `collected` is an EvidenceCollector that saw the sheets while they were read;
    without one, the analysis feeds a new collector every sheet itself."""
    collected = (collected or EvidenceCollector(as_of, model)).feed(register)
    ctx = collected.ctx
    tables = collected.tables
    active = ctx.providers
    warnings: list[str] = []

    last = evidence.last_reviews(ctx).to_dict()
    points = _likelihood_points(collected.rows, active.index)
    consequence, consequence_warnings = collected.consequence or consequence_scores(ctx)
    warnings += consequence_warnings
    missing = _missing_evidence(ctx, last, register)
    adjustments = _adjustments(register.tables.get("adjustments"), ctx.as_of)
    matrix = model.matrix
    min_level = matrix.level_index(str(model.unknown["min_level"]))
    serious = evidence.serious_signals(ctx, collected.rows)
    serious_floor = min(int(model.likelihood["serious_floor"]["min_likelihood"]), len(matrix.likelihood))
    area_label = register_schemas()["events"].field("review_area").label
    ownership_label = register_schemas()["providers"].field("ownership").label
    results = []
    # Columns as lists, not to_dict("records") or iteration over Arrow strings: a fifth of the analysis for a large city.
    columns = ["provider_id", "name", "ownership", "service_area", "board", "reviewing_unit", "clients"]
    for pid, name, ownership, service_area, board, reviewing_unit, clients in zip(*(active[c].tolist() for c in columns)):
        l_pos = position(points[pid], model.likelihood_cuts, floor=0.0)
        c_score, c_reasons = consequence[pid]
        c_pos = position(c_score, model.consequence_cuts, floor=1.0)
        likelihood, conseq = _level(l_pos, len(matrix.likelihood)), _level(c_pos, len(matrix.consequence))
        found = sorted(collected.reasons.get(pid, ()), key=_largest_first)
        reasons = [reason for *_, reason in found]
        likelihood_floor = serious_floor if pid in serious else 1
        if likelihood < likelihood_floor:
            # Cut points are calibrated on the spread of ordinary signals; a serious one is never 'unlikely'.
            reasons.insert(0, Reason("serious_floor", "likelihood", 1, 0.0,
                                     f"Allvarlig signal ({serious[pid]}) → sannolikheten är minst {matrix.likelihood[likelihood_floor - 1].name}"))
            likelihood, l_pos = likelihood_floor, float(likelihood_floor)
        applicable, absent = missing[pid]
        never_reviewed = EVIDENCE_KINDS["reviews"] in absent and bool(model.unknown["never_reviewed"])
        # Events are not counted here: a quiet provider and an unrecorded one look alike, and adding the
        # first event must never lift the 'okänd' floor and so lower the risk.
        known = applicable - len(absent) - (EVIDENCE_KINDS["events"] not in absent)
        unknown = never_reviewed or known < int(model.unknown["min_evidence_kinds"])
        floor = min_level if unknown else 0
        if unknown:
            # The coordinates stay those the evidence gives: an unknown provider is not 'likely', only not low.
            note = f"Okänd: {'aldrig granskad' if never_reviewed else 'för lite underlag'} (saknas: {', '.join(absent)})"
            if matrix.grid[likelihood - 1][conseq - 1] < min_level:
                note += f" → risknivån är minst {matrix.levels[min_level].name}"
            reasons.append(Reason("unknown", "likelihood", len(absent), 0.0, note))
        level = level_of(matrix, likelihood, conseq, floor)
        own, others = _adjustment_for(adjustments.get(pid, []), matrix, likelihood, conseq, floor)
        score, risk_value = round(l_pos * c_pos, 3), likelihood * conseq
        final_value = own.risk_value if own and own.risk_value else risk_value
        final_index = matrix.level_index(own.level_id) if own and own.level_id else matrix.levels.index(level)
        results.append(((-final_index, -final_value, -score, pid), dict(
            provider_id=pid, name=text_or_none(name), ownership=None if pd.isna(ownership) else ownership_label(ownership),
            service_area=text_or_none(service_area), board=text_or_none(board),
            reviewing_unit=text_or_none(reviewing_unit), clients=None if pd.isna(clients) else int(clients),
            likelihood=likelihood, consequence=conseq, likelihood_floor=likelihood_floor,
            likelihood_points=round(float(points[pid]), 3),
            consequence_score=round(c_score, 3), score=score, risk_value=risk_value,
            level=level.name, level_id=level.id, color=level.color, unknown=unknown, missing=tuple(absent),
            last_review=None if pd.isna(last.get(pid)) else day(last[pid]),
            reasons=tuple(reasons + c_reasons), areas=_areas(found, area_label), adjustment=own, other_adjustments=others,
        )))
    # Ranked by final level, then the evidence (final risk value, score), then id; each built once with its rank.
    results.sort(key=lambda r: r[0])
    ranked = [ProviderRisk(rank=i, **r) for i, (_, r) in enumerate(results, start=1)]
    providers = tables["providers"].drop_duplicates("provider_id")
    active_ids = set(active.index.tolist())
    inactive = [InactiveProvider(pid, text_or_none(name), text_or_none(area), None if pd.isna(end) else day(end))
                for pid, name, area, end in zip(*(providers[c].tolist() for c in ("provider_id", "name", "service_area", "contract_end")))
                if pid not in active_ids]
    titles = register_schemas()
    return RiskAnalysis(as_of, matrix, ranked, inactive, warnings, [titles[n].title for n in register.absent])


def _likelihood_points(rows: list[dict], pids: pd.Index) -> dict[str, float]:
    """Each provider's likelihood points: the sum of its contribution rows (0 for none)."""
    sums = pd.Series([r["points"] for r in rows], dtype="float64").groupby([r["provider_id"] for r in rows]).sum()
    return sums.reindex(pids, fill_value=0.0).to_dict()


def _largest_first(item: tuple) -> tuple:
    """A provider's reasons, the largest first, then by factor, then as collected (the sort is stable)."""
    return item[0], item[1]


def position(x: float, cuts: tuple[float, ...], floor: float) -> float:
    """A continuous score as a position on the matrix axis: the integer part is the level (1-based),
    the fraction how far into that level the score lies. In the top level, which has no upper cut, the
    fraction keeps growing with the score (x/(x + width)), so the worst provider by evidence ranks first."""
    edges = [floor, *cuts]
    for i in range(len(edges) - 1, -1, -1):
        if x >= edges[i]:
            if i + 1 < len(edges):
                return i + 1 + min(0.999, max(0.0, (x - edges[i]) / (edges[i + 1] - edges[i])))
            width = edges[i] - edges[i - 1] if i > 0 else 1.0
            return i + 1 + (x - edges[i]) / (x - edges[i] + width)
    return 1.0


def _level(pos: float, steps: int) -> int:
    return max(1, min(steps, int(pos)))


def level_of(matrix: Matrix, likelihood: int, consequence: int, floor: int = 0) -> Level:
    """The level of a cell, at least the level with index `floor` (an unknown provider's minimum)."""
    return matrix.levels[max(matrix.grid[likelihood - 1][consequence - 1], floor)]


def _missing_evidence(ctx: Context, last: dict, register: Register) -> dict[str, tuple[int, list[str]]]:
    """Per provider, how many kinds of evidence apply to it and which of them were absent:
    missing evidence is never silent low risk."""
    pids = ctx.providers.index.tolist()  # lists and .tolist(), not iteration over Arrow strings (several times slower)
    recent = {"survey": ctx.as_of.year - 1, "self_report": ctx.as_of.year - 1}
    present: dict[str, set] = {"events": set(pids) if ctx.tables.get("events") is not None else set(),
                               "reviews": {pid for pid in pids if not pd.isna(last.get(pid))}}
    for name, since_year in recent.items():
        data = ctx.table(name)
        present[name] = set() if data is None else set(
            data.loc[(data["year"] >= since_year) & (data["year"] <= ctx.as_of.year), "provider_id"].unique().tolist())
    billing = ctx.table("billing")
    present["billing"] = set() if billing is None else set(
        billing.loc[billing["month"] <= ctx.as_of.strftime("%Y-%m"), "provider_id"].unique().tolist())
    areas = dict(zip(pids, ctx.providers["service_area"].tolist()))
    billed_areas = {areas[pid] for pid in present["billing"]}  # areas that bill hours: elsewhere billing is not missing
    out = {}
    for pid in pids:
        kinds = [k for k in EVIDENCE_KINDS if k != "billing" or areas[pid] in billed_areas]
        out[pid] = (len(kinds), [EVIDENCE_KINDS[k] for k in kinds if pid not in present[k]])
    return out


def _adjustments(table: Table | None, as_of: pd.Timestamp) -> dict[str, list[Adjustment]]:
    """Each provider's decisions up to as-of, oldest first, each with the cell its reason came from."""
    if table is None or table.data.empty:
        return {}
    label = register_schemas()["adjustments"].field("action").label
    data = table.data
    data = data[data["date"].isna() | (data["date"] <= as_of)].sort_values("date", na_position="first", kind="stable")
    out: dict[str, list[Adjustment]] = {}
    for r in data.itertuples():
        if pd.isna(r.action) or pd.isna(r.reason):
            continue
        out.setdefault(r.provider_id, []).append(Adjustment(
            label(r.action), r.action, r.reason, text_or_none(r.decided_by),
            None if pd.isna(r.date) else day(r.date),
            source=Cell(*table.place(r.Index, "reason"))))
    return out


def _adjustment_for(items: list[Adjustment], matrix: Matrix, likelihood: int, consequence: int, floor: int):
    """The latest Höj/Sänk risk applied one likelihood step (an unknown provider keeps its minimum level);
    Inkludera/Exkludera are kept for the plan."""
    risk = [a for a in items if a.action_id in ("raise", "lower")]
    others = tuple(a for a in items if a.action_id not in ("raise", "lower"))
    if not risk:
        return None, others
    latest = risk[-1]
    step = 1 if latest.action_id == "raise" else -1
    adjusted = max(1, min(len(matrix.likelihood), likelihood + step))
    level = level_of(matrix, adjusted, consequence, floor)
    return Adjustment(latest.action, latest.action_id, latest.reason, latest.decided_by, latest.date,
                      adjusted, adjusted * consequence, level.name, level.id, latest.source), others


def _areas(found: list[tuple], label) -> tuple[Area, ...]:
    """The review areas that drive the likelihood (by id, from the collected (points, factor, area id, Reason)):
    the plan's 'särskilda granskningsområden'. Shown, never scored: ties in the order the user reads the labels."""
    totals: dict[str, float] = {}
    for *_, area, reason in found:
        if area is not None and reason.contribution > 0:
            totals[area] = totals.get(area, 0.0) + reason.contribution
    top = sorted(totals.items(), key=lambda kv: (-kv[1], label(kv[0])))[:3]
    return tuple(Area(label(a), a, round(p, 3)) for a, p in top)

