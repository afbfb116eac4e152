"""Every message of the workbook import, Swedish and English, by problem code. A message says what is wrong
and what is expected; the report adds where (sheet, row, column) and the value found."""

from __future__ import annotations

from loaders.workbook.problems import CellProblem

# code → (severity, Swedish, English); {placeholders} are filled by `problem()`
MESSAGES: dict[str, tuple[str, str, str]] = {
    "required": (
        "Violation",
        "Värde saknas: kolumnen ”{column}” måste fyllas i.",
        "Missing value: the column “{column}” must be filled in.",
    ),
    "type.date": (
        "Violation",
        "Inte ett datum: skriv ÅÅÅÅ-MM-DD (t.ex. 2024-03-01) eller använd en datumcell.",
        "Not a date: write YYYY-MM-DD (e.g. 2024-03-01) or use a date cell.",
    ),
    "type.number": (
        "Violation",
        "Inte ett tal: skriv t.ex. 1 234 567 eller 1 234,50 (mellanslag mellan tusental, komma som decimaltecken).",
        "Not a number: write e.g. 1 234 567 or 1 234,50 (spaces between thousands, comma as decimal mark).",
    ),
    "type.integer": (
        "Violation",
        "Inte ett heltal: skriv t.ex. 3.",
        "Not a whole number: write e.g. 3.",
    ),
    "type.year": (
        "Violation",
        "Inte ett årtal: skriv fyra siffror, t.ex. 2024.",
        "Not a year: write four digits, e.g. 2024.",
    ),
    "type.percent": (
        "Violation",
        "Procentsatsen måste ligga mellan 0 och 100.",
        "The percentage must be between 0 and 100.",
    ),
    "type.boolean": (
        "Violation",
        "Inte ja eller nej: skriv ja, nej eller x, eller lämna cellen tom.",
        "Not yes or no: write ja (yes), nej (no) or x, or leave the cell empty.",
    ),
    "type.iri": (
        "Violation",
        "Inte en webbadress: skriv hela adressen, t.ex. https://www.example.se/sida.",
        "Not a web address: write the whole address, e.g. https://www.example.se/page.",
    ),
    "id.invalid": (
        "Violation",
        "Ogiltigt Id: det måste innehålla bokstäver eller siffror.",
        "Invalid Id: it must contain letters or digits.",
    ),
    "value.single": (
        "Violation",
        "Bara ett värde får stå här, men cellen har {count}.",
        "Only one value is allowed here, but the cell has {count}.",
    ),
    "formula.error": (
        "Violation",
        "Formeln ger felvärdet {value}: rätta formeln eller skriv in värdet.",
        "The formula gives the error value {value}: fix the formula or type the value.",
    ),
    "formula.no-value": (
        "Violation",
        "Formeln har inget sparat värde: öppna arbetsboken i Excel och spara den igen, eller skriv in värdet.",
        "The formula has no saved value: open the workbook in Excel and save it again, or type the value.",
    ),
    "controlled.unknown": (
        "Violation",
        "Okänt värde för listan ”{scheme}”: välj ett av {choices}.",
        "Unknown value for the list “{scheme}”: choose one of {choices}.",
    ),
    "controlled.deprecated": (
        "Warning",
        "Värdet är avfört ur listan ”{scheme}” och bör bytas mot ett av {choices}.",
        "The value is deprecated in the list “{scheme}” and should be replaced by one of {choices}.",
    ),
    "class.unknown": (
        "Violation",
        "Okänd typ: välj en av {choices}.",
        "Unknown type: choose one of {choices}.",
    ),
    "ref.unknown": (
        "Violation",
        "Okänd hänvisning: ”{value}” finns inte som {expected} i arbetsboken eller i lagret.",
        "Unknown reference: “{value}” does not exist as {expected} in the workbook or in the store.",
    ),
    "ref.wrong-class": (
        "Violation",
        "Fel slags hänvisning: ”{value}” är av typen {actual}, men kolumnen kräver {expected}.",
        "Wrong kind of reference: “{value}” is of type {actual}, but the column requires {expected}.",
    ),
    "ref.ambiguous": (
        "Violation",
        "Tvetydig hänvisning: ”{value}” passar {count} resurser ({candidates}); skriv Id:t i stället.",
        "Ambiguous reference: “{value}” fits {count} resources ({candidates}); write the Id instead.",
    ),
    "duplicate.id": (
        "Violation",
        "Dubblett: samma Id som rad {first_row} på bladet ”{first_sheet}”; varje rad behöver ett eget Id.",
        "Duplicate: the same Id as row {first_row} on the sheet “{first_sheet}”; every row needs its own Id.",
    ),
    "duplicate.elsewhere": (
        "Warning",
        "Resursen {iri} finns redan i en annan källa ({graphs}); raden lägger till uppgifter om den.",
        "The resource {iri} already exists in another source ({graphs}); the row adds statements about it.",
    ),
    "sheet.missing": (
        "Violation",
        "Bladet ”{sheet}” saknas i arbetsboken.",
        "The sheet “{sheet}” is missing from the workbook.",
    ),
    "sheet.unknown": (
        "Warning",
        "Okänt blad: ingen mappning beskriver det, så det läses inte in. Kända blad: {choices}.",
        "Unknown sheet: no mapping describes it, so it is not read. Known sheets: {choices}.",
    ),
    "sheet.no-header": (
        "Violation",
        "Hittar ingen känd kolumnrubrik på bladet; rubrikerna ska stå på första raden: {choices}.",
        "No known column header on the sheet; the headers belong on the first row: {choices}.",
    ),
    "column.missing": (
        "Violation",
        "Kolumnen ”{column}” saknas på bladet.",
        "The column “{column}” is missing from the sheet.",
    ),
    "header.unknown": (
        "Warning",
        "Okänd kolumn: den finns inte i mappningen och läses inte in.",
        "Unknown column: the mapping does not have it, so it is not read.",
    ),
    "header.duplicate": (
        "Violation",
        "Kolumnrubriken finns två gånger på bladet; ta bort eller byt namn på den ena.",
        "The column header appears twice on the sheet; remove or rename one of them.",
    ),
    "header.empty": (
        "Warning",
        "Kolumnen har värden men ingen rubrik; värdena läses inte in.",
        "The column has values but no header; the values are not read.",
    ),
    "workbook.no-sheets": (
        "Violation",
        "Arbetsboken har inget av de kända bladen: {choices}.",
        "The workbook has none of the known sheets: {choices}.",
    ),
    "workbook.empty": (
        "Warning",
        "Arbetsboken har inga rader med data; en inläsning tömmer dess graf.",
        "The workbook has no rows of data; loading it empties its graph.",
    ),
    "shacl.outside": (
        "Violation",
        "{message} (gäller {focus} utanför arbetsboken{sources})",
        "{message} (concerns {focus} outside the workbook{sources})",
    ),
}

# Problems that make the input unusable (exit code 2) rather than wrong in places (exit code 1).
UNUSABLE = frozenset({"sheet.missing", "sheet.no-header", "workbook.no-sheets"})


def problem(code: str, sheet: str, row: int | None = None, column: str | None = None,
            column_letter: str | None = None, value: str | None = None, severity: str | None = None,
            sv: dict[str, str] | None = None, en: dict[str, str] | None = None, **details: str) -> CellProblem:
    """A CellProblem with both messages filled in; `sv`/`en` give language-specific placeholder values."""
    default_severity, text_sv, text_en = MESSAGES[code]
    base = {"value": value or "", "column": column or "", "sheet": sheet, **details}
    return CellProblem(
        sheet=sheet, row=row, column=column, column_letter=column_letter, value=value, code=code,
        severity=severity or default_severity,
        message_sv=text_sv.format(**{**base, **(sv or {})}),
        message_en=text_en.format(**{**base, **(en or {})}),
    )
