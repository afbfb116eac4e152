"""/sparql on the bundled data: content negotiation, the query page, the Service Description, and the safety rules
(read-only, no SERVICE, no local files, size and nesting limits). Expected values come from the bundled files read
with rdflib, not from the endpoint."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from http_listener import Listener, listening
from rdflib import RDF, Graph, Namespace, URIRef

from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app

SB = Namespace("https://w3id.org/sparbar/def#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
COUNT_INSATSER = "PREFIX sb: <https://w3id.org/sparbar/def#> SELECT (COUNT(?i) AS ?n) { ?i a sb:Intervention }"
INSATSER = "PREFIX sb: <https://w3id.org/sparbar/def#> SELECT ?i { ?i a sb:Intervention } ORDER BY ?i"
CONSTRUCT = ("PREFIX sb: <https://w3id.org/sparbar/def#> "
             "CONSTRUCT { ?i a sb:Intervention } WHERE { ?i a sb:Intervention }")
ASK = "PREFIX sb: <https://w3id.org/sparbar/def#> ASK { ?i a sb:Intervention }"
DESCRIBE = "DESCRIBE <https://w3id.org/sparbar/vastmanland/rus>"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(loaded_store: Store, region: Region, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store=tmp_path_factory.mktemp("endpoint") / "store", max_query_bytes=20_000)
    with TestClient(create_app(settings, loaded_store, region)) as c:
        yield c


@pytest.fixture(scope="module")
def bundled(region: Region) -> Graph:
    g = Graph()
    for source in region.sources:
        g.parse(source.path)
    return g


def insatser(bundled: Graph) -> list[str]:
    return sorted(str(s) for s in set(bundled.subjects(RDF.type, SB.Intervention)))


# --- content negotiation -----------------------------------------------------------------------------------------
# (query, Accept header or None, expected media type or 406)
NEGOTIATION = [
    (INSATSER, None, "application/sparql-results+json"),
    (INSATSER, "*/*", "application/sparql-results+json"),
    (INSATSER, "application/sparql-results+json", "application/sparql-results+json"),
    (INSATSER, "application/json", "application/sparql-results+json"),
    (INSATSER, "application/sparql-results+xml", "application/sparql-results+xml"),
    (INSATSER, "application/xml", "application/sparql-results+xml"),
    (INSATSER, "text/csv", "text/csv"),
    (INSATSER, "text/tab-separated-values", "text/tab-separated-values"),
    (INSATSER, "text/*", "text/csv"),
    (INSATSER, "text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    (INSATSER, "application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    (INSATSER, "application/*;q=0.2, text/csv;q=0.3", "text/csv"),
    (INSATSER, "text/turtle", 406),
    (INSATSER, "image/png", 406),
    (ASK, None, "application/sparql-results+json"),
    (ASK, "application/sparql-results+xml", "application/sparql-results+xml"),
    (ASK, "text/csv", 406),
    (CONSTRUCT, None, "text/turtle"),
    (CONSTRUCT, "*/*", "text/turtle"),
    (CONSTRUCT, "application/ld+json", "application/ld+json"),
    (CONSTRUCT, "application/json", "application/ld+json"),
    (CONSTRUCT, "application/n-triples", "application/n-triples"),
    (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
    (CONSTRUCT, "application/rdf+xml;q=0.5, text/turtle;q=0.4", "application/rdf+xml"),
    (CONSTRUCT, "application/sparql-results+json", 406),
    (DESCRIBE, None, "text/turtle"),
    (DESCRIBE, "application/n-triples", "application/n-triples"),
]


@pytest.mark.parametrize(("query", "accept", "expected"), NEGOTIATION)
def test_content_negotiation(client: TestClient, query: str, accept: str | None, expected: str | int) -> None:
    headers = {"accept": accept} if accept is not None else {}
    for response in (
        client.get("/sparql", params={"query": query}, headers=headers),
        client.post("/sparql", content=query, headers={**headers, "content-type": "application/sparql-query"}),
    ):
        if expected == 406:
            assert response.status_code == 406
            assert "application/" in response.text  # the 406 lists what is offered
            continue
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == expected
        assert "Accept" in response.headers["vary"]
        assert response.headers["access-control-allow-origin"] == "*"


def test_no_accept_header_gets_sparql_results(client: TestClient) -> None:
    del client.headers["accept"]
    try:
        response = client.get("/sparql", params={"query": ASK})
    finally:
        client.headers["accept"] = "*/*"
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(response.text)["boolean"] is True


def test_every_format_carries_the_same_answer(client: TestClient, bundled: Graph) -> None:
    expected = insatser(bundled)
    assert expected
    for accept, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV)):
        body = client.get("/sparql", params={"query": INSATSER}, headers={"accept": accept}).content
        solutions = ox.parse_query_results(body, fmt)
        assert isinstance(solutions, ox.QuerySolutions)
        assert [s["i"].value for s in solutions] == expected  # type: ignore[union-attr]
    rows = list(csv.reader(io.StringIO(client.get("/sparql", params={"query": INSATSER},
                                                  headers={"accept": "text/csv"}).text)))
    assert rows[0] == ["i"] and [r[0] for r in rows[1:]] == expected
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        body = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept}).text
        assert sorted(str(s) for s in Graph().parse(data=body, format=fmt).subjects(RDF.type, SB.Intervention)) \
            == expected


def test_post_form_and_protocol_dataset(client: TestClient, bundled: Graph, region: Region) -> None:
    response = client.post("/sparql", data={"query": COUNT_INSATSER}, headers={"accept": "text/csv"})
    assert response.text.splitlines()[1] == str(len(insatser(bundled)))
    # default-graph-uri replaces the union: the ontology graph holds no insats
    response = client.post("/sparql", data={"query": COUNT_INSATSER, "default-graph-uri": region.graph_iri("ontology")},
                           headers={"accept": "text/csv"})
    assert response.text.splitlines()[1] == "0"


def test_format_parameter_for_links_and_the_plain_form(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": INSATSER, "format": "csv"},
                      headers={"accept": BROWSER}).headers["content-type"].startswith("text/csv")
    # json names JSON-LD for a CONSTRUCT
    assert client.get("/sparql", params={"query": CONSTRUCT, "format": "json"}).headers["content-type"] \
        .startswith("application/ld+json")
    assert client.get("/sparql", params={"query": ASK, "format": "csv"}).status_code == 406


def test_syntax_error_is_400_with_the_parsers_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("Syntaxfel i frågan:") and "1:" in response.text


# --- the query page and the Service Description ------------------------------------------------------------------
def test_browser_without_query_gets_the_query_page(client: TestClient, region: Region) -> None:
    response = client.get("/sparql", headers={"accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="sv">' in html
    assert '<label for="sparql-query">' in html and 'id="sparql-query"' in html
    assert "/static/yasgui/yasgui.min.js" in html and "cdn" not in html.lower()
    examples = json.loads(html.split('<script type="application/json" id="sparql-examples">')[1].split("</script>")[0])
    named = {p.stem for p in (Path(__file__).parents[1] / "queries").glob("*.rq")}
    assert {e["name"] for e in examples} == named
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert client.get("/static/sparql-page.js").status_code == 200


def test_browser_with_a_query_gets_it_in_the_editor(client: TestClient) -> None:
    html = client.get("/sparql", params={"query": "ASK { <x:a> ?p '<b>' }"}, headers={"accept": BROWSER}).text
    assert "ASK { &lt;x:a&gt; ?p &#39;&lt;b&gt;&#39; }" in html
    html = client.get("/sparql", params={"example": "strategy"}, headers={"accept": BROWSER}).text
    assert "# title:" in html
    # the page only shows a query: even one the endpoint would refuse goes into the editor, unrun
    response = client.get("/sparql", params={"query": "ASK { SERVICE <http://x> {} }"}, headers={"accept": BROWSER})
    assert response.status_code == 200 and "SERVICE &lt;http://x&gt;" in response.text


def test_service_description(client: TestClient, loaded_store: Store) -> None:
    for accept, fmt in ((None, "turtle"), ("*/*", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")):
        response = client.get("/sparql", headers={"accept": accept} if accept else {})
        assert response.status_code == 200
        g = Graph().parse(data=response.text, format=fmt)
        service = URIRef("http://testserver/sparql")
        assert (service, SD.endpoint, service) in g
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
        assert set(g.objects(None, SD.name)) == set(loaded_store.graph_names())


def test_service_description_uses_the_public_url(loaded_store: Store, region: Region, tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", public_url="https://sparbar.example.se/")
    response = TestClient(create_app(settings, loaded_store, region)).get("/sparql")
    endpoint = URIRef("https://sparbar.example.se/sparql")
    assert (endpoint, SD.endpoint, endpoint) in Graph().parse(data=response.text, format="turtle")


# --- safety ----------------------------------------------------------------------------------------------------
@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as server:
        yield server


def test_the_listener_would_see_a_service_call(listener: Listener) -> None:
    """The tests below mean something: pyoxigraph on its own does call SERVICE."""
    ox.Store().query(f"ASK {{ SERVICE SILENT <{listener.url}direct> {{}} }}")
    assert listener.hits == ["/direct"]


@pytest.mark.parametrize("spelling", [
    "SERVICE <{u}a> {{}}", "service <{u}b> {{}}", "SERVICE<{u}c>{{}}", "SERVICE SILENT <{u}d> {{}}",
    "SERVICE#comment\n<{u}e>{{}}", "SERVICEex:f{{}}", "sErViCe ex:g {{}}", "OPTIONAL {{ SERVICE ?x {{}} }}",
])
def test_service_is_refused(client: TestClient, listener: Listener, spelling: str) -> None:
    query = f"PREFIX ex: <{listener.url}> ASK {{ {spelling.format(u=listener.url)} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE är inte tillåtet" in response.text
    assert listener.hits == []


def test_service_in_strings_iris_and_comments_is_no_service(client: TestClient) -> None:
    query = 'ASK { ?s ?p "SERVICE <http://x> {}" . ?s ?p <http://x/SERVICE> } # SERVICE <http://x> {}'
    assert client.get("/sparql", params={"query": query}).status_code == 200


@pytest.mark.parametrize("query", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
    "BASE <file:///etc/> SELECT * FROMNAMED<passwd> { ?s ?p ?o }",
])
def test_local_files_are_refused(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "file:///etc/passwd" in response.text


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_local_files_are_refused_in_the_protocol_dataset(client: TestClient, param: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", param: "file:///etc/passwd"})
    assert response.status_code == 400 and "file:///etc/passwd" in response.text


def test_a_remote_dataset_graph_is_refused_and_never_fetched(client: TestClient, listener: Listener) -> None:
    for params in ({"query": f"ASK FROM <{listener.url}g> {{ ?s ?p ?o }}"},
                   {"query": f"ASK FROM NAMED <{listener.url}g> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                   {"query": "ASK { ?s ?p ?o }", "default-graph-uri": listener.url + "g"},
                   {"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": listener.url + "g"}):
        response = client.get("/sparql", params=params)
        assert response.status_code == 400
        assert f"<{listener.url}g>" in response.text and "finns inte" in response.text
    assert listener.hits == []


def test_a_graph_in_the_store_is_accepted_as_dataset(client: TestClient, loaded_store: Store) -> None:
    graph = str(loaded_store.graph_names()[0])
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": graph})
    assert response.status_code == 200 and json.loads(response.text)["boolean"] is True


@pytest.mark.parametrize(("method", "kwargs"), [
    ("GET", {"params": {"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"}}),
    ("POST", {"content": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
              "headers": {"content-type": "application/sparql-update"}}),
    ("POST", {"data": {"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"}}),
    ("POST", {"data": {"query": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"}}),
    ("POST", {"data": {"query": "DROP ALL"}}),
])
def test_updates_are_refused(client: TestClient, loaded_store: Store, method: str, kwargs: dict) -> None:
    before = loaded_store.graph_names()
    response = client.request(method, "/sparql", **kwargs)
    assert 400 <= response.status_code < 500
    assert loaded_store.graph_names() == before
    assert json.loads(client.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).text)["boolean"] is False


def test_other_methods_are_405(client: TestClient) -> None:
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405 and "GET" in response.headers["allow"]


def test_size_limit(client: TestClient) -> None:
    query = "ASK { ?s ?p ?o } # " + "x" * 20_000
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400 and "20000 byte" in response.text
    # a body far over the limit is not even read whole
    response = client.post("/sparql", content=query * 10, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413 and "20000 byte" in response.text


@pytest.mark.parametrize("brackets", ["{}", "()", "[]"])
def test_deep_nesting_is_refused_and_the_server_stays_up(client: TestClient, brackets: str) -> None:
    open_, close = brackets
    inner = {"{": "", "(": "1", "[": "<urn:p> 1"}[open_]
    query = "ASK { FILTER(" + open_ * 3000 + inner + close * 3000 + ") }"
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400 and "nästlad" in response.text
    assert json.loads(client.get("/sparql", params={"query": ASK}).text)["boolean"] is True


def test_moderate_nesting_within_the_limit_runs(client: TestClient) -> None:
    query = "ASK { FILTER(" + "(" * 90 + "true" + ")" * 90 + ") }"
    assert json.loads(client.get("/sparql", params={"query": query}).text)["boolean"] is True
