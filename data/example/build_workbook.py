"""Write `vastmanland-example.xlsx`: the example dataset (`vastmanland-example.ttl`) as a Spårbar workbook.

Run from the repository root:  python data/example/build_workbook.py          (writes the file next to this script)
                               python data/example/build_workbook.py --check  (exit 1 if the rows on disk differ)

The Turtle file stays the one source of truth; this script derives the workbook from it through the same
mapping files the workbook loader reads (`loaders/workbook/export.py`), on top of the template that
`sparbar template` writes for a store holding the region's other bundled data. It fails if any triple of the
Turtle file cannot be expressed in the workbook. `tests/test_example_workbook.py` checks that loading the
workbook gives back a graph isomorphic to the Turtle file, and that the committed rows are this script's.
Excel files carry timestamps, so "up to date" compares the rows, not the bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook
from rdflib import Graph

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import apply, plan_region
from graph.settings import DEFAULT_REGION, Region, load_region
from graph.validation import Validator
from loaders.workbook.export import Export, export_rows, fill_workbook, workbook_rows
from loaders.workbook.mapping import DEFAULT_MAPPINGS, SheetMapping, load_mappings
from loaders.workbook.template import build_template

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "vastmanland-example.ttl"
OUTPUT = HERE / "vastmanland-example.xlsx"


class NotExpressible(ValueError):
    """Triples of the Turtle file that no sheet of the mapping can hold."""


def reference_store(region: Region, source: Path = SOURCE) -> OxigraphStore:
    """An in-memory store with every bundled source of the region except the example itself."""
    others = tuple(s for s in region.sources if s.path.resolve() != source.resolve())
    store = OxigraphStore()
    reference = dataclasses.replace(region, sources=others)
    apply(store, plan_region(reference), reference, Validator())
    return store


def store_graph(store: OxigraphStore) -> Graph:
    g = Graph()
    for name in store.graph_names():
        store.graph(name, into=g)
    return g


def export_example(store: OxigraphStore, region: Region, mappings: list[SheetMapping],
                   source: Path = SOURCE) -> Export:
    export = export_rows(Graph().parse(source), store_graph(store), mappings, region.base_iri)
    if len(export.leftover):
        lines = sorted(" ".join(t.n3() for t in triple) for triple in export.leftover)
        raise NotExpressible(f"{source}: {len(lines)} tripler kan inte uttryckas i arbetsboken:\n" + "\n".join(lines))
    return export


def build(region: Region, mappings: list[SheetMapping], source: Path = SOURCE) -> tuple[Workbook, Export]:
    store = reference_store(region, source)
    try:
        export = export_example(store, region, mappings, source)
        workbook = build_template(store, region, mappings)
    finally:
        store.close()
    fill_workbook(workbook, export)
    return workbook, export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the workbook's rows are not the script's")
    args = parser.parse_args(argv)
    region = load_region(DEFAULT_REGION)
    mappings = load_mappings(DEFAULT_MAPPINGS)
    try:
        workbook, export = build(region, mappings)
    except NotExpressible as e:
        print(e, file=sys.stderr)
        return 1
    if args.check:
        fresh = workbook_rows(workbook, mappings)
        current = workbook_rows(load_workbook(OUTPUT), mappings) if OUTPUT.exists() else {}
        if current != fresh:
            print(f"{OUTPUT} is out of date: run python data/example/build_workbook.py", file=sys.stderr)
            return 1
        return 0
    workbook.save(OUTPUT)
    print(f"wrote {OUTPUT}: {sum(len(s.rows) for s in export.sheets)} rows on {len(export.sheets)} sheets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
