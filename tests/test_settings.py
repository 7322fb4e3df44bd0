"""followup.yaml as a user can get it wrong: every fault is exit 3 and one sentence naming the key, never a crash or a hang."""

from __future__ import annotations

import pytest

EXAMPLE_HEAD = "\n# Uppföljningsplanen"


def _with(workspace, text: str):
    """The example workspace's followup.yaml with its plan section replaced by `text`."""
    config = workspace / "followup.yaml"
    config.write_text(config.read_text(encoding="utf-8").split(EXAMPLE_HEAD)[0] + "\n" + text, encoding="utf-8")
    return config


def _one_sentence(result, *words):
    assert result.code == 3, (result.code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith((".", "?")), result.stderr
    assert "Traceback" not in result.stderr and "followup.yaml" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.mark.parametrize("plan_yaml, words", [
    ("plan:\n  capacity: {X: 10}\n  hours: {site_visit: .nan}\n", ["plan.hours.site_visit ska vara ett tal större än 0 (nu: nan)"]),
    ("plan:\n  capacity: {X: .inf}\n", ["plan.capacity.X ska vara timmar per år", "(nu: inf)"]),
    ("plan:\n  capacity: {X: 10}\n  urgent_within_months: true\n", ["plan.urgent_within_months ska vara", "(nu: true)"]),
    ("plan:\n  capacity: {X: 10}\n  document: {date: 2026-02-30}\n", ["plan.document.date ska vara ett datum som finns", "2026-02-30"]),
    ("plan:\n  capacity: {X: 10}\n  sample_seed: 1180591620717411303424\n", ["plan.sample_seed är ett för stort tal"]),
    ("plan:\n  capacity: {X: 10}\n  rotation_years: 1180591620717411303424\n", ["plan.rotation_years ska vara ett heltal 1–20"]),
    ("plan:\n  capacity: {X: 10}\n  rotaton_years: 4\n", ["okänd nyckel plan.rotaton_years – menade du plan.rotation_years?"]),
    ("plan:\n  capacity: {X: 10}\n  document: {signatur: Maria}\n", ["okänd nyckel plan.document.signatur – menade du plan.document.signatory?"]),
    ("plan:\n  capacity: {X: 10}\n  themes: [{name: Mat, service_areas: [Hemtjänst], months: [7]}]\n",
     ["plan.themes[0].months ska vara månader 1–12 som inte alla är spärrade"]),
    ("risk:\n  likelihood: {half_life_days: .nan}\nplan:\n  capacity: {X: 10}\n",
     ["risk.likelihood.half_life_days ska vara ett tal större än 0 (nu: nan)"]),
    ("risk:\n  likelihood: {events: {Klagomål: true}}\nplan:\n  capacity: {X: 10}\n", ["risk.likelihood.events.Klagomål ska vara ett tal", "(nu: true)"]),
    ("risk:\n  matrix: {grid: [[0, 1]]}\nplan:\n  capacity: {X: 10}\n", ["risk.matrix.grid ska ha 4 rader"]),
])
def test_a_wrong_setting_is_one_sentence_naming_the_key(cli, workspace, plan_yaml, words):
    _with(workspace, plan_yaml)
    _one_sentence(cli("plan", "--year", "2026", cwd=workspace), *words)


@pytest.mark.parametrize("text, words", [
    ("privacy: {min_count: true}\n", ["privacy.min_count ska vara ett heltal ≥ 1, t.ex. 5 (nu: true)"]),
    ("privacy: {min_count: 1180591620717411303424}\n", ["privacy.min_count är ett för stort tal"]),
    ("year: 2026.0\n", ["year ska vara ett årtal"]),
    ("organisation: Exempelkommun\nsheets: {Fakturering: {fil: f.csv}}\n", ["okänd nyckel sheets.Fakturering.fil – menade du sheets.Fakturering.file?"]),
])
def test_a_wrong_workspace_setting_is_one_sentence_naming_the_key(cli, tmp_path, text, words):
    (tmp_path / "followup.yaml").write_text(text, encoding="utf-8")
    _one_sentence(cli("validate", cwd=tmp_path), *words)


def test_a_duplicate_key_is_named_with_both_lines(cli, workspace):
    _with(workspace, "plan:\n  capacity: {X: 10}\n  rotation_years: 3\n  rotation_years: 4\n")
    result = cli("validate", cwd=workspace)
    _one_sentence(result, "nyckeln rotation_years finns redan på rad")


def test_a_duplicate_top_level_key_is_refused_before_anything_is_read(cli, workspace):
    config = workspace / "followup.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nregister: annat.xlsx\n", encoding="utf-8")
    _one_sentence(cli("validate", cwd=workspace), "nyckeln register finns redan på rad 7")


def test_deep_nesting_is_refused_at_once(cli, workspace):
    _with(workspace, "plan:\n  themes: " + "[" * 200_000 + "]" * 200_000 + "\n")
    _one_sentence(cli("validate", cwd=workspace), "fler än 40 nivåer")


def test_an_alias_bomb_is_refused_at_once(cli, workspace):
    """The billion laughs: nine aliases of nine aliases … would be 9**9 values if anything walked them."""
    lines = ["plan:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    _with(workspace, "\n".join(lines) + "\n")
    _one_sentence(cli("validate", cwd=workspace), "alias", "upprepar värden")


def test_an_oversized_file_is_refused_before_parsing(cli, workspace):
    _with(workspace, "# " + "x" * 1_100_000 + "\n")
    _one_sentence(cli("validate", cwd=workspace), "större än 1 MB")


def test_the_shipped_defaults_and_the_example_pass_the_strict_models():
    from followup_cli.plan.config import load_plan_config
    from followup_cli.risk.model import load_model
    from followup_cli.workspace import load_workspace
    from pathlib import Path

    ws = load_workspace(Path(__file__).resolve().parent.parent / "examples" / "followup.yaml")
    model = load_model(ws.risk)
    config = load_plan_config(ws.plan, model.matrix, 2026)
    assert config.capacity["Sociala kvalitetsenheten"] == 1165 and config.themes[0].months == (3, 4, 5)
    assert model.likelihood["half_life_days"] == 365 and isinstance(model.likelihood["half_life_days"], int)


def test_a_written_date_in_the_document_is_kept_as_text(tmp_path):
    from followup_cli.plan.config import load_plan_config
    from followup_cli.risk.model import load_model

    config = load_plan_config({"capacity": {"X": 1}, "document": {"date": "2026-01-15"}}, load_model().matrix, 2026)
    assert config.document["date"] == "2026-01-15"
