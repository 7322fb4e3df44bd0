"""Evidence → likelihood points, one function per kind of evidence.

Each function takes the register's tables and returns contribution rows
(provider_id, factor, count, points, area, text): the points a provider gets
from that evidence, and the arithmetic in words. Everything dated after
`as_of` is ignored. Ownership (Regiform) is never read here. Vocabulary
columns hold ids (the schema's enumIds), and so does `area`; labels are
looked up only for the words in `text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from followup_cli.risk.model import RiskModel
from followup_cli.risk.visits import latest_visits
from followup_cli.schemas import register_schemas
from followup_cli.swedish import SEVERITY_WORDS, percent, sv
from followup_cli.text import fold

DAYS_PER_MONTH = 30.44
# How the reasons count events and findings, by the vocabulary's ids (kinds missing here are shown by their label).
PLURAL = {"complaint": "klagomål", "feedback": "synpunkter", "lex_sarah": "Lex Sarah", "lex_maria": "Lex Maria",
          "deviation": "avvikelser", "ivo_decision": "IVO-beslut", "caseworker_signal": "handläggarsignaler",
          "other": "övriga händelser"}
SINGULAR = {"feedback": "synpunkt", "deviation": "avvikelse", "caseworker_signal": "handläggarsignal", "other": "övrig händelse",
            "complaint": "klagomål"}


@dataclass(frozen=True)
class Context:
    """What every factor needs: the tables, the day and the model."""

    tables: dict[str, pd.DataFrame]
    providers: pd.DataFrame  # active providers, indexed by provider_id
    as_of: pd.Timestamp
    model: RiskModel
    _active_rows: dict = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame | None:
        """A sheet's rows about active providers (filtered once, and only when some provider is inactive)."""
        if name not in self._active_rows:
            data = self.tables.get(name)
            every_provider_active = len(self.providers) == self.tables["providers"]["provider_id"].nunique()
            if data is not None and "provider_id" in data and not every_provider_active:
                data = data[data["provider_id"].isin(self.providers.index)]
            self._active_rows[name] = data
        return self._active_rows[name]


def text_or_none(value) -> str | None:
    """A cell as text for the results; missing values (None, NaN, NA) are None."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def day(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def row(provider_id, factor: str, count: int, points: float, text: str, area: str | None = None) -> dict:
    area = area if isinstance(area, str) else None
    return {"provider_id": provider_id, "factor": factor, "count": int(count), "points": float(points), "area": area,
            "text": f"{text} → +{sv(points)}"}


def events(ctx: Context) -> list[dict]:
    """Complaints, Lex Sarah, IVO decisions ...: weighted by kind and severity, halved every half-life,
    and for everyday signals scaled by the number of clients."""
    data = ctx.table("events")
    if data is None or data.empty:
        return []
    cfg = ctx.model.likelihood
    since = ctx.as_of - pd.Timedelta(days=cfg["lookback_days"])
    data = data[(data["date"] <= ctx.as_of) & (data["date"] > since) & data["kind"].notna()]
    if data.empty:
        return []
    weights = {k: float(v) for k, v in cfg["events"].items()}
    severity_factor = {int(k): float(v) for k, v in cfg["severity_factor"].items()}
    age = (ctx.as_of - data["date"]).dt.days.to_numpy(dtype=float)
    severity = data["severity"].astype("Float64").fillna(2).astype(float)
    clients = data["provider_id"].map(ctx.providers["clients"]).astype("Float64")
    normalise = data["kind"].isin(cfg["normalise_by_clients"]).to_numpy()
    scale = _client_scale(clients, cfg).to_numpy()
    points = (data["kind"].map(weights).fillna(0).to_numpy(dtype=float)
              * severity.round().map(severity_factor).fillna(severity / 2).to_numpy(dtype=float)
              * np.power(0.5, age / float(cfg["half_life_days"]))
              * np.where(normalise, scale, 1.0))
    frame = pd.DataFrame({"provider_id": data["provider_id"].to_numpy(), "kind": data["kind"].to_numpy(),
                          "area": data["review_area"].to_numpy(), "points": points, "age": age,
                          "severity": data["severity"].to_numpy(), "scale": np.where(normalise, scale, 1.0)})
    grouped = frame.groupby(["provider_id", "kind"], sort=True).agg(
        count=("points", "size"), points=("points", "sum"), oldest=("age", "max"), top=("severity", "max"), scale=("scale", "first"))
    areas = main_areas(frame, ["provider_id", "kind"])
    clients = ctx.providers["clients"].to_dict()
    kinds = register_schemas()["events"].field("kind")
    out = []
    for (pid, kind), count, points, oldest, top, scale in grouped.itertuples(name=None):
        if points <= 0:
            continue
        months = max(1, math.ceil(oldest / DAYS_PER_MONTH))
        name = (PLURAL if count > 1 else SINGULAR).get(kind) or kinds.label(kind)
        details = []
        if not pd.isna(top):
            details.append(f"{'högst ' if count > 1 else ''}allvarlighet {int(top)}")
        if kind in cfg["normalise_by_clients"] and abs(scale - 1) > 0.05:
            details.append(f"vägt för {int(clients[pid])} brukare")
        text = f"{int(count)} {name} senaste {months} mån" + (f" ({', '.join(details)})" if details else "")
        out.append(row(pid, kind, count, points, text, areas.get((pid, kind))))
    return out


def _client_scale(clients: pd.Series, cfg: dict) -> pd.Series:
    """Ten complaints among 10 clients weigh more than ten among 200: (reference / clients)^½, bounded."""
    low, high = (float(v) for v in cfg["normalisation_limits"])
    reference = float(cfg["reference_clients"])
    scale = (reference / clients.where(clients > 0)).pow(0.5)
    return scale.clip(lower=low, upper=high).fillna(1.0).astype(float)


def main_areas(frame: pd.DataFrame, keys: list[str]) -> dict:
    """For each group of `keys`, the id of the review area with the most points (groups without an area are left out).
    Areas are shown, never scored: a tie goes to the label first in alphabetical order, as the user reads them."""
    known = frame.dropna(subset=["area"])
    if known.empty:
        return {}
    sums = known.groupby([*keys, "area"], sort=False)["points"].sum().reset_index()
    sums["label"] = sums["area"].map(register_schemas()["events"].field("review_area").labels())
    best = sums.sort_values([*keys, "points", "label"], ascending=[True] * len(keys) + [False, True]).drop_duplicates(keys)
    index = best[keys[0]] if len(keys) == 1 else pd.MultiIndex.from_frame(best[keys])
    return dict(zip(index, best["area"]))


def finding_dates(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """When each finding was made: its review's date (NaT where unknown)."""
    findings = tables.get("findings")
    reviews = tables.get("reviews")
    if findings is None:
        return pd.Series(dtype="datetime64[s]")
    if reviews is None:
        return pd.Series(pd.NaT, index=findings.index, dtype="datetime64[s]")
    dates = dict(zip(reviews["review_id"].tolist(), reviews["date"].to_numpy()))  # numpy dates: no Timestamp object per review
    return pd.to_datetime(findings["review_id"].map(dates)).astype("datetime64[s]")


def _findings_with_area(ctx: Context) -> pd.DataFrame | None:
    data = ctx.table("findings")
    if data is None or data.empty:
        return None
    data = data.assign(found=finding_dates(ctx.tables).reindex(data.index))
    data = data[data["found"].isna() | (data["found"] <= ctx.as_of)]
    requirements = ctx.tables.get("requirements")
    area = data["review_area"]
    if requirements is not None:
        area = area.fillna(data["requirement_id"].map(dict(zip(requirements["requirement_id"], requirements["review_area"]))))
    return data.assign(area=area)


def serious_signals(ctx: Context, rows: list[dict]) -> dict[str, str]:
    """Per provider, the most telling serious signal that puts a floor under its likelihood, in words:
    a serious event in the last months, else an open serious finding, else an overdue action plan or a
    sanction (these two read from the contribution rows, which already hold them within their windows)."""
    cfg = ctx.model.likelihood["serious_floor"]
    found: dict[str, str] = {}
    data = ctx.table("events")
    if data is not None and not data.empty:
        since = ctx.as_of - pd.DateOffset(months=int(cfg["months"]))
        severity = data["severity"].astype("Float64")
        serious = (data["kind"].isin(cfg["event_kinds"]) & (data["date"] <= ctx.as_of) & (data["date"] > since)
                   & ((severity >= float(cfg["min_severity"])).fillna(False) | data["kind"].eq("ivo_decision")))
        kinds = register_schemas()["events"].field("kind")
        for pid, kind, n in data[serious.to_numpy(dtype=bool)].groupby(["provider_id", "kind"], sort=True).size().reset_index().itertuples(index=False):
            found.setdefault(pid, f"{n} {kinds.label(kind)} senaste {int(cfg['months'])} mån")
    findings = _findings_with_area(ctx)  # those made by the as-of day
    if findings is not None:
        still_open = findings["resolved"].isna() | (findings["resolved"] > ctx.as_of)
        for pid in findings.loc[still_open & findings["severity"].eq("serious"), "provider_id"].unique().tolist():
            found.setdefault(pid, "öppen allvarlig brist")
    words = {"overdue_action_plans": "åtgärdsplan som inte kommit in i tid", "sanctions": "sanktion"}
    for r in rows:
        if r["factor"] in words and r["points"] > 0:
            found.setdefault(r["provider_id"], words[r["factor"]])
    return found


def open_findings(ctx: Context) -> list[dict]:
    """Findings not yet resolved on the as-of day, by severity. An Iakttagelse asks for no action and is looked at
    again at the next review: it counts until the provider's next review, not for ever (reviews.scale.CORRECTED)."""
    data = _findings_with_area(ctx)
    if data is None:
        return []
    weights = {k: float(v) for k, v in ctx.model.likelihood["open_findings"].items()}
    data = data[(data["resolved"].isna() | (data["resolved"] > ctx.as_of))
                & ~looked_at_again(data, data["found"], ctx.tables.get("reviews"), ctx.as_of)]
    data = data.assign(points=data["severity"].map(weights).fillna(0.0))
    data = data[data["points"] > 0]
    areas = main_areas(data, ["provider_id"])
    severities = register_schemas()["findings"].field("severity")
    counts = data.groupby(["provider_id", "severity"], sort=False).size()
    parts: dict[str, list] = {}
    for (pid, severity), n in counts.items():
        parts.setdefault(pid, []).append((-weights.get(severity, 0), n, severity))
    totals = data.groupby("provider_id", sort=True)["points"].agg(["size", "sum"])
    out = []
    for pid, n, points in totals.itertuples(name=None):
        words = ", ".join(f"{k} {_severity_word(sev, k, severities)}" for _, k, sev in sorted(parts[pid]))
        out.append(row(pid, "open_findings", n, points, f"Öppna brister: {words}", areas.get(pid)))
    return out


def looked_at_again(findings: pd.DataFrame, found: pd.Series, reviews: pd.DataFrame | None, as_of) -> pd.Series:
    """The Iakttagelser among `findings` (made on `found`) that a later visit up to as-of has looked at again: an
    observation asks for no action and stays open only until the provider's next review (reviews/scale.CORRECTED)."""
    visits = latest_visits(reviews, as_of)
    latest = pd.to_datetime(pd.Series([visits.get(p) for p in findings["provider_id"]], index=findings.index, dtype=object))
    return (findings["severity"] == "observation") & (found < latest).fillna(False)


def _severity_word(severity: str, n: int, field) -> str:
    label = field.label(severity).lower()
    one, many = SEVERITY_WORDS.get(severity, (label, label))
    return one if n == 1 else many


def overdue_action_plans(ctx: Context) -> list[dict]:
    """Action plans whose deadline has passed without a plan received (and the finding still open)."""
    data = _findings_with_area(ctx)
    if data is None:
        return []
    late = (data["action_plan_due"] < ctx.as_of) & (data["action_plan_received"].isna() | (data["action_plan_received"] > ctx.as_of))
    late &= data["resolved"].isna() | (data["resolved"] > ctx.as_of)
    data = data[late.fillna(False)]
    each = float(ctx.model.likelihood["overdue_action_plan"])
    areas = main_areas(data.assign(points=each), ["provider_id"])
    out = []
    for pid, n, oldest in data.groupby("provider_id", sort=True)["action_plan_due"].agg(["size", "min"]).itertuples(name=None):
        text = f"{n} åtgärdsplan{'er' if n > 1 else ''} har inte kommit in (skulle ha kommit senast {day(oldest)})"
        out.append(row(pid, "overdue_action_plans", n, each * n, text, areas.get(pid)))
    return out


def sanctions(ctx: Context) -> list[dict]:
    """Sanctions decided by the board in the last `sanction_months` months."""
    data = _findings_with_area(ctx)
    if data is None:
        return []
    cfg = ctx.model.likelihood
    weights = {k: float(v) for k, v in cfg["sanctions"].items()}
    when = data["found"].fillna(data["action_plan_due"])
    since = ctx.as_of - pd.DateOffset(months=int(cfg["sanction_months"]))
    recent = data["sanction"].isin(list(weights)) & (when.isna() | ((when > since) & (when <= ctx.as_of)))
    data = data[recent].assign(when=when[recent])
    data = data.assign(points=data["sanction"].map(weights))
    areas = main_areas(data, ["provider_id"])
    grouped: dict[str, list] = {}
    label = register_schemas()["findings"].field("sanction").label
    for pid, sanction, when_, points in data[["provider_id", "sanction", "when", "points"]].sort_values(["provider_id", "when"]).itertuples(index=False):
        grouped.setdefault(pid, []).append((f"{label(sanction)} ({day(when_)})" if not pd.isna(when_) else label(sanction), points))
    out = []
    for pid, items in grouped.items():
        text = f"Sanktion{'er' if len(items) > 1 else ''}: {', '.join(t for t, _ in items)}"
        out.append(row(pid, "sanctions", len(items), sum(p for _, p in items), text, areas.get(pid)))
    return out


def _latest_year(data: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    data = data[data["year"] <= as_of.year]
    if data.empty:
        return data
    latest = data.groupby("provider_id")["year"].transform("max")
    return data[data["year"] == latest]


def survey(ctx: Context) -> list[dict]:
    """User-survey results under the comparison value (latest year, all respondents)."""
    data = ctx.table("survey")
    if data is None or data.empty:
        return []
    cfg = ctx.model.likelihood["survey"]
    data = _latest_year(data, ctx.as_of)
    with_total = set(data.loc[data["sex"] == "total", "provider_id"])
    data = data[(data["sex"] == "total") | ~data["provider_id"].isin(with_total)]
    enough = data["responses"].isna() | (data["responses"] >= cfg["min_responses"])
    gap = data["comparison"] - data["value"]
    data = data[enough & (gap > cfg["margin"])].assign(gap=gap)
    data = data.assign(points=np.minimum(float(cfg["max_per_indicator"]), float(cfg["points_per_10"]) * data["gap"] / 10))
    areas = {fold(k): v for k, v in cfg["areas"].items()}
    area_of = {ind: next((a for key, a in areas.items() if key in fold(ind)), None) for ind in data["indicator"].unique()}
    grouped: dict[str, list] = {}
    columns = ["provider_id", "year", "indicator", "value", "comparison", "points", "gap"]
    for pid, year, ind, value, comparison, points, _ in data[columns].sort_values(["provider_id", "gap"], ascending=[True, False]).itertuples(index=False):
        grouped.setdefault(pid, []).append((year, ind, value, comparison, points))
    out = []
    for pid, items in grouped.items():
        parts = [f"{ind} {percent(v / 100)} mot {percent(c / 100)}" for _, ind, v, c, _ in items]
        text = f"Brukarundersökning {int(items[0][0])}: {', '.join(parts[:3])}{' …' if len(parts) > 3 else ''}"
        out.append(row(pid, "survey", len(items), sum(i[4] for i in items), text, area_of[items[0][1]]))
    return out


def self_report(ctx: Context) -> list[dict]:
    """Self-reported indicators past their thresholds (latest year): staff turnover, qualified staff."""
    data = ctx.table("self_report")
    if data is None or data.empty:
        return []
    data = _latest_year(data, ctx.as_of)
    folded = data["indicator"].map(fold)
    out = []
    for rule in ctx.model.likelihood["self_report"]:
        key = fold(rule["indicator"])
        hits = data[folded.str.contains(key, regex=False)]
        if "above" in rule:
            hits, sign, limit = hits[hits["value"] > rule["above"]], "över", rule["above"]
        else:
            hits, sign, limit = hits[hits["value"] < rule["below"]], "under", rule["below"]
        first = hits.sort_values(["provider_id", "indicator"]).drop_duplicates("provider_id")
        for pid, year, indicator, value in first[["provider_id", "year", "indicator", "value"]].itertuples(index=False):
            text = f"Egenrapportering {int(year)}: {indicator} {sv(value)} ({sign} {sv(limit, 0)})"
            out.append(row(pid, "self_report", 1, float(rule["points"]), text, rule.get("area")))
    return out


def billing(ctx: Context) -> list[dict]:
    """Billed hours deviating from decided hours over the last months: over-billing or care not given."""
    data = ctx.table("billing")
    if data is None or data.empty:
        return []
    cfg = ctx.model.likelihood["billing"]
    last = ctx.as_of.strftime("%Y-%m")
    first = (ctx.as_of - pd.DateOffset(months=int(cfg["months"]) - 1)).strftime("%Y-%m")
    data = data[(data["month"] >= first) & (data["month"] <= last)]
    sums = data.groupby("provider_id")[["decided_hours", "billed_hours"]].sum()
    sums = sums[sums["decided_hours"] > 0]
    deviation = (sums["billed_hours"] - sums["decided_hours"]) / sums["decided_hours"]
    flagged = deviation[deviation.abs() >= float(cfg["threshold"])]
    out = []
    for pid, dev in flagged.sort_index().items():
        points = min(float(cfg["max_points"]), float(cfg["points_per_10_percent"]) * abs(dev) / 0.10)
        text = f"Utförd tid {percent(abs(dev))} {'över' if dev > 0 else 'under'} beslutad tid senaste {int(cfg['months'])} mån"
        out.append(row(pid, "billing", 1, points, text, cfg.get("area")))
    return out


def last_reviews(ctx: Context) -> pd.Series:
    """The latest review of each provider on or before as-of: the Granskningar sheet or Senast granskad."""
    last = ctx.providers["last_reviewed"].where(ctx.providers["last_reviewed"] <= ctx.as_of)
    reviews = ctx.table("reviews")
    if reviews is not None and not reviews.empty:
        done = reviews[reviews["date"] <= ctx.as_of].groupby("provider_id")["date"].max()
        last = pd.concat([last, done.reindex(last.index)], axis=1).max(axis=1)
    return last


def review_age(ctx: Context) -> list[dict]:
    """Time since the last review: nothing within the grace months (a recent review is knowledge, not risk),
    then growing to the maximum at full_after_months; never reviewed is the maximum."""
    last = last_reviews(ctx)
    cfg = ctx.model.likelihood["review_age"]
    grace, full, top = float(cfg.get("grace_months", 0)), float(cfg["full_after_months"]), float(cfg["max_points"])
    out = []
    for pid, when in last.items():
        if pd.isna(when):
            out.append(row(pid, "review_age", 0, top, "Aldrig granskad"))
            continue
        months = (ctx.as_of - when).days / DAYS_PER_MONTH
        points = review_age_points(months, grace, full, top)
        if points > 0.05:
            out.append(row(pid, "review_age", 1, points, f"Senast granskad {day(when)} ({months_ago(months)})"))
    return out


def review_age_points(months: float, grace: float, full: float, top: float) -> float:
    """0 up to `grace` months, then rising evenly to `top` at `full` months."""
    return top * min(1.0, max(0.0, months - grace) / (full - grace))


def months_ago(months: float) -> str:
    whole = int(months)
    return "för mindre än en månad sedan" if whole == 0 else f"{whole} mån sedan"


def contract_dates(ctx: Context) -> list[dict]:
    """A new provider, and a contract ending soon (knowledge is needed before a new procurement)."""
    cfg = ctx.model.likelihood
    providers = ctx.providers
    out = []
    new_since = ctx.as_of - pd.DateOffset(months=int(cfg["new_provider"]["months"]))
    new = providers[(providers["contract_start"] > new_since) & (providers["contract_start"] <= ctx.as_of)]
    for pid, start in new["contract_start"].items():
        out.append(row(pid, "new_provider", 1, float(cfg["new_provider"]["points"]), f"Ny utförare sedan {day(start)}"))
    until = ctx.as_of + pd.DateOffset(months=int(cfg["contract_ending"]["months"]))
    ending = providers[(providers["contract_end"] > ctx.as_of) & (providers["contract_end"] <= until)]
    for pid, end in ending["contract_end"].items():
        out.append(row(pid, "contract_ending", 1, float(cfg["contract_ending"]["points"]),
                       f"Avtalet löper ut {day(end)}: kunskap behövs inför ny upphandling"))
    return out


FINDING_SHEETS = ("providers", "requirements", "reviews", "findings")
# Each factor with the sheets it reads: it can run as soon as the last of them has been read.
FACTORS = (
    (contract_dates, ("providers",)),
    (events, ("providers", "events")),
    (review_age, ("providers", "reviews")),
    (open_findings, FINDING_SHEETS),
    (overdue_action_plans, FINDING_SHEETS),
    (sanctions, FINDING_SHEETS),
    (survey, ("providers", "survey")),
    (self_report, ("providers", "self_report")),
    (billing, ("providers", "billing")),
)
