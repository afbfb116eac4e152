"""Open SDG tidy CSV files (tests/recorded/opensdg/) imported through the real reader and the shared builder."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS
from recorded_api import RECORDED, copy_store, quads

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadPlan, apply, plan_region
from graph.settings import Region
from graph.validation import Validator
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.observations import canonical_decimal, slug
from loaders.indicators.opensdg import indicator_id_from_name
from loaders.indicators.plans import opensdg_source

SB = Namespace("https://w3id.org/sparbar/def#")
SEX = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
BASE = "https://w3id.org/sparbar/vastmanland/"
FILE = RECORDED / "opensdg" / "indicator_8-5-2.csv"
PUBLISHED = "https://example.org/opensdg/data/indicator_8-5-2.csv"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(loaded_store: OxigraphStore) -> Iterator[OxigraphStore]:
    copy = copy_store(loaded_store)
    yield copy
    copy.close()


def write(tmp_path: Path, text: str, name: str = "indicator_8-5-2.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_import_is_the_golden_graph(region: Region, validator: Validator) -> None:
    without_example = replace(region, sources=tuple(s for s in region.sources if s.graph != "example"))
    store = OxigraphStore()
    apply(store, plan_region(without_example), without_example, validator)
    prepared = opensdg_source(store, region, FILE, NOW, published_at=PUBLISHED)
    assert isomorphic(prepared.source.graphs[prepared.graph].rdflib,
                      Graph().parse(RECORDED / "expected" / "opensdg-8-5-2.ttl"))


def test_every_row_with_a_value_is_one_observation(store: OxigraphStore, region: Region) -> None:
    prepared = opensdg_source(store, region, FILE, NOW)
    g = prepared.source.graphs[prepared.graph].rdflib
    sex = {"": SEX["sex-T"], "Female": SEX["sex-F"], "Male": SEX["sex-M"]}
    area = {"19": URIRef(BASE + "lan/19"), "1980": URIRef(BASE + "kommun/1980")}
    with FILE.open(encoding="utf-8") as f:
        expected = {(area[r["GeoCode"]], r["Year"], sex[r["Sex"]], f"Age={r['Age']}" if r["Age"] else None,
                     Decimal(r["Value"])) for r in csv.DictReader(f) if r["Value"]}
    found = {(g.value(o, SB.refArea), str(g.value(o, SB.refPeriod)), g.value(o, SB.sex),
              str(b) if (b := g.value(o, SB.breakdown)) else None, g.value(o, SB.obsValue).toPython())
             for o in g.subjects(RDF.type, SB.Observation)}
    assert found == expected


def test_a_new_indicator_is_matched_to_the_un_indicator(store: OxigraphStore, region: Region) -> None:
    prepared = opensdg_source(store, region, FILE, NOW)
    g = prepared.source.graphs[prepared.graph].rdflib
    (indicator,) = prepared.minted
    un = {r["i"] for r in store.select("SELECT ?i ?n WHERE { ?i <http://www.w3.org/2004/02/skos/core#notation> ?n }",
                                       {"n": Literal("8.5.2")})}
    assert set(g.objects(indicator, SKOS.closeMatch)) == un and un
    assert g.value(indicator, SB.unitOfMeasure) == Literal("Percentage")


def test_the_import_lands_with_the_file_as_source_path(store: OxigraphStore, region: Region,
                                                       validator: Validator) -> None:
    prepared = opensdg_source(store, region, FILE, NOW, published_at=PUBLISHED)
    apply(store, LoadPlan([prepared.source]), region, validator)
    meta = store.graph(URIRef(region.meta_graph_iri))
    assert str(meta.value(prepared.graph, SB.sourcePath)) == "tests/recorded/opensdg/indicator_8-5-2.csv"
    assert meta.value(prepared.graph, URIRef("http://purl.org/dc/terms/source")) == URIRef(PUBLISHED)


def test_the_values_can_go_to_an_existing_indicator(store: OxigraphStore, region: Region) -> None:
    indicator = URIRef(BASE + "indikator/rus-delmal-19-andel-sysselsatta")
    prepared = opensdg_source(store, region, FILE, NOW, indicator=indicator)
    assert set(prepared.source.graphs[prepared.graph].rdflib.objects(None, SB.indicator)) == {indicator}
    assert prepared.minted == []


def test_the_indicator_id_comes_from_the_name_or_the_option(store: OxigraphStore, region: Region,
                                                            tmp_path: Path) -> None:
    assert indicator_id_from_name(Path("indicator_8-5-2.csv")) == "8.5.2"
    assert indicator_id_from_name(Path("indicator_11-a-1.csv")) == "11.a.1"
    assert indicator_id_from_name(Path("data.csv")) is None
    renamed = write(tmp_path, FILE.read_text(encoding="utf-8"), "arbetsloshet.csv")
    with pytest.raises(IndicatorSourceError, match="ange indikatorns id med --sdg"):
        opensdg_source(store, region, renamed, NOW)
    assert opensdg_source(store, region, renamed, NOW, sdg_id="8.5.2").graph == URIRef(BASE + "graph/opensdg-8-5-2")


@pytest.mark.parametrize("text, expected", [
    ("Year,GeoCode,Value\n2021,19,7.9\n2022,19,sju\n", r"indicator_8-5-2.csv:3, kolumn Value: 'sju' är inte ett tal"),
    ("Year,GeoCode,Value\n21,19,7.9\n", r"indicator_8-5-2.csv:2, kolumn Year: '21' är inte ett årtal"),
    ("Year,GeoCode,Value\n2021,0180,7.9\n", r":2, kolumn GeoCode: okänd områdeskod '0180'"),
    ("Year,GeoCode,Value\n2021,,7.9\n", r":2, kolumn GeoCode: raden saknar GeoCode"),
    ("Year,Sex,GeoCode,Value\n2021,Okänt,19,7.9\n", r":2, kolumn Sex: okänt kön 'Okänt'"),
    ("Year,GeoCode\n2021,19\n", r":1, kolumn Value: kolumnen Value saknas"),
    ("Year,GeoCode,Value\n2021,19,7.9,extra\n", r":2: raden har fler fält än rubrikraden"),
    ("Year,GeoCode,Value\n2021,19,7.9\n2021,19,8.0\n", r":3: samma indikator, område, år, kön och uppdelning som .*:2"),
    ("Year,GeoCode,Value\n2021,19,\n", r"inga värden för urvalet"),
])
def test_bad_rows_are_named_by_line_and_column_and_change_nothing(store: OxigraphStore, region: Region,
                                                                  tmp_path: Path, text: str, expected: str) -> None:
    before = quads(store)
    with pytest.raises(IndicatorSourceError, match=expected):
        opensdg_source(store, region, write(tmp_path, text), NOW)
    assert quads(store) == before


def test_rows_without_geocode_take_the_given_area(store: OxigraphStore, region: Region, tmp_path: Path) -> None:
    prepared = opensdg_source(store, region, write(tmp_path, "Year,Value\n2021,7.9\n"), NOW, default_area="1980")
    g = prepared.source.graphs[prepared.graph].rdflib
    assert set(g.objects(None, SB.refArea)) == {URIRef(BASE + "kommun/1980")}
    with pytest.raises(IndicatorSourceError, match="--area 99: okänd områdeskod"):
        opensdg_source(store, region, FILE, NOW, default_area="99")


def test_several_units_keep_their_values_apart(store: OxigraphStore, region: Region, tmp_path: Path) -> None:
    text = "Year,Units,GeoCode,Value\n2021,Percentage,19,7.9\n2021,Number,19,11800\n"
    prepared = opensdg_source(store, region, write(tmp_path, text), NOW)
    g = prepared.source.graphs[prepared.graph].rdflib
    assert {(str(g.value(o, SB.breakdown)), str(g.value(o, SB.unitOfMeasure)))
            for o in g.subjects(RDF.type, SB.Observation)} == {("Units=Percentage", "Percentage"),
                                                                ("Units=Number", "Number")}


@pytest.mark.parametrize("raw, lexical", [("139000", "139000.0"), ("7.50", "7.5"), ("1.39E+5", "139000.0"),
                                          ("-0.25", "-0.25")])
def test_decimals_are_written_in_canonical_form(raw: str, lexical: str) -> None:
    assert canonical_decimal(Decimal(raw)) == lexical


def test_slugs_follow_the_design_rule() -> None:
    assert slug("Kolada", "N00914") == "kolada-n00914"
    assert slug("scb", "Ålder=20-64 år; Kön") == "scb-alder-20-64-ar-kon"
