"""Generate a large, deterministic city register for the speed benchmark.

    python benchmarks/make_city.py                 # -> benchmarks/data/city.xlsx
    python benchmarks/make_city.py --out big.xlsx --seed 7 --scale 0.1

The workbook looks like the register of a big Swedish city: 3,000 providers
and every optional sheet, with 500,000 invoice rows.  Sheet names, column
headers and vocabulary values are exactly the `title`s and `enum`s of
schemas/*.yaml, every Utförar-ID / Gransknings-ID / Krav-ID reference
resolves, dates are real date cells and IDs are text cells.  The same seed
and scale always give the same data.

Writes with xlsxwriter in constant_memory mode (streaming, strings written
inline) when it is installed, otherwise with openpyxl in write-only mode
(streaming, shared string table, slower).  Choose with --engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from followup_cli.register.identity import luhn_check_digit

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "city.xlsx"

# Everything that has happened (events, reviews, replies) happened on or before this day.
LAST_DAY = dt.date(2026, 10, 31)
BILLING_MONTHS = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)][10:34]  # 2024-11 .. 2026-10

# Sizes at --scale 1.
N_PROVIDERS = 3_000
N_EVENTS = 24_000
N_REVIEWS = 6_000
N_BILLING_ROWS = 500_000
N_REQUIREMENTS = 40  # not scaled
N_ADJUSTMENTS = 60


# ---------------------------------------------------------------------------
# Vocabularies (exact schema enum values)

REGIFORM = ["Egen regi", "Privat", "Idéburen"]
EVENT_TYPES = ["Klagomål", "Synpunkt", "Lex Sarah", "Lex Maria", "Avvikelse",
               "IVO-beslut", "Handläggarsignal", "Övrigt"]
REVIEW_AREAS = ["Ledningssystem för kvalitet", "Dokumentation", "Bemanning",
                "Verksamhetsinnehåll", "Trygghet och säkerhet", "Bemötande",
                "Brukarinflytande", "Samverkan och informationsöverföring",
                "Hälso- och sjukvård och rehabilitering"]
QUALITY_AREAS = ["Självbestämmande och integritet", "Helhetssyn och samordning",
                 "Trygghet och säkerhet", "Kunskapsbaserad verksamhet", "Tillgänglighet",
                 "Effektivitet", "Goda levnadsvillkor", "Möjlighet att leva som andra"]
REVIEW_TYPES = ["Kvalitetsgranskning", "Särskilt riktad uppföljning", "Påkallad granskning",
                "Uppföljning av tidigare granskning", "Avtalsuppföljning"]
METHODS = ["Platsbesök", "Digitalt besök", "Enkät", "Egenrapportering", "Rutingranskning"]
RESULTS = ["Inga brister", "Brister", "Allvarliga brister"]
SEVERITIES = ["Iakttagelse", "Brist", "Allvarlig brist"]
SANCTIONS = ["Ingen", "Varning", "Varning med åtgärdsplan", "Vite", "Hävning"]
SEXES = ["Kvinnor", "Män", "Totalt"]

# Service areas: (Verksamhetsområde, Lagrum, share, ID prefix, Nämnd, billed by the hour, clients range)
SERVICE_AREAS = [
    ("Hemtjänst", "SoL, HSL", 20, "HT", "Äldrenämnden", True, (8, 160)),
    ("Särskilt boende", "SoL, HSL", 13, "SÄBO", "Äldrenämnden", False, (20, 120)),
    ("Korttidsboende", "SoL, HSL", 3, "KTB", "Äldrenämnden", False, (8, 40)),
    ("Dagverksamhet", "SoL", 3, "DAGV", "Äldrenämnden", False, (8, 40)),
    ("LSS bostad med särskild service", "LSS", 12, "LSSB", "Funktionsstödsnämnden", False, (3, 12)),
    ("Daglig verksamhet", "LSS", 9, "DV", "Funktionsstödsnämnden", False, (10, 80)),
    ("Personlig assistans", "LSS", 11, "PA", "Funktionsstödsnämnden", True, (1, 40)),
    ("Korttidsvistelse", "LSS", 3, "KV", "Funktionsstödsnämnden", False, (4, 25)),
    ("Korttidstillsyn", "LSS", 2, "KT", "Funktionsstödsnämnden", False, (5, 30)),
    ("Ledsagarservice", "LSS", 3, "LED", "Funktionsstödsnämnden", True, (5, 60)),
    ("Avlösarservice", "LSS", 2, "AVL", "Funktionsstödsnämnden", True, (3, 40)),
    ("Boendestöd", "SoL", 6, "BS", "Socialnämnden", True, (10, 90)),
    ("Stödboende", "SoL", 3, "STB", "Socialnämnden", False, (5, 30)),
    ("HVB", "SoL", 5, "HVB", "Socialnämnden", False, (4, 20)),
    ("Familjehemsvård", "SoL", 2, "FHV", "Socialnämnden", False, (5, 60)),
    ("Skyddat boende", "SoL", 1, "SKB", "Socialnämnden", False, (3, 15)),
    ("Sysselsättning", "SoL", 2, "SYS", "Socialnämnden", False, (10, 50)),
]

PLACES = ["Norr", "Söder", "Väster", "Öster", "Centrum", "Björkhagen", "Ekdalen", "Lindvik",
          "Tallbacken", "Sjöstaden", "Ängby", "Hagalund", "Stenhamra", "Granåsen", "Åkersberg",
          "Solhem", "Vårby", "Kvarnholmen", "Fjällbo", "Bergsjön", "Almhult", "Rosendal",
          "Strandvik", "Mossen", "Lövsta", "Hammarby", "Kyrkbacken", "Gärdet", "Furuhöjden", "Älvsborg"]
COMPANY_WORDS = ["Omsorg", "Vård", "Trygghet", "Livskvalitet", "Omtanke", "Hemhjälp", "Assistans",
                 "Stöd", "Gemenskap", "Vardag", "Hjärta", "Närhet"]
REVIEWING_UNITS = ["Sociala kvalitetsenheten", "Avtalsenheten", "Stadsdelsförvaltning Norr",
                   "Stadsdelsförvaltning Söder", "Stadsdelsförvaltning Väster",
                   "Stadsdelsförvaltning Öster"]
REVIEWERS = [f"Granskare {i:02d}" for i in range(1, 31)]

SURVEY_INDICATORS = ["Helhetsbedömning", "Bemötande", "Trygghet", "Inflytande", "Förtroende för personalen",
                     "Tillräckligt med tid", "Information om förändringar", "Lätt att framföra klagomål"]
SELF_REPORT_INDICATORS = [("Personalomsättning (%)", 5, 40), ("Andel utbildad personal (%)", 50, 100),
                          ("Sjukfrånvaro (%)", 3, 15), ("Andel timanställda (%)", 5, 45)]

# (Granskningsområde, Kvalitetsområde, Krav, Granskningsfråga, Metod, Källa, Konsekvens)
BASE_REQUIREMENTS = [
    (0, 3, "Utföraren ska ha ett ledningssystem för systematiskt kvalitetsarbete.",
     "Finns ett dokumenterat ledningssystem?", 4, "SOSFS 2011:9", 3),
    (0, 3, "Utföraren ska utreda och åtgärda avvikelser.", "Hur hanteras avvikelser?", 4, "SOSFS 2011:9", 3),
    (0, 4, "Utföraren ska ta emot och utreda klagomål.", "Finns rutin för klagomål?", 4, "SOSFS 2011:9", 2),
    (1, 0, "Genomförandeplan ska upprättas inom 14 dagar.", "Finns aktuell genomförandeplan?", 4, "Avtal", 3),
    (1, 3, "Social dokumentation ska föras löpande.", "Dokumenteras insatserna löpande?", 4, "SOSFS 2014:5", 2),
    (2, 2, "Personalen ska ha adekvat utbildning.", "Har personalen rätt utbildning?", 3, "Förfrågningsunderlag", 3),
    (2, 5, "Bemanningen ska motsvara brukarnas behov.", "Är bemanningen tillräcklig?", 0, "Avtal", 4),
    (2, 1, "Personalen ska kunna kommunicera på svenska.", "Behärskar personalen svenska?", 0, "Avtal", 2),
    (3, 6, "Brukarna ska erbjudas meningsfull aktivitet.", "Erbjuds aktiviteter?", 0, "Förfrågningsunderlag", 2),
    (3, 7, "Insatsen ska ge goda levnadsvillkor.", "Ger insatsen goda levnadsvillkor?", 0, "LSS 7 §", 3),
    (4, 2, "Läkemedel ska hanteras säkert.", "Följs rutinen för läkemedel?", 0, "HSLF-FS 2017:37", 4),
    (4, 2, "Rutin för lex Sarah ska finnas och vara känd.", "Känner personalen till lex Sarah?", 1, "SOSFS 2011:5", 4),
    (4, 2, "Nyckelhantering ska vara säker.", "Hur hanteras nycklar?", 0, "Avtal", 3),
    (5, 0, "Brukarna ska bemötas med respekt.", "Hur upplever brukarna bemötandet?", 2, "Avtal", 3),
    (6, 0, "Brukarna ska ha inflytande över insatsens utförande.", "Hur tas brukarens önskemål tillvara?", 2,
     "SoL 3 kap. 5 §", 2),
    (6, 0, "Kontaktman ska utses för varje brukare.", "Har alla brukare en kontaktman?", 3, "Avtal", 2),
    (7, 1, "Informationsöverföring ska ske vid in- och utskrivning.", "Fungerar överrapporteringen?", 1,
     "Avtal", 3),
    (7, 1, "Samverkan ska ske med hälso- och sjukvården.", "Hur samverkar utföraren med vården?", 1,
     "Förfrågningsunderlag", 2),
    (8, 2, "Rehabiliterande förhållningssätt ska tillämpas.", "Arbetar personalen rehabiliterande?", 0,
     "Avtal", 2),
    (8, 3, "Delegering av hälso- och sjukvårdsuppgifter ska vara aktuell.", "Finns aktuella delegeringar?", 4,
     "SOSFS 1997:14", 4),
]

EVENT_TEXTS = {
    "Klagomål": ["Besök har uteblivit vid flera tillfällen.", "Klagomål på bemötande från personal.",
                 "Maten serveras kall.", "Personalen upplevs ha för bråttom."],
    "Synpunkt": ["Önskemål om bättre information vid ändrade tider.", "Önskemål om fler aktiviteter.",
                 "Synpunkt på städningens kvalitet."],
    "Lex Sarah": ["Rapport om missförhållande: utebliven insats.",
                  "Rapport om risk för missförhållande i läkemedelshanteringen."],
    "Lex Maria": ["Läkemedel gavs till fel person.", "Fall med fraktur, utredning pågår."],
    "Avvikelse": ["Avvikelse i läkemedelshanteringen.", "Fall utan skada.", "Utebliven insats.",
                  "Genomförandeplan saknades."],
    "IVO-beslut": ["IVO riktar kritik mot bemanningen.", "IVO avslutar ärendet utan kritik."],
    "Handläggarsignal": ["Handläggare uppmärksammar upprepade sena besök.",
                         "Genomförandeplan saknas vid uppföljning."],
    "Övrigt": ["Verksamheten har uppmärksammats i media.", "Tips från allmänheten."],
}
FINDING_TEXTS = {
    "Ledningssystem för kvalitet": "Rutiner i ledningssystemet är inte kända av personalen.",
    "Dokumentation": "Genomförandeplaner saknas eller är inaktuella.",
    "Bemanning": "Andelen personal med relevant utbildning är för låg.",
    "Verksamhetsinnehåll": "Aktiviteter erbjuds inte i den omfattning som avtalats.",
    "Trygghet och säkerhet": "Rutinen för läkemedelshantering följs inte.",
    "Bemötande": "Brukare upplever att de inte blir lyssnade på.",
    "Brukarinflytande": "Brukarnas önskemål dokumenteras inte.",
    "Samverkan och informationsöverföring": "Överrapportering vid utskrivning brister.",
    "Hälso- och sjukvård och rehabilitering": "Delegeringar har inte förnyats i tid.",
}


# ---------------------------------------------------------------------------
# Helpers



def org_number(first_nine: str) -> str:
    """'556123456' -> '556123-4567' with a valid check digit."""
    ten = first_nine + str(luhn_check_digit(first_nine))
    return f"{ten[:6]}-{ten[6:]}"


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights` (largest remainder)."""
    wsum = sum(weights)
    exact = [total * w / wsum for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass
class Provider:
    id: str
    area: str
    lagrum: str
    ownership: str
    active: bool
    clients: int
    billed: bool
    contract_end: dt.date | None
    overbilling: float  # typical Utförd tid / Beslutad tid


# ---------------------------------------------------------------------------
# The sheets.  Each function returns (header, rows); rows may be a generator.

def make_providers(rng: random.Random, n: int):
    municipality_orgnr = org_number("212000999")
    chains = [org_number(f"55{rng.randint(6000000, 9999999)}") for _ in range(60)]  # companies with many units
    header = ["Utförar-ID", "Namn", "Organisationsnummer", "Regiform", "Avtalsform", "Verksamhetsområde",
              "Lagrum", "Nämnd", "Uppföljande enhet", "Antal brukare", "Avtal från", "Avtal till",
              "Senast granskad", "Aktiv"]
    counts = allocate(n, [a[2] for a in SERVICE_AREAS])
    providers: list[Provider] = []
    rows = []
    serial = 0
    for (area, lagrum, _share, prefix, board, billed, (lo, hi)), count in zip(SERVICE_AREAS, counts, strict=True):
        for k in range(1, count + 1):
            serial += 1
            # About one in ten IDs is digits only with leading zeros: must survive being read as text.
            pid = f"{serial:06d}" if serial % 10 == 0 else f"{prefix}-{k:04d}"
            ownership = rng.choices(REGIFORM, weights=[45, 48, 7])[0]
            place = rng.choice(PLACES)
            if ownership == "Egen regi":
                name = f"{area} {place} {k}"
                orgnr = municipality_orgnr
                form = rng.choice(["Uppdragsbeskrivning", "Uppdragsbeskrivning", None])
            elif ownership == "Privat":
                name = f"{rng.choice(COMPANY_WORDS)} i {place} AB, {area.lower()} {k}"
                orgnr = rng.choice(chains) if rng.random() < 0.6 else org_number(f"559{rng.randint(0, 999999):06d}")
                form = rng.choices(["LOV", "LOU", "Entreprenad", "Ramavtal"], weights=[50, 25, 15, 10])[0]
            else:
                name = f"Stiftelsen {rng.choice(COMPANY_WORDS)} {place}, {area.lower()} {k}"
                orgnr = org_number(f"802{rng.randint(0, 999999):06d}")
                form = rng.choices(["IOP", "LOU", "LOV"], weights=[50, 25, 25])[0]
            if area == "Hemtjänst" and ownership != "Egen regi" and rng.random() < 0.2:
                lagrum_here = "SoL"  # not every home-care provider has HSL tasks
            else:
                lagrum_here = lagrum
            active = rng.random() > 0.03
            start = random_date(rng, dt.date(2010, 1, 1), dt.date(2024, 6, 30))
            if not active:
                start = random_date(rng, dt.date(2010, 1, 1), dt.date(2020, 12, 31))
                end = random_date(rng, dt.date(2022, 1, 1), dt.date(2024, 10, 31))
            elif form in ("LOU", "Entreprenad", "Ramavtal", "IOP"):
                end = random_date(rng, dt.date(2027, 1, 1), dt.date(2030, 12, 31))
            else:
                end = None  # LOV and in-house units usually run until further notice
            clients = rng.randint(lo, hi)
            last_reviewed = random_date(rng, dt.date(2015, 1, 1), dt.date(2018, 12, 31)) if rng.random() < 0.1 else None
            rows.append([pid, name, orgnr, ownership, form, area, lagrum_here, board,
                         rng.choice(REVIEWING_UNITS), clients, start, end, last_reviewed,
                         "Ja" if active else "Nej"])
            providers.append(Provider(pid, area, lagrum_here, ownership, active, clients, billed, end,
                                      overbilling=rng.choice([0.9] * 12 + [1.0, 1.05, 1.15])))
    return providers, header, rows


def make_requirements(rng: random.Random, n: int):
    header = ["Krav-ID", "Krav", "Granskningsområde", "Kvalitetsområde", "Verksamhetsområde", "Källa",
              "Konsekvens", "Granskningsfråga", "Metod"]
    rows = []
    for i in range(n):
        area, quality, text, question, method, source, consequence = BASE_REQUIREMENTS[i % len(BASE_REQUIREMENTS)]
        if i < len(BASE_REQUIREMENTS):
            service_area = "Alla"
        else:  # the same requirement, sharpened for one service area
            service_area = rng.choice(SERVICE_AREAS)[0]
            text = f"{text[:-1]} ({service_area.lower()})."
            consequence = min(4, consequence + 1)
        rows.append([f"K-{i + 1:03d}", text, REVIEW_AREAS[area], QUALITY_AREAS[quality], service_area, source,
                     consequence, question, METHODS[method]])
    return header, rows


def make_events(rng: random.Random, providers: list[Provider], n: int):
    header = ["Datum", "Utförar-ID", "Typ", "Allvarlighet", "Granskningsområde", "Beskrivning"]
    active = [p for p in providers if p.active]
    weights = [p.clients ** 0.5 for p in active]
    rows = []
    for p in rng.choices(active, weights=weights, k=n):
        kind = rng.choices(EVENT_TYPES, weights=[25, 20, 8, 4, 30, 2, 8, 3])[0]
        if kind == "Lex Maria" and "HSL" not in p.lagrum:
            kind = "Lex Sarah"  # lex Maria only concerns health care
        severity = rng.choices([None, 1, 2, 3, 4], weights=[10, 35, 30, 18, 7])[0]
        area = rng.choice(REVIEW_AREAS) if rng.random() < 0.7 else None
        text = rng.choice(EVENT_TEXTS[kind]) if rng.random() < 0.9 else None
        rows.append([random_date(rng, dt.date(2023, 1, 1), LAST_DAY), p.id, kind, severity, area, text])
    rows.sort(key=lambda r: (r[0], r[1]))
    return header, rows


def make_reviews(rng: random.Random, providers: list[Provider], n: int):
    header = ["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"]
    active = [p for p in providers if p.active]
    picks = [(random_date(rng, dt.date(2019, 1, 1), LAST_DAY), p)
             for p in rng.choices(active, weights=[p.clients ** 0.3 for p in active], k=n)]
    picks.sort(key=lambda x: (x[0], x[1].id))
    rows, per_year = [], {}
    for day, p in picks:
        per_year[day.year] = per_year.get(day.year, 0) + 1
        review_id = f"G-{day.year}-{per_year[day.year]:04d}"
        rows.append([review_id, p.id, day, rng.choices(REVIEW_TYPES, weights=[45, 15, 12, 18, 10])[0],
                     rng.choices(METHODS, weights=[50, 15, 10, 10, 15])[0], rng.choice(REVIEWERS),
                     rng.choices(RESULTS, weights=[45, 45, 10])[0]])
    return header, rows


def make_findings(rng: random.Random, reviews: list[list], requirements: list[list]):
    header = ["Brist-ID", "Utförar-ID", "Gransknings-ID", "Krav-ID", "Granskningsområde", "Allvarlighet",
              "Beskrivning", "Åtgärdsplan senast", "Åtgärdsplan inkommen", "Åtgärdad", "Sanktion", "Anmäld till"]
    rows, per_year = [], {}
    for review_id, provider_id, day, _type, _method, _reviewer, result in reviews:
        if result == "Inga brister":
            continue
        count = rng.choice([1, 1, 2, 2, 3, 3, 3, 4])
        for k in range(count):
            per_year[day.year] = per_year.get(day.year, 0) + 1
            if result == "Allvarliga brister" and k == 0:
                severity = "Allvarlig brist"
            else:
                severity = rng.choices(SEVERITIES[:2], weights=[35, 65])[0]
            if rng.random() < 0.9:
                req = rng.choice(requirements)
                requirement_id, area = req[0], req[2]
            else:
                requirement_id, area = None, rng.choice(REVIEW_AREAS)
            due = day + dt.timedelta(days=30) if severity != "Iakttagelse" else None
            received = resolved = None
            if due and due <= LAST_DAY and rng.random() < 0.85:
                received = due - dt.timedelta(days=rng.randint(-15, 25))
                received = min(max(received, day + dt.timedelta(days=1)), LAST_DAY)
                if rng.random() < 0.75:
                    resolved = received + dt.timedelta(days=rng.randint(30, 240))
                    resolved = resolved if resolved <= LAST_DAY else None
            if severity == "Allvarlig brist":
                sanction = rng.choices(SANCTIONS, weights=[55, 15, 20, 8, 2])[0]
                reported = rng.choices([None, "IVO", "IVO, Polis", "Polis"], weights=[70, 24, 4, 2])[0]
            else:
                sanction = rng.choices(SANCTIONS[:3], weights=[93, 4, 3])[0]
                reported = "IVO" if rng.random() < 0.01 else None
            rows.append([f"B-{day.year}-{per_year[day.year]:05d}", provider_id, review_id, requirement_id, area,
                         severity, FINDING_TEXTS[area], due, received, resolved, sanction, reported])
    return header, rows


def make_survey(rng: random.Random, providers: list[Provider], split_share: float):
    header = ["År", "Utförar-ID", "Indikator", "Värde", "Kön", "Antal svar", "Jämförelsevärde"]
    comparison = {(y, ind): round(rng.uniform(70, 92), 1) for y in (2023, 2024, 2025) for ind in SURVEY_INDICATORS}
    rows = []
    for year in (2023, 2024, 2025):
        for p in providers:
            if not p.active:
                continue
            for indicator in rng.sample(SURVEY_INDICATORS, 3):
                base = comparison[(year, indicator)]
                answers = max(1, int(p.clients * rng.uniform(0.3, 0.7)))
                sexes = SEXES if rng.random() < split_share else ["Totalt"]
                for sex in sexes:
                    n = answers if sex == "Totalt" else max(1, answers // 2)
                    value = round(min(100.0, max(0.0, base + rng.gauss(0, 8))), 1)
                    rows.append([year, p.id, indicator, value, sex, n, base])
    return header, rows


def make_self_report(rng: random.Random, providers: list[Provider]):
    header = ["År", "Utförar-ID", "Indikator", "Värde"]
    rows = []
    for year in (2023, 2024, 2025):
        for p in providers:
            if not p.active:
                continue
            count = rng.choices([0, 1, 2], weights=[10, 75, 15])[0]
            for indicator, lo, hi in rng.sample(SELF_REPORT_INDICATORS, count):
                rows.append([year, p.id, indicator, round(rng.uniform(lo, hi), 1)])
    return header, rows


def make_adjustments(rng: random.Random, providers: list[Provider], n: int):
    header = ["Utförar-ID", "Åtgärd", "Motivering", "Beslutad av", "Datum"]
    reasons = {
        "Höj risk": "Nyligen byte av verksamhetschef och hög personalomsättning.",
        "Sänk risk": "Klagomålen gällde en händelse som redan är utredd och åtgärdad.",
        "Inkludera": "Nämnden har beslutat om en tematisk granskning av verksamheten.",
        "Exkludera": "Avtalet upphör under året.",
    }
    active = [p for p in providers if p.active]
    rows = []
    for p in sorted(rng.sample(active, min(n, len(active))), key=lambda p: p.id):
        action = rng.choices(list(reasons), weights=[35, 20, 30, 15])[0]
        rows.append([p.id, action, reasons[action], rng.choice(REVIEWERS),
                     random_date(rng, dt.date(2026, 1, 1), LAST_DAY)])
    return header, rows


def make_billing(rng: random.Random, providers: list[Provider], total: int):
    """Yield rows month by month: one row per client decision, like an export from the invoicing system."""
    header = ["Månad", "Utförar-ID", "Beslutad tid", "Utförd tid"]
    billed = [p for p in providers if p.billed and p.active]
    per_month_totals = allocate(total, [1] * len(BILLING_MONTHS))

    def rows():
        for (year, month), month_total in zip(BILLING_MONTHS, per_month_totals, strict=True):
            month_text = f"{year}-{month:02d}"
            for p, count in zip(billed, allocate(month_total, [p.clients for p in billed]), strict=True):
                for _ in range(count):
                    decided = round(rng.uniform(4, 120), 1)
                    done = round(decided * p.overbilling * rng.uniform(0.85, 1.1), 1)
                    yield [month_text, p.id, decided, done]

    return header, rows()


# ---------------------------------------------------------------------------
# Writers: the same two calls for xlsxwriter and openpyxl.

class XlsxWriterBook:
    def __init__(self, path: Path):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True,
            "default_date_format": "yyyy-mm-dd",
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        })
        self.book.set_properties({"created": dt.datetime(2026, 1, 1)})  # same bytes every run

    def add_sheet(self, name: str, header: list[str], rows) -> int:
        sheet = self.book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, header)
        count = 0
        for count, row in enumerate(rows, start=1):
            sheet.write_row(count, 0, row)
        return count

    def close(self) -> None:
        self.book.close()


class OpenpyxlBook:
    def __init__(self, path: Path):
        import openpyxl

        self.path = path
        self.book = openpyxl.Workbook(write_only=True)

    def add_sheet(self, name: str, header: list[str], rows) -> int:
        sheet = self.book.create_sheet(name)
        sheet.freeze_panes = "A2"
        sheet.append(header)
        count = 0
        for count, row in enumerate(rows, start=1):
            sheet.append(row)
        return count

    def close(self) -> None:
        self.book.save(self.path)


def default_engine() -> str:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "xlsxwriter"


# ---------------------------------------------------------------------------

def generate(out: Path, seed: int = 2026, scale: float = 1.0, engine: str | None = None) -> dict[str, int]:
    """Write the register to `out`; return the number of data rows per sheet."""
    rng = random.Random(seed)
    n_providers = max(10, round(N_PROVIDERS * scale))
    providers, p_header, p_rows = make_providers(rng, n_providers)
    sheets = [("Utförare", p_header, p_rows)]

    r_header, r_rows = make_requirements(rng, N_REQUIREMENTS)
    sheets.append(("Krav", r_header, r_rows))
    sheets.append(("Händelser", *make_events(rng, providers, round(N_EVENTS * scale))))
    g_header, g_rows = make_reviews(rng, providers, round(N_REVIEWS * scale))
    sheets.append(("Granskningar", g_header, g_rows))
    sheets.append(("Brister", *make_findings(rng, g_rows, r_rows)))
    sheets.append(("Brukarundersökning", *make_survey(rng, providers, split_share=0.36)))
    sheets.append(("Egenrapportering", *make_self_report(rng, providers)))
    sheets.append(("Justeringar", *make_adjustments(rng, providers, max(4, round(N_ADJUSTMENTS * scale)))))
    sheets.append(("Fakturering", *make_billing(rng, providers, round(N_BILLING_ROWS * scale))))

    out.parent.mkdir(parents=True, exist_ok=True)
    book = (XlsxWriterBook if (engine or default_engine()) == "xlsxwriter" else OpenpyxlBook)(out)
    counts = {name: book.add_sheet(name, header, rows) for name, header, rows in sheets}
    book.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size factor; 0.1 gives a tenth of the rows (default 1)")
    parser.add_argument("--engine", choices=["xlsxwriter", "openpyxl"], default=None,
                        help="writer (default xlsxwriter if installed, else openpyxl)")
    args = parser.parse_args(argv)

    engine = args.engine or default_engine()
    started = time.perf_counter()
    counts = generate(args.out, seed=args.seed, scale=args.scale, engine=engine)
    elapsed = time.perf_counter() - started

    for name, count in counts.items():
        print(f"  {name:<20} {count:>9,} rows")
    size_mb = args.out.stat().st_size / 1e6
    print(f"Wrote {args.out} ({size_mb:.1f} MB) with {engine} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
