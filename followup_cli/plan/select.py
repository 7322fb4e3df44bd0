"""Choose the reviews: the most risk covered within each unit's hours, rules as constraints.

Each reviewing unit has its own hours and every candidate belongs to one
unit, so the problem splits into one mixed-integer program per unit, solved
by HiGHS. Objectives are integers and solved lexicographically on the same
model (the risk covered, then the number of reviews, then the level's own
method over the light one), and interchangeable candidates are taken in
rank order (risk, then Utförar-ID), so the same input always gives the
same plan. HiGHS itself is reached only through plan/highs.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.plan import highs
from followup_cli.plan.config import PlanConfig
from followup_cli.plan.rules import Candidate, Option, draw

NO_UNIT = "(ingen uppföljande enhet)"


@dataclass
class Selection:
    chosen: dict[str, Option] = field(default_factory=dict)  # candidate key → the option planned
    dropped: dict[str, list[str]] = field(default_factory=dict)  # unit → mandatory candidate keys that did not fit
    hours_short: dict[str, float] = field(default_factory=dict)  # unit → mandatory hours beyond what it has
    warnings: list[str] = field(default_factory=list)


def select(candidates: list[Candidate], config: PlanConfig) -> Selection:
    result = Selection()
    by_unit: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.excluded is None:
            by_unit.setdefault(c.unit or NO_UNIT, []).append(c)
    solver = None
    for unit in sorted(by_unit):
        items = sorted(by_unit[unit], key=lambda c: (c.provider.rank, c.key))
        available = config.available(unit) if unit != NO_UNIT else 0.0
        forced = _forced(unit, items, available, config, result)
        forced_keys = {c.key for c in forced}
        pool = forced + [c for c in items if c.key not in forced_keys and not c.mandatory and not c.sample]
        if not any(c.options for c in pool):
            continue
        solver = solver or highs.new_solver(config.solver_time_limit)
        for c, choice in zip(pool, _solve(solver, pool, len(forced), available, unit, config, result)):
            if choice is not None:
                result.chosen[c.key] = c.options[choice]
    return result


def _forced(unit: str, items: list[Candidate], available: float, config: PlanConfig, result: Selection) -> list[Candidate]:
    """The mandatory items, then the sample, as far as the hours reach.

    When the mandatory items alone exceed the hours, they are kept in rank order (highest risk first) while
    their light form fits, and the rest are reported as the shortfall: a rule a reader can check by hand."""
    mandatory = [c for c in items if c.mandatory]
    left = available
    forced: list[Candidate] = []
    need = sum(c.cheapest.hours for c in mandatory)
    for c in mandatory:
        if need <= available + 1e-9 or c.cheapest.hours <= left + 1e-9:
            forced.append(c)
            left -= c.cheapest.hours
        else:
            result.dropped.setdefault(unit, []).append(c.key)
    if unit in result.dropped:
        result.hours_short[unit] = round(need - available, 1)
    for c in sorted((c for c in items if c.sample), key=lambda c: draw(config.sample_seed, c.provider_id)):
        if c.cheapest.hours <= left + 1e-9:  # a sample item the hours do not reach is left out, and says so
            forced.append(c)
            left -= c.cheapest.hours
    return forced


def _solve(solver, pool: list[Candidate], forced: int, available: float, unit: str, config: PlanConfig,
           result: Selection) -> list[int | None]:
    """The chosen option per candidate (None: not planned); the first `forced` candidates must be planned.

    Candidates with the same options (methods, hours, risk value) and the same obligation are
    interchangeable, so the program counts how many of each class get each option: a few dozen integer
    variables instead of thousands of binaries, and no symmetric branches for the solver to prove equal.
    Within a class the highest ranked candidates (risk, then Utförar-ID) get the options first."""
    import numpy as np

    classes: dict[tuple, list[int]] = {}
    for i, c in enumerate(pool):
        classes.setdefault((i < forced, c.options), []).append(i)
    keys = list(classes)
    columns = [(k, j) for k, key in enumerate(keys) for j in range(len(key[1]))]
    n, groups = len(columns), len(keys)
    sizes = [float(len(classes[key])) for key in keys]
    # First the risk covered; among plans covering as much, the most reviews; then the level's own method over the light one.
    objectives = [np.array([keys[k][1][j].value for k, j in columns], dtype=float),
                  np.ones(n),
                  np.array([0.0 if keys[k][1][j].light else 1.0 for k, j in columns])]
    # Row k: how many of class k are planned (all of a forced class, at most all of any other); the last row: hours.
    highs.pass_integer_program(
        solver, objectives[0],
        upper=np.array([sizes[k] for k, _ in columns]),
        row_lower=np.array([sizes[k] if key[0] else 0.0 for k, key in enumerate(keys)] + [-highs.INFINITY]),
        row_upper=np.array(sizes + [available + 1e-6]),
        starts=np.arange(0, 2 * n + 1, 2),
        rows=np.array([r for k, _ in columns for r in (k, groups)]),
        coefficients=np.array([v for k, j in columns for v in (1.0, keys[k][1][j].hours)]))
    counts = held = None
    for cost in objectives:
        if counts is not None:  # the objective just solved stays at its optimum while the next is maximised
            highs.add_row_at_least(solver, held, float(held @ counts) - 0.5)
            highs.change_cost(solver, cost)
        solution = highs.solve(solver)
        if solution.status == "time limit":
            result.warnings.append(f"{unit}: lösaren avbröts efter {config.solver_time_limit:g} s och planen är den bästa den hittat, "
                                   "kanske inte den bästa möjliga. Höj plan.solver_time_limit.")
        elif not solution.usable:
            result.warnings.append(f"{unit}: lösaren hittade ingen plan ({solution.status}); "
                                   "bara det obligatoriska planeras.")
            break
        values = solution.values
        if len(values) != n:
            break
        counts, held = np.round(values), cost
    chosen: list[int | None] = [0 if i < forced else None for i in range(len(pool))]
    if counts is None:
        return chosen
    column_of = {kj: c for c, kj in enumerate(columns)}
    for k, key in enumerate(keys):
        members = iter(classes[key])  # in rank order, as the pool is
        for j in sorted(range(len(key[1])), key=lambda j: key[1][j].light):
            for _ in range(int(counts[column_of[(k, j)]])):
                chosen[next(members)] = j
        for rest in members:
            chosen[rest] = None
    return chosen
