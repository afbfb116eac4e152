"""What the shapes read, worked out from a shapes graph: the basis of incremental validation."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.shape_reads import ANY, TYPE, Step, UnsupportedShapes, analyse
from graph.validation import Validator

EX = "http://example.org/"
PREFIXES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}"^^xsd:anyURI ] .
"""


def shapes(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def step(local: str, inverse: bool = False) -> Step:
    return Step(URIRef(EX + local), inverse)


def test_reads_follow_paths_value_shapes_and_sparql() -> None:
    reads = analyse(shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:inversePath ex:inv ] ; sh:minCount 1 ] ;
            sh:property [ sh:path ex:link ; sh:node ex:V ] ;
            sh:property [ sh:path ( ex:a ex:b ) ; sh:class ex:D ] ;
            sh:property [ sh:path ex:alt ; sh:or ( ex:V [ sh:class ex:E ] ) ] ;
            sh:property [ sh:path ex:start ; sh:lessThanOrEquals ex:end ] ;
            sh:sparql [ sh:prefixes ex: ; sh:select "SELECT $this ?v WHERE { ?v ex:q $this . ?v ex:r ?w }" ] .
        ex:V a sh:NodeShape ; sh:property [ sh:path ex:inner ; sh:hasValue ex:X ] .
        ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:flag ; sh:datatype xsd:boolean .
    """))
    assert reads.reads == {
        (ANY,), (TYPE,), (step("flag"),),
        (step("inv", True),),
        (step("link"),), (step("link"), step("inner")),
        (step("a"),), (step("a"), step("b")), (step("a"), step("b"), TYPE),
        (step("alt"),), (step("alt"), step("inner")), (step("alt"), TYPE),
        (step("start"),), (step("end"),),
        (step("q", True),), (step("q", True), step("r")),
    }
    assert reads.inverse_predicates == {URIRef(EX + "inv"), URIRef(EX + "q")}
    assert reads.steps_after((step("a"),)) == {step("b")}
    assert not reads.uses_time


def test_a_sparql_target_reads_its_patterns_and_may_use_the_clock() -> None:
    reads = analyse(shapes("""
        ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:prefixes ex: ;
            sh:select '''SELECT ?this WHERE { ?this ex:end ?e . FILTER (?e < NOW())
                FILTER NOT EXISTS { ?f ex:follows ?this } }''' ] ;
            sh:property [ sh:path [ sh:inversePath ex:follows ] ; sh:minCount 1 ] .
    """))
    assert (step("end"),) in reads.reads
    assert reads.inverse_predicates == {URIRef(EX + "follows")}
    assert reads.uses_time


@pytest.mark.parametrize("text", [
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .",
    "ex:S sh:targetClass ex:C ; sh:sparql [ sh:prefixes ex: ; sh:select \"SELECT $this WHERE { ?a ex:p ?b }\" ] .",
    "ex:S sh:targetClass ex:C ; sh:sparql [ sh:prefixes ex: ; sh:select \"SELECT $this WHERE { ?a ?p $this }\" ] .",
    "ex:S sh:targetClass ex:C ; sh:rule [ a sh:TripleRule ] .",
    "ex:S sh:targetClass ex:C ; sh:node ex:S ; sh:property [ sh:path ex:p ; sh:node ex:S ] .",
    "ex:S sh:targetClass ex:C ; sh:someNewConstraint ex:p .",
])
def test_what_is_not_understood_is_refused(text: str) -> None:
    with pytest.raises(UnsupportedShapes):
        analyse(shapes(text))


def test_the_project_shapes_are_understood(validator: Validator) -> None:
    reads = validator.reads
    g = validator.shapes
    inverse_paths = {o for o in g.objects(None, SH.inversePath) if isinstance(o, URIRef)}
    assert inverse_paths
    assert inverse_paths <= reads.inverse_predicates  # plus what SPARQL targets and constraints read backwards
    sparql = " ".join(str(o) for o in g.objects(None, SH.select))
    for p in reads.inverse_predicates - inverse_paths:
        assert p.split("#")[-1] in sparql
    assert reads.uses_time  # the follow-up rule compares with NOW()
    assert all(len(r) <= 3 for r in reads.reads)
    assert (TYPE,) in reads.reads and (Step(RDF.type, True),) not in reads.reads
