"""The risk model on small registers built in the test: scenarios with known answers, and properties.

Every register here is described compactly (providers, events, reviews, findings ...), written as an
xlsx, read with read_register and analysed with analyze_risk, exactly as `followup risk-analyze` does.
Known answers are derived from the model's own configuration (defaults.yaml), never copied from a run.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import PROVIDER_HEADERS, write_xlsx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from followup_cli.errors import InputError
from followup_cli.register.read import RegisterSources, read_register
from followup_cli.risk.analyze import analyze_risk
from followup_cli.risk.collect import EvidenceCollector
from followup_cli.risk.model import defaults, load_model

AS_OF = dt.date(2025, 6, 1)

EVENT_HEADERS = ["Datum", "Utförar-ID", "Typ", "Allvarlighet", "Granskningsområde", "Beskrivning"]
REVIEW_HEADERS = ["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"]
FINDING_HEADERS = ["Brist-ID", "Utförar-ID", "Gransknings-ID", "Krav-ID", "Granskningsområde", "Allvarlighet",
                   "Beskrivning", "Åtgärdsplan senast", "Åtgärdsplan inkommen", "Åtgärdad", "Sanktion", "Anmäld till"]
ADJUSTMENT_HEADERS = ["Utförar-ID", "Åtgärd", "Motivering", "Beslutad av", "Datum"]
SURVEY_HEADERS = ["År", "Utförar-ID", "Indikator", "Värde", "Kön", "Antal svar", "Jämförelsevärde"]
SELF_REPORT_HEADERS = ["År", "Utförar-ID", "Indikator", "Värde"]

# Every optional sheet of the register, by its Swedish title.
OPTIONAL_SHEETS = {"Händelser", "Granskningar", "Brister", "Krav", "Brukarundersökning", "Egenrapportering",
                   "Fakturering", "Justeringar"}


def ago(days: int, as_of: dt.date = AS_OF) -> dt.date:
    return as_of - dt.timedelta(days=days)


# ---------------------------------------------------------------------------------------------
# A register from a compact description
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prov:
    """One row of Utförare."""

    pid: str
    area: str = "Hemtjänst"
    clients: int | None = 40
    last: dt.date | None = None  # Senast granskad
    ownership: str = "Privat"
    active: str = "Ja"
    start: dt.date = dt.date(2015, 1, 1)
    end: dt.date | None = None

    def row(self) -> list:
        # Organisationsnummer and Avtalsform are the same whatever the Regiform, so that swapping
        # Regiform changes that one cell only.
        return [self.pid, f"Enhet {self.pid}", "556677-8899", self.ownership, "Ramavtal", self.area, "SoL", "Socialnämnden",
                "Sociala kvalitetsenheten", self.clients, self.start, self.end, self.last, self.active]


def ev(pid: str, kind: str = "Klagomål", days: int = 30, severity: int | None = 2, area: str | None = "Bemötande"):
    """An event `days` before AS_OF (negative: after it)."""
    return [ago(days), pid, kind, severity, area, "Beskrivning av händelsen"]


def rv(review_id: str, pid: str, days: int, result: str = "Brister"):
    return [review_id, pid, ago(days), "Kvalitetsgranskning", "Platsbesök", "Anna", result]


def fd(finding_id: str, pid: str, review_id: str | None = None, severity: str = "Brist", area: str = "Dokumentation",
       due: int | None = None, received: int | None = None, resolved: int | None = None, sanction: str = "Ingen"):
    """A finding; due/received/resolved are days before AS_OF (None: empty)."""
    day = lambda d: None if d is None else ago(d)  # noqa: E731
    return [finding_id, pid, review_id, None, area, severity, "Beskrivning av bristen",
            day(due), day(received), day(resolved), sanction, None]


def adj(pid: str, action: str = "Höj risk", reason: str = "Signaler från anhöriga som inte syns i registret",
        by: str = "Kvalitetsstrateg", days: int = 10):
    return [pid, action, reason, by, ago(days)]


def sheets(providers, events=(), reviews=(), findings=(), adjustments=None, survey=None, self_report=None,
           only_providers: bool = False) -> dict[str, list[list]]:
    """The sheets of a register. Händelser, Granskningar and Brister are always there (perhaps empty) unless
    only_providers; Justeringar, Brukarundersökning and Egenrapportering only when rows are given."""
    out = {"Utförare": [PROVIDER_HEADERS, *(p.row() for p in providers)]}
    if only_providers:
        return out
    out["Händelser"] = [EVENT_HEADERS, *events]
    out["Granskningar"] = [REVIEW_HEADERS, *reviews]
    out["Brister"] = [FINDING_HEADERS, *findings]
    if adjustments is not None:
        out["Justeringar"] = [ADJUSTMENT_HEADERS, *adjustments]
    if survey is not None:
        out["Brukarundersökning"] = [SURVEY_HEADERS, *survey]
    if self_report is not None:
        out["Egenrapportering"] = [SELF_REPORT_HEADERS, *self_report]
    return out


def read(folder: Path, content: dict[str, list[list]], as_of: dt.date = AS_OF, name: str = "register.xlsx",
         valid: bool = True):
    path = write_xlsx(Path(folder) / name, content)
    register = read_register(RegisterSources(path), as_of)
    if valid:
        errors = [p.message for p in register.problems if p.severity == "error"]
        assert not errors, f"the test's own register is invalid: {errors}"
    return register


def analyse(folder: Path, content: dict[str, list[list]], as_of: dt.date = AS_OF, model=None, name: str = "register.xlsx",
            valid: bool = True):
    return analyze_risk(read(folder, content, as_of, name, valid), as_of, model or load_model())


def by_id(analysis) -> dict:
    return {p.provider_id: p for p in analysis.providers}


def likelihood_reasons(p) -> list:
    return [r for r in p.reasons if r.dimension == "likelihood"]


def contribution(p, factor: str) -> float:
    found = [r.contribution for r in p.reasons if r.factor == factor]
    assert len(found) == 1, f"{p.provider_id}: expected one reason {factor}, got {[r.factor for r in p.reasons]}"
    return found[0]


def level_rank(analysis, name: str) -> int:
    return analysis.matrix.level_index(name)


def level_rank_of(name: str) -> int:
    return load_model().matrix.level_index(name)


CFG = defaults()
L = CFG["likelihood"]


# ---------------------------------------------------------------------------------------------
# Scenarios with known answers
# ---------------------------------------------------------------------------------------------

def test_serious_lex_sarah_and_overdue_action_plan_rank_above_a_quiet_provider(tmp_path):
    # Same service area, same size, reviewed on the same day; only the signals differ.
    providers = [Prov("QUIET"), Prov("LOUD")]
    analysis = analyse(tmp_path, sheets(
        providers,
        events=[ev("LOUD", "Lex Sarah", 20, 4, "Trygghet och säkerhet"), ev("LOUD", "Lex Sarah", 45, 4, "Trygghet och säkerhet")],
        reviews=[rv("G-1", "QUIET", 90, "Inga brister"), rv("G-2", "LOUD", 90)],
        findings=[fd("B-1", "LOUD", "G-2", "Brist", due=30)],  # action plan due a month ago, never received
    ))
    quiet, loud = by_id(analysis)["QUIET"], by_id(analysis)["LOUD"]
    assert loud.rank < quiet.rank
    assert [p.provider_id for p in analysis.providers] == ["LOUD", "QUIET"]
    assert loud.likelihood_points > quiet.likelihood_points
    assert loud.risk_value > quiet.risk_value
    assert level_rank(analysis, loud.level) > level_rank(analysis, quiet.level)
    assert loud.consequence == quiet.consequence  # what is at stake is the same: the difference is likelihood

    texts = " ".join(r.text for r in likelihood_reasons(loud))
    assert "Lex Sarah" in texts
    assert "åtgärdsplan" in texts.lower()
    reasons = likelihood_reasons(loud)
    assert all(r.contribution > 0 for r in reasons)
    assert math.isclose(sum(r.contribution for r in reasons), loud.likelihood_points, abs_tol=0.01)
    # Two Lex Sarah of severity 4 at most 45 days old: each weighs close to weight × severity factor.
    full = L["events"]["lex_sarah"] * L["severity_factor"][4]
    assert contribution(loud, "lex_sarah") > 2 * full * 0.5 ** (45 / L["half_life_days"]) - 0.01
    assert math.isclose(contribution(loud, "overdue_action_plans"), L["overdue_action_plan"], abs_tol=0.001)


def test_an_old_event_weighs_less_than_a_new_one(tmp_path):
    providers = [Prov("NEW", last=ago(60)), Prov("OLD", last=ago(60))]
    analysis = analyse(tmp_path, sheets(providers, events=[ev("NEW", "Lex Sarah", 30, 3), ev("OLD", "Lex Sarah", 730, 3)]))
    new, old = by_id(analysis)["NEW"], by_id(analysis)["OLD"]
    assert old.likelihood_points < new.likelihood_points
    assert contribution(old, "lex_sarah") < contribution(new, "lex_sarah")


def test_an_event_one_half_life_old_weighs_half(tmp_path):
    assert L["half_life_days"] == 365
    providers = [Prov("TODAY", last=ago(60)), Prov("YEAR", last=ago(60))]
    analysis = analyse(tmp_path, sheets(providers, events=[ev("TODAY", "Lex Sarah", 0, 4), ev("YEAR", "Lex Sarah", 365, 4)]))
    today, year = contribution(by_id(analysis)["TODAY"], "lex_sarah"), contribution(by_id(analysis)["YEAR"], "lex_sarah")
    assert math.isclose(today, L["events"]["lex_sarah"] * L["severity_factor"][4], abs_tol=0.001)  # 2.0 × 2.0
    assert math.isclose(year, today / 2, abs_tol=0.001)


def test_the_half_life_is_configurable(tmp_path):
    model = load_model({"likelihood": {"half_life_days": 100}})
    providers = [Prov("TODAY", last=ago(60)), Prov("OLD", last=ago(60))]
    analysis = analyse(tmp_path, sheets(providers, events=[ev("TODAY", "Lex Sarah", 0, 4), ev("OLD", "Lex Sarah", 200, 4)]),
                       model=model)
    today, old = contribution(by_id(analysis)["TODAY"], "lex_sarah"), contribution(by_id(analysis)["OLD"], "lex_sarah")
    assert math.isclose(old, today / 4, abs_tol=0.001)  # two half-lives


def test_events_older_than_the_lookback_do_not_count(tmp_path):
    providers = [Prov("A", last=ago(60)), Prov("B", last=ago(60))]
    analysis = analyse(tmp_path, sheets(providers, events=[ev("A", "Lex Sarah", L["lookback_days"] + 5, 4)]))
    a, b = by_id(analysis)["A"], by_id(analysis)["B"]
    assert not [r for r in a.reasons if r.factor == "lex_sarah"]
    assert a.likelihood_points == b.likelihood_points


def test_ten_complaints_weigh_less_among_many_clients(tmp_path):
    providers = [Prov("MANY", clients=200, last=ago(60)), Prov("FEW", clients=10, last=ago(60))]
    complaints = [ev(pid, "Klagomål", 10 + 7 * i, 2) for pid in ("MANY", "FEW") for i in range(10)]
    analysis = analyse(tmp_path, sheets(providers, events=complaints))
    many, few = by_id(analysis)["MANY"], by_id(analysis)["FEW"]
    assert contribution(many, "complaint") < contribution(few, "complaint")
    assert many.likelihood_points < few.likelihood_points
    # (reference / clients)^½ bounded by the limits: 200 clients → ½, 10 clients → √5 capped at 2: a factor 4.
    low, high = L["normalisation_limits"]
    expected = min(high, math.sqrt(L["reference_clients"] / 10)) / max(low, math.sqrt(L["reference_clients"] / 200))
    assert math.isclose(contribution(few, "complaint") / contribution(many, "complaint"), expected, rel_tol=0.01)
    # Lex Sarah is not an everyday signal: it is not scaled by the number of clients.
    analysis = analyse(tmp_path, sheets(providers, events=[ev(pid, "Lex Sarah", 10, 3) for pid in ("MANY", "FEW")]),
                       name="lex.xlsx")
    assert contribution(by_id(analysis)["MANY"], "lex_sarah") == contribution(by_id(analysis)["FEW"], "lex_sarah")


def test_an_observation_counts_until_the_next_review_looks_at_it_again(tmp_path):
    """An Iakttagelse asks for no action: it is an open finding until the provider's next review, and then no more,
    while a Brist stays open until it is corrected."""
    analysis = analyse(tmp_path, sheets(
        [Prov("SEEN"), Prov("PENDING")],
        reviews=[rv("G-1", "SEEN", 400), rv("G-2", "SEEN", 60), rv("G-3", "PENDING", 60)],
        findings=[fd("B-1", "SEEN", "G-1", "Iakttagelse"), fd("B-2", "SEEN", "G-1", "Brist", due=380),
                  fd("B-3", "PENDING", "G-3", "Iakttagelse")]))
    found = by_id(analysis)
    seen = next(r for r in found["SEEN"].reasons if r.factor == "open_findings")
    assert seen.count == 1 and "1 brist" in seen.text and "iakttagelse" not in seen.text  # the Brist of G-1 only
    assert contribution(found["PENDING"], "open_findings") == L["open_findings"]["observation"]


def test_a_self_report_is_no_review_that_looks_at_an_observation_again(tmp_path):
    """Only a visit looks an Iakttagelse over again, as only a visit counts as the last review for the plan."""
    self_report = ["G-2", "PENDING", ago(60), "Egenrapportering", "Egenrapportering", "Anna", "Inga brister"]
    analysis = analyse(tmp_path, sheets([Prov("PENDING")], reviews=[rv("G-1", "PENDING", 400), self_report],
                                        findings=[fd("B-1", "PENDING", "G-1", "Iakttagelse")]))
    assert contribution(by_id(analysis)["PENDING"], "open_findings") == L["open_findings"]["observation"]


def test_a_provider_never_reviewed_is_not_low(tmp_path):
    # A small day centre with nothing against it: by points alone it would be in the lowest cell (Låg).
    providers = [Prov("NEVER", area="Dagverksamhet", clients=5), Prov("SEEN", area="Dagverksamhet", clients=5, last=ago(30))]
    analysis = analyse(tmp_path, sheets(providers))
    never, seen = by_id(analysis)["NEVER"], by_id(analysis)["SEEN"]
    assert seen.level == "Låg"  # the control: same provider, reviewed last month
    assert level_rank(analysis, never.level) >= level_rank(analysis, "Medel")
    assert never.unknown is True
    assert "granskning" in never.missing
    assert never.last_review is None
    assert any(r.factor == "unknown" and "aldrig granskad" in r.text.lower() for r in never.reasons)
    assert never.rank < seen.rank


def test_a_register_with_only_the_provider_sheet_degrades_gracefully(tmp_path):
    providers = [Prov("A", last=ago(100)), Prov("B", area="Särskilt boende", clients=60)]
    analysis = analyse(tmp_path, sheets(providers, only_providers=True))
    assert set(analysis.absent_sheets) == OPTIONAL_SHEETS
    assert len(analysis.providers) == 2
    a, b = by_id(analysis)["A"], by_id(analysis)["B"]
    for p in (a, b):
        assert {"händelser", "brukarundersökning", "egenrapportering"} <= set(p.missing)  # listed, never silent
    # A was reviewed 100 days ago (Senast granskad): known. B never was: okänd, at least Medel, and says why.
    assert a.unknown is False
    assert b.unknown is True
    assert level_rank(analysis, b.level) >= level_rank(analysis, "Medel")
    stated = [r.text for r in b.reasons if r.factor == "unknown"]
    assert stated and all(kind in stated[0] for kind in b.missing)  # the reason names what is missing
    assert "granskning" in b.missing and "granskning" not in a.missing  # A has Senast granskad


def test_evidence_after_the_as_of_day_is_ignored(tmp_path):
    providers = [Prov("A", last=ago(200)), Prov("B", area="Särskilt boende", clients=30, last=ago(400))]
    base = dict(events=[ev("A", "Klagomål", 40, 2)], reviews=[rv("G-1", "B", 300)], adjustments=[])
    before = analyse(tmp_path, sheets(providers, **base), name="before.xlsx")
    later = analyse(tmp_path, sheets(
        providers,
        events=base["events"] + [ev("A", "Lex Sarah", -1, 4), ev("B", "IVO-beslut", -1, 4)],
        reviews=base["reviews"] + [rv("G-2", "A", -1), rv("G-3", "B", -1)],
        findings=[fd("B-9", "B", "G-3", "Allvarlig brist", due=-20, sanction="Vite")],
        adjustments=[adj("A", days=-1)],
    ), name="later.xlsx")
    assert later.to_dict() == before.to_dict()
    # ... while the same Lex Sarah on the as-of day itself does count.
    today = analyse(tmp_path, sheets(providers, events=base["events"] + [ev("A", "Lex Sarah", 0, 4)],
                                     reviews=base["reviews"]), name="today.xlsx")
    assert by_id(today)["A"].likelihood_points > by_id(before)["A"].likelihood_points


def test_inactive_providers_are_listed_but_not_ranked(tmp_path):
    providers = [Prov("ON", last=ago(30)), Prov("OFF", active="Nej", end=ago(100), last=ago(30))]
    analysis = analyse(tmp_path, sheets(providers, events=[ev("OFF", "Lex Sarah", 120, 4)]))
    assert [p.provider_id for p in analysis.providers] == ["ON"]
    assert analysis.providers[0].rank == 1
    assert [p.provider_id for p in analysis.inactive] == ["OFF"]
    assert analysis.inactive[0].contract_end == ago(100).isoformat()
    assert analysis.counts() == [[1 if (i, j) == (analysis.providers[0].likelihood - 1, analysis.providers[0].consequence - 1)
                                  else 0 for j in range(4)] for i in range(4)]
    # The inactive provider's evidence touches no one: ON is analysed as if OFF were not in the register.
    alone = analyse(tmp_path, sheets([providers[0]]), name="alone.xlsx")
    assert alone.providers[0].to_dict() == analysis.providers[0].to_dict()


@pytest.mark.parametrize("senast, granskning, expected", [  # all past the grace months, so the age counts
    (ago(900), ago(450), ago(450)),     # the Granskningar sheet is later
    (ago(450), ago(900), ago(450)),     # Senast granskad is later
    (None, ago(600), ago(600)),         # only the sheet
    (ago(600), None, ago(600)),         # only the column
])
def test_the_last_review_is_the_latest_of_the_sheet_and_the_column(tmp_path, senast, granskning, expected):
    reviews = [rv("G-1", "A", (AS_OF - granskning).days)] if granskning else []
    analysis = analyse(tmp_path, sheets([Prov("A", last=senast)], reviews=reviews))
    a = analysis.providers[0]
    assert a.last_review == expected.isoformat()
    assert "granskning" not in a.missing
    months = (AS_OF - expected).days / 30.44
    cfg = L["review_age"]
    grace = cfg["grace_months"]
    assert months > grace
    assert math.isclose(contribution(a, "review_age"),
                        cfg["max_points"] * min(1, (months - grace) / (cfg["full_after_months"] - grace)), abs_tol=0.001)


def test_a_raise_adjustment_is_shown_beside_the_computed_result(tmp_path):
    providers = [Prov("A", last=ago(30)), Prov("B", last=ago(30))]
    reason = "Anhöriga hör av sig om stressad personal; inget syns ännu i registret"
    plain = analyse(tmp_path, sheets(providers), name="plain.xlsx")
    adjusted = analyse(tmp_path, sheets(providers, adjustments=[adj("A", "Höj risk", reason, "Eva Ek", 5)]),
                       name="adjusted.xlsx")
    before, a = by_id(plain)["A"], by_id(adjusted)["A"]
    # The computed fields are as they were ...
    for name in ("likelihood", "consequence", "likelihood_points", "score", "risk_value", "level", "unknown", "missing"):
        assert getattr(a, name) == getattr(before, name), name
    assert before.adjustment is None
    # ... and the adjustment beside them: one likelihood step up, at a higher level, with its stated reason.
    assert a.adjustment is not None
    assert a.adjustment.action == "Höj risk" and a.adjustment.action_id == "raise"
    assert a.adjustment.reason == reason
    assert a.adjustment.decided_by == "Eva Ek"
    assert a.adjustment.likelihood == a.likelihood + 1
    assert a.adjustment.risk_value == (a.likelihood + 1) * a.consequence
    assert a.adjustment.level == adjusted.matrix.level(a.likelihood + 1, a.consequence).name
    assert a.adjustment.level != a.level
    assert a.final_level == a.adjustment.level and a.final_value == a.adjustment.risk_value
    assert by_id(adjusted)["B"].adjustment is None


def test_an_adjustment_without_a_reason_is_not_applied(tmp_path):
    providers = [Prov("A", last=ago(30))]
    register = read(tmp_path, sheets(providers, adjustments=[adj("A", "Höj risk", None)]), valid=False)
    assert any(p.severity == "error" and "Motivering" in p.message for p in register.problems)  # validate says so
    analysis = analyze_risk(register, AS_OF, load_model())  # and the analysis does not act on it
    assert analysis.providers[0].adjustment is None


def test_ties_are_broken_by_provider_id(tmp_path):
    providers = [Prov("B", last=ago(200)), Prov("A", last=ago(200))]
    events = [ev(pid, "Klagomål", 50, 2) for pid in ("B", "A")]
    analysis = analyse(tmp_path, sheets(providers, events=events))
    b, a = by_id(analysis)["B"], by_id(analysis)["A"]
    assert (a.risk_value, a.score) == (b.risk_value, b.score)
    assert [p.provider_id for p in analysis.providers] == ["A", "B"]
    assert [p.rank for p in analysis.providers] == [1, 2]


def test_ranking_is_by_risk_value_then_score(tmp_path):
    # Y and Z are in the same cell, Z further into it (more complaints); A has a higher risk value.
    providers = [Prov("Y", last=ago(30)), Prov("Z", last=ago(30)), Prov("A", area="Särskilt boende", clients=80, last=ago(30))]
    events = ([ev("Y", "Klagomål", 20, 3, None)] * 4 + [ev("Z", "Klagomål", 20, 3, None)] * 5
              + [ev("A", "Lex Sarah", 20, 4), ev("A", "IVO-beslut", 20, 4)])
    analysis = analyse(tmp_path, sheets(providers, events=events))
    y, z, a = by_id(analysis)["Y"], by_id(analysis)["Z"], by_id(analysis)["A"]
    assert (y.likelihood, y.consequence) == (z.likelihood, z.consequence)
    assert z.score > y.score
    assert a.risk_value > z.risk_value
    assert [p.provider_id for p in analysis.providers] == ["A", "Z", "Y"]


FIVE = {
    "name": "Riskmatris 5×5",
    "likelihood": ["Mycket osannolik", "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"],
    "consequence": ["Försumbar", "Lindrig", "Måttlig", "Betydande", "Katastrofal"],
    "levels": [{"id": "very_low", "name": "Mycket låg", "color": "#C6EFCE"},
               {"id": "low", "name": "Låg", "color": "#92D050"},
               {"id": "medium", "name": "Medel", "color": "#FFD966"},
               {"id": "high", "name": "Hög", "color": "#F4B084"},
               {"id": "very_high", "name": "Mycket hög", "color": "#FF6B6B"}],
    "grid": [[0, 0, 1, 1, 2],
             [0, 1, 1, 2, 3],
             [1, 1, 2, 3, 3],
             [1, 2, 3, 3, 4],
             [2, 3, 3, 4, 4]],
}


def test_a_five_by_five_matrix_works_by_configuration_alone(tmp_path):
    model = load_model({"matrix": FIVE})
    assert len(model.likelihood_cuts) == 4 and len(model.consequence_cuts) == 4
    assert list(model.likelihood_cuts) == sorted(model.likelihood_cuts)
    providers = [Prov("QUIET", area="Dagverksamhet", clients=3, last=ago(10)),
                 Prov("MID", last=ago(400)),
                 Prov("WORST", area="Särskilt boende", clients=250, last=ago(1500)),
                 Prov("NEVER", area="Okänt område", clients=None)]
    events = [ev("WORST", "Lex Sarah", d, 4) for d in (5, 15, 30, 60)] + [ev("WORST", "IVO-beslut", 20, 4)]
    events += [ev("MID", "Klagomål", d, 2) for d in (10, 40, 80)]
    analysis = analyse(tmp_path, sheets(providers, events=events,
                                        findings=[fd("B-1", "WORST", None, "Allvarlig brist", due=20, sanction="Vite")]),
                       model=model)
    assert len(analysis.matrix.likelihood) == 5 and len(analysis.matrix.consequence) == 5
    assert analysis.to_dict()["matrix"]["grid"] == FIVE["grid"]
    for p in analysis.providers:
        assert 1 <= p.likelihood <= 5 and 1 <= p.consequence <= 5
        assert p.risk_value == p.likelihood * p.consequence
        computed = analysis.matrix.level(p.likelihood, p.consequence)
        assert p.level == (computed.name if not p.unknown else max(computed.name, "Medel", key=lambda n: level_rank(analysis, n)))
    worst = by_id(analysis)["WORST"]
    # The fifth steps are reached: far past the highest cut point, the most vulnerable clients, many of them.
    assert worst.likelihood == 5 and worst.consequence == 5 and worst.level == "Mycket hög"
    assert by_id(analysis)["QUIET"].likelihood == 1
    assert sum(map(sum, analysis.counts())) + sum(analysis.unknown_counts()) == len(providers)
    never = by_id(analysis)["NEVER"]
    assert never.unknown and level_rank(analysis, never.level) >= level_rank(analysis, "Medel")
    assert any("Okänt område" in w for w in analysis.warnings)


def test_a_five_by_five_matrix_with_its_own_cut_points(tmp_path):
    model = load_model({"matrix": FIVE, "likelihood": {"cut_points": [1, 2, 4, 8]},
                        "consequence": {"cut_points": [1.5, 2, 2.5, 3]}})
    assert model.likelihood_cuts == (1.0, 2.0, 4.0, 8.0)
    analysis = analyse(tmp_path, sheets([Prov("A", last=ago(10))], events=[ev("A", "Lex Sarah", 0, 4)] * 2), model=model)
    a = analysis.providers[0]
    assert a.likelihood_points >= 8 and a.likelihood == 5


@pytest.mark.parametrize("overrides, key", [
    ({"likelihood": {"half_life_dayz": 100}}, "risk.likelihood.half_life_days"),
    ({"likelyhood": {"half_life_days": 100}}, "risk.likelihood"),
    ({"consequence": {"weigths": {"clients": 0.3}}}, "risk.consequence.weights"),
])
def test_an_unknown_key_gets_a_suggestion(overrides, key):
    with pytest.raises(InputError) as caught:
        load_model(overrides)
    assert "menade du" in caught.value.message
    assert key in caught.value.message


@pytest.mark.parametrize("overrides", [
    {"likelihood": {"cut_points": [3.0, 6.0]}},
    {"likelihood": {"cut_points": [3.0, 6.0, 10.0, 12.0]}},
    {"consequence": {"cut_points": [2.4]}},
    {"matrix": FIVE, "likelihood": {"cut_points": [3.0, 6.0, 10.0]}},  # right for 4×4, wrong for 5×5
    {"likelihood": {"cut_points": [10.0, 6.0, 3.0]}},  # right length, not rising
])
def test_cut_points_that_do_not_fit_the_matrix_are_refused(overrides):
    with pytest.raises(InputError) as caught:
        load_model(overrides)
    assert "cut_points" in caught.value.message


@pytest.mark.parametrize("overrides", [
    {"likelihood": {"cut_points": [3.0, 3.0, 10.0]}},
    {"likelihood": {"cut_points": [5.0, 5.0, 5.0]}},
    {"consequence": {"cut_points": [3.0, 3.0, 3.0]}},
])
def test_cut_points_that_do_not_rise_are_refused(overrides):
    with pytest.raises(InputError) as caught:
        load_model(overrides)
    assert "cut_points" in caught.value.message


@pytest.mark.parametrize("overrides, key", [
    ({"likelihood": {"review_age": {"full_after_months": 0}}}, "full_after_months"),
    ({"consequence": {"reference_clients": 0}}, "reference_clients"),
    ({"likelihood": {"half_life_days": 0}}, "half_life_days"),
])
def test_a_zero_that_the_model_divides_by_is_refused(tmp_path, overrides, key):
    """Zero would crash the analysis or silently zero a factor: a sentence naming the key instead."""
    with pytest.raises(InputError) as caught:
        load_model(overrides)
    assert key in caught.value.message


def test_wrong_types_are_refused_with_a_sentence():
    with pytest.raises(InputError) as caught:
        load_model({"likelihood": {"half_life_days": "ett år"}})
    assert "risk.likelihood.half_life_days" in caught.value.message
    with pytest.raises(InputError):
        load_model({"unknown": {"min_level": "Skyhög"}})


def test_new_service_areas_can_be_added_to_the_open_tables():
    model = load_model({"consequence": {"vulnerability": {"Familjehem": 4}}})
    assert model.consequence["vulnerability"]["Familjehem"] == 4
    assert model.consequence["vulnerability"]["Hemtjänst"] == defaults()["consequence"]["vulnerability"]["Hemtjänst"]


# Overrides that name a vocabulary value, once by the label users see and once by the schema's id.
BY_LABEL = {"likelihood": {"events": {"Klagomål": 1.0, "IVO beslut": 4.0}, "normalise_by_clients": ["Klagomål", "Synpunkt"],
                           "open_findings": {"Allvarlig brist": 5.0}, "sanctions": {"Vite": 4.0},
                           "survey": {"areas": {"Trygghet": "Bemötande"}}, "billing": {"area": "Bemanning"},
                           "self_report": [{"indicator": "Personalomsättning", "above": 30, "points": 2.0, "area": "Dokumentation"}]},
            "unknown": {"min_level": "Hög"}}
BY_ID = {"likelihood": {"events": {"complaint": 1.0, "ivo_decision": 4.0}, "normalise_by_clients": ["complaint", "feedback"],
                        "open_findings": {"serious": 5.0}, "sanctions": {"penalty": 4.0},
                        "survey": {"areas": {"Trygghet": "treatment"}}, "billing": {"area": "staffing"},
                        "self_report": [{"indicator": "Personalomsättning", "above": 30, "points": 2.0, "area": "documentation"}]},
         "unknown": {"min_level": "high"}}


def test_a_vocabulary_value_may_be_named_by_its_label_or_its_id():
    by_label, by_id = load_model(BY_LABEL), load_model(BY_ID)
    assert by_label.likelihood == by_id.likelihood
    assert by_label.likelihood["events"]["complaint"] == 1.0 and by_label.likelihood["events"]["ivo_decision"] == 4.0
    assert "Klagomål" not in by_label.likelihood["events"]  # the label replaced the default, not beside it
    assert by_label.likelihood["open_findings"] == {**L["open_findings"], "serious": 5.0}
    assert by_label.likelihood["billing"]["area"] == "staffing"
    low, high = by_label.matrix.level_index(by_label.unknown["min_level"]), by_id.matrix.level_index(by_id.unknown["min_level"])
    assert low == high == by_label.matrix.level_index("high")


def test_the_same_override_by_label_or_by_id_gives_the_same_analysis(tmp_path):
    providers = [Prov("A", clients=10, last=ago(400)), Prov("B", last=ago(40))]
    content = sheets(providers, events=[ev("A", "Klagomål", 20, 3), ev("B", "IVO-beslut", 30, 2)],
                     reviews=[rv("G-1", "B", 40)], findings=[fd("B-1", "B", "G-1", "Allvarlig brist", sanction="Vite")])
    first = analyse(tmp_path, content, model=load_model(BY_LABEL), name="label.xlsx")
    second = analyse(tmp_path, content, model=load_model(BY_ID), name="id.xlsx")
    assert [p.to_dict() for p in first.providers] == [p.to_dict() for p in second.providers]
    assert by_id(first)["A"].reasons != by_id(analyse(tmp_path, content, name="plain.xlsx"))["A"].reasons  # the override counts


@pytest.mark.parametrize("overrides, key, near", [
    ({"likelihood": {"events": {"Klagomal2": 1.0}}}, "risk.likelihood.events.Klagomal2", "Klagomål"),
    ({"likelihood": {"sanctions": {"Varnig": 1.0}}}, "risk.likelihood.sanctions.Varnig", "Varning"),
    ({"likelihood": {"billing": {"area": "Dokumentaion"}}}, "risk.likelihood.billing.area", "Dokumentation"),
    ({"likelihood": {"normalise_by_clients": ["Synpunkter"]}}, "risk.likelihood.normalise_by_clients", "Synpunkt"),
])
def test_an_unknown_vocabulary_value_in_the_settings_is_refused_with_a_suggestion(overrides, key, near):
    with pytest.raises(InputError) as caught:
        load_model(overrides)
    assert caught.value.exit_code == 3
    assert key in caught.value.message and f"menade du '{near}'?" in caught.value.message


def test_missing_evidence_kinds_are_not_cached_across_registers(tmp_path):
    """Two registers analysed one after the other: each provider's missing evidence is its own register's."""
    providers = [Prov("A", last=ago(30)), Prov("B", last=ago(30))]
    first = analyse(tmp_path, sheets(providers, self_report=[[2025, "A", "Personalomsättning (%)", 10],
                                                           [2025, "B", "Personalomsättning (%)", 10]]), name="1.xlsx")
    assert "egenrapportering" not in by_id(first)["B"].missing
    second = analyse(tmp_path, sheets(providers, self_report=[[2025, "A", "Personalomsättning (%)", 10]]), name="2.xlsx")
    assert "egenrapportering" not in by_id(second)["A"].missing
    assert "egenrapportering" in by_id(second)["B"].missing


def test_the_first_serious_event_never_lowers_the_risk(tmp_path):
    # A small day centre reviewed last month; the register has only the Utförare sheet.
    providers = [Prov("A", area="Dagverksamhet", clients=5, last=ago(30))]
    before = analyse(tmp_path, sheets(providers, only_providers=True), name="before.xlsx").providers[0]
    content = sheets(providers, only_providers=True)
    content["Händelser"] = [EVENT_HEADERS, ev("A", "Lex Sarah", 10, 4, "Trygghet och säkerhet")]
    after = analyse(tmp_path, content, name="after.xlsx").providers[0]
    assert after.likelihood_points > before.likelihood_points  # holds
    assert after.risk_value >= before.risk_value
    assert level_rank_of(after.level) >= level_rank_of(before.level)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

AREAS = ["Hemtjänst", "Särskilt boende", "Daglig verksamhet", "Personlig assistans", "Korttidsboende"]
KINDS = ["Klagomål", "Synpunkt", "Lex Sarah", "Lex Maria", "Avvikelse", "IVO-beslut", "Handläggarsignal", "Övrigt"]
OWNERSHIPS = ["Egen regi", "Privat", "Idéburen"]
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def registers(draw):
    """A small register: 1–4 providers, a few events, reviews and findings, perhaps a self-report sheet."""
    n = draw(st.integers(1, 4))
    providers = [Prov(f"U-{i}", area=draw(st.sampled_from(AREAS)),
                      clients=draw(st.one_of(st.none(), st.integers(0, 300))),
                      last=draw(st.one_of(st.none(), st.integers(0, 2000).map(ago))),
                      ownership=draw(st.sampled_from(OWNERSHIPS)),
                      active=draw(st.sampled_from(["Ja", "Ja", "Ja", "Nej"])),
                      start=draw(st.sampled_from([dt.date(2010, 1, 1), ago(100)])))
                 for i in range(n)]
    pids = [p.pid for p in providers]
    events = draw(st.lists(st.builds(ev, st.sampled_from(pids), st.sampled_from(KINDS), st.integers(-30, 1300),
                                     st.one_of(st.none(), st.integers(1, 4)), st.just("Bemötande")), max_size=8))
    reviews = [rv(f"G-{i}", pid, days) for i, (pid, days) in
               enumerate(draw(st.lists(st.tuples(st.sampled_from(pids), st.integers(-30, 1500)), max_size=3)))]
    findings = []
    for i, (review, severity, due, received, resolved) in enumerate(draw(st.lists(st.tuples(
            st.sampled_from(reviews) if reviews else st.none(), st.sampled_from(["Iakttagelse", "Brist", "Allvarlig brist"]),
            *[st.one_of(st.none(), st.integers(0, 400))] * 3), max_size=3))):
        # due, received and resolved are days after the review (a finding is never closed before it is found)
        found = (AS_OF - review[2]).days if review else draw(st.integers(0, 800))
        after = lambda d: None if d is None else found - d  # noqa: E731
        pid = review[1] if review else draw(st.sampled_from(pids))
        findings.append(fd(f"B-{i}", pid, review[0] if review else None, severity, due=after(due),
                           received=after(received), resolved=after(resolved)))
    self_report = draw(st.one_of(st.none(), st.just([[2025, pid, "Personalomsättning (%)", 30] for pid in pids[:1]])))
    return providers, dict(events=events, reviews=reviews, findings=findings, self_report=self_report)


def _folder():
    return tempfile.TemporaryDirectory(prefix="risk-model-")


def _ranked(analysis) -> dict:
    return {p.provider_id: (p.rank, p.likelihood, p.consequence, p.likelihood_points, p.consequence_score, p.score,
                            p.risk_value, p.level, p.unknown, p.missing) for p in analysis.providers}


@pytest.mark.slow
@PROPERTY
@given(registers(), st.data())
def test_ownership_never_changes_any_score_level_or_rank(register, data):
    providers, rest = register
    swapped = [replace(p, ownership=data.draw(st.sampled_from(OWNERSHIPS))) for p in providers]
    with _folder() as folder:
        a = analyse(folder, sheets(providers, **rest), name="a.xlsx")
        b = analyse(folder, sheets(swapped, **rest), name="b.xlsx")
    assert _ranked(a) == _ranked(b)
    assert [p.provider_id for p in a.providers] == [p.provider_id for p in b.providers]
    assert [p.provider_id for p in a.inactive] == [p.provider_id for p in b.inactive]


@pytest.mark.slow
@PROPERTY
@given(registers(), st.data())
def test_a_serious_event_never_lowers_the_risk(register, data):
    providers, rest = register
    active = [p.pid for p in providers if p.active == "Ja"]
    assume(active)  # an event needs an active provider to weigh on
    target = data.draw(st.sampled_from(active))
    days = data.draw(st.integers(0, 1500))
    more = dict(rest, events=[*rest["events"], ev(target, "Lex Sarah", days, 4, "Trygghet och säkerhet")])
    with _folder() as folder:
        before = by_id(analyse(folder, sheets(providers, **rest), name="before.xlsx"))[target]
        after = by_id(analyse(folder, sheets(providers, **more), name="after.xlsx"))[target]
    assert after.likelihood_points >= before.likelihood_points
    assert after.score >= before.score
    assert after.risk_value >= before.risk_value
    if days <= L["lookback_days"] - 1:
        assert after.likelihood_points > before.likelihood_points


@pytest.mark.slow
@PROPERTY
@given(registers())
def test_the_analysis_is_deterministic(register):
    providers, rest = register
    with _folder() as folder:
        content = sheets(providers, **rest)
        reg = read(folder, content)
        once, twice = analyze_risk(reg, AS_OF, load_model()), analyze_risk(reg, AS_OF, load_model())
        again = analyse(folder, content, name="again.xlsx")
    assert once.to_dict() == twice.to_dict() == again.to_dict()
    # The CLI's path (factors worked out while the sheets are read) gives the same result.
    with _folder() as folder:
        path = write_xlsx(Path(folder) / "streamed.xlsx", content)
        collector = EvidenceCollector(AS_OF, load_model())
        streamed = analyze_risk(read_register(RegisterSources(path), AS_OF, on_table=collector), AS_OF, load_model(), collector)
    assert streamed.to_dict() == once.to_dict()
    # Invariants of every analysis.
    medel = once.matrix.level_index("Medel")
    for p in once.providers:
        computed = once.matrix.level_index(once.matrix.level(p.likelihood, p.consequence).id)
        assert p.level == once.matrix.levels[max(computed, medel) if p.unknown else computed].name  # coordinates kept
        assert p.risk_value == p.likelihood * p.consequence
        assert math.isclose(sum(r.contribution for r in likelihood_reasons(p)), p.likelihood_points, abs_tol=0.01)
        assert all(r.contribution >= 0 for r in p.reasons)
        if p.unknown:  # missing evidence is never silent low risk
            assert once.matrix.level_index(p.level) >= medel and p.missing
    ranks = [(-once.matrix.level_index(p.final_level_id), -p.final_value, -p.score, p.provider_id) for p in once.providers]
    assert ranks == sorted(ranks)
    assert [p.rank for p in once.providers] == list(range(1, len(once.providers) + 1))


@pytest.mark.parametrize("limits", [[1], [2.0, 0.25], [0, 2.0]])
def test_normalisation_limits_must_be_two_rising_positive_numbers(limits):
    with pytest.raises(InputError, match="normalisation_limits"):
        load_model({"likelihood": {"normalisation_limits": limits}})
