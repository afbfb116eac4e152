"""The authenticated write interface: SPARQL Update at /sparql/update and the Graph Store Protocol at /graphs.

Writes go to an on-disk copy of the bundled store. What a write leaves behind is read back through /sparql (the
query processes), so each test also shows that a write is visible to the endpoint — or that nothing changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from graph.graph_writes import content_checksum
from graph.oxigraph_store import OxigraphStore
from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app

SB = Namespace("https://w3id.org/sparbar/def#")
DATA = Path(__file__).parent / "data"
TOKEN = "hemligt-test-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
OK_INSATS = "https://w3id.org/sparbar/vastmanland/insats/test-cykelleder"
BAD_INSATS = "https://w3id.org/sparbar/vastmanland/insats/test-ingenstans"


@pytest.fixture(scope="module")
def template(loaded_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The bundled data on disk, copied (a checkpoint: milliseconds) for each test that writes."""
    path = tmp_path_factory.mktemp("template") / "store"
    loaded_store.snapshot(path)  # type: ignore[attr-defined]
    s = OxigraphStore(path)
    yield s
    s.close()


def serve(store: OxigraphStore, region: Region) -> TestClient:
    settings = Settings(store=store.path, update_token=TOKEN, query_workers=1)  # type: ignore[arg-type]
    return TestClient(create_app(settings, store, region))


@pytest.fixture
def store(template: OxigraphStore, tmp_path: Path) -> Iterator[OxigraphStore]:
    template.snapshot(tmp_path / "store")
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def client(store: OxigraphStore, region: Region) -> Iterator[TestClient]:
    with serve(store, region) as c:
        yield c


# Tests of refused writes share one store and app: each checks that the store did not change.
@pytest.fixture(scope="module")
def refusals_store(template: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    path = tmp_path_factory.mktemp("refusals") / "store"
    template.snapshot(path)
    s = OxigraphStore(path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def refusals(refusals_store: OxigraphStore, region: Region) -> Iterator[TestClient]:
    with serve(refusals_store, region) as c:
        yield c


def contents(store: Store) -> set[str]:
    return set(store.export("nq").decode("utf-8").splitlines())


def ask(client: TestClient, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return bool(json.loads(response.text)["boolean"])


def as_ntriples(path: Path) -> str:
    return Graph().parse(path).serialize(format="nt")


# --- off, and who may write --------------------------------------------------------------------------------
def test_writes_are_off_without_a_token(loaded_store: Store, region: Region, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(store=tmp_path / "store"), loaded_store, region))
    assert client.post("/sparql/update", content="CLEAR ALL", headers={
        **AUTH, "content-type": "application/sparql-update"}).status_code == 404
    assert client.put("/graphs", params={"graph": region.graph_iri("x")}, content=b"",
                      headers={**AUTH, "content-type": "text/turtle"}).status_code == 404
    assert client.delete("/graphs", params={"graph": region.graph_iri("example")}, headers=AUTH).status_code == 404


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"authorization": "Basic dXNlcjpwYXNz"}, 401),
    ({"authorization": "Bearer "}, 401),
    ({"authorization": "Bearer fel-token"}, 403),
    ({"authorization": f"Bearer {TOKEN}x"}, 403),
])
def test_missing_or_wrong_token_is_refused(refusals: TestClient, refusals_store: OxigraphStore, region: Region,
                                           headers: dict[str, str], status: int) -> None:
    before = contents(refusals_store)
    update = refusals.post("/sparql/update", content=f"DROP GRAPH <{region.graph_iri('example')}>",
                           headers={**headers, "content-type": "application/sparql-update"})
    body = (DATA / "insats-ok.ttl").read_bytes()
    put = refusals.put("/graphs", params={"graph": region.graph_iri("ny")}, content=body,
                       headers={**headers, "content-type": "text/turtle"})
    delete = refusals.delete("/graphs", params={"graph": region.graph_iri("example")}, headers=headers)
    for response in (update, put, delete):
        assert response.status_code == status
        if status == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert contents(refusals_store) == before


# --- Graph Store Protocol -----------------------------------------------------------------------------------
def test_put_valid_graph_is_written_recorded_and_visible(client: TestClient, store: OxigraphStore,
                                                         region: Region) -> None:
    name = region.graph_iri("test-insats")
    assert not ask(client, f"ASK {{ <{OK_INSATS}> ?p ?o }}")
    body = (DATA / "insats-ok.ttl").read_bytes()
    response = client.put("/graphs", params={"graph": name}, content=body,
                          headers={**AUTH, "content-type": "text/turtle"})
    assert response.status_code == 201, response.text
    expected = Graph().parse(DATA / "insats-ok.ttl")
    assert isomorphic(store.graph(URIRef(name)), expected)
    assert ask(client, f"ASK {{ GRAPH <{name}> {{ <{OK_INSATS}> a <{SB.Intervention}> }} }}")
    meta = store.graph(URIRef(region.meta_graph_iri))
    assert meta.value(URIRef(name), SB.sourcePath) == Literal("Graph Store Protocol")
    assert meta.value(URIRef(name), SB.checksum) == Literal(content_checksum(expected))
    fetched = client.get("/graphs", params={"graph": name}, headers={"accept": "application/n-triples"})
    assert fetched.status_code == 200
    assert isomorphic(Graph().parse(data=fetched.text, format="nt"), expected)
    # replacing it answers 200, not 201
    assert client.put("/graphs", params={"graph": name}, content=body,
                      headers={**AUTH, "content-type": "text/turtle"}).status_code == 200


def test_violation_is_refused_with_the_report_and_nothing_changes(refusals: TestClient, refusals_store: OxigraphStore,
                                                                  region: Region) -> None:
    before = contents(refusals_store)
    response = refusals.put("/graphs", params={"graph": region.graph_iri("test-insats")},
                            content=(DATA / "insats-violation.ttl").read_bytes(),
                            headers={**AUTH, "content-type": "text/turtle"})
    assert response.status_code == 409
    assert "inget skrevs" in response.text and BAD_INSATS in response.text
    assert contents(refusals_store) == before
    assert not ask(refusals, f"ASK {{ <{BAD_INSATS}> ?p ?o }}")


def test_post_merges_and_delete_removes(client: TestClient, store: OxigraphStore, region: Region) -> None:
    name = region.graph_iri("test-insats")
    ok = (DATA / "insats-ok.ttl").read_bytes()
    assert client.post("/graphs", params={"graph": name}, content=ok,
                       headers={**AUTH, "content-type": "text/turtle"}).status_code == 201
    extra = f'<{OK_INSATS}> <http://www.w3.org/2000/01/rdf-schema#comment> "Tillägg"@sv .\n'
    assert client.post("/graphs", params={"graph": name}, content=extra.encode(),
                       headers={**AUTH, "content-type": "application/n-triples"}).status_code == 200
    assert len(store.graph(URIRef(name))) == len(Graph().parse(data=ok, format="turtle")) + 1
    assert client.delete("/graphs", params={"graph": name}, headers=AUTH).status_code == 200
    assert URIRef(name) not in store.graph_names()
    assert not list(store.graph(URIRef(region.meta_graph_iri)).triples((URIRef(name), None, None)))
    assert not ask(client, f"ASK {{ <{OK_INSATS}> ?p ?o }}")
    assert client.get("/graphs", params={"graph": name}).status_code == 404
    assert client.delete("/graphs", params={"graph": name}, headers=AUTH).status_code == 404


def test_deleting_a_graph_others_depend_on_is_refused(refusals: TestClient, refusals_store: OxigraphStore,
                                                      region: Region) -> None:
    before = contents(refusals_store)
    response = refusals.delete("/graphs", params={"graph": region.graph_iri("rus")}, headers=AUTH)
    assert response.status_code == 409
    assert contents(refusals_store) == before


@pytest.mark.parametrize(("graph", "content_type", "body", "status"), [
    ("{base}graph/meta", "text/turtle", "<urn:a> <urn:b> <urn:c> .", 400),
    ("http://example.org/graf", "text/turtle", "<urn:a> <urn:b> <urn:c> .", 400),
    ("{base}graph/ny", "text/turtle", "<urn:a> <urn:b> .", 400),
    ("{base}graph/ny", "application/trig", "<urn:g> { <urn:a> <urn:b> <urn:c> . }", 415),
    ("{base}graph/ny", "text/plain", "<urn:a> <urn:b> <urn:c> .", 415),
])
def test_bad_graph_writes_are_refused(refusals: TestClient, refusals_store: OxigraphStore, region: Region,
                                      graph: str, content_type: str, body: str, status: int) -> None:
    before = contents(refusals_store)
    response = refusals.put("/graphs", params={"graph": graph.format(base=region.base_iri)}, content=body.encode(),
                            headers={**AUTH, "content-type": content_type})
    assert response.status_code == status
    assert "Ingenting skrevs" in response.text
    assert contents(refusals_store) == before


def test_syntax_errors_name_the_line(refusals: TestClient, region: Region) -> None:
    body = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n"
    response = refusals.put("/graphs", params={"graph": region.graph_iri("ny")}, content=body,
                            headers={**AUTH, "content-type": "text/turtle"})
    assert response.status_code == 400 and "rad 3" in response.text


# --- SPARQL Update ------------------------------------------------------------------------------------------
def test_update_insert_is_validated_written_and_visible(client: TestClient, store: OxigraphStore,
                                                        region: Region) -> None:
    name = region.graph_iri("uppdatering")
    update = f"INSERT DATA {{ GRAPH <{name}> {{\n{as_ntriples(DATA / 'insats-ok.ttl')}\n}} }}"
    response = client.post("/sparql/update", content=update,
                           headers={**AUTH, "content-type": "application/sparql-update"})
    assert response.status_code == 200, response.text
    assert name in response.text
    assert isomorphic(store.graph(URIRef(name)), Graph().parse(DATA / "insats-ok.ttl"))
    assert ask(client, f"ASK {{ GRAPH <{name}> {{ <{OK_INSATS}> ?p ?o }} }}")
    meta = store.graph(URIRef(region.meta_graph_iri))
    assert meta.value(URIRef(name), SB.sourcePath) == Literal("SPARQL Update")
    # form-encoded works too, and an update that changes nothing says so
    response = client.post("/sparql/update", data={"update": update}, headers=AUTH)
    assert response.status_code == 200 and "ändrade ingenting" in response.text


def test_update_that_breaks_the_data_is_refused(refusals: TestClient, refusals_store: OxigraphStore) -> None:
    """Removing every insats' goal breaks traceability: the store as it would be has Violations."""
    before = contents(refusals_store)
    update = ("PREFIX sb: <https://w3id.org/sparbar/def#> "
              "DELETE { GRAPH ?g { ?i sb:contributesTo ?d } } WHERE { GRAPH ?g { ?i sb:contributesTo ?d } }")
    response = refusals.post("/sparql/update", content=update,
                             headers={**AUTH, "content-type": "application/sparql-update"})
    assert response.status_code == 409
    assert "Violation" in response.text or "Fel" in response.text
    assert contents(refusals_store) == before
    assert ask(refusals, "ASK { ?i <https://w3id.org/sparbar/def#contributesTo> ?d }")


@pytest.mark.parametrize(("update", "message"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "standardgrafen"),
    ("INSERT DATA { GRAPH <META> { <urn:a> <urn:b> <urn:c> } }", "Metadatagrafen"),
    ("INSERT DATA { GRAPH <http://example.org/g> { <urn:a> <urn:b> <urn:c> } }", "skrivbara grafer"),
    ("CLEAR ALL", "Metadatagrafen"),
    ("LOAD <file:///etc/passwd> INTO GRAPH <BASEgraph/x>", "LOAD är inte tillåtet"),
    ("INSERT { GRAPH <BASEgraph/x> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
     "SERVICE är inte tillåtet"),
    ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> }", "Syntaxfel"),
])
def test_updates_that_break_the_rules_change_nothing(refusals: TestClient, refusals_store: OxigraphStore,
                                                     region: Region, update: str, message: str) -> None:
    before = contents(refusals_store)
    text = update.replace("META", region.meta_graph_iri).replace("BASE", region.base_iri)
    response = refusals.post("/sparql/update", content=text,
                             headers={**AUTH, "content-type": "application/sparql-update"})
    assert response.status_code == 400, response.text
    assert message in response.text
    assert contents(refusals_store) == before


def test_update_time_limit(store: OxigraphStore, region: Region) -> None:
    settings = Settings(store=store.path, update_token=TOKEN, query_timeout=1)  # type: ignore[arg-type]
    slow = (f"INSERT {{ GRAPH <{region.graph_iri('x')}> {{ <urn:a> <urn:b> ?n }} }} WHERE {{ "
            "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(10))
            + " } }")
    before = contents(store)
    with TestClient(create_app(settings, store, region)) as client:
        response = client.post("/sparql/update", content=slow,
                               headers={**AUTH, "content-type": "application/sparql-update"})
    assert response.status_code == 503 and "avbröts efter 1 s" in response.text
    assert contents(store) == before
