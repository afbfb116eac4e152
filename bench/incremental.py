"""Incremental against full validation: one new insats checked against stores of growing size.

    python -m bench.incremental [--sizes 0,100k] [--full-up-to 100k] [--runs 5]

For each size: the bundled data loaded through the real pipeline, plus a generated region graph
(`bench.generate`) of that many triples bulk-loaded on top into a named graph of its own (not validated here:
it conforms, as tests/test_bench_generator.py checks). Then `graph.pipeline.check` of a
file with one new insats: incremental (median of --runs, with its steps timed) and, for sizes up to
--full-up-to, full (`check(..., full=True)`, once). Both must report the same findings for the new insats.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import URIRef

from bench.generate import insatser_for_triples, parse_size, write_file
from graph.candidate_view import CandidateView
from graph.change import graph_changes
from graph.incremental import affected_nodes, context_graph, validate_change
from graph.new_graph import rdflib_graphs
from graph.oxigraph_store import OxigraphStore
from graph.pipeline import apply, check, plan_files, plan_region
from graph.settings import DEFAULT_REGION, Region, load_region
from graph.validation import Validator

T = TypeVar("T")

NEW_INSATS = """\
@prefix sb: <https://w3id.org/sparbar/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{base}insats/bench-ny> a sb:Intervention ;
    sb:isExample true ;
    dcterms:title "Påhittad insats för mätningen"@sv ;
    sb:owner <{base}aktor/region-vastmanland> ;
    sb:status <https://w3id.org/sparbar/kos/status/ongoing> ;
    sb:startDate "2026-01-01"^^xsd:date ;
    sb:endDate "2027-12-31"^^xsd:date ;
    sb:contributesTo <{base}rus/delmal/7> .
"""


def build_store(size: int, workdir: Path, region: Region, validator: Validator) -> OxigraphStore:
    store = OxigraphStore()
    apply(store, plan_region(region), region, validator)
    if size:
        path = workdir / f"generated-{size}.nt"
        write_file(path, insatser_for_triples(size))
        graph = ox.NamedNode(region.graph_iri("syntetisk"))
        store.bulk_load_quads(ox.Quad(t.subject, t.predicate, t.object, graph)
                              for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    return store


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def measure(size: int, workdir: Path, new_file: Path, region: Region, validator: Validator, runs: int,
            run_full: bool) -> str:
    """One row of the table: the store built, then the incremental check timed, step by step, and the full."""
    meta = URIRef(region.meta_graph_iri)
    store = build_store(size, workdir, region, validator)
    try:
        plan = plan_files([new_file], region)
        check(store, plan, region, validator)  # warm caches (parsed shapes, their analysis)
        times = [timed(lambda: check(store, plan, region, validator))[1] for _ in range(runs)]
        changes, t_diff = timed(lambda: graph_changes(store, rdflib_graphs(plan.graphs)))
        view = CandidateView.of(store, rdflib_graphs(plan.graphs), meta)
        affected, t_affected = timed(lambda: affected_nodes(changes, validator.reads, view))
        context, t_context = timed(lambda: context_graph(affected, validator.reads, view))
        context_size = len(context)
        _, t_validate = timed(lambda: validator.validate(context))
        full = "—"
        if run_full:
            incremental = validate_change(store, plan.graphs, meta, validator)
            report, t_full = timed(lambda: check(store, plan, region, validator, full=True))
            new = {(f.severity, f.focus, f.shape) for f in report.findings if f.top_focus in incremental.affected}
            assert new == {(f.severity, f.focus, f.shape) for f in incremental.report.findings}
            full = f"{t_full:.2f} s"
        return (f"{size} | {store.triple_count()} | {statistics.median(times) * 1000:.0f} ms | "
                f"{t_diff * 1000:.1f} ms | {t_affected * 1000:.1f} ms ({len(affected)}) | "
                f"{t_context * 1000:.1f} ms ({context_size}) | {t_validate * 1000:.0f} ms | {full}")
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,100k", help="generated triples on top of the bundled data")
    parser.add_argument("--full-up-to", default="100k", help="run the full validation only up to this size")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    region = load_region(DEFAULT_REGION)
    validator = Validator()
    with tempfile.TemporaryDirectory() as tmp:
        new_file = Path(tmp) / "ny-insats.ttl"
        new_file.write_text(NEW_INSATS.format(base=region.base_iri), encoding="utf-8")
        print("generated | triples | incremental check (median) | diff | affected (nodes) | context (triples) | "
              "pyshacl on context | full check")
        for size in (parse_size(s) for s in args.sizes.split(",")):
            print(measure(size, Path(tmp), new_file, region, validator, args.runs,
                          size <= parse_size(args.full_up_to)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
