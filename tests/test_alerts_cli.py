"""`followup risk-analyze --alerts [--since DATUM]` on the example municipality, as the nightly job uses it:
the exit code says whether to mail, the JSON is what a script reads, the text names every provider."""

from __future__ import annotations

import datetime as dt

import pytest

AS_OF = "2025-12-31"
NOTHING_NEW = "Inga nya händelser kräver påkallad granskning."


@pytest.fixture
def alerts(cli, workspace):
    """Run risk-analyze --alerts on a copy of examples/ as of 2025-12-31, with extra arguments."""
    def run(*args):
        return cli("risk-analyze", "--as-of", AS_OF, "--alerts", *args, cwd=workspace)
    return run


def test_alerts_found_exit_1_and_the_json_has_the_documented_shape(alerts):
    result = alerts("--json")
    assert result.code == 1
    data = result.json()
    assert data["as_of"] == AS_OF and data["since"] is None
    assert data["alerts"], "the example municipality has serious events after some reviews"
    for alert in data["alerts"]:
        assert {"provider_id", "name", "last_review", "triggers"} <= alert.keys()
        assert alert["triggers"]
        for trigger in alert["triggers"]:
            assert set(trigger) == {"kind", "date", "text"}
            assert trigger["kind"] in {"lex_sarah", "lex_maria", "ivo_decision", "complaint_jump"}
            assert trigger["date"] <= AS_OF
            # an alert is evidence newer than the provider's last review
            assert alert["last_review"] is None or trigger["date"] > alert["last_review"]
    ids = [a["provider_id"] for a in data["alerts"]]
    assert len(ids) == len(set(ids)), "one alert per provider, its triggers together"


def test_the_text_names_every_alerted_provider_and_its_triggers(alerts):
    listed = alerts("--json").json()["alerts"]
    result = alerts()
    assert result.code == 1
    for alert in listed:
        assert f"{alert['provider_id']} {alert['name']}" in result.stdout
        for trigger in alert["triggers"]:
            assert trigger["text"] in result.stdout
    assert f"{len(listed)} utförare behöver påkallad granskning." in result.stderr


def test_since_keeps_only_events_from_that_day_on(alerts):
    everything = alerts("--json").json()["alerts"]
    since = "2025-10-01"
    result = alerts("--since", since, "--json")
    assert result.code == 1
    data = result.json()
    assert data["since"] == since
    assert all(t["date"] >= since for a in data["alerts"] for t in a["triggers"])
    assert 0 < len(data["alerts"]) < len(everything)


def test_since_is_inclusive_the_day_of_an_event_counts(alerts):
    single = [(a["provider_id"], t) for a in alerts("--json").json()["alerts"] for t in a["triggers"]
              if t["kind"] != "complaint_jump"]  # one event each, unlike a jump counted over 90 days
    pid, latest = max(single, key=lambda s: s[1]["date"])
    found = alerts("--since", latest["date"], "--json")
    assert found.code == 1
    assert latest in next(a["triggers"] for a in found.json()["alerts"] if a["provider_id"] == pid)


def test_since_after_every_event_finds_nothing_and_exits_0(alerts):
    next_day = (dt.date.fromisoformat(AS_OF) + dt.timedelta(days=1)).isoformat()  # nothing after the as-of day counts
    quiet = alerts("--since", next_day)
    assert quiet.code == 0 and quiet.stdout == ""
    assert NOTHING_NEW in quiet.stderr
    as_json = alerts("--since", next_day, "--json")
    assert as_json.code == 0 and as_json.json() == {"as_of": AS_OF, "since": next_day, "alerts": []}


def test_since_without_alerts_is_a_usage_error(cli, workspace):
    result = cli("risk-analyze", "--as-of", AS_OF, "--since", "2025-10-01", cwd=workspace)
    assert result.code == 2 and result.stdout == ""
    assert "--since hör till --alerts" in result.stderr and "Traceback" not in result.stderr
