"""HTTP load benchmark: `sparbar serve` against `oxigraph serve-read-only` on the same store, over loopback.

    python -m bench.http_load [--sizes bundled,1M] [--duration 15] [--concurrency 8] [--output docs/benchmarks.md]

For each size a fresh on-disk store is built (`sparbar init`, then for a generated size the synthetic region
graph of `bench.generate` bulk-loaded into its own named graph — without validation: the load benchmark
covers validation, this one measures serving). Then, one server at a time, a closed-loop load generator
(asyncio + httpx, `--concurrency` connections, `--duration` seconds after a warm-up) sends:

- dereference: GET of an insats IRI's path with `Accept: text/turtle`, following the 303 to the Turtle
  document (the reference: SPARQL `DESCRIBE`, one request);
- named query: `insats-chain` through `/api/queries/insats-chain?insats=…` (the reference: the same .rq text
  with the parameter as a `VALUES` block at the top of its WHERE clause, on its /query endpoint);
- SPARQL SELECT: the same query text on both endpoints (`/sparql` and `/query`).

The insats IRIs rotate over up to 200 real ones of the store. Requests per second and latency percentiles
(p50/p95/p99, milliseconds) go to the `http` section of docs/benchmarks.md. The load generator runs on the
same 2 cores as the server, so absolute numbers are lower than a separate client machine would see; the two
servers are measured under the same conditions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

from bench.generate import insatser_for_triples, parse_size, write_file
from bench.report import write_section
from graph.named_queries import resolve
from graph.settings import DEFAULT_REGION, load_region

REPO_ROOT = Path(__file__).resolve().parent.parent
SB = "https://w3id.org/sparbar/def#"
SELECT = (
    "PREFIX sb: <https://w3id.org/sparbar/def#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?insats ?title ?start ?end WHERE {\n"
    "  ?insats a sb:Intervention ; dcterms:title ?title ; sb:startDate ?start .\n"
    "  OPTIONAL { ?insats sb:endDate ?end }\n"
    "} ORDER BY ?start LIMIT 50"
)


@dataclass
class Result:
    size: str
    server: str
    scenario: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def pct(self, q: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


# --- stores and servers ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(size: str, scratch: Path, seed: int) -> tuple[Path, int]:
    store = scratch / f"store-{size}"
    env = {**os.environ, "SPARBAR_STORE": str(store)}
    subprocess.run([sys.executable, "-m", "loaders.cli", "init"], env=env, check=True, cwd=scratch,
                   stdout=subprocess.DEVNULL)
    if size != "bundled":
        region = load_region(DEFAULT_REGION)
        nt = scratch / f"synthetic-{size}.nt"
        write_file(nt, insatser_for_triples(parse_size(size), seed), seed, region.base_iri)
        s = ox.Store(str(store))
        s.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(region.graph_iri("synthetic")))
        s.flush()
        del s
        nt.unlink()
    s = ox.Store.read_only(str(store))
    count = len(s)
    del s
    return store, count


def sample_insatser(store: Path, limit: int = 200) -> list[str]:
    s = ox.Store.read_only(str(store))
    rows = s.query(f"SELECT DISTINCT ?i WHERE {{ ?i a <{SB}Intervention> }} LIMIT {limit}",
                   use_default_graph_as_union=True)
    out = [row[0].value for row in rows]  # type: ignore[union-attr, index]
    del s
    return out


class Server:
    def __init__(self, argv: list[str], port: int, ready_path: str, env: dict[str, str] | None = None):
        self.port = port
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited: {self.proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"http://127.0.0.1:{port}{ready_path}", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{argv[0]} did not answer on port {port}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def start_sparbar(store: Path, port: int, scratch: Path) -> Server:
    env = {**os.environ, "SPARBAR_STORE": str(store)}
    argv = [sys.executable, "-m", "loaders.cli", "serve", "--port", str(port)]
    return Server(argv, port, "/healthz", env)


def start_oxigraph(store: Path, port: int) -> Server:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    argv = [exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
            "--union-default-graph"]
    return Server(argv, port, "/query?query=" + quote("ASK {}"))


# --- requests ----------------------------------------------------------------------------------

RequestFor = Callable[[int], tuple[str, dict[str, str]]]


def sparbar_requests(iris: list[str], base_iri: str) -> dict[str, RequestFor]:
    def deref(i: int) -> tuple[str, dict[str, str]]:
        return "/" + iris[i % len(iris)][len(base_iri):], {"Accept": "text/turtle"}

    def api(i: int) -> tuple[str, dict[str, str]]:
        return (f"/api/queries/insats-chain?insats={quote(iris[i % len(iris)], safe='')}",
                {"Accept": "application/sparql-results+json"})

    def sparql(_i: int) -> tuple[str, dict[str, str]]:
        return f"/sparql?query={quote(SELECT, safe='')}", {"Accept": "application/sparql-results+json"}

    return {"dereference": deref, "named query": api, "SPARQL SELECT": sparql}


def oxigraph_requests(iris: list[str]) -> dict[str, RequestFor]:
    chain = resolve("insats-chain").text

    def deref(i: int) -> tuple[str, dict[str, str]]:
        return f"/query?query={quote(f'DESCRIBE <{iris[i % len(iris)]}>', safe='')}", {"Accept": "text/turtle"}

    def api(i: int) -> tuple[str, dict[str, str]]:
        # the parameter as a VALUES block at the top of the WHERE clause: Oxigraph joins it first (a trailing
        # VALUES clause is joined last, after the whole store has been searched)
        query = chain.replace("WHERE {", f"WHERE {{\n  VALUES ?insats {{ <{iris[i % len(iris)]}> }}", 1)
        return f"/query?query={quote(query, safe='')}", {"Accept": "application/sparql-results+json"}

    def sparql(_i: int) -> tuple[str, dict[str, str]]:
        return f"/query?query={quote(SELECT, safe='')}", {"Accept": "application/sparql-results+json"}

    return {"dereference": deref, "named query": api, "SPARQL SELECT": sparql}


async def _load(port: int, request_for: RequestFor, result: Result, duration: float, warmup: float,
                concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # redirects are followed: dereferencing an instance IRI is its 303 plus the document it points to
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60,
                                 follow_redirects=True) as client:
        counter = 0
        start = time.monotonic()
        measure_from = start + warmup
        stop_at = measure_from + duration

        async def worker() -> None:
            nonlocal counter
            while True:
                now = time.monotonic()
                if now >= stop_at:
                    return
                counter += 1
                path, headers = request_for(counter)
                t0 = time.perf_counter()
                try:
                    response = await client.get(path, headers=headers)
                    await response.aread()
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - t0) * 1000
                if t0_in_window(now):
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    if 200 <= status < 300:
                        result.latencies_ms.append(elapsed)
                    else:
                        result.errors += 1

        def t0_in_window(now: float) -> bool:
            return measure_from <= now < stop_at

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = duration


def run_scenarios(size: str, server: str, port: int, requests: dict[str, RequestFor], duration: float,
                  warmup: float, concurrency: int) -> list[Result]:
    out = []
    for scenario, request_for in requests.items():
        result = Result(size, server, scenario)
        asyncio.run(_load(port, request_for, result, duration, warmup, concurrency))
        print(f"  {size} {server} {scenario}: {result.rps:.0f} req/s, p50 {result.pct(50):.1f} ms, "
              f"errors {result.errors} {result.statuses}", file=sys.stderr)
        out.append(result)
    return out


# --- report ------------------------------------------------------------------------------------

def render(results: list[Result], sizes: dict[str, int], argv: list[str], when: datetime,
           concurrency: int, duration: float) -> str:
    lines = [
        "## HTTP: `sparbar serve` beside `oxigraph serve-read-only` (`bench/http_load.py`)",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `python -m bench.http_load {' '.join(argv)}` (regenerate this "
        "section the same way; the reference server is the PyPI package `oxigraph`, "
        "`pip install oxigraph`).",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}. Closed loop, {concurrency} concurrent "
        f"connections, {duration:g} s measured per row after a warm-up, client and server on the same cores "
        "over loopback. Store sizes: " + ", ".join(f"{k} {v:,} triples".replace(",", " ") for k, v in sizes.items())
        + ".",
        "",
        "| size | request | server | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if not r.latencies_ms:
            lines.append(f"| {r.size} | {r.scenario} | {r.server} | 0 | — | — | — | {r.errors} (no answer "
                         f"within the {duration:g} s) |")
            continue
        lines.append(f"| {r.size} | {r.scenario} | {r.server} | {r.rps:.0f} | {r.pct(50):.1f} | {r.pct(95):.1f} | "
                     f"{r.pct(99):.1f} | {r.errors} |")
    lines += [
        "",
        "The reference answers the dereference with a plain `DESCRIBE` (the resource's own triples); Spårbar's "
        "description also carries the labels and types of linked resources and the incoming links, and goes "
        "through content negotiation, ETag and the Python web stack. Errors are non-2xx answers (a status-0 "
        "error is a failed connection).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.http_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,1M")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)

    region = load_region(DEFAULT_REGION)
    when = datetime.now(UTC)
    results: list[Result] = []
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=args.scratch, prefix="sparbar-http-") as tmp:
        scratch = Path(tmp)
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            store, count = build_store(size, scratch, args.seed)
            sizes[size] = count
            iris = sample_insatser(store)
            port = free_port()
            server = start_sparbar(store, port, scratch)
            try:
                results += run_scenarios(size, "sparbar serve", port, sparbar_requests(iris, region.base_iri),
                                         args.duration, args.warmup, args.concurrency)
            finally:
                server.stop()
            port = free_port()
            server = start_oxigraph(store, port)
            try:
                results += run_scenarios(size, "oxigraph serve-read-only", port, oxigraph_requests(iris),
                                         args.duration, args.warmup, args.concurrency)
            finally:
                server.stop()
    write_section(args.output, "http", render(results, sizes, argv, when, args.concurrency, args.duration))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
