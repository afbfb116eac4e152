"""The pool of query processes behind /sparql.

A running pyoxigraph query cannot be cancelled from Python, and a query nested deep enough crashes the process
that parses it. So queries run in separate processes (multiprocessing, spawn: no copy of the server's threads
or open store), each reading the newest snapshot generation of the store read-only. The server waits at most
`timeout` seconds for an answer; then it kills the process — the query stops and its core is free — and starts
a new one in the background. A process that dies on its own (the engine crashed) is replaced the same way.

Waiting for a process takes a thread of the server's threadpool, which the pages share; so at most
`WAITING_PER_WORKER` requests per process may wait, and any more are told at once that the service is busy.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from graph.snapshots import Snapshots
from server.sparql import engine
from server.sparql.engine import Job

log = logging.getLogger(__name__)
_SPAWN = multiprocessing.get_context("spawn")
WAITING_PER_WORKER = 4


class QueryFailed(Exception):
    """A query that produced no result; the message is for the client, in Swedish."""


class QueryTimeout(QueryFailed):
    pass


class PoolBusy(QueryFailed):
    pass


class EngineCrashed(QueryFailed):
    pass


class QuerySyntaxError(QueryFailed):
    pass


class TooManyRows(QueryFailed):
    pass


class EngineError(QueryFailed):
    pass


class Unavailable(QueryFailed):
    """The endpoint cannot run queries on this kind of store."""


@dataclass(frozen=True)
class Answer:
    format: str  # a key of engine.RESULT_FORMATS or engine.GRAPH_FORMATS
    data: bytes


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    snapshot: str = ""  # the generation it has open (or opens with its current job)


class QueryPool:
    def __init__(self, snapshots: Snapshots, size: int, timeout: float) -> None:
        self.snapshots = snapshots
        self.size = max(1, size)
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._admitted = threading.BoundedSemaphore(self.size * WAITING_PER_WORKER)
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    # --- life cycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the processes (once); the first query calls it when the server did not."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self.snapshots.current()
        starters = [threading.Thread(target=self._add_worker, daemon=True) for _ in range(self.size)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()

    def _add_worker(self) -> None:
        parent, child = _SPAWN.Pipe(duplex=True)
        process = _SPAWN.Process(target=engine.serve, args=(child,), daemon=True, name="sparbar-sparql")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            if self._closed:
                _stop(worker)
                return
            self._workers.append(worker)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker (it may be running a query) and start its replacement in the background."""
        _stop(worker)
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            closed = self._closed
        if not closed:
            threading.Thread(target=self._add_worker, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for w in workers:
            _stop(w)
        self.snapshots.close()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def refresh(self) -> None:
        """After a write: a new generation, which every worker opens with its next query."""
        self.snapshots.refresh()
        self._prune()

    def _prune(self) -> None:
        with self._lock:
            self.snapshots.prune(w.snapshot for w in self._workers if w.snapshot)

    # --- queries -----------------------------------------------------------------------------------
    def run(self, job: Job) -> Answer:
        """Run one query in a worker; blocks the calling thread (a threadpool thread, not the event loop)."""
        self.start()
        if not self._admitted.acquire(blocking=False):
            raise PoolBusy("För många frågor körs eller väntar just nu. Försök igen om en stund.")
        try:
            return self._run(job)
        finally:
            self._admitted.release()

    def _run(self, job: Job) -> Answer:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(
                f"Alla {self.size} frågeprocesser har varit upptagna i {self.timeout:g} s. Försök igen om en stund."
            ) from None
        with self._lock:  # so that no prune deletes the generation between choosing and opening it
            worker.snapshot = str(self.snapshots.current())
        job = replace(job, snapshot=worker.snapshot)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                self._discard(worker)
                raise QueryTimeout(
                    f"Frågan avbröts efter {self.timeout:g} s, tjänstens tidsgräns. Begränsa frågan (färre mönster, "
                    "LIMIT) eller kör den mot en egen kopia av data (se dumparna)."
                )
            kind, detail = worker.conn.recv()
            data = worker.conn.recv_bytes() if kind == "ok" else b""
        except (EOFError, OSError) as e:
            log.warning("a query process died (exit code %s): %s", worker.process.exitcode, e)
            self._discard(worker)
            raise EngineCrashed(
                "Frågemotorn kraschade på den här frågan och har startats om. Frågan gav inget resultat."
            ) from None
        self._idle.put(worker)
        self._prune()
        if kind == "ok":
            return Answer(detail, data)
        if kind == "syntax":
            raise QuerySyntaxError(f"Syntaxfel i frågan: {detail}")
        if kind == "unavailable":
            raise Unavailable(f"Frågeprocessen kunde inte öppna lagret: {detail}")
        if kind == "too_many_rows":
            raise TooManyRows(
                f"Resultatet har fler än {detail} rader (eller tripler), tjänstens gräns. Hämta det i delar med "
                "LIMIT och OFFSET, eller hämta en dump av hela grafen."
            )
        raise EngineError(f"Frågan kunde inte köras: {detail}")


def _stop(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(timeout=10)
    worker.conn.close()
