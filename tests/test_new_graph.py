"""A load's new graph in either form — rdflib or a scratch Oxigraph store with the source's bytes — answers the
same: its triples, its size, its subjects, and what a store holds after loading it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from graph.new_graph import BlankGraphName, NewGraph, Serialised, as_new_graph

EX = "https://example.org/"
G, OTHER = URIRef(EX + "g"), URIRef(EX + "other")
TURTLE = f"""@prefix ex: <{EX}> .
ex:a ex:amount "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal> ; ex:label "A"@sv .
ex:b ex:count "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
""".encode()


def parsed(data: bytes = TURTLE, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> dict[URIRef, NewGraph]:
    return NewGraph.parsed(Serialised(data, fmt, G))


def test_a_parsed_source_is_one_graph_with_its_bytes_and_canonical_literals() -> None:
    (name, g), = parsed().items()
    assert name == G and g.serialised is not None and not g.in_rdflib
    assert len(g) == 3
    assert {str(o) for o in g.rdflib.objects()} == {"2.5", "A", "7"}  # as every Oxigraph store keeps them
    assert {q.graph_name for q in g.quads()} == {ox.NamedNode(str(G))}
    assert g.has_subject(URIRef(EX + "a")) and not g.has_subject(URIRef(EX + "c"))
    assert not g.has_subject(Literal("A", lang="sv"))


def test_both_forms_load_the_same_triples_into_a_store() -> None:
    from_bytes = parsed()[G]
    from_rdflib = as_new_graph(G, Graph().parse(data=TURTLE, format="turtle"))
    assert from_rdflib.in_rdflib and len(from_rdflib) == len(from_bytes) == 3
    for bulk in (False, True):
        a, b = ox.Store(), ox.Store()
        from_bytes.load_into(a, bulk=bulk)
        from_rdflib.load_into(b, bulk=bulk)
        assert set(a) == set(b) and len(a) == 3


def test_a_source_with_several_graphs_keeps_them_apart_without_bytes_to_share() -> None:
    nquads = (f"<{EX}a> <{RDFS.label}> \"A\" <{OTHER}> .\n"
              f"<{EX}b> <{RDFS.label}> \"B\" .\n").encode()
    graphs = parsed(nquads, ox.RdfFormat.N_QUADS)
    assert set(graphs) == {G, OTHER}  # the default graph's triples go into the source's own graph
    assert all(g.serialised is None for g in graphs.values())  # the bytes hold both: neither may load them alone
    assert {str(o) for o in graphs[OTHER].rdflib.objects()} == {"A"} and len(graphs[G]) == 1
    store = ox.Store()
    graphs[OTHER].load_into(store)
    assert len(store) == 1


def test_an_empty_source_is_an_empty_graph_and_a_blank_graph_name_is_refused() -> None:
    (name, g), = parsed(b"", ox.RdfFormat.TURTLE).items()
    assert name == G and len(g) == 0 and len(g.rdflib) == 0
    with pytest.raises(BlankGraphName):
        parsed(f"<{EX}a> <{RDFS.label}> \"A\" _:g .\n".encode(), ox.RdfFormat.N_QUADS)


def test_merging_keeps_both_and_a_syntax_error_names_its_line() -> None:
    first = parsed()[G]
    second = as_new_graph(G, Graph().add((URIRef(EX + "c"), RDFS.label, Literal("C"))))
    merged = first.merged(second)
    assert len(merged) == 4 and merged.has_subject(URIRef(EX + "c")) and merged.has_subject(URIRef(EX + "a"))
    both_rdflib = as_new_graph(G, first.rdflib).merged(second)
    assert both_rdflib.in_rdflib and isomorphic(both_rdflib.rdflib, merged.rdflib)
    with pytest.raises(SyntaxError) as e:
        parsed(b"<https://example.org/a> <https://example.org/p> .\n", ox.RdfFormat.N_TRIPLES)
    assert e.value.lineno == 1


def test_a_graph_is_one_form_or_the_other() -> None:
    with pytest.raises(ValueError):
        NewGraph(G)
    with pytest.raises(ValueError):
        NewGraph(G, graph=Graph(), scratch=ox.Store())


def test_a_graph_parsed_in_the_background_is_bounded_until_parsed_and_raises_what_the_parse_raised() -> None:
    nt = f"<{EX}a> <{RDFS.label}> \"2.50\"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n"
    g = NewGraph.in_background(Serialised(nt.encode(), ox.RdfFormat.N_TRIPLES, G), at_most=7)
    assert g.serialised is not None and g.serialised.default_graph == G
    assert g.size_hint() in (7, 1)  # the bound while the parse runs, the count once it is done
    assert len(g) == 1 and g.size_hint() == 1 and {str(o) for o in g.rdflib.objects()} == {"2.5"}
    broken = NewGraph.in_background(Serialised(b"<a> <b> .\n", ox.RdfFormat.N_TRIPLES, G), at_most=1)
    with pytest.raises(SyntaxError):
        len(broken)
