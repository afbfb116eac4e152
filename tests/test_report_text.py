"""Validation findings read by people: paths spelled out, messages in the language asked for."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import check, plan_files
from graph.report_text import report_text
from graph.settings import Region
from graph.validation import Validator, path_text

DATA = Path(__file__).parent / "data"
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://ex/> .
ex:a sh:path [ sh:inversePath ex:p ] .
ex:b sh:path [ sh:alternativePath ( ex:p ex:q ) ] .
ex:c sh:path ( ex:p [ sh:zeroOrMorePath ex:q ] ) .
"""


def test_blank_node_paths_are_spelled_out_as_sparql_paths() -> None:
    g = Graph().parse(data=SHAPES, format="turtle")
    sh_path = URIRef("http://www.w3.org/ns/shacl#path")
    got = {str(s): path_text(g.value(s, sh_path), g) for s in g.subjects(sh_path, None)}
    assert got == {
        "http://ex/a": "^<http://ex/p>",
        "http://ex/b": "(<http://ex/p> | <http://ex/q>)",
        "http://ex/c": "<http://ex/p>/(<http://ex/q>)*",
    }
    assert path_text(URIRef("http://ex/p"), g) == "<http://ex/p>"
    assert path_text(None, g) is None


def test_a_due_follow_up_names_the_inverse_path(loaded_store: OxigraphStore, region: Region,
                                                validator: Validator) -> None:
    report = check(loaded_store, plan_files([DATA / "insats-warning.ttl"], region), region, validator)
    text = report_text(report, "sv")
    block = text[text.index("fokus: <https://w3id.org/sparbar/vastmanland/insats/test-gammal>"):]
    assert block.splitlines()[1] == "    egenskap: ^<https://w3id.org/sparbar/def#followsUp>"
    assert block.splitlines()[2] == "    källa: tests/data/insats-warning.ttl"
    assert "egenskap: _:" not in text
    english = report_text(report, "en")
    assert english.startswith("Validation report: 0 violations,")
    assert "path: ^<https://w3id.org/sparbar/def#followsUp>" in english
