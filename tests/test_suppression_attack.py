"""An attacker with the public plan tries to recover every suppressed count (issue 13).

They know each table's total, every shown count, that "färre än N" is 1 … N−1, and (worst case) that
"visas inte" is at least N. For each hidden small count the test enumerates every assignment of the hidden
cells that fits those facts — an exhaustive search, independent of how the code bounds them — and fails if
only one value is possible.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_cli.plan.public import SECONDARY, hidden_text, suppress


def possible_values(shown: dict, total: int, min_count: int) -> dict[str, set[int]]:
    hidden = [k for k, v in shown.items() if isinstance(v, str)]
    rest = total - sum(v for v in shown.values() if not isinstance(v, str))
    ranges = [range(1, min_count) if shown[k] == hidden_text(min_count) else range(min_count, rest + 1) for k in hidden]
    values: dict[str, set[int]] = {k: set() for k in hidden}
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for k, v in zip(hidden, combo):
                values[k].add(v)
    return values


@settings(max_examples=300, deadline=None)
@given(counts=st.lists(st.integers(0, 14), min_size=1, max_size=5), min_count=st.integers(2, 5))
def test_no_suppressed_count_can_be_worked_out_from_the_total(counts, min_count):
    table = {f"k{i}": v for i, v in enumerate(counts)}
    shown = suppress(table, min_count)
    for k, v in table.items():
        if 0 < v < min_count:
            assert shown[k] == hidden_text(min_count)  # every small count is hidden
        elif not isinstance(shown[k], str):
            assert shown[k] == v  # a shown count is true
        else:
            assert shown[k] == SECONDARY
    for k, options in possible_values(shown, sum(counts), min_count).items():
        if shown[k] == hidden_text(min_count) and any(isinstance(x, int) and x > 0 for x in shown.values()):
            assert len(options) > 1, (table, shown, k, options)


def test_two_ones_and_the_total_no_longer_give_each_other_away():
    """The case the issue found: two hidden cells of 1 beside a shown total were each recoverable."""
    shown = suppress({"Egen regi": 1, "Idéburen": 1, "Privat": 12}, 5)
    assert shown["Privat"] == SECONDARY
    assert all(len(v) > 1 for k, v in possible_values(shown, 14, 5).items() if shown[k] != SECONDARY)


def test_no_count_in_the_public_plan_can_be_worked_out(tmp_path):
    """Every count table of the example's public plan, attacked with the plan's total (shown in its headline)."""
    from conftest import EXAMPLES

    from followup_cli import api

    ws = api.open_workspace(EXAMPLES / "followup.yaml")
    summary = api.plan(ws, year=2026, fmt="json", audience="public").output.data
    total, min_count = summary["total"], summary["min_count"]
    assert isinstance(total, int) and total >= min_count
    tables = [summary[key] for key in ("by_service_area", "by_method", "by_review_type", "by_quarter")]
    hidden_somewhere = False
    for rows in tables:
        shown = {r["label"]: r["count"] for r in rows}
        assert sum(v for v in shown.values() if isinstance(v, int)) <= total
        for label, options in possible_values(shown, total, min_count).items():
            hidden_somewhere = True
            if shown[label] == hidden_text(min_count):
                assert len(options) > 1, (label, shown)
    assert hidden_somewhere, "the example has small counts to hide, so the attack is exercised"
