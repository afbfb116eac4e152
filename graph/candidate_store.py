"""The store as it would be after a load, copied into an in-memory Oxigraph store.

Incremental validation (graph.incremental) pays off when a load is small beside the store: it fetches the
context of what changed and lets pyshacl look at that. A load that brings hundreds of thousands of triples
touches nearly everything it brings, and pyshacl manages a few thousand triples a second; such a load is
validated whole by the compiled SHACL engine (graph.shacl_sparql) on this copy instead, where Oxigraph
evaluates the shapes. The copy leaves out the graphs the load replaces and the metadata graph (as
pipeline.candidate does), and holds the ontology and controlled lists in a graph of their own, as pyshacl sees
them mixed into the data.

A new graph parsed by Oxigraph already sits in a scratch store of its own (graph.new_graph); loading it again
would cost as much as parsing it did (3 s for a workbook of 10 000 insatser). So the copy is built in that
scratch store: the store's other graphs and the schema are added beside the new graphs, which a NewGraph never
looks past (it reads its own graph only). Whatever an earlier copy added there is removed first.
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
    graphs = [as_new_graph(name, g) for name, g in new.items()]
    host = max((g.scratch for g in graphs if g.scratch is not None), key=len, default=None)
    if host is None:
        copy = ox.Store()
    else:
        copy = host
        own = {ox.NamedNode(str(g.name)) for g in graphs if g.scratch is host}
        for name in list(copy.named_graphs()):
            if name not in own:  # left by an earlier copy
                copy.remove_graph(name)
    skip = set(new) | {meta_graph}
    for kept in store.graph_names():  # graph by graph: a replaced graph is not even read
        if kept not in skip:
            copy.bulk_extend(store.quads(kept))
    for g in graphs:
        if g.scratch is not copy:
            g.load_into(copy, bulk=True)
    copy.bulk_extend(to_ox_quads(schema, SCHEMA_GRAPH))
    return copy
