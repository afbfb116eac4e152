"""The default store: embedded Oxigraph, on disk (or in memory for tests and benchmarks).

All SPARQL is evaluated by Oxigraph itself; the default graph is the union of the named graphs.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.formats import syntax_by_name
from graph.new_graph import NewGraph, as_new_graph
from graph.store import Bindings, PreparedWrite, QueryError, SelectResult, StoreError
from graph.terms import to_ox, to_ox_quads, to_rdflib

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _substitutions(
    bindings: Bindings | None,
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    return {ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()}


def _triples_to_graph(triples: Iterable[ox.Triple | ox.Quad], into: Graph | None = None) -> Graph:
    g = Graph() if into is None else into
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return g


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _difference(old: set[ox.Quad], new: set[ox.Quad]) -> tuple[bool, set[ox.Quad], set[ox.Quad]]:
    """How a graph holding `old` comes to hold `new`: (drop it first?, quads to delete, quads to insert).
    A graph with blank nodes cannot be diffed (a blank node has no name to delete it by), so it is dropped and
    written whole; so is an emptied graph, so that it leaves the list of named graphs."""
    if not new or any(_has_blank(q) for q in old) or any(_has_blank(q) for q in new):
        return True, set(), new
    return False, old - new, new - old


def _meta_quads(store: ox.Store, names: Iterable[URIRef], meta_graph: URIRef) -> list[ox.Quad]:
    """What `meta_graph` states of the graphs `names`: replaced with them."""
    meta = ox.NamedNode(str(meta_graph))
    return [q for name in names for q in store.quads_for_pattern(ox.NamedNode(str(name)), None, None, meta)]


def _quads_block(quads: Iterable[ox.Quad]) -> str:
    """Quads as SPARQL data blocks, each term written by pyoxigraph itself so nothing is pasted raw."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


# Oxigraph writes a transaction of this many quads or more at well under half its bulk speed (a transaction of
# 756 000 quads: 31 s, bulk: 5.5 s, docs/benchmarks.md); larger writes to a store one process owns go through
# a copy that replaces the store (prepare_replace).
LARGE_WRITE_QUADS = 100_000


class OxigraphStore:
    def __init__(self, path: Path | None = None, *, read_only: bool = False, exclusive: bool = False) -> None:
        """`exclusive`: this process alone uses the store, as the command line does (a server shares it with
        snapshots and query workers). Only then may a large write replace the store's directory."""
        self.path = path
        self.read_only = read_only
        self.exclusive = exclusive and path is not None and not read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                _finish_interrupted_swap(path)
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as e:
            raise StoreError(f"kan inte öppna lagret {path}: {e}") from e

    # --- queries -------------------------------------------------------------------------------
    def _run(self, query: str, bindings: Bindings | None) -> object:
        try:
            return self._store.query(
                query, use_default_graph_as_union=True, substitutions=_substitutions(bindings)
            )
        except SyntaxError as e:
            raise QueryError(str(e)) from e
        except RuntimeError as e:
            # pyoxigraph raises RuntimeError when a substitution names a variable the query does not use
            raise QueryError(str(e)) from e

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("frågan är inte en SELECT-fråga")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = to_rdflib(term)
            rows.append(row)
        return SelectResult(variables=names, rows=rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("frågan är inte en ASK-fråga")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("frågan är inte en CONSTRUCT- eller DESCRIBE-fråga")
        return _triples_to_graph(result)

    def query_raw(self, query: str, result_format: str, bindings: Bindings | None = None) -> bytes:
        result = self._run(query, bindings)
        if isinstance(result, ox.QueryTriples):
            data = result.serialize(format=syntax_by_name(result_format).ox_format)
        else:
            if result_format not in _RESULT_FORMATS:
                raise QueryError(f"okänt resultatformat '{result_format}'")
            data = result.serialize(format=_RESULT_FORMATS[result_format])  # type: ignore[attr-defined]
        assert data is not None
        return bytes(data)

    # --- graphs --------------------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, name: URIRef, into: Graph | None = None) -> Graph:
        return _triples_to_graph(self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))), into)

    def replace_graphs(self, graphs: Mapping[URIRef, NewGraph | Graph], meta_graph: URIRef,
                       metadata: Graph) -> None:
        """Make each named graph hold exactly the given triples and replace their metadata, atomically."""
        write = self.prepare_replace(graphs, meta_graph)
        try:
            write.commit(metadata)
        finally:
            write.discard()

    def prepare_replace(self, graphs: Mapping[URIRef, NewGraph | Graph], meta_graph: URIRef) -> PreparedWrite:
        """The write `replace_graphs` makes, to be committed later (after validation) or discarded.

        A write of LARGE_WRITE_QUADS or more to a store this process owns is staged: a checkpoint of the store
        (hard links) takes the change at bulk speed, in a thread of its own while the caller validates, and is
        renamed into the store's place on commit. Any other write is one transaction at commit."""
        new = {name: as_new_graph(name, g) for name, g in graphs.items()}
        if self.exclusive and sum(g.size_hint() for g in new.values()) >= LARGE_WRITE_QUADS:
            return _StagedWrite(self, new, meta_graph)
        return _TransactionWrite(self, new, meta_graph)

    def _write_difference(self, new: Mapping[URIRef, NewGraph], meta_graph: URIRef, metadata: Graph) -> None:
        """Only the difference to what is stored is written: a reload that changes a few triples of a large
        graph costs a few triples. A graph seen for the first time goes in through `Store.extend` (one
        transaction, no SPARQL text to build and parse); otherwise one SPARQL Update request — one Oxigraph
        transaction — deletes and inserts the differences (`_difference`)."""
        drops: list[ox.NamedNode] = []
        deletes: list[ox.Quad] = _meta_quads(self._store, new, meta_graph)
        inserts: list[ox.Quad] = to_ox_quads(metadata, ox.NamedNode(str(meta_graph)))
        for name, g in new.items():
            gname = ox.NamedNode(str(name))
            whole, removed, added = _difference(set(self._store.quads_for_pattern(None, None, None, gname)),
                                                set(g.quads()))
            if whole:
                drops.append(gname)
            deletes.extend(removed)
            inserts.extend(added)
        try:
            if not drops and not deletes:
                self._store.extend(inserts)
                return
            ops = [f"DROP SILENT GRAPH {g}" for g in drops]
            if deletes:
                ops.append("DELETE DATA {\n" + _quads_block(deletes) + "\n}")
            if inserts:
                ops.append("INSERT DATA {\n" + _quads_block(inserts) + "\n}")
            self._store.update(" ;\n".join(ops))
        except (SyntaxError, OSError) as e:
            raise StoreError(f"kunde inte skriva till lagret: {e}") from e

    def _stage(self, staging: Path, new: Mapping[URIRef, NewGraph]) -> None:
        """The graphs written into a checkpoint of the store at `staging`, without a transaction: a graph the
        store lacks loaded in bulk (from its bytes when it has them), a graph it holds by the difference."""
        shutil.rmtree(staging, ignore_errors=True)
        self._store.flush()
        self._store.backup(str(staging))
        copy = ox.Store(str(staging))
        for name, g in new.items():
            gname = ox.NamedNode(str(name))
            old = set(self._store.quads_for_pattern(None, None, None, gname))
            if not old:  # a graph the store lacks: its bytes, loaded in bulk
                g.load_into(copy, bulk=True)
                continue
            # removing a graph of 700 000 quads costs what a transaction of them does: only the difference
            whole, removed, added = _difference(old, set(g.quads()))
            if whole:
                copy.remove_graph(gname)
            for q in removed:
                copy.remove(q)
            copy.bulk_extend(added)
        copy.flush()
        del copy  # releases the copy's lock before it is renamed and opened as the store

    def _stage_metadata(self, staging: Path, names: Iterable[URIRef], meta_graph: URIRef, metadata: Graph) -> None:
        copy = ox.Store(str(staging))
        for q in _meta_quads(copy, names, meta_graph):
            copy.remove(q)
        copy.bulk_extend(to_ox_quads(metadata, ox.NamedNode(str(meta_graph))))
        copy.flush()
        del copy

    def _swap(self, staging: Path) -> None:
        """A crash before the rename leaves the store as it was; one between the two renames is finished when the
        store is next opened (`_finish_interrupted_swap`)."""
        assert self.path is not None
        del self._store
        swap_in(staging, self.path)
        self._store = ox.Store(str(self.path))

    def quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None if graph is None else ox.NamedNode(graph)))

    def clear(self) -> None:
        self._store.clear()

    def snapshot(self, target: Path) -> None:
        """A consistent copy of the whole store at `target`, for another process to open on its own: a RocksDB
        checkpoint of an on-disk store (hard links, milliseconds), a bulk-loaded copy of one in memory."""
        try:
            if self.path is not None:
                self._store.backup(str(target))
                return
            copy = ox.Store(str(target))
            copy.bulk_extend(self._store)
            copy.flush()
            del copy  # releases the directory's lock for the process that opens it next
        except OSError as e:
            raise StoreError(f"kunde inte kopiera lagret till {target}: {e}") from e

    def bulk_load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Fast, non-transactional load; only for building a fresh store that is swapped in afterwards."""
        self._store.bulk_extend(quads)

    # --- export --------------------------------------------------------------------------------
    def export(self, fmt: str) -> bytes:
        syntax = syntax_by_name(fmt)
        if syntax.quads:
            data = self._store.dump(format=syntax.ox_format)
        else:
            union = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            data = ox.serialize(union, format=syntax.ox_format)  # type: ignore[arg-type]
        assert data is not None
        return bytes(data)

    def triple_count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
        # pyoxigraph releases the database (and its lock) when the object is dropped.
        del self._store


class _TransactionWrite:
    """A write made at commit, in one transaction (graph.store.PreparedWrite)."""

    def __init__(self, store: OxigraphStore, new: Mapping[URIRef, NewGraph], meta_graph: URIRef) -> None:
        self.store, self.new, self.meta_graph = store, new, meta_graph

    def start(self) -> None:
        pass

    def commit(self, metadata: Graph) -> None:
        self.store._write_difference(self.new, self.meta_graph, metadata)

    def discard(self) -> None:
        pass


class _StagedWrite:
    """A large write staged in a checkpoint of the store by a thread of its own (pyoxigraph releases the GIL
    while it loads), then swapped in whole at commit (graph.store.PreparedWrite)."""

    def __init__(self, store: OxigraphStore, new: Mapping[URIRef, NewGraph], meta_graph: URIRef) -> None:
        assert store.path is not None
        self.store = store
        self.staging = store.path.with_name(store.path.name + ".next")
        self.names, self.meta_graph = list(new), meta_graph
        self._stage = partial(store._stage, self.staging, new)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._done = False

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sparbar-stage", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._stage()
        except BaseException as e:  # handed to the thread that commits
            self._error = e

    def commit(self, metadata: Graph) -> None:
        if self._thread is None:
            self._run()
        else:
            self._thread.join()
        if self._error is not None:
            raise StoreError(f"kunde inte skriva till lagret: {self._error}") from self._error
        try:
            self.store._stage_metadata(self.staging, self.names, self.meta_graph, metadata)
        except OSError as e:
            raise StoreError(f"kunde inte skriva till lagret: {e}") from e
        self.store._swap(self.staging)
        self._done = True

    def discard(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if not self._done:
            shutil.rmtree(self.staging, ignore_errors=True)


def _finish_interrupted_swap(path: Path) -> None:
    """A swap stopped between its two renames leaves the new store at `<path>.next` and the old at `<path>.old`:
    the new one was complete (it is renamed only after it is flushed), so it takes the store's place. A staging
    copy left without a swap begun is removed."""
    staging, old = path.with_name(path.name + ".next"), path.with_name(path.name + ".old")
    if not path.exists() and staging.exists() and old.exists():
        staging.rename(path)
    for leftover in (staging, old):
        if leftover.exists() and path.exists():
            shutil.rmtree(leftover)


def swap_in(new_path: Path, target: Path) -> None:
    """Replace the store directory at `target` with the one built at `new_path`."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new_path.rename(target)
    if old.exists():
        shutil.rmtree(old)
