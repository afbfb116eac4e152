"""`sparbar template`: the empty workbook a region's staff fill in.

Sheets, headers and column order come from the mapping files; every drop-down list is read from the store
through named queries (concept schemes, the strategy's delmål and målområden, actors, areas ...), so another
region's store yields its own lists. An "Instruktioner" sheet comes first; the lists live on a hidden
"Listor" sheet because an inline list is limited to 255 characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import URIRef

from graph.named_queries import load_named_queries
from graph.settings import Region
from graph.store import Store
from loaders.workbook.iri_values import reference_value
from loaders.workbook.mapping import INSTRUCTIONS_SHEET, ColumnMapping, SheetMapping, normalise_header

LISTS_SHEET = "Listor"
DEFAULT_OUTPUT = Path("sparbar-mall.xlsx")
LAST_ROW = 5000  # validations cover this many rows; Excel extends them when rows are inserted inside the range
YES_NO = ("ja", "nej")
LABEL_LENGTH = 80  # of a label shown after a reference value in a drop-down list

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
REQUIRED_FILL = PatternFill(fill_type="solid", start_color="FFB4C6E7", end_color="FFB4C6E7")


class TemplateError(ValueError):
    """The template cannot be built (empty store, unwritable output)."""


@dataclass(frozen=True)
class Choice:
    """One value of a drop-down list, and what it means (shown beside it on the Listor sheet)."""

    value: str
    label: str


# --- lists from the store -------------------------------------------------------------------------------------


def scheme_choices(store: Store, scheme: URIRef) -> list[Choice]:
    """The Swedish labels of a concept scheme's members, in the scheme's order."""
    query = load_named_queries()["concept-scheme-members"]
    out = []
    for row in store.select(query.text, {"scheme": scheme}):
        label = row.get("labelSv") or row.get("labelEn") or row.get("notation")
        if label is not None:
            out.append(Choice(str(label), str(row.get("definitionSv") or row.get("labelEn") or label)))
    return out


def reference_choices(store: Store, column: ColumnMapping, base_iri: str) -> list[Choice]:
    """The values a reference cell may hold for the resources of the column's classes already in the store:
    what fills the column's IRI template (a delmål's number, an actor's short name, a kommunkod ...), shown
    as "7 – Öka kollektivtrafikens marknadsandel": the loader reads the part before " – "."""
    query = load_named_queries()["class-members"]
    seen: dict[str, Choice] = {}
    for cls in column.ref_class:
        for row in store.select(query.text, {"class": cls}):
            value = reference_value(column.ref, base_iri, str(row["resource"]))
            if value is not None and value not in seen:
                label = str(row.get("label") or "")
                seen[value] = Choice(_with_label(value, label), label)
    return list(seen.values())


def _with_label(value: str, label: str) -> str:
    # a label with ';' or a line break would be split as several values; a long one is cut (only the value counts)
    if not label or label == value or re.search(r"[;\r\n]", label):
        return value
    return f"{value} – {label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1].rstrip() + '…'}"


def column_choices(store: Store, sheet: SheetMapping, column: ColumnMapping, base_iri: str) -> list[Choice]:
    if sheet.class_column is not None and column.header == sheet.class_column:
        return _class_choices(sheet)
    if column.kind == "controlled" and column.scheme is not None:
        return scheme_choices(store, column.scheme)
    if column.kind == "reference" and column.ref:
        return reference_choices(store, column, base_iri)
    if column.datatype == "xsd:boolean":
        return [Choice(v, v) for v in YES_NO]
    return []


def _class_choices(sheet: SheetMapping) -> list[Choice]:
    """One label per class (the first listed: the mapping files list the Swedish label first)."""
    seen: dict[tuple[URIRef, ...], str] = {}
    for label, classes in sheet.class_values.items():
        seen.setdefault(classes, label)
    return [Choice(label, " ".join(str(c) for c in classes)) for classes, label in seen.items()]


# --- the workbook -----------------------------------------------------------------------------------------------


def build_template(store: Store, region: Region, mappings: Sequence[SheetMapping]) -> Workbook:
    if not store.graph_names():
        raise TemplateError("lagret är tomt: kör 'sparbar init' först, så att listorna kan byggas")
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    lists = _ListsSheet(workbook)
    for sheet in mappings:
        _data_sheet(workbook, store, region, sheet, lists)
    _write_instructions(instructions, region, mappings)
    lists.sheet.sheet_state = "hidden"
    workbook.active = 0
    return workbook


def write_template(store: Store, region: Region, mappings: Sequence[SheetMapping],
                   output: Path = DEFAULT_OUTPUT) -> Path:
    if output.suffix.lower() != ".xlsx":
        raise TemplateError(f"{output}: mallen måste sparas som en .xlsx-fil")
    workbook = build_template(store, region, mappings)
    try:
        workbook.save(output)
    except OSError as e:
        raise TemplateError(f"{output}: kan inte skriva filen: {e}") from None
    return output


class _ListsSheet:
    """The hidden sheet with one list per column (value, and its meaning beside it), each a defined name."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.next_column = 1
        self.names: dict[tuple[Choice, ...], str] = {}

    def add(self, title: str, choices: Sequence[Choice]) -> str:
        """Write the list (once: columns with the same list share it) and return the defined name that a list
        validation refers to."""
        key = tuple(choices)
        if key in self.names:
            return self.names[key]
        col = self.next_column
        self.next_column += 2
        value_letter, label_letter = get_column_letter(col), get_column_letter(col + 1)
        self.sheet.cell(1, col, title).font = Font(bold=True)
        self.sheet.cell(1, col + 1, "Betydelse").font = Font(bold=True)
        for i, choice in enumerate(choices, start=2):
            self.sheet.cell(i, col, choice.value)
            self.sheet.cell(i, col + 1, choice.label)
        self.sheet.column_dimensions[value_letter].width = max(12, min(60, max(len(c.value) for c in choices) + 2))
        self.sheet.column_dimensions[label_letter].width = 40
        name = f"lista_{col // 2 + 1}"
        ref = f"{quote_sheetname(LISTS_SHEET)}!${value_letter}$2:${value_letter}${len(choices) + 1}"
        self.workbook.defined_names[name] = DefinedName(name, attr_text=ref)
        self.names[key] = name
        return name


def _data_sheet(workbook: Workbook, store: Store, region: Region, mapping: SheetMapping,
                lists: _ListsSheet) -> None:
    sheet = workbook.create_sheet(mapping.sheet)
    for index, column in enumerate(mapping.columns, start=1):
        letter = get_column_letter(index)
        required = _required(mapping, column)
        cell = sheet.cell(1, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        comment = Comment(_column_help(mapping, column, required), "Spårbar")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        sheet.column_dimensions[letter].width = _width(column)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        choices = column_choices(store, mapping, column, region.base_iri)
        if choices:
            name = lists.add(column.header, choices)
            _add_validation(sheet, cells, DataValidation(type="list", formula1=name, allow_blank=True),
                            column, "Välj ur listan")
        else:
            validation = _typed_validation(column)
            if validation is not None:
                _add_validation(sheet, cells, validation, column, _FORMAT_PROMPT.get(column.datatype, ""))
        if column.datatype == "xsd:date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"  # a typed date shows as ISO
        elif column.kind != "literal" or column.datatype == "xsd:string":
            sheet.column_dimensions[letter].number_format = "@"  # text: Excel keeps "0101" and "7.10" as typed
    sheet.freeze_panes = "A2"


def _add_validation(sheet: Worksheet, cells: str, validation: DataValidation, column: ColumnMapping,
                    prompt: str) -> None:
    # A list is a help, not a cage: several values in one cell ("7; 8"), an English label or a row that names
    # a new resource elsewhere in the workbook are valid; the loader checks every value and names the cell.
    validation.errorStyle = "warning"
    validation.showErrorMessage = not column.multiple
    validation.errorTitle = "Spårbar"
    validation.error = (f"Värdet passar inte kolumnen {column.header}. Du kan behålla det; Spårbar kontrollerar "
                        "alla värden när arbetsboken läses in och pekar ut cellen om något är fel.")
    if prompt:
        validation.promptTitle = column.header[:32]
        validation.prompt = prompt[:255]
        validation.showInputMessage = True
    validation.add(cells)
    sheet.add_data_validation(validation)


def _typed_validation(column: ColumnMapping) -> DataValidation | None:
    if column.kind != "literal":
        return None
    if column.datatype == "xsd:date":
        return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    if column.datatype == "xsd:gYear":
        return DataValidation(type="whole", operator="between", formula1="1900", formula2="2100", allow_blank=True)
    if column.datatype == "xsd:integer":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="-999999999", allow_blank=True)
    if column.datatype == "xsd:decimal" and column.percent:
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    return None  # a decimal cell may hold "12 500,50 kr", which the loader reads: no Excel number check


_FORMAT_PROMPT = {
    "xsd:date": "Datum: ÅÅÅÅ-MM-DD, t.ex. 2025-03-18.",
    "xsd:gYear": "År: fyra siffror, t.ex. 2025.",
    "xsd:integer": "Ett heltal.",
}


def _required(mapping: SheetMapping, column: ColumnMapping) -> bool:
    """Required by the mapping, or an identifying column (the row's IRI is made from it)."""
    return column.required or normalise_header(column.header) in {normalise_header(h) for h in mapping.id_columns}


def _width(column: ColumnMapping) -> float:
    if column.lang is not None:
        return 40
    if column.kind == "reference" and column.multiple:
        return 24
    return max(12, min(30, len(column.header) + 4))


# --- instructions -------------------------------------------------------------------------------------------


def format_text(sheet: SheetMapping, column: ColumnMapping) -> str:
    """What a cell of the column holds, in Swedish."""
    if sheet.class_column is not None and column.header == sheet.class_column:
        return "ett värde ur listan: " + ", ".join(c.value for c in _class_choices(sheet))
    if column.kind == "key":
        return "identifierare (kortnamn)"
    if column.kind == "controlled":
        text = "ett värde ur listan (svensk eller engelsk benämning)"
    elif column.kind == "reference":
        text = "en hänvisning (se beskrivningen)"
    elif column.kind == "link":
        text = "en webbadress (https://…)"
    elif column.lang is not None:
        text = "text på svenska" if column.lang == "sv" else ("text på engelska" if column.lang == "en"
                                                            else f"text (språk {column.lang})")
    else:
        text = {
            "xsd:date": "datum ÅÅÅÅ-MM-DD eller en datumcell",
            "xsd:gYear": "årtal, fyra siffror",
            "xsd:decimal": "procent 0–100 (45 eller 45 %)" if column.percent else "tal (decimalkomma eller -punkt)",
            "xsd:integer": "heltal",
            "xsd:boolean": "ja eller nej",
            "xsd:anyURI": "en webbadress (https://…)",
        }.get(column.datatype, "text")
    if column.multiple:
        text += "; flera värden: en per rad i cellen (Alt+Enter)" if column.is_text else \
            "; flera värden åtskilda med semikolon"
    return text


def _column_help(sheet: SheetMapping, column: ColumnMapping, required: bool) -> str:
    lines = [column.header, "Obligatorisk." if required else "Valfri.", "Format: " + format_text(sheet, column)]
    if column.help:
        lines.append(column.help)
    if column.example:
        lines.append(f"Exempel: {column.example}")
    return "\n".join(lines)


GENERAL = (
    ("Om arbetsboken", (
        "Arbetsboken samlar regionens uppgifter om det regionala utvecklingsarbetet: insatser, aktiviteter, "
        "finansiering, resultat, berättelser, uppföljningar, lärdomar och styrdokument. Spårbar läser in den som "
        "en kunskapsgraf där varje insats kan spåras till den regionala utvecklingsstrategins (RUS) delmål och "
        "vidare till Agenda 2030.",
        "Varje blad har en rad per post. Rubrikraden (rad 1) ska stå kvar som den är: Spårbar känner igen "
        "kolumnerna på rubrikerna, inte på ordningen. Blad som inte behövs kan lämnas tomma.",
        "Rubriker med mörkare bakgrund är obligatoriska. Håll muspekaren över en rubrik för att se vad kolumnen "
        "ska innehålla.",
    )),
    ("Identifierare", (
        "Kolumnen Id (och på bladet Styrdokumentmål: Styrdokument och Nummer) bestämmer postens IRI, dess "
        "permanenta adress i kunskapsgrafen, t.ex. insats/ruv-2023-0101. Adressen görs av Id med små bokstäver, "
        "å och ä blir a, ö blir o, och mellanslag och andra tecken blir bindestreck "
        "(RUV 2023/0101 blir ruv-2023-0101).",
        "Ändra aldrig ett Id när posten väl är inläst. Ett nytt Id blir en ny post: hänvisningar från andra blad, "
        "från andra arbetsböcker och från webbsidor som länkar till posten slutar då att fungera.",
        "Två rader på samma blad får inte ha samma Id.",
    )),
    ("Hänvisningar och listor", (
        "En rad hänvisar till en annan post med dess Id, t.ex. Insats på bladet Finansiering. Posten kan stå i "
        "samma arbetsbok eller redan finnas i Spårbar. RUS-delmål anges med sitt nummer (t.ex. 7), kommuner med "
        "namn eller kommunkod, aktörer med namn eller kortnamn.",
        "Flera värden i en cell skiljs åt med semikolon (7; 12). I textkolumner, där semikolon är skiljetecken, "
        "skrivs ett värde per rad i cellen (Alt+Enter).",
        "Rullgardinslistorna är byggda från Spårbars lager: de kontrollerade listorna (status, finansieringsslag, "
        "tidshorisont, frågeområde, perspektiv, PDCA-fas, aktörstyp, målgrupp), strategins delmål och målområden "
        "samt aktörer och kommuner. Det dolda bladet Listor visar vad varje värde betyder.",
    )),
    ("Tal och datum", (
        "Tal skrivs med decimalkomma eller decimalpunkt, gärna med mellanslag som tusentalsavgränsare: "
        "1 234 567 eller 12 500,50. En talcell i Excel går också bra.",
        "Procent skrivs som 0–100, t.ex. 45 eller 45 %.",
        "Datum skrivs ÅÅÅÅ-MM-DD (2025-03-18), eller som en datumcell i Excel. År skrivs med fyra siffror (2025).",
        "Ja/nej-kolumner: ja eller nej.",
    )),
    ("Läsa in arbetsboken", (
        "Pröva först utan att något skrivs:  sparbar load ARBETSBOK.xlsx --dry-run",
        "Läs sedan in:  sparbar load ARBETSBOK.xlsx",
        "Inläsningen är allt eller inget: finns ett fel skrivs ingenting, och rapporten anger blad, rad och "
        "kolumn för varje problem. Med --marked-copy KOPIA.xlsx får du dessutom en kopia av arbetsboken där "
        "problemcellerna är färgade (rött för fel, gult för varningar) och kommenterade.",
        "En mapp med CSV-filer, en fil per blad (Insatser.csv ...), kan läsas in på samma sätt: "
        "sparbar load MAPP/",
    )),
)


def _write_instructions(sheet: Worksheet, region: Region, mappings: Sequence[SheetMapping]) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 44
    sheet.column_dimensions["D"].width = 70
    sheet.column_dimensions["E"].width = 26
    sheet.append([f"Spårbar – arbetsbok för {region.name}"])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    for title, paragraphs in GENERAL:
        sheet.append([])
        sheet.append([title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        for text in paragraphs:
            _paragraph(sheet, text)
    sheet.append([])
    sheet.append(["Bladen"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
    for mapping in mappings:
        sheet.append([])
        sheet.append([mapping.sheet])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        _paragraph(sheet, mapping.description)
        sheet.append(["Kolumn", "Obligatorisk", "Format", "Beskrivning", "Exempel"])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(italic=True)
        for column in mapping.columns:
            required = _required(mapping, column)
            sheet.append([column.header, "ja" if required else "nej", format_text(mapping, column), column.help,
                          column.example or ""])
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


_INSTRUCTION_WIDTH = 180  # characters across columns A–E


def _paragraph(sheet: Worksheet, text: str) -> None:
    """A wrapped paragraph across the table's width (Excel does not fit a merged row's height: estimate it)."""
    sheet.append([text])
    row = sheet.max_row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 15 * (1 + len(text) // _INSTRUCTION_WIDTH)
