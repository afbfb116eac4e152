"""The default store: embedded Oxigraph, on disk (or in memory for tests and benchmarks).

All SPARQL is evaluated by Oxigraph itself; the default graph is the union of the named graphs.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.formats import syntax_by_name
from graph.store import Bindings, QueryError, SelectResult, StoreError
from graph.terms import to_ox, to_rdflib

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


def _triples_to_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    g = Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return g


def _ntriples_block(graph: Graph) -> str:
    """Triples as N-Triples text, each term written by pyoxigraph itself so nothing is pasted raw."""
    return "\n".join(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in graph)


class OxigraphStore:
    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
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

    def graph(self, name: URIRef) -> Graph:
        return _triples_to_graph(self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], meta_graph: URIRef, metadata: Graph) -> None:
        # One SPARQL Update request is one Oxigraph transaction: readers see all of it or none.
        meta = to_ox(meta_graph)
        ops = []
        for name in graphs:
            ops.append(f"DROP SILENT GRAPH {to_ox(name)}")
            ops.append(f"DELETE WHERE {{ GRAPH {meta} {{ {to_ox(name)} ?p ?o }} }}")
        blocks = [f"GRAPH {to_ox(name)} {{\n{_ntriples_block(g)}\n}}" for name, g in graphs.items() if len(g)]
        if len(metadata):
            blocks.append(f"GRAPH {meta} {{\n{_ntriples_block(metadata)}\n}}")
        if blocks:
            ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        try:
            self._store.update(" ;\n".join(ops))
        except (SyntaxError, OSError) as e:
            raise StoreError(f"kunde inte skriva till lagret: {e}") from e

    def clear(self) -> None:
        self._store.clear()

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
