"""Test helpers for the indicator sources: recorded API answers served through httpx.MockTransport (the network
is never used), and fresh writable copies of the loaded store."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from graph.oxigraph_store import OxigraphStore

RECORDED = Path(__file__).parent / "recorded"
Answer = Callable[[httpx.Request], httpx.Response]


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def json_answer(data: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=data)


def file_answer(name: str) -> Answer:
    return lambda _request: httpx.Response(200, content=(RECORDED / name).read_bytes(),
                                           headers={"content-type": "application/json; charset=utf-8"})


@dataclass
class RecordedApi:
    """Answers by URL path (and, for paged answers, a query-string fragment); records every request."""

    routes: list[tuple[str, str, Answer]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def route(self, path: str, answer: Answer, query: str = "") -> RecordedApi:
        self.routes.insert(0, (path, query, answer))  # later routes win: a test overrides one answer
        return self

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for path, query, answer in self.routes:
            if request.url.path == path and query in request.url.query.decode():
                return answer(request)
        return httpx.Response(404, text=f"no recorded answer for {request.url}")

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle), timeout=5.0)


def kolada_api() -> RecordedApi:
    return (RecordedApi()
            .route("/v3/kpi/N00914", file_answer("kolada/kpi-N00914.json"))
            .route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                   file_answer("kolada/data-N00914-page1.json"))
            .route("/v3/data/kpi/N00914/municipality/0019,1980,1983/year/2022,2023",
                   file_answer("kolada/data-N00914-page2.json"), query="page=2"))


def kolada_recorded_values() -> dict[tuple[str, int, str], Decimal]:
    """(Kolada area id, year, gender) → value, read straight from the recorded pages: null and withdrawn
    (isdeleted) values are not values."""
    out = {}
    for page in ("kolada/data-N00914-page1.json", "kolada/data-N00914-page2.json"):
        for entry in recorded(page)["values"]:
            for v in entry["values"]:
                if v["value"] is not None and not v["isdeleted"]:
                    out[(entry["municipality"], int(entry["period"]), v["gender"])] = Decimal(str(v["value"]))
    return out


def copy_store(store: OxigraphStore, path: Path | None = None) -> OxigraphStore:
    """A writable copy, in memory or on disk at `path` (the session's loaded store is read-only by agreement)."""
    copy = OxigraphStore(path)
    copy.bulk_load_quads(ox.parse(store.export("nq"), format=ox.RdfFormat.N_QUADS))
    return copy


def quads(store: OxigraphStore) -> set[str]:
    return {line for line in store.export("nq").decode().splitlines() if line.strip()}
