"""Kolada (API v3) through the real client code, against recorded answers (tests/recorded/kolada/)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from recorded_api import (
    RECORDED,
    RecordedApi,
    copy_store,
    json_answer,
    kolada_api,
    kolada_recorded_values,
    quads,
    recorded,
)

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadPlan, apply, plan_region
from graph.settings import Region
from graph.validation import Validator
from loaders.indicators.areas import AreaIndex
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.kolada import unit_from_title
from loaders.indicators.plans import kolada_areas, kolada_source

SB = Namespace("https://w3id.org/sparbar/def#")
SEX = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
BASE = "https://w3id.org/sparbar/vastmanland/"
RETRIEVED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
AREAS = ["19", "1980", "1983"]
DATA_URL = "https://api.kolada.se/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023"


@pytest.fixture(scope="module")
def reference_store(region: Region, validator: Validator) -> Iterator[OxigraphStore]:
    """The bundled data without the example data: no indicator names Kolada's N00914 there."""
    without_example = replace(region, sources=tuple(s for s in region.sources if s.graph != "example"))
    store = OxigraphStore()
    apply(store, plan_region(without_example), without_example, validator)
    yield store
    store.close()


@pytest.fixture
def store(loaded_store: OxigraphStore) -> Iterator[OxigraphStore]:
    copy = copy_store(loaded_store)
    yield copy
    copy.close()


def fetch(store: OxigraphStore, region: Region, api: RecordedApi, years: list[int] | None = None):
    areas = kolada_areas(AreaIndex.from_store(store), region, AREAS)
    with api.client() as client:
        return kolada_source(store, region, client, "N00914", areas, years or [2022, 2023], RETRIEVED)


def test_the_fetch_of_a_new_key_figure_is_the_golden_graph(reference_store: OxigraphStore, region: Region) -> None:
    store = copy_store(reference_store)
    prepared = fetch(store, region, kolada_api())
    golden = Graph().parse(RECORDED / "expected" / "kolada-N00914.ttl")
    assert isomorphic(prepared.source.graphs[prepared.graph].rdflib, golden)
    assert prepared.graph == URIRef(BASE + "graph/kolada-n00914")
    assert prepared.minted == [URIRef(BASE + "indikator/kolada-n00914")]


def test_every_recorded_value_becomes_one_observation_and_pages_are_followed(store: OxigraphStore,
                                                                             region: Region) -> None:
    api = kolada_api()
    prepared = fetch(store, region, api)
    assert [str(r.url) for r in api.requests] == [
        "https://api.kolada.se/v3/kpi/N00914", DATA_URL, DATA_URL + "?page=2&per_page=3"]
    g = prepared.source.graphs[prepared.graph].rdflib
    sex_letter = {SEX["sex-T"]: "T", SEX["sex-F"]: "K", SEX["sex-M"]: "M"}
    area_id = {URIRef(BASE + "lan/19"): "0019", URIRef(BASE + "kommun/1980"): "1980",
               URIRef(BASE + "kommun/1983"): "1983"}
    found = {}
    for obs in g.subjects(RDF.type, SB.Observation):
        year = int(str(g.value(obs, SB.refPeriod)))
        found[(area_id[g.value(obs, SB.refArea)], year, sex_letter[g.value(obs, SB.sex)])] = \
            g.value(obs, SB.obsValue).toPython()
    assert found == kolada_recorded_values()
    assert prepared.observations == len(kolada_recorded_values())


def test_values_attach_to_the_indicator_that_names_the_kolada_id(store: OxigraphStore, region: Region) -> None:
    named = {s for s in store.graph(URIRef(region.graph_iri("example"))).subjects(SB.koladaId, Literal("N00914"))}
    assert len(named) == 1
    prepared = fetch(store, region, kolada_api())
    g = prepared.source.graphs[prepared.graph].rdflib
    assert set(g.objects(None, SB.indicator)) == named
    assert prepared.minted == [] and not list(g.subjects(RDF.type, SB.Indicator))


def test_the_fetch_lands_as_its_own_graph_with_provenance(store: OxigraphStore, region: Region,
                                                          validator: Validator) -> None:
    prepared = fetch(store, region, kolada_api())
    outcome = apply(store, LoadPlan([prepared.source]), region, validator, now=RETRIEVED)
    assert outcome.written == [prepared.graph]
    meta = store.graph(URIRef(region.meta_graph_iri))
    sources = {str(o) for o in meta.objects(prepared.graph, URIRef("http://purl.org/dc/terms/source"))}
    assert sources == {"https://api.kolada.se/v3/kpi/N00914", DATA_URL, DATA_URL + "?page=2&per_page=3"}
    stamp = meta.value(prepared.graph, URIRef("http://www.w3.org/ns/prov#generatedAtTime"))
    assert stamp.toPython() == RETRIEVED
    assert len(store.graph(prepared.graph)) == len(prepared.source.graphs[prepared.graph].rdflib)


def test_a_refetch_replaces_the_graph_and_updates_the_same_observations(store: OxigraphStore, region: Region,
                                                                        validator: Validator) -> None:
    first = fetch(store, region, kolada_api())
    apply(store, LoadPlan([first.source]), region, validator, now=RETRIEVED)
    changed = recorded("kolada/data-N00914-page1.json")
    changed["values"][0]["values"][2]["value"] = 12.5  # county, 2022, total
    changed["values"] = changed["values"][:1]
    changed["next_url"] = None
    api = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                             lambda _r: json_answer(changed))
    second = fetch(store, region, api)
    apply(store, LoadPlan([second.source]), region, validator, now=RETRIEVED)
    stored = store.graph(first.graph)
    observations = set(stored.subjects(RDF.type, SB.Observation))
    assert observations == set(second.source.graphs[second.graph].rdflib.subjects(RDF.type, SB.Observation))
    county_total = URIRef(BASE + "observation/kolada-n00914-19-2022-t")
    assert county_total in observations and len(observations) == 3
    assert stored.value(county_total, SB.obsValue).toPython() == Decimal("12.5")


@pytest.mark.parametrize("answer, expected", [
    (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("timed out", request=r)), "inget svar inom 5 sekunder"),
    (lambda r: httpx.Response(500, text="Internal Server Error"), "HTTP 500 Internal Server Error"),
    (lambda r: httpx.Response(200, text="<html>underhåll</html>"), "svaret är inte JSON"),
    (lambda r: json_answer({"data": []}), "fältet 'values' saknas"),
])
def test_api_failures_are_clear_errors_naming_the_url_and_change_nothing(
        store: OxigraphStore, region: Region, answer, expected: str) -> None:
    before = quads(store)
    api = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023", answer)
    with pytest.raises(IndicatorSourceError) as e:
        fetch(store, region, api)
    assert DATA_URL in e.value.sv and expected in e.value.sv
    assert DATA_URL in e.value.message("en") and "nothing was written" in e.value.message("en")
    assert quads(store) == before


def test_a_changed_format_names_the_missing_field(store: OxigraphStore, region: Region) -> None:
    changed = recorded("kolada/data-N00914-page1.json")
    for entry in changed["values"]:
        entry["year"] = entry.pop("period")  # as if the API renamed the field
    api = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                             lambda _r: json_answer(changed))
    before = quads(store)
    with pytest.raises(IndicatorSourceError, match=r"fältet 'values\[0\]\.period' saknas"):
        fetch(store, region, api)
    assert quads(store) == before


def test_an_area_the_store_does_not_know_is_a_clear_error(store: OxigraphStore, region: Region) -> None:
    changed = recorded("kolada/data-N00914-page1.json")
    changed["values"][1]["municipality"] = "0180"
    api = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                             lambda _r: json_answer(changed))
    with pytest.raises(IndicatorSourceError, match=r"okänd områdeskod '0180' i values\[1\]\.municipality"):
        fetch(store, region, api)
    with pytest.raises(IndicatorSourceError, match="--area 0999: okänd områdeskod"):
        kolada_areas(AreaIndex.from_store(store), region, ["0999"])


def test_an_unknown_key_figure_and_an_empty_answer_are_errors(store: OxigraphStore, region: Region) -> None:
    unknown = kolada_api().route("/v3/kpi/N00914", lambda _r: json_answer({"count": 0, "values": [], "next_url": None}))
    with pytest.raises(IndicatorSourceError, match="Kolada har inget nyckeltal med id N00914"):
        fetch(store, region, unknown)
    empty = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                               lambda _r: json_answer({"count": 0, "values": [], "next_url": None}))
    with pytest.raises(IndicatorSourceError, match="inga värden för urvalet"):
        fetch(store, region, empty)


def test_a_page_that_links_to_itself_is_not_followed_forever(store: OxigraphStore, region: Region) -> None:
    looping = recorded("kolada/data-N00914-page1.json")
    looping["next_url"] = DATA_URL
    api = kolada_api().route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                             lambda _r: json_answer(looping))
    with pytest.raises(IndicatorSourceError, match="redan hämtats"):
        fetch(store, region, api)


def test_default_areas_are_the_county_and_its_municipalities(loaded_store: OxigraphStore, region: Region) -> None:
    areas = kolada_areas(AreaIndex.from_store(loaded_store), region, None)
    municipalities = {str(r["m"]) for r in loaded_store.select(
        "SELECT ?m ?code WHERE { ?m <https://w3id.org/sparbar/def#inCounty> ?c . "
        "?c <https://w3id.org/sparbar/def#countyCode> ?code }", {"code": Literal(region.county_code)})}
    assert str(areas[0].iri) == BASE + "lan/" + region.county_code
    assert {str(a.iri) for a in areas[1:]} == municipalities and len(municipalities) == 10


@pytest.mark.parametrize("title, unit", [
    ("Invånare totalt, antal", "antal"), ("Förvärvsarbetande invånare 20-64 år, andel (%)", "andel (%)"),
    ("Utan enhet", None), (", antal", None), ("Slutar med komma,", None),
])
def test_the_unit_is_what_follows_the_last_comma_of_the_title(title: str, unit: str | None) -> None:
    assert unit_from_title(title) == unit


def test_long_year_lists_are_asked_in_batches_of_25(store: OxigraphStore, region: Region) -> None:
    years = list(range(1990, 2024))
    page = recorded("kolada/data-N00914-page1.json")
    page["next_url"] = None
    base = "/v3/data/kpi/N00914/municipality/0019,1980,1983/year/"
    first, second = ",".join(map(str, years[:25])), ",".join(map(str, years[25:]))
    api = (kolada_api()
           .route(base + first, lambda _r: json_answer({"count": 0, "values": [], "next_url": None}))
           .route(base + second, lambda _r: json_answer(page)))
    prepared = fetch(store, region, api, years=years)
    assert [r.url.path for r in api.requests[1:]] == [base + first, base + second]
    assert prepared.observations == sum(len(e["values"]) for e in page["values"])
