"""Consequence: what is at stake at a provider (vulnerability, clients, requirements in play), with reasons.

Also the two helpers the evidence collector shares with the analysis: the active providers, and
contribution rows turned into reasons.
"""

from __future__ import annotations

import math

import pandas as pd

from followup_cli.risk import evidence
from followup_cli.risk.evidence import Context, text_or_none
from followup_cli.risk.results import Reason
from followup_cli.schemas import register_schemas
from followup_cli.swedish import sv
from followup_cli.text import fold


def active_providers(providers: pd.DataFrame) -> pd.DataFrame:
    """One row per provider (the first of duplicates), indexed by id; those with Aktiv = Nej left out."""
    unique = providers.drop_duplicates("provider_id").set_index("provider_id", drop=False)
    return unique[unique["active"].fillna(True).astype(bool)]


def add_reasons(reasons: dict[str, list], rows: list[dict]) -> None:
    """Contribution rows as likelihood reasons per provider: (unrounded points, factor) to sort by, the review area's id,
    and the Reason, which shows the area's label. The collector calls this as each factor is worked out: made at the
    end, the reasons were 0.05 s of a large city's analysis after the last sheet."""
    label = register_schemas()["events"].field("review_area").label
    for r in rows:
        area = r["area"]
        reasons.setdefault(r["provider_id"], []).append(
            (-r["points"], r["factor"], area, Reason(r["factor"], "likelihood", r["count"], round(r["points"], 3), r["text"],
                                                     None if area is None else label(area))))


def consequence_scores(ctx: Context) -> tuple[dict[str, tuple[float, list[Reason]]], list[str]]:
    """What is at stake: how vulnerable the clients are, how many they are, how serious the requirements in play.
    Returns the score and reasons per provider, and warnings about service areas missing from the table."""
    warnings: list[str] = []
    cfg = ctx.model.consequence
    weights = cfg["weights"]
    table = {fold(k): (k, float(v)) for k, v in cfg["vulnerability"].items()}
    requirement_consequence = _requirements_in_play(ctx)
    vulnerability_of = {area: _vulnerability(area, table) for area in ctx.providers["service_area"].fillna("").unique()}
    unknown_areas: set[str] = set()
    result = {}
    reference = float(cfg["reference_clients"])
    for p in ctx.providers[["provider_id", "service_area", "clients"]].to_dict("records"):  # no date columns to convert
        pid = p["provider_id"]
        area = text_or_none(p["service_area"]) or ""
        known = vulnerability_of[area]
        if known is None:
            unknown_areas.add(area)
            vulnerability, area_text = float(cfg["default_vulnerability"]), f"{area or 'Verksamhetsområde saknas'} (okänt, standardvärde)"
        else:
            vulnerability, area_text = known[1], area
        clients = p["clients"]
        if pd.isna(clients):
            clients_term, clients_text = 0.5, "Antal brukare saknas (räknas som medel)"
        else:
            clients_term = min(1.0, math.log1p(max(0, int(clients))) / math.log1p(reference))
            clients_text = f"{int(clients)} brukare"
        # A requirement in play can raise the stake, never lower it: filling in a Krav-ID of a mild requirement
        # must not make a provider look safer than the same finding with the Krav-ID left blank.
        stated, requirement_ids = requirement_consequence.get(pid, (vulnerability, ()))
        requirement = max(stated, vulnerability)
        parts = [
            Reason("vulnerability", "consequence", 1, weights["vulnerability"] * vulnerability,
                   f"{area_text}: sårbarhet {sv(vulnerability, 0)} × {sv(weights['vulnerability'])} → {sv(weights['vulnerability'] * vulnerability, 2)}"),
            Reason("clients", "consequence", 0 if pd.isna(clients) else int(clients), weights["clients"] * (1 + 3 * clients_term),
                   f"{clients_text} → {sv(weights['clients'] * (1 + 3 * clients_term), 2)}"),
            Reason("requirements", "consequence", len(requirement_ids), weights["requirements"] * requirement,
                   _requirement_text(stated, vulnerability, requirement_ids)
                   + f" → {sv(weights['requirements'] * requirement, 2)}"),
        ]
        score = sum(r.contribution for r in parts)
        result[pid] = (score, [Reason(r.factor, r.dimension, r.count, round(r.contribution, 3), r.text) for r in parts])
    for area in sorted(unknown_areas):
        warnings.append(f"Verksamhetsområdet '{area or '(tomt)'}' finns inte i sårbarhetstabellen; standardvärdet "
                        f"{cfg['default_vulnerability']} används. Lägg till det under risk.consequence.vulnerability i followup.yaml.")
    return result, warnings


def _requirement_text(stated: float, vulnerability: float, ids: tuple[str, ...]) -> str:
    if not ids:
        return "Inga krav med angiven konsekvens berörs (räknas som sårbarheten)"
    text = f"Krav med konsekvens {sv(stated, 0)} berörs ({', '.join(ids[:3])})"
    return text + (f", lägre än sårbarheten (räknas som sårbarheten {sv(vulnerability, 0)})" if stated < vulnerability else "")


def _vulnerability(area: str, table: dict[str, tuple[str, float]]) -> tuple[str, float] | None:
    """The table entry for a service area: exact (folded) name first, else the longest name it contains."""
    key = fold(area)
    if key in table:
        return table[key]
    return next((v for k, v in sorted(table.items(), key=lambda kv: -len(kv[0])) if k and k in key), None)


def _requirements_in_play(ctx: Context) -> dict[str, tuple[float, tuple[str, ...]]]:
    """The highest Konsekvens of the requirements that the provider's findings point to, and which they are."""
    findings, requirements = ctx.table("findings"), ctx.tables.get("requirements")
    if findings is None or requirements is None or findings.empty:
        return {}
    consequence = dict(zip(requirements["requirement_id"], requirements["consequence"]))
    since = ctx.as_of - pd.Timedelta(days=ctx.model.likelihood["lookback_days"])
    found = evidence.finding_dates(ctx.tables).reindex(findings.index)
    recent = findings[(found.isna() | ((found > since) & (found <= ctx.as_of))) & findings["requirement_id"].notna()]
    recent = recent.assign(consequence=recent["requirement_id"].map(consequence)).dropna(subset=["consequence"])
    top = recent["consequence"] == recent.groupby("provider_id")["consequence"].transform("max")
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for pid, value, requirement in recent.loc[top, ["provider_id", "consequence", "requirement_id"]].sort_values(
            ["provider_id", "requirement_id"]).itertuples(index=False):
        ids = out.get(pid, (value, ()))[1]
        if requirement not in ids:
            out[pid] = (float(value), (*ids, requirement))
    return out
