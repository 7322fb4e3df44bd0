"""Alerts: evidence newer than a provider's last review that calls for a triggered review (påkallad granskning).

A nightly job runs `followup risk-analyze --alerts` and mails the list when
the exit code is 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from followup_cli.register.table import Register
from followup_cli.risk import evidence
from followup_cli.risk.consequence import active_providers
from followup_cli.risk.evidence import Context, day, text_or_none
from followup_cli.risk.model import RiskModel
from followup_cli.schemas import register_schemas
from followup_cli.swedish import sv


@dataclass(frozen=True)
class Trigger:
    kind: str  # lex_sarah, lex_maria, ivo_decision (the event kinds' ids), complaint_jump
    date: str
    text: str


@dataclass(frozen=True)
class Alert:
    provider_id: str
    name: str | None
    service_area: str | None
    reviewing_unit: str | None
    last_review: str | None
    triggers: tuple[Trigger, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def find_alerts(register: Register, as_of: dt.date, model: RiskModel, since: dt.date | None = None) -> list[Alert]:
    """Providers with serious evidence after their last review (and on or after `since`), most recent first."""
    tables = {name: t.data for name, t in register.tables.items()}
    active = active_providers(tables["providers"])
    ctx = Context(tables=tables, providers=active, as_of=pd.Timestamp(as_of), model=model)
    events = ctx.table("events")
    if events is None or events.empty:
        return []
    last = evidence.last_reviews(ctx)
    cfg = model.alerts
    events = events[events["date"] <= ctx.as_of]
    reviewed = events["provider_id"].map(last)
    after_review = reviewed.isna() | (events["date"] > reviewed)  # never reviewed: every event is new
    fresh = events[after_review & ((events["date"] >= pd.Timestamp(since)) if since else True)]
    triggers: dict[str, list[Trigger]] = {}

    def add(pid, kind, when, text):
        triggers.setdefault(pid, []).append(Trigger(kind, day(when), text))

    label = register_schemas()["events"].field("kind").label
    for kind, threshold in (("lex_sarah", cfg["lex_sarah_severity"]), ("lex_maria", cfg["lex_maria_severity"])):
        serious = fresh[(fresh["kind"] == kind) & (fresh["severity"].isna() | (fresh["severity"] >= threshold))]
        for r in serious.itertuples():
            severity = "allvarlighet saknas" if pd.isna(r.severity) else f"allvarlighet {int(r.severity)}"
            add(r.provider_id, kind, r.date, f"{label(kind)} {day(r.date)} ({severity})")
    if cfg["ivo_decision"]:
        for r in fresh[fresh["kind"] == "ivo_decision"].itertuples():
            add(r.provider_id, "ivo_decision", r.date, f"{label('ivo_decision')} {day(r.date)}")
    for pid, (when, text) in _complaint_jumps(events, fresh, ctx).items():
        add(pid, "complaint_jump", when, text)
    alerts = []
    for pid, found in triggers.items():
        p = active.loc[pid]
        found.sort(key=lambda t: t.date, reverse=True)
        alerts.append(Alert(pid, text_or_none(p["name"]), text_or_none(p["service_area"]), text_or_none(p["reviewing_unit"]),
                            None if pd.isna(last.get(pid)) else day(last[pid]), tuple(found)))
    return sorted(alerts, key=lambda a: (a.triggers[0].date, a.provider_id), reverse=True)


def _complaint_jumps(events: pd.DataFrame, fresh: pd.DataFrame, ctx: Context) -> dict[str, tuple]:
    """Complaints in the last `days` days at least `factor` times the provider's rate over the year before."""
    cfg = ctx.model.alerts["complaint_jump"]
    days = int(cfg["days"])
    window_start = ctx.as_of - pd.Timedelta(days=days)
    year_start = window_start - pd.Timedelta(days=365)
    complaints = events[events["kind"] == "complaint"]
    recent = fresh[(fresh["kind"] == "complaint") & (fresh["date"] > window_start)].groupby("provider_id")["date"].agg(["size", "max"])
    before = complaints[(complaints["date"] > year_start) & (complaints["date"] <= window_start)].groupby("provider_id").size()
    out = {}
    for pid, r in recent.iterrows():
        baseline = before.get(pid, 0) * days / 365
        if r["size"] >= cfg["min_count"] and r["size"] >= float(cfg["factor"]) * baseline:
            out[pid] = (r["max"], f"{int(r['size'])} klagomål senaste {days} dagarna mot i snitt "
                                  f"{sv(baseline)} per {days} dagar året innan")
    return out

