"""What a load changes: per replaced named graph, the triples it adds and the triples it removes (the store's
current content of that graph against the new one)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.store import Store

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphChange:
    graph: URIRef
    added: frozenset[Triple]
    removed: frozenset[Triple]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def graph_changes(store: Store, new: Mapping[URIRef, Graph]) -> list[GraphChange]:
    """Costs the size of the replaced graphs, not of the store. Blank nodes get new labels on every parse, so a
    graph with blank nodes shows them all as removed and added again; literals the store canonicalised
    ("13.0" stored as "13") likewise. Both only make the change look bigger than it is."""
    changes = []
    for name, g in new.items():
        before = set(store.graph(name))
        after = set(g)
        changes.append(GraphChange(name, frozenset(after - before), frozenset(before - after)))
    return changes


def changed_triples(changes: list[GraphChange]) -> Iterator[Triple]:
    for change in changes:
        yield from change.added
        yield from change.removed
