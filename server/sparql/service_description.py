"""The SPARQL 1.1 Service Description of /sparql: what a client may send and get back."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from starlette.requests import Request

from server.sparql.service import SparqlService

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "JSON-LD", "N-Triples", "RDF_XML")


def service_description(svc: SparqlService, request: Request) -> Graph:
    endpoint = URIRef(svc.endpoint_url(request))
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("dcterms", DCTERMS)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((endpoint, SD.resultFormat, FORMATS[name]))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    g.add((endpoint, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    g.add((endpoint, DCTERMS.title, Literal(f"Spårbar – SPARQL-tjänst för {svc.region.name}", lang="sv")))
    g.add((endpoint, DCTERMS.title, Literal(f"Spårbar – SPARQL service for {svc.region.name}", lang="en")))
    s = svc.settings
    g.add((endpoint, DCTERMS.description, Literal(
        f"Skrivskyddad. En fråga får köra i högst {s.query_timeout:g} s och ge högst {s.max_result_rows} rader; "
        "SERVICE och grafer utanför Spårbar tas inte emot. Utan FROM är standardgrafen unionen av alla "
        "namngivna grafer.", lang="sv")))
    g.add((endpoint, DCTERMS.description, Literal(
        f"Read-only. A query may run for at most {s.query_timeout:g} s and return at most {s.max_result_rows} "
        "rows; SERVICE and graphs outside Spårbar are refused. Without FROM the default graph is the union of "
        "all named graphs.", lang="en")))
    dataset, default = BNode(), BNode()
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in svc.store.graph_names():
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
    return g
