"""`followup init`: a workspace a strategist can start filling in at once."""

from __future__ import annotations

from openpyxl import load_workbook

from followup_cli.schemas import register_schemas


def test_init_writes_config_and_a_register_generated_from_the_schemas(cli, tmp_path):
    result = cli("init", tmp_path / "ws", "--organisation", "Exempelkommun", "--year", "2027")
    assert result.code == 0, result.stderr
    config = (tmp_path / "ws" / "followup.yaml").read_text(encoding="utf-8")
    assert "organisation: Exempelkommun" in config and "year: 2027" in config and "# " in config
    wb = load_workbook(tmp_path / "ws" / "register.xlsx")
    schemas = register_schemas()
    assert wb.sheetnames == ["Instruktioner", "Listor", *[s.title for s in schemas.values()]]
    assert wb["Listor"].sheet_state == "hidden"
    providers = wb["Utförare"]
    assert [c.value for c in providers[1]] == [f.title for f in schemas["providers"].fields]
    assert providers.freeze_panes == "A2"
    assert providers.auto_filter.ref.startswith("A1:")
    assert providers["A1"].font.bold and providers["A1"].comment is not None
    assert providers.column_dimensions["A"].width >= 14


def test_every_vocabulary_gets_a_dropdown(cli, tmp_path):
    cli("init", tmp_path)
    wb = load_workbook(tmp_path / "register.xlsx")
    lists = wb["Listor"]
    for schema in register_schemas().values():
        ws = wb[schema.title]
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for col, fld in enumerate(schema.fields, start=1):
            letter = ws.cell(row=1, column=col).column_letter
            if not (fld.enum or fld.type == "boolean"):
                assert f"{letter}2" not in validations
                continue
            dv = validations[f"{letter}2"]
            ref = dv.formula1.removeprefix("=Listor!").replace("$", "")
            values = [c.value for row in lists[ref] for c in row]
            assert values == (list(fld.enum) or ["Ja", "Nej"]), (schema.title, fld.title)


def test_the_instructions_document_every_column(cli, tmp_path):
    cli("init", tmp_path)
    ws = load_workbook(tmp_path / "register.xlsx")["Instruktioner"]
    documented = {(r[0], r[1]) for r in ws.iter_rows(min_row=6, values_only=True)}
    expected = {(s.title, f.title) for s in register_schemas().values() for f in s.fields}
    assert documented == expected


def test_a_fresh_workspace_validates_with_only_an_empty_register_warning(cli, tmp_path):
    cli("init", tmp_path)
    result = cli("validate", "--json", cwd=tmp_path)
    assert result.code == 0
    assert [p["code"] for p in result.json()] == ["no-providers"]


def test_init_refuses_to_overwrite_without_force(cli, tmp_path):
    cli("init", tmp_path)
    (tmp_path / "followup.yaml").write_text("organisation: Min egen\n", encoding="utf-8")
    result = cli("init", tmp_path)
    assert result.code == 5
    assert "--force" in result.stderr
    assert (tmp_path / "followup.yaml").read_text(encoding="utf-8") == "organisation: Min egen\n"
    assert cli("init", tmp_path, "--force").code == 0
    assert "Min egen" not in (tmp_path / "followup.yaml").read_text(encoding="utf-8")


def test_the_commented_risk_example_in_the_config_is_valid(cli, tmp_path):
    """Uncommenting the example risk: section must give a workspace that loads."""
    import yaml

    from followup_cli.risk.model import load_model

    cli("init", tmp_path)
    text = (tmp_path / "followup.yaml").read_text(encoding="utf-8")
    block = text[text.index("# risk:"):text.index("\n# Uppföljningsplanen")]
    uncommented = "\n".join(line[2:] if line.startswith("# ") else line for line in block.splitlines())
    model = load_model(yaml.safe_load(uncommented)["risk"])
    assert model.likelihood["half_life_days"] == 180


def test_the_plan_section_of_the_config_is_valid_with_its_examples_uncommented(cli, tmp_path):
    import yaml

    from followup_cli.plan.config import load_plan_config
    from followup_cli.risk.model import load_model

    cli("init", tmp_path)
    text = (tmp_path / "followup.yaml").read_text(encoding="utf-8")
    block = text[text.index("plan:"):]
    uncommented = "\n".join(line.replace("  # ", "  ", 1) if line.startswith("  # ") else line for line in block.splitlines())
    config = load_plan_config(yaml.safe_load(uncommented)["plan"], load_model().matrix, 2026)
    assert config.capacity == {"Sociala kvalitetsenheten": 2000}
    assert config.default_unit == "Sociala kvalitetsenheten" and config.themes[0].months == (3, 4, 5)
