"""Every use of highspy, HiGHS's Python interface: a solver without its banner, an integer program, its solution.

highspy's API (HighsLp's fields, MatrixFormat, the model status enum) is
low-level and changes between releases; kept here, select.py states its
problem in arrays, and tests/test_highs.py solves a small program with a
known answer through these functions against the installed highspy.

highspy rather than scipy.optimize.milp: importing scipy.optimize took 0.35 s
on the benchmark machine against 0.014 s for highspy, and highspy keeps the
model between lexicographic objectives.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

INFINITY = float("inf")  # an open row bound; highspy.kHighsInf is the same value


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal", "time limit" or, when HiGHS found no solution, its own words for why
    values: np.ndarray  # the columns' values; empty when HiGHS has none

    @property
    def usable(self) -> bool:
        """Optimal, or the best found before the time limit."""
        return self.status in ("optimal", "time limit")


def new_solver(time_limit: float):
    """A silent HiGHS instance that proves optimality exactly (no relative gap) within `time_limit` seconds.

    Its constructor prints a banner to the process's standard output (file descriptor 1) before any
    option can be set, and standard output may carry JSON; so the descriptor points at the null device
    for that one call."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    solver.silent()
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("time_limit", float(time_limit))
    return solver


def pass_integer_program(solver, cost: np.ndarray, upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray,
                         starts: np.ndarray, rows: np.ndarray, coefficients: np.ndarray) -> None:
    """Maximise cost·x over integers 0 ≤ x ≤ upper with row_lower ≤ A·x ≤ row_upper (±INFINITY: open).

    A is given column by column: column j's coefficients are coefficients[starts[j]:starts[j+1]], in the
    rows rows[starts[j]:starts[j+1]]. Replaces any model the solver held."""
    import highspy
    import numpy as np

    n = len(cost)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(row_lower)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(rows, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(coefficients, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(cost, dtype=float)
    solver.passModel(lp)


def add_row_at_least(solver, coefficients: np.ndarray, lower: float) -> None:
    """A constraint coefficients·x ≥ lower over every column (to hold one objective while the next is maximised)."""
    import numpy as np

    n = len(coefficients)
    solver.addRow(float(lower), INFINITY, n, np.arange(n, dtype=np.int32), np.asarray(coefficients, dtype=float))


def change_cost(solver, cost: np.ndarray) -> None:
    """A new objective over every column, still maximised."""
    import numpy as np

    n = len(cost)
    solver.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(cost, dtype=float))


def solve(solver) -> Solution:
    import highspy
    import numpy as np

    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        word = "optimal"
    elif status == highspy.HighsModelStatus.kTimeLimit:
        word = "time limit"
    else:
        return Solution(solver.modelStatusToString(status), np.zeros(0))
    return Solution(word, np.array(solver.getSolution().col_value))
