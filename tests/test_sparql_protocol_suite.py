"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run against the app.

Every query test and every `bad_*` test runs exactly as the manifest describes it (method, path, headers, body in
its character encoding, no Accept header); the `update_*` tests, whose first request is an update, must get a 4xx
from the read-only `/sparql`. The data files are loaded as the named graphs the manifest names, and data0.rdf,
which the manifest names without data, as an empty graph.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region, Settings
from server.app import create_app

SUITE = Path(__file__).parent / "conformance" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]


def _manifest() -> Graph:
    return Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())


def _tests() -> list[ProtocolTest]:
    g = _manifest()
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            header_list = g.value(req, HT.headers)
            for h in Collection(g, header_list) if header_list is not None else []:
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {int(str(s).rsplit("StatusCode", 1)[1][0]) for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(Request(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                headers=headers,
                body=body,
                statuses=statuses,
                expected_format=str(fmt) if fmt is not None else None,
                expected_boolean=boolean.toPython() if boolean is not None else None,
            ))
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[1], requests))
    return tests


DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
TESTS = _tests()
QUERY_TESTS = [t for t in TESTS if t.name.startswith(("query_", "bad_"))]
UPDATE_TESTS = [t for t in TESTS if t.name.startswith("update_")]


def _graph_data() -> dict[str, Path]:
    """Every ut:graphData of the manifest: graph name (its rdfs:label) → data file."""
    g = _manifest()
    return {str(g.value(d, RDFS.label)): Path(str(g.value(d, UT.graph)).removeprefix("file://"))
            for d in g.objects(None, UT.graphData)}


@pytest.fixture(scope="module")
def client(region: Region, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = OxigraphStore()
    graphs = {URIRef(name): Graph().parse(path, format="nt") for name, path in _graph_data().items()}
    store.replace_graphs(graphs, URIRef(region.meta_graph_iri), Graph())
    # `query_post_form` and others name data0.rdf, for which the manifest gives no data: the endpoint refuses a
    # graph it does not hold, so the fixture holds it, empty, as a deployment serving the suite's data would.
    store._store.add_graph(ox.NamedNode(DATA0))
    settings = Settings(store=tmp_path_factory.mktemp("protocol") / "store")
    with TestClient(create_app(settings, store, region)) as c:
        c.headers.pop("accept", None)  # the manifest's requests send none
        yield c


def test_the_manifest_is_read_whole() -> None:
    assert len(QUERY_TESTS) == 27 and len(UPDATE_TESTS) == 7
    assert len(_graph_data()) == 3 and all(p.is_file() for p in _graph_data().values())


def _check_format(request: Request, response_type: str, body: bytes) -> None:
    media = response_type.split(";")[0].strip()
    if request.expected_format == "boolean":
        assert media in RESULT_TYPES, response_type
        result = ox.parse_query_results(body, RESULT_TYPES[media])
        assert isinstance(result, ox.QueryBoolean)
        if request.expected_boolean is not None:
            assert bool(result) is request.expected_boolean
    elif request.expected_format == "tabular":
        assert media in (*RESULT_TYPES, "text/csv"), response_type
        if media == "text/csv":
            assert next(csv.reader(io.StringIO(body.decode("utf-8"))))
        else:
            assert isinstance(ox.parse_query_results(body, RESULT_TYPES[media]), ox.QuerySolutions)
    elif request.expected_format == "RDF":
        assert media in RDF_TYPES, response_type
        list(ox.parse(body, RDF_TYPES[media]))


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_protocol(client: TestClient, test: ProtocolTest) -> None:
    for request in test.requests:
        response = client.request(request.method, request.path, headers=request.headers, content=request.body)
        assert response.status_code // 100 in request.statuses, (response.status_code, response.text)
        if request.expected_format:
            _check_format(request, response.headers["content-type"], response.content)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_updates_are_refused_by_the_read_only_endpoint(client: TestClient, test: ProtocolTest) -> None:
    update = test.requests[0]
    response = client.request(update.method, update.path, headers=update.headers, content=update.body)
    assert 400 <= response.status_code < 500, response.text
    # and nothing changed: the three graphs are still there
    check = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"accept": "text/csv"})
    assert check.text.splitlines()[1] == "3"
