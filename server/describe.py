"""The RDF a dereferenced resource answers with, and RDF graphs written in each offered syntax.

The description is `queries/resource-description.rq` and `resource-description-incoming.rq` (CONSTRUCTs with the IRI
bound as a term); a named graph's content (TriG, N-Quads) comes from `graph.dumps.graph_quads`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.named_queries import NamedQuery
from graph.store import Store
from graph.terms import to_ox
from server.negotiation import JSONLD, NTRIPLES, RDFXML, TURTLE, Variant

_OX_FORMAT = {TURTLE.name: ox.RdfFormat.TURTLE, NTRIPLES.name: ox.RdfFormat.N_TRIPLES,
              RDFXML.name: ox.RdfFormat.RDF_XML}


def description(store: Store, queries: Mapping[str, NamedQuery], iri: URIRef) -> Graph:
    """Two queries, because a LIMIT on the incoming links inside one query would be a subquery, which Oxigraph
    evaluates before the IRI is bound (a scan of the whole store)."""
    g = store.construct(queries["resource-description"].text, {"resource": iri})
    g += store.construct(queries["resource-description-incoming"].text, {"resource": iri})
    return g


def used_prefixes(g: Graph, context: Mapping[str, Any]) -> dict[str, str]:
    """The context's prefixes that some IRI of the graph starts with, so Turtle reads `sb:owner`."""
    namespaces = {prefix: value for prefix, value in context.items()
                  if isinstance(value, str) and value.startswith("http") and value.endswith(("#", "/"))}
    iris = {str(term) for triple in g for term in triple if isinstance(term, URIRef)}
    return {prefix: ns for prefix, ns in namespaces.items() if any(iri.startswith(ns) for iri in iris)}


def jsonld_object(g: Graph, context: Mapping[str, Any]) -> Any:
    """The graph as compacted JSON-LD with the context inline (a dict, or a list for an empty graph)."""
    return json.loads(g.serialize(format="json-ld", context=dict(context), auto_compact=True))


def rdf_bytes(g: Graph, variant: Variant, context: Mapping[str, Any]) -> bytes:
    if variant == JSONLD:
        return json.dumps(jsonld_object(g, context), ensure_ascii=False, indent=2).encode("utf-8")
    # pyoxigraph writes Turtle, N-Triples and RDF/XML several times faster than rdflib
    triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in g)  # type: ignore[arg-type]
    data = ox.serialize(triples, format=_OX_FORMAT[variant.name], prefixes=used_prefixes(g, context))
    return bytes(data or b"")
