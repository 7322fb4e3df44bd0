"""Choose the reviews: the most risk covered within each unit's hours, rules as constraints.

Each reviewing unit has its own hours and every candidate belongs to one
unit, so the problem splits into one small mixed-integer program per unit,
solved by HiGHS through scipy.optimize.milp. Objectives are integers and
solved lexicographically (first the risk covered, then the ranking as a
tie-break), so among equally good plans the same one always comes out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.plan.config import PlanConfig
from followup_cli.plan.rules import Candidate, Option, draw

NO_UNIT = "(ingen uppföljande enhet)"


@dataclass
class Selection:
    chosen: dict[str, Option] = field(default_factory=dict)  # candidate key → the option planned
    dropped: dict[str, list[str]] = field(default_factory=dict)  # unit → mandatory candidate keys that did not fit
    hours_short: dict[str, float] = field(default_factory=dict)  # unit → mandatory hours beyond what it has
    sample_dropped: list[str] = field(default_factory=list)  # sample candidates the hours did not reach
    warnings: list[str] = field(default_factory=list)


def select(candidates: list[Candidate], config: PlanConfig) -> Selection:
    result = Selection()
    by_unit: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.excluded is None:
            by_unit.setdefault(c.unit or NO_UNIT, []).append(c)
    for unit in sorted(by_unit):
        _select_unit(unit, by_unit[unit], config.available(unit) if unit != NO_UNIT else 0.0, config, result)
    return result


def _select_unit(unit: str, items: list[Candidate], available: float, config: PlanConfig, result: Selection) -> None:
    items = sorted(items, key=lambda c: (c.provider.rank, c.key))
    mandatory = [c for c in items if c.mandatory]
    need = sum(c.cheapest.hours for c in mandatory)
    if need > available + 1e-9:
        kept = _mandatory_that_fit(mandatory, available, config, unit, result)
        dropped = [c for c in mandatory if c.key not in kept]
        result.dropped[unit] = [c.key for c in dropped]
        result.hours_short[unit] = round(need - available, 1)
        forced = [c for c in mandatory if c.key in kept]
    else:
        forced = list(mandatory)
    left = available - sum(c.cheapest.hours for c in forced)
    for c in sorted((c for c in items if c.sample), key=lambda c: draw(config.sample_seed, c.provider_id)):
        if c.cheapest.hours <= left + 1e-9:
            forced.append(c)
            left -= c.cheapest.hours
        else:
            result.sample_dropped.append(c.key)
    forced_keys = {c.key for c in forced}
    free = [c for c in items if c.key not in forced_keys and not c.mandatory and not c.sample]
    pool = forced + free
    values = [[o.value for o in c.options] for c in pool]
    # Among plans covering the same risk: the providers ranked highest, and the level's own method over the light one.
    weight = {c.key: len(pool) - i for i, c in enumerate(sorted(pool, key=lambda c: (c.provider.rank, c.key)))}
    ranking = [[2 * weight[c.key] + (not o.light) for o in c.options] for c in pool]
    x = _solve(pool, [values, ranking], available, [c.key in forced_keys for c in pool], config, unit, result)
    for c, choice in zip(pool, x):
        if choice is not None:
            result.chosen[c.key] = c.options[choice]


def _mandatory_that_fit(mandatory: list[Candidate], available: float, config: PlanConfig, unit: str, result: Selection) -> set[str]:
    """When the mandatory items alone exceed the hours: keep the most risk, and say which did not fit."""
    cheapest = [c.cheapest for c in mandatory]
    singles = [Candidate(c.key, c.provider, c.kind, c.review_type_id, c.unit, (o,), False, c.reasons, c.window) for c, o in zip(mandatory, cheapest)]
    risk = [[c.provider.final_value * 10 + 1] for c in mandatory]
    ranking = [[len(mandatory) - i] for i in range(len(mandatory))]
    x = _solve(singles, [risk, ranking], available, [False] * len(singles), config, unit, result)
    return {c.key for c, choice in zip(mandatory, x) if choice is not None}


def _solve(pool: list[Candidate], objectives: list[list[list[int]]], available: float, forced: list[bool],
           config: PlanConfig, unit: str, result: Selection) -> list[int | None]:
    """Maximise each objective in turn, holding the earlier ones at their optimum. Returns the chosen option per candidate."""
    if not pool:
        return []
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    columns = [(i, j) for i, c in enumerate(pool) for j in range(len(c.options))]
    n = len(columns)
    rows, cols = zip(*((i, k) for k, (i, _) in enumerate(columns)))
    groups = coo_matrix((np.ones(n), (rows, cols)), shape=(len(pool), n)).tocsr()
    hours = np.array([pool[i].options[j].hours for i, j in columns])
    constraints = [
        LinearConstraint(groups, np.array([1.0 if f else 0.0 for f in forced]), np.ones(len(pool))),
        LinearConstraint(hours.reshape(1, -1), -np.inf, available + 1e-6),
    ]
    x = None
    for objective in objectives:
        c = np.array([objective[i][j] for i, j in columns], dtype=float)
        if not c.any():
            continue
        solved = milp(-c, integrality=np.ones(n), bounds=Bounds(0, 1), constraints=constraints,
                      options={"time_limit": config.solver_time_limit, "mip_rel_gap": 0.0, "disp": False})
        if solved.x is None:
            result.warnings.append(f"{unit}: lösaren hittade ingen plan ({solved.message}); bara det obligatoriska planeras.")
            break
        if solved.status == 1:
            result.warnings.append(f"{unit}: lösaren avbröts efter {config.solver_time_limit:g} s och planen är den bästa den hittat, "
                                   "kanske inte den bästa möjliga. Höj plan.solver_time_limit.")
        x = solved.x
        best = float(c @ np.round(x))
        constraints.append(LinearConstraint(c.reshape(1, -1), best - 0.5, np.inf))
    chosen: list[int | None] = [None] * len(pool)
    if x is None:
        return [0 if f else None for f in forced]
    for k, (i, j) in enumerate(columns):
        if x[k] > 0.5:
            chosen[i] = j
    return chosen
