"""What runs inside a query process: open a read-only snapshot of the store, run one query, serialise the result.

Imports pyoxigraph and the standard library only, so that a process (multiprocessing, spawn) starts quickly.
The server process kills this process when a query outlives its time; nothing here needs to cooperate.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO, cast

import pyoxigraph as ox

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Job:
    query: str
    results_format: str  # for SELECT and ASK: a key of RESULT_FORMATS
    graph_format: str  # for CONSTRUCT and DESCRIBE: a key of GRAPH_FORMATS
    max_rows: int
    base_iri: str | None = None
    # The protocol's dataset (default-graph-uri / named-graph-uri): when given it replaces the query's own.
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True  # without any dataset, the default graph is the union of the named graphs
    substitutions: tuple[tuple[str, str], ...] = ()  # variable name → IRI, bound by the engine
    prefixes: tuple[tuple[str, str], ...] = ()  # for Turtle output
    snapshot: str = ""  # the store directory to read; set by the pool


class TooManyRows(Exception):
    pass


class _RowCounter(io.RawIOBase):
    """Collects TSV results and stops the engine once there is one row too many: TSV writes one line per row
    (newlines inside literals are escaped), after a header line."""

    def __init__(self, max_rows: int) -> None:
        super().__init__()
        self.max_lines = max_rows + 1
        self.lines = 0
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = bytes(b)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise TooManyRows()
        self.buffer += chunk
        return len(chunk)


def _limited(triples: Iterable[ox.Triple], max_rows: int) -> Iterator[ox.Triple]:
    for n, triple in enumerate(triples, start=1):
        if n > max_rows:
            raise TooManyRows()
        yield triple


def execute(store: ox.Store, job: Job) -> tuple[str, bytes]:
    """(format key, serialised result). Raises SyntaxError, TooManyRows, or the engine's own errors."""
    options: dict = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    if job.substitutions:
        options["substitutions"] = {ox.Variable(k): ox.NamedNode(v) for k, v in job.substitutions}
    result = store.query(job.query, base_iri=job.base_iri, **options)
    if isinstance(result, ox.QueryBoolean):
        return job.results_format, bytes(result.serialize(format=RESULT_FORMATS[job.results_format]) or b"")
    if isinstance(result, ox.QuerySolutions):
        counter = _RowCounter(job.max_rows)
        result.serialize(cast(IO[bytes], counter), ox.QueryResultsFormat.TSV)
        tsv = bytes(counter.buffer)
        if job.results_format == "tsv":
            return "tsv", tsv
        solutions = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        return job.results_format, bytes(solutions.serialize(format=RESULT_FORMATS[job.results_format]) or b"")
    data = ox.serialize(_limited(result, job.max_rows), format=GRAPH_FORMATS[job.graph_format],
                        prefixes=dict(job.prefixes) or None)
    return job.graph_format, bytes(data or b"")


def serve(conn: Connection) -> None:
    """The process's loop: receive a Job, answer ("ok", format) plus the bytes, or (error kind, message) with kind
    one of syntax, too_many_rows, unavailable (the snapshot cannot be opened), error."""
    store: ox.Store | None = None
    opened = ""
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return  # the server closed the pipe
        if job.snapshot != opened or store is None:
            store = None  # close the old snapshot before opening the new one
            try:
                store = ox.Store.read_only(job.snapshot)
            except OSError as e:
                conn.send(("unavailable", str(e)))
                continue
            opened = job.snapshot
        try:
            fmt, data = execute(store, job)
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
            continue
        except TooManyRows:
            conn.send(("too_many_rows", str(job.max_rows)))
            continue
        except (OSError, RuntimeError, ValueError, TypeError) as e:
            conn.send(("error", str(e)))
            continue
        conn.send(("ok", fmt))
        conn.send_bytes(data)
