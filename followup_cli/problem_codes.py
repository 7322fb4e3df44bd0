"""Every kind of problem the validator reports: its code, how bad it is, and the Swedish message it says.

The code is what `validate --json` gives scripts in `code`, and the README's
list of codes is made from this catalogue. A message is a template with named
fields; some problems are met in more than one place and have a wording per
place (a variant). Problems are only made through `problem` (or a Table's
`problem`/`problems_where`), so no code and no wording lives anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followup_cli.problems import Problem, Severity


@dataclass(frozen=True)
class ProblemKind:
    severity: Severity
    template: str
    variants: dict[str, str] = field(default_factory=dict)  # other wordings of the same problem, by place met


CATALOGUE: dict[str, ProblemKind] = {
    "unreadable-file": ProblemKind("error", "{reason}"),
    "missing-sheet": ProblemKind(
        "error",
        "Bladet {title} saknas. Registret måste ha ett blad {title} med en rad per utförare (bladen som finns: {sheets}).",
        {"checklist": "Bladet {title} saknas i granskningsprotokollet. {description}"}),
    "hidden-sheet": ProblemKind(
        "warning",
        "Bladet {name} är dolt i Excel men läses ändå. Visa det (högerklicka på en flik → Ta fram) så att alla ser vad som räknas."),
    "duplicate-sheet": ProblemKind(
        "warning",
        "Bladet {name} används inte eftersom bladet {first} redan har samma innehåll ({title}). Ta bort eller byt namn på ett av dem."),
    "unknown-sheet": ProblemKind(
        "warning",
        "Bladet {name} känns inte igen och läses inte – menade du {near}? Byt namn på bladet om det ska läsas "
        "(namn som bara skiljer sig i stora och små bokstäver räknas som samma blad), annars ta bort det."),
    "header-not-found": ProblemKind(
        "error",
        "Hittar ingen rubrikrad på {where} bland de {rows} första raderna. "
        "Rubrikerna ska vara {required} (se bladet Instruktioner i en mall från followup init)."),
    "unknown-column": ProblemKind(
        "warning", "Kolumnen känns inte igen och används inte – menade du '{near}'? Byt rubrik om den ska läsas."),
    "duplicate-column": ProblemKind(
        "warning",
        "Kolumnen {title} finns redan i kolumn {first}; den här kolumnen används inte. Ta bort eller byt namn på en av dem."),
    "missing-column": ProblemKind(
        "error", "Kolumnen {title} saknas på {where}. Lägg till en kolumn med rubriken {title}{explained}."),
    "excel-error": ProblemKind(
        "error", "Cellen innehåller Excel-felet {error} i stället för ett värde. Rätta formeln eller skriv in värdet."),
    "merged-cells": ProblemKind(
        "warning",
        "Cellerna {range} är sammanfogade; värdet i {first} räknas för hela området, som Excel visar det. "
        "Dela upp sammanfogningen och fyll i varje rad för sig om det inte stämmer."),
    "formula-without-value": ProblemKind(
        "error",
        "Cellen har en formel utan sparat resultat (filen har sparats av ett program som inte räknar om). "
        "Öppna filen i Excel, tryck F9 och spara, eller skriv in värdet."),
    "wrong-type": ProblemKind(
        "error", "'{text}' kan inte läsas som {what}. Rätta värdet.",
        {"date": "'{text}' kan inte läsas som ett datum. Skriv {hint}, eller formatera cellen som datum."}),
    "not-in-vocabulary": ProblemKind(
        "error", "'{text}' är inte ett tillåtet värde för {title}{near} Tillåtna värden: {allowed}.",
        {"list": "'{text}' innehåller något annat än {allowed}. Skilj flera värden med komma."}),
    "required": ProblemKind(
        "error", "{title} måste fyllas i.",
        {"checklist": "{title} saknas i protokollets huvud. Skriv rubriken {title} i kolumn A och värdet i kolumn B."}),
    "out-of-range": ProblemKind(
        "error", "{title} ska vara mellan {low} och {high}.",
        {"negative": "{title} får inte vara negativ. Rätta värdet.", "at-least": "{title} ska vara minst {low}."}),
    "duplicate": ProblemKind(
        "error", "{title} {key} finns redan på rad {first_row}. Varje {title} får bara förekomma en gång."),
    "unknown-reference": ProblemKind(
        "error", "{title} {key} finns inte på bladet {target}. Rätta koden eller lägg till raden där.",
        {"checklist": "{key} finns inte på bladet {target} i registret. Rätta protokollet eller registret.",
         "requirement": "Krav-ID {key} finns inte på bladet Krav i registret. Rätta koden."}),
    "invisible-character": ProblemKind(
        "error",
        "{title} '{shown}' innehåller tecknet {char}, som inte syns i Excel men gör koden till en annan kod. "
        "Skriv om koden för hand i cellen (kopiera den inte från e-post eller webben).",
        {"empty": "{title} ser tom ut men består av det osynliga tecknet {char}. Töm cellen (Delete) "
                  "eller skriv in rätt kod."}),
    "text-too-long": ProblemKind(
        "warning",
        "Texten når Excels gräns på {limit} tecken per cell; det som stod efter gränsen har kapats och läses inte "
        "(Excel kapar likadant när filen sparas). Korta texten eller flytta den till ett eget dokument."),
    "checklist-not-started": ProblemKind(
        "warning", "Protokollet är inte påbörjat: ingen fråga är besvarad än. Det kontrolleras när granskarna fyllt i det."),
    "checklist-other-provider": ProblemKind(
        "error", "Granskningen {review} står på bladet Granskningar för utföraren {registered}, inte {provider}. "
                 "Rätta Gransknings-ID eller Utförar-ID i protokollet (eller i registret)."),
    "reference-unchecked": ProblemKind("warning", "{title} kan inte kontrolleras eftersom bladet {target} saknas."),
    "orgnr": ProblemKind("error", "Organisationsnumret {reason}."),
    "personal-number": ProblemKind(
        "warning",
        "Texten verkar innehålla ett personnummer eller samordningsnummer. Ta bort det: "
        "fritext kan nå rapporter till utförare och allmänhet."),
    "impossible-date": ProblemKind(
        "error", "Avtalet slutar {end}, före sitt startdatum {start}. Rätta något av datumen.",
        {"before-review": "{what} {date}, före granskningen {review} den {review_date}. Rätta datumet."}),
    "serious-without-deadline": ProblemKind(
        "warning", "En allvarlig brist saknar datum för åtgärdsplan. Fyll i när utföraren senast ska lämna en åtgärdsplan."),
    "action-plan-overdue": ProblemKind(
        "warning",
        "Åtgärdsplanen skulle ha kommit in senast {due} men är inte registrerad. "
        "Fyll i datumet om den kommit, annars påminn utföraren."),
    "no-providers": ProblemKind("warning", "Bladet Utförare har inga rader ännu. Fyll i en rad per enhet som följs upp."),
    "no-reviewing-unit": ProblemKind(
        "warning",
        "Utföraren {provider} har ingen uppföljande enhet. Fyll i vem som följer upp den, "
        "annars hamnar den utanför planeringen per enhet.",
        {"column": "Kolumnen Uppföljande enhet saknas. Lägg till den så att planen kan fördelas per uppföljande enhet."}),
    "service-area-near-miss": ProblemKind(
        "warning",
        "'{text}' är inget känt verksamhetsområde – menade du '{near}'? Rätta stavningen; annars blir det ett eget "
        "verksamhetsområde med egen rubrik i planen, och riskanalysen ger det standardsårbarheten."),
    "unusual-combination": ProblemKind(
        "warning", "{in_house} med avtalsform {form} är ovanligt. Kontrollera {ownership} och {contract_form}."),
    # A completed checklist's answers (register/checklist.py check_answers): validate and checklist ingest alike.
    "unanswered": ProblemKind("error", "Frågan {question} är inte besvarad. Svara Ja, Delvis, Nej eller Ej aktuellt."),
    "no-observation": ProblemKind(
        "error", "Frågan {question} har svaret {answer} men ingen iakttagelse. Skriv vad granskaren såg."),
    "duplicate-checklist": ProblemKind(
        "error", "Granskningen {key} har redan ett protokoll, {first}; bara ett protokoll per granskning läses. "
                 "Ta bort det ena eller rätta Gransknings-ID."),
    "unknown-level": ProblemKind(
        "error", "'{text}' är ingen nivå på skalan {scale}. Skriv en av {levels}, eller lämna tomt för den framräknade."),
    "override-without-reason": ProblemKind(
        "error", "Bedömningen {level} är granskarnas egen och behöver en motivering. Skriv varför i {where}."),
    "no-severity": ProblemKind(
        "error", "Frågan {question} har svaret {answer} men ingen allvarlighet. Välj Iakttagelse, Brist eller Allvarlig brist."),
}


def message(code: str, variant: str | None = None, /, **fields) -> str:
    """The Swedish message of a problem kind, its template filled in."""
    kind = CATALOGUE[code]
    return (kind.variants[variant] if variant else kind.template).format(**fields)


def severity(code: str) -> Severity:
    return CATALOGUE[code].severity


def problem(code: str, file: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
            header: str | None = None, value: str | None = None, *, variant: str | None = None, **fields) -> Problem:
    """A problem of a catalogued kind at a place; `fields` fill in its message."""
    return Problem(file, sheet, row, column, header, value, severity(code), code, message(code, variant, **fields))
