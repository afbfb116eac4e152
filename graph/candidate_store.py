"""The store as it would be after a load, copied into an in-memory Oxigraph store.

Incremental validation (graph.incremental) pays off when a load is small beside the store: it fetches the
context of what changed and lets pyshacl look at that. A load that brings hundreds of thousands of triples
touches nearly everything it brings, and pyshacl manages a few thousand triples a second; such a load is
validated whole by the compiled SHACL engine (graph.shacl_sparql) on this copy instead, where Oxigraph
evaluates the shapes. The copy leaves out the graphs the load replaces and the metadata graph (as
pipeline.candidate does), and holds the ontology and controlled lists in a graph of their own, as pyshacl sees
them mixed into the data.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.new_graph import NewGraph, as_new_graph
from graph.store import Store
from graph.terms import to_ox_quads

SCHEMA_GRAPH = ox.NamedNode("urn:sparbar:validation:schema")


def candidate_store(store: Store, new: Mapping[URIRef, NewGraph | Graph], meta_graph: URIRef,
                    schema: Graph) -> ox.Store:
    skip = {str(name) for name in new} | {str(meta_graph)}
    copy = ox.Store()
    copy.bulk_extend(q for q in store.quads()
                     if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skip)
    for name, g in new.items():
        as_new_graph(name, g).load_into(copy, bulk=True)
    copy.bulk_extend(to_ox_quads(schema, SCHEMA_GRAPH))
    return copy
