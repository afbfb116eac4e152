"""Gzip dumps of the store: the whole graph as N-Quads and TriG, and each named graph as N-Quads.

Built lazily, on the first request after the data changed, into `<folder>/<data version>/` and kept there with a
manifest (byte size, SHA-1 and SHA-256 of each file), so a restart reuses them; older versions are deleted once a
new one is complete. A build goes into a scratch folder that is renamed into place, so a reader never sees half
a dump, and gzip's header carries no time, so the same data gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from graph.named_queries import NamedQuery
from graph.settings import Region
from graph.store import Store

WHOLE = "sparbar"
MANIFEST = "manifest.json"
_SYNTAX = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
_MEDIA_TYPE = {"nq": "application/n-quads", "trig": "application/trig"}


@dataclass(frozen=True)
class Dump:
    name: str  # the path under /dumps/: "sparbar.nq.gz", "graph/example.nq.gz"
    syntax: str  # "nq" | "trig"
    graph: str | None  # the named graph, or None for the whole store
    byte_size: int
    sha1: str
    sha256: str

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPE[self.syntax]


def graph_quads(store: Store, queries: Mapping[str, NamedQuery], name: URIRef, syntax: str) -> bytes:
    """One named graph's content as N-Quads or TriG, in that graph (the CONSTRUCT gives triples without it)."""
    triples = store.query_raw(queries["graph-content"].text, "nt", {"graph": name})
    graph_name = ox.NamedNode(str(name))
    quads = (ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in ox.parse(triples, ox.RdfFormat.N_TRIPLES))
    data = ox.serialize(quads, format=_SYNTAX[syntax])
    return bytes(data or b"")


def file_stem(graph: str, region: Region) -> str:
    """`<base>graph/example` → "example"; a graph named outside the base gets a stable hash name."""
    local = graph.removeprefix(region.graph_iri(""))
    if local != graph and re.fullmatch(r"[A-Za-z0-9_-]+", local):
        return local
    return "g-" + hashlib.sha256(graph.encode("utf-8")).hexdigest()[:16]


def _write(folder: Path, name: str, syntax: str, graph: str | None, data: bytes) -> Dump:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    path.write_bytes(packed)
    return Dump(name, syntax, graph, len(packed), hashlib.sha1(packed).hexdigest(),
                hashlib.sha256(packed).hexdigest())


class DumpCache:
    """The dumps of one store, on disk in `folder`; `current(version)` builds them when that version has none."""

    def __init__(self, folder: Path, store: Store, region: Region, queries: Mapping[str, NamedQuery],
                 version: Callable[[], str]) -> None:
        self.folder = folder
        self.store = store
        self.region = region
        self.queries = queries
        self.version = version
        self._lock = threading.Lock()

    def current(self) -> tuple[str, list[Dump]]:
        """The data version and its dumps, building them first if needed (seconds at a million triples)."""
        with self._lock:
            for _ in range(3):
                version = self.version()
                dumps = self._read(version)
                if dumps is not None:
                    return version, dumps
                dumps = self._build(version)
                if self.version() == version:  # no write happened while building
                    return version, dumps
            raise RuntimeError("datamängden ändrades under varje försök att bygga dumparna")

    def path(self, version: str, dump: Dump) -> Path:
        return self.folder / version / dump.name

    def _read(self, version: str) -> list[Dump] | None:
        manifest = self.folder / version / MANIFEST
        if not manifest.is_file():
            return None
        return [Dump(**d) for d in json.loads(manifest.read_text(encoding="utf-8"))]

    def _build(self, version: str) -> list[Dump]:
        scratch = self.folder / f".{version}.building"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        dumps = [_write(scratch, f"{WHOLE}.{syntax}.gz", syntax, None, self.store.export(syntax))
                 for syntax in ("nq", "trig")]
        for name in self.store.graph_names():
            data = graph_quads(self.store, self.queries, name, "nq")
            dumps.append(_write(scratch, f"graph/{file_stem(str(name), self.region)}.nq.gz", "nq", str(name), data))
        (scratch / MANIFEST).write_text(json.dumps([asdict(d) for d in dumps], indent=1), encoding="utf-8")
        target = self.folder / version
        shutil.rmtree(target, ignore_errors=True)
        scratch.rename(target)
        for old in self.folder.iterdir():
            if old != target and old.is_dir() and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        return dumps
