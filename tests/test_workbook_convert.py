"""Rows → RDF through the real mapping files, against the bundled region and example data in the store.

Per sheet kind: a valid row gives exactly the expected triples, and each class of error gives the exact
Swedish message at the right sheet, row and column. The conversion is pure (nothing is written), so these
tests use the shared read-only store.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import XSD
from workbook_builder import (
    BASE,
    MAPPINGS,
    Rows,
    headers_of,
    mapping,
    set_cached_value,
    turtle,
    write_csv_folder,
    write_xlsx,
)

from graph.store import Store
from loaders.workbook.convert import Conversion, convert
from loaders.workbook.lookup import StoreLookup, _ScopedSource, read_lookup
from loaders.workbook.mapping import DEFAULT_MAPPINGS, load_mappings
from loaders.workbook.problems import CellProblem
from loaders.workbook.read import read_workbook

SB = "https://w3id.org/sparbar/def#"


@pytest.fixture(scope="session", params=["whole", "scoped", "scoped-one-pass"],
                ids=["whole-store", "scoped", "scoped-keys-in-one-pass"])
def lookup(loaded_store: Store, request: pytest.FixtureRequest) -> StoreLookup:
    """Every conversion test runs three times: with the store read whole (a small store), and with types and
    keys fetched for what the workbook uses (a large one) — texts looked up in VALUES batches, or, as for a
    workbook with thousands of them, in one pass over every key — all must convert alike."""
    schemes = {c.scheme for m in MAPPINGS for c in m.columns if c.scheme is not None}
    found = read_lookup(loaded_store, URIRef(BASE + "graph/arbetsbok"), schemes, scoped=request.param != "whole")
    if request.param == "scoped-one-pass":
        assert isinstance(found.source, _ScopedSource)
        found.source.key_batch = 0
    return found


def run(lookup: StoreLookup, path: Path) -> Conversion:
    return convert(read_workbook(path), MAPPINGS, lookup, BASE)


def book(tmp_path: Path, lookup: StoreLookup, sheets: dict[str, Rows], **kw: Any) -> Conversion:
    return run(lookup, write_xlsx(tmp_path / "arbetsbok.xlsx", sheets, **kw))


def letter(sheet: str, header: str) -> str:
    return get_column_letter(headers_of(sheet).index(header) + 1)


def assert_graph(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _both, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(f"unexpected: {sorted(only_actual)}\nmissing: {sorted(only_expected)}")


def errors(conversion: Conversion) -> list[CellProblem]:
    return [p for p in conversion.problems if p.severity == "Violation"]


# --- a valid row per sheet kind ---------------------------------------------------------------------------------
VALID: dict[str, tuple[Rows, str]] = {
    "Insatser": ([{
        "Id": "RUV 2024/9001", "Titel": "Cykelvägar i länet  ", "Titel (engelska)": "Cycle paths in the county",
        "Beskrivning": "Nya cykelvägar mellan orterna.", "Behov": "Fler vill cykla till jobbet.",
        "Ägare": "Region Västmanland", "Partner": "Västerås; 1904", "Startdatum": datetime(2024, 3, 1),
        "Slutdatum": "2025-12-31", "Status": "Pågående", "Område": "Västmanlands län",
        "Delmål": "7 – Öka kollektivtrafikens marknadsandel; 9",
        "Styrdokumentmål": "exempel-handlingsplan-kollektivtrafik/mal/1",
        "Källa": "https://example.org/a; https://example.org/b", "Exempel": "ja",
    }], """
        <insats/ruv-2024-9001> a sb:Intervention ; dcterms:identifier "RUV 2024/9001" ;
            dcterms:title "Cykelvägar i länet"@sv, "Cycle paths in the county"@en ;
            dcterms:description "Nya cykelvägar mellan orterna."@sv ; sb:need "Fler vill cykla till jobbet."@sv ;
            sb:owner <aktor/region-vastmanland> ; sb:partner <kommun/1980>, <kommun/1904> ;
            sb:startDate "2024-03-01"^^xsd:date ; sb:endDate "2025-12-31"^^xsd:date ;
            sb:status kos:status\\/ongoing ; sb:area <lan/19> ;
            sb:contributesTo <rus/delmal/7>, <rus/delmal/9>,
                <styrdokument/exempel-handlingsplan-kollektivtrafik/mal/1> ;
            dcterms:source <https://example.org/a>, <https://example.org/b> ; sb:isExample true .
    """),
    "Aktiviteter": ([{
        "Id": "RUV 2024/9001-a1", "Titel": "Workshop om cykelpendling", "Insats": "RUV 2023/0101",
        "Ägare": "1980", "Startdatum": "2024-04-01", "Slutdatum": date(2024, 4, 2), "Status": "planned",
        "Område": "Västerås", "Delmål": "7", "Leder till": "ruv-2023-0101-e1", "Exempel": "x",
    }], """
        <aktivitet/ruv-2024-9001-a1> a sb:Activity ; dcterms:title "Workshop om cykelpendling"@sv ;
            sb:partOfIntervention <insats/ruv-2023-0101> ; sb:owner <kommun/1980> ;
            sb:startDate "2024-04-01"^^xsd:date ; sb:endDate "2024-04-02"^^xsd:date ;
            sb:status kos:status\\/planned ; sb:area <kommun/1980> ; sb:contributesTo <rus/delmal/7> ;
            sb:leadsTo <resultat/ruv-2023-0101-e1> ; sb:isExample true .
    """),
    "Finansiering": ([{
        "Id": "RUV 2023/0101-9", "Benämning": "Extra medel", "Insats": "RUV 2023/0101",
        "Finansieringsslag": "EU-medel", "Belopp": "1 234 567,50 kr", "Valuta": "SEK", "År": 2024,
        "Finansiär": "eruf", "Kommentar": "Beslut i maj.", "Källa": "https://example.org/beslut", "Exempel": True,
    }], """
        <finansiering/ruv-2023-0101-9> a sb:Funding ; rdfs:label "Extra medel"@sv ; sb:funds <insats/ruv-2023-0101> ;
            sb:fundingKind kos:funding-kind\\/eu-funds ; sb:amount "1234567.50"^^xsd:decimal ; sb:currency "SEK" ;
            sb:year "2024"^^xsd:gYear ; sb:financier <aktor/eruf> ; rdfs:comment "Beslut i maj."@sv ;
            dcterms:source <https://example.org/beslut> ; sb:isExample true .
    """),
    "Resultat": ([
        {"Id": "RUV 2024/9001-p1", "Typ": "Prestation", "Titel": "Tio workshops", "Insats": "RUV 2023/0101",
         "Leder till": "RUV 2024/9001-e1"},
        {"Id": "RUV 2024/9001-e1", "Typ": "effekt", "Titel": "Fler cyklar", "Titel (engelska)": "More cycling",
         "Aktivitet": "ruv-2023-0101-a1", "Tidshorisont": "Kort sikt",
         "Mäts med": "exempel-kollektivtrafikens-marknadsandel"},
    ], """
        <resultat/ruv-2024-9001-p1> a sb:Output ; dcterms:title "Tio workshops"@sv ;
            sb:resultOf <insats/ruv-2023-0101> ; sb:leadsTo <resultat/ruv-2024-9001-e1> .
        <resultat/ruv-2024-9001-e1> a sb:Effect ; dcterms:title "Fler cyklar"@sv, "More cycling"@en ;
            sb:resultOf <aktivitet/ruv-2023-0101-a1> ; sb:horizon kos:horizon\\/short ;
            sb:measuredBy <indikator/exempel-kollektivtrafikens-marknadsandel> .
    """),
    "Berättelser": ([{
        "Id": "cykeldag-sala", "Titel": "Cykeldagen i Sala", "Text": "Många kom.", "Datum": "2024-05-02",
        "Upphov": "Sala", "Insats": "RUV 2023/0101", "Exempel": "ja",
    }], """
        <berattelse/cykeldag-sala> a sb:Story ; dcterms:title "Cykeldagen i Sala"@sv ; sb:text "Många kom."@sv ;
            dcterms:date "2024-05-02"^^xsd:date ; dcterms:creator <kommun/1981> ; sb:about <insats/ruv-2023-0101> ;
            sb:isExample true .
    """),
    "Uppföljningar": ([{
        "Id": "RUV 2023/0101-slut", "Typ": "Utvärdering", "Titel": "Slututvärdering", "Datum": "2026-03-01",
        "Insats": "RUV 2023/0101", "Frågeområde": "Resultat", "Perspektiv": "Strategiskt; financial",
        "PDCA-fas": "Studera", "Slutsatser": "Fler familjer nåddes; färre väntade.\nKostnaden blev lägre.",
        "Observationer": "exempel-barn-lag-inkomst-19-2019", "Berättelser": "familjecentral-norberg",
        "Färdigställt (%)": "45 %",
    }], """
        <uppfoljning/ruv-2023-0101-slut> a sb:Evaluation ; dcterms:title "Slututvärdering"@sv ;
            dcterms:date "2026-03-01"^^xsd:date ; sb:followsUp <insats/ruv-2023-0101> ;
            sb:inquiryArea kos:inquiry-area\\/results ;
            sb:perspective kos:perspective\\/strategic, kos:perspective\\/financial ;
            sb:pdcaPhase kos:pdca-phase\\/study ;
            sb:finding "Fler familjer nåddes; färre väntade."@sv, "Kostnaden blev lägre."@sv ;
            sb:usesObservation <observation/exempel-barn-lag-inkomst-19-2019> ;
            sb:usesStory <berattelse/familjecentral-norberg> ; sb:percentComplete "45"^^xsd:decimal .
    """),
    "Lärdomar": ([{
        "Id": "tidig-kontakt", "Titel": "Tidig kontakt lönar sig",
        "Text": "Familjer som nåddes tidigt klarade sig bättre.",
        "Rekommendation": "Börja i mödravården.", "Uppföljning": "ruv-2024-0117-slutrapport",
    }], """
        <lardom/tidig-kontakt> a sb:Lesson ; dcterms:title "Tidig kontakt lönar sig"@sv ;
            sb:text "Familjer som nåddes tidigt klarade sig bättre."@sv ; sb:recommendation "Börja i mödravården."@sv ;
            sb:lessonFrom <uppfoljning/ruv-2024-0117-slutrapport> .
    """),
    "Återföringar": ([{
        "Id": "ledningsgrupp-2027", "Titel": "Återföring till ledningsgruppen", "Datum": "2027-01-15",
        "Målgrupp": "Beslutsfattare; politicians", "Forum": "Ledningsgruppens möte", "Lärdomar": "gemensamma-lokaler",
    }], """
        <aterforing/ledningsgrupp-2027> a sb:Feedback ; dcterms:title "Återföring till ledningsgruppen"@sv ;
            dcterms:date "2027-01-15"^^xsd:date ;
            sb:targetGroup kos:target-group\\/decision-makers, kos:target-group\\/politicians ;
            sb:forum "Ledningsgruppens möte"@sv ; sb:feedsBack <lardom/gemensamma-lokaler> .
    """),
    "Aktörer": ([{
        "Id": "Cykelföreningen i Västerås", "Namn": "Cykelföreningen i Västerås",
        "Namn (engelska)": "Västerås cycling club",
        "Aktörstyp": "civil-society", "Organisationsnummer": "123456-7890", "Område": "Västerås; Sala", "Exempel": "ja",
    }], """
        <aktor/cykelforeningen-i-vasteras> a sb:Actor ;
            skos:prefLabel "Cykelföreningen i Västerås"@sv, "Västerås cycling club"@en ;
            sb:actorKind kos:actor-kind\\/civil-society ; sb:organisationNumber "123456-7890" ;
            sb:coversArea <kommun/1980>, <kommun/1981> ; sb:isExample true .
    """),
    "Styrdokument": ([{
        "Id": "handlingsplan-cykel", "Typ": "Handlingsplan", "Titel": "Handlingsplan för cykel",
        "Titel (engelska)": "Cycling action plan", "Beskrivning": "Hur fler ska cykla.",
        "Beslutad": "2024-06-01", "Utgår från": "rus",
    }], """
        <styrdokument/handlingsplan-cykel> a sb:ActionPlan ;
            dcterms:title "Handlingsplan för cykel"@sv, "Cycling action plan"@en ;
            dcterms:description "Hur fler ska cykla."@sv ; dcterms:issued "2024-06-01"^^xsd:date ;
            sb:derivesFrom <rus> .
    """),
    "Styrdokumentmål": ([{
        "Styrdokument": "exempel-handlingsplan-kollektivtrafik", "Nummer": 3, "Namn": "Fler cyklar till bussen",
        "Namn (engelska)": "More cycling to the bus", "Delmål": "7",
    }], """
        <styrdokument/exempel-handlingsplan-kollektivtrafik/mal/3> a sb:SteeringDocumentGoal ;
            sb:number 3 ; skos:prefLabel "Fler cyklar till bussen"@sv, "More cycling to the bus"@en ;
            sb:alignsWithSubGoal <rus/delmal/7> .
        <styrdokument/exempel-handlingsplan-kollektivtrafik> sb:hasGoal
            <styrdokument/exempel-handlingsplan-kollektivtrafik/mal/3> .
    """),
    "Målvärden": ([{
        "Id": "anropstrafik-2030", "Benämning": "Målvärde för anropstrafik 2030",
        "Styrdokumentmål": "exempel-handlingsplan-kollektivtrafik/mal/2",
        "Indikator": "exempel-resor-anropsstyrd-trafik", "Basvärde": "1 200", "Basår": 2023, "Målvärde": "8 000,5",
        "Senast": datetime(2030, 12, 31),
    }], """
        <malvarde/anropstrafik-2030> a sb:Target ; rdfs:label "Målvärde för anropstrafik 2030"@sv ;
            sb:targetIndicator <indikator/exempel-resor-anropsstyrd-trafik> ; sb:baselineValue "1200"^^xsd:decimal ;
            sb:baselineYear "2023"^^xsd:gYear ; sb:targetValue "8000.5"^^xsd:decimal ;
            sb:deadline "2030-12-31"^^xsd:date .
        <styrdokument/exempel-handlingsplan-kollektivtrafik/mal/2> sb:hasTarget <malvarde/anropstrafik-2030> .
    """),
    "Indikatorer": ([{
        "Id": "cykelandel", "Typ": "Effektindikator", "Namn": "Andel resor med cykel", "Delmål": "7",
        "Beskrivning": "Andel av alla resor.", "Enhet": "procent",
    }], """
        <indikator/cykelandel> a sb:EffectIndicator ; skos:prefLabel "Andel resor med cykel"@sv ;
            dcterms:description "Andel av alla resor."@sv ; sb:indicatorFor <rus/delmal/7> ;
            sb:unitOfMeasure "procent" .
    """),
    "Indikatordataset": ([{
        "Id": "cykeldata", "Benämning": "Cykeldata", "Titel": "Cykeldata", "Källa": "https://example.org/cykel",
    }], """
        <dataset/cykeldata> a sb:IndicatorDataset, qb:DataSet ; qb:structure sb:indicatorStructure ;
            rdfs:label "Cykeldata"@sv ; dcterms:title "Cykeldata"@sv ; dcterms:source <https://example.org/cykel> .
    """),
    "Observationer": ([{
        "Id": "marknadsandel-1980-2024", "Indikator": "exempel-kollektivtrafikens-marknadsandel", "År": "2024",
        "Område": "Västerås", "Värde": "12,5", "Enhet": "procent", "Dataset": "exempel-indikatorvarden",
    }], """
        <observation/marknadsandel-1980-2024> a sb:Observation, qb:Observation ;
            qb:dataSet <dataset/exempel-indikatorvarden> ;
            sb:indicator <indikator/exempel-kollektivtrafikens-marknadsandel> ; sb:refPeriod "2024"^^xsd:gYear ;
            sb:refArea <kommun/1980> ; sb:obsValue "12.5"^^xsd:decimal ; sb:unitOfMeasure "procent" .
    """),
    "Datamängder": ([
        {"Id": "cykel", "Typ": "Datamängd", "Titel": "Cykeldata", "Geografisk täckning": "19"},
        {"Id": "cykel/anteckningar", "Typ": "Dokumentation", "Benämning": "Anteckningar", "Del av": "cykel"},
    ], """
        <cykel> a dcat:Dataset ; dcterms:title "Cykeldata"@sv ; dcterms:spatial <lan/19> .
        <cykel/anteckningar> a prov:Entity ; rdfs:label "Anteckningar"@sv ; dcterms:isPartOf <cykel> .
    """),
    "Agenda 2030-koppling": ([{
        "Delmål": "7 – Öka kollektivtrafikens marknadsandel", "Föreslagen koppling": "11.2; 9.1",
    }], """
        <rus/delmal/7> sb:proposedAlignment sdg:11.2, sdg:9.1 .
    """),
}


def test_every_sheet_kind_has_a_valid_row_test() -> None:
    assert set(VALID) == {m.sheet for m in MAPPINGS}


@pytest.mark.parametrize("sheet", sorted(VALID))
def test_a_valid_row_gives_exactly_its_triples(sheet: str, tmp_path: Path, lookup: StoreLookup) -> None:
    rows, expected = VALID[sheet]
    conversion = book(tmp_path, lookup, {sheet: rows})
    assert errors(conversion) == []
    assert_graph(conversion.graph, turtle(expected))


@pytest.mark.parametrize("sheet", sorted(VALID))
def test_the_n_triples_a_load_parses_are_the_conversion(sheet: str, tmp_path: Path, lookup: StoreLookup) -> None:
    """What Oxigraph parses for a large load is exactly the converted graph, awkward text included."""
    rows = [dict(r) for r in VALID[sheet][0]]
    text = next((c.header for c in mapping(sheet).columns if c.lang is not None and c.header in rows[0]), None)
    if text is not None:
        rows[0][text] = 'Citat "så här" \\ bakstreck\nny rad och tabb\t – ✓'
    conversion = book(tmp_path, lookup, {sheet: rows})
    assert errors(conversion) == []
    parsed = Graph().parse(data=conversion.ntriples().decode(), format="nt")
    assert isomorphic(parsed, conversion.graph) and len(parsed) == len(conversion) > 0


# --- each class of error, per sheet kind ------------------------------------------------------------------------
def first_column(sheet: str, predicate: Any) -> str | None:
    return next((c.header for c in mapping(sheet).columns if predicate(c)), None)


def with_cell(sheet: str, header: str, value: Any) -> list[dict[str, Any]]:
    rows = [dict(r) for r in VALID[sheet][0]]
    rows[0][header] = value
    return rows


TYPE_ERRORS = [  # (which columns, bad value, exact Swedish message)
    (lambda c: c.datatype == "xsd:date", "2024-13-01",
     "Inte ett datum: skriv ÅÅÅÅ-MM-DD (t.ex. 2024-03-01) eller använd en datumcell."),
    (lambda c: c.datatype == "xsd:decimal" and not c.percent, "12 34",
     "Inte ett tal: skriv t.ex. 1 234 567 eller 1 234,50 (mellanslag mellan tusental, komma som decimaltecken)."),
    (lambda c: c.percent, "140", "Procentsatsen måste ligga mellan 0 och 100."),
    (lambda c: c.datatype == "xsd:gYear", "24", "Inte ett årtal: skriv fyra siffror, t.ex. 2024."),
    (lambda c: c.datatype == "xsd:integer", "1,5", "Inte ett heltal: skriv t.ex. 3."),
    (lambda c: c.datatype == "xsd:boolean", "kanske",
     "Inte ja eller nej: skriv ja, nej eller x, eller lämna cellen tom."),
    (lambda c: c.kind == "link", "www.example.org",
     "Inte en webbadress: skriv hela adressen, t.ex. https://www.example.se/sida."),
]
TYPE_CASES = [pytest.param(sheet, header, bad, message, id=f"{sheet}-{header}")
              for sheet in sorted(VALID) for which, bad, message in TYPE_ERRORS
              if (header := first_column(sheet, which)) is not None]


@pytest.mark.parametrize(("sheet", "header", "bad", "message"), TYPE_CASES)
def test_a_wrong_type_is_reported_at_its_cell(sheet: str, header: str, bad: str, message: str, tmp_path: Path,
                                              lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, bad)})
    assert [(p.sheet, p.row, p.column, p.column_letter, p.value, p.message_sv) for p in errors(conversion)] == [
        (sheet, 2, header, letter(sheet, header), bad, message)]
    assert conversion.problems[0].code.startswith("type.")


REQUIRED_CASES = [pytest.param(sheet, c.header, id=f"{sheet}-{c.header}")
                  for sheet in sorted(VALID) for c in mapping(sheet).columns if c.required]


@pytest.mark.parametrize(("sheet", "header"), REQUIRED_CASES)
def test_a_missing_required_value_is_reported(sheet: str, header: str, tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, "   ")})  # blank after trimming
    found = [p for p in errors(conversion) if p.code == "required"]
    assert [(p.sheet, p.row, p.column, p.column_letter, p.message_sv) for p in found] == [
        (sheet, 2, header, letter(sheet, header), f"Värde saknas: kolumnen ”{header}” måste fyllas i.")]


CLASS_SV = {  # the classes' Swedish names, as the messages give them
    f"{SB}SubGoal": "delmål", f"{SB}Actor": "aktör", f"{SB}Area": "geografiskt område", f"{SB}Intervention": "insats",
    f"{SB}Activity": "aktivitet", f"{SB}Result": "resultat", f"{SB}Indicator": "indikator",
    f"{SB}FollowUp": "uppföljning", f"{SB}Lesson": "lärdom", f"{SB}Story": "berättelse",
    f"{SB}Observation": "observation", f"{SB}SteeringDocumentGoal": "mål i styrdokument",
    f"{SB}SteeringDocument": "styrdokument", f"{SB}Strategy": "regional utvecklingsstrategi",
    f"{SB}IndicatorDataset": "datamängd med indikatorvärden", "http://www.w3.org/ns/dcat#Dataset": "dataset",
    "http://metadata.un.org/sdg/ontology#Target": "delmål (Agenda 2030)",
}
REF_CASES = [pytest.param(sheet, c.header, CLASS_SV[str(c.ref_class[0])], id=f"{sheet}-{c.header}")
             for sheet in sorted(VALID) for c in mapping(sheet).columns if c.kind == "reference"]


@pytest.mark.parametrize(("sheet", "header", "class_sv"), REF_CASES)
def test_an_unknown_reference_is_reported(sheet: str, header: str, class_sv: str, tmp_path: Path,
                                          lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, "finns-inte-99")})
    found = [p for p in errors(conversion) if p.code == "ref.unknown"]
    assert [(p.sheet, p.row, p.column, p.column_letter, p.value, p.message_sv) for p in found] == [
        (sheet, 2, header, letter(sheet, header), "finns-inte-99",
         f"Okänd hänvisning: ”finns-inte-99” finns inte som {class_sv} i arbetsboken eller i lagret.")]


@pytest.mark.parametrize(("sheet", "header", "class_sv"), REF_CASES)
def test_a_reference_to_the_wrong_kind_of_resource_is_reported(sheet: str, header: str, class_sv: str,
                                                               tmp_path: Path, lookup: StoreLookup) -> None:
    focus_area = BASE + "rus/malomrade/2"  # a målområde, which no column accepts
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, focus_area)})
    found = [p for p in errors(conversion) if p.code == "ref.wrong-class"]
    assert [(p.sheet, p.row, p.column, p.column_letter, p.message_sv) for p in found] == [
        (sheet, 2, header, letter(sheet, header),
         f"Fel slags hänvisning: ”{focus_area}” är av typen målområde, men kolumnen kräver {class_sv}.")]


CONTROLLED_SV = {
    "sbk:status": ("Status för insatser och aktiviteter", "Avbruten, Avslutad, Planerad, Pågående"),
    "sbk:funding-kind": ("Finansieringsslag", "EU-medel, Kommunala medel, Medel från andra huvudsakliga "
                         "medfinansiärer, Privata medel, Regionala utvecklingsmedel (1:1-medel), Regionens egna medel, "
                         "Statliga myndigheters medel"),
    "sbk:horizon": ("Tidshorisonter för effekter", "Kort sikt, Medellång sikt, Lång sikt"),
    "sbk:inquiry-area": ("Utredningsområden", "Genomförande av det regionala utvecklingsuppdraget, "
                         "Processgenomförande, Resultat"),
    "sbk:perspective": ("Perspektiv", "Finansiellt, Operativt, Strategiskt"),
    "sbk:pdca-phase": ("Faser i PDCA-hjulet", "Planera, Göra, Studera, Agera"),
    "sbk:actor-kind": ("Aktörstyper", "Civilsamhälle, Företag, Kommun, Länsstyrelse, Lärosäte, Region, "
                       "Statlig myndighet, Övrig"),
    "sbk:target-group": ("Målgrupper för återföring", "Allmänheten, Beslutsfattare, Politiker, Utförare"),
}
CONTROLLED_CASES = [
    pytest.param(sheet, c.header, *CONTROLLED_SV["sbk:" + str(c.scheme).rsplit("/", 1)[-1]], id=f"{sheet}-{c.header}")
    for sheet in sorted(VALID) for c in mapping(sheet).columns if c.kind == "controlled"]


@pytest.mark.parametrize(("sheet", "header", "scheme_sv", "choices"), CONTROLLED_CASES)
def test_an_unknown_controlled_value_names_the_choices(sheet: str, header: str, scheme_sv: str, choices: str,
                                                       tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, "Blå")})
    assert [(p.sheet, p.row, p.column, p.column_letter, p.value, p.code, p.message_sv) for p in errors(conversion)] == [
        (sheet, 2, header, letter(sheet, header), "Blå", "controlled.unknown",
         f"Okänt värde för listan ”{scheme_sv}”: välj ett av {choices}.")]


CLASS_COLUMN_CASES = [pytest.param(m.sheet, m.class_column, ", ".join(m.class_values), id=m.sheet)
                      for m in MAPPINGS if m.class_column]


@pytest.mark.parametrize(("sheet", "header", "choices"), CLASS_COLUMN_CASES)
def test_an_unknown_type_names_the_choices(sheet: str, header: str, choices: str, tmp_path: Path,
                                           lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {sheet: with_cell(sheet, header, "Okänd sort")})
    found = [p for p in errors(conversion) if p.code == "class.unknown"]
    assert [(p.sheet, p.row, p.column, p.column_letter, p.message_sv) for p in found] == [
        (sheet, 2, header, letter(sheet, header), f"Okänd typ: välj en av {choices}.")]


@pytest.mark.parametrize("sheet", sorted(VALID))
def test_a_duplicate_id_is_reported_and_the_second_row_adds_nothing(sheet: str, tmp_path: Path,
                                                                    lookup: StoreLookup) -> None:
    rows = VALID[sheet][0]
    id_column = mapping(sheet).id_column
    changed = {h: ("Ändrad titel" if mapping(sheet).column(h) and mapping(sheet).column(h).lang else v)  # type: ignore[union-attr]
               for h, v in rows[0].items()}
    conversion = book(tmp_path, lookup, {sheet: [*rows, changed]})
    duplicate_row = len(rows) + 2
    assert [(p.sheet, p.row, p.column, p.column_letter, p.code, p.message_sv) for p in errors(conversion)] == [
        (sheet, duplicate_row, id_column, letter(sheet, id_column), "duplicate.id",
         f"Dubblett: samma Id som rad 2 på bladet ”{sheet}”; varje rad behöver ett eget Id.")]
    assert_graph(conversion.graph, turtle(VALID[sheet][1]))


def test_an_id_across_sheets_is_a_duplicate_too(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {
        "Datamängder": [{"Id": "insats/ruv-2024-9001", "Typ": "Datamängd"}],
        "Insatser": VALID["Insatser"][0],
    })
    assert [(p.sheet, p.row, p.column, p.message_sv) for p in errors(conversion)] == [  # the first in the file wins
        ("Insatser", 2, "Id", "Dubblett: samma Id som rad 2 på bladet ”Datamängder”; varje rad behöver ett eget Id.")]


def test_every_problem_is_reported_at_once_in_sheet_row_column_order(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {
        "Insatser": [
            {"Id": "RUV 2024/9101", "Titel": "A", "Startdatum": "i våras", "Status": "Blå", "Delmål": "7; 99"},
            {"Id": "RUV 2024/9102", "Titel": "B", "Slutdatum": "2024-02-30"},
        ],
        "Finansiering": [{"Id": "f-1", "Insats": "RUV 2024/9101", "Belopp": "en miljon", "År": "i år"}],
    })
    assert [(p.sheet, p.row, p.column, p.value, p.code) for p in errors(conversion)] == [
        ("Insatser", 2, "Startdatum", "i våras", "type.date"),
        ("Insatser", 2, "Status", "Blå", "controlled.unknown"),
        ("Insatser", 2, "Delmål", "99", "ref.unknown"),
        ("Insatser", 3, "Slutdatum", "2024-02-30", "type.date"),
        ("Finansiering", 2, "Belopp", "en miljon", "type.number"),
        ("Finansiering", 2, "År", "i år", "type.year"),
    ]


def test_english_messages_are_there_too(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Insatser": with_cell("Insatser", "Delmål", "99")})
    assert [p.message("en") for p in errors(conversion)] == [
        "Unknown reference: “99” does not exist as sub-goal in the workbook or in the store."]


def test_a_single_value_column_refuses_several_values(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Insatser": with_cell("Insatser", "Ägare", "Region Västmanland; Sala")})
    assert [(p.column, p.code, p.message_sv) for p in errors(conversion)] == [
        ("Ägare", "value.single", "Bara ett värde får stå här, men cellen har 2.")]


def test_references_resolve_by_label_number_code_and_drop_down_text(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Insatser": [{
        "Id": "x-1", "Titel": "X", "Ägare": "region västmanland", "Partner": "Västerås;Skinnskatteberg",
        "Område": "1980; 19", "Delmål": "Öka kollektivtrafikens marknadsandel", "Status": "ONGOING ",
    }]})
    assert errors(conversion) == []
    insats = URIRef(BASE + "insats/x-1")
    objects = {str(o).removeprefix(BASE) for o in conversion.graph.objects(insats) if isinstance(o, URIRef)}
    assert objects >= {"aktor/region-vastmanland", "kommun/1980", "kommun/1904", "lan/19", "rus/delmal/7",
                       "https://w3id.org/sparbar/kos/status/ongoing"}


def test_an_ambiguous_label_asks_for_the_id(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {
        "Aktörer": [{"Id": "bygdegard-a", "Namn": "Bygdegården"}, {"Id": "bygdegard-b", "Namn": "Bygdegården"}],
        "Insatser": [{"Id": "x-2", "Titel": "X", "Ägare": "Bygdegården"}],
    })
    assert [(p.sheet, p.row, p.column, p.message_sv) for p in errors(conversion)] == [
        ("Insatser", 2, "Ägare", "Tvetydig hänvisning: ”Bygdegården” passar 2 resurser (aktor/bygdegard-a, "
                                 "aktor/bygdegard-b); skriv Id:t i stället.")]


def test_a_row_that_exists_in_another_source_is_a_warning(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Insatser": [{"Id": "RUV 2023/0101", "Titel": "Familjecentraler"}]})
    assert errors(conversion) == []
    assert [(p.severity, p.row, p.column, p.code, p.message_sv) for p in conversion.problems] == [
        ("Warning", 2, "Id", "duplicate.elsewhere",
         f"Resursen <{BASE}insats/ruv-2023-0101> finns redan i en annan källa (<{BASE}graph/example>); raden "
         "lägger till uppgifter om den.")]


# --- the shape of the workbook ----------------------------------------------------------------------------------
def insatser_sheet(rows: list[list[Any]]) -> tuple[Workbook, Any]:
    """A workbook whose sheet Insatser holds exactly these rows (for shapes write_xlsx does not make)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Insatser"
    for row in rows:
        ws.append(row)
    return wb, ws


def test_empty_rows_trailing_spaces_merged_headers_hidden_sheets_and_formulas(tmp_path: Path,
                                                                             lookup: StoreLookup) -> None:
    path = tmp_path / "arbetsbok.xlsx"
    wb, ws = insatser_sheet([
        ["Arbetsbok för insatser"],  # a title row above the header row
        ["Id ", " Titel", "Beskrivning", None, "Startdatum", "Exempel"],
        [],
        ["  RUV 2024/9201  ", "Titel med mellanslag   ", "Text", None, "=DATE(2024,3,1)", "ja "],
        [None, None, None, None, None, None],
        ["RUV 2024/9202", "Andra", None, None, datetime(2024, 5, 1), None],
    ])
    ws.merge_cells("A1:D1")
    ws.merge_cells("C2:D2")  # a merged header cell
    lists = wb.create_sheet("Listor")
    lists.append(["Pågående", "Avslutad"])
    lists.sheet_state = "hidden"
    wb.create_sheet("Instruktioner").append(["Fyll i en rad per insats."])
    ws["E4"].number_format = "yyyy-mm-dd"  # Excel formats a DATE() result as a date
    wb.save(path)
    set_cached_value(path, 1, "E4", "45352")  # what Excel saves: the serial number of 2024-03-01
    conversion = run(lookup, path)
    assert conversion.problems == []
    assert_graph(conversion.graph, turtle("""
        <insats/ruv-2024-9201> a sb:Intervention ; dcterms:identifier "RUV 2024/9201" ;
            dcterms:title "Titel med mellanslag"@sv ; dcterms:description "Text"@sv ;
            sb:startDate "2024-03-01"^^xsd:date ; sb:isExample true .
        <insats/ruv-2024-9202> a sb:Intervention ; dcterms:identifier "RUV 2024/9202" ;
            dcterms:title "Andra"@sv ; sb:startDate "2024-05-01"^^xsd:date .
    """))


def test_a_formula_without_a_saved_value_or_with_an_error_is_reported(tmp_path: Path, lookup: StoreLookup) -> None:
    path = tmp_path / "arbetsbok.xlsx"
    write_xlsx(path, {"Finansiering": [
        {"Id": "f-1", "Insats": "RUV 2023/0101", "Belopp": "=1000*2"},
        {"Id": "f-2", "Insats": "RUV 2023/0101", "Belopp": "=1/0"},
    ]})
    set_cached_value(path, 1, f"{letter('Finansiering', 'Belopp')}3", "#DIV/0!", error=True)
    conversion = run(lookup, path)
    assert [(p.row, p.column, p.value, p.message_sv) for p in errors(conversion)] == [
        (2, "Belopp", None, "Formeln har inget sparat värde: öppna arbetsboken i Excel och spara den igen, eller "
                            "skriv in värdet."),
        (3, "Belopp", "#DIV/0!", "Formeln ger felvärdet #DIV/0!: rätta formeln eller skriv in värdet."),
    ]


def test_unknown_sheets_and_columns_are_warnings_and_data_without_a_header_too(tmp_path: Path,
                                                                              lookup: StoreLookup) -> None:
    path = tmp_path / "arbetsbok.xlsx"
    wb, _ws = insatser_sheet([["Id", "Titel", "Anteckning", None], ["x-3", "X", "egen kolumn", "utan rubrik"]])
    wb.create_sheet("Mina anteckningar").append(["fritt"])
    wb.save(path)
    conversion = run(lookup, path)
    assert [(p.sheet, p.row, p.column, p.column_letter, p.severity, p.code) for p in conversion.problems] == [
        ("Insatser", 1, "Anteckning", "C", "Warning", "header.unknown"),
        ("Insatser", 1, None, "D", "Warning", "header.empty"),
        ("Mina anteckningar", None, None, None, "Warning", "sheet.unknown"),
    ]
    assert (URIRef(BASE + "insats/x-3"), None, None) in conversion.graph


def test_a_missing_required_column_is_reported_once_and_the_rows_still_checked(tmp_path: Path,
                                                                               lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Finansiering": [{"Id": "f-1", "År": "i år"}, {"Id": "f-2"}]},
                      headers={"Finansiering": ["Id", "År"]})
    assert [(p.sheet, p.row, p.column, p.code, p.message_sv) for p in errors(conversion)] == [
        ("Finansiering", 1, "Belopp", "column.missing", "Kolumnen ”Belopp” saknas på bladet."),
        ("Finansiering", 2, "År", "type.year", "Inte ett årtal: skriv fyra siffror, t.ex. 2024."),
    ]


def test_a_sheet_the_mapping_requires_is_reported_missing(tmp_path: Path, lookup: StoreLookup) -> None:
    folder = tmp_path / "mappningar"
    shutil.copytree(DEFAULT_MAPPINGS, folder)
    path = folder / "insatser.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("order = 1\n", "order = 1\nrequired = true\n"),
                    encoding="utf-8")
    mappings = load_mappings(folder)
    raw = read_workbook(write_xlsx(tmp_path / "arbetsbok.xlsx", {"Finansiering": VALID["Finansiering"][0]}))
    conversion = convert(raw, mappings, lookup, BASE)
    assert [(p.sheet, p.row, p.column, p.code, p.message_sv) for p in errors(conversion)] == [
        ("Insatser", None, None, "sheet.missing", "Bladet ”Insatser” saknas i arbetsboken.")]


def test_a_workbook_with_none_of_the_sheets_is_unusable(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Blad1": [{"a": 1}]}, headers={"Blad1": ["a"]})
    assert [(p.sheet, p.code) for p in conversion.problems] == [("Blad1", "sheet.unknown"), ("", "workbook.no-sheets")]
    assert errors(conversion)[0].message_sv.startswith("Arbetsboken har inget av de kända bladen: Insatser, "
                                                       "Aktiviteter, Finansiering, ")


def test_a_sheet_without_known_headers_is_unusable(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Insatser": [{"a": 1}]}, headers={"Insatser": ["a", "b"]})
    assert [(p.sheet, p.code) for p in errors(conversion)] == [("Insatser", "sheet.no-header")]
    assert errors(conversion)[0].message_sv.startswith(
        "Hittar ingen känd kolumnrubrik på bladet; rubrikerna ska stå på första raden: Id, Titel, ")


def test_excel_numbers_and_dates_are_taken_as_they_are(tmp_path: Path, lookup: StoreLookup) -> None:
    conversion = book(tmp_path, lookup, {"Finansiering": [
        {"Id": "f-1", "Insats": "RUV 2023/0101", "Belopp": 2500000, "År": 2024.0},
        {"Id": "f-2", "Insats": "RUV 2023/0101", "Belopp": 1234.5},
    ]})
    assert errors(conversion) == []
    amounts = {str(s).rsplit("/", 1)[-1]: o for s, o in
               conversion.graph.subject_objects(URIRef(SB + "amount"))}
    assert amounts == {"f-1": Literal("2500000", datatype=XSD.decimal), "f-2": Literal("1234.5", datatype=XSD.decimal)}
    assert (URIRef(BASE + "finansiering/f-1"), URIRef(SB + "year"), Literal("2024", datatype=XSD.gYear)) in \
        conversion.graph


def test_percent_formatted_cells_count_as_percent(tmp_path: Path, lookup: StoreLookup) -> None:
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Uppföljningar": [
        {"Id": "u-1", "Typ": "Uppföljning", "Titel": "Halvtid", "Färdigställt (%)": 0.45}]})
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Uppföljningar"][f"{letter('Uppföljningar', 'Färdigställt (%)')}2"].number_format = "0%"
    wb.save(path)
    conversion = run(lookup, path)
    assert (URIRef(BASE + "uppfoljning/u-1"), URIRef(SB + "percentComplete"), Literal("45", datatype=XSD.decimal)) \
        in conversion.graph


# --- CSV --------------------------------------------------------------------------------------------------------
SEVERAL = {sheet: VALID[sheet][0] for sheet in ("Insatser", "Finansiering", "Uppföljningar", "Resultat")}


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False), (";", False), ("\t", True)])
def test_a_csv_folder_gives_the_same_graph_as_the_workbook(delimiter: str, bom: bool, tmp_path: Path,
                                                           lookup: StoreLookup) -> None:
    from_xlsx = run(lookup, write_xlsx(tmp_path / "arbetsbok.xlsx", SEVERAL))
    folder = write_csv_folder(tmp_path / "arbetsbok", {
        sheet: [{h: (v.date().isoformat() if isinstance(v, datetime) else v) for h, v in row.items()} for row in rows]
        for sheet, rows in SEVERAL.items()}, delimiter=delimiter, bom=bom)
    from_csv = run(lookup, folder)
    assert errors(from_csv) == errors(from_xlsx) == []
    assert len(from_csv.graph) > 40
    assert_graph(from_csv.graph, from_xlsx.graph)


def test_csv_problems_name_the_line_and_no_column_letter(tmp_path: Path, lookup: StoreLookup) -> None:
    folder = write_csv_folder(tmp_path / "arbetsbok", {"Insatser": [
        {"Id": "x-1", "Titel": "X"}, {"Id": "x-2", "Titel": "Y", "Startdatum": "1 mars"}]})
    conversion = run(lookup, folder)
    assert [(p.sheet, p.row, p.column, p.column_letter, p.value) for p in errors(conversion)] == [
        ("Insatser", 3, "Startdatum", None, "1 mars")]


def test_a_csv_line_with_fewer_fields_has_empty_cells_at_its_end(tmp_path: Path, lookup: StoreLookup) -> None:
    folder = tmp_path / "arbetsbok"
    folder.mkdir()
    (folder / "Styrdokumentmål.csv").write_text("Styrdokument;Nummer;Namn\nexempel-handlingsplan-kollektivtrafik\n",
                                               encoding="utf-8")
    conversion = run(lookup, folder)
    assert [(p.row, p.column, p.code) for p in errors(conversion)] == [
        (2, "Nummer", "required"), (2, "Namn", "required")]
