"""A built graph and its provenance → the ParsedSource that graph.pipeline.apply validates and writes (all or
nothing, with the graph's metadata: where it came from and when)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from graph.new_graph import NewGraph
from graph.parse import ParsedSource


def parsed_source(graph_name: URIRef, graph: Graph, *, origin: str, bodies: Iterable[bytes],
                  source_iris: Iterable[str], path: Path | None = None) -> ParsedSource:
    """`origin` is what the graph metadata shows as its source path (the first URL, or the file); the checksum
    is of the bytes that were read, in order."""
    digest = hashlib.sha256()
    for body in bodies:
        digest.update(body)
    named = Graph(identifier=graph_name)
    named += graph
    return ParsedSource(
        path=path or Path(origin), checksum="sha256:" + digest.hexdigest(),
        graphs={graph_name: NewGraph(graph_name, graph=named)},
        origin=None if path is not None else origin, source_iris=tuple(source_iris),
    )
