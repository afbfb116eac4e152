"""Incremental SHACL validation: validate what a load changes and what it touches, not the whole store.

1. The change: per replaced graph, the triples added and removed (graph.change).
2. The affected focus nodes: the nodes whose validation can read a changed triple. What the shapes read is
   worked out from the shapes graph (graph.shape_reads): every subject of a changed triple, the objects of
   predicates read inversely (sh:inversePath, `?x <p> $this` in SPARQL), and, walking each read backwards,
   the nodes that reach a changed node through a value shape (an insats whose owner lost its rdf:type).
3. The context: for the affected nodes, every triple the shapes read, along every read, fetched from the store
   as it would be after the load (graph.candidate_view). Only the predicates a shape reads inversely are
   followed backwards, so a hub (the Region owns every insats) does not pull in its thousands of links.
4. pyshacl over the context (plus the ontology and controlled lists, which the Validator adds), and only the
   affected nodes' findings kept. pyshacl's own `focus_nodes` option is not used: in 0.40.1 it also filters
   the value nodes that sh:node / sh:or check, so an insats with a bad status came out clean.

Findings on the other nodes cannot change: none of the triples they read did. tests/test_incremental.py
checks both halves against full validations.

A change to the schema (the region's ontology or controlled-list graph, or any rdfs:subClassOf triple) may
affect every node: `FullValidationNeeded` then tells the caller to validate in full, as it does for shapes
this module cannot analyse. Two things no change to the data shows: the clock (an insats that has become
overdue for follow-up since it was loaded) and new shapes (the store does not record which shapes validated
it). A full validation (`sparbar validate` without files) reports both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from graph.candidate_view import CandidateView
from graph.change import GraphChange, changed_triples, graph_changes
from graph.new_graph import NewGraph, rdflib_graphs
from graph.shape_reads import Read, ShapeReads, Step, UnsupportedShapes
from graph.store import Store
from graph.validation import Report, Validator

SCHEMA_PREDICATES = frozenset({URIRef(RDFS.subClassOf)})  # pyshacl reads class hierarchies from the data graph


class FullValidationNeeded(Exception):
    """The change cannot be validated incrementally; the reason says why."""


@dataclass
class IncrementalReport:
    report: Report  # the findings of the affected nodes
    affected: set[Node]
    changes: list[GraphChange]
    context_triples: int  # the size of the graph pyshacl saw, without ontology and controlled lists


def validate_change(store: Store, graphs: Mapping[URIRef, Graph | NewGraph], meta_graph: URIRef,
                    validator: Validator, schema_graphs: Collection[URIRef] = ()) -> IncrementalReport:
    """Validate the store as it would be with the graphs in `new` replaced, for the nodes the change affects.
    Raises FullValidationNeeded when only a full validation is right."""
    new = rdflib_graphs(graphs)
    try:
        reads = validator.reads
    except UnsupportedShapes as e:
        raise FullValidationNeeded(f"formerna kan inte valideras stegvis: {e}") from e
    changes = [c for c in graph_changes(store, new) if c]
    for change in changes:
        if change.graph in schema_graphs:
            raise FullValidationNeeded(f"grafen <{change.graph}> (ontologi eller kontrollerade listor) ändras")
    if any(p in SCHEMA_PREDICATES for _s, p, _o in changed_triples(changes)):
        raise FullValidationNeeded("en klasshierarki (rdfs:subClassOf) ändras")
    # What a load brings is reported whole — a steward re-loading a file sees all of its warnings again —
    # plus every node elsewhere that the change touches.
    brought = {s for g in new.values() for s in g.subjects()}
    if not changes and not brought:
        return IncrementalReport(Report(findings=[]), set(), changes, 0)
    view = CandidateView.of(store, new, meta_graph)
    affected = affected_nodes(changes, reads, view) | brought
    context = context_graph(affected, reads, view)
    size = len(context)
    report = validator.validate(context)
    report.findings = [f for f in report.findings if f.top_focus in affected]
    return IncrementalReport(report, affected, changes, size)


def affected_nodes(changes: list[GraphChange], reads: ShapeReads, view: CandidateView) -> set[Node]:
    """Every node whose validation reads a changed triple, in the store as it is or as it would be."""
    by_predicate: dict[URIRef | None, list[tuple[Read, Step]]] = defaultdict(list)
    for prefix in reads.prefixes():
        for step in reads.steps_after(prefix):
            by_predicate[step.predicate].append((prefix, step))
    reached: dict[Read, set[Node]] = defaultdict(set)  # nodes at the end of a read prefix whose next step changed
    for s, p, o in changed_triples(changes):
        for prefix, step in by_predicate.get(p, []) + by_predicate.get(None, []):  # type: ignore[call-overload]
            reached[prefix].add(o if step.inverse else s)
    # Walk each read back to its focus node, deepest prefixes first (their predecessors are shorter prefixes).
    for length in range(max((len(r) for r in reached), default=0), 0, -1):
        for prefix in [r for r in reached if len(r) == length]:
            reached[prefix[:-1]] |= view.predecessors(reached[prefix], prefix[-1])
    return set(reached.get((), set()))


def context_graph(focus: set[Node], reads: ShapeReads, view: CandidateView) -> Graph:
    """The candidate's triples along every read from the focus nodes, plus the class hierarchy."""
    context = Graph()
    at: dict[Read, set[Node]] = {(): set(focus)}
    for prefix in reads.prefixes():  # shortest first: a prefix's nodes are known before its steps are followed
        nodes = at.get(prefix)
        if not nodes:
            continue
        for step, triples in view.follow(nodes, reads.steps_after(prefix)).items():
            for t in triples:
                context.add(t)  # type: ignore[arg-type]
            at.setdefault((*prefix, step), set()).update(s if step.inverse else o for s, _p, o in triples)
    for predicate in SCHEMA_PREDICATES:
        for t in view.schema(predicate):
            context.add(t)  # type: ignore[arg-type]
    return context
