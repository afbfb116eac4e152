"""The example dataset as a workbook: one source of truth (the Turtle file), tested.

Loading the committed workbook through the workbook loader, into a store holding the region's other bundled
data, gives a graph isomorphic to `vastmanland-example.ttl`; and the committed workbook holds the rows that
`data/example/build_workbook.py` derives from the Turtle file now.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region
from graph.validation import Validator
from loaders.workbook import lookup
from loaders.workbook.export import workbook_rows
from loaders.workbook.importer import convert_workbook
from loaders.workbook.importer import load_workbook as import_workbook
from loaders.workbook.mapping import SheetMapping, load_mappings
from loaders.workbook.template import LISTS_SHEET

SCRIPT = Path(__file__).resolve().parent.parent / "data" / "example" / "build_workbook.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_workbook", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mappings() -> list[SheetMapping]:
    return load_mappings()


@pytest.fixture(scope="module")
def reference_store(script: ModuleType, region: Region) -> Iterator[OxigraphStore]:
    """Every bundled source except the example, loaded through the real pipeline."""
    store = script.reference_store(region)
    yield store
    store.close()


def describe(diff: Graph) -> str:
    return "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in diff)[:20])


def assert_isomorphic(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        _both, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"only in the workbook:\n{describe(only_got)}\nonly in the Turtle file:\n{describe(only_expected)}")


@pytest.mark.parametrize("scoped", [False, True], ids=["whole-store", "scoped-lookup"])
def test_the_committed_workbook_converts_to_the_example_graph(script: ModuleType, reference_store: OxigraphStore,
                                                              region: Region, mappings: list[SheetMapping],
                                                              scoped: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Literal for literal, as the Turtle file writes them ("52.0", not "52"); the same when the store counts as
    large and the references are looked up one batch at a time."""
    if scoped:
        monkeypatch.setattr(lookup, "WHOLE_STORE_TRIPLES", 0)
    _source, conversion = convert_workbook(script.OUTPUT, reference_store, region, mappings)
    assert conversion.problems == []
    expected = Graph().parse(script.SOURCE)
    assert_isomorphic(conversion.graph, expected)
    assert len(expected) > 2000


def test_loading_the_committed_workbook_stores_what_loading_the_turtle_file_stores(
        script: ModuleType, reference_store: OxigraphStore, loaded_store: OxigraphStore, region: Region,
        validator: Validator, mappings: list[SheetMapping]) -> None:
    """Through validation into the store (which keeps decimals in canonical form, as it does for the Turtle)."""
    outcome = import_workbook(script.OUTPUT, reference_store, region, validator, mappings)
    try:
        assert not [p for p in outcome.problems if p.severity == "Violation"], outcome.problems[:5]
        assert outcome.written
        assert_isomorphic(reference_store.graph(outcome.graph_name),
                          loaded_store.graph(URIRef(region.graph_iri("example"))))
    finally:  # the module's store holds reference data only, for the other tests
        reference_store.replace_graphs({outcome.graph_name: Graph()}, URIRef(region.meta_graph_iri), Graph())
        assert outcome.graph_name not in reference_store.graph_names()


def test_the_committed_workbook_holds_the_rows_the_script_derives_now(script: ModuleType, region: Region,
                                                                      reference_store: OxigraphStore,
                                                                      mappings: list[SheetMapping]) -> None:
    export = script.export_example(reference_store, region, mappings)
    committed = load_workbook(script.OUTPUT)
    assert workbook_rows(committed, mappings) == {s.mapping.sheet: s.rows for s in export.sheets}, \
        "run python data/example/build_workbook.py"
    # it is the template, filled in: instructions first and the drop-down lists kept
    assert committed.sheetnames[0] == "Instruktioner"
    assert committed[LISTS_SHEET].sheet_state == "hidden"


def test_every_triple_of_the_example_has_a_cell(script: ModuleType, region: Region,
                                                reference_store: OxigraphStore,
                                                mappings: list[SheetMapping]) -> None:
    export = script.export_example(reference_store, region, mappings)  # raises if any triple has no cell
    assert len(export.leftover) == 0
    assert sum(len(s.rows) for s in export.sheets) > 250
