"""VoID at /.well-known/void, the DCAT-AP-SE catalogue at /datasets/dcat (validated with the DCAT-AP 3.0.1 SHACL
shapes and the mandatory properties of the DCAT-AP-SE 3.0.1 profile, tests/conformance/dcat-ap-se/), and the dumps
with their sizes and checksums. Expected counts are computed with rdflib from the store's own export."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, SH, VOID

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app

CONFORMANCE = Path(__file__).parent / "conformance" / "dcat-ap-se"
SB = Namespace("https://w3id.org/sparbar/def#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SDG = "http://metadata.un.org/sdg/"
PUBLIC = "https://sparbar.example.se/"
PREFIXES = {"dcterms": str(DCTERMS), "dcat": str(DCAT), "foaf": str(FOAF), "vcard": str(VCARD),
            "rdf": str(RDF), "spdx": str(SPDX)}


def make_client(store: Store, region: Region, tmp: Path) -> TestClient:
    settings = Settings(store=tmp / "store", dumps=tmp / "dumps", public_url=PUBLIC)
    return TestClient(create_app(settings, store, region))


@pytest.fixture(scope="module")
def client(loaded_store: Store, region: Region, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return make_client(loaded_store, region, tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="module")
def union(loaded_store: Store) -> Graph:
    return Graph().parse(data=loaded_store.export("nt"), format="nt")


@pytest.fixture(scope="module")
def catalogue(client: TestClient) -> Graph:
    r = client.get("/datasets/dcat")
    assert r.headers["content-type"].startswith("application/rdf+xml"), "dataportal.se harvests RDF/XML"
    return Graph().parse(data=r.content, format="xml")


# --- VoID ----------------------------------------------------------------------------------------------------
def test_void_counts_and_links(client: TestClient, union: Graph, region: Region) -> None:
    r = client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    ds = g.value(predicate=VOID.uriSpace, object=Literal(region.base_iri))
    assert ds is not None

    def count(prop: URIRef, node: Any = ds) -> int:
        return int(g.value(node, prop))  # type: ignore[arg-type]

    assert count(VOID.triples) == len(union)
    assert count(VOID.distinctSubjects) == len(set(union.subjects()))
    assert count(VOID.properties) == len(set(union.predicates()))
    assert count(VOID.classes) == len(set(union.objects(None, RDF.type)))
    assert count(VOID.entities) == len({s for s in union.subjects() if str(s).startswith(region.base_iri)})
    partitions = {g.value(p, VOID["class"]): count(VOID.entities, p) for p in g.objects(ds, VOID.classPartition)}
    assert partitions[SB.Intervention] == len(set(union.subjects(RDF.type, SB.Intervention)))
    links = {}
    for ls in g.subjects(RDF.type, VOID.Linkset):
        assert g.value(ls, VOID.subjectsTarget) == ds
        assert g.value(ls, VOID.objectsTarget) == URIRef(SDG + "void.ttl#SDG")
        links[g.value(ls, VOID.linkPredicate)] = count(VOID.triples, ls)
    expected: dict[Any, int] = {}
    for s, p, o in union:
        if isinstance(o, URIRef) and str(o).startswith(SDG) and str(s).startswith(region.base_iri):
            expected[p] = expected.get(p, 0) + 1
    assert links == expected and links
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(PUBLIC + "sparql")
    assert g.value(ds, DCTERMS.license) == URIRef(region.licence)
    examples = list(g.objects(ds, VOID.exampleResource))
    assert examples and all((e, None, None) in union for e in examples)
    for dump in g.objects(ds, VOID.dataDump):
        assert client.get(str(dump).removeprefix(PUBLIC.rstrip("/"))).status_code == 200


# --- DCAT-AP-SE ------------------------------------------------------------------------------------------------
def dcat_ap_shapes() -> Graph:
    shapes = Graph().parse(CONFORMANCE / "dcat-ap-SHACL.ttl")
    # the published file lists two property shapes it never defines (README.md in that folder)
    for s, o in list(shapes.subject_objects(SH.property)):
        if (o, None, None) not in shapes:
            shapes.remove((s, SH.property, o))
    return shapes.parse(CONFORMANCE / "dcat-ap-se-additions.shacl.ttl")


def validate_catalogue(g: Graph) -> tuple[bool, str]:
    conforms, _, text = validate(g, shacl_graph=dcat_ap_shapes(), inference="none", allow_warnings=False)
    return bool(conforms), text


def test_catalogue_conforms_to_dcat_ap_shapes(catalogue: Graph) -> None:
    conforms, text = validate_catalogue(catalogue)
    assert conforms, text


def test_the_shapes_do_catch_a_broken_catalogue(catalogue: Graph) -> None:
    broken = Graph()
    broken += catalogue
    broken.remove((None, DCTERMS.license, None))
    ds = next(broken.subjects(RDF.type, DCAT.Dataset))
    broken.remove((ds, DCTERMS.publisher, None))
    conforms, text = validate_catalogue(broken)
    assert not conforms
    assert "license" in text and "publisher" in text


def test_catalogue_has_no_blank_nodes(catalogue: Graph) -> None:
    assert not [t for t in catalogue if any(isinstance(x, BNode) for x in t)]


def mandatory_properties() -> dict[str, list[list[str]]]:
    """DCAT-AP-SE 3.0.1's mandatory properties per class, from the profile's bundle: for each class a list of
    alternatives (one of which must be present; a single property when there is no choice)."""
    templates = json.loads((CONFORMANCE / "dcat-ap-se-3.0.1-bundle.json").read_text(encoding="utf-8"))["templates"]
    by_id = {t["id"]: t for t in templates}

    def resolve(item: Any) -> dict[str, Any]:
        t = by_id[item] if isinstance(item, str) else item
        while "property" not in t and "extends" in t and "items" not in t:
            t = {**by_id[t["extends"]], **{k: v for k, v in t.items() if k != "extends"}}
        return t

    def expand(prop: str) -> str:
        prefix, _, local = prop.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES else prop

    out: dict[str, list[list[str]]] = {}
    for group, cls in (("dcat:Catalog", "dcat:Catalog"), ("dcat:Dataset", "dcat:Dataset"),
                       ("dcat:Distribution", "dcat:Distribution"), ("dcat:DataService", "dcat:DataService"),
                       ("dcat:foaf:Agent", "foaf:Agent"), ("dcat:contactPoint", "vcard:Kind")):
        required = []
        for item in by_id[group]["items"]:
            t = resolve(item)
            if (t.get("cardinality") or {}).get("min", 0) < 1 or t.get("deps"):
                continue  # optional, or mandatory only under a condition ("deps": high-value datasets)
            if "property" in t:
                required.append([expand(t["property"])])
            elif "items" in t:
                required.append(sorted({expand(resolve(i)["property"]) for i in t["items"]}))
        out[expand(cls)] = required
    return out


def test_catalogue_has_every_mandatory_dcat_ap_se_property(catalogue: Graph, region: Region) -> None:
    required = mandatory_properties()
    assert [str(DCTERMS.publisher)] in required[str(DCAT.Dataset)], "the profile's own rule is read"
    checked = 0
    for cls, alternatives in required.items():
        nodes = set(catalogue.subjects(RDF.type, URIRef(cls)))
        if cls == str(VCARD.Kind):
            nodes = set(catalogue.subjects(RDF.type, VCARD.Organization))
        for node in nodes:
            for choice in alternatives:
                props = [URIRef(p) for p in choice if p != str(RDF.type)]
                if props:
                    assert any((node, p, None) in catalogue for p in props), f"{node} lacks {choice}"
                    checked += 1
    assert checked > 20


def test_publisher_contact_and_licence_come_from_the_settings(loaded_store: Store, region: Region,
                                                               tmp_path: Path) -> None:
    configured = dataclasses.replace(region, publisher_org_number="212000-2080", contact_email="data@example.org",
                                     licence="http://creativecommons.org/licenses/by/4.0/")
    r = make_client(loaded_store, configured, tmp_path).get("/datasets/dcat", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    publisher = URIRef("http://dataportal.se/organisation/SE2120002080")
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    assert g.value(catalog, DCTERMS.publisher) == publisher
    assert (publisher, DCTERMS.type, URIRef(configured.publisher_type)) in g
    assert g.value(catalog, DCTERMS.license) == URIRef("http://creativecommons.org/licenses/by/4.0/")
    contact = g.value(next(g.subjects(RDF.type, DCAT.Dataset)), DCAT.contactPoint)
    assert isinstance(contact, URIRef)
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.org")
    conforms, text = validate_catalogue(g)
    assert conforms, text


def test_defaults_cc0_and_the_configured_publisher_iri(catalogue: Graph, region: Region) -> None:
    catalog = next(catalogue.subjects(RDF.type, DCAT.Catalog))
    assert catalogue.value(catalog, DCTERMS.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert catalogue.value(catalog, DCTERMS.publisher) == URIRef(str(region.publisher_iri))
    assert not list(catalogue.subjects(RDF.type, VCARD.Organization)), "no contact point is invented"


def test_data_service_for_the_sparql_endpoint(catalogue: Graph) -> None:
    service = next(catalogue.subjects(RDF.type, DCAT.DataService))
    assert catalogue.value(service, DCAT.endpointURL) == URIRef(PUBLIC + "sparql")
    assert (None, DCAT.service, service) in catalogue


def test_catalogue_turtle_by_negotiation(client: TestClient, catalogue: Graph) -> None:
    r = client.get("/datasets/dcat", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=r.text, format="turtle"), catalogue)


# --- dumps ---------------------------------------------------------------------------------------------------
def test_dump_sizes_and_checksums_match_the_catalogue(client: TestClient, catalogue: Graph,
                                                      loaded_store: Store, region: Region) -> None:
    distributions = [d for d in catalogue.subjects(RDF.type, DCAT.Distribution)
                     if (d, DCAT.downloadURL, None) in catalogue]
    names = loaded_store.graph_names()
    sources = [n for n in names if not str(n).endswith("graph/meta")]  # the meta graph is in the whole dump only
    assert len(distributions) == 2 + len(sources), "whole graph as N-Quads and TriG, and one per source graph"
    for dist in distributions:
        url = str(catalogue.value(dist, DCAT.downloadURL))
        r = client.get(url.removeprefix(PUBLIC.rstrip("/")))
        assert r.status_code == 200
        assert int(catalogue.value(dist, DCAT.byteSize)) == len(r.content)  # type: ignore[arg-type]
        checksum = catalogue.value(dist, SPDX.checksum)
        assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha1
        value = catalogue.value(checksum, SPDX.checksumValue)
        assert value == Literal(hashlib.sha1(r.content).hexdigest(), datatype=XSD.hexBinary)
    whole = client.get("/dumps/sparbar.nq.gz").content
    quads = list(ox.parse(gzip.decompress(whole), ox.RdfFormat.N_QUADS))
    assert len(quads) == loaded_store.triple_count()
    trig = list(ox.parse(gzip.decompress(client.get("/dumps/sparbar.trig.gz").content), ox.RdfFormat.TRIG))
    assert set(map(str, trig)) == set(map(str, quads))
    example = next(u for u in names if str(u).endswith("graph/example"))
    part = gzip.decompress(client.get("/dumps/graph/example.nq.gz").content)
    part_quads = list(ox.parse(part, ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in part_quads} == {ox.NamedNode(str(example))}
    assert len(part_quads) == len(loaded_store.graph(example))
    assert client.get("/dumps/nope.nq.gz").status_code == 404


def test_dumps_are_rebuilt_when_the_data_changes(region: Region, tmp_path: Path) -> None:
    store = OxigraphStore()
    name = URIRef(region.graph_iri("tiny"))
    meta = URIRef(region.meta_graph_iri)
    thing = URIRef(region.base_iri + "aktor/tiny")

    def load(label: str) -> None:
        g = Graph()
        g.add((thing, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(label, lang="sv")))
        m = Graph()
        m.add((name, SB.checksum, Literal("sha256:" + label)))
        store.replace_graphs({name: g}, meta, m)

    load("Ett")
    client = make_client(store, region, tmp_path)

    def checksum_of_whole() -> str:
        g = Graph().parse(data=client.get("/datasets/dcat").content, format="xml")
        dist = next(d for d, u in g.subject_objects(DCAT.downloadURL) if str(u).endswith("/dumps/sparbar.nq.gz"))
        return str(g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue))

    first = checksum_of_whole()
    assert "Ett" in gzip.decompress(client.get("/dumps/sparbar.nq.gz").content).decode()
    load("Två")
    second = checksum_of_whole()
    assert second != first
    body = gzip.decompress(client.get("/dumps/sparbar.nq.gz").content).decode()
    assert "Två" in body and "Ett" not in body
    versions = [p for p in (tmp_path / "dumps").iterdir() if not p.name.startswith(".")]
    assert len(versions) == 1, "the old version's files are removed"
