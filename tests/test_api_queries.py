"""Named queries as an API: the listing, each query as JSON, CSV and an HTML table with its parameters bound,
parameter errors as 400s naming the parameter, and the OpenAPI schema listing every query."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Namespace, URIRef

from graph.named_queries import QUERIES_DIR, parse_query_file
from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app

SB = Namespace("https://w3id.org/sparbar/def#")
BASE = "https://w3id.org/sparbar/vastmanland/"


@pytest.fixture(scope="module")
def client(loaded_store: Store, region: Region, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("api")
    return TestClient(create_app(Settings(store=tmp / "store", dumps=tmp / "dumps"), loaded_store, region))


@pytest.fixture(scope="module")
def municipalities(region: Region) -> set[str]:
    g = Graph()
    for source in region.sources:
        g.parse(source.path)
    return {str(s) for s in g.subjects(RDF.type, SB.Municipality)}


def query_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.rq"))


def test_listing_names_every_query_file_with_title_description_and_parameters(client: TestClient) -> None:
    listing = {q["name"]: q for q in client.get("/api/queries").json()}
    assert set(listing) == {p.stem for p in query_files()}
    for path in query_files():
        parsed = parse_query_file(path)
        entry = listing[path.stem]
        assert entry["title"] == parsed.title and entry["description"] == parsed.description
        assert [p["name"] for p in entry["parameters"]] == [p.name for p in parsed.parameters]
        assert entry["url"].endswith(f"/api/queries/{path.stem}")
    html = client.get("/api/queries", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert all(f"/api/queries/{p.stem}" in html.text for p in query_files())


def test_query_as_sparql_json_csv_and_html(client: TestClient, municipalities: set[str]) -> None:
    url = "/api/queries/class-members?class=" + quote(str(SB.Municipality), safe="")
    j = client.get(url)
    assert j.status_code == 200
    assert j.headers["content-type"].startswith("application/sparql-results+json")
    assert j.headers["access-control-allow-origin"] == "*"
    body = j.json()
    assert {b["resource"]["value"] for b in body["results"]["bindings"]} == municipalities
    c = client.get(url, headers={"Accept": "text/csv"})
    assert c.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(c.text)))
    assert {r["resource"] for r in rows} == municipalities
    assert list(rows[0]) == body["head"]["vars"]
    h = client.get(url + "&format=html")
    assert h.headers["content-type"].startswith("text/html")
    assert len(re.findall(r"<tr><td>", h.text)) == len(municipalities)
    assert h.headers["content-location"].startswith("/api/queries/class-members?class=")
    assert "format=html" in h.headers["content-location"]


def test_iri_parameters_may_be_paths_under_the_base(client: TestClient) -> None:
    full = client.get("/api/queries/insats-detail?insats=" + BASE + "insats/ruv-2023-0230").json()
    short = client.get("/api/queries/insats-detail?insats=insats/ruv-2023-0230").json()
    assert full == short
    assert full["results"]["bindings"][0]["insats"]["value"] == BASE + "insats/ruv-2023-0230"


@pytest.mark.parametrize(("query", "message"), [
    ("insats-detail?insats=insats/x&bogus=1", "bogus"),
    ("insats-detail", "insats"),
    ("insats-detail?insats=not%20an%20iri%20%3C%3E", "insats"),
    ("insats-detail?insats=a&insats=b", "insats"),
])
def test_bad_parameters_are_400_naming_the_parameter(client: TestClient, query: str, message: str) -> None:
    r = client.get("/api/queries/" + query)
    assert r.status_code == 400
    assert f"'{message}'" in r.text


def test_construct_query_answers_rdf(client: TestClient) -> None:
    r = client.get("/api/queries/resource-description?resource=insats/ruv-2023-0230", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(BASE + "insats/ruv-2023-0230"), RDF.type, SB.Intervention) in g


def test_unknown_query_is_404(client: TestClient) -> None:
    r = client.get("/api/queries/finns-inte")
    assert r.status_code == 404
    assert "finns-inte" in r.text


def test_openapi_lists_every_query_with_its_parameters(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in query_files():
        parsed = parse_query_file(path)
        op = schema["paths"][f"/api/queries/{path.stem}"]["get"]
        assert op["summary"] == parsed.title
        params = {p["name"]: p for p in op["parameters"]}
        for p in parsed.parameters:
            assert params[p.name]["required"] is (not p.optional)
        assert "format" in params
    assert client.get("/api/docs").status_code == 200
