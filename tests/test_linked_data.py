"""Dereferenceable resources: content negotiation, the headers of every representation, 404s, the description's
content, JSON-LD embedded in the HTML, and the vocabulary documentation at /def and /shapes.

Expected descriptions are computed with rdflib from the bundled Turtle files, not with the server's own query.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, SH, SKOS, XSD

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region, Settings
from graph.store import Store
from ontology import ONTOLOGY_PATH
from server.app import create_app
from shapes import SHAPES_PATH

SB = Namespace("https://w3id.org/sparbar/def#")
BASE = "https://w3id.org/sparbar/vastmanland/"
INSATS = "insats/ruv-2023-0230"
GRAPH = "graph/example"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_FORMAT = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                 "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads"}
LABELS = (SKOS.prefLabel, RDFS.label, DCTERMS.title)


@pytest.fixture(scope="module")
def client(loaded_store: Store, region: Region, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("ld")
    return TestClient(create_app(Settings(store=tmp / "store", dumps=tmp / "dumps"), loaded_store, region))


@pytest.fixture(scope="module")
def bundled(region: Region) -> Graph:
    g = Graph()
    for source in region.sources:
        g.parse(source.path)
    return g


def media(response) -> str:  # type: ignore[no-untyped-def]
    return response.headers["content-type"].split(";")[0].strip()


def parsed(response) -> Graph:  # type: ignore[no-untyped-def]
    fmt = RDFLIB_FORMAT[media(response)]
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=response.content, format=fmt)
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(data=response.content, format=fmt)


# --- content negotiation: Accept → Content-Type ---------------------------------------------------------
NEGOTIATION = [
    # (path, Accept, expected media type or status)
    (INSATS, None, "text/html"),
    (INSATS, "*/*", "text/html"),
    (INSATS, BROWSER, "text/html"),
    (INSATS, "text/html", "text/html"),
    (INSATS, "text/turtle", "text/turtle"),
    (INSATS, "application/ld+json", "application/ld+json"),
    (INSATS, "application/json", "application/ld+json"),
    (INSATS, "application/n-triples", "application/n-triples"),
    (INSATS, "application/rdf+xml", "application/rdf+xml"),
    (INSATS, "text/*", "text/html"),
    (INSATS, "application/*", "application/ld+json"),
    (INSATS, "text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml"),
    (INSATS, "application/rdf+xml;q=0.2, */*;q=0.1", "application/rdf+xml"),
    (INSATS, "text/html;q=0, */*", "text/turtle"),
    (INSATS, "text/turtle;q=0.9, application/n-triples", "application/n-triples"),
    (INSATS, "application/trig", 406),
    (INSATS, "application/n-quads", 406),
    (INSATS, "image/png", 406),
    (INSATS, "text/turtle;q=0", 406),
    ("rus/delmal/1", "text/turtle", "text/turtle"),
    ("kos/funding-kind/one-to-one", "text/turtle", "text/turtle"),
    (GRAPH, "application/trig", "application/trig"),
    (GRAPH, "application/n-quads", "application/n-quads"),
    (GRAPH, "application/n-quads;q=0.5, application/trig", "application/trig"),
    (GRAPH, "text/turtle", "text/turtle"),
    (GRAPH, None, "text/html"),
]


@pytest.mark.parametrize(("path", "accept", "expected"), NEGOTIATION)
def test_accept_header_chooses_the_representation(client: TestClient, path: str, accept: str | None,
                                                  expected: str | int) -> None:
    r = client.get("/" + path, headers={"Accept": accept} if accept is not None else {})
    if isinstance(expected, int):
        assert r.status_code == expected
        offered = r.text
        for media_type in ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml"):
            assert media_type in offered, "a 406 lists every offered type"
        return
    assert r.status_code == 200, r.text
    assert media(r) == expected
    if expected != "text/html":
        g = parsed(r)
        iri = URIRef(BASE + path) if not path.startswith("kos/") else URIRef("https://w3id.org/sparbar/kos/" + path[4:])
        assert (iri, None, None) in g or (None, None, iri) in g or expected in ("application/trig",
                                                                                  "application/n-quads")


@pytest.mark.parametrize(("fmt", "expected"), [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                                ("nt", "application/n-triples"), ("rdfxml", "application/rdf+xml"),
                                                ("html", "text/html")])
def test_format_parameter_overrides_accept(client: TestClient, fmt: str, expected: str) -> None:
    r = client.get(f"/{INSATS}?format={fmt}", headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert media(r) == expected
    assert r.headers["content-location"] == f"/{INSATS}?format={fmt}"


def test_unknown_format_name_is_a_400_naming_the_parameter(client: TestClient) -> None:
    r = client.get(f"/{INSATS}?format=yaml")
    assert r.status_code == 400
    assert "format" in r.text and "yaml" in r.text and "ttl" in r.text


def test_malformed_accept_header_is_a_400(client: TestClient) -> None:
    r = client.get("/" + INSATS, headers={"Accept": "garbage"})
    assert r.status_code == 400
    assert "Accept" in r.text


# --- headers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "accept", "variants"), [
    (INSATS, "text/turtle", {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                             "application/rdf+xml"}),
    (INSATS, BROWSER, {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                       "application/rdf+xml"}),
    (GRAPH, "application/trig", {"text/html", "text/turtle", "application/ld+json", "application/n-triples",
                                 "application/rdf+xml", "application/trig", "application/n-quads"}),
])
def test_every_representation_has_vary_location_links_etag_and_cors(client: TestClient, path: str, accept: str,
                                                                     variants: set[str]) -> None:
    r = client.get("/" + path, headers={"Accept": accept})
    chosen = media(r)
    assert r.headers["vary"] == "Accept"
    assert r.headers["access-control-allow-origin"] == "*"
    location = r.headers["content-location"]
    assert location.startswith(f"/{path}?format=")
    links = dict(re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', r.headers["link"]))
    assert set(links.values()) == variants - {chosen}, "one alternate per other variant"
    for href, media_type in links.items():
        alt = client.get(href)
        assert alt.status_code == 200 and media(alt) == media_type
    assert r.headers["etag"].startswith('W/"')


def test_if_none_match_gives_304_and_variants_have_their_own_etags(client: TestClient) -> None:
    ttl = client.get("/" + INSATS, headers={"Accept": "text/turtle"})
    html = client.get("/" + INSATS, headers={"Accept": "text/html"})
    assert ttl.headers["etag"] != html.headers["etag"]
    again = client.get("/" + INSATS, headers={"Accept": "text/turtle", "If-None-Match": ttl.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == ttl.headers["etag"]
    assert again.headers["vary"] == "Accept"
    other = client.get("/" + INSATS, headers={"Accept": "text/turtle", "If-None-Match": html.headers["etag"]})
    assert other.status_code == 200
    assert client.get("/" + INSATS, headers={"If-None-Match": "*"}).status_code == 304


def test_etag_changes_when_the_data_changes(region: Region, tmp_path: Path) -> None:
    store = OxigraphStore()
    name = URIRef(BASE + "graph/tiny")
    meta = URIRef(region.meta_graph_iri)
    thing = URIRef(BASE + "aktor/tiny")

    def load(label: str) -> None:
        g = Graph()
        g.add((thing, RDFS.label, Literal(label, lang="sv")))
        m = Graph()
        m.add((name, SB.checksum, Literal("sha256:" + label)))
        store.replace_graphs({name: g}, meta, m)

    load("Ett")
    client = TestClient(create_app(Settings(store=tmp_path / "s", dumps=tmp_path / "d"), store, region))
    first = client.get("/aktor/tiny", headers={"Accept": "text/turtle"})
    assert client.get("/aktor/tiny", headers={"Accept": "text/turtle",
                                              "If-None-Match": first.headers["etag"]}).status_code == 304
    load("Två")
    second = client.get("/aktor/tiny", headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert (thing, RDFS.label, Literal("Två", lang="sv")) in parsed(second)


# --- 404 and CORS ---------------------------------------------------------------------------------------------
def test_unknown_iri_is_404_html_for_browsers_text_for_rdf_clients(client: TestClient) -> None:
    browser = client.get("/insats/finns-inte", headers={"Accept": BROWSER})
    assert browser.status_code == 404
    assert media(browser) == "text/html"
    assert "Sidan finns inte" in browser.text
    rdf = client.get("/insats/finns-inte", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404
    assert media(rdf) == "text/plain"
    assert BASE + "insats/finns-inte" in rdf.text
    assert rdf.headers["access-control-allow-origin"] == "*"
    assert client.get("/insats/%20bad%3Ciri", headers={"Accept": "text/turtle"}).status_code == 404


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    r = client.head("/" + INSATS, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert media(r) == "text/turtle"
    assert r.headers["etag"] == client.get("/" + INSATS, headers={"Accept": "text/turtle"}).headers["etag"]


# --- the description ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [INSATS, "rus/delmal/1", "aktor/region-vastmanland"])
def test_description_has_own_statements_linked_labels_and_types_and_incoming_links(
        client: TestClient, bundled: Graph, path: str) -> None:
    iri = URIRef(BASE + path)
    got = parsed(client.get("/" + path, headers={"Accept": "text/turtle"}))
    own = set(bundled.triples((iri, None, None)))
    incoming = {t for t in bundled.triples((None, None, iri)) if isinstance(t[0], URIRef)}
    assert own and incoming, "the chosen resources link both ways"
    linked = {o for p, o in bundled.predicate_objects(iri) if isinstance(o, URIRef) and p != RDF.type}
    linked |= {s for s, _, _ in incoming}
    neighbours = set()
    for n in linked:
        neighbours |= set(bundled.triples((n, RDF.type, None)))
        for prop in LABELS:
            neighbours |= {t for t in bundled.triples((n, prop, None))
                           if isinstance(t[2], Literal) and (t[2].language or "en")[:2] in ("sv", "en")}
    for t in own | incoming | neighbours:
        assert t in got, f"missing {t}"
    # and nothing else: every triple is about the resource or a type/label of a neighbour
    for s, p, o in got:
        assert s == iri or o == iri or (s in linked and (p == RDF.type or p in LABELS)), (s, p, o)


def test_named_graph_answers_its_content_as_trig_and_nquads(client: TestClient, loaded_store: Store) -> None:
    name = URIRef(BASE + GRAPH)
    expected = loaded_store.graph(name)
    for accept in ("application/trig", "application/n-quads"):
        r = client.get("/" + GRAPH, headers={"Accept": accept})
        ds = ox.parse(r.content, ox.RdfFormat.TRIG if "trig" in accept else ox.RdfFormat.N_QUADS)
        quads = list(ds)
        assert {q.graph_name for q in quads} == {ox.NamedNode(str(name))}
        assert isomorphic(parsed(r), expected)


def test_json_ld_uses_the_published_context_inline(client: TestClient) -> None:
    r = client.get("/" + INSATS, headers={"Accept": "application/ld+json"})
    doc = r.json()
    context = client.get("/context.jsonld").json()["@context"]
    assert doc["@context"] == context
    assert context["owner"] == {"@id": "sb:owner", "@type": "@id"}
    assert context["sb"] == str(SB)
    # pyoxigraph refuses remote contexts; an inline one it reads
    quads = list(ox.parse(r.content, ox.RdfFormat.JSON_LD))
    assert len(quads) == len(parsed(client.get("/" + INSATS, headers={"Accept": "text/turtle"})))


def embedded_json_ld(html: str) -> str:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "the page embeds its description"
    return m.group(1)


@pytest.mark.parametrize("path", [INSATS, "rus/delmal/1", "rus/malomrade/1", "aktor/region-vastmanland", GRAPH])
def test_html_embeds_the_same_description_as_json_ld(client: TestClient, path: str) -> None:
    html = client.get("/" + path, headers={"Accept": BROWSER}).text
    embedded = Graph().parse(data=embedded_json_ld(html), format="json-ld")
    turtle = parsed(client.get("/" + path, headers={"Accept": "text/turtle"}))
    assert isomorphic(embedded, turtle)
    for fmt in ("ttl", "jsonld", "nt", "rdfxml"):
        assert f'href="/{path}?format={fmt}"' in html, "the page links to the other formats"


def test_json_ld_in_html_is_escaped(region: Region, tmp_path: Path) -> None:
    store = OxigraphStore()
    thing = URIRef(BASE + "aktor/elak")
    evil = "</script><script>alert('x')</script> & <b>"
    g = Graph()
    g.add((thing, RDFS.label, Literal(evil, lang="sv")))
    store.replace_graphs({URIRef(BASE + "graph/elak"): g}, URIRef(region.meta_graph_iri), Graph())
    client = TestClient(create_app(Settings(store=tmp_path / "s", dumps=tmp_path / "d"), store, region))
    html = client.get("/aktor/elak", headers={"Accept": "text/html"}).text
    assert "<script>alert" not in html
    assert html.count("</script>") == 1
    embedded = Graph().parse(data=embedded_json_ld(html), format="json-ld")
    assert (thing, RDFS.label, Literal(evil, lang="sv")) in embedded


# --- vocabulary documentation ---------------------------------------------------------------------------------
def test_def_documents_every_class_and_property_with_labels(client: TestClient) -> None:
    onto = Graph().parse(ONTOLOGY_PATH)
    html = client.get("/def", headers={"Accept": BROWSER}).text
    terms = [t for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for t in onto.subjects(RDF.type, k) if isinstance(t, URIRef) and str(t).startswith(str(SB))]
    assert len(terms) > 50
    for term in terms:
        assert f'id="{str(term)[len(str(SB)):]}"' in html
        for lbl in onto.objects(term, RDFS.label):
            assert str(lbl).replace("&", "&amp;").replace("'", "&#39;") in html
    owner_domain = re.search(r'id="owner".*?</article>', html, re.S)
    assert owner_domain and 'href="#Intervention"' in owner_domain.group(0) and 'href="#Actor"' in owner_domain.group(0)
    assert 'id="kos-funding-kind-one-to-one"' in html, "the concept schemes are documented too"


def test_def_and_shapes_answer_rdf_by_negotiation(client: TestClient) -> None:
    ttl = client.get("/def", headers={"Accept": "text/turtle"})
    assert ttl.content == ONTOLOGY_PATH.read_bytes()
    assert isomorphic(parsed(client.get("/def", headers={"Accept": "application/ld+json"})),
                      Graph().parse(ONTOLOGY_PATH))
    shapes = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert shapes.content == SHAPES_PATH.read_bytes()
    page = client.get("/shapes", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "sh:" not in page.text.split("<main")[0]
    shapes_graph = Graph().parse(SHAPES_PATH)
    for shape in shapes_graph.subjects(RDF.type, SH.NodeShape):
        assert str(shape).rsplit("#", 1)[-1] in page.text


def test_literal_datatypes_survive_json_ld(client: TestClient, bundled: Graph) -> None:
    """Typed terms in the context (sb:amount → xsd:decimal, sb:startDate → xsd:date) compact and expand back."""
    found = json.dumps(client.get("/" + INSATS, headers={"Accept": "application/ld+json"}).json())
    g = Graph().parse(data=found, format="json-ld")
    for s, p, o in bundled.triples((URIRef(BASE + INSATS), None, None)):
        if isinstance(o, Literal) and o.datatype in (XSD.date, XSD.decimal):
            assert (s, p, o) in g


# --- 303 for things, 200 for documents --------------------------------------------------------------------
SEE_OTHER = [
    (INSATS, "text/turtle", "ttl"),
    (INSATS, "application/ld+json", "jsonld"),
    (INSATS, "application/rdf+xml;q=0.9, text/turtle;q=0.5", "rdfxml"),
    (INSATS, BROWSER, "html"),
    ("rus/delmal/7", "application/n-triples", "nt"),
    ("kommun/1980", None, "html"),
]


@pytest.mark.parametrize("path,accept,fmt", SEE_OTHER)
def test_an_instance_iri_answers_303_to_its_document(client: TestClient, path: str, accept: str | None,
                                                      fmt: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/{path}", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{path}?format={fmt}"
    assert response.headers["vary"] == "Accept"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.content == b""
    document = client.get(response.headers["location"], headers=headers, follow_redirects=False)
    assert document.status_code == 200
    assert document.headers["content-location"] == f"/{path}?format={fmt}"


def test_documents_answer_200_without_a_redirect(client: TestClient) -> None:
    for path, accept in ((GRAPH, "application/n-quads"), (f"{INSATS}?format=ttl", "text/turtle"),
                         ("def", "text/turtle")):
        response = client.get(f"/{path}", headers={"Accept": accept}, follow_redirects=False)
        assert response.status_code == 200, path


def test_no_redirect_for_what_cannot_be_served(client: TestClient) -> None:
    assert client.get(f"/{INSATS}", headers={"Accept": "image/png"}, follow_redirects=False).status_code == 406
    assert client.get("/insats/finns-inte", headers={"Accept": "text/turtle"},
                      follow_redirects=False).status_code == 404
