"""Workbook import benchmark: `sparbar load FILE.xlsx` of a generated workbook, and of a small one into a
small and a large store.

    python -m bench.workbook_import [--insatser 10000] [--small 10] [--large 1M] [--output docs/benchmarks.md]

1. The bundled data is loaded into a fresh on-disk store (what `sparbar init` does).
2. A synthetic region of `--insatser` insatser (`bench.generate`) is cut down to the record kinds a
   strategist keeps in the workbook for them — insatser, funding, activities, results — and written as a
   workbook through the same mapping files the loader reads (`loaders/workbook/export.py`), on the template
   `sparbar template` writes.
3. `sparbar load` of that workbook runs as a child process on a copy of the store: wall time and the child's
   peak RSS, with validation (SHACL) and the all-or-nothing write included. The same load is then run
   in-process with each step timed.
4. A small workbook (`--small` insatser, other identifiers) is loaded into the store of step 1 and into one
   that also holds a generated graph of `--large` triples (bulk-loaded, not validated): validation follows the
   size of the change, not of the store, so the two times should be alike.

Results go to the `workbook` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from bench.generate import insatser_for_triples, parse_size, write_file
from bench.report import write_section
from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadPlan, apply, check, plan_region
from graph.settings import DEFAULT_REGION, Region, load_region
from graph.validation import Validator
from loaders.workbook.export import export_rows, fill_workbook
from loaders.workbook.importer import convert_workbook
from loaders.workbook.mapping import DEFAULT_MAPPINGS, load_mappings
from loaders.workbook.template import build_template

REPO_ROOT = Path(__file__).resolve().parent.parent
SB = "https://w3id.org/sparbar/def#"
# The record kinds of the benchmark: insatser "and their funding, activities and results".
KINDS = tuple(URIRef(SB + c) for c in ("Intervention", "Funding", "Activity", "Output", "Effect"))


@dataclass
class Timings:
    rows: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self.rows.append((name, time.perf_counter() - t0))
        print(f"  {name}: {self.rows[-1][1]:.1f} s", file=sys.stderr)


def build_base_store(path: Path, region: Region) -> int:
    store = OxigraphStore(path)
    try:
        apply(store, plan_region(region), region, Validator())
        return store.triple_count()
    finally:
        store.close()


def fast_graph(n_insatser: int, seed: int, base_iri: str, scratch: Path, rename: str | None = None) -> Graph:
    """The generated records of the workbook's kinds; `rename` gives them other identifiers."""
    nt = scratch / f"gen-{n_insatser}-{seed}.nt"
    write_file(nt, n_insatser, seed, base_iri)
    text = nt.read_text(encoding="utf-8")
    if rename:
        text = text.replace("/syn-", f"/{rename}-").replace('"SYN-', f'"{rename.upper()}-')
    full = Graph().parse(data=text, format="nt")
    nt.unlink()
    keep = {s for kind in KINDS for s in full.subjects(RDF.type, kind)}
    out = Graph()
    for s in keep:
        for t in full.triples((s, None, None)):
            out.add(t)
    return out


def write_workbook(data: Graph, store_path: Path, region: Region, output: Path) -> tuple[int, int]:
    mappings = load_mappings(DEFAULT_MAPPINGS)
    store = OxigraphStore(store_path)
    try:
        context = Graph()
        for name in store.graph_names():
            store.graph(name, into=context)
        export = export_rows(data, context, mappings, region.base_iri)
        workbook = build_template(store, region, mappings)
    finally:
        store.close()
    fill_workbook(workbook, export)
    workbook.save(output)
    return sum(len(s.rows) for s in export.sheets), len(export.leftover)


# Runs `sparbar load` and, at exit, writes the process's own peak RSS (VmHWM) to the file named by argv[1]:
# ru_maxrss of a child counts the parent's memory at fork, and this parent holds the generated data.
_WITH_PEAK = """
import atexit, runpy, sys
peak_file = sys.argv.pop(1)
def peak():
    with open('/proc/self/status') as status, open(peak_file, 'w') as out:
        out.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))
atexit.register(peak)
sys.argv[0] = 'sparbar'
runpy.run_module('loaders.cli', run_name='__main__', alter_sys=True)
"""


def cli_load(store: Path, workbook: Path) -> tuple[float, int, int]:
    """`sparbar load` in a child process: seconds, peak RSS (bytes; 0 where /proc is missing), exit code."""
    env = {**os.environ, "SPARBAR_STORE": str(store)}
    with tempfile.NamedTemporaryFile(suffix=".peak") as peak_file:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _WITH_PEAK, peak_file.name, "load", str(workbook)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seconds = time.perf_counter() - t0
        text = Path(peak_file.name).read_text().strip()
    peak = int(text) * 1024 if text.isdigit() else 0
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
    return seconds, peak, proc.returncode


def in_process_phases(store_path: Path, workbook: Path, region: Region) -> tuple[Timings, int]:
    """The steps timed one by one, and the number of triples the workbook gives."""
    timings = Timings()
    mappings = load_mappings(DEFAULT_MAPPINGS)
    validator = Validator()
    store = OxigraphStore(store_path, exclusive=True)  # as `sparbar load` opens it
    try:
        with timings.step("read + convert the workbook"):
            source, conversion = convert_workbook(workbook, store, region, mappings)
        plan = LoadPlan(sources=[source])
        with timings.step("SHACL validation (`pipeline.check`: a large load is validated whole, compiled to SPARQL)"):
            check(store, plan, region, validator)
        with timings.step("validate + write, all or nothing (`pipeline.apply`)"):
            apply(store, plan, region, validator)
    finally:
        store.close()
    return timings, len(conversion)


def bulk_add(store_path: Path, size: str, seed: int, region: Region, scratch: Path) -> int:
    nt = scratch / "large.nt"
    write_file(nt, insatser_for_triples(parse_size(size), seed), seed, region.base_iri)
    s = ox.Store(str(store_path))
    s.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(region.graph_iri("synthetic")))
    s.flush()
    count = len(s)
    del s
    nt.unlink()
    return count


def _n(x: int) -> str:
    return f"{x:,}".replace(",", " ")


def small_phases(store_path: Path, workbook: Path, region: Region) -> tuple[float, float]:
    """Seconds to read + convert (reference lookup in the store included) and to validate, in-process."""
    mappings = load_mappings(DEFAULT_MAPPINGS)
    validator = Validator()
    _ = validator.shapes, validator.ontology
    store = OxigraphStore(store_path, exclusive=True)
    try:
        t0 = time.perf_counter()
        source, _conversion = convert_workbook(workbook, store, region, mappings)
        t1 = time.perf_counter()
        check(store, LoadPlan(sources=[source]), region, validator)
        return t1 - t0, time.perf_counter() - t1
    finally:
        store.close()


def _mb(n: int) -> str:
    return f"{n / 1024 ** 2:,.0f} MB".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.workbook_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--insatser", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", default="1M", help="triples in the large store of step 4 ('' to skip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    region = load_region(DEFAULT_REGION)
    when = datetime.now(UTC)
    lines: list[str] = []
    with tempfile.TemporaryDirectory(dir=args.scratch, prefix="sparbar-wb-") as tmp:
        scratch = Path(tmp)
        base = scratch / "base"
        base_triples = build_base_store(base, region)
        print(f"base store: {base_triples} triples", file=sys.stderr)

        big = scratch / "insatser.xlsx"
        t0 = time.perf_counter()
        data = fast_graph(args.insatser, args.seed, region.base_iri, scratch)
        rows, leftover = write_workbook(data, base, region, big)
        triples = len(data)
        del data  # the in-process phases below must not run beside 750 000 rdflib triples they do not use
        gc.collect()
        made = time.perf_counter() - t0
        print(f"workbook: {rows} rows, {triples} triples, {leftover} left over, {made:.0f} s", file=sys.stderr)

        run_store = scratch / "run"
        shutil.copytree(base, run_store)
        seconds, peak, code = cli_load(run_store, big)
        print(f"sparbar load: {seconds:.1f} s, peak {_mb(peak)}, exit {code}", file=sys.stderr)
        again, again_peak, again_code = cli_load(run_store, big)  # replaces the graph the first load wrote
        print(f"sparbar load again: {again:.1f} s, peak {_mb(again_peak)}, exit {again_code}", file=sys.stderr)

        phase_store = scratch / "phases"
        shutil.copytree(base, phase_store)
        phases, loaded = in_process_phases(phase_store, big, region)

        small_rows: list[tuple[str, int, int, float, int, float, float]] = []
        if args.small:
            small = scratch / "sma.xlsx"
            small_data = fast_graph(args.small, args.seed + 1, region.base_iri, scratch, rename="ny")
            write_workbook(small_data, base, region, small)
            stores = [("bundled", base, base_triples)]
            if args.large:
                large = scratch / "large"
                shutil.copytree(base, large)
                stores.append((f"bundled + {args.large} generated", large,
                               bulk_add(large, args.large, args.seed, region, scratch)))
            for label, path, store_triples in stores:
                target = scratch / f"small-into-{len(small_rows)}"
                shutil.copytree(path, target)
                s_seconds, _peak, s_code = cli_load(target, small)
                convert_s, validate_s = small_phases(path, small, region)
                small_rows.append((label, store_triples, len(small_data), s_seconds, s_code, convert_s, validate_s))
                print(f"small into {label}: {s_seconds:.1f} s exit {s_code}", file=sys.stderr)

    lines += [
        "## Workbook import (`bench/workbook_import.py`)",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `python -m bench.workbook_import {' '.join(argv)}` (regenerate "
        f"this section the same way). Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()}.",
        "",
        f"A generated workbook with {_n(args.insatser)} insatser and their funding, activities and results: "
        f"{_n(rows)} rows made from {_n(triples)} generated triples ({_n(leftover)} of them no column holds, left "
        f"out), which give {_n(loaded)} triples; the store held the bundled data ({_n(base_triples)} triples).",
        "",
        "| step | time |",
        "|---|---:|",
        f"| `sparbar load insatser.xlsx` (child process, all of it: start-up, read, convert, SHACL, write) | "
        f"**{seconds:.1f} s** · peak RSS {_mb(peak)} · exit {code} |",
        f"| the same `sparbar load insatser.xlsx` again (its graph is replaced; nothing changed) | "
        f"{again:.1f} s · peak RSS {_mb(again_peak)} · exit {again_code} |",
        *(f"| in-process: {name} | {sec:.1f} s |" for name, sec in phases.rows),
        "",
        f"Target of issue 3: under 30 s with validation. Result: {seconds:.1f} s "
        f"({'met' if seconds < 30 and code == 0 else 'not met'}).",
    ]
    if small_rows:
        lines += [
            "",
            f"A small workbook ({args.small} insatser with funding, activities and results) loaded into stores of "
            "different size. Validation covers what the workbook brings and what it touches; the in-process "
            "columns split read + convert (which looks references up in the store) from validation:",
            "",
            "| store | triples in store | triples in workbook | `sparbar load` | exit | read + convert | validation |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *(f"| {label} | {_n(triples)} | {_n(n)} | {sec:.1f} s | {c} | {cs:.1f} s | {vs:.1f} s |"
              for label, triples, n, sec, c, cs, vs in small_rows),
        ]
    write_section(args.output, "workbook", "\n".join(lines))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
