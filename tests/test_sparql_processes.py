"""The query processes behind /sparql: a time limit that really stops the query, a crashed engine that comes back,
the row limit, and pages that keep answering while a slow query runs (on a real uvicorn server)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app
from server.sparql.workers import WAITING_PER_WORKER

# 10^10 combinations: runs for many minutes unless stopped
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(10)) + " }"
ASK = "ASK { ?s ?p ?o }"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists()


def wait_for(condition, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def app_with(store: Store, region: Region, tmp_path: Path, **settings: object) -> FastAPI:
    return create_app(Settings(store=tmp_path / "store", **settings), store, region)  # type: ignore[arg-type]


def test_timeout_kills_the_query_process(loaded_store: Store, region: Region, tmp_path: Path) -> None:
    with TestClient(app_with(loaded_store, region, tmp_path, query_timeout=1.5, query_workers=1)) as client:
        pool = client.app.state.sparql.pool  # type: ignore[attr-defined]
        assert client.get("/sparql", params={"query": ASK}).status_code == 200
        [before] = pool.pids()
        started = time.monotonic()
        response = client.get("/sparql", params={"query": SLOW})
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert "avbröts efter 1.5 s" in response.text
        assert 1.4 < elapsed < 6
        assert not alive(before)  # the process that ran it is gone: the query no longer holds a core
        assert wait_for(lambda: len(pool.pids()) == 1)
        [after] = pool.pids()
        assert after != before
        assert json.loads(client.get("/sparql", params={"query": ASK}).text)["boolean"] is True


def test_an_engine_crash_is_a_500_and_a_fresh_process(loaded_store: Store, region: Region, tmp_path: Path) -> None:
    """With the nesting limit lifted, a query nested 3000 deep segfaults pyoxigraph: the server survives it."""
    with TestClient(app_with(loaded_store, region, tmp_path, max_query_depth=1_000_000,
                             max_query_bytes=1_000_000, query_workers=1)) as client:
        pool = client.app.state.sparql.pool  # type: ignore[attr-defined]
        [before] = pool.pids()
        deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
        response = client.post("/sparql", content=deep, headers={"content-type": "application/sparql-query"})
        assert response.status_code == 500
        assert "kraschade" in response.text
        assert not alive(before)
        assert wait_for(lambda: len(pool.pids()) == 1)
        assert json.loads(client.get("/sparql", params={"query": ASK}).text)["boolean"] is True


def test_row_limit(loaded_store: Store, region: Region, tmp_path: Path) -> None:
    ten = "SELECT ?i WHERE { VALUES ?i { 1 2 3 4 5 6 7 8 9 10 } }"
    with TestClient(app_with(loaded_store, region, tmp_path, max_result_rows=5)) as client:
        for accept in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
            response = client.get("/sparql", params={"query": ten}, headers={"accept": accept})
            assert response.status_code == 400
            assert "fler än 5 rader" in response.text and "LIMIT" in response.text
        response = client.get("/sparql", params={"query": ten + " LIMIT 5"}, headers={"accept": "text/csv"})
        assert response.status_code == 200
        assert response.text.splitlines() == ["i", "1", "2", "3", "4", "5"]
        construct = "CONSTRUCT { ?s <urn:p> ?i } WHERE { VALUES ?i { 1 2 3 4 5 6 } BIND(<urn:s> AS ?s) }"
        assert client.get("/sparql", params={"query": construct}).status_code == 400
        assert client.get("/sparql", params={"query": construct.replace(" 6 ", " ")}).status_code == 200


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """The app on a real uvicorn server on a free loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: server.started)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def test_pages_and_other_queries_answer_while_a_slow_query_runs(loaded_store: Store, region: Region,
                                                                  tmp_path: Path) -> None:
    app = app_with(loaded_store, region, tmp_path, query_timeout=4, query_workers=2)
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        slow: list[httpx.Response] = []
        thread = threading.Thread(target=lambda: slow.append(http.get("/sparql", params={"query": SLOW})))
        started = time.monotonic()
        thread.start()
        time.sleep(0.5)  # the slow query is running in one of the two processes
        answered = 0
        while time.monotonic() - started < 3:
            t = time.monotonic()
            page = http.get("/")
            query = http.get("/sparql", params={"query": ASK})
            assert page.status_code == 200 and query.status_code == 200
            assert time.monotonic() - t < 1.0
            answered += 1
        assert thread.is_alive()  # all of that happened while the slow query ran
        thread.join()
        assert slow[0].status_code == 503
        assert answered >= 3


def test_slow_query_still_stopped_when_the_client_gives_up(loaded_store: Store, region: Region,
                                                           tmp_path: Path) -> None:
    app = app_with(loaded_store, region, tmp_path, query_timeout=2, query_workers=1)
    with running(app) as base:
        pool = app.state.sparql.pool
        assert wait_for(lambda: len(pool.pids()) == 1)
        [before] = pool.pids()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(base + "/sparql", params={"query": SLOW}, timeout=0.5)
        assert wait_for(lambda: not alive(before), seconds=10)
        assert wait_for(lambda: len(pool.pids()) == 1)
        assert httpx.get(base + "/sparql", params={"query": ASK}, timeout=10).status_code == 200


def test_a_flood_of_slow_queries_is_turned_away_and_pages_still_answer(loaded_store: Store, region: Region,
                                                                       tmp_path: Path) -> None:
    """One process admits WAITING_PER_WORKER requests (running or waiting); the rest get 503 at once instead of
    holding threads the pages need."""
    app = app_with(loaded_store, region, tmp_path, query_timeout=3, query_workers=1)
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        results: list[tuple[int, float, str]] = []

        def slow() -> None:
            t = time.monotonic()
            r = http.get("/sparql", params={"query": SLOW})
            results.append((r.status_code, time.monotonic() - t, r.text))

        threads = [threading.Thread(target=slow) for _ in range(WAITING_PER_WORKER + 4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        page = http.get("/")
        assert page.status_code == 200 and page.elapsed.total_seconds() < 1.0
        for t in threads:
            t.join()
        turned_away = [r for r in results if "För många frågor" in r[2]]
        assert len(turned_away) == 4
        assert all(status == 503 and seconds < 1.0 for status, seconds, _ in turned_away)
        assert all(status == 503 for status, _, _ in results)  # the admitted ones ran into the time limit
