"""New graphs are brought to the literal forms the store keeps, so equal values compare equal."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from graph.canonical import canonicalise
from graph.oxigraph_store import OxigraphStore

S, P = URIRef("http://ex/s"), URIRef("http://ex/p")


def test_new_literals_take_the_form_the_store_gives_back() -> None:
    written = [Literal("52.0", datatype=XSD.decimal), Literal("007", datatype=XSD.integer),
               Literal("2024-01-01", datatype=XSD.date), Literal("text", lang="sv"),
               Literal("1.50", datatype=XSD.decimal)]
    g = Graph()
    for lit in written:
        g.add((S, P, lit))
    store = OxigraphStore()
    store.replace_graphs({URIRef("http://ex/g"): g}, URIRef("http://ex/meta"), Graph())
    stored = store.graph(URIRef("http://ex/g"))
    canonicalise([g])
    assert isomorphic(g, stored)
    assert {str(o) for o in g.objects(S, P)} == {"52", "7", "2024-01-01", "text", "1.5"}
