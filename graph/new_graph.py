"""What a load brings for one named graph, in the form that costs least for where it goes.

A graph built in Python (an indicator fetch, a write through the Graph Store Protocol, a small test) is an rdflib
graph: pyshacl and the incremental validation read it as it is. A large source — a workbook of 10 000 insatser,
a file of a million triples — is parsed by Oxigraph straight into an in-memory store of its own (`scratch`),
never into rdflib terms: building an rdflib graph costs seconds per hundred thousand triples, and the compiled
validation and the write both want Oxigraph quads. Such a graph also keeps its serialised form, so that a write
can bulk-load it without passing each quad through Python. Each form is made from the other only when asked.

A scratch store keeps typed literals in the form every Oxigraph store keeps them ("2.50"^^xsd:decimal as "2.5");
an rdflib graph keeps what was written until the pipeline canonicalises it (graph.canonical).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.terms import to_ox, to_ox_quads, to_rdflib


@dataclass(frozen=True)
class Serialised:
    """A source's bytes as Oxigraph reads them: triples without a graph go into `default_graph`."""

    data: bytes
    format: ox.RdfFormat
    default_graph: URIRef
    base_iri: str | None = None

    def load_into(self, store: ox.Store, bulk: bool = False) -> None:
        target = ox.NamedNode(str(self.default_graph))
        if bulk:
            store.bulk_load(self.data, format=self.format, to_graph=target, base_iri=self.base_iri)
        else:
            store.load(self.data, format=self.format, to_graph=target, base_iri=self.base_iri)


class NewGraph:
    def __init__(self, name: URIRef, graph: Graph | None = None, scratch: ox.Store | None = None,
                 serialised: Serialised | None = None, parsing: Future[None] | None = None,
                 at_most: int | None = None) -> None:
        """Either `graph` (rdflib) or `scratch` (an in-memory store holding this graph under `name`, maybe with
        others of the same source); `serialised` only when the bytes hold this graph and nothing else.
        `parsing`: the scratch store is still being filled (`in_background`); `at_most`: the number of triples the
        graph cannot exceed, known before the parse is done."""
        if (graph is None) == (scratch is None):
            raise ValueError("a NewGraph is either an rdflib graph or a scratch store")
        self.name = name
        self._graph = graph
        self._scratch = scratch
        self.serialised = serialised
        self._parsing = parsing
        self._at_most = at_most
        self._ox_name = ox.NamedNode(str(name))

    @classmethod
    def parsed(cls, source: Serialised) -> dict[URIRef, NewGraph]:
        """Parse `source` into a scratch store: one NewGraph per graph it holds (at least the default one).
        Raises SyntaxError (with line and column) as pyoxigraph does."""
        scratch = ox.Store()
        source.load_into(scratch)
        names = [URIRef(g.value) for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)]
        if any(isinstance(g, ox.BlankNode) for g in scratch.named_graphs()):
            raise BlankGraphName()
        names = names or [source.default_graph]
        only = source if names == [source.default_graph] else None
        return {name: cls(name, scratch=scratch, serialised=only) for name in names}

    @classmethod
    def in_background(cls, source: Serialised, at_most: int) -> NewGraph:
        """Bytes Spårbar wrote itself (a workbook's N-Triples: one graph, no syntax error to report up front),
        parsed into a scratch store by a thread while the caller goes on — a large write can be staged from the
        bytes meanwhile. The parse is waited for when the scratch store is first needed."""
        scratch = ox.Store()
        parsing: Future[None] = Future()

        def parse() -> None:
            try:
                source.load_into(scratch)
            except BaseException as e:  # handed to whoever waits for the parse
                parsing.set_exception(e)
            else:
                parsing.set_result(None)

        threading.Thread(target=parse, name="sparbar-parse", daemon=True).start()
        return cls(source.default_graph, scratch=scratch, serialised=source, parsing=parsing, at_most=at_most)

    def _parsed(self) -> None:
        if self._parsing is not None:
            self._parsing.result()  # raises what the parse raised
            self._parsing = None

    @property
    def in_rdflib(self) -> bool:
        return self._graph is not None

    @property
    def scratch(self) -> ox.Store | None:
        """The in-memory store holding this graph (under its name, maybe beside other graphs), if it has one."""
        self._parsed()
        return self._scratch

    def size_hint(self) -> int:
        """The number of triples, or a bound on it while the graph is being parsed: enough to choose how to
        validate and write it (canonical forms may make two written triples one)."""
        return self._at_most if self._parsing is not None and self._at_most is not None else len(self)

    @cached_property
    def rdflib(self) -> Graph:
        """The triples as an rdflib graph (the graph itself when it is one)."""
        if self._graph is not None:
            return self._graph
        g = Graph(identifier=self.name)
        for q in self.quads():
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
        return g

    def quads(self) -> Iterator[ox.Quad]:
        """The triples as quads in this graph. An rdflib graph is converted once: canonicalise it first."""
        if self._scratch is not None:
            self._parsed()
            return iter(self._scratch.quads_for_pattern(None, None, None, self._ox_name))
        return iter(self._rdflib_quads)

    @cached_property
    def _rdflib_quads(self) -> list[ox.Quad]:
        assert self._graph is not None
        return to_ox_quads(self._graph, self._ox_name)

    def load_into(self, store: ox.Store, bulk: bool = False) -> None:
        """Add this graph to `store`: from its bytes when it has them (Oxigraph alone, no Python per quad)."""
        if self.serialised is not None:
            self.serialised.load_into(store, bulk)
        elif bulk:
            store.bulk_extend(self.quads())
        else:
            store.extend(self.quads())

    @cached_property
    def _length(self) -> int:
        if self._graph is not None:
            return len(self._graph)
        assert self._scratch is not None
        self._parsed()
        # ?g is projected: pyoxigraph substitutes only projected variables
        rows = self._scratch.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                   substitutions={ox.Variable("g"): self._ox_name})
        assert isinstance(rows, ox.QuerySolutions)
        row = next(iter(rows), None)
        count = row["n"] if row is not None else None
        return int(count.value) if isinstance(count, ox.Literal) else 0

    def __len__(self) -> int:
        return self._length

    def has_subject(self, node: Node) -> bool:
        if self._graph is not None:
            return (node, None, None) in self._graph
        assert self._scratch is not None
        self._parsed()
        term = to_ox(node)
        if isinstance(term, ox.Literal):
            return False
        return next(iter(self._scratch.quads_for_pattern(term, None, None, self._ox_name)), None) is not None

    def merged(self, other: NewGraph) -> NewGraph:
        """Both graphs' triples in one (two files of one load feeding one graph)."""
        if self.in_rdflib and other.in_rdflib:
            g = Graph(identifier=self.name)
            g += self.rdflib
            g += other.rdflib
            return NewGraph(self.name, graph=g)
        scratch = ox.Store()
        scratch.bulk_extend(self.quads())
        scratch.bulk_extend(other.quads())
        return NewGraph(self.name, scratch=scratch)


class BlankGraphName(ValueError):
    """A source names a graph with a blank node: graphs here are named sources, each with an IRI."""


def as_new_graph(name: URIRef, content: Graph | NewGraph) -> NewGraph:
    return content if isinstance(content, NewGraph) else NewGraph(name, graph=content)


def rdflib_graphs(graphs: Mapping[URIRef, Graph | NewGraph]) -> dict[URIRef, Graph]:
    """Each graph as rdflib: for pyshacl and the incremental validation, which read small changes."""
    return {name: g.rdflib if isinstance(g, NewGraph) else g for name, g in graphs.items()}
