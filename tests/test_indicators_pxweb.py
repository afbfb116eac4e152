"""SCB's statistical database through PxWeb (API v2 GET and v1 POST, JSON-stat 2.0), through the real client
code against recorded answers (tests/recorded/scb/)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from itertools import product

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from recorded_api import RECORDED, RecordedApi, copy_store, file_answer, json_answer, quads, recorded

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadPlan, apply, plan_region
from graph.settings import Region
from graph.validation import Validator
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.fields import Answer
from loaders.indicators.jsonstat import decode
from loaders.indicators.plans import pxweb_source

SB = Namespace("https://w3id.org/sparbar/def#")
BASE = "https://w3id.org/sparbar/vastmanland/"
RETRIEVED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SELECTION = {"Region": ["19", "1980"], "Kon": ["1", "2"], "ContentsCode": ["BE0101N1"], "Tid": ["2022", "2023"]}
V2_PATH = "/api/v2/tables/TAB638/data"


@pytest.fixture
def store(loaded_store: OxigraphStore) -> Iterator[OxigraphStore]:
    copy = copy_store(loaded_store)
    yield copy
    copy.close()


def scb_api(answer=None) -> RecordedApi:
    return RecordedApi().route(V2_PATH, answer or file_answer("scb/TAB638-data.json"))


def fetch(store: OxigraphStore, region: Region, api: RecordedApi, **options):
    with api.client() as client:
        return pxweb_source(store, region, client, options.pop("table", "TAB638"),
                            options.pop("selection", SELECTION), RETRIEVED, **options)


def test_the_fetch_of_a_table_is_the_golden_graph(region: Region, validator: Validator) -> None:
    without_example = replace(region, sources=tuple(s for s in region.sources if s.graph != "example"))
    store = OxigraphStore()
    apply(store, plan_region(without_example), without_example, validator)
    prepared = fetch(store, region, scb_api())
    expected = Graph().parse(RECORDED / "expected" / "scb-TAB638.ttl")
    assert isomorphic(prepared.source.graphs[prepared.graph].rdflib, expected)
    assert prepared.graph == URIRef(BASE + "graph/scb-tab638")


def test_the_v2_request_asks_for_json_stat2_with_the_selection(store: OxigraphStore, region: Region) -> None:
    api = scb_api()
    fetch(store, region, api)
    (request,) = api.requests
    assert request.method == "GET" and request.url.host == "statistikdatabasen.scb.se"
    params = dict(request.url.params)
    assert params["outputFormat"] == "json-stat2" and params["lang"] == "sv"
    assert {k: v.split(",") for k, v in params.items() if k.startswith("valueCodes[")} == {
        f"valueCodes[{dim}]": codes for dim, codes in SELECTION.items()}


def test_cells_are_read_in_row_major_order(store: OxigraphStore, region: Region) -> None:
    """Each value lands on the categories its position names: last dimension fastest (JSON-stat 2.0)."""
    data = recorded("scb/TAB638-data.json")
    prepared = fetch(store, region, scb_api())
    g = prepared.source.graphs[prepared.graph].rdflib
    sex = {"1": "m", "2": "f"}
    codes = [list(data["dimension"][d]["category"]["index"]) for d in data["id"]]
    assert math.prod(len(c) for c in codes) == len(data["value"])
    expected = {}
    for value, (area, kon, _contents, year) in zip(data["value"], product(*codes), strict=True):
        if value is not None:
            expected[URIRef(f"{BASE}observation/scb-tab638-be0101n1-{area}-{year}-{sex[kon]}")] = Decimal(value)
    found = {o: g.value(o, SB.obsValue).toPython() for o in g.subjects(RDF.type, SB.Observation)}
    assert found == expected


def test_the_v1_api_is_asked_with_a_posted_query(store: OxigraphStore, region: Region) -> None:
    path = "/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy"
    api = RecordedApi().route(path, file_answer("scb/BefolkningNy-v1.json"))
    selection = {"Region": ["1983"], "ContentsCode": ["BE0101N1"], "Tid": ["2022", "2023"]}
    prepared = fetch(store, region, api, table="BE/BE0101/BE0101A/BefolkningNy", selection=selection)
    (request,) = api.requests
    assert request.method == "POST"
    assert json.loads(request.content) == {
        "query": [{"code": d, "selection": {"filter": "item", "values": v}} for d, v in selection.items()],
        "response": {"format": "json-stat2"}}
    g = prepared.source.graphs[prepared.graph].rdflib
    assert prepared.graph == URIRef(BASE + "graph/scb-befolkningny") and prepared.observations == 2
    assert {o.toPython() for o in g.objects(None, SB.obsValue)} == {Decimal(v) for v in
                                                                   recorded("scb/BefolkningNy-v1.json")["value"]}


def test_an_existing_indicator_can_receive_the_values(store: OxigraphStore, region: Region,
                                                      validator: Validator) -> None:
    indicator = URIRef(BASE + "indikator/rus-delmal-1-barn-i-hushall-med-lag-inkomst")
    prepared = fetch(store, region, scb_api(), indicator=indicator, name="scb-befolkning-test")
    g = prepared.source.graphs[prepared.graph].rdflib
    assert set(g.objects(None, SB.indicator)) == {indicator} and prepared.minted == []
    assert prepared.graph == URIRef(BASE + "graph/scb-befolkning-test")
    apply(store, LoadPlan([prepared.source]), region, validator, now=RETRIEVED)
    assert len(store.graph(prepared.graph)) == len(g)


def changed(edit) -> RecordedApi:
    data = recorded("scb/TAB638-data.json")
    edit(data)
    return scb_api(lambda _r: json_answer(data))


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d.pop("dimension"), "fältet 'dimension' saknas"),
    (lambda d: d["dimension"]["Kon"]["category"].pop("index"), "fältet 'dimension.Kon.category.index' saknas"),
    (lambda d: d.update(value=d["value"][:5]), "fältet 'value' har 5 värden men dimensionerna ger 8"),
    (lambda d: d.update({"class": "collection"}), "fältet 'class' ska vara 'dataset'"),
    (lambda d: d.update(version="3.0"), "fältet 'version' är '3.0'"),
])
def test_a_changed_format_is_a_clear_error_and_changes_nothing(store: OxigraphStore, region: Region, edit,
                                                               expected: str) -> None:
    before = quads(store)
    with pytest.raises(IndicatorSourceError) as e:
        fetch(store, region, changed(edit))
    assert expected in e.value.sv and "statistikdatabasen.scb.se/api/v2/tables/TAB638/data" in e.value.sv
    assert quads(store) == before


def test_an_area_outside_the_store_is_a_clear_error(store: OxigraphStore, region: Region) -> None:
    def riket(d: dict) -> None:
        d["dimension"]["Region"]["category"] = {"index": {"00": 0, "1980": 1}, "label": {"00": "Riket",
                                                                                         "1980": "Västerås"}}
    with pytest.raises(IndicatorSourceError, match=r"okänd områdeskod '00' \(Riket\) i dimensionen Region"):
        fetch(store, region, changed(riket))


def test_only_yearly_periods_are_accepted(store: OxigraphStore, region: Region) -> None:
    def monthly(d: dict) -> None:
        d["dimension"]["Tid"]["category"] = {"index": {"2024M01": 0, "2024M02": 1}}
    with pytest.raises(IndicatorSourceError, match="tidsperioden '2024M01' i dimensionen Tid är inte ett år"):
        fetch(store, region, changed(monthly))


def test_several_measures_need_several_indicators(store: OxigraphStore, region: Region) -> None:
    def two_measures(d: dict) -> None:
        d["dimension"]["ContentsCode"]["category"]["index"] = {"BE0101N1": 0, "BE0101N2": 1}
        d["size"][2] = 2
        d["value"] = [v for v in d["value"] for _ in range(2)]
        d["status"] = {}
    prepared = fetch(store, region, changed(two_measures))
    assert sorted(prepared.minted) == [URIRef(BASE + "indikator/scb-tab638-be0101n1"),
                                       URIRef(BASE + "indikator/scb-tab638-be0101n2")]
    with pytest.raises(IndicatorSourceError, match="urvalet har 2 mått"):
        fetch(store, region, changed(two_measures),
              indicator=URIRef(BASE + "indikator/rus-delmal-4-avsaknad-av-tillit"))


def test_an_unknown_indicator_is_refused(store: OxigraphStore, region: Region) -> None:
    with pytest.raises(IndicatorSourceError, match="ingen indikator"):
        fetch(store, region, scb_api(), indicator=URIRef(BASE + "rus/delmal/1"))


def test_json_stat_sparse_values_array_index_and_status_forms() -> None:
    """JSON-stat allows `index` as an array, `value` as an object {position: value} and `status` as a string."""
    ds = decode(Answer({
        "version": "2.0", "class": "dataset", "id": ["a", "b"], "size": [2, 2],
        "dimension": {"a": {"category": {"index": ["x", "y"]}}, "b": {"category": {"index": {"p": 1, "q": 0}}}},
        "value": {"1": 5, "2": 7}, "status": "p",
    }, "https://example.org/x"))
    assert [(c.codes, c.value, c.status) for c in ds.cells] == [
        ({"a": "x", "b": "q"}, None, "p"), ({"a": "x", "b": "p"}, Decimal(5), "p"),
        ({"a": "y", "b": "q"}, Decimal(7), "p"), ({"a": "y", "b": "p"}, None, "p")]
