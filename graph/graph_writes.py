"""Writes that do not come from a file — SPARQL Update, the Graph Store Protocol — held to the rules of a load.

Each written graph is a source of its own: it is named `<base>graph/<name>`, recorded in the meta graph like a
loaded file (origin instead of a path, a checksum of its content), and the store as it would be is validated by
`graph.pipeline.check`, exactly as `sparbar load` does. A Violation raises LoadRefused and nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.formats import SYNTAXES
from graph.new_graph import NewGraph
from graph.parse import ParsedSource
from graph.pipeline import LoadPlan, LoadRefused, check, metadata_for
from graph.settings import Region
from graph.store import Store
from graph.terms import to_rdflib
from graph.validation import Report, Validator

__all__ = ["LoadRefused", "UnsupportedFormat", "WriteRefused", "content_checksum", "parse_graph", "writable_graph",
           "write_graphs"]


class WriteRefused(ValueError):
    """A write that breaks the layout of the store (which graphs exist and who keeps them), or content that
    cannot be read. Nothing was written."""


class UnsupportedFormat(WriteRefused):
    """Content in a syntax that is not a triple syntax Spårbar reads."""


def writable_graph(name: str, region: Region) -> URIRef:
    """A graph a client may write: `<base>graph/<name>`, except the meta graph that Spårbar keeps itself."""
    prefix = region.graph_iri("")
    if not name.startswith(prefix) or len(name) == len(prefix):
        raise WriteRefused(
            f"Grafen <{name}> kan inte skrivas: skrivbara grafer heter <{prefix}NAMN> (en graf per källa)."
        )
    if name == region.meta_graph_iri:
        raise WriteRefused(f"Metadatagrafen <{name}> sköts av Spårbar och kan inte skrivas direkt.")
    return URIRef(name)


def parse_graph(data: bytes, media_type: str, base_iri: str) -> Graph:
    """The triples of a request body in a triple syntax (Turtle, N-Triples, JSON-LD, RDF/XML); errors name the
    line and column."""
    syntax = next((s for s in SYNTAXES.values() if s.media_type == media_type and not s.quads), None)
    if syntax is None:
        offered = ", ".join(s.media_type for s in SYNTAXES.values() if not s.quads)
        raise UnsupportedFormat(f"Formatet '{media_type or '(saknas)'}' tas inte emot för en graf; använd {offered}.")
    g = Graph()
    try:
        for t in ox.parse(data, syntax.ox_format, base_iri=base_iri):
            if not isinstance(t.graph_name, ox.DefaultGraph):
                raise WriteRefused("Innehållet ska vara tripler, inte en namngiven graf.")
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    except SyntaxError as e:
        where = f"rad {e.lineno}, kolumn {e.offset}: " if e.lineno else ""
        raise WriteRefused(f"Syntaxfel i innehållet ({syntax.name}), {where}{e.msg or e}") from None
    except UnicodeDecodeError as e:
        raise WriteRefused(f"Innehållet är inte UTF-8: {e}") from None
    return g


def content_checksum(graph: Graph) -> str:
    """sha256 of the graph's sorted N-Triples: the same triples give the same checksum (blank nodes aside)."""
    lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def write_graphs(store: Store, graphs: Mapping[URIRef, Graph], region: Region, validator: Validator,
                 origin: str, source_iri: str | None = None, now: datetime | None = None) -> Report:
    """Make each graph hold exactly the given triples (an empty graph is removed), or raise WriteRefused or
    LoadRefused having written nothing. Returns the validation report (Warnings)."""
    for name in graphs:
        writable_graph(str(name), region)
    plan = LoadPlan(sources=[
        ParsedSource(path=Path(origin), checksum=content_checksum(g), graphs={name: NewGraph(name, graph=g)},
                     origin=origin,
                     source_iris=(source_iri,) if source_iri else ())
        for name, g in graphs.items()
    ])
    report = check(store, plan, region, validator)
    if not report.conforms:
        raise LoadRefused(report)
    metadata = metadata_for(plan, now or datetime.now(UTC))
    for name, g in graphs.items():
        if len(g) == 0:  # a removed graph leaves the meta graph too
            metadata.remove((name, None, None))
    store.replace_graphs(dict(graphs), URIRef(region.meta_graph_iri), metadata)
    return report
