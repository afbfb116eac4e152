"""The RDF a dereferenced resource answers with, and RDF graphs written in each offered syntax.

The description is `queries/resource-description.rq` and `resource-description-incoming.rq` (CONSTRUCTs with the IRI
bound as a term); a named graph's
content (TriG, N-Quads) comes from `graph.dumps.graph_quads`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rdflib import Graph, URIRef

from graph.named_queries import NamedQuery
from graph.store import Store
from server.negotiation import JSONLD, NTRIPLES, RDFXML, TURTLE, Variant

_RDFLIB_FORMAT = {TURTLE.name: "turtle", NTRIPLES.name: "nt", RDFXML.name: "pretty-xml"}


def description(store: Store, queries: Mapping[str, NamedQuery], iri: URIRef) -> Graph:
    """Two queries, because a LIMIT on the incoming links inside one query would be a subquery, which Oxigraph
    evaluates before the IRI is bound (a scan of the whole store)."""
    g = store.construct(queries["resource-description"].text, {"resource": iri})
    g += store.construct(queries["resource-description-incoming"].text, {"resource": iri})
    return g


def bind_prefixes(g: Graph, context: Mapping[str, Any]) -> Graph:
    """Bind the context's prefixes so that Turtle and RDF/XML read `sb:owner`, not `ns1:owner`."""
    for prefix, value in context.items():
        if isinstance(value, str) and value.startswith("http") and value.endswith(("#", "/")):
            g.bind(prefix, value, override=True, replace=True)
    return g


def jsonld_object(g: Graph, context: Mapping[str, Any]) -> Any:
    """The graph as compacted JSON-LD with the context inline (a dict, or a list for an empty graph)."""
    return json.loads(g.serialize(format="json-ld", context=dict(context), auto_compact=True))


def rdf_bytes(g: Graph, variant: Variant, context: Mapping[str, Any]) -> bytes:
    if variant == JSONLD:
        return json.dumps(jsonld_object(g, context), ensure_ascii=False, indent=2).encode("utf-8")
    bind_prefixes(g, context)
    return g.serialize(format=_RDFLIB_FORMAT[variant.name], encoding="utf-8")
