"""The example municipality's 2026 plan read as a quality strategist reads it before it goes to the board
(issue 9): the riskiest providers get their level's method, urgent follow-ups come early, one visit per
provider, and every "why" is true. Named providers are those the issue names."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import EXAMPLES

from followup_cli import api


@pytest.fixture(scope="module")
def plan():
    return api.plan(api.open_workspace(EXAMPLES / "followup.yaml"), year=2026).plan


def _visits(plan, pid):
    """A provider's own review (themes are separate items)."""
    return [i for i in plan.items if i.provider_id == pid and not i.theme]


def test_the_example_plan_fits_its_hours(plan):
    assert not plan.shortfall


def _overdue_action_plan(pid):
    """The id of the provider's finding whose action plan was due in 2025 and has not come (from the register)."""
    import pandas as pd

    findings = pd.read_excel(EXAMPLES / "register.xlsx", sheet_name="Brister", dtype=str, engine="openpyxl")
    late = findings[(findings["Utförar-ID"] == pid) & findings["Åtgärdsplan inkommen"].isna()
                    & findings["Åtgärdsplan senast"].str.startswith("2025", na=False)]
    (finding_id,) = late["Brist-ID"]
    return finding_id


@pytest.mark.parametrize("pid, why", [
    ("SÄBO-006", "sanktion"),  # Varning med åtgärdsplan and an open serious finding
    ("HT-004", None),  # its action plan was due 2025-11-20 and has not come
])
def test_an_urgent_follow_up_is_one_site_visit_within_two_months(plan, pid, why):
    why = why or _overdue_action_plan(pid)
    (visit,) = _visits(plan, pid)
    assert visit.method_id == "site_visit" and visit.month <= 2
    assert any(why in r for r in visit.reasons), visit.reasons


def test_every_high_risk_provider_gets_its_levels_site_visit(plan):
    excluded = {n.provider_id for n in plan.not_selected if n.excluded}
    levels = {i.provider_id: i.level_id for i in plan.items}
    for pid, level in levels.items():
        if level in ("high", "very_high") and pid not in excluded:
            assert [v.method_id for v in _visits(plan, pid)] == ["site_visit"], pid


def test_very_high_risk_comes_in_the_first_quarter_unless_a_recent_review_forbids_it(plan):
    for i in plan.items:
        if i.level_id == "very_high" and not i.theme and i.month > 3:
            assert any("minst 6 månader" in r for r in i.reasons), (i.provider_id, i.month, i.reasons)


def test_ht_002_is_not_visited_again_within_six_months_of_its_triggered_visit(plan):
    (visit,) = _visits(plan, "HT-002")
    assert visit.month >= 5  # reviewed 2025-11-18
    assert any("2025-11-18" in r for r in visit.reasons)


def test_one_visit_per_provider_and_the_not_planned_list_holds_only_providers_without_one(plan):
    per_provider = defaultdict(int)
    for i in plan.items:
        if not i.theme:
            per_provider[i.provider_id] += 1
    assert max(per_provider.values()) == 1
    assert not {n.provider_id for n in plan.not_selected} & set(per_provider)


def test_a_self_report_is_never_called_a_quality_review_nor_the_only_follow_up_of_a_mandatory_provider(plan):
    for i in plan.items:
        if i.method_id == "self_report":
            assert i.review_type_id == "self_report_review" and not i.mandatory, i.provider_id
