"""`sparbar load WORKBOOK`: read → convert → validate with the shared pipeline → write all or nothing.

The workbook becomes one named graph, `<{base}graph/{file stem}>`, and goes through `graph.pipeline` like any
RDF file: re-importing replaces that graph in one transaction, so a deleted row disappears.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from openpyxl.utils import column_index_from_string
from rdflib import URIRef

from graph.new_graph import NewGraph, Serialised
from graph.parse import ParsedSource, graph_name_for
from graph.pipeline import LoadPlan, LoadRefused, apply, check
from graph.settings import Region
from graph.store import Store
from graph.validation import Validator
from loaders.workbook.convert import Conversion, convert
from loaders.workbook.errors import WorkbookError
from loaders.workbook.lookup import read_lookup
from loaders.workbook.mapping import SheetMapping
from loaders.workbook.messages import UNUSABLE
from loaders.workbook.problems import CellProblem, has_violation
from loaders.workbook.read import read_workbook
from loaders.workbook.trace import trace

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNUSABLE = 0, 1, 2


@dataclass
class WorkbookOutcome:
    source: str  # the workbook's path as shown to the user
    graph_name: URIRef
    problems: list[CellProblem]
    rows: int
    triples: int
    written: bool
    elsewhere: int = 0  # SHACL warnings about other sources, not shown here

    @property
    def unusable(self) -> bool:
        return any(p.code in UNUSABLE for p in self.problems)

    @property
    def conforms(self) -> bool:
        return not has_violation(self.problems)

    @property
    def exit_code(self) -> int:
        return EXIT_UNUSABLE if self.unusable else EXIT_OK if self.conforms else EXIT_VIOLATIONS


def convert_workbook(path: Path, store: Store, region: Region,
                     mappings: list[SheetMapping]) -> tuple[ParsedSource, Conversion]:
    """Read and convert without validating; raises WorkbookError when the file cannot be read at all."""
    graph_name = graph_name_for(path, region.base_iri)
    bundled = {URIRef(region.graph_iri(s.graph)) for s in region.sources} | {URIRef(region.meta_graph_iri)}
    if graph_name in bundled:  # loading "rus.xlsx" must not replace the strategy's reference data
        raise WorkbookError(path, f"arbetsboken skulle ersätta den medföljande grafen <{graph_name}>; byt namn på "
                                  "filen", f"the workbook would replace the bundled graph <{graph_name}>; rename the "
                                           "file")
    with cyclic_gc_paused():
        raw = read_workbook(path)
        schemes = {c.scheme for m in mappings for c in m.columns if c.scheme is not None}
        conversion = convert(raw, mappings, read_lookup(store, graph_name, schemes), region.base_iri)
    # parsed by Oxigraph in the background: a large write is staged from the bytes meanwhile (graph.pipeline.apply)
    data = Serialised(conversion.ntriples(), ox.RdfFormat.N_TRIPLES, graph_name)
    graph = NewGraph.in_background(data, at_most=len(conversion))
    return ParsedSource(path=path, checksum=raw.checksum, graphs={graph_name: graph}), conversion


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Reading and converting a workbook of 10 000 insatser makes millions of objects that live until the load
    ends and form no cycles; the cyclic collector would walk them again and again (a third of the time). They
    are frozen afterwards, so that the collections during validation do not walk them either (refcounting still
    frees them when the load is done)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_workbook(path: Path, store: Store, region: Region, validator: Validator, mappings: list[SheetMapping],
                  dry_run: bool = False, now: datetime | None = None) -> WorkbookOutcome:
    source, conversion = convert_workbook(path, store, region, mappings)
    graph_name = next(iter(source.graphs))
    outcome = WorkbookOutcome(source.display_path, graph_name, list(conversion.problems), conversion.rows,
                              len(conversion), written=False)
    if outcome.unusable:
        return outcome  # the sheets are not what the mapping expects: validating the rest would mislead
    plan = LoadPlan(sources=[source])
    if dry_run or has_violation(conversion.problems):
        report = check(store, plan, region, validator)
    else:
        try:
            report = apply(store, plan, region, validator, now=now).report
            outcome.written = True
        except LoadRefused as e:
            report = e.report
    traced = trace(report, conversion.origins)
    outcome.problems = in_workbook_order(outcome.problems + traced.problems, mappings)
    outcome.elsewhere = traced.elsewhere
    return outcome


def in_workbook_order(problems: list[CellProblem], mappings: list[SheetMapping]) -> list[CellProblem]:
    """Sheet (in the mapping's order), row, column: the order a steward works through the workbook in.
    Stable, so problems of one cell keep the order they were found in."""
    sheets = {m.sheet: i for i, m in enumerate(mappings)}
    columns = {(m.sheet, c.header): i for m in mappings for i, c in enumerate(m.columns)}

    def key(p: CellProblem) -> tuple[int, int, int]:
        if p.column_letter:
            column = column_index_from_string(p.column_letter)
        else:
            column = columns.get((p.sheet, p.column or ""), -1)
        return sheets.get(p.sheet, len(sheets)), p.row or 0, column

    return sorted(problems, key=key)
