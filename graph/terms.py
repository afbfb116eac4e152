"""Conversion between rdflib and pyoxigraph terms.

rdflib is the lingua franca of the Python side (pyshacl, serialisers); pyoxigraph is the engine.
xsd:string literals become plain rdflib literals so that graphs from either side compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

XSD_STRING = str(XSD.string)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_ox_quads(triples: Iterable[tuple[Node, Node, Node]],
                graph_name: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """Triples as quads in one graph. Terms recur (predicates, classes, concepts, the subjects of a record), so
    each distinct term is converted once: most of the cost of writing a large graph was converting terms."""
    memo: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = memo.get(t)
        if found is None:
            found = memo[t] = to_ox(t)
        return found

    return [ox.Quad(term(s), term(p), term(o), graph_name) for s, p, o in triples]  # type: ignore[arg-type]
