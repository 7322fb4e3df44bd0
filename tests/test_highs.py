"""plan/highs.py against the installed highspy: small integer programs whose answers can be checked by hand."""

from __future__ import annotations

import numpy as np

from followup_cli.plan import highs

# Three items of weight 2, 3 and 1 and value 5, 4 and 3, at most one of each, weight at most 5.
# By hand: {0, 1} weighs 5 and is worth 9; {0, 2} is worth 8; {1, 2} is worth 7; all three weigh 6.
# The LP relaxation would take item 2 whole and 2/3 of item 1 (worth 10.67), so an integer answer is a real check.
KNAPSACK = dict(upper=np.ones(3), row_lower=np.array([-highs.INFINITY]), row_upper=np.array([5.0]),
                starts=np.array([0, 1, 2, 3]), rows=np.array([0, 0, 0]), coefficients=np.array([2.0, 3.0, 1.0]))


def test_a_small_knapsack_gets_its_integer_optimum():
    solver = highs.new_solver(time_limit=10)
    highs.pass_integer_program(solver, np.array([5.0, 4.0, 3.0]), **KNAPSACK)
    solution = highs.solve(solver)
    assert solution.status == "optimal" and solution.usable
    assert list(np.round(solution.values)) == [1, 1, 0]


def test_a_second_objective_is_maximised_while_the_first_is_held():
    # First the value 5, 4, 3 as above (optimum 9: items 0 and 1). Holding a value above 8.5, the count of items
    # cannot rise (three items do not fit), but an objective preferring item 2 must not take it: 0+2 is worth only 8.
    solver = highs.new_solver(time_limit=10)
    value = np.array([5.0, 4.0, 3.0])
    highs.pass_integer_program(solver, value, **KNAPSACK)
    first = np.round(highs.solve(solver).values)
    highs.add_row_at_least(solver, value, float(value @ first) - 0.5)
    highs.change_cost(solver, np.array([0.0, 0.0, 1.0]))
    second = highs.solve(solver)
    assert second.status == "optimal" and list(np.round(second.values)) == [1, 1, 0]


def test_an_impossible_program_says_why_and_is_not_usable():
    solver = highs.new_solver(time_limit=10)
    # x0 at most 1, but the one row asks for x0 ≥ 2.
    highs.pass_integer_program(solver, np.array([1.0]), upper=np.array([1.0]), row_lower=np.array([2.0]),
                               row_upper=np.array([highs.INFINITY]), starts=np.array([0, 1]), rows=np.array([0]),
                               coefficients=np.array([1.0]))
    solution = highs.solve(solver)
    assert not solution.usable and "infeasible" in solution.status.lower() and len(solution.values) == 0


def test_a_new_solver_prints_nothing_to_standard_output(capfd):
    highs.new_solver(time_limit=1)
    out, _ = capfd.readouterr()
    assert out == ""
