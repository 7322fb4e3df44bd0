"""The report's result sections, each from the year's data to ready Swedish strings (and the raw numbers beside).

Every section is a dict with `empty`: '' when it has content, else the one line the document shows instead.
Counts about individuals (clients, survey respondents) under `min_count` are replaced by a marked text.
"""

from __future__ import annotations

from collections import Counter

from followup_cli import swedish
from followup_cli.report.labels import label, labels
from followup_cli.report.year import SERIOUS_SEVERITIES, YearData

SEVERITIES = ("observation", "deficiency", "serious")
OWNERSHIPS = ("in_house", "private", "non_profit")
EVENT_KINDS = ("complaint", "lex_sarah", "lex_maria", "deviation")  # the kinds the board follows by area
RECUR_PROVIDERS = 3  # a review area with findings at this many providers or more is a system-level improvement area
NO_AREA = "Uppgift saknas"


def hidden(min_count: int) -> str:
    """The marked text in place of a count about individuals that is too small to show."""
    return f"färre än {min_count}*"


def individuals(n, min_count: int) -> str:
    """A count of people: shown from min_count, else the marked text (0 is shown: it identifies no one)."""
    if n is None or n != n:
        return "–"
    n = int(n)
    return swedish.thousands(n) if n == 0 or n >= min_count else hidden(min_count)


def per_service_area(y: YearData, assessment_of) -> dict:
    """Per service area, one row per review: the provider, type and method, assessment, findings by severity,
    action-plan status and sanctions. `assessment_of(review, findings)` gives the assessment's label from the
    review's row and its findings' rows."""
    if not len(y.reviews):
        return {"empty": f"Inga granskningar är registrerade för {y.year}.", "areas": []}
    by_review: dict[str, list] = {}  # plain rows: a DataFrame per review cost a second on a large city's year
    for f in y.findings.itertuples(index=False):
        by_review.setdefault(f.review_id, []).append(f)
    areas = []
    for area, group in sorted(y.reviews.groupby(y.reviews["service_area"].fillna(NO_AREA)), key=lambda g: swedish.swedish_key(g[0])):
        rows = []
        n_findings = 0
        for r in group.itertuples():
            f = by_review.get(r.review_id, [])
            n_findings += len(f)
            severities = Counter(x.severity for x in f)
            recurring = sum(not _missing(x.recurring_of) for x in f)
            sanctions = sorted({label("findings", "sanction", x.sanction) for x in f
                                if isinstance(x.sanction, str) and x.sanction != "none"})
            rows.append({
                "review_id": r.review_id, "provider_id": r.provider_id, "name": _text(r.name),
                "ownership": label("providers", "ownership", r.ownership), "date": swedish.swedish_date(r.date.date()),
                "review_type": label("reviews", "review_type", r.review_type), "method": label("reviews", "method", r.method),
                "assessment": assessment_of(r, f),
                **{sev: str(severities.get(sev, 0)) for sev in SEVERITIES},
                "recurring": f"{recurring} återkommande" if recurring else "",
                "action_plans": action_plan_status(f), "sanctions": ", ".join(sanctions) or "–",
            })
        areas.append({"name": area, "reviews": len(group), "providers": group["provider_id"].nunique(),
                      "text": f"{swedish.plural(len(group), 'granskning', 'granskningar')} av "
                              f"{swedish.plural(group['provider_id'].nunique(), 'utförare', 'utförare')}, "
                              f"{swedish.plural(n_findings, 'iakttagelse eller brist', 'iakttagelser och brister')}.",
                      "rows": rows})
    return {"empty": "", "areas": areas}


def action_plan_status(findings: list) -> str:
    """'2 av 2 inkomna, 1 åtgärdad' for a review's findings (rows) that call for an action plan; '–' when none does."""
    due = [f for f in findings if not _missing(f.action_plan_due)]
    if not due:
        return "–"
    received = sum(not _missing(f.action_plan_received) for f in due)
    resolved = sum(not _missing(f.resolved) for f in due)
    return f"{received} av {len(due)} {'inkommen' if received == 1 and len(due) == 1 else 'inkomna'}, {resolved} åtgärdad" + (
        "e" if resolved != 1 else "")


def _missing(value) -> bool:
    """None, NaN, NaT or pd.NA: an empty cell as pandas reads it."""
    import pandas as pd

    return bool(pd.isna(value))


def findings_by_area(y: YearData) -> dict:
    """Findings by review area (by severity, recurring marked, how many providers) and by quality area."""
    f = y.findings
    if not len(f):
        return {"empty": f"Inga iakttagelser eller brister är registrerade för {y.year}.", "review_areas": [], "quality_areas": [],
                "total": 0, "recurring": 0}  # the same keys every year, so a template never meets an undefined one
    review_areas = []
    for area_id in [*labels("findings", "review_area"), None]:
        rows = f[f["review_area"].isna()] if area_id is None else f[f["review_area"] == area_id]
        if not len(rows):
            continue
        sev = Counter(rows["severity"])
        recurring = int(rows["recurring_of"].notna().sum())
        review_areas.append({"id": area_id or "", "area": label("findings", "review_area", area_id),
                             **{s: sev.get(s, 0) for s in SEVERITIES}, "total": len(rows),
                             "recurring": recurring, "recurring_text": f"{recurring} återkommande" if recurring else "–",
                             "providers": int(rows["provider_id"].nunique())})
    quality_areas = []
    for area_id in [*labels("requirements", "quality_area"), None]:
        rows = f[f["quality_area"].isna()] if area_id is None else f[f["quality_area"] == area_id]
        if len(rows):
            recurring = int(rows["recurring_of"].notna().sum())
            quality_areas.append({"id": area_id or "", "area": label("requirements", "quality_area", area_id), "total": len(rows),
                                  "recurring": recurring, "recurring_text": f"{recurring} återkommande" if recurring else "–"})
    return {"empty": "", "review_areas": review_areas, "quality_areas": quality_areas, "total": len(f),
            "recurring": int(f["recurring_of"].notna().sum())}


def ownership_side_by_side(y: YearData, method_hours: dict[str, float], min_count: int) -> dict:
    """Egen regi, private and non-profit providers on the same indicators."""
    active = y.providers[y.providers["active"].fillna(True).astype(bool)]
    present = OWNERSHIPS  # always all three, so the templates' columns are fixed
    if not len(y.reviews):
        return {"empty": f"Inga granskningar {y.year} att jämföra mellan regiformerna.", "columns": [], "rows": []}

    def cells(fn):
        return [fn(o) for o in present]

    def reviews(o):
        return y.reviews[y.reviews["ownership"] == o]

    def findings(o):
        return y.findings[(y.findings["ownership"] == o) & y.findings["severity"].isin(SERIOUS_SEVERITIES)]

    def methods(o):
        counts = Counter(reviews(o)["method"].dropna())
        return ", ".join(f"{label('reviews', 'method', m).lower()} {n}" for m, n in sorted(counts.items())) or "–"

    def per_review(o):
        n = len(reviews(o))
        return swedish.sv(len(findings(o)) / n, 1) if n else "–"

    def events(kind):
        return lambda o: str(int(((y.events["ownership"] == o) & (y.events["kind"] == kind)).sum()))

    def raw(fn):  # the count behind each cell, for the public version's suppression
        return [int(fn(o)) for o in present]

    counted = {
        "Brukare": raw(lambda o: active.loc[active["ownership"] == o, "clients"].fillna(0).sum()),
        "Klagomål": raw(lambda o: events("complaint")(o)),
        "Lex Sarah": raw(lambda o: events("lex_sarah")(o)),
    }
    rows = [
        ("Aktiva utförare", cells(lambda o: str(int((active["ownership"] == o).sum())))),
        ("Brukare", cells(lambda o: individuals(active.loc[active["ownership"] == o, "clients"].sum(min_count=1), min_count))),
        ("Granskningar", cells(lambda o: str(len(reviews(o))))),
        ("Metoder", cells(methods)),
        ("Timmar (planeringsnorm)", cells(lambda o: swedish.hours(sum(method_hours.get(m, 0) for m in reviews(o)["method"].dropna())))),
        ("Brister och allvarliga brister", cells(lambda o: str(len(findings(o))))),
        ("Brister per granskning", cells(per_review)),
        ("Allvarliga brister", cells(lambda o: str(int((findings(o)["severity"] == "serious").sum())))),
        ("Klagomål", cells(events("complaint"))),
        ("Lex Sarah", cells(events("lex_sarah"))),
    ]
    return {"empty": "", "columns": [label("providers", "ownership", o) for o in present],
            "rows": [{"indicator": name, "values": values, "raw": counted.get(name)} for name, values in rows]}


def survey(y: YearData, min_count: int) -> dict:
    """Each indicator's result (weighted by respondents) against the comparison value, by gender where the data has it;
    results of units with fewer than min_count respondents are left out and said so."""
    s = y.survey
    if s is None:
        return {"empty": f"Ingen brukarundersökning är registrerad för {y.year}.", "rows": [], "note": "", "by_gender": False}
    sex = s["sex"].fillna("total")
    small = s["responses"].notna() & (s["responses"] < min_count)
    rows = []
    for indicator in sorted(s["indicator"].dropna().unique(), key=swedish.swedish_key):
        for sex_id in ("total", "women", "men"):
            part = s[(s["indicator"] == indicator) & (sex == sex_id)]
            if not len(part):
                continue
            shown = part[~small.loc[part.index]]
            weights = shown["responses"].fillna(1).astype(float)
            respondents = int(shown["responses"].fillna(0).sum())
            if not len(shown) or (shown["responses"].notna().all() and respondents < min_count):
                value = comparison = difference = hidden(min_count)
                value_raw = comparison_raw = None
            else:
                value_raw = float((shown["value"] * weights).sum() / weights.sum())
                with_comparison = shown[shown["comparison"].notna()]
                comparison_raw = float(with_comparison["comparison"].mean()) if len(with_comparison) else None
                value = swedish.sv(value_raw, 0)
                comparison = swedish.sv(comparison_raw, 0) if comparison_raw is not None else "–"
                difference = swedish.signed(value_raw - comparison_raw, 0) if comparison_raw is not None else "–"
            rows.append({"indicator": indicator, "sex": label("survey", "sex", sex_id), "sex_id": sex_id, "value": value,
                         "comparison": comparison, "difference": difference,
                         "respondents": individuals(respondents, min_count) if len(shown) else hidden(min_count),
                         "respondents_raw": respondents if len(shown) else None,
                         "value_raw": value_raw, "comparison_raw": comparison_raw})
    left_out = int(small.sum())
    note = (f"* Resultat från {swedish.plural(left_out, 'enhet', 'enheter')} med färre än {min_count} svar ingår inte och visas inte."
            if left_out else "")
    return {"empty": "", "rows": rows, "note": note, "by_gender": bool(sex.isin(["women", "men"]).any())}


def events(y: YearData) -> dict:
    """Events by kind against the year before, and the followed kinds by review area."""
    if not len(y.events) and not len(y.previous_events):
        return {"empty": f"Inga klagomål, Lex Sarah, Lex Maria eller avvikelser är registrerade för {y.year} eller {y.year - 1}.",
                "by_kind": [], "by_area": [], "kinds": []}
    now, before = Counter(y.events["kind"]), Counter(y.previous_events["kind"])
    by_kind = [{"id": k, "kind": label("events", "kind", k), "previous": before.get(k, 0), "current": now.get(k, 0),
                "change": swedish.signed(now.get(k, 0) - before.get(k, 0), 0)}
               for k in labels("events", "kind") if now.get(k) or before.get(k)]
    by_area = []
    followed = y.events[y.events["kind"].isin(EVENT_KINDS)]
    for area_id in [*labels("events", "review_area"), None]:
        rows = followed[followed["review_area"].isna()] if area_id is None else followed[followed["review_area"] == area_id]
        if len(rows):
            counts = Counter(rows["kind"])
            by_area.append({"area": label("events", "review_area", area_id), "counts": [str(counts.get(k, 0)) for k in EVENT_KINDS],
                            "total": len(rows)})
    return {"empty": "", "by_kind": by_kind, "by_area": by_area, "kinds": [label("events", "kind", k) for k in EVENT_KINDS]}


def billing(y: YearData, threshold: float) -> dict:
    """Providers whose performed hours deviate from the decided hours by the threshold or more over the year."""
    b = y.billing
    if b is None:
        return {"empty": f"Ingen fakturering är registrerad för {y.year}.", "rows": [], "checked": 0,
                "text": ""}
    grouped = b.groupby("provider_id", sort=True)
    sums = grouped[["decided_hours", "billed_hours"]].sum()
    names = grouped["name"].first()  # one pass: looking each name up in half a million invoice rows took seconds
    rows = []
    for pid, r in sums.iterrows():
        if not r["decided_hours"]:
            continue
        deviation = r["billed_hours"] / r["decided_hours"] - 1
        if abs(deviation) >= threshold:
            rows.append({"provider_id": pid, "name": _text(names.get(pid)),
                         "decided": swedish.thousands(round(r["decided_hours"])), "billed": swedish.thousands(round(r["billed_hours"])),
                         "deviation": swedish.signed(deviation * 100, 1) + swedish.NBSP + "%", "deviation_raw": round(float(deviation), 4)})
    rows.sort(key=lambda r: -abs(r["deviation_raw"]))
    text = (f"{swedish.plural(len(sums), 'utförare', 'utförare')} fakturerade tid {y.year}; "
            f"{swedish.plural(len(rows), 'avvek', 'avvek')} med {swedish.percent(threshold)} eller mer från beslutad tid.")
    return {"empty": "", "rows": rows, "checked": len(sums), "text": text}


def sanctions(y: YearData) -> dict:
    """Sanctions decided on the year's findings, and reports to IVO and the police."""
    f = y.findings
    decided = f[f["sanction"].notna() & (f["sanction"] != "none")]
    reported = Counter(k for ks in f["reported_to"] if isinstance(ks, (list, tuple)) for k in ks)
    rows = []
    for sanction_id, group in decided.groupby("sanction"):
        names = sorted({f"{_text(n)} ({p})" for n, p in zip(group["name"], group["provider_id"])}, key=swedish.swedish_key)
        rows.append({"sanction": label("findings", "sanction", sanction_id), "count": len(group), "providers": ", ".join(names),
                     "provider_ids": sorted(set(group["provider_id"]))})
    order = list(labels("findings", "sanction").values())
    rows.sort(key=lambda r: order.index(r["sanction"]) if r["sanction"] in order else len(order))
    reports = [f"{label('findings', 'reported_to', k)}: {n}" for k, n in sorted(reported.items()) if k != "not_reported"]
    if not rows and not reports:
        return {"empty": f"Inga sanktioner beslutades och inga brister anmäldes till IVO eller polis {y.year}.", "rows": [],
                "reported": ""}
    return {"empty": "", "rows": rows,
            "reported": ("Anmälda brister – " + ", ".join(reports) + ".") if reports else "Inga brister anmäldes till IVO eller polis."}


def improvement_areas(y: YearData) -> dict:
    """Review areas where deficiencies recur across providers, and the same as plan.themes to paste into followup.yaml."""
    f = y.findings[y.findings["severity"].isin(SERIOUS_SEVERITIES) & y.findings["review_area"].notna()]
    rows = []
    for area_id in labels("findings", "review_area"):
        part = f[f["review_area"] == area_id]
        if part["provider_id"].nunique() >= RECUR_PROVIDERS:
            areas = sorted(part["service_area"].dropna().unique(), key=swedish.swedish_key)
            rows.append({"id": area_id, "area": label("findings", "review_area", area_id), "providers": int(part["provider_id"].nunique()),
                         "findings": len(part), "service_areas": areas, "service_areas_text": swedish.swedish_list(areas, "och")})
    if not rows:
        return {"empty": f"Inget granskningsområde hade brister hos {RECUR_PROVIDERS} eller fler utförare {y.year}.", "rows": [], "yaml": ""}
    return {"empty": "", "rows": rows, "yaml": themes_yaml(rows)}


def themes_yaml(rows: list[dict]) -> str:
    """The improvement areas as a plan.themes block for next year's followup.yaml."""
    import yaml

    themes = [{"name": r["area"], "service_areas": r["service_areas"], "method": "routine_audit"} for r in rows]
    return yaml.safe_dump({"plan": {"themes": themes}}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000).rstrip()  # one line per key: pasted as is



def _text(value) -> str:
    return value if isinstance(value, str) else ""


