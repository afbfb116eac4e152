"""SHACL validation time: pyshacl (graph/validation.py) against the shapes compiled to SPARQL and run by Oxigraph
(graph/shacl_sparql), on generated regions of a few sizes plus the bundled reference data.

    python -m bench.shacl_compiled [--insatser 200 1000 10000] [--pyshacl-up-to 1000]

For each size: triples; pyshacl's time (only up to --pyshacl-up-to insatser; above it, extrapolated linearly
from the largest size measured); the time to load the graph into an in-memory Oxigraph store; the compiled
validation's time; and whether the two engines found the same number of findings where both ran.
"""

from __future__ import annotations

import argparse
import io
import sys
import time

import pyoxigraph as ox
from rdflib import Graph

from bench.generate import REFERENCE_DIR, write_ntriples
from graph.shacl_sparql import compile_shapes
from graph.terms import to_ox_quads
from graph.validation import Validator


def region_ntriples(n_insatser: int, seed: int = 0) -> str:
    out = io.StringIO()
    write_ntriples(out, n_insatser, seed=seed)
    reference = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        reference.parse(path, format="turtle")
    return out.getvalue() + reference.serialize(format="nt")


def run(sizes: list[int], pyshacl_up_to: int) -> list[dict[str, float | int | str]]:
    validator = Validator()
    t = time.perf_counter()
    compiled = compile_shapes(validator.shapes)
    compile_s = time.perf_counter() - t
    print(f"compiled {len(compiled)} queries in {compile_s:.2f} s", file=sys.stderr)
    rows: list[dict[str, float | int | str]] = []
    rate = None  # pyshacl seconds per triple, from the largest size it ran on
    for n in sizes:
        text = region_ntriples(n)
        row: dict[str, float | int | str] = {"insatser": n}
        t = time.perf_counter()
        store = ox.Store()
        store.load(text.encode(), ox.RdfFormat.N_TRIPLES)
        store.extend(to_ox_quads(validator.ontology, ox.NamedNode("urn:sparbar:schema")))
        row["load_s"] = time.perf_counter() - t
        row["triples"] = len(store)
        t = time.perf_counter()
        report = compiled.validate(store)
        row["compiled_s"] = time.perf_counter() - t
        row["compiled_findings"] = len(report.findings)
        if n <= pyshacl_up_to:
            data = Graph().parse(data=text, format="nt")
            t = time.perf_counter()
            expected = validator.validate(data)
            row["pyshacl_s"] = time.perf_counter() - t
            row["pyshacl_findings"] = len(expected.findings)
            rate = float(row["pyshacl_s"]) / int(row["triples"])
        elif rate is not None:
            row["pyshacl_s"] = f"~{rate * int(row['triples']):.0f} (extrapolated)"
        print(row, file=sys.stderr)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--insatser", type=int, nargs="+", default=[200, 1000, 10000])
    parser.add_argument("--pyshacl-up-to", type=int, default=1000)
    args = parser.parse_args(argv)
    for row in run(args.insatser, args.pyshacl_up_to):
        print(" | ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
