"""followup.yaml: found upward, paths relative to it, wrong keys explained."""

from __future__ import annotations

import pytest

from followup_cli.errors import InputError
from followup_cli.workspace import load_workspace


def test_config_is_found_in_a_parent_folder_and_paths_are_relative_to_it(tmp_path):
    (tmp_path / "followup.yaml").write_text("organisation: Exempelkommun\nregister: data/reg.xlsx\nyear: 2026\n", encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    ws = load_workspace(cwd=tmp_path / "a" / "b")
    assert ws.register == tmp_path.resolve() / "data" / "reg.xlsx"
    assert (ws.organisation, ws.year, ws.min_count) == ("Exempelkommun", 2026, 5)


@pytest.mark.parametrize("text, expected", [
    ("registr: r.xlsx\n", "okänd nyckel registr – menade du register\\?"),
    ("privacy:\n  min_cont: 3\n", "okänd nyckel privacy.min_cont – menade du privacy.min_count\\?"),
    ("year: nästa\n", "year ska vara ett årtal"),
    ("sheets:\n  Faktura: f.csv\n", "menade du 'Fakturering'"),
    ("register: [\n", "inte giltig YAML"),
    ("privacy:\n  min_count: 0\n", "min_count ska vara ett heltal"),
])
def test_wrong_keys_and_values_get_a_sentence(tmp_path, text, expected):
    (tmp_path / "followup.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        load_workspace(cwd=tmp_path)


def test_a_config_error_is_exit_3_naming_the_file(cli, tmp_path):
    (tmp_path / "followup.yaml").write_text("registr: r.xlsx\n", encoding="utf-8")
    result = cli("validate", cwd=tmp_path)
    assert result.code == 3 and "followup.yaml" in result.stderr


def test_the_command_line_overrides_the_workspace(cli, tmp_path, register):
    path = register()
    (tmp_path / "followup.yaml").write_text("register: finns-inte.xlsx\n", encoding="utf-8")
    assert cli("validate", cwd=tmp_path).code == 3
    assert cli("validate", "--register", path, cwd=tmp_path).code == 0
    assert cli("--config", tmp_path / "followup.yaml", "validate", path).code == 0
