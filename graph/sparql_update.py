"""SPARQL Update over the whole store, worked out on a copy: which named graphs would it change, and to what?

The update runs in a child process (multiprocessing, spawn) on a scratch copy of the store, so that the store
itself is never touched by it, a crash of the engine stays in the child, and a time limit really stops it. The
child reports the new content of every named graph whose triples changed, and how many triples the update
left in the default graph. The caller validates and writes the changed graphs (graph.graph_writes). The copy
is a checkpoint (hard links) of an on-disk store; comparing graph contents costs one pass over the store.
"""

from __future__ import annotations

import multiprocessing
import shutil
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.snapshots import Snapshottable
from graph.terms import to_rdflib

_SPAWN = multiprocessing.get_context("spawn")


class UpdateFailed(Exception):
    """The update could not be worked out; the message says why, in Swedish. Nothing was written."""


class UpdateSyntaxError(UpdateFailed):
    pass


class UpdateTimeout(UpdateFailed):
    pass


@dataclass
class UpdateOutcome:
    changed: dict[URIRef, Graph]  # the new content of every named graph the update changed (empty: removed)
    default_graph_triples: int  # triples the update left in the default graph


def run_update(store: Snapshottable, update: str, base_iri: str | None, timeout: float,
               workdir: Path) -> UpdateOutcome:
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = workdir / f"update-{uuid.uuid4().hex}"
    store.snapshot(scratch)
    try:
        parent, child = _SPAWN.Pipe(duplex=False)
        process = _SPAWN.Process(target=_apply, args=(str(scratch), update, base_iri, child), daemon=True,
                                 name="sparbar-update")
        process.start()
        child.close()
        try:
            if not parent.poll(timeout):
                process.kill()
                raise UpdateTimeout(f"Uppdateringen avbröts efter {timeout:g} s; ingenting skrevs.")
            message = parent.recv()
        except EOFError:
            raise UpdateFailed(
                f"Uppdateringen fick frågemotorn att krascha (slutkod {process.exitcode}); ingenting skrevs."
            ) from None
        finally:
            process.join(timeout=10)
            parent.close()
        kind = message[0]
        if kind == "syntax":
            raise UpdateSyntaxError(f"Syntaxfel i uppdateringen: {message[1]}")
        if kind == "error":
            raise UpdateFailed(f"Uppdateringen kunde inte köras: {message[1]}")
        _, default_triples, changed = message
        return UpdateOutcome({URIRef(name): _graph(data) for name, data in changed}, default_triples)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _graph(ntriples: bytes) -> Graph:
    g = Graph()
    for t in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return g


def _fingerprints(store: ox.Store) -> dict[str, tuple[int, int]]:
    """Per named graph: (triples, sum of their hashes) — equal before and after exactly when nothing changed,
    barring a hash collision. Hashes are compared within one process only."""
    prints: dict[str, tuple[int, int]] = {}
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            count, total = prints.get(quad.graph_name.value, (0, 0))
            prints[quad.graph_name.value] = (count + 1, total + hash(str(quad)))
    return prints


def _apply(path: str, update: str, base_iri: str | None, conn: Connection) -> None:
    """The child: apply the update to the scratch copy and report what it changed."""
    store = ox.Store(path)
    before = _fingerprints(store)
    try:
        store.update(update, base_iri=base_iri)
    except SyntaxError as e:
        conn.send(("syntax", str(e)))
        return
    except (OSError, RuntimeError, ValueError) as e:
        conn.send(("error", str(e)))
        return
    after = _fingerprints(store)
    changed = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            triples = (q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
            changed.append((name, bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")))
    default_triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    conn.send(("ok", default_triples, changed))
