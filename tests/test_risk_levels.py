"""Issue 9, parts 6 and 7: unknown is its own mark, and levels that discriminate.

Named providers of examples/ where the issue names them; small registers built here for the properties;
the benchmark city's generator for the calibration.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_risk_model import FINDING_HEADERS, Prov, ago, analyse, by_id, contribution, ev, fd, rv, sheets

from followup_cli import api
from followup_cli.risk.analyze import position
from followup_cli.risk.model import load_model

EXAMPLE_DAY = "2025-12-31"
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def example():
    return api.analyze(api.open_workspace(cwd=ROOT / "examples"), as_of=EXAMPLE_DAY)


def _cell(model, points: float, score: float) -> tuple[int, int]:
    """The coordinates the model's cut points give, as the analysis must keep them."""
    steps_l, steps_c = len(model.matrix.likelihood), len(model.matrix.consequence)
    return (max(1, min(steps_l, int(position(points, model.likelihood_cuts, 0.0)))),
            max(1, min(steps_c, int(position(score, model.consequence_cuts, 1.0)))))


# --------------------------------------------------------------------------------------- 6. unknown is its own mark

def test_dv_001_keeps_the_coordinates_its_evidence_gives_and_is_marked_unknown(example):
    run = example
    dv = by_id(run.analysis)["DV-001"]
    assert dv.unknown and "granskning" in dv.missing
    assert (dv.likelihood, dv.consequence) == _cell(run.model, dv.likelihood_points, dv.consequence_score)
    floor = run.model.matrix.level_index(run.model.unknown["min_level"])
    computed = run.model.matrix.grid[dv.likelihood - 1][dv.consequence - 1]
    assert run.model.matrix.level_index(dv.level_id) == max(computed, floor)
    # The matrix shows it in the Okänd row of its consequence column, not in a likelihood row.
    unknown = [p for p in run.analysis.providers if p.unknown]
    assert run.analysis.unknown_counts()[dv.consequence - 1] == sum(p.consequence == dv.consequence for p in unknown)
    assert sum(map(sum, run.analysis.counts())) == len(run.analysis.providers) - len(unknown)


def test_the_okand_row_is_in_the_terminal_matrix_and_the_workbook(workspace, cli, tmp_path):
    from openpyxl import load_workbook

    result = cli("risk-analyze", "--as-of", EXAMPLE_DAY, "--out", tmp_path / "risk.xlsx", cwd=workspace)
    assert result.code == 0
    okand = next(line for line in result.stdout.splitlines() if line.strip().startswith("Okänd:"))
    analysis = api.analyze(api.open_workspace(cwd=workspace), as_of=EXAMPLE_DAY).analysis
    assert [int(n) for n in okand.split(":")[1].split()] == analysis.unknown_counts()
    sheet = load_workbook(tmp_path / "risk.xlsx")["Matris"]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Okänd")
    assert [c.value for c in row[2:2 + len(analysis.matrix.consequence)]] == analysis.unknown_counts()


def test_the_summary_counts_an_adjusted_provider_at_its_adjusted_level(workspace, cli):
    analysis = api.analyze(api.open_workspace(cwd=workspace), as_of=EXAMPLE_DAY).analysis
    adjusted = [p for p in analysis.providers if p.adjusted]
    assert adjusted, "examples/ has a Höj risk (SÄBO-008)"
    result = cli("risk-analyze", "--as-of", EXAMPLE_DAY, cwd=workspace)
    for level in analysis.matrix.levels:
        n = sum(p.final_level_id == level.id for p in analysis.providers)
        k = sum(p.final_level_id == level.id for p in adjusted)
        assert f"{n} {level.name}" + (f" (varav {k} justerad" if k else "") in result.stderr


def _requirement_register(krav_id: str | None, consequence: int, area: str = "Hemtjänst", clients: int = 40):
    finding = ["B-1", "A", "G-1", krav_id, "Dokumentation", "Brist", "Beskrivning", None, None, None, "Ingen", None]
    content = sheets([Prov("A", area=area, clients=clients)], reviews=[rv("G-1", "A", 100)], findings=[finding])
    content["Brister"] = [FINDING_HEADERS, finding]
    content["Krav"] = [["Krav-ID", "Krav", "Granskningsområde", "Konsekvens"], ["K-1", "Ett krav", "Dokumentation", consequence]]
    return content


def test_ht_006_consequence_does_not_drop_when_a_mild_krav_id_is_filled_in(tmp_path):
    # HT-006: Hemtjänst (vulnerability 3) with a finding whose requirement has consequence 2.
    blank = by_id(analyse(tmp_path, _requirement_register(None, 2), name="blank.xlsx"))["A"]
    filled = by_id(analyse(tmp_path, _requirement_register("K-1", 2), name="filled.xlsx"))["A"]
    assert filled.consequence_score >= blank.consequence_score
    assert filled.consequence >= blank.consequence


def test_a_serious_requirement_raises_the_consequence(tmp_path):
    blank = by_id(analyse(tmp_path, _requirement_register(None, 4), name="blank.xlsx"))["A"]
    filled = by_id(analyse(tmp_path, _requirement_register("K-1", 4), name="filled.xlsx"))["A"]
    assert filled.consequence_score > blank.consequence_score


@PROPERTY
@given(st.integers(1, 4), st.sampled_from(["Hemtjänst", "Dagverksamhet", "Särskilt boende", "Ledsagarservice"]),
       st.integers(1, 300))
def test_a_requirement_never_lowers_the_consequence(consequence, area, clients):
    with tempfile.TemporaryDirectory() as folder:
        blank = analyse(Path(folder), _requirement_register(None, consequence, area, clients), name="a.xlsx").providers[0]
        filled = analyse(Path(folder), _requirement_register("K-1", consequence, area, clients), name="b.xlsx").providers[0]
    assert filled.consequence_score >= blank.consequence_score


def test_ht_002_recent_review_adds_no_points(example):
    ht = by_id(example.analysis)["HT-002"]
    assert ht.last_review is not None
    months = (dt.date.fromisoformat(EXAMPLE_DAY) - dt.date.fromisoformat(ht.last_review)).days / 30.44
    assert months < example.model.likelihood["review_age"]["grace_months"]
    assert not [r for r in ht.reasons if r.factor == "review_age"]


@PROPERTY
@given(st.integers(0, 364))
def test_a_review_within_the_grace_months_adds_nothing(days):
    with tempfile.TemporaryDirectory() as folder:
        p = analyse(Path(folder), sheets([Prov("A", last=ago(days))])).providers[0]
    assert not [r for r in p.reasons if r.factor == "review_age"]


def test_review_age_grows_after_the_grace_months_and_never_says_0_months(tmp_path):
    cfg = load_model().likelihood["review_age"]
    days = int((cfg["grace_months"] + 6) * 30.44)
    p = analyse(tmp_path, sheets([Prov("A", last=ago(days))])).providers[0]
    assert contribution(p, "review_age") == pytest.approx(cfg["max_points"] * 6 / (cfg["full_after_months"] - cfg["grace_months"]), abs=0.01)
    model = load_model({"likelihood": {"review_age": {"grace_months": 0}}})
    q = analyse(tmp_path, sheets([Prov("A", last=ago(20))]), model=model, name="fresh.xlsx").providers[0]
    text = next((r.text for r in q.reasons if r.factor == "review_age"), "")
    assert "0 mån" not in text


def test_grace_months_must_be_shorter_than_full_after_months():
    from followup_cli.errors import InputError

    with pytest.raises(InputError, match="grace_months"):
        load_model({"likelihood": {"review_age": {"grace_months": 40}}})


# --------------------------------------------------------------------------------------- 7. levels that discriminate

def test_two_serious_lex_sarah_in_an_lss_home_are_never_low(tmp_path):
    """Cut points calibrated on the spread of ordinary signals put 6 points at 'Osannolik'; two Lex Sarah of
    severity 4 in the last half year are a serious signal, so the likelihood is at least Sannolik, and it says so."""
    home = Prov("LSS", area="LSS bostad med särskild service", clients=12, last=ago(300))
    p = by_id(analyse(tmp_path, sheets([home], events=[ev("LSS", "Lex Sarah", 150, 4), ev("LSS", "Lex Sarah", 120, 4)])))["LSS"]
    assert p.likelihood_points < load_model().likelihood_cuts[0], "below the first cut: the floor is what lifts it"
    assert p.likelihood == 3 and p.likelihood_floor == 3 and p.level in ("Hög", "Mycket hög")
    assert p.reasons[0].factor == "serious_floor" and "2 Lex Sarah senaste 12 mån" in p.reasons[0].text


@pytest.mark.parametrize("signal", ["open_serious_finding", "old_event", "mild_event"])
def test_the_floor_comes_from_serious_signals_only(tmp_path, signal):
    home = Prov("X", area="Hemtjänst", clients=40, last=ago(300))
    content = {
        "open_serious_finding": sheets([home], reviews=[rv("G-1", "X", 300)], findings=[fd("B-1", "X", "G-1", "Allvarlig brist")]),
        "old_event": sheets([home], events=[ev("X", "Lex Sarah", 400, 4)]),  # older than serious_floor.months
        "mild_event": sheets([home], events=[ev("X", "Lex Sarah", 30, 2)]),  # below serious_floor.min_severity
    }[signal]
    p = by_id(analyse(tmp_path, content))["X"]
    assert (p.likelihood_floor == 3) == (signal == "open_serious_finding")


def test_the_top_share_warning_gives_the_share(workspace, cli):
    analysis = api.analyze(api.open_workspace(cwd=workspace), as_of=EXAMPLE_DAY).analysis
    top = analysis.matrix.levels[-1]
    share = sum(p.final_level_id == top.id for p in analysis.providers) / len(analysis.providers)
    assert 0 < share
    config = workspace / "followup.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"\nrisk:\n  max_top_share: {share / 2:.4f}\n", encoding="utf-8")
    warned = cli("risk-analyze", "--as-of", EXAMPLE_DAY, cwd=workspace)
    assert warned.code == 0
    assert "risk.max_top_share" in warned.stderr and top.name in warned.stderr
    assert f"{round(share * 100, 1):.1f}".replace(".", ",") in warned.stderr
    config.write_text(text + f"\nrisk:\n  max_top_share: {min(1.0, share + 0.01):.4f}\n", encoding="utf-8")
    assert "risk.max_top_share" not in cli("risk-analyze", "--as-of", EXAMPLE_DAY, cwd=workspace).stderr


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A small benchmark city (~150 providers) from the generator, at a fixed seed."""
    folder = tmp_path_factory.mktemp("city")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_city.py"), "--scale", "0.05", "--seed", "7",
                    "--out", str(folder / "city.xlsx"), "--engine", "openpyxl"], check=True, capture_output=True)
    return folder


def _shares(analysis) -> dict[str, float]:
    n = len(analysis.providers)
    return {lv.id: sum(p.final_level_id == lv.id for p in analysis.providers) / n for lv in analysis.matrix.levels}


def test_the_printed_calibration_gives_the_target_shares(city, cli):
    before = cli("risk-analyze", "city.xlsx", "--as-of", "2026-01-01", "--calibrate", cwd=city)
    assert before.code == 0
    proposed = yaml.safe_load(before.stdout)  # the whole of stdout is YAML: the distribution is in comments
    assert set(proposed) == {"risk"} and "Sannolikhetspoäng" in before.stdout and "Konsekvenspoäng" in before.stdout
    (city / "followup.yaml").write_text(yaml.safe_dump(proposed), encoding="utf-8")  # followup.yaml accepts it
    run = api.analyze(api.open_workspace(cwd=city), register=city / "city.xlsx", as_of="2026-01-01")
    target = run.model.target_shares
    for level_id, share in _shares(run.analysis).items():
        assert abs(share - target[level_id]) <= 0.05, (level_id, share, target[level_id])
    again = cli("risk-analyze", "city.xlsx", "--as-of", "2026-01-01", "--calibrate", cwd=city)
    assert again.code == 0 and yaml.safe_load(again.stdout) == proposed  # calibrated cut points are a fixed point
    (city / "followup.yaml").unlink()


def test_the_calibration_is_deterministic_and_follows_other_targets(city):
    run = api.analyze(api.open_workspace(cwd=city), register=city / "city.xlsx", as_of="2026-01-01")
    first, second = api.calibrate(run), api.calibrate(run)
    assert first == second
    other = {"low": 0.25, "medium": 0.25, "high": 0.25, "very_high": 0.25}
    model = load_model({"target_shares": other})
    from followup_cli.risk.calibrate import calibrate

    found = calibrate(run.analysis, model)
    assert all(abs(found.proposed[k] - v) <= 0.05 for k, v in other.items())


def test_target_shares_must_name_every_level_and_add_up_to_one():
    from followup_cli.errors import InputError

    with pytest.raises(InputError, match="target_shares"):
        load_model({"target_shares": {"low": 0.5, "medium": 0.5, "high": 0.2, "very_high": 0.1}})
    with pytest.raises(InputError, match="very_high"):
        load_model({"target_shares": {"low": 0.5, "medium": 0.3, "high": 0.2}})
    assert load_model({"target_shares": {"Låg": 0.4, "Medel": 0.3, "Hög": 0.2, "Mycket hög": 0.1}}).target_shares == {
        "low": 0.4, "medium": 0.3, "high": 0.2, "very_high": 0.1}


def test_the_worst_provider_by_evidence_is_first_in_its_level(tmp_path):
    # Far past the top cut point, more evidence still ranks higher: the top level does not saturate.
    model = load_model()
    top = model.likelihood_cuts[-1]
    assert position(top + 40, model.likelihood_cuts, 0.0) > position(top + 10, model.likelihood_cuts, 0.0)
    assert int(position(top + 1000, model.likelihood_cuts, 0.0)) == len(model.matrix.likelihood)


def test_the_top_of_the_example_ranking_reads_right(example):
    top = [p.provider_id for p in example.analysis.providers[:10]]
    for pid in ("SÄBO-006", "HT-004", "HT-002", "LSS-002"):
        assert pid in top, (pid, top)
