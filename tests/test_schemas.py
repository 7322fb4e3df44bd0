"""schemas/ as the register's vocabulary: the rules compare ids, so a label is only what users see.

Each test works on a copy of schemas/ in tmp_path, pointed to by monkeypatching the loader, and
clears the loader's cache before and after so no other test sees the copy.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, provider_row, valid_sheets, write_xlsx

from followup_cli import schemas
from followup_cli.plan.build import make_plan
from followup_cli.plan.config import load_plan_config
from followup_cli.register.read import RegisterSources, SheetSource, read_register
from followup_cli.risk.analyze import analyze_risk
from followup_cli.risk.model import load_model
from followup_cli.workspace import load_workspace

AS_OF = dt.date(2025, 12, 31)
YEAR = 2026
NEW = " (ny)"


@pytest.fixture
def schema_copy(tmp_path, monkeypatch):
    """A copy of schemas/ that the loader reads instead of the shipped one."""
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    monkeypatch.setattr(schemas, "resource_dir", lambda name: copy if name == "schemas" else ROOT / name)
    schemas.register_schemas.cache_clear()
    schemas.checklist_schemas.cache_clear()
    yield copy
    schemas.register_schemas.cache_clear()
    schemas.checklist_schemas.cache_clear()


def _fields(document: dict) -> list[dict]:
    """Every field of a schema file (a register sheet, or the checklist's header and questions)."""
    parts = [document[k] for k in ("header", "questions") if k in document] or [document]
    return [f for part in parts for f in part["fields"]]


def _edit(folder: Path, stem: str, change) -> None:
    path = folder / f"{stem}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rename_every_label(folder: Path) -> None:
    """Every enum label gets NEW appended; the old label stays accepted as an alias, so registers still read."""
    def rename(document):
        for fld in _fields(document):
            labels = (fld.get("constraints") or {}).get("enum")
            if not labels:
                continue
            aliases = fld.get("enumAliases") or {}
            fld["constraints"]["enum"] = [label + NEW for label in labels]
            fld["enumAliases"] = {label + NEW: [label, *aliases.get(label, [])] for label in labels}
    for path in folder.glob("*.yaml"):
        _edit(folder, path.stem, rename)


def _analysis_and_plan():
    """The risk analysis and the plan of examples/, as `followup plan --year 2026` makes them."""
    ws = load_workspace(EXAMPLES / "followup.yaml")
    model = load_model(ws.risk)
    config = load_plan_config(ws.plan, model.matrix, YEAR)
    sources = RegisterSources(ws.register_path(None), {n: SheetSource(p, s) for n, (p, s) in ws.sheets.items()})
    register = read_register(sources, AS_OF)
    assert not [p for p in register.problems if p.severity == "error"], register.problems[:3]
    analysis = analyze_risk(register, AS_OF, model)
    tables = {name: table.data for name, table in register.tables.items()}
    return analysis, make_plan(analysis, tables, config, YEAR, ws.organisation)


def _ids(analysis, plan) -> tuple[list, list]:
    risk = [(p.provider_id, p.rank, p.risk_value, p.level_id, p.likelihood, p.consequence, p.score,
             [(r.factor, r.contribution) for r in p.reasons], [a.area_id for a in p.areas],
             p.adjustment.action_id if p.adjustment else None) for p in analysis.providers]
    items = [(i.provider_id, i.review_type_id, i.method_id, i.month, i.hours) for i in plan.items]
    return risk, items


def test_renaming_every_label_changes_what_users_see_and_nothing_else(schema_copy):
    schemas.register_schemas.cache_clear()
    before_analysis, before_plan = _analysis_and_plan()
    before_labels = {p.provider_id: p.ownership for p in before_analysis.providers}

    _rename_every_label(schema_copy)
    schemas.register_schemas.cache_clear()
    schemas.checklist_schemas.cache_clear()
    assert all(label.endswith(NEW) for label in schemas.register_schemas()["events"].field("kind").enum)
    after_analysis, after_plan = _analysis_and_plan()

    assert _ids(after_analysis, after_plan) == _ids(before_analysis, before_plan)
    # ... while the labels shown did change, so this test would see a rule that still compared labels.
    assert {p.provider_id: p.ownership for p in after_analysis.providers} == {
        pid: label + NEW for pid, label in before_labels.items()}
    assert {i.review_type for i in after_plan.items} == {i.review_type + NEW for i in before_plan.items}
    assert {i.method for i in after_plan.items} == {i.method + NEW for i in before_plan.items}
    texts = [r.text for p in after_analysis.providers for r in p.reasons]
    assert any(NEW in t for t in texts) and any(r.area and r.area.endswith(NEW) for p in after_analysis.providers for r in p.reasons)


def test_every_shipped_schema_file_loads_with_an_id_for_every_allowed_value(schema_copy):
    sheets = schemas.register_schemas()
    assert list(sheets) == schemas.SHEET_ORDER
    every = [f for s in (*sheets.values(), *schemas.checklist_schemas()) for f in s.fields]
    assert every
    for fld in every:
        assert len(fld.enum_ids) == len(fld.enum), fld.name
        for label, value_id in zip(fld.enum, fld.enum_ids):
            assert fld.id_for(label) == fld.id_for(value_id) == value_id and fld.label(value_id) == label


def _typo_at(level: str):
    def at_sheet(d):
        d["requird"] = True

    def at_field(d):
        d["fields"][0]["titel"] = d["fields"][0].pop("title")

    def at_constraint(d):
        d["fields"][0]["constraints"]["requird"] = True

    def at_checklist_field(d):
        d["questions"]["fields"][0]["constraints"]["requird"] = True

    return {"sheet": ("providers", at_sheet), "field": ("providers", at_field), "constraint": ("events", at_constraint),
            "checklist": ("checklist", at_checklist_field)}[level]


@pytest.mark.parametrize("level, typo, meant", [("sheet", "requird", "required"), ("field", "titel", "title"),
                                                ("constraint", "requird", "required"), ("checklist", "requird", "required")])
def test_an_unknown_key_in_a_schema_file_is_refused(schema_copy, level, typo, meant):
    stem, change = _typo_at(level)
    _edit(schema_copy, stem, change)
    with pytest.raises(schemas.SchemaError) as caught:
        schemas.register_schemas()
        schemas.checklist_schemas()
    message = str(caught.value)
    assert f"schemas/{stem}.yaml" in message and f"'{typo}'" in message and f"menade du '{meant}'?" in message


def test_an_enum_without_an_id_for_each_value_is_refused(schema_copy):
    _edit(schema_copy, "events", lambda d: d["fields"][2]["enumIds"].pop())
    with pytest.raises(schemas.SchemaError, match="enumIds"):
        schemas.register_schemas()


def _orgnr_problems(tmp_path) -> list:
    sheets = valid_sheets()
    sheets["Utförare"][1] = provider_row(orgnr="556677-8898")  # wrong check digit
    register = read_register(RegisterSources(write_xlsx(tmp_path / "register.xlsx", sheets)), AS_OF)
    return [p for p in register.problems if p.code == "orgnr"]


def test_the_organisation_number_check_runs_where_the_schema_names_it(schema_copy, tmp_path):
    [problem] = _orgnr_problems(tmp_path)
    assert (problem.sheet, problem.column) == ("Utförare", "C")

    def drop_check(document):
        next(f for f in document["fields"] if f["name"] == "org_number").pop("check")
    _edit(schema_copy, "providers", drop_check)
    schemas.register_schemas.cache_clear()
    assert _orgnr_problems(tmp_path) == []
