"""The one small interface every store implements: the embedded Oxigraph store today, a remote
SPARQL 1.1 server when a deployment outgrows one machine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from graph.new_graph import NewGraph

Bindings = Mapping[str, Node]


class StoreError(Exception):
    """A problem with the store itself (cannot open, locked, corrupt)."""


class QueryError(ValueError):
    """A query the engine rejected (syntax error, unknown function)."""


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Identifier]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Identifier]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


# Result formats of query_raw: SPARQL results for SELECT/ASK, RDF syntaxes for CONSTRUCT/DESCRIBE.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
RDF_FORMATS = ("nt", "nq", "ttl", "trig", "jsonld", "rdfxml")


class PreparedWrite(Protocol):
    """A write made ready while the caller validates: nothing is visible until commit; discard after either."""

    def start(self) -> None:
        """Begin what can be done out of sight (in the background), if anything."""
        ...

    def commit(self, metadata: Graph) -> None:
        """Make the write visible, with `metadata` (what the meta graph states of each written graph: given now,
        as it may count what was written)."""
        ...

    def discard(self) -> None:
        """Drop what was prepared and not committed; harmless after a commit."""
        ...


class Store(Protocol):
    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult: ...

    def ask(self, query: str, bindings: Bindings | None = None) -> bool: ...

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph: ...

    def query_raw(self, query: str, result_format: str, bindings: Bindings | None = None) -> bytes: ...

    def graph_names(self) -> list[URIRef]: ...

    def graph(self, name: URIRef, into: Graph | None = None) -> Graph:
        """The triples of one named graph, added to `into` when given (saves a copy), else a new graph."""
        ...

    def replace_graphs(self, graphs: Mapping[URIRef, NewGraph | Graph], meta_graph: URIRef,
                       metadata: Graph) -> None:
        """Replace each named graph with the given content, and each graph's metadata in `meta_graph`,
        in one transaction."""
        ...

    def prepare_replace(self, graphs: Mapping[URIRef, NewGraph | Graph], meta_graph: URIRef) -> PreparedWrite:
        """The same write, made visible only by `commit` (a store may begin it before, out of sight)."""
        ...

    def quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """Every quad of the store (of one named graph when given), as pyoxigraph terms: the fast way to copy it
        (a remote store would CONSTRUCT its named graphs)."""
        ...

    def export(self, fmt: str) -> bytes: ...

    def triple_count(self) -> int: ...

    def close(self) -> None: ...
