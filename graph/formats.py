"""RDF syntaxes by short name and file extension, in one place for the CLI, the store and the server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    ox_format: ox.RdfFormat
    media_type: str
    extensions: tuple[str, ...]
    quads: bool


SYNTAXES: dict[str, RdfSyntax] = {
    s.name: s
    for s in (
        RdfSyntax("ttl", ox.RdfFormat.TURTLE, "text/turtle", (".ttl", ".turtle"), False),
        RdfSyntax("nt", ox.RdfFormat.N_TRIPLES, "application/n-triples", (".nt",), False),
        RdfSyntax("nq", ox.RdfFormat.N_QUADS, "application/n-quads", (".nq",), True),
        RdfSyntax("trig", ox.RdfFormat.TRIG, "application/trig", (".trig",), True),
        RdfSyntax("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", (".jsonld", ".json"), False),
        RdfSyntax("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml", (".rdf", ".owl", ".xml"), False),
    )
}


class UnknownFormat(ValueError):
    pass


def syntax_for_path(path: Path) -> RdfSyntax:
    suffix = path.suffix.lower()
    for syntax in SYNTAXES.values():
        if suffix in syntax.extensions:
            return syntax
    known = ", ".join(ext for s in SYNTAXES.values() for ext in s.extensions)
    raise UnknownFormat(f"{path}: okänt filformat '{suffix}' (kända: {known})")


def syntax_by_name(name: str) -> RdfSyntax:
    try:
        return SYNTAXES[name]
    except KeyError:
        raise UnknownFormat(f"okänt format '{name}' (kända: {', '.join(SYNTAXES)})") from None
