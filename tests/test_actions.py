"""`followup actions`: what a strategist sees on the day asked about, the step suggested on the ladder, and the
workbook and reminder letters it writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import EXAMPLES, PROVIDER_HEADERS, ROOT, fingerprint, provider_row, template_script, word_text, write_xlsx

FINDING_HEADERS = ["Brist-ID", "Utförar-ID", "Gransknings-ID", "Granskningsområde", "Allvarlighet", "Beskrivning",
                   "Åtgärdsplan senast", "Åtgärdsplan inkommen", "Åtgärdsplan godkänd", "Åtgärdad", "Sanktion",
                   "Anmäld till", "Återkommande"]
D = dt.date


def _example_findings() -> dict[str, dict]:
    """The example's findings (Brister) with their provider's Namn, Avtalsform and Uppföljande enhet, so the tests
    follow the ids and dates scripts/make_example.py generates."""
    from openpyxl import load_workbook

    book = load_workbook(EXAMPLES / "register.xlsx", read_only=True)

    def rows(sheet):
        data = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(data[0], r)) for r in data[1:] if r[0] is not None]

    providers = {r["Utförar-ID"]: r for r in rows("Utförare")}
    out = {}
    for f in rows("Brister"):
        f = {k: v.date() if isinstance(v, dt.datetime) else v for k, v in f.items()}
        out[f["Brist-ID"]] = {**f, **{k: providers[f["Utförar-ID"]][k] for k in ("Namn", "Avtalsform", "Uppföljande enhet", "Aktiv")}}
    return out


def _overdue(f: dict, day: D) -> bool:
    """The action plan was due before `day` and had not come in by then (and the finding was still open)."""
    return (f["Åtgärdsplan senast"] is not None and f["Åtgärdsplan senast"] < day and f["Aktiv"] == "Ja"
            and (f["Åtgärdsplan inkommen"] is None or f["Åtgärdsplan inkommen"] > day)
            and (f["Åtgärdad"] is None or f["Åtgärdad"] > day))


FINDINGS = _example_findings()
_SANCTIONED = {f["Utförar-ID"] for f in FINDINGS.values() if f["Sanktion"] not in (None, "Ingen")}
_SERIOUS = {f["Utförar-ID"] for f in FINDINGS.values() if f["Allvarlighet"] == "Allvarlig brist"}
# The example's late action plan (make_example.py's mark_late_plan): a LOV provider with no sanction and no serious
# finding, its plan in after its deadline, then approved and corrected. LATE_DAY lies between deadline and plan.
LATE = next(f for f in FINDINGS.values() if f["Avtalsform"] == "LOV" and f["Allvarlighet"] == "Brist"
            and f["Utförar-ID"] not in _SANCTIONED | _SERIOUS and f["Åtgärdsplan inkommen"] is not None
            and f["Åtgärdsplan inkommen"] > f["Åtgärdsplan senast"] and f["Åtgärdad"] is not None)
LATE_DAY = LATE["Åtgärdsplan senast"] + dt.timedelta(days=2)
LATE_FROM = LATE["Åtgärdsplan senast"] + dt.timedelta(days=1)  # the step's day: the day after the deadline
# SÄBO-006's Varning med åtgärdsplan, and another of its findings still open in 2026.
WARNED = next(f for f in FINDINGS.values() if f["Sanktion"] == "Varning med åtgärdsplan")
WARNED_OTHER = next(f for f in FINDINGS.values() if f["Utförar-ID"] == WARNED["Utförar-ID"] and f is not WARNED
                    and f["Allvarlighet"] != "Iakttagelse" and f["Åtgärdad"] is None)
LATE_PROVIDERS = {f["Utförar-ID"] for f in FINDINGS.values() if _overdue(f, LATE_DAY)}


def _items(run):
    return {i.finding_id: i for i in run.actions.items}


def _example(workspace, as_of):
    from followup_cli import api

    return api.actions(api.open_workspace(workspace / "followup.yaml"), as_of=as_of)


def finding(fid, pid, severity="Brist", due=D(2026, 3, 1), received=None, approved=None, resolved=None, sanction="Ingen",
            reported=None, recurring=None, description="Genomförandeplaner saknas", review="G-1"):
    return [fid, pid, review, "Dokumentation", severity, description, due, received, approved, resolved, sanction,
            reported, recurring]


def small_register(path, findings, providers=None, extra_reviews=()):
    providers = providers or [
        provider_row("LOV-1", "Omsorg & Vård <Syd> AB", ownership="Privat", contract="LOV"),
        provider_row("EGEN-1", "Hemtjänst Egen", orgnr="212000-0142", ownership="Egen regi", contract="Uppdragsbeskrivning",
                     unit="Norra stadsdelsförvaltningen"),
    ]
    reviews = [["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"],
               ["G-1", "LOV-1", D(2026, 2, 1), "Kvalitetsgranskning", "Platsbesök", "Anna", "Brister"],
               ["G-2", "EGEN-1", D(2026, 2, 1), "Kvalitetsgranskning", "Platsbesök", "Anna", "Brister"], *extra_reviews]
    return write_xlsx(path, {"Utförare": [PROVIDER_HEADERS, *providers], "Granskningar": reviews,
                             "Brister": [FINDING_HEADERS, *findings]})


def _run(tmp_path, findings, as_of="2026-04-01", providers=None, config: str | None = None):
    from followup_cli import api

    path = small_register(tmp_path / "register.xlsx", findings, providers)
    if config is not None:
        (tmp_path / "followup.yaml").write_text(config, encoding="utf-8")
    ws = api.open_workspace(tmp_path / "followup.yaml" if config is not None else None, cwd=tmp_path)
    return api.actions(ws, register=path, as_of=as_of)


# --- classification ------------------------------------------------------------------------------------------------

def test_each_state_on_the_example_register_on_a_given_day(workspace):
    late, fid = LATE, LATE["Brist-ID"]
    assert _items(_example(workspace, LATE_DAY))[fid].kind == "overdue"  # past its deadline, no plan yet
    soon = late["Åtgärdsplan senast"] - dt.timedelta(days=3)
    assert _items(_example(workspace, soon))[fid].kind == "due_soon"
    received = late["Åtgärdsplan inkommen"]
    assert _items(_example(workspace, received))[fid].kind == "not_approved"  # in, not yet approved
    open_ = next(f for f in FINDINGS.values() if f["Åtgärdsplan godkänd"] and f["Åtgärdad"] is None
                 and f["Allvarlighet"] == "Brist" and f["Aktiv"] == "Ja")
    assert _items(_example(workspace, "2026-05-01"))[open_["Brist-ID"]].kind == "uncorrected"  # 28 days long past
    corrected = next(f for f in FINDINGS.values() if f["Åtgärdad"] is not None and f["Åtgärdad"] < D(2025, 11, 15))
    assert corrected["Brist-ID"] not in _items(_example(workspace, "2025-11-15"))


def test_one_day_is_one_dag_in_the_reasons(workspace):
    fid, due = LATE["Brist-ID"], LATE["Åtgärdsplan senast"]
    assert "(1 dag sedan)" in _items(_example(workspace, due + dt.timedelta(days=1)))[fid].reason
    assert "(2 dagar sedan)" in _items(_example(workspace, due + dt.timedelta(days=2)))[fid].reason
    assert "(om 1 dag)" in _items(_example(workspace, due - dt.timedelta(days=1)))[fid].reason


def test_a_date_after_the_day_asked_about_is_not_yet_known(workspace):
    fid, received = LATE["Brist-ID"], LATE["Åtgärdsplan inkommen"]
    assert _items(_example(workspace, LATE_DAY))[fid].kind == "overdue"
    later = _items(_example(workspace, received))[fid]  # the plan has come in, not yet approved
    assert later.kind == "not_approved" and later.plan_received == received
    assert fid not in _items(_example(workspace, LATE["Åtgärdad"]))  # corrected


def test_the_items_are_ordered_by_reviewing_unit_then_provider(workspace):
    run = _example(workspace, "2026-05-01")
    keys = [(i.reviewing_unit, i.provider_id) for i in run.actions.items]
    assert keys == sorted(keys)
    assert [g[0][2] for g in run.actions.groups()][0] == min(i.reviewing_unit for i in run.actions.items)


# --- the ladder ----------------------------------------------------------------------------------------------------

def test_the_ladder_follows_the_contract_form_lov_against_egen_regi(workspace):
    lov = _items(_example(workspace, LATE_DAY))[LATE["Brist-ID"]]  # LOV, no sanction before
    assert (lov.step.id, lov.step.label, lov.step.board) == ("remark", "Påpekande", False)
    assert "LOV" in lov.step.reason
    items = _items(_example(workspace, "2026-05-01"))
    own = next(items[f["Brist-ID"]] for f in FINDINGS.values() if f["Avtalsform"] == "Uppdragsbeskrivning"
               and f["Brist-ID"] in items and items[f["Brist-ID"]].kind == "uncorrected"
               and f["Utförar-ID"] not in _SANCTIONED | _SERIOUS and not f.get("Återkommande"))  # egen regi
    assert (own.step.id, own.step.label) == ("management", "Eskalering till förvaltningens ledning")
    assert "inga avtalssanktioner" in own.step.reason


def test_the_regiform_never_decides_the_ladder(tmp_path):
    providers = [provider_row("LOV-1", "Privat med uppdrag", ownership="Privat", contract="Uppdragsbeskrivning"),
                 provider_row("EGEN-1", "Egen regi med LOU", orgnr="212000-0142", ownership="Egen regi", contract="LOU")]
    items = _items(_run(tmp_path, [finding("B-1", "LOV-1"), finding("B-2", "EGEN-1", review="G-2")], providers=providers))
    assert items["B-1"].step.id == "management"
    assert items["B-2"].step.id == "remark"


def test_a_decided_sanction_is_never_suggested_again(tmp_path):
    items = _items(_run(tmp_path, [finding("B-1", "LOV-1", sanction="Påpekande"),
                                   finding("B-2", "LOV-1", due=D(2026, 3, 10))]))
    for fid in ("B-1", "B-2"):  # one open case per provider: the other finding steps up too
        assert items[fid].step.id == "price_reduction" and items[fid].step.label == "Prisavdrag"
        assert "Påpekande är redan beslutad (B-1)" in items[fid].step.reason


def test_the_example_warning_with_a_plan_leads_to_termination_for_the_board(workspace):
    item = _items(_example(workspace, "2026-05-01"))[WARNED_OTHER["Brist-ID"]]  # SÄBO-006: Varning med åtgärdsplan decided
    assert (item.step.id, item.step.board) == ("termination", True)
    assert f"Varning med åtgärdsplan är redan beslutad ({WARNED['Brist-ID']})" in item.step.reason


def test_when_the_last_step_is_decided_the_board_takes_a_position(tmp_path):
    item = _items(_run(tmp_path, [finding("B-1", "LOV-1", sanction="Hävning")]))["B-1"]
    assert item.step.id is None and item.step.label == "Nämnden tar ställning"


def test_serious_and_recurring_findings_climb_higher(tmp_path):
    items = _items(_run(tmp_path, [
        finding("B-1", "LOV-1", severity="Allvarlig brist", reported="IVO"),
        finding("B-2", "EGEN-1", review="G-2", recurring="B-0"),
        finding("B-3", "EGEN-1", review="G-2")]))
    assert items["B-1"].step.id == "warning" and items["B-1"].step.board  # a board level starts at Varning
    assert items["B-2"].step.id == "board"  # egen regi, recurring: to the board
    assert items["B-3"].step.id == "management"


def test_the_workbook_gives_each_provider_its_highest_step(tmp_path):
    """A repeated Brist goes one step further up the ladder than a plain one: the provider's summary row names the
    higher, whichever finding comes first."""
    from followup_cli import api

    # A scale whose gravest level is no board level: a repeated Brist stays with the administration, one step up.
    (tmp_path / "followup.yaml").write_text("""organisation: Testkommun
assessment:
  service_areas:
    Hemtjänst: enkel
  scales:
    enkel:
      levels:
        - {id: ok, label: Godkänd, answers: ["yes"]}
        - {id: fix, label: Rättas, severities: [deficiency], correct_days: 14}
""", encoding="utf-8")
    path = small_register(tmp_path / "register.xlsx", [finding("B-1", "LOV-1"), finding("B-2", "LOV-1", recurring="B-0")])
    ws = api.open_workspace(tmp_path / "followup.yaml")
    run = api.actions(ws, register=path, as_of="2026-04-01", out=tmp_path / "atgarder.xlsx")
    assert [_items(run)[f].step.label for f in ("B-1", "B-2")] == ["Påpekande", "Prisavdrag"]
    sheet = load_workbook(tmp_path / "atgarder.xlsx")["Per utförare"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("Utförar-ID")] == "LOV-1")
    assert row[header.index("Högsta föreslagna steg")] == "Prisavdrag"


def test_a_second_scale_for_one_service_area_through_followup_yaml(tmp_path):
    config = """organisation: Testkommun
year: 2026
assessment:
  service_areas:
    Hemtjänst: snabb
  scales:
    snabb:
      name: Snabb
      levels:
        - {id: ok, label: Godkänd, answers: ["yes"]}
        - {id: fix, label: Rättas genast, severities: [deficiency], correct_days: 7, escalation: Till ledningen.}
"""
    findings = [finding("B-1", "LOV-1", due=D(2026, 3, 1), received=D(2026, 2, 20))]
    providers = [provider_row("LOV-1", "Hem AB", contract="LOV", area="Hemtjänst"),
                 provider_row("EGEN-1", "Boende", orgnr="212000-0142", ownership="Egen regi", contract="Uppdragsbeskrivning",
                              area="Särskilt boende")]
    other = [finding("B-2", "EGEN-1", review="G-2", due=D(2026, 3, 1), received=D(2026, 2, 20))]
    items = _items(_run(tmp_path, findings + other, as_of="2026-03-20", providers=providers, config=config))
    fast, standard = items["B-1"], items["B-2"]
    assert (fast.scale, fast.level.label, fast.correct_by) == ("snabb", "Rättas genast", D(2026, 3, 8))
    assert fast.kind == "uncorrected" and "Till ledningen." in fast.reason
    assert (standard.scale, standard.level.label, standard.correct_by) == ("standard", "Med avvikelse", D(2026, 3, 29))
    assert standard.kind == "not_approved"


# --- reports to IVO or the police ----------------------------------------------------------------------------------

def test_a_serious_finding_without_a_report_entry_is_flagged(tmp_path):
    items = _items(_run(tmp_path, [
        finding("B-1", "LOV-1", severity="Allvarlig brist", due=D(2026, 12, 1)),
        finding("B-2", "LOV-1", severity="Allvarlig brist", reported="Ej anmäld (bedömt)", due=D(2026, 12, 1)),
        finding("B-3", "LOV-1", severity="Allvarlig brist", reported="Polis")]))
    assert items["B-1"].report_needed and items["B-1"].kind is None  # nothing else due: listed for the flag alone
    assert items["B-1"].reason.startswith("Allvarlig brist: ta ställning till anmälan till IVO/polis (ingen anteckning i "
                                          "Anmäld till). Bedömning Med allvarlig avvikelse")
    assert "B-2" not in items  # a decision not to report is an entry
    assert not items["B-3"].report_needed


# --- the command ---------------------------------------------------------------------------------------------------

def test_fail_on_overdue_exits_1_when_anything_is_overdue_else_0(cli, workspace):
    assert cli("actions", "--as-of", LATE_DAY, "--fail-on-overdue", cwd=workspace).code == 1
    assert cli("actions", "--as-of", LATE_DAY, cwd=workspace).code == 0  # without the flag: a list, not an alarm
    received = LATE["Åtgärdsplan inkommen"]  # the plan in, not approved: something to do, nothing overdue
    assert not any(_overdue(f, received) for f in FINDINGS.values())
    quiet = cli("actions", "--as-of", received, "--fail-on-overdue", cwd=workspace)
    assert quiet.code == 0 and "0 försenade åtgärdsplaner" in quiet.stderr


def test_the_plain_table_is_one_line_per_finding(cli, workspace):
    result = cli("actions", "--as-of", LATE_DAY, cwd=workspace)
    lines = result.stdout.splitlines()
    assert len(lines) == len(_example(workspace, LATE_DAY).actions.items)
    fields = next(line for line in lines if LATE["Brist-ID"] in line).split("\t")
    assert fields[:7] == [LATE["Uppföljande enhet"], LATE["Utförar-ID"], LATE["Namn"], LATE["Brist-ID"],
                          "Åtgärdsplan försenad", "Påpekande", LATE_FROM.isoformat()]
    assert "nämnden beslutar" in result.stderr


def test_json_has_a_stable_shape(cli, workspace):
    data = cli("actions", "--as-of", LATE_DAY, "--json", cwd=workspace).json()
    assert set(data) == {"as_of", "note", "counts", "overdue", "providers", "notes"}
    assert data["as_of"] == LATE_DAY.isoformat() and data["overdue"] is True and "nämnden beslutar" in data["note"]
    assert data["counts"]["overdue"] == sum(_overdue(f, LATE_DAY) for f in FINDINGS.values())
    assert data["counts"] == _example(workspace, LATE_DAY).actions.counts()
    provider = next(p for p in data["providers"] if p["provider_id"] == LATE["Utförar-ID"])
    assert set(provider) == {"provider_id", "name", "reviewing_unit", "contract_form", "items"}
    assert provider["contract_form"] == "lov"
    item = next(i for i in provider["items"] if i["finding_id"] == LATE["Brist-ID"])
    assert set(item) == {"finding_id", "review_id", "review_date", "severity", "scale", "level", "kind", "plan_due",
                         "plan_received", "plan_approved", "approve_by", "correct_by", "sanction", "next_step", "reason",
                         "report_needed"}
    assert item["next_step"] == {"id": "remark", "label": "Påpekande", "board": False, "due": LATE_FROM.isoformat(),
                                 "reason": "Avtalssanktioner gäller (LOV)."}
    assert (item["kind"], item["plan_due"], item["severity"]) == ("overdue", LATE["Åtgärdsplan senast"].isoformat(),
                                                                  "deficiency")


def test_the_workbook_lists_every_item_with_its_step(cli, workspace, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "actions.xlsx"
    after = WARNED["Åtgärdsplan godkänd"] + dt.timedelta(days=15)  # the warned finding uncorrected, and a plan overdue
    day = next(d for d in (after + dt.timedelta(days=n) for n in range(366)) if any(_overdue(f, d) for f in FINDINGS.values()))
    assert cli("actions", "--as-of", day, "--out", out, cwd=workspace).code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["Åtgärder", "Per utförare", "Om listan"]
    ws = wb["Åtgärder"]
    headers = [c.value for c in ws[1]]
    assert headers[:10] == ["Uppföljande enhet", "Utförar-ID", "Namn", "Brist-ID", "Läge", "Föreslaget steg",
                            "Nämnden beslutar", "Aktuellt från", "Skäl", "Anmälan"]
    rows = {r[3]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(_example(workspace, day).actions.items)
    termination = rows[WARNED["Brist-ID"]]
    assert (termination["Föreslaget steg"], termination["Nämnden beslutar"]) == ("Hävning", "Ja")
    assert termination["Anmälan"] == "ta ställning till anmälan till IVO/polis"
    assert termination["Beslutad sanktion"] == "Varning med åtgärdsplan"
    late = next(r for fid, r in rows.items() if r["Läge"] == "Åtgärdsplan försenad")
    assert _overdue(FINDINGS[late["Brist-ID"]], day)
    assert late["Åtgärdsplan senast"] == dt.datetime.combine(FINDINGS[late["Brist-ID"]]["Åtgärdsplan senast"], dt.time())
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == late["Brist-ID"])
    assert ws.cell(row, 5).fill.start_color.rgb == "FFF4B6B6"
    assert ws.cell(row, headers.index("Åtgärdsplan senast") + 1).number_format == "yyyy-mm-dd"
    assert ws.cell(1, 1).font.bold and ws.freeze_panes == "E2"
    summary = {r[1]: r for r in wb["Per utförare"].iter_rows(min_row=2, values_only=True)}
    assert summary[WARNED["Utförar-ID"]][4] == "Hävning"
    about = [c.value for c in wb["Om listan"]["B"]]
    assert any(isinstance(v, str) and "nämnden beslutar" in v for v in about)


def test_letters_go_only_to_providers_with_an_overdue_plan(cli, workspace, tmp_path):
    folder = tmp_path / "brev"
    from followup_cli.swedish import swedish_date

    result = cli("actions", "--as-of", LATE_DAY, "--letters", folder, cwd=workspace)
    assert result.code == 0 and f"Skrev {len(LATE_PROVIDERS)} påminnelse" in result.stderr
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        f"paminnelse-{pid}.docx" for pid in LATE_PROVIDERS)
    pid = LATE["Utförar-ID"]
    text = word_text(folder / f"paminnelse-{pid}.docx")
    assert "Påminnelse om åtgärdsplan" in text and f"Till {LATE['Namn']} ({pid})" in text
    assert LATE["Brist-ID"] in text and LATE["Beskrivning"] in text and swedish_date(LATE["Åtgärdsplan senast"]) in text
    assert "nämnden som beslutar" in text
    others = [f["Brist-ID"] for f in FINDINGS.values() if f["Utförar-ID"] == pid and not _overdue(f, LATE_DAY)]
    assert not [fid for fid in others if fid in text]  # only the overdue plans


def test_a_provider_name_with_an_ampersand_comes_out_whole_in_the_letter(tmp_path):
    from followup_cli import api

    path = small_register(tmp_path / "register.xlsx", [finding("B-1", "LOV-1", due=D(2026, 3, 1))])
    ws = api.open_workspace(None, cwd=tmp_path)
    run = api.actions(ws, register=path, as_of="2026-04-01", letters=tmp_path / "brev")
    text = "\n".join(p.text for p in Document(run.letters[0]).paragraphs)
    assert "Omsorg & Vård <Syd> AB" in text


def test_a_personnummer_in_a_letter_stops_everything(cli, tmp_path):
    path = small_register(tmp_path / "register.xlsx", [
        finding("B-1", "LOV-1", description="Brukaren 19121212-1212 fick fel insats")])
    before = fingerprint(tmp_path)
    result = cli("actions", "--register", path, "--as-of", "2026-04-01", "--letters", tmp_path / "brev",
                 "--out", tmp_path / "a.xlsx", cwd=tmp_path)
    assert result.code == 4
    assert "register.xlsx, bladet Brister, cell F2 (Beskrivning)" in result.stderr
    assert "19121212" not in result.stderr
    assert not (tmp_path / "brev").exists() and not (tmp_path / "a.xlsx").exists()
    assert fingerprint(tmp_path) == before


def test_the_internal_workbook_masks_a_personnummer_and_warns(cli, tmp_path):
    from openpyxl import load_workbook

    path = small_register(tmp_path / "register.xlsx", [
        finding("B-1", "LOV-1", description="Brukaren 19121212-1212 fick fel insats")])
    result = cli("actions", "--register", path, "--as-of", "2026-04-01", "--out", tmp_path / "a.xlsx", cwd=tmp_path)
    assert result.code == 0 and "personnummer maskerat i register.xlsx, bladet Brister, cell F2" in result.stderr
    values = [c for r in load_workbook(tmp_path / "a.xlsx")["Åtgärder"].iter_rows(values_only=True) for c in r]
    assert "Brukaren ÅÅMMDD-XXXX fick fel insats" in values and not any("19121212" in str(v) for v in values)


def test_inputs_are_byte_identical_and_outputs_the_same_bytes(cli, workspace, tmp_path):
    before = fingerprint(workspace)
    for name in ("a", "b"):
        assert cli("actions", "--as-of", "2026-05-01", "--out", tmp_path / f"{name}.xlsx", "--letters", tmp_path / name,
                   cwd=workspace).code == 0
    assert fingerprint(workspace) == before
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a" / "paminnelse-HT-004.docx").read_bytes() == (tmp_path / "b" / "paminnelse-HT-004.docx").read_bytes()


def test_an_output_over_the_register_is_refused(cli, workspace):
    before = fingerprint(workspace)
    result = cli("actions", "--as-of", "2026-05-01", "--out", workspace / "register.xlsx", cwd=workspace)
    assert result.code == 2 and fingerprint(workspace) == before


def test_a_misspelt_board_step_is_one_sentence(tmp_path):
    from followup_cli.errors import InputError
    from followup_cli.reviews.scale import load_assessment

    with pytest.raises(InputError, match="board_step"):
        load_assessment({"ladder": {"board_step": "Varnig"}})


def test_the_letter_template_is_what_the_script_builds():
    script = template_script("make_reminder_template")

    def texts(source):
        with zipfile.ZipFile(source) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}

    assert texts(io.BytesIO(script.build())) == texts(ROOT / "templates" / "paminnelse.docx"), \
        "run python scripts/make_reminder_template.py and commit templates/paminnelse.docx"


# --- unhappy paths -------------------------------------------------------------------------------------------------

def test_a_register_without_findings_has_nothing_to_follow_up(cli, tmp_path):
    path = write_xlsx(tmp_path / "register.xlsx", {"Utförare": [PROVIDER_HEADERS, provider_row()]})
    result = cli("actions", "--register", path, "--as-of", "2026-04-01", "--fail-on-overdue", "--json", cwd=tmp_path)
    assert result.code == 0 and result.json()["providers"] == []
    assert "Bladet Brister saknas" in result.json()["notes"][0]


@pytest.mark.parametrize("args, code, words", [
    (["--as-of", "1 maj"], 2, "--as-of ska vara ett datum"),
    (["--out", "actions.csv"], 2, "ge filen ändelsen .xlsx"),
])
def test_wrong_usage_is_one_sentence_and_nothing_written(cli, workspace, args, code, words):
    before = fingerprint(workspace)
    result = cli("actions", *args, cwd=workspace)
    assert result.code == code and words in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(workspace) == before


def test_a_register_with_errors_is_refused_with_exit_3(cli, tmp_path):
    path = small_register(tmp_path / "register.xlsx", [finding("B-1", "OKÄND-9")])
    result = cli("actions", "--register", path, "--as-of", "2026-04-01", cwd=tmp_path)
    assert result.code == 3 and "followup validate" in result.stderr


def test_a_letter_that_followup_did_not_write_is_not_replaced_without_force(cli, workspace, tmp_path):
    folder = tmp_path / "brev"
    folder.mkdir()
    mine = folder / f"paminnelse-{LATE['Utförar-ID']}.docx"
    mine.write_bytes(b"mitt eget brev")
    result = cli("actions", "--as-of", LATE_DAY, "--letters", folder, cwd=workspace)
    assert result.code == 5 and mine.read_bytes() == b"mitt eget brev"
    assert cli("actions", "--as-of", LATE_DAY, "--letters", folder, "--force", cwd=workspace).code == 0
    assert mine.read_bytes() != b"mitt eget brev"


def test_a_provider_without_reviewing_unit_is_listed_last_with_a_note(tmp_path):
    providers = [provider_row("LOV-1", "Utan enhet AB", unit=None),
                 provider_row("EGEN-1", "Egen", orgnr="212000-0142", ownership="Egen regi", contract="Uppdragsbeskrivning")]
    run = _run(tmp_path, [finding("B-1", "LOV-1"), finding("B-2", "EGEN-1", review="G-2")], providers=providers)
    assert [i.finding_id for i in run.actions.items] == ["B-2", "B-1"]
    assert run.warnings == ["Uppföljande enhet saknas för LOV-1: fyll i den på bladet Utförare."]


def test_an_inactive_provider_gets_no_step_but_a_note(tmp_path):
    providers = [provider_row("LOV-1", "Avslutad AB", active="Nej", end=D(2026, 3, 15)),
                 provider_row("EGEN-1", "Egen", orgnr="212000-0142", ownership="Egen regi", contract="Uppdragsbeskrivning")]
    run = _run(tmp_path, [finding("B-1", "LOV-1"), finding("B-2", "EGEN-1", review="G-2")], providers=providers)
    assert [i.finding_id for i in run.actions.items] == ["B-2"]
    assert run.warnings == ["Öppna brister hos utförare som inte är aktiva (Aktiv = Nej) tas inte med: B-1; "
                            "fyll i Åtgärdad om de är avslutade."]


def test_a_missing_contract_form_escalates_and_says_so(tmp_path):
    providers = [provider_row("LOV-1", "Okänd form AB", contract=None),
                 provider_row("EGEN-1", "Egen", orgnr="212000-0142", ownership="Egen regi", contract="IOP")]
    items = _items(_run(tmp_path, [finding("B-1", "LOV-1"), finding("B-2", "EGEN-1", review="G-2")], providers=providers))
    assert items["B-1"].step.id == "management" and "fyll i Avtalsform" in items["B-1"].step.reason
    assert items["B-2"].step.id == "management" and items["B-2"].step.reason.startswith("IOP: inga avtalssanktioner")


def test_one_letter_per_provider_holds_all_its_overdue_plans_and_no_others(tmp_path):
    from followup_cli import api

    path = small_register(tmp_path / "register.xlsx", [
        finding("B-1", "LOV-1", due=D(2026, 3, 1)), finding("B-2", "LOV-1", due=D(2026, 3, 5)),
        finding("B-3", "LOV-1", due=D(2026, 3, 5), received=D(2026, 3, 4)),
        finding("B-4", "EGEN-1", review="G-2", due=D(2026, 4, 10))])  # due soon: no letter
    run = api.actions(api.open_workspace(None, cwd=tmp_path), register=path, as_of="2026-04-01", letters=tmp_path / "brev")
    assert [p.name for p in run.letters] == ["paminnelse-LOV-1.docx"]
    doc = Document(run.letters[0])
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "B-1" in cells and "B-2" in cells and "B-3" not in cells
    assert any("de 2 bristerna nedan" in p.text for p in doc.paragraphs)


def test_check_template_knows_every_value_of_the_letter(cli, workspace, monkeypatch):
    from followup_cli.publish import reminder_letters
    from followup_cli.publish.template_check import shape

    contexts = []
    real = reminder_letters.letter_context
    monkeypatch.setattr(reminder_letters, "letter_context", lambda *a: contexts.append(real(*a)) or contexts[-1])
    assert cli("actions", "--as-of", LATE_DAY, "--letters", workspace / "brev", cwd=workspace).code == 0
    assert contexts and shape(contexts[0]) == shape(reminder_letters.letter_context_keys())
    assert cli("check-template", ROOT / "templates" / "paminnelse.docx").code == 0
