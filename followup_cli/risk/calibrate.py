"""Levels that discriminate: how the providers spread over the levels, and cut points that give target shares.

A board can act on "the ten providers at very high risk", not on "ninety". The
cut points turn continuous evidence into matrix steps; where they lie decides
how many providers land in each level. `calibrate` searches, for the providers
of one analysis, the likelihood and consequence cut points whose levels come
closest to `risk.target_shares`, counting levels as every output does: an
unknown provider at least at its minimum level, an adjusted one at its
adjusted level. Pure and deterministic: the same analysis gives the same cut
points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from followup_cli.risk.model import RiskModel
from followup_cli.risk.results import RiskAnalysis
from followup_cli.swedish import percent, sv

DECIMALS = 2  # cut points are printed, and evaluated, with this many decimals
CONSEQUENCE_KEPT_WITHIN = 0.025  # the consequence scale is kept when likelihood alone gets every share this close
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
# The narrowest a step may be: a likelihood step narrower than half a point, or a consequence step narrower than a
# fifth of a step of vulnerability, would be a level in name only.
MIN_GAP = {"l": 0.5, "c": 0.2}


@dataclass(frozen=True)
class Axis:
    """One axis of the matrix under the current cut points: its values' spread and the providers per step."""

    name: str  # "likelihood" or "consequence"
    quantiles: tuple[tuple[str, float], ...]  # ("min", x), ("10 %", x) ... ("max", x)
    cuts: tuple[float, ...]
    steps: tuple[tuple[str, int], ...]  # step name, providers
    proposed: tuple[float, ...]


@dataclass(frozen=True)
class Calibration:
    providers: int
    levels: tuple[tuple[str, str], ...]  # (id, name), lowest first
    target: dict[str, float]
    current: dict[str, float]  # share per level id under the current cut points
    proposed: dict[str, float]  # share per level id under the proposed cut points
    likelihood: Axis
    consequence: Axis
    consequence_kept: bool  # likelihood alone reached the targets, so the consequence scale was left as it is

    def settings(self) -> dict:
        """The proposed cut points as the `risk:` section of followup.yaml."""
        return {"risk": {"likelihood": {"cut_points": list(self.likelihood.proposed)},
                         "consequence": {"cut_points": list(self.consequence.proposed)}}}

    def to_dict(self) -> dict:
        return {
            "providers": self.providers, "levels": [{"id": i, "name": n} for i, n in self.levels],
            "target_shares": self.target, "current_shares": self.current, "proposed_shares": self.proposed,
            "likelihood": _axis_dict(self.likelihood), "consequence": _axis_dict(self.consequence),
            "consequence_kept": self.consequence_kept, "settings": self.settings(),
        }


def _axis_dict(axis: Axis) -> dict:
    return {"quantiles": dict(axis.quantiles), "current_cut_points": list(axis.cuts),
            "providers_per_step": dict(axis.steps), "proposed_cut_points": list(axis.proposed)}


# ---------------------------------------------------------------------------------------------- the top share

def top_share(analysis: RiskAnalysis) -> float:
    """The share of active providers whose final level is the highest."""
    if not analysis.providers:
        return 0.0
    top = analysis.matrix.levels[-1].id
    return sum(p.final_level_id == top for p in analysis.providers) / len(analysis.providers)


def top_share_warning(analysis: RiskAnalysis, model: RiskModel) -> str | None:
    """A sentence when too many providers share the top level for it to single anyone out."""
    share = top_share(analysis)
    if share <= model.max_top_share:
        return None
    n, top = round(share * len(analysis.providers)), analysis.matrix.levels[-1].name
    return (f"{percent(share, 1)} av de aktiva utförarna ({n} av {len(analysis.providers)}) har nivån {top}, fler än "
            f"{percent(model.max_top_share)} (risk.max_top_share): nivån skiljer inte ut de utförare som behöver granskas "
            f"först. Kör followup risk-analyze --calibrate för brytpunkter som ger andelarna i risk.target_shares.")


# ---------------------------------------------------------------------------------------------- the search

@dataclass(frozen=True)
class _Population:
    points: np.ndarray  # likelihood points
    scores: np.ndarray  # consequence scores
    floor: np.ndarray  # the lowest level index each provider may have (an unknown provider's minimum)
    l_floor: np.ndarray  # the lowest likelihood index (0-based) a serious signal gives
    step: np.ndarray  # the strategist's likelihood step (+1, -1 or 0)
    grid: np.ndarray
    n_levels: int

    def shares(self, l_cuts, c_cuts) -> np.ndarray:
        """The share of providers per level under these cut points, as the analysis would count them."""
        likelihood = np.searchsorted(np.asarray(l_cuts), self.points, side="right")  # 0-based: cuts at or below
        likelihood = np.maximum(likelihood, self.l_floor)
        likelihood = np.clip(likelihood + self.step, 0, self.grid.shape[0] - 1)
        consequence = np.searchsorted(np.asarray(c_cuts), self.scores, side="right")
        levels = np.maximum(self.grid[likelihood, consequence], self.floor)
        return np.bincount(levels, minlength=self.n_levels) / max(1, len(self.points))


def calibrate(analysis: RiskAnalysis, model: RiskModel) -> Calibration:
    """The cut points that bring the providers' final levels closest to the target shares.

    Likelihood first, the consequence scale as it is; only if that leaves a share further than
    CONSEQUENCE_KEPT_WITHIN from its target are both searched together (consequence is what is at
    stake, a steadier scale than the signals)."""
    if model.target_shares is None:
        from followup_cli.errors import InputError

        raise InputError("risk.target_shares ska ha en andel för varje nivå i matrisen (ids: "
                         f"{', '.join(lv.id for lv in model.matrix.levels)}); lägg till det i followup.yaml.")
    matrix = model.matrix
    floor_index = matrix.level_index(str(model.unknown["min_level"]))
    ps = analysis.providers
    population = _Population(
        np.array([p.likelihood_points for p in ps], dtype=float), np.array([p.consequence_score for p in ps], dtype=float),
        np.array([floor_index if p.unknown else 0 for p in ps], dtype=int),
        np.array([p.likelihood_floor - 1 for p in ps], dtype=int),
        np.array([(1 if p.adjustment.action_id == "raise" else -1) if p.adjusted else 0 for p in ps], dtype=int),
        np.array(matrix.grid, dtype=int), len(matrix.levels))
    target = np.array([model.target_shares[lv.id] for lv in matrix.levels])
    l_now, c_now = model.likelihood_cuts, model.consequence_cuts

    l_new = _search(population, target, list(l_now), list(c_now), axes=("l",))[0]
    c_new = list(c_now)
    kept = bool(np.max(np.abs(population.shares(l_new, c_new) - target)) <= CONSEQUENCE_KEPT_WITHIN)
    if not kept:
        l_new, c_new = _search(population, target, l_new, c_new, axes=("l", "c"))

    ids = [lv.id for lv in matrix.levels]
    as_dict = lambda shares: {i: round(float(s), 4) for i, s in zip(ids, shares)}  # noqa: E731
    return Calibration(
        len(ps), tuple((lv.id, lv.name) for lv in matrix.levels), dict(model.target_shares),
        as_dict(population.shares(l_now, c_now)), as_dict(population.shares(l_new, c_new)),
        _axis("likelihood", population.points, l_now, [s.name for s in matrix.likelihood], l_new),
        _axis("consequence", population.scores, c_now, [s.name for s in matrix.consequence], c_new), kept)


def _axis(name: str, values: np.ndarray, cuts, steps: list[str], proposed) -> Axis:
    if len(values):
        qs = (("min", float(values.min())), *((f"{round(q * 100)} %", float(np.quantile(values, q))) for q in QUANTILES),
              ("max", float(values.max())))
    else:
        qs = ()
    per_step = np.bincount(np.searchsorted(np.asarray(cuts), values, side="right"), minlength=len(steps))
    return Axis(name, tuple((k, round(v, 3)) for k, v in qs), tuple(cuts),
                tuple((s, int(n)) for s, n in zip(steps, per_step)), tuple(proposed))


def _candidates(values: np.ndarray, limit: int = 400) -> np.ndarray:
    """Where a cut point can usefully lie: between neighbouring values (rounded as printed), and just past the ends."""
    unique = np.unique(values)
    if len(unique) == 0:
        return np.array([0.0, 1.0])
    mids = (unique[:-1] + unique[1:]) / 2
    found = np.unique(np.round(np.concatenate([[unique[0] - 0.01], mids, [unique[-1] + 0.01]]), DECIMALS))
    if len(found) > limit:  # a large city: every quantile step is enough
        found = np.unique(np.round(np.quantile(found, np.linspace(0, 1, limit)), DECIMALS))
    return found


def _search(population: _Population, target: np.ndarray, l_cuts: list, c_cuts: list, axes: tuple[str, ...]):
    """Coordinate descent over the cut points of `axes`, each moved in turn to its best place between its
    neighbours, until none moves. Starts from the given cut points and from cut points at the target's
    quantiles, and keeps the best; the error is the squared distance of the shares from the target, and among
    equals the cut points nearest the given ones win."""
    given = (list(l_cuts), list(c_cuts))
    options = {"l": _candidates(population.points), "c": _candidates(population.scores)}
    starts = [(np.round(l_cuts, DECIMALS).tolist(), np.round(c_cuts, DECIMALS).tolist())]
    for axis in axes:
        values = population.points if axis == "l" else population.scores
        n = len(l_cuts) if axis == "l" else len(c_cuts)
        if len(values):
            spread = np.round(np.quantile(values, np.linspace(0, 1, n + 2)[1:-1]), DECIMALS).tolist()
            if all(b - a >= MIN_GAP[axis] for a, b in zip(spread, spread[1:])):
                starts.append((spread, starts[0][1]) if axis == "l" else (starts[0][0], spread))

    def cost(lc, cc) -> tuple[float, float]:
        error = float(np.sum((population.shares(lc, cc) - target) ** 2))
        moved = sum(abs(a - b) for a, b in zip(lc, given[0])) + sum(abs(a - b) for a, b in zip(cc, given[1]))
        return round(error, 12), moved

    best = None
    for lc, cc in starts:
        cuts = {"l": list(lc), "c": list(cc)}
        current = cost(cuts["l"], cuts["c"])
        for _ in range(50):
            changed = False
            for axis in axes:
                for i in range(len(cuts[axis])):
                    low = cuts[axis][i - 1] + MIN_GAP[axis] if i > 0 else -np.inf
                    high = cuts[axis][i + 1] - MIN_GAP[axis] if i + 1 < len(cuts[axis]) else np.inf
                    for value in options[axis][(options[axis] >= low) & (options[axis] <= high)]:
                        trial = dict(cuts)
                        trial[axis] = [*cuts[axis][:i], float(value), *cuts[axis][i + 1:]]
                        c = cost(trial["l"], trial["c"])
                        if c < current:
                            current, cuts, changed = c, trial, True
            if not changed:
                break
        if best is None or current < best[0]:
            best = (current, cuts)
    _, cuts = best
    return [round(v, DECIMALS) for v in cuts["l"]], [round(v, DECIMALS) for v in cuts["c"]]


def describe(calibration: Calibration) -> list[str]:
    """The distribution and the comparison in words, one line each (the CLI prints them as YAML comments)."""
    lines = [f"Kalibrering på {calibration.providers} aktiva utförare; nivåerna räknas som i alla utdata "
             "(en okänd utförare minst på sin lägsta nivå, en justerad på sin justerade nivå)."]
    for axis, title in ((calibration.likelihood, "Sannolikhetspoäng"), (calibration.consequence, "Konsekvenspoäng")):
        spread = " · ".join(f"{k} {sv(v, 2)}" for k, v in axis.quantiles)
        lines.append(f"{title}: {spread}")
        per_step = ", ".join(f"{s} {n}" for s, n in axis.steps)
        lines.append(f"  nuvarande brytpunkter {' · '.join(sv(c, 2) for c in axis.cuts)} → {per_step}")
    lines.append("")
    lines.append(f"{'Risknivå':<14}{'nu':>8}{'mål':>8}{'föreslaget':>12}")
    for level_id, name in reversed(calibration.levels):
        lines.append(f"{name:<14}{percent(calibration.current[level_id]):>8}{percent(calibration.target[level_id]):>8}"
                     f"{percent(calibration.proposed[level_id]):>12}")
    if calibration.consequence_kept:
        lines.append("Konsekvensens brytpunkter behålls: sannolikhetens brytpunkter räcker för att nå målen.")
    return lines
