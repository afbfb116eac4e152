"""Graph → workbook rows (the inverse of the workbook loader), and back through the loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region
from loaders.workbook.export import export_rows, fill_workbook, swedish_decimal, workbook_rows
from loaders.workbook.importer import convert_workbook
from loaders.workbook.mapping import SheetMapping, load_mappings

BASE = "https://w3id.org/sparbar/vastmanland/"
PREFIXES = f"""
@base <{BASE}> .
@prefix sb: <https://w3id.org/sparbar/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix status: <https://w3id.org/sparbar/kos/status/> .
@prefix pe: <https://w3id.org/sparbar/kos/perspective/> .
"""

# Everything here has a cell: literals of every kind, references to the store and to rows, several values,
# an inverse reference (hasGoal), a controlled list, statements about a delmål of the store.
SMALL = PREFIXES + """
<insats/ruv-2024-0007> a sb:Intervention ;
    dcterms:identifier "RUV 2024/0007" ;
    dcterms:title "Testinsats; med semikolon"@sv , "Test intervention"@en ;
    sb:owner <aktor/region-vastmanland> ;
    sb:partner <kommun/1980> , <kommun/1904> ;
    sb:startDate "2024-01-15"^^xsd:date ;
    sb:status status:ongoing ;
    sb:area <lan/19> ;
    sb:contributesTo <rus/delmal/7> , <rus/delmal/12> , <styrdokument/plan-x/mal/1> ;
    dcterms:source <https://example.org/c> , <https://example.org/b> ;
    sb:isExample true .
<finansiering/ruv-2024-0007-1> a sb:Funding ;
    sb:funds <insats/ruv-2024-0007> ;
    sb:amount "2500000.50"^^xsd:decimal ;
    sb:year "2024"^^xsd:gYear ;
    sb:financier <aktor/region-vastmanland> .
<styrdokument/plan-x> a sb:ActionPlan ;
    dcterms:title "Plan X"@sv ;
    sb:hasGoal <styrdokument/plan-x/mal/1> .
<styrdokument/plan-x/mal/1> a sb:SteeringDocumentGoal ;
    sb:number "1"^^xsd:integer ;
    skos:prefLabel "Mål ett"@sv ;
    sb:alignsWithSubGoal <rus/delmal/7> .
<uppfoljning/u1> a sb:Evaluation ;
    dcterms:title "Utvärdering"@sv ;
    sb:followsUp <insats/ruv-2024-0007> ;
    sb:perspective pe:strategic , pe:financial ;
    sb:finding "Första; slutsatsen"@sv , "Andra slutsatsen"@sv ;
    sb:percentComplete "45"^^xsd:decimal .
<rus/delmal/7> sb:proposedAlignment <http://metadata.un.org/sdg/11.2> .
"""


@pytest.fixture(scope="module")
def mappings() -> list[SheetMapping]:
    return load_mappings()


@pytest.fixture(scope="module")
def context(loaded_store: OxigraphStore) -> Graph:
    g = Graph()
    for name in loaded_store.graph_names():
        loaded_store.graph(name, into=g)
    return g


def test_rows_hold_values_as_the_loader_reads_them(context: Graph, mappings: list[SheetMapping]) -> None:
    export = export_rows(Graph().parse(data=SMALL, format="turtle"), context, mappings, BASE)
    assert len(export.leftover) == 0, list(export.leftover)
    [insats] = export.rows("Insatser")
    assert insats == {
        "Id": "RUV 2024/0007", "Titel": "Testinsats; med semikolon", "Titel (engelska)": "Test intervention",
        "Ägare": "region-vastmanland", "Partner": "1904; 1980", "Startdatum": date(2024, 1, 15),
        "Status": "Pågående", "Område": "19", "Delmål": "7; 12", "Styrdokumentmål": "plan-x/mal/1",
        "Källa": "https://example.org/b; https://example.org/c",
        "Exempel": "ja",
    }
    [funding] = export.rows("Finansiering")
    assert (funding["Id"], funding["Belopp"], funding["År"]) == ("ruv-2024-0007-1", "2 500 000,50", 2024)
    [goal] = export.rows("Styrdokumentmål")
    assert (goal["Styrdokument"], goal["Nummer"], goal["Delmål"]) == ("plan-x", 1, "7")
    [follow_up] = export.rows("Uppföljningar")
    assert follow_up["Typ"] == "Utvärdering"
    assert follow_up["Perspektiv"] == "Finansiellt; Strategiskt"
    assert follow_up["Slutsatser"] == "Andra slutsatsen\nFörsta; slutsatsen"  # text: line breaks only
    assert export.rows("Agenda 2030-koppling") == [{"Delmål": "7", "Föreslagen koppling": "11.2"}]


def test_what_no_cell_can_hold_is_returned_not_dropped(context: Graph, mappings: list[SheetMapping]) -> None:
    data = Graph().parse(data=PREFIXES + """
    <insats/a> a sb:Intervention ; dcterms:identifier "a" ; dcterms:title "A"@sv ;
        sb:owner <aktor/region-vastmanland> , <kommun/1980> ;
        sb:unknownProperty "x" ;
        dcterms:source <https://example.org/a;b> ;
        dcterms:title "A på tyska"@de .
    <nagot/annat> a sb:Intervention ; dcterms:title "Fel IRI"@sv .
    """, format="turtle")
    export = export_rows(data, context, mappings, BASE)
    leftover = {(str(s)[len(BASE):], str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(o))
                for s, p, o in export.leftover}
    assert ("insats/a", "unknownProperty", "x") in leftover
    assert ("insats/a", "title", "A på tyska") in leftover  # no German column
    assert ("insats/a", "owner", BASE + "kommun/1980") in leftover  # one owner per row: the second has no cell
    assert ("insats/a", "source", "https://example.org/a;b") in leftover  # the loader would split it at ';'
    assert {t for t in leftover if t[0] == "nagot/annat"} == {
        ("nagot/annat", "type", "https://w3id.org/sparbar/def#Intervention"), ("nagot/annat", "title", "Fel IRI")}
    assert [r["Id"] for r in export.rows("Insatser")] == ["a"]


@pytest.mark.parametrize(("lexical", "text"), [
    ("52.0", "52,0"), ("60", "60"), ("2500000", "2 500 000"), ("1234.5", "1 234,5"), ("-0.95", "-0,95"),
    ("999", "999"), ("1000", "1 000"),
])
def test_decimals_are_written_the_swedish_way_keeping_their_digits(lexical: str, text: str) -> None:
    assert swedish_decimal(lexical) == text


def test_written_rows_read_back_the_same(context: Graph, mappings: list[SheetMapping]) -> None:
    export = export_rows(Graph().parse(data=SMALL, format="turtle"), context, mappings, BASE)
    workbook = Workbook()
    for m in mappings:
        workbook.create_sheet(m.sheet).append([c.header for c in m.columns])
    fill_workbook(workbook, export)
    assert workbook_rows(workbook, mappings) == {s.mapping.sheet: s.rows for s in export.sheets}


def test_export_then_load_gives_the_graph_back(context: Graph, mappings: list[SheetMapping], region: Region,
                                               loaded_store: OxigraphStore, tmp_path: Path) -> None:
    data = Graph().parse(data=SMALL, format="turtle")
    export = export_rows(data, context, mappings, BASE)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for m in mappings:
        workbook.create_sheet(m.sheet).append([c.header for c in m.columns])
    fill_workbook(workbook, export)
    path = tmp_path / "liten.xlsx"
    workbook.save(path)
    _source, conversion = convert_workbook(path, loaded_store, region, mappings)
    assert conversion.problems == []
    assert isomorphic(conversion.graph, data)
    assert (URIRef(BASE + "finansiering/ruv-2024-0007-1"), URIRef("https://w3id.org/sparbar/def#amount"),
            Literal("2500000.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))) in conversion.graph
