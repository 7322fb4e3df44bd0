"""Regenerate the sample municipality *Exempelkommun* in ``examples/``.

The sample workspace is what every ``followup`` command runs on out of the
box, what the documentation shows and what the tests read. It is generated,
not hand-edited, so that it can be rebuilt after a schema change and so that
its "story" (which providers are in trouble, which were never reviewed) is
written down in one place: this file.

Run it from the repository root::

    python scripts/make_example.py

It writes, overwriting earlier versions:

* ``examples/register.xlsx`` - the register workbook: Utförare, Krav,
  Händelser, Granskningar, Brister, Brukarundersökning, Egenrapportering,
  Justeringar (sheet and column names as the ``title``s in ``schemas/``).
  Händelser has a title row and an empty row above its header, as real
  exports from case-management systems do.
* ``examples/export/fakturering.csv`` - the Fakturering sheet as an invoicing
  system exports it: semicolon-separated, UTF-8 with BOM, decimal commas.
* ``examples/checklists/G-ÅÅÅÅ-NNN.xlsx`` - four completed review checklists.

It never touches ``examples/followup.yaml``.

The data covers 2023-01-01 to 2025-12-31; the plan year is 2026. All of it
is valid against the schemas except two deliberate data-quality warnings:

* one provider has no "Uppföljande enhet" (see ``NO_REVIEWING_UNIT``);
* one serious finding ("Allvarlig brist") from 2025 has an action-plan
  deadline that has passed with no plan received (``no_plan`` below).

The 2025 reviews are the 2025 plan's: the script asks followup itself for the
plan the README's ``followup plan --year 2025 --as-of 2024-12-31`` makes
(``plan_2025``), on a copy of the register cut to 2024-12-31, and carries it
out; the trouble providers' triggered visits are added during the year, and
three planned reviews are postponed to 2026 (``POSTPONED``, Skjut upp rows in
Justeringar that the annual report gives as the reason). Action plans are
approved a few days after they come in and most findings are corrected within
the scale's days; the first deficiency from July 2024 at a LOV provider outside
the trouble story gets its plan late (``late_plan``: the reminder letter of
``followup actions``).

The output is deterministic: one ``random.Random(SEED)``, no dependence on
today's date, and workbooks are saved with fixed document timestamps and
fixed zip-entry timestamps, so two runs give byte-identical files (with the
same Python, zlib and openpyxl versions).

Only the standard library, openpyxl and followup itself (for the 2025 plan) are used.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import os
import random
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from followup_cli.register.identity import luhn_check_digit

# ---------------------------------------------------------------------------
# General settings
# ---------------------------------------------------------------------------

SEED = 2025
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REGISTER_PATH = EXAMPLES / "register.xlsx"
BILLING_PATH = EXAMPLES / "export" / "fakturering.csv"
CHECKLIST_DIR = EXAMPLES / "checklists"

PERIOD_START = date(2023, 1, 1)
PERIOD_END = date(2025, 12, 31)
YEARS = (2023, 2024, 2025)
REGULAR_YEARS = (2023, 2024)  # 2025's reviews are the 2025 plan's (see plan_2025)
PLAN_YEAR_DONE = 2025
PLAN_AS_OF = date(2024, 12, 31)  # what the README's `followup plan --year 2025 --as-of 2024-12-31` sees
LAST_REVIEW_DAY = date(2025, 12, 12)  # nobody reviews in the Christmas weeks

# Fixed timestamps so that the workbooks are byte-identical between runs.
DOC_TIMESTAMP = datetime(2025, 12, 31, 12, 0, 0)
ZIP_TIMESTAMP = (2025, 12, 31, 12, 0, 0)

MUNICIPALITY = "Exempelkommun"
MUNICIPALITY_ORGNR_BASE = "212000558"  # the check digit is computed

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
TITLE_FONT = Font(bold=True, size=13)

# ---------------------------------------------------------------------------
# Vocabulary (spelled exactly as the enums in schemas/*.yaml)
# ---------------------------------------------------------------------------

HT = "Hemtjänst"
SABO = "Särskilt boende"
KTB = "Korttidsboende"
DV = "Dagverksamhet"
LSS = "LSS bostad med särskild service"
DLV = "Daglig verksamhet"
PA = "Personlig assistans"
BST = "Boendestöd"

EGEN = "Egen regi"
PRIVAT = "Privat"
IDEBUREN = "Idéburen"

LOV = "LOV"
LOU = "LOU"
ENTREPRENAD = "Entreprenad"
UPPDRAG = "Uppdragsbeskrivning"
IOP = "IOP"

OMSORGSNAMNDEN = "Omsorgsnämnden"
SOCIALNAMNDEN = "Socialnämnden"

KVALITETSENHETEN = "Sociala kvalitetsenheten"
NORRA = "Norra stadsdelsförvaltningen"
SODRA = "Södra stadsdelsförvaltningen"

# Review areas (Granskningsområde)
RA_QUALITY = "Ledningssystem för kvalitet"
RA_DOC = "Dokumentation"
RA_STAFF = "Bemanning"
RA_CONTENT = "Verksamhetsinnehåll"
RA_SAFETY = "Trygghet och säkerhet"
RA_TREATMENT = "Bemötande"
RA_INFLUENCE = "Brukarinflytande"
RA_COOP = "Samverkan och informationsöverföring"
RA_HEALTH = "Hälso- och sjukvård och rehabilitering"
REVIEW_AREAS = (RA_QUALITY, RA_DOC, RA_STAFF, RA_CONTENT, RA_SAFETY,
                RA_TREATMENT, RA_INFLUENCE, RA_COOP, RA_HEALTH)

# Quality areas (Kvalitetsområde)
QA_SELF = "Självbestämmande och integritet"
QA_COORD = "Helhetssyn och samordning"
QA_SAFETY = "Trygghet och säkerhet"
QA_KNOWLEDGE = "Kunskapsbaserad verksamhet"
QA_ACCESS = "Tillgänglighet"
QA_EFFICIENCY = "Effektivitet"
QA_LIVING = "Goda levnadsvillkor"
QA_LIKE_OTHERS = "Möjlighet att leva som andra"

# Event kinds (Typ on Händelser)
COMPLAINT = "Klagomål"
FEEDBACK = "Synpunkt"
LEX_SARAH = "Lex Sarah"
LEX_MARIA = "Lex Maria"
DEVIATION = "Avvikelse"
IVO_DECISION = "IVO-beslut"
CASEWORKER = "Handläggarsignal"
OTHER = "Övrigt"

# Review types and methods
QUALITY_REVIEW = "Kvalitetsgranskning"
TARGETED = "Särskilt riktad uppföljning"
TRIGGERED = "Påkallad granskning"
FOLLOW_UP = "Uppföljning av tidigare granskning"
CONTRACT_REVIEW = "Avtalsuppföljning"

SITE_VISIT = "Platsbesök"
DIGITAL_VISIT = "Digitalt besök"
SURVEY = "Enkät"
SELF_REPORT = "Egenrapportering"
ROUTINE_AUDIT = "Rutingranskning"

# Review results and finding severities
NO_DEFICIENCIES = "Inga brister"
DEFICIENCIES = "Brister"
SERIOUS_DEFICIENCIES = "Allvarliga brister"
OBSERVATION = "Iakttagelse"
DEFICIENCY = "Brist"
SERIOUS = "Allvarlig brist"

NO_SANCTION = "Ingen"
WARNING = "Varning"
WARNING_WITH_PLAN = "Varning med åtgärdsplan"
PENALTY = "Vite"

# ---------------------------------------------------------------------------
# Sheet and column names (the `title`s in schemas/, in schema order)
# ---------------------------------------------------------------------------

PROVIDER_HEADERS = ["Utförar-ID", "Namn", "Organisationsnummer", "Regiform", "Avtalsform",
                    "Verksamhetsområde", "Lagrum", "Nämnd", "Uppföljande enhet", "Antal brukare",
                    "Avtal från", "Avtal till", "Senast granskad", "Aktiv"]
REQUIREMENT_HEADERS = ["Krav-ID", "Krav", "Granskningsområde", "Kvalitetsområde", "Verksamhetsområde",
                       "Källa", "Konsekvens", "Granskningsfråga", "Metod"]
EVENT_HEADERS = ["Datum", "Utförar-ID", "Typ", "Allvarlighet", "Granskningsområde", "Beskrivning"]
REVIEW_HEADERS = ["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare", "Resultat"]
FINDING_HEADERS = ["Brist-ID", "Utförar-ID", "Gransknings-ID", "Krav-ID", "Granskningsområde",
                   "Allvarlighet", "Beskrivning", "Åtgärdsplan senast", "Åtgärdsplan inkommen",
                   "Åtgärdsplan godkänd", "Åtgärdad", "Sanktion", "Anmäld till"]
SURVEY_HEADERS = ["År", "Utförar-ID", "Indikator", "Värde", "Kön", "Antal svar", "Jämförelsevärde"]
SELF_REPORT_HEADERS = ["År", "Utförar-ID", "Indikator", "Värde"]
ADJUSTMENT_HEADERS = ["Utförar-ID", "Åtgärd", "Motivering", "Beslutad av", "Datum"]
BILLING_HEADERS = ["Månad", "Utförar-ID", "Beslutad tid", "Utförd tid"]
CHECKLIST_HEADER_LABELS = ["Gransknings-ID", "Utförar-ID", "Datum", "Typ", "Metod", "Granskare"]
CHECKLIST_QUESTION_HEADERS = ["Fråge-ID", "Granskningsområde", "Fråga", "Krav-ID", "Svar",
                              "Iakttagelse", "Allvarlighet", "Åtgärd krävs"]

EVENTS_TITLE = "Händelser 2023–2025, export från ärendesystemet"
EVENTS_HEADER_ROW = 3
TEXT_COLUMNS = ("Utförar-ID", "Organisationsnummer", "Gransknings-ID", "Krav-ID", "Brist-ID")

# ---------------------------------------------------------------------------
# Service areas
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaProfile:
    prefix: str
    law: str
    board: str
    clients: tuple[int, int]        # range for "Antal brukare"
    event_factor: float             # how many signals per sqrt(client)
    turnover: tuple[float, float]   # normal staff turnover, %
    educated: tuple[float, float]   # normal share of qualified staff, %


AREAS: dict[str, AreaProfile] = {
    HT: AreaProfile("HT", "SoL", OMSORGSNAMNDEN, (30, 250), 1.4, (14, 24), (65, 85)),
    SABO: AreaProfile("SÄBO", "SoL, HSL", OMSORGSNAMNDEN, (20, 80), 1.3, (10, 20), (70, 90)),
    KTB: AreaProfile("KTB", "SoL, HSL", OMSORGSNAMNDEN, (10, 30), 1.1, (10, 20), (75, 92)),
    DV: AreaProfile("DV", "SoL", OMSORGSNAMNDEN, (12, 40), 0.5, (5, 12), (70, 90)),
    LSS: AreaProfile("LSS", "LSS, HSL", SOCIALNAMNDEN, (4, 12), 1.8, (8, 18), (60, 85)),
    DLV: AreaProfile("DLV", "LSS", SOCIALNAMNDEN, (10, 60), 0.7, (5, 12), (60, 85)),
    PA: AreaProfile("PA", "LSS", SOCIALNAMNDEN, (3, 25), 1.6, (15, 28), (52, 72)),
    BST: AreaProfile("BST", "SoL", SOCIALNAMNDEN, (15, 60), 0.8, (6, 14), (70, 95)),
}

# ---------------------------------------------------------------------------
# The providers and their story
# ---------------------------------------------------------------------------

# (Utförar-ID, Namn, Verksamhetsområde, Regiform, Avtalsform)
PROVIDER_TABLE: list[tuple[str, str, str, str, str]] = [
    ("HT-001", "Hemtjänst Centrum", HT, EGEN, UPPDRAG),
    ("HT-002", "Hemtjänst Söder", HT, EGEN, UPPDRAG),
    ("HT-003", "Hemtjänst Norr", HT, EGEN, UPPDRAG),
    # An old cost-centre code kept from the finance system: the leading zero must survive.
    ("0180", "Nattpatrullen hemtjänst", HT, EGEN, UPPDRAG),
    ("HT-004", "Omsorg i Hemmet Exempelkommun AB", HT, PRIVAT, LOV),
    ("HT-005", "Trygga Händer Hemtjänst AB", HT, PRIVAT, LOV),
    ("HT-006", "Lindängens Hemtjänst AB", HT, PRIVAT, LOV),
    ("HT-007", "Vardagshjälpen hemtjänst", HT, PRIVAT, LOV),
    ("HT-008", "Hemtjänst med Hjärta AB", HT, PRIVAT, LOV),
    ("HT-009", "Solrosens Omsorg AB", HT, PRIVAT, LOV),
    ("HT-010", "Nordic Hemservice AB", HT, PRIVAT, LOV),
    ("HT-011", "Hemtjänsten Ängen AB", HT, PRIVAT, LOV),
    ("SÄBO-001", "Solgårdens vård- och omsorgsboende", SABO, EGEN, UPPDRAG),
    ("SÄBO-002", "Björkhagens vård- och omsorgsboende", SABO, EGEN, UPPDRAG),
    ("SÄBO-003", "Ekbackens vård- och omsorgsboende", SABO, EGEN, UPPDRAG),
    ("SÄBO-004", "Strandgårdens demensboende", SABO, EGEN, UPPDRAG),
    ("SÄBO-005", "Lärkbackens äldreboende", SABO, PRIVAT, ENTREPRENAD),
    ("SÄBO-006", "Tallbackens vård- och omsorgsboende", SABO, PRIVAT, LOU),
    ("SÄBO-007", "Rosenlunds vårdboende", SABO, PRIVAT, ENTREPRENAD),
    ("SÄBO-008", "Kastanjegårdens äldreboende", SABO, PRIVAT, LOU),
    ("SÄBO-009", "Stiftelsen Hemmet Lindgården", SABO, IDEBUREN, LOU),
    ("KTB-001", "Korttidsboendet Kvarnen", KTB, EGEN, UPPDRAG),
    ("KTB-002", "Korttidsboendet Sjöudden", KTB, EGEN, UPPDRAG),
    ("KTB-003", "Korttidsboendet Lotsen", KTB, PRIVAT, ENTREPRENAD),
    ("DV-001", "Dagverksamheten Mötesplatsen", DV, EGEN, UPPDRAG),
    ("DV-002", "Dagverksamheten Minnesgården", DV, EGEN, UPPDRAG),
    ("DV-003", "Träffpunkt Gemenskapen", DV, IDEBUREN, IOP),
    ("LSS-001", "Gruppbostaden Ängsvägen", LSS, EGEN, UPPDRAG),
    ("LSS-002", "Gruppbostaden Lönnen", LSS, EGEN, UPPDRAG),
    ("LSS-003", "Servicebostaden Kvarngatan", LSS, EGEN, UPPDRAG),
    ("LSS-004", "Gruppbostaden Solvändan", LSS, PRIVAT, LOU),
    ("LSS-005", "Gruppbostaden Björnen", LSS, PRIVAT, LOU),
    ("LSS-006", "Gruppbostaden Hasseln", LSS, PRIVAT, LOU),
    ("LSS-007", "Servicebostaden Parkgatan", LSS, PRIVAT, ENTREPRENAD),
    ("LSS-008", "Gruppbostaden Fyren", LSS, IDEBUREN, LOU),
    ("DLV-001", "Daglig verksamhet Verkstan", DLV, EGEN, UPPDRAG),
    ("DLV-002", "Daglig verksamhet Café Kvarnen", DLV, EGEN, UPPDRAG),
    ("DLV-003", "Aktivitetshuset Framsteg AB", DLV, PRIVAT, LOV),
    ("DLV-004", "Grönt & Skönt Daglig verksamhet AB", DLV, PRIVAT, LOV),
    ("DLV-005", "Kooperativet Vävstugan", DLV, IDEBUREN, IOP),
    ("PA-001", "Personlig assistans, kommunens egen regi", PA, EGEN, UPPDRAG),
    ("PA-002", "Assistansgruppen Väst AB", PA, PRIVAT, LOV),
    ("PA-003", "Frihet Assistans AB", PA, PRIVAT, LOV),
    ("PA-004", "Vardagshjälpen personlig assistans", PA, PRIVAT, LOV),
    ("PA-005", "Nova Personlig Assistans AB", PA, PRIVAT, LOV),
    ("BST-001", "Boendestödet socialpsykiatri", BST, EGEN, UPPDRAG),
    ("BST-002", "Stödteamet Bryggan AB", BST, PRIVAT, LOU),
    ("BST-003", "Ideella föreningen Vägvisaren", BST, IDEBUREN, IOP),
]

# Six providers carry the "trouble" a risk analysis should find (two in egen regi).
TROUBLE = ("HT-002", "HT-004", "SÄBO-006", "KTB-001", "LSS-005", "PA-003")
# Started in 2025.
NEW_PROVIDERS = {"HT-011": date(2025, 3, 1), "PA-005": date(2025, 9, 1)}
# Contracts that end during the plan year 2026.
ENDING_IN_PLAN_YEAR = {"SÄBO-007": date(2026, 4, 30), "BST-002": date(2026, 6, 30),
                       "LSS-004": date(2026, 9, 30)}
# No longer in operation (Aktiv = Nej).
INACTIVE = {"HT-008": date(2024, 6, 30), "DV-002": date(2024, 12, 31)}
# Active providers never reviewed: no Granskningar row and no Senast granskad.
NEVER_REVIEWED = ("HT-009", "HT-011", "DV-001", "LSS-007", "DLV-004", "BST-003")
# Last reviewed in 2022: known only from the Senast granskad column.
REVIEWED_2022_ONLY = {"HT-010": date(2022, 5, 17), "KTB-002": date(2022, 11, 9),
                      "LSS-006": date(2022, 10, 4), "DLV-005": date(2022, 3, 22)}
# Deliberate data-quality warning: no reviewing unit.
NO_REVIEWING_UNIT = "DLV-003"
# Egen regi units followed up by their district administration.
DISTRICT_UNITS = {"HT-001": NORRA, "HT-003": NORRA, "0180": NORRA,
                  "HT-002": SODRA, "SÄBO-003": SODRA, "SÄBO-004": SODRA}
# One company runs two units: same organisation number.
SAME_COMPANY_AS = {"PA-004": "HT-007"}
CLIENTS_OVERRIDE = {"0180": 120, "HT-011": 35, "PA-005": 4}
ORG_PREFIX = {PRIVAT: "556", IDEBUREN: "802"}
ORG_PREFIX_OVERRIDE = {"DLV-005": "769"}  # an economic association (kooperativ)

REVIEWERS = {
    KVALITETSENHETEN: ("Eva Lindqvist", "Johan Nordin", "Sara Holm", "Ahmed Karimi"),
    NORRA: ("Lena Sjöberg",),
    SODRA: ("Peter Alm",),
}
HEAD_OF_QUALITY = "Maria Ek"


@dataclass
class Provider:
    pid: str
    name: str
    area: str
    ownership: str
    contract_form: str
    org_number: str = ""
    law: str = ""
    board: str = ""
    reviewing_unit: str | None = None
    clients: int = 0
    start: date | None = None
    end: date | None = None
    last_reviewed: date | None = None
    active: bool = True

    @property
    def profile(self) -> AreaProfile:
        return AREAS[self.area]

    def window(self) -> tuple[date, date]:
        """The part of the data period in which the provider operated."""
        lo = max(self.start, PERIOD_START)
        hi = min(self.end, PERIOD_END) if self.end else PERIOD_END
        return lo, hi

    def operates_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


# ---------------------------------------------------------------------------
# Requirements (Krav). Keys are used by the scripted story below; the ids
# K-001 ... follow the order of this list.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    key: str
    text: str
    review_area: str
    quality_area: str
    service_area: str
    source: str
    consequence: int
    question: str
    method: str
    deficiency_text: str   # used as Beskrivning of a Brist
    observation_text: str  # used as Beskrivning of an Iakttagelse
    rid: str = ""

    def applies_to(self, area: str) -> bool:
        return self.service_area in ("Alla", area)


ALLA = "Alla"
AVTAL = "Avtal"
FU_LOV = "Förfrågningsunderlag LOV"
SOSFS = "SOSFS 2011:9"

REQUIREMENT_TABLE = [
    Requirement("quality_system",
                "Verksamheten ska ha ett ledningssystem för systematiskt kvalitetsarbete.",
                RA_QUALITY, QA_KNOWLEDGE, ALLA, SOSFS, 3,
                "Finns ett dokumenterat ledningssystem med processer, rutiner och ansvarsfördelning som hålls aktuellt?",
                ROUTINE_AUDIT,
                "Ledningssystemet saknar beskrivning av flera processer och rutinerna är inte uppdaterade.",
                "Ledningssystemet finns men är inte känt av all personal."),
    Requirement("complaints",
                "Klagomål och synpunkter ska tas emot, utredas och sammanställas för att förbättra verksamheten.",
                RA_QUALITY, QA_ACCESS, ALLA, SOSFS, 2,
                "Hur tas klagomål emot och utreds, och hur används sammanställningen i förbättringsarbetet?",
                ROUTINE_AUDIT,
                "Klagomål registreras inte och sammanställs inte.",
                "Klagomål sammanställs men analyseras inte."),
    Requirement("self_inspection",
                "Verksamheten ska regelbundet utföra egenkontroll och årligen upprätta en kvalitetsberättelse.",
                RA_QUALITY, QA_KNOWLEDGE, ALLA, SOSFS, 2,
                "Har egenkontroller gjorts enligt plan och finns en kvalitetsberättelse för föregående år?",
                SELF_REPORT,
                "Kvalitetsberättelse för föregående år saknas.",
                "Egenkontrollerna är inte fullständigt dokumenterade."),
    Requirement("lex_sarah",
                "Personalen ska känna till skyldigheten att rapportera missförhållanden enligt lex Sarah, "
                "och rapporterna ska utredas skyndsamt.",
                RA_QUALITY, QA_SAFETY, ALLA, AVTAL, 4,
                "Känner personalen till rutinen för lex Sarah, och utreds rapporterna skyndsamt?",
                ROUTINE_AUDIT,
                "Personalen känner inte till rutinen för lex Sarah och utredningar har dragit ut på tiden.",
                "Rutinen för lex Sarah behöver gås igenom med nyanställda."),
    Requirement("care_plan",
                "En genomförandeplan ska upprättas tillsammans med den enskilde inom två veckor "
                "och följas upp minst var sjätte månad.",
                RA_DOC, QA_SELF, ALLA, AVTAL, 3,
                "Finns aktuella genomförandeplaner som är upprättade tillsammans med den enskilde?",
                SITE_VISIT,
                "Genomförandeplaner saknades eller var inaktuella för flera brukare.",
                "Genomförandeplanerna beskriver inte alltid den enskildes önskemål."),
    Requirement("social_records",
                "Social dokumentation ska föras löpande, utan onödigt dröjsmål och med relevant innehåll.",
                RA_DOC, QA_KNOWLEDGE, ALLA, AVTAL, 3,
                "Förs den sociala dokumentationen löpande och beskriver den hur insatserna genomförs?",
                SITE_VISIT,
                "Den sociala dokumentationen hade långa uppehåll och saknade uppgifter om utförda insatser.",
                "Dokumentationen är i vissa delar värderande."),
    Requirement("records_security",
                "Handlingar med personuppgifter ska förvaras så att obehöriga inte får tillgång till dem.",
                RA_DOC, QA_SELF, ALLA, AVTAL, 2,
                "Förvaras journaler och andra handlingar med personuppgifter säkert?",
                SITE_VISIT,
                "Handlingar med personuppgifter förvarades olåst i personalrummet.",
                "Rutinen för utloggning från datorer följs inte alltid."),
    Requirement("time_registration",
                "Utförd tid ska registreras i kommunens system för tidsregistrering vid varje besök.",
                RA_DOC, QA_EFFICIENCY, HT, FU_LOV, 3,
                "Registreras utförd tid i tidsregistreringssystemet vid varje besök?",
                ROUTINE_AUDIT,
                "Utförd tid registrerades manuellt i efterhand och stämde inte med planerade besök.",
                "Enstaka besök saknade registrering."),
    Requirement("manager_competence",
                "Verksamhetschefen ska ha relevant högskoleutbildning och erfarenhet av arbetsledning.",
                RA_STAFF, QA_KNOWLEDGE, ALLA, AVTAL, 2,
                "Har verksamhetschefen den utbildning och erfarenhet som avtalet kräver?",
                SELF_REPORT,
                "Verksamhetschefen saknar den utbildning som avtalet kräver.",
                "Ny verksamhetschef är under introduktion."),
    Requirement("staff_education",
                "Minst 80 procent av baspersonalen ska ha relevant utbildning, till exempel som undersköterska.",
                RA_STAFF, QA_KNOWLEDGE, ALLA, AVTAL, 3,
                "Hur stor andel av baspersonalen har relevant utbildning?",
                SELF_REPORT,
                "Andelen personal med relevant utbildning understiger avtalets krav.",
                "Andelen utbildad personal har minskat jämfört med föregående år."),
    Requirement("night_staffing",
                "Bemanningen ska vara anpassad efter de boendes behov dygnet runt, med vaken nattpersonal på varje enhet.",
                RA_STAFF, QA_SAFETY, SABO, AVTAL, 4,
                "Är bemanningen dag och natt anpassad efter de boendes behov?",
                SITE_VISIT,
                "Bemanningen nattetid var inte anpassad efter de boendes behov.",
                "Schemat nattetid är sårbart vid sjukfrånvaro."),
    Requirement("swedish_language",
                "Personalen ska kunna kommunicera på svenska med brukare, närstående och kollegor och kunna dokumentera på svenska.",
                RA_STAFF, QA_SAFETY, ALLA, AVTAL, 3,
                "Har personalen de kunskaper i svenska som uppdraget kräver?",
                SITE_VISIT,
                "Flera i personalen kunde inte dokumentera på svenska.",
                "Verksamheten saknar en plan för personalens språkutveckling."),
    Requirement("continuity",
                "Personalkontinuiteten ska vara hög; den enskilde ska möta så få olika personal som möjligt.",
                RA_STAFF, QA_SAFETY, HT, FU_LOV, 2,
                "Hur många olika personal möter en brukare under en period om fjorton dagar?",
                SELF_REPORT,
                "Brukarna mötte i genomsnitt fler än femton olika personal under fjorton dagar.",
                "Kontinuiteten försämrades under sommaren."),
    Requirement("decided_services",
                "Insatserna ska utföras enligt biståndsbeslut och genomförandeplan, på den tid som överenskommits med den enskilde.",
                RA_CONTENT, QA_SELF, HT, FU_LOV, 4,
                "Utförs insatserna enligt beslut och på överenskommen tid?",
                SITE_VISIT,
                "Beslutade insatser utfördes inte, eller utfördes på annan tid än den överenskomna.",
                "Besöken förskjuts ibland utan att brukaren får besked."),
    Requirement("meaningful_occupation",
                "Den enskilde ska erbjudas meningsfull sysselsättning utifrån sina intressen och förutsättningar.",
                RA_CONTENT, QA_LIVING, DLV, AVTAL, 2,
                "Erbjuds deltagarna sysselsättning som motsvarar deras intressen och mål?",
                SITE_VISIT,
                "Deltagarna erbjöds inte sysselsättning utifrån sina individuella mål.",
                "Utbudet av aktiviteter utanför lokalen är begränsat."),
    Requirement("meals",
                "Måltiderna ska vara näringsriktiga och anpassade, och nattfastan ska inte överstiga elva timmar.",
                RA_CONTENT, QA_KNOWLEDGE, SABO, AVTAL, 3,
                "Är måltiderna anpassade efter de boendes behov och hur lång är nattfastan?",
                SITE_VISIT,
                "Nattfastan översteg elva timmar för flera boende.",
                "Måltidsmiljön är stökig vid middagen."),
    Requirement("community_participation",
                "Den enskilde ska få stöd att delta i samhällslivet och ha en aktiv fritid.",
                RA_CONTENT, QA_LIKE_OTHERS, LSS, AVTAL, 3,
                "Får de boende stöd att delta i fritidsaktiviteter och samhällsliv utifrån egna önskemål?",
                SITE_VISIT,
                "De boende fick inte stöd till fritidsaktiviteter på grund av låg bemanning.",
                "Fritidsaktiviteter planeras oftast i grupp."),
    Requirement("assistance_hours",
                "Assistansen ska utföras i beslutad omfattning och redovisade timmar ska motsvara utförd tid.",
                RA_CONTENT, QA_EFFICIENCY, PA, FU_LOV, 4,
                "Stämmer redovisade assistanstimmar med tidrapporter och scheman?",
                ROUTINE_AUDIT,
                "Redovisade timmar översteg de timmar som utförts enligt tidrapporterna.",
                "Tidrapporterna signeras inte alltid av brukaren eller företrädaren."),
    Requirement("support_goals",
                "Boendestödet ska utgå från den enskildes egna mål och stärka förmågan att klara vardagen.",
                RA_CONTENT, QA_SELF, BST, AVTAL, 2,
                "Utgår stödet från den enskildes egna mål och följs målen upp?",
                SITE_VISIT,
                "Stödet utgick inte från dokumenterade mål.",
                "Målen följs upp men sällan tillsammans med den enskilde."),
    Requirement("alarms_keys",
                "Trygghetslarm ska besvaras och åtgärdas inom avtalad tid, och nycklar ska hanteras enligt rutin.",
                RA_SAFETY, QA_SAFETY, HT, FU_LOV, 4,
                "Besvaras larm inom avtalad tid och finns en säker nyckelhantering?",
                ROUTINE_AUDIT,
                "Larm besvarades inte inom avtalad tid och nyckelkvittenser saknades.",
                "Rutinen för nyckelhantering är inte uppdaterad."),
    Requirement("restraints",
                "Skydds- och begränsningsåtgärder får inte användas utan stöd i lag och ska alltid dokumenteras.",
                RA_SAFETY, QA_SELF, ALLA, AVTAL, 4,
                "Förekommer skydds- eller begränsningsåtgärder, och är de i så fall förankrade och dokumenterade?",
                SITE_VISIT,
                "Begränsningsåtgärder användes utan stöd i lag och utan dokumentation.",
                "Rutinen för skydds- och begränsningsåtgärder är inte känd av all personal."),
    Requirement("fire_safety",
                "Verksamheten ska ha rutiner för brandskydd och genomföra brandövning minst en gång per år.",
                RA_SAFETY, QA_SAFETY, ALLA, AVTAL, 2,
                "Finns rutiner för systematiskt brandskyddsarbete och när hölls den senaste brandövningen?",
                SELF_REPORT,
                "Brandövning hade inte genomförts på över två år.",
                "Utrymningsplanen behöver uppdateras."),
    Requirement("violence",
                "Den enskilde ska skyddas mot våld och övergrepp; verksamheten ska ha rutiner för att upptäcka och agera.",
                RA_SAFETY, QA_SAFETY, ALLA, AVTAL, 4,
                "Finns rutiner för att upptäcka och agera vid misstanke om våld eller övergrepp?",
                ROUTINE_AUDIT,
                "Rutin för att agera vid misstanke om våld saknades.",
                "Personalen behöver mer utbildning om våld i nära relationer."),
    Requirement("respect",
                "Personalen ska bemöta den enskilde med respekt för integritet, självbestämmande och värdighet.",
                RA_TREATMENT, QA_SELF, ALLA, AVTAL, 3,
                "Upplever brukarna att de blir bemötta med respekt?",
                SURVEY,
                "Brukare och närstående beskrev ett nedlåtande bemötande.",
                "Några brukare upplever att personalen har bråttom."),
    Requirement("values",
                "Verksamheten ska arbeta efter den nationella värdegrunden och kommunens värdighetsgarantier.",
                RA_TREATMENT, QA_SELF, ALLA, "Uppdragsbeskrivning", 2,
                "Hur arbetar verksamheten med värdegrunden i vardagen?",
                SITE_VISIT,
                "Värdegrundsarbetet var inte känt av personalen.",
                "Värdegrunden diskuteras sällan på arbetsplatsträffar."),
    Requirement("influence",
                "Den enskilde ska kunna påverka hur, när och av vem insatserna utförs.",
                RA_INFLUENCE, QA_SELF, ALLA, AVTAL, 2,
                "Kan brukarna påverka hur och när insatserna utförs?",
                SURVEY,
                "Brukarna hade inte möjlighet att påverka tiderna för insatserna.",
                "Önskemål om tider dokumenteras inte."),
    Requirement("contact_person",
                "Varje brukare ska ha en namngiven kontaktperson hos utföraren.",
                RA_INFLUENCE, QA_COORD, ALLA, AVTAL, 2,
                "Har alla brukare en kontaktperson och vet de vem det är?",
                SURVEY,
                "Flera brukare saknade kontaktperson.",
                "Brukarna känner inte alltid till vem som är deras kontaktperson."),
    Requirement("house_meetings",
                "De boende ska ha inflytande över gemensamma frågor genom husmöten eller motsvarande.",
                RA_INFLUENCE, QA_SELF, LSS, "Uppdragsbeskrivning", 1,
                "Hålls husmöten där de boende kan påverka gemensamma frågor?",
                SELF_REPORT,
                "Husmöten hade inte hållits under året.",
                "Husmöten hålls men minnesanteckningar saknas."),
    Requirement("cooperation",
                "Utföraren ska samverka med handläggare, hälso- och sjukvården och närstående och utan dröjsmål meddela förändrade behov.",
                RA_COOP, QA_COORD, ALLA, AVTAL, 3,
                "Hur meddelas förändrade behov till handläggare och hälso- och sjukvården?",
                DIGITAL_VISIT,
                "Förändrade behov meddelades inte handläggaren.",
                "Samverkan med hälso- och sjukvården sker muntligt utan dokumentation."),
    Requirement("discharge_info",
                "Vid in- och utskrivning ska informationsöverföring ske enligt överenskommen rutin.",
                RA_COOP, QA_COORD, KTB, AVTAL, 3,
                "Följs rutinen för informationsöverföring vid in- och utskrivning?",
                ROUTINE_AUDIT,
                "Information vid utskrivning överfördes inte enligt rutinen.",
                "Checklistan för inskrivning används inte konsekvent."),
    Requirement("medication",
                "Läkemedelshantering ska ske enligt rutin och gällande delegeringar.",
                RA_HEALTH, QA_SAFETY, ALLA, AVTAL, 4,
                "Sker läkemedelshanteringen enligt rutin, och har personalen giltiga delegeringar?",
                SITE_VISIT,
                "Personal gav läkemedel utan giltig delegering.",
                "Signeringslistorna var inte fullständigt ifyllda."),
    Requirement("risk_assessment",
                "Risker för fall, trycksår, undernäring och ohälsa i munnen ska bedömas och förebyggas.",
                RA_HEALTH, QA_SAFETY, SABO, AVTAL, 4,
                "Görs riskbedömningar och följs de förebyggande åtgärderna upp?",
                SITE_VISIT,
                "Riskbedömningar saknades för flera boende.",
                "Riskbedömningar görs men åtgärderna följs inte alltid upp."),
    Requirement("rehabilitation",
                "Den enskilde ska erbjudas rehabilitering och vardagsrehabilitering för att behålla sina förmågor.",
                RA_HEALTH, QA_KNOWLEDGE, KTB, AVTAL, 2,
                "Erbjuds brukarna rehabilitering enligt plan?",
                SITE_VISIT,
                "Rehabiliteringsplaner saknades.",
                "Vardagsrehabiliteringen dokumenteras inte."),
]

# ---------------------------------------------------------------------------
# Event texts: (service areas or None for all, review area, neutral text).
# Never a person's name or identity number.
# ---------------------------------------------------------------------------

BOENDE = (SABO, KTB)
HEALTH_AREAS = (SABO, KTB, LSS)
LSS_AREAS = (LSS, DLV)

EVENT_TEXTS: dict[str, list[tuple[tuple[str, ...] | None, str, str]]] = {
    COMPLAINT: [
        ((HT,), RA_STAFF, "Besök uteblev utan att brukaren fick besked."),
        ((HT,), RA_CONTENT, "Insatsen utfördes på kortare tid än beslutat."),
        ((HT,), RA_STAFF, "Många olika personal hos samma brukare under en vecka."),
        ((HT,), RA_CONTENT, "Personalen kom mer än en timme efter överenskommen tid."),
        ((HT,), RA_SAFETY, "Trygghetslarm besvarades sent."),
        (None, RA_TREATMENT, "Närstående upplever ett otrevligt bemötande från personal."),
        (None, RA_COOP, "Närstående fick inte information om ändrade insatser."),
        (None, RA_DOC, "Genomförandeplanen är inte uppdaterad efter ändrade behov."),
        (None, RA_INFLUENCE, "Brukaren upplever att önskemål om tider inte beaktas."),
        (BOENDE, RA_CONTENT, "Den boende har inte erbjudits utevistelse på flera veckor."),
        (BOENDE, RA_HEALTH, "Den boende fick inte hjälp till toaletten i tid."),
        ((SABO, KTB, DV), RA_CONTENT, "Måltiderna upplevs enformiga och serveras kalla."),
        (LSS_AREAS, RA_STAFF, "Aktiviteter ställs in på grund av personalbrist."),
        ((PA,), RA_STAFF, "Assistent saknades vid flera tillfällen."),
        ((PA,), RA_INFLUENCE, "Brukaren har inte fått vara med och välja assistenter."),
        ((BST,), RA_CONTENT, "Planerade stödtillfällen blev inte av."),
    ],
    FEEDBACK: [
        (None, RA_TREATMENT, "Beröm för personalens bemötande."),
        (None, RA_CONTENT, "Önskemål om fler aktiviteter."),
        (None, RA_COOP, "Önskemål om tydligare information vid personalbyten."),
        (None, RA_QUALITY, "Synpunkt på att svaret på ett tidigare klagomål dröjde."),
        ((SABO, KTB, DV), RA_CONTENT, "Synpunkt på matens kvalitet."),
        ((HT,), RA_INFLUENCE, "Önskemål om att kunna välja tid för dusch."),
        ((DLV,), RA_CONTENT, "Önskemål om fler arbetsuppgifter utanför lokalen."),
        ((LSS,), RA_INFLUENCE, "Önskemål om att själv få planera helgernas aktiviteter."),
    ],
    DEVIATION: [
        ((HT, SABO, KTB, LSS), RA_HEALTH, "Läkemedel gavs inte vid ordinerad tid."),
        ((HT, SABO, KTB, LSS, DV), RA_HEALTH, "Fall utan synlig skada."),
        ((HT,), RA_SAFETY, "Nyckel till bostaden saknades vid besök."),
        (None, RA_DOC, "Social dokumentation saknades för en period."),
        (None, RA_COOP, "Information om utskrivning från sjukhus kom inte fram."),
        ((PA, DLV, BST), RA_CONTENT, "Planerad insats genomfördes inte på grund av fel i schemat."),
    ],
    LEX_SARAH: [
        (None, RA_SAFETY, "Rapport om missförhållande: brukaren lämnades utan tillsyn trots behov."),
        (None, RA_TREATMENT, "Rapport om missförhållande: kränkande bemötande från personal."),
        (None, RA_STAFF, "Rapport om risk för missförhållande: underbemanning nattetid."),
        (None, RA_CONTENT, "Rapport om missförhållande: beslutad insats utfördes inte under flera dagar."),
        (None, RA_SAFETY, "Rapport om missförhållande: otillåten begränsningsåtgärd."),
        (None, RA_DOC, "Rapport om risk för missförhållande: händelse dokumenterades inte."),
    ],
    LEX_MARIA: [
        (None, RA_HEALTH, "Vårdskada: läkemedel gavs till fel patient."),
        (None, RA_HEALTH, "Vårdskada: trycksår upptäcktes sent."),
        (None, RA_HEALTH, "Allvarlig vårdskada: fall med fraktur efter utebliven tillsyn."),
        (None, RA_HEALTH, "Risk för vårdskada: utebliven insulindos."),
    ],
    IVO_DECISION: [
        (None, RA_STAFF, "IVO:s beslut efter tillsyn: brister i bemanning och kompetens nattetid."),
        (None, RA_SAFETY, "IVO:s beslut efter tillsyn: föreläggande om att åtgärda rutiner för begränsningsåtgärder."),
        (None, RA_QUALITY, "IVO:s beslut efter tillsyn: kritik mot ledningssystemet för kvalitet."),
        (None, RA_HEALTH, "IVO:s beslut i lex Maria-ärende: vårdgivaren har vidtagit tillräckliga åtgärder."),
    ],
    CASEWORKER: [
        (None, RA_COOP, "Handläggare signalerar att förändrade behov inte meddelats."),
        ((HT, PA, BST), RA_CONTENT, "Handläggare ser skillnad mellan beslutad och utförd tid."),
        (None, RA_DOC, "Handläggaren har inte fått genomförandeplan inom avtalad tid."),
        (None, RA_TREATMENT, "Handläggaren har fått flera samtal från närstående om bemötandet."),
    ],
    OTHER: [
        (None, RA_QUALITY, "Utföraren meddelar byte av verksamhetschef."),
        (None, RA_CONTENT, "Verksamheten har flyttat till nya lokaler."),
        (None, RA_STAFF, "Utföraren meddelar rekryteringssvårigheter inför sommaren."),
    ],
}

# How many events of each kind fall on random providers ("background").
BACKGROUND_EVENTS = ((COMPLAINT, 220), (FEEDBACK, 160), (DEVIATION, 80), (CASEWORKER, 30),
                     (OTHER, 12), (LEX_SARAH, 13), (LEX_MARIA, 4), (IVO_DECISION, 2))
SERIOUS_KINDS = (LEX_SARAH, LEX_MARIA, IVO_DECISION)
# Background serious events stay before this date, so 2025 belongs to the trouble providers.
BACKGROUND_SERIOUS_UNTIL = date(2025, 6, 30)

# Scripted serious events: (provider, kind, date, severity, text index in EVENT_TEXTS[kind]).
SCRIPTED_EVENTS = [
    ("HT-004", LEX_SARAH, date(2025, 10, 14), 3, 3),
    ("HT-002", LEX_SARAH, date(2025, 5, 20), 3, 0),
    ("HT-002", LEX_SARAH, date(2025, 11, 3), 3, 3),
    ("SÄBO-006", LEX_SARAH, date(2024, 11, 12), 2, 2),
    ("SÄBO-006", LEX_SARAH, date(2025, 2, 18), 3, 0),
    ("SÄBO-006", LEX_SARAH, date(2025, 6, 9), 4, 2),
    ("SÄBO-006", LEX_SARAH, date(2025, 9, 30), 4, 1),
    ("SÄBO-006", LEX_MARIA, date(2025, 4, 2), 3, 1),
    ("SÄBO-006", LEX_MARIA, date(2025, 8, 21), 4, 2),
    ("SÄBO-006", IVO_DECISION, date(2025, 10, 15), 4, 0),
    ("LSS-005", LEX_SARAH, date(2025, 3, 11), 3, 1),
    ("LSS-005", LEX_SARAH, date(2025, 7, 28), 4, 4),
    ("LSS-005", LEX_SARAH, date(2025, 10, 6), 4, 4),
    ("LSS-005", IVO_DECISION, date(2025, 11, 20), 4, 1),
    ("PA-003", LEX_SARAH, date(2025, 8, 19), 3, 3),
    ("KTB-001", LEX_MARIA, date(2024, 9, 3), 3, 0),
    ("KTB-001", LEX_MARIA, date(2025, 6, 17), 3, 3),
    ("KTB-001", LEX_SARAH, date(2025, 11, 25), 2, 5),
]

# Scripted bursts of ordinary events: (provider, kind, count, from, to).
SCRIPTED_BURSTS = [
    # The jump in complaints in late 2025.
    ("HT-004", COMPLAINT, 14, date(2025, 9, 1), date(2025, 12, 19)),
    ("HT-004", CASEWORKER, 2, date(2025, 8, 15), date(2025, 11, 30)),
    ("HT-004", DEVIATION, 3, date(2025, 3, 1), date(2025, 11, 30)),
    ("HT-002", COMPLAINT, 10, date(2025, 10, 1), date(2025, 12, 19)),
    ("HT-002", CASEWORKER, 2, date(2025, 9, 1), date(2025, 12, 15)),
    ("SÄBO-006", COMPLAINT, 6, date(2025, 1, 10), date(2025, 12, 15)),
    ("SÄBO-006", DEVIATION, 4, date(2025, 1, 10), date(2025, 12, 15)),
    ("LSS-005", CASEWORKER, 3, date(2025, 2, 1), date(2025, 11, 30)),
    ("LSS-005", COMPLAINT, 4, date(2025, 1, 10), date(2025, 12, 15)),
    ("PA-003", CASEWORKER, 3, date(2024, 1, 15), date(2025, 11, 30)),
    ("PA-003", COMPLAINT, 4, date(2025, 1, 10), date(2025, 12, 15)),
    ("KTB-001", DEVIATION, 6, date(2025, 1, 10), date(2025, 12, 15)),
]

# ---------------------------------------------------------------------------
# Reviews and findings of the trouble providers, written out in full.
# A finding is (requirement key, severity, options); options may set
# sanction, reported_to, no_plan (deadline passed, no plan), late_plan.
# ---------------------------------------------------------------------------

SCRIPTED_REVIEWS = [
    ("HT-004", date(2023, 4, 18), QUALITY_REVIEW, SITE_VISIT, [("care_plan", OBSERVATION, {})]),
    ("HT-004", date(2024, 3, 12), QUALITY_REVIEW, SITE_VISIT,
     [("decided_services", DEFICIENCY, {"sanction": WARNING}), ("continuity", DEFICIENCY, {})]),
    ("HT-004", date(2024, 9, 10), FOLLOW_UP, DIGITAL_VISIT, [("continuity", OBSERVATION, {})]),
    ("HT-004", date(2025, 10, 21), TRIGGERED, SITE_VISIT,
     [("decided_services", SERIOUS, {"no_plan": True}), ("time_registration", DEFICIENCY, {})]),
    ("HT-002", date(2023, 10, 3), QUALITY_REVIEW, SITE_VISIT, []),
    ("HT-002", date(2025, 3, 25), QUALITY_REVIEW, SELF_REPORT, [("staff_education", OBSERVATION, {})]),
    ("HT-002", date(2025, 11, 18), TRIGGERED, SITE_VISIT,
     [("continuity", DEFICIENCY, {}), ("alarms_keys", DEFICIENCY, {})]),
    ("SÄBO-006", date(2023, 5, 16), QUALITY_REVIEW, SITE_VISIT, [("meals", OBSERVATION, {})]),
    ("SÄBO-006", date(2024, 10, 8), TARGETED, SURVEY, [("night_staffing", DEFICIENCY, {})]),
    ("SÄBO-006", date(2025, 6, 25), TRIGGERED, SITE_VISIT,
     [("night_staffing", SERIOUS, {"sanction": WARNING_WITH_PLAN}),
      ("risk_assessment", DEFICIENCY, {}), ("medication", DEFICIENCY, {})]),
    ("SÄBO-006", date(2025, 10, 28), FOLLOW_UP, SITE_VISIT, [("night_staffing", DEFICIENCY, {})]),
    ("KTB-001", date(2023, 9, 19), QUALITY_REVIEW, SITE_VISIT, []),
    ("KTB-001", date(2024, 11, 5), QUALITY_REVIEW, ROUTINE_AUDIT, [("discharge_info", DEFICIENCY, {})]),
    ("KTB-001", date(2025, 9, 9), TRIGGERED, SITE_VISIT,
     [("medication", DEFICIENCY, {}), ("social_records", OBSERVATION, {})]),
    ("LSS-005", date(2023, 11, 7), TARGETED, ROUTINE_AUDIT, [("restraints", OBSERVATION, {})]),
    ("LSS-005", date(2024, 4, 23), CONTRACT_REVIEW, SITE_VISIT, [("community_participation", DEFICIENCY, {})]),
    ("LSS-005", date(2025, 8, 19), TRIGGERED, SITE_VISIT,
     [("restraints", SERIOUS, {"reported_to": "IVO"}), ("swedish_language", DEFICIENCY, {})]),
    ("PA-003", date(2023, 6, 13), CONTRACT_REVIEW, SELF_REPORT, []),
    ("PA-003", date(2024, 5, 14), CONTRACT_REVIEW, ROUTINE_AUDIT,
     [("assistance_hours", SERIOUS, {"sanction": PENALTY, "late_plan": True})]),
    ("PA-003", date(2024, 10, 22), FOLLOW_UP, ROUTINE_AUDIT, [("assistance_hours", OBSERVATION, {})]),
    ("PA-003", date(2025, 9, 30), TRIGGERED, DIGITAL_VISIT, [("staff_education", DEFICIENCY, {})]),
]

# Thematic reviews ("Särskilt riktad uppföljning") of a whole service area.
THEMES = [
    # (area, first day, last day, method, requirement key, reviewer)
    (SABO, date(2024, 9, 2), date(2024, 11, 29), SURVEY, "night_staffing", "Sara Holm"),
    (LSS, date(2023, 10, 2), date(2023, 11, 30), ROUTINE_AUDIT, "restraints", "Ahmed Karimi"),
]
# The new provider's start-up contract review.
START_UP_REVIEWS = [("PA-005", date(2025, 11, 12), CONTRACT_REVIEW, DIGITAL_VISIT)]

SECOND_REVIEW_PROBABILITY = 0.15
THEMED_SKIP_REGULAR_PROBABILITY = 0.5
THEMED_FINDING_PROBABILITY = 0.35
REGULAR_FINDING_WEIGHTS = (35, 40, 25)   # chance of 0, 1 or 2 findings in a regular review
FOLLOW_UP_PROBABILITY = 0.5
TROUBLE_FINDINGS_STAY_OPEN_FROM = date(2025, 1, 1)
APPROVE_DAYS = (2, 7)   # the unit approves an action plan a few days after it comes in
# Days to correct a finding after its plan was approved: correct_days of the standard scale
# (followup_cli/reviews/defaults.yaml); most are corrected in time, some late.
CORRECT_DAYS = {DEFICIENCY: 28, SERIOUS: 14}
LATE_CORRECTION_PROBABILITY = 0.1
LATE_PLAN_FROM = date(2024, 7, 1)   # see mark_late_plan
# The 2025 plan's review types, methods and themes as the register spells them.
TYPE_LABELS = {"quality_review": QUALITY_REVIEW, "targeted": TARGETED, "triggered": TRIGGERED,
               "follow_up": FOLLOW_UP, "contract_review": CONTRACT_REVIEW}
METHOD_LABELS = {"site_visit": SITE_VISIT, "digital_visit": DIGITAL_VISIT, "survey": SURVEY,
                 "self_report": SELF_REPORT, "routine_audit": ROUTINE_AUDIT}
THEME_REQUIREMENTS = {"Läkemedelshantering": "medication"}   # plan.themes in examples/followup.yaml

# ---------------------------------------------------------------------------
# User survey and self-report
# ---------------------------------------------------------------------------

SURVEY_INDICATORS = ("Helhetsbedömning", "Trygghet", "Bemötande", "Inflytande", "Information")
# area -> (response rate, comparison value per indicator; four or five indicators)
SURVEY_AREAS = {
    HT: (0.50, (88, 85, 96, 80, 74)),
    SABO: (0.35, (82, 84, 93, 71, 64)),
    LSS: (0.60, (86, 89, 92, 76)),
    DLV: (0.50, (90, 91, 95, 82)),
    PA: (0.70, (91, 93, 96, 85)),
    BST: (0.45, (84, 81, 94, 77)),
}
COMPARISON_YEAR_SHIFT = {2023: 0, 2024: -1, 2025: 1}
SURVEY_DAY = (3, 15)                  # the survey is answered in March
SEX_SPLIT_MIN_RESPONSES = 30          # only big units are reported per sex
SEX_SPLIT_INDICATORS = ("Helhetsbedömning", "Trygghet")
# Providers clearly under the comparison value (percentage points).
SURVEY_EFFECTS = {
    ("HT-004", 2025): -20, ("HT-002", 2025): -12,
    ("SÄBO-006", 2024): -6, ("SÄBO-006", 2025): -15,
    ("LSS-005", 2025): -18,
    ("DLV-003", 2023): -10, ("DLV-003", 2024): -11, ("DLV-003", 2025): -12,
    ("SÄBO-008", 2024): -9, ("SÄBO-008", 2025): -13,
}

TURNOVER = "Personalomsättning (%)"
EDUCATED = "Andel utbildad personal (%)"
CLIENTS = "Antal brukare"
SELF_REPORT_OUTLIERS = {
    ("HT-002", 2025, TURNOVER): 34.5,
    ("HT-004", 2025, TURNOVER): 31.4,
    ("SÄBO-006", 2025, TURNOVER): 38.2,
    ("HT-004", 2024, EDUCATED): 47.0,
    ("HT-004", 2025, EDUCATED): 45.5,
    ("SÄBO-006", 2025, EDUCATED): 49.0,
    ("PA-003", 2025, EDUCATED): 41.5,
}

# ---------------------------------------------------------------------------
# Billing (Fakturering)
# ---------------------------------------------------------------------------

BILLING_AREAS = (HT, PA, BST)
HOURS_PER_CLIENT = {HT: 26.0, PA: 420.0, BST: 9.0}
HOURS_PER_CLIENT_OVERRIDE = {"0180": 5.0}     # night patrol: short visits
BILLED_SHARE = {HT: (0.86, 0.95), PA: (0.95, 0.995), BST: (0.80, 0.94)}
# Months in which a provider bills more than was decided: (provider, first, last, share range).
OVERBILLING = [
    ("HT-004", "2025-05", "2025-12", (1.03, 1.12)),
    ("PA-003", "2024-01", "2024-04", (1.05, 1.10)),
    ("PA-003", "2025-06", "2025-12", (1.04, 1.09)),
]
SPLIT_ROW_PROBABILITY = 0.05   # supplementary invoice: two rows for one month

# ---------------------------------------------------------------------------
# Adjustments (Justeringar)
# ---------------------------------------------------------------------------

ADJUSTMENTS = [
    ("SÄBO-008", "Höj risk",
     "Ny verksamhetschef och muntliga signaler från biståndshandläggare om sjunkande kvalitet "
     "som ännu inte registrerats som händelser.",
     HEAD_OF_QUALITY, date(2025, 11, 24)),
    ("LSS-005", "Exkludera", "Under tillsyn av IVO, granskas inte parallellt",
     HEAD_OF_QUALITY, date(2025, 11, 24)),
    ("BST-003", "Inkludera",
     "Har aldrig granskats sedan överenskommelsen om idéburet offentligt partnerskap började gälla; "
     "ska ingå i planen 2026.",
     HEAD_OF_QUALITY, date(2025, 12, 1)),
]

# Planned 2025 reviews postponed a few weeks before their month: Skjut upp rows in Justeringar, which
# the annual report gives as the reason they were not done. provider -> (the plan's theme, or None
# for the provider's own review; the reason). DV-001 and BST-003 stay never reviewed, as the 2026
# story needs; SÄBO-008's theme visit falls in the first half, for the interim report.
POSTPONED = {
    "BST-003": (None, "Granskningen flyttad till 2026: föreningen saknade verksamhetsledare under hösten."),
    "DV-001": (None, "Granskningen flyttad till 2026: verksamheten flyttade till nya lokaler under hösten."),
    "SÄBO-008": ("Läkemedelshantering", "Temagranskningen flyttad till 2026: verksamhetschefen slutade i april "
                                        "och en ny börjar i oktober."),
}

# Graded on the lss assessment scale (followup_cli/reviews/defaults.yaml); the others on the standard one.
LSS_SCALE_AREAS = (LSS,)

# Checklists: how many questions, and neutral notes for questions answered "Ja".
CHECKLIST_QUESTIONS = (10, 15)
POSITIVE_NOTES = ("Rutin finns och är känd av personalen.",
                  "Stickprov visade inga avvikelser.",
                  "Bekräftades vid intervju med personal och enhetschef.",
                  "Dokumenterat och uppföljt under året.")

# ===========================================================================
# Small helpers
# ===========================================================================




def format_orgnr(nine_digits: str) -> str:
    ten = nine_digits + str(luhn_check_digit(nine_digits))
    return f"{ten[:6]}-{ten[6:]}"


def random_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def previous_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def is_holiday_season(day: date) -> bool:
    """July and the weeks around Christmas and New Year."""
    return (day.month == 7 or (day.month == 12 and day.day >= 20)
            or (day.month == 1 and day.day <= 7))


def random_workday(rng: random.Random, lo: date, hi: date) -> date:
    """A weekday between lo and hi, outside the holiday season."""
    for _ in range(1000):
        day = random_date(rng, lo, hi)
        if day.weekday() < 5 and not is_holiday_season(day):
            return day
    raise ValueError(f"no workday between {lo} and {hi}")


def add_years(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


def months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    result = []
    while f"{year:04d}-{month:02d}" <= last:
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def month_bounds(month: str) -> tuple[date, date]:
    year, mon = map(int, month.split("-"))
    first = date(year, mon, 1)
    following = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)
    return first, following - timedelta(days=1)


def quarter_hours(hours: float) -> float:
    return round(hours * 4) / 4


def decimal_comma(number: float) -> str:
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def binomial_share(rng: random.Random, n: int, p: float) -> int:
    """Percentage of n respondents answering positively with probability p."""
    yes = sum(1 for _ in range(n) if rng.random() < p)
    return round(100 * yes / n)


# ===========================================================================
# Providers
# ===========================================================================


def contract_dates(rng: random.Random, pid: str, ownership: str, form: str) -> tuple[date, date | None]:
    if pid in NEW_PROVIDERS:
        return NEW_PROVIDERS[pid], None
    if pid in ENDING_IN_PLAN_YEAR:
        end = ENDING_IN_PLAN_YEAR[pid]
        return add_years(end + timedelta(days=1), -6), end
    if form == UPPDRAG:
        start, end = date(rng.choice((2012, 2015, 2016, 2018, 2019, 2020)), 1, 1), None
    elif form == LOV:
        start, end = date(rng.randint(2010, 2022), rng.randint(1, 12), 1), None
    elif form == IOP:
        start = date(rng.randint(2020, 2023), 1, 1)
        end = date(rng.choice((2027, 2028)), 12, 31)
    else:  # LOU, Entreprenad: four years plus options, ending 2027 or later
        start = date(rng.randint(2019, 2023), rng.choice((1, 4, 5, 9, 10)), 1)
        end = add_years(start, rng.choice((4, 5, 6))) - timedelta(days=1)
        while end.year <= 2026:
            end = add_years(end, 1)
    if pid in INACTIVE:
        end = INACTIVE[pid]
    return start, end


def make_providers(rng: random.Random) -> list[Provider]:
    municipality_orgnr = format_orgnr(MUNICIPALITY_ORGNR_BASE)
    used_orgnrs = {municipality_orgnr}
    providers: list[Provider] = []
    by_id: dict[str, Provider] = {}
    for pid, name, area, ownership, form in PROVIDER_TABLE:
        profile = AREAS[area]
        provider = Provider(pid, name, area, ownership, form)
        if ownership == EGEN:
            provider.org_number = municipality_orgnr
        elif pid in SAME_COMPANY_AS:
            provider.org_number = by_id[SAME_COMPANY_AS[pid]].org_number
        else:
            prefix = ORG_PREFIX_OVERRIDE.get(pid, ORG_PREFIX[ownership])
            while True:
                orgnr = format_orgnr(prefix + f"{rng.randint(0, 999999):06d}")
                if orgnr not in used_orgnrs:
                    break
            used_orgnrs.add(orgnr)
            provider.org_number = orgnr
        provider.law = profile.law
        provider.board = profile.board
        if pid != NO_REVIEWING_UNIT:
            provider.reviewing_unit = DISTRICT_UNITS.get(pid, KVALITETSENHETEN)
        provider.clients = CLIENTS_OVERRIDE.get(pid, rng.randint(*profile.clients))
        provider.start, provider.end = contract_dates(rng, pid, ownership, form)
        provider.active = pid not in INACTIVE
        providers.append(provider)
        by_id[pid] = provider
    return providers


def set_last_reviewed(rng: random.Random, providers: list[Provider], reviews: list["Review"]) -> None:
    """Senast granskad: 2022-only providers, and a mix of older and sheet dates for the rest."""
    for provider in providers:
        if provider.pid in REVIEWED_2022_ONLY:
            provider.last_reviewed = REVIEWED_2022_ONLY[provider.pid]
            continue
        if provider.pid in NEVER_REVIEWED:
            continue
        own = [r.day for r in reviews if r.pid == provider.pid and r.day.year <= 2024]
        draw = rng.random()
        if draw < 0.25 and provider.start < date(2021, 1, 1):
            provider.last_reviewed = random_workday(rng, date(2021, 2, 1), date(2021, 12, 10))
        elif draw < 0.40 and own:
            provider.last_reviewed = max(own)


# ===========================================================================
# Requirements
# ===========================================================================


def make_requirements() -> list[Requirement]:
    return [dataclasses.replace(requirement, rid=f"K-{number:03d}")
            for number, requirement in enumerate(REQUIREMENT_TABLE, start=1)]


# ===========================================================================
# Events
# ===========================================================================


@dataclass
class Event:
    day: date
    pid: str
    kind: str
    severity: int | None
    review_area: str
    text: str


def event_severity(rng: random.Random, kind: str) -> int | None:
    if kind == COMPLAINT:
        return rng.choices((1, 2, 3), (45, 40, 15))[0]
    if kind == FEEDBACK:
        return rng.choice((None, 1))
    if kind == DEVIATION:
        return rng.choices((1, 2, 3), (40, 45, 15))[0]
    if kind == CASEWORKER:
        return rng.choices((2, 3), (70, 30))[0]
    if kind == LEX_SARAH:
        return rng.choices((2, 3), (60, 40))[0]
    if kind == LEX_MARIA:
        return rng.choices((2, 3, 4), (30, 50, 20))[0]
    if kind == IVO_DECISION:
        return rng.choice((3, 4))
    return None


def event_text(rng: random.Random, kind: str, area: str) -> tuple[str, str]:
    candidates = [(ra, text) for areas, ra, text in EVENT_TEXTS[kind] if areas is None or area in areas]
    return rng.choice(candidates)


def may_have(provider: Provider, kind: str) -> bool:
    if kind in SERIOUS_KINDS and provider.pid in TROUBLE:
        return False  # their serious events are scripted
    if kind == LEX_MARIA:
        return "HSL" in provider.law
    if kind == IVO_DECISION:
        return provider.area in (SABO, KTB, LSS)
    return True


def event_weight(provider: Provider) -> float:
    lo, hi = provider.window()
    share_of_period = max(0, (hi - lo).days) / (PERIOD_END - PERIOD_START).days
    return math.sqrt(provider.clients) * provider.profile.event_factor * share_of_period


def make_events(rng: random.Random, providers: list[Provider]) -> list[Event]:
    by_id = {p.pid: p for p in providers}
    events: list[Event] = []
    for kind, count in BACKGROUND_EVENTS:
        eligible = []
        for provider in providers:
            lo, hi = provider.window()
            if kind in SERIOUS_KINDS:
                hi = min(hi, BACKGROUND_SERIOUS_UNTIL)
            if may_have(provider, kind) and lo <= hi:
                eligible.append((provider, lo, hi))
        weights = [event_weight(p) for p, _, _ in eligible]
        for _ in range(count):
            provider, lo, hi = rng.choices(eligible, weights)[0]
            review_area, text = event_text(rng, kind, provider.area)
            events.append(Event(random_date(rng, lo, hi), provider.pid, kind,
                                event_severity(rng, kind), review_area, text))
    for pid, kind, day, severity, text_index in SCRIPTED_EVENTS:
        _, review_area, text = EVENT_TEXTS[kind][text_index]
        events.append(Event(day, pid, kind, severity, review_area, text))
    for pid, kind, count, lo, hi in SCRIPTED_BURSTS:
        provider = by_id[pid]
        for _ in range(count):
            review_area, text = event_text(rng, kind, provider.area)
            severity = event_severity(rng, kind)
            if kind == COMPLAINT:
                severity = rng.choice((2, 3))
            events.append(Event(random_date(rng, lo, hi), pid, kind, severity, review_area, text))
    order = {p.pid: i for i, p in enumerate(providers)}
    events.sort(key=lambda e: (e.day, order[e.pid], e.kind, e.text))
    return events


# ===========================================================================
# Reviews and findings
# ===========================================================================


@dataclass
class Finding:
    requirement: Requirement
    severity: str
    options: dict = field(default_factory=dict)
    fid: str = ""
    description: str = ""
    due: date | None = None
    received: date | None = None
    approved: date | None = None
    resolved: date | None = None
    sanction: str = NO_SANCTION
    reported_to: str | None = None


@dataclass
class Review:
    pid: str
    day: date
    review_type: str
    method: str
    reviewer: str
    findings: list[Finding] = field(default_factory=list)
    rid: str = ""

    @property
    def result(self) -> str:
        severities = {f.severity for f in self.findings}
        if SERIOUS in severities:
            return SERIOUS_DEFICIENCIES
        if DEFICIENCY in severities:
            return DEFICIENCIES
        return NO_DEFICIENCIES


def pick_reviewer(rng: random.Random, provider: Provider) -> str:
    return rng.choice(REVIEWERS[provider.reviewing_unit or KVALITETSENHETEN])


def regular_type_and_method(rng: random.Random, provider: Provider, second: bool) -> tuple[str, str]:
    if provider.ownership == EGEN or rng.random() < 0.6:
        review_type = QUALITY_REVIEW
    else:
        review_type = CONTRACT_REVIEW
    if second:
        return review_type, rng.choice((SELF_REPORT, DIGITAL_VISIT))
    if review_type == QUALITY_REVIEW:
        method = rng.choices((SITE_VISIT, DIGITAL_VISIT, ROUTINE_AUDIT), (70, 20, 10))[0]
    else:
        method = rng.choices((SELF_REPORT, DIGITAL_VISIT, SITE_VISIT), (50, 30, 20))[0]
    return review_type, method


def random_findings(rng: random.Random, provider: Provider, method: str,
                    requirements: list[Requirement], weights: tuple[float, float, float]) -> list[Finding]:
    """0, 1 or 2 findings (weights), each an Iakttagelse or a Brist."""
    count = rng.choices((0, 1, 2), weights)[0]
    applicable = [r for r in requirements if r.applies_to(provider.area)]
    if method in (SELF_REPORT, SURVEY, ROUTINE_AUDIT):
        same_method = [r for r in applicable if r.method == method]
        applicable = same_method or applicable
    chosen = rng.sample(applicable, min(count, len(applicable)))
    chosen.sort(key=lambda r: r.rid)
    return [Finding(r, rng.choices((OBSERVATION, DEFICIENCY), (45, 55))[0]) for r in chosen]


def make_reviews(rng: random.Random, providers: list[Provider],
                 requirements: list[Requirement]) -> list[Review]:
    by_id = {p.pid: p for p in providers}
    by_key = {r.key: r for r in requirements}
    reviews: list[Review] = []

    # 1. The trouble providers' story.
    for pid, day, review_type, method, specs in SCRIPTED_REVIEWS:
        provider = by_id[pid]
        findings = [Finding(by_key[key], severity, dict(options)) for key, severity, options in specs]
        reviews.append(Review(pid, day, review_type, method, pick_reviewer(rng, provider), findings))

    skip = set(TROUBLE) | set(NEVER_REVIEWED) | set(REVIEWED_2022_ONLY)
    themed: set[str] = set()

    # 2. Thematic reviews of whole service areas, spread evenly over the campaign.
    for area, lo, hi, method, key, reviewer in THEMES:
        units = [p for p in providers
                 if p.area == area and p.pid not in skip and p.operates_on(hi)]
        step = (hi - lo).days // max(1, len(units))
        for index, provider in enumerate(units):
            day = next_weekday(lo + timedelta(days=index * step + rng.randint(0, 2)))
            findings = []
            if rng.random() < THEMED_FINDING_PROBABILITY:
                findings.append(Finding(by_key[key], rng.choice((OBSERVATION, DEFICIENCY))))
            reviews.append(Review(provider.pid, day, TARGETED, method, reviewer, findings))
            themed.add(provider.pid)

    # 3. Start-up review of a new provider.
    for pid, day, review_type, method in START_UP_REVIEWS:
        reviews.append(Review(pid, day, review_type, method, pick_reviewer(rng, by_id[pid]),
                              [Finding(by_key["care_plan"], OBSERVATION)]))
    skip |= {pid for pid, *_ in START_UP_REVIEWS}

    # 4. Regular reviews of everybody else: one, sometimes two, in different years.
    base: list[Review] = []
    for provider in providers:
        if provider.pid in skip:
            continue
        if provider.pid in themed and rng.random() < THEMED_SKIP_REGULAR_PROBABILITY:
            continue  # the thematic review was this unit's review in the period
        lo, hi = provider.window()
        hi = min(hi, LAST_REVIEW_DAY)
        years = [y for y in REGULAR_YEARS if max(lo, date(y, 1, 15)) <= min(hi, date(y, 12, 12))]
        rng.shuffle(years)
        count = 2 if len(years) > 1 and rng.random() < SECOND_REVIEW_PROBABILITY else 1
        for index, year in enumerate(sorted(years[:count])):
            day = random_workday(rng, max(lo, date(year, 1, 15)), min(hi, date(year, 12, 12)))
            review_type, method = regular_type_and_method(rng, provider, second=index > 0)
            findings = random_findings(rng, provider, method, requirements, REGULAR_FINDING_WEIGHTS)
            base.append(Review(provider.pid, day, review_type, method,
                               pick_reviewer(rng, provider), findings))

    # 5. Follow-ups of regular reviews that found deficiencies.
    follow_ups: list[Review] = []
    for review in sorted(base, key=lambda r: (r.day, r.pid)):
        if review.result == NO_DEFICIENCIES:
            continue
        if rng.random() >= FOLLOW_UP_PROBABILITY:
            continue
        provider = by_id[review.pid]
        hi = min(provider.window()[1], PLAN_AS_OF)  # from 2025 on, follow-ups are the plan's
        lo = review.day + timedelta(days=100)
        if lo > hi:
            continue
        day = random_workday(rng, lo, min(hi, review.day + timedelta(days=180)))
        findings = []
        if rng.random() < 0.3:
            previous = next(f for f in review.findings if f.severity != OBSERVATION)
            findings.append(Finding(previous.requirement, OBSERVATION))
        follow_ups.append(Review(review.pid, day, FOLLOW_UP, rng.choice((SITE_VISIT, DIGITAL_VISIT)),
                                 review.reviewer, findings))

    reviews.extend(base)
    reviews.extend(follow_ups)
    order = {p.pid: i for i, p in enumerate(providers)}
    reviews.sort(key=lambda r: (r.day, order[r.pid]))
    assign_review_ids(reviews)
    return reviews


def assign_review_ids(reviews: list[Review]) -> None:
    counters: dict[int, int] = {}
    for review in reviews:
        counters[review.day.year] = counters.get(review.day.year, 0) + 1
        review.rid = f"G-{review.day.year}-{counters[review.day.year]:03d}"


def complete_findings(rng: random.Random, reviews: list[Review]) -> list[Finding]:
    """Ids, descriptions, action-plan dates and sanctions of all findings."""
    findings: list[Finding] = []
    counters: dict[int, int] = {}
    for review in reviews:
        for finding in review.findings:
            year = review.day.year
            counters[year] = counters.get(year, 0) + 1
            finding.fid = f"B-{year}-{counters[year]:03d}"
            requirement = finding.requirement
            finding.description = (requirement.observation_text if finding.severity == OBSERVATION
                                   else requirement.deficiency_text)
            finding.sanction = finding.options.get("sanction", NO_SANCTION)
            finding.reported_to = finding.options.get("reported_to")
            if finding.severity != OBSERVATION:
                set_action_plan(rng, review, finding)
            findings.append(finding)
    return findings


def set_action_plan(rng: random.Random, review: Review, finding: Finding) -> None:
    days = 30 if finding.severity == SERIOUS else rng.choice((30, 45, 60))
    finding.due = next_weekday(review.day + timedelta(days=days))
    if finding.options.get("no_plan"):
        return  # the deliberate warning: deadline passed, nothing received
    earliest = next_weekday(review.day + timedelta(days=7))
    if finding.due <= PERIOD_END:
        late_day = next_weekday(finding.due + timedelta(days=rng.randint(3, 25)))
        late = finding.options.get("late_plan") or rng.random() < 0.15
        if late and late_day <= PERIOD_END:
            finding.received = late_day
        else:
            on_time = previous_weekday(finding.due - timedelta(days=rng.randint(0, 14)))
            finding.received = max(earliest, on_time)
    elif earliest <= PERIOD_END:
        # Deadline in the plan year: the plan has already come in, so the only
        # missing plan stays the deliberate one above, whatever date one checks on.
        finding.received = previous_weekday(random_date(rng, earliest, min(finding.due, PERIOD_END)))
        finding.received = max(earliest, finding.received)
    if finding.received and finding.received > PERIOD_END:
        finding.received = None
    if finding.received:
        approved = next_weekday(finding.received + timedelta(days=rng.randint(*APPROVE_DAYS)))
        finding.approved = approved if approved <= PERIOD_END else None
    stays_open = review.pid in TROUBLE and review.day >= TROUBLE_FINDINGS_STAY_OPEN_FROM
    if finding.approved and not stays_open:
        days = CORRECT_DAYS[finding.severity]
        if rng.random() < LATE_CORRECTION_PROBABILITY:
            resolved = next_weekday(finding.approved + timedelta(days=days + rng.randint(5, 45)))
        else:
            resolved = previous_weekday(finding.approved + timedelta(days=rng.randint(5, days)))
        if resolved <= PERIOD_END:
            finding.resolved = resolved


# ===========================================================================
# User survey, self-report, billing
# ===========================================================================


def clients_in_year(rng: random.Random, provider: Provider, year: int) -> int:
    if year == 2025:
        return provider.clients
    return max(1, round(provider.clients * rng.uniform(0.88, 1.05)))


def make_survey(rng: random.Random, providers: list[Provider]) -> list[list]:
    rows = []
    base_effect = {p.pid: rng.gauss(0, 3) for p in providers}
    for year in YEARS:
        survey_day = date(year, *SURVEY_DAY)
        for provider in providers:
            if provider.area not in SURVEY_AREAS or provider.start > date(year, 1, 1):
                continue
            if not provider.operates_on(survey_day):
                continue
            rate, comparisons = SURVEY_AREAS[provider.area]
            clients = clients_in_year(rng, provider, year)
            responses = max(1, round(clients * rate * rng.uniform(0.8, 1.2)))
            effect = base_effect[provider.pid] + SURVEY_EFFECTS.get((provider.pid, year), 0)
            for indicator, comparison in zip(SURVEY_INDICATORS, comparisons):
                comparison += COMPARISON_YEAR_SHIFT[year]
                p = min(0.99, max(0.05, (comparison + effect + rng.gauss(0, 2)) / 100))
                rows.append([year, provider.pid, indicator, binomial_share(rng, responses, p),
                             "Totalt", responses, comparison])
                if responses >= SEX_SPLIT_MIN_RESPONSES and indicator in SEX_SPLIT_INDICATORS:
                    women = round(responses * rng.uniform(0.6, 0.7))
                    for sex, n in (("Kvinnor", women), ("Män", responses - women)):
                        p_sex = min(0.99, max(0.05, p + rng.gauss(0, 0.03)))
                        rows.append([year, provider.pid, indicator, binomial_share(rng, n, p_sex),
                                     sex, n, comparison])
    return rows


def make_self_report(rng: random.Random, providers: list[Provider]) -> list[list]:
    rows = []
    for year in YEARS:
        for provider in providers:
            if provider.start > date(year, 6, 30):
                continue
            if provider.end is not None and provider.end < date(year, 12, 31):
                continue
            profile = provider.profile
            values = {
                TURNOVER: round(rng.uniform(*profile.turnover), 1),
                EDUCATED: round(rng.uniform(*profile.educated), 1),
                CLIENTS: clients_in_year(rng, provider, year),
            }
            for indicator in (TURNOVER, EDUCATED, CLIENTS):
                value = SELF_REPORT_OUTLIERS.get((provider.pid, year, indicator), values[indicator])
                rows.append([year, provider.pid, indicator, value])
    return rows


def billed_share(rng: random.Random, provider: Provider, month: str) -> float:
    for pid, first, last, share in OVERBILLING:
        if pid == provider.pid and first <= month <= last:
            return rng.uniform(*share)
    return rng.uniform(*BILLED_SHARE[provider.area])


def make_billing(rng: random.Random, providers: list[Provider]) -> list[list[str]]:
    all_months = months(f"{PERIOD_START:%Y-%m}", f"{PERIOD_END:%Y-%m}")
    rows = []
    for index, month in enumerate(all_months):
        first, last = month_bounds(month)
        for provider in providers:
            if provider.area not in BILLING_AREAS:
                continue
            if provider.start > last or (provider.end is not None and provider.end < first):
                continue
            if provider.pid in NEW_PROVIDERS:
                months_running = len(months(f"{provider.start:%Y-%m}", month))
                clients = provider.clients * min(1.0, 0.25 + 0.1 * months_running)
            else:
                clients = provider.clients * (0.92 + 0.08 * index / (len(all_months) - 1))
            per_client = HOURS_PER_CLIENT_OVERRIDE.get(provider.pid, HOURS_PER_CLIENT[provider.area])
            decided = clients * per_client * rng.uniform(0.95, 1.05)
            billed = decided * billed_share(rng, provider, month)
            parts = [1.0]
            if rng.random() < SPLIT_ROW_PROBABILITY:
                main = rng.uniform(0.6, 0.85)
                parts = [main, 1.0 - main]
            for part in parts:
                rows.append([month, provider.pid, decimal_comma(quarter_hours(decided * part)),
                             decimal_comma(quarter_hours(billed * part))])
    return rows


# ===========================================================================
# The 2025 plan, and the reviews done from it
# ===========================================================================


def as_of_plan(rows: list[list], day: int | None, later: tuple[int, ...] = ()) -> list[list]:
    """The rows as the register stood on PLAN_AS_OF: rows dated later (column `day`) dropped, later dates in the
    columns `later` blanked (a plan approved in 2025 was not yet approved on 2024-12-31)."""
    return [[None if i in later and isinstance(v, date) and v > PLAN_AS_OF else v for i, v in enumerate(row)]
            for row in rows if day is None or row[day] <= PLAN_AS_OF]


def plan_2025(sheets: list[tuple[str, list[str], list[list]]], billing: list[list[str]]):
    """The 2025 plan as the README's `followup plan --year 2025 --as-of 2024-12-31` makes it, run by followup
    itself on a copy of the register holding only what was known on 2024-12-31."""
    from followup_cli import api

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "followup.yaml").write_bytes((EXAMPLES / "followup.yaml").read_bytes())
        (root / "checklists").mkdir()
        write_register(root / REGISTER_PATH.name, sheets)
        write_billing_csv(root / BILLING_PATH.relative_to(EXAMPLES), [r for r in billing if r[0] <= f"{PLAN_AS_OF:%Y-%m}"])
        run = api.plan(api.open_workspace(root / "followup.yaml"), year=PLAN_YEAR_DONE, as_of=PLAN_AS_OF)
        return run.plan.items


def register_before_plan(providers, requirements, events, reviews, survey, self_report):
    """The register's sheets cut to PLAN_AS_OF (Senast granskad is already from reviews up to 2024)."""
    before = [r for r in reviews if r.day <= PLAN_AS_OF]
    return [
        ("Utförare", PROVIDER_HEADERS, provider_rows(providers)),
        ("Krav", REQUIREMENT_HEADERS, requirement_rows(requirements)),
        ("Händelser", EVENT_HEADERS, as_of_plan(event_rows(events), 0)),
        ("Granskningar", REVIEW_HEADERS, review_rows(before)),
        ("Brister", FINDING_HEADERS, as_of_plan(finding_rows(before), None, (8, 9, 10))),
        ("Brukarundersökning", SURVEY_HEADERS, [r for r in survey if r[0] < PLAN_YEAR_DONE]),
        ("Egenrapportering", SELF_REPORT_HEADERS, [r for r in self_report if r[0] < PLAN_YEAR_DONE]),
        ("Justeringar", ADJUSTMENT_HEADERS, as_of_plan(adjustment_rows(), 4)),
    ]


def mark_late_plan(reviews: list[Review], providers: list[Provider]) -> None:
    """The first deficiency from LATE_PLAN_FROM at a LOV provider outside the trouble story gets its action plan
    late: the reminder letter of `followup actions` on a day between its deadline and its plan."""
    lov = {p.pid for p in providers if p.contract_form == LOV and p.pid not in TROUBLE}
    finding = next(f for r in sorted(reviews, key=lambda r: (r.day, r.pid)) if r.day >= LATE_PLAN_FROM and r.pid in lov
                   for f in r.findings if f.severity == DEFICIENCY)
    finding.options["late_plan"] = True


def is_postponed(item) -> bool:
    """A plan item POSTPONED names: the provider's own review, or its theme visit."""
    theme = POSTPONED.get(item.provider_id, ("-",))[0]
    return theme == item.theme and item.review_type_id != "self_report_review"


def postponements(rng: random.Random, items) -> list[tuple]:
    """Skjut upp rows for the POSTPONED providers' planned reviews, decided two to four weeks before the
    planned month (in January for a January review)."""
    rows = []
    for item in items:
        if is_postponed(item):
            first = date(PLAN_YEAR_DONE, item.month, 1)
            day = next_weekday(max(date(PLAN_YEAR_DONE, 1, 8), first - timedelta(days=rng.randint(14, 28))))
            rows.append((item.provider_id, "Skjut upp", POSTPONED[item.provider_id][1], HEAD_OF_QUALITY, day))
    return rows


def done_otherwise(item, scripted: list[Review]) -> bool:
    """A planned review the scripted story already holds: the same type, the start-up review of a new provider,
    or a planned follow-up that a triggered visit earlier in the year made."""
    mine = [r for r in scripted if r.pid == item.provider_id and r.day.year == PLAN_YEAR_DONE]
    kind = TYPE_LABELS.get(item.review_type_id)
    if any(r.review_type == kind for r in mine) and item.theme is None:
        return True
    if item.provider_id in {pid for pid, *_ in START_UP_REVIEWS}:
        return True
    return kind == FOLLOW_UP and any(r.review_type == TRIGGERED and r.day.month <= item.month for r in mine)


def planned_reviews(rng: random.Random, items, providers: list[Provider], requirements: list[Requirement],
                    scripted: list[Review]) -> list[Review]:
    """The 2025 plan carried out: each planned review in its month (a random workday) with the planned type and
    method, findings drawn as in other years; self-reports come in on Egenrapportering, postponed reviews and
    those the scripted story holds are not made again."""
    by_id = {p.pid: p for p in providers}
    by_key = {r.key: r for r in requirements}
    reviews = []
    for item in sorted(items, key=lambda i: (i.month, i.provider_id, i.review_type_id, i.theme or "")):
        if item.review_type_id == "self_report_review" or is_postponed(item):
            continue
        if done_otherwise(item, scripted):
            continue
        provider = by_id[item.provider_id]
        first, last = month_bounds(f"{PLAN_YEAR_DONE}-{item.month:02d}")
        lo, hi = provider.window()
        day = random_workday(rng, max(first, lo), min(last, hi, LAST_REVIEW_DAY))
        method = METHOD_LABELS[item.method_id]
        if item.theme is not None:
            findings = []
            if rng.random() < THEMED_FINDING_PROBABILITY:
                findings.append(Finding(by_key[THEME_REQUIREMENTS[item.theme]], rng.choice((OBSERVATION, DEFICIENCY))))
        else:
            findings = random_findings(rng, provider, method, requirements, REGULAR_FINDING_WEIGHTS)
        reviews.append(Review(provider.pid, day, TYPE_LABELS[item.review_type_id], method,
                              pick_reviewer(rng, provider), findings))
    return reviews


# ===========================================================================
# Rows for the register sheets
# ===========================================================================


def provider_rows(providers: list[Provider]) -> list[list]:
    return [[p.pid, p.name, p.org_number, p.ownership, p.contract_form, p.area, p.law, p.board,
             p.reviewing_unit, p.clients, p.start, p.end, p.last_reviewed,
             "Ja" if p.active else "Nej"] for p in providers]


def requirement_rows(requirements: list[Requirement]) -> list[list]:
    return [[r.rid, r.text, r.review_area, r.quality_area, r.service_area, r.source,
             r.consequence, r.question, r.method] for r in requirements]


def event_rows(events: list[Event]) -> list[list]:
    return [[e.day, e.pid, e.kind, e.severity, e.review_area, e.text] for e in events]


def review_rows(reviews: list[Review]) -> list[list]:
    return [[r.rid, r.pid, r.day, r.review_type, r.method, r.reviewer, r.result] for r in reviews]


def finding_rows(reviews: list[Review]) -> list[list]:
    rows = []
    for review in reviews:
        for f in review.findings:
            rows.append([f.fid, review.pid, review.rid, f.requirement.rid, f.requirement.review_area,
                         f.severity, f.description, f.due, f.received, f.approved, f.resolved, f.sanction,
                         f.reported_to])
    return rows


def adjustment_rows(postponed: list[tuple] = ()) -> list[list]:
    return [list(row) for row in sorted([*ADJUSTMENTS, *postponed], key=lambda row: row[4])]


# ===========================================================================
# Writing
# ===========================================================================


def write_table(ws, headers: list[str], rows: list[list], header_row: int = 1) -> None:
    """Header (bold, light fill, frozen, autofilter), typed cells, column widths."""
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    text_cols = {i for i, title in enumerate(headers, start=1) if title in TEXT_COLUMNS}
    for r, row in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif c in text_cols:
                cell.number_format = "@"
    for c, title in enumerate(headers, start=1):
        longest = len(title) + 2  # room for the filter button
        for row in rows:
            value = row[c - 1]
            if isinstance(value, date):
                longest = max(longest, 11)
            elif value is not None:
                longest = max(longest, len(str(value)))
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(10, longest + 2))
    last_row = header_row + max(len(rows), 1)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last_row}"


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps (document properties and zip entries) and atomically."""
    wb.properties.creator = "followup scripts/make_example.py"
    wb.properties.lastModifiedBy = None
    wb.properties.created = DOC_TIMESTAMP
    wb.properties.modified = DOC_TIMESTAMP
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()   # unlike wb.save(), keeps our "modified" timestamp
    raw.seek(0)
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    write_bytes_atomically(path, fixed.getvalue())


def write_bytes_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_register(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title)
        if title == "Händelser":
            ws["A1"] = EVENTS_TITLE
            ws["A1"].font = TITLE_FONT
            write_table(ws, headers, rows, header_row=EVENTS_HEADER_ROW)
        else:
            write_table(ws, headers, rows)
    save_workbook(wb, path)


def write_billing_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(BILLING_HEADERS)
    writer.writerows(rows)
    write_bytes_atomically(path, buffer.getvalue().encode("utf-8-sig"))


# ===========================================================================
# Checklists
# ===========================================================================


def pick_checklist_reviews(reviews: list[Review], providers: list[Provider]) -> list[Review]:
    """Four 2025 reviews: two trouble providers, one clean and one with deficiencies."""
    area = {p.pid: p.area for p in providers}
    in_2025 = [r for r in reviews if r.day.year == 2025 and r.method in (SITE_VISIT, DIGITAL_VISIT)]
    chosen = [next(r for r in in_2025 if r.pid == "SÄBO-006" and r.review_type == TRIGGERED),
              next(r for r in in_2025 if r.pid == "HT-002" and r.review_type == TRIGGERED)]
    others = [r for r in in_2025 if r.pid not in TROUBLE]
    for wanted in (NO_DEFICIENCIES, DEFICIENCIES):
        used_areas = {area[r.pid] for r in chosen}
        candidates = [r for r in others if r.result == wanted and r not in chosen]
        # The standard scale's areas first, and for the clean review one with a single Iakttagelse: a checklist
        # whose finding the register already holds for the same review and requirement (ingest links the two).
        candidates.sort(key=lambda r: (area[r.pid] in LSS_SCALE_AREAS, wanted == NO_DEFICIENCIES and len(r.findings) != 1,
                                       area[r.pid] in used_areas, r.day))
        if candidates:
            chosen.append(candidates[0])
    for review in others:  # fallback, should the draw ever change
        if len(chosen) >= 4:
            break
        if review not in chosen:
            chosen.append(review)
    return sorted(chosen, key=lambda r: r.rid)


def checklist_questions(rng: random.Random, review: Review, provider: Provider,
                        requirements: list[Requirement]) -> list[list]:
    by_requirement = {f.requirement.rid: f for f in review.findings}
    applicable = [r for r in requirements if r.applies_to(provider.area)]
    total = min(len(applicable), max(len(by_requirement), rng.randint(*CHECKLIST_QUESTIONS)))
    others = [r for r in applicable if r.rid not in by_requirement]
    picked = [r for r in applicable if r.rid in by_requirement]
    picked += rng.sample(others, total - len(picked))
    picked.sort(key=lambda r: (REVIEW_AREAS.index(r.review_area), r.rid))
    rows = []
    for number, requirement in enumerate(picked, start=1):
        finding = by_requirement.get(requirement.rid)
        if finding is not None:
            answer = "Delvis" if finding.severity == OBSERVATION else "Nej"
            note, severity = finding.description, finding.severity
            action = "Nej" if finding.severity == OBSERVATION else "Ja"
        else:
            answer = rng.choices(("Ja", "Ej aktuellt"), (88, 12))[0]
            note = rng.choice(POSITIVE_NOTES) if answer == "Ja" and rng.random() < 0.4 else None
            severity, action = None, "Nej"
        rows.append([f"F{number:02d}", requirement.review_area, requirement.question,
                     requirement.rid, answer, note, severity, action])
    return rows


def write_checklist(path: Path, review: Review, questions: list[list]) -> None:
    wb = Workbook()
    header = wb.active
    header.title = "Granskning"
    values = [review.rid, review.pid, review.day, review.review_type, review.method, review.reviewer]
    for row, (label, value) in enumerate(zip(CHECKLIST_HEADER_LABELS, values), start=1):
        header.cell(row=row, column=1, value=label).font = HEADER_FONT
        cell = header.cell(row=row, column=2, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        else:
            cell.number_format = "@"
    header.column_dimensions["A"].width = 18
    header.column_dimensions["B"].width = 36
    write_table(wb.create_sheet("Frågor"), CHECKLIST_QUESTION_HEADERS, questions)
    save_workbook(wb, path)


def write_checklists(rng: random.Random, reviews: list[Review], providers: list[Provider],
                     requirements: list[Requirement]) -> list[Path]:
    CHECKLIST_DIR.mkdir(parents=True, exist_ok=True)
    for old in sorted(CHECKLIST_DIR.glob("G-*.xlsx")):
        old.unlink()
    by_id = {p.pid: p for p in providers}
    paths = []
    for review in pick_checklist_reviews(reviews, providers):
        questions = checklist_questions(rng, review, by_id[review.pid], requirements)
        path = CHECKLIST_DIR / f"{review.rid}.xlsx"
        write_checklist(path, review, questions)
        paths.append(path)
    return paths


# ===========================================================================
# Main
# ===========================================================================


def main() -> None:
    rng = random.Random(SEED)
    providers = make_providers(rng)
    requirements = make_requirements()
    events = make_events(rng, providers)
    reviews = make_reviews(rng, providers, requirements)
    mark_late_plan(reviews, providers)
    complete_findings(rng, [r for r in reviews if r.day <= PLAN_AS_OF])
    set_last_reviewed(rng, providers, reviews)
    survey = make_survey(rng, providers)
    self_report = make_self_report(rng, providers)
    billing = make_billing(rng, providers)

    items = plan_2025(register_before_plan(providers, requirements, events, reviews, survey, self_report), billing)
    reviews += planned_reviews(rng, items, providers, requirements, reviews)
    order = {p.pid: i for i, p in enumerate(providers)}
    reviews.sort(key=lambda r: (r.day, order[r.pid]))
    assign_review_ids(reviews)  # the years before keep their ids
    complete_findings(rng, [r for r in reviews if r.day > PLAN_AS_OF])
    postponed = postponements(rng, items)
    reported = {row[1] for row in self_report if row[0] == PLAN_YEAR_DONE}
    missing = {i.provider_id for i in items if i.review_type_id == "self_report_review"} - reported
    assert not missing, f"planned self-reports without Egenrapportering {PLAN_YEAR_DONE}: {sorted(missing)}"

    sheets = [
        ("Utförare", PROVIDER_HEADERS, provider_rows(providers)),
        ("Krav", REQUIREMENT_HEADERS, requirement_rows(requirements)),
        ("Händelser", EVENT_HEADERS, event_rows(events)),
        ("Granskningar", REVIEW_HEADERS, review_rows(reviews)),
        ("Brister", FINDING_HEADERS, finding_rows(reviews)),
        ("Brukarundersökning", SURVEY_HEADERS, survey),
        ("Egenrapportering", SELF_REPORT_HEADERS, self_report),
        ("Justeringar", ADJUSTMENT_HEADERS, adjustment_rows(postponed)),
    ]
    write_register(REGISTER_PATH, sheets)
    write_billing_csv(BILLING_PATH, billing)
    checklists = write_checklists(rng, reviews, providers, requirements)

    print(f"{MUNICIPALITY}: wrote {REGISTER_PATH.relative_to(ROOT)}")
    for title, _, rows in sheets:
        print(f"  {title:<20} {len(rows):>4} rows")
    print(f"wrote {BILLING_PATH.relative_to(ROOT)} ({len(billing)} rows)")
    for path in checklists:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
