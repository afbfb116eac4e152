"""Parse RDF source files into named graphs, with errors that name the file and line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from graph.formats import UnknownFormat, syntax_for_path
from graph.new_graph import BlankGraphName, NewGraph, Serialised
from graph.settings import REPO_ROOT


class SourceError(ValueError):
    """Unusable input: a missing file, an unknown format or a syntax error. Names file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedSource:
    path: Path
    checksum: str
    graphs: dict[URIRef, NewGraph] = field(default_factory=dict)
    origin: str | None = None  # where the data came from when it is not a file (the URL of a fetched API)
    source_iris: tuple[str, ...] = ()  # recorded as dcterms:source of each graph in the graph metadata

    @property
    def display_path(self) -> str:
        return self.origin or display_path(self.path)


def display_path(path: Path) -> str:
    """Repository-relative where possible, so provenance reads the same on every machine."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


def graph_name_for(path: Path, base_iri: str) -> URIRef:
    """The named graph a triple file goes into: `<base>graph/<file stem>`."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem.lower())
    return URIRef(f"{base_iri}graph/{stem}")


def parse_file(path: Path, own_graph: URIRef) -> ParsedSource:
    """Triples go into `own_graph`; quads keep the graph names they carry (default-graph quads go into
    `own_graph` too)."""
    if not path.is_file():
        raise SourceError(path, "filen finns inte")
    try:
        syntax = syntax_for_path(path)
    except UnknownFormat as e:
        raise SourceError(path, str(e).split(": ", 1)[-1]) from None
    data = path.read_bytes()
    parsed = ParsedSource(path=path, checksum="sha256:" + hashlib.sha256(data).hexdigest())
    try:
        parsed.graphs = NewGraph.parsed(Serialised(data, syntax.ox_format, own_graph))
    except SyntaxError as e:
        message = str(e.msg) if e.msg else str(e)
        raise SourceError(path, f"syntaxfel: {message}", e.lineno, e.offset) from None
    except UnicodeDecodeError as e:
        raise SourceError(path, f"filen är inte UTF-8: {e}") from None
    except BlankGraphName:
        raise SourceError(path, "en namngiven graf får inte vara en blank nod") from None
    return parsed
