"""The Oxigraph store behind the Store interface: queries evaluated by Oxigraph, graph replacement, export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from graph import oxigraph_store
from graph.candidate_store import SCHEMA_GRAPH, candidate_store
from graph.new_graph import NewGraph, Serialised
from graph.oxigraph_store import OxigraphStore
from graph.store import QueryError, Store, StoreError

EX = "https://example.org/"
G1, G2, META = URIRef(EX + "g1"), URIRef(EX + "g2"), URIRef(EX + "meta")


def graph(*triples: tuple) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@pytest.fixture
def store() -> OxigraphStore:
    s = OxigraphStore()
    s.replace_graphs(
        {
            G1: graph((URIRef(EX + "a"), RDFS.label, Literal("A", lang="sv")),
                      (URIRef(EX + "a"), URIRef(EX + "n"), Literal(3, datatype=XSD.integer))),
            G2: graph((URIRef(EX + "b"), RDFS.label, Literal("B"))),
        },
        META,
        graph((G1, RDFS.label, Literal("graf 1"))),
    )
    return s


def test_it_satisfies_the_store_protocol(store: OxigraphStore) -> None:
    s: Store = store  # mypy checks the structural match
    assert s.triple_count() == 4


def test_default_graph_is_the_union_and_bindings_are_rdf_terms(store: OxigraphStore) -> None:
    # pyoxigraph substitutes only variables that the query projects
    q = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    labels = {r["label"] for r in store.select(q)}
    assert labels == {Literal("A", lang="sv"), Literal("B"), Literal("graf 1")}
    bound = store.select(q, {"s": URIRef(EX + "a")})
    assert [r["label"] for r in bound] == [Literal("A", lang="sv")]
    # a bound value is a term, never text pasted into the query
    injected = store.select(q, {"s": Literal('x" } ?s ?p ?o {')})
    assert len(injected) == 0


def test_ask_construct_and_raw_formats(store: OxigraphStore) -> None:
    assert store.ask("ASK { ?s ?p 3 }")
    assert not store.ask("ASK { ?s ?p 4 }")
    c = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://example.org/g1> { ?s ?p ?o } }")
    assert isomorphic(c, store.graph(G1))
    js = json.loads(store.query_raw("SELECT ?s WHERE { ?s ?p 3 }", "json"))
    assert js["results"]["bindings"][0]["s"]["value"] == EX + "a"
    tsv = store.query_raw("SELECT ?s WHERE { ?s ?p 3 }", "tsv").decode()
    assert tsv.splitlines() == ["?s", f"<{EX}a>"]
    ttl = store.query_raw("CONSTRUCT { ?s ?p 3 } WHERE { ?s ?p 3 }", "ttl")
    assert len(Graph().parse(data=ttl, format="turtle")) == 1


def test_syntax_errors_become_query_errors(store: OxigraphStore) -> None:
    with pytest.raises(QueryError):
        store.select("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError):
        store.select("ASK { ?s ?p ?o }")


def test_replace_graphs_replaces_only_what_it_names(store: OxigraphStore) -> None:
    new = graph((URIRef(EX + "c"), RDFS.label, Literal("C")))
    store.replace_graphs({G1: new}, META, graph((G1, RDFS.label, Literal("graf 1, ny"))))
    assert isomorphic(store.graph(G1), new)
    assert len(store.graph(G2)) == 1
    assert {str(o) for o in store.graph(META).objects(G1, RDFS.label)} == {"graf 1, ny"}
    store.replace_graphs({G2: Graph()}, META, Graph())
    assert G2 not in store.graph_names()


def test_replace_graphs_writes_the_difference_and_handles_blank_nodes(store: OxigraphStore) -> None:
    a, b = URIRef(EX + "a"), URIRef(EX + "b")
    first = graph((a, RDFS.label, Literal("A")), (b, RDFS.label, Literal("B")))
    store.replace_graphs({G1: first}, META, graph((G1, RDFS.label, Literal("v1"))))
    second = graph((a, RDFS.label, Literal("A")), (b, RDFS.label, Literal("B2")), (b, RDFS.comment, Literal("ny")))
    store.replace_graphs({G1: second}, META, graph((G1, RDFS.label, Literal("v2"))))
    assert isomorphic(store.graph(G1), second)
    assert {str(o) for o in store.graph(META).objects(G1, RDFS.label)} == {"v2"}
    blank = BNode()
    with_blank = graph((a, RDFS.seeAlso, blank), (blank, RDFS.label, Literal("tom nod")))
    store.replace_graphs({G1: with_blank}, META, Graph())
    store.replace_graphs({G1: with_blank}, META, Graph())  # twice: blank nodes are not duplicated
    assert isomorphic(store.graph(G1), with_blank)
    assert len(store.graph(G2)) == 1


def test_on_disk_store_persists(tmp_path: Path) -> None:
    path = tmp_path / "s"
    s = OxigraphStore(path)
    s.replace_graphs({G1: graph((URIRef(EX + "a"), RDFS.label, Literal("A")))}, META, Graph())
    s.close()
    reopened = OxigraphStore(path)
    try:
        assert reopened.graph_names() == [G1]
    finally:
        reopened.close()


@pytest.mark.parametrize("fmt,parse_as", [("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")])
def test_triple_exports_are_the_union(store: OxigraphStore, fmt: str, parse_as: str) -> None:
    g = Graph().parse(data=store.export(fmt), format=parse_as)
    assert len(g) == 4


def test_quad_export_keeps_graph_names(store: OxigraphStore) -> None:
    nq = store.export("nq").decode()
    assert f"<{G1}> ." in nq and f"<{G2}> ." in nq and f"<{META}> ." in nq


def _parsed(name: URIRef, nt: str) -> NewGraph:
    return NewGraph.parsed(Serialised(nt.encode(), ox.RdfFormat.N_TRIPLES, name))[name]


@pytest.mark.parametrize("form", ["rdflib", "parsed", "parsed twice"])
def test_the_candidate_store_is_the_store_as_the_load_would_leave_it(store: OxigraphStore, form: str) -> None:
    a, b, c = (URIRef(EX + x) for x in "abc")
    schema = graph((URIRef(EX + "Class"), RDFS.label, Literal("klass", lang="sv")))
    new: Graph | NewGraph = graph((b, RDFS.seeAlso, c))
    if form != "rdflib":  # the copy is built in the new graph's scratch store
        new = _parsed(G2, f"<{b}> <{RDFS.seeAlso}> <{c}> .\n")
    if form == "parsed twice":  # what an earlier copy added there does not linger
        store.replace_graphs({G1: graph((a, RDFS.comment, Literal("gone")))}, META, Graph())
        candidate_store(store, {G2: new}, META, graph((c, RDFS.label, Literal("gone"))))
        store.replace_graphs({G1: graph((a, RDFS.label, Literal("A")), (a, URIRef(EX + "n"), Literal(3)))}, META,
                             Graph())
    copy = candidate_store(store, {G2: new}, META, schema)
    if isinstance(new, NewGraph):
        assert copy is new.scratch and len(new) == 1 and len(new.rdflib) == 1  # it still reads its own graph

    def triples(name: str) -> set[tuple[str, str, str]]:
        return {(q.subject.value, q.predicate.value, q.object.value)
                for q in copy.quads_for_pattern(None, None, None, ox.NamedNode(name))}

    assert triples(str(G1)) == {(str(a), str(RDFS.label), "A"), (str(a), EX + "n", "3")}  # kept as stored
    assert triples(str(G2)) == {(str(b), str(RDFS.seeAlso), str(c))}  # the new content only
    assert triples(str(META)) == set()  # metadata is not data to validate
    assert triples(SCHEMA_GRAPH.value) == {(EX + "Class", str(RDFS.label), "klass")}
    assert (b, RDFS.label, Literal("B")) in store.graph(G2) and len(store.graph(G2)) == 1  # the store is untouched


def _on_disk(tmp_path: Path, exclusive: bool) -> OxigraphStore:
    s = OxigraphStore(tmp_path / "store", exclusive=exclusive)
    s.replace_graphs({G1: graph((URIRef(EX + "a"), RDFS.label, Literal("A")))}, META,
                     graph((G1, RDFS.label, Literal("graf 1"))))
    return s


def _many(n: int) -> Graph:
    return graph(*((URIRef(f"{EX}s{i}"), RDFS.label, Literal(f"v{i}")) for i in range(n)))


def test_a_large_write_to_an_exclusive_store_goes_through_a_swapped_copy(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 10)
    swaps: list[Path] = []
    real_swap = oxigraph_store.swap_in
    monkeypatch.setattr(oxigraph_store, "swap_in", lambda new, target: (swaps.append(new), real_swap(new, target)))
    s = _on_disk(tmp_path, exclusive=True)
    s.replace_graphs({G1: _many(3), G2: _many(20)}, META, graph((G2, RDFS.label, Literal("graf 2"))))
    assert swaps == [tmp_path / "store.next"]
    assert isomorphic(s.graph(G1), _many(3)) and isomorphic(s.graph(G2), _many(20))  # G1's old triple is gone
    assert {str(r["l"]) for r in s.select(f"SELECT ?l {{ GRAPH <{META}> {{ ?g ?p ?l }} }}")} == {"graf 2"}
    s.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no staging copy or old store left
    reopened = OxigraphStore(tmp_path / "store")
    assert reopened.triple_count() == 3 + 20 + 1
    reopened.close()


def test_a_shared_store_writes_in_one_transaction_whatever_the_size(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 10)

    def no_swap(*_args: object) -> None:
        raise AssertionError("a store the process does not own was swapped")

    monkeypatch.setattr(oxigraph_store, "swap_in", no_swap)
    s = _on_disk(tmp_path, exclusive=False)
    s.replace_graphs({G2: _many(20)}, META, Graph())
    assert len(s.graph(G2)) == 20
    s.close()


def test_a_swap_interrupted_between_its_renames_is_finished_on_open(tmp_path: Path) -> None:
    s = _on_disk(tmp_path, exclusive=True)
    s.close()
    store = tmp_path / "store"
    shutil.copytree(store, tmp_path / "store.next")  # the complete new store
    store.rename(tmp_path / "store.old")  # the first rename happened, the second did not
    reopened = OxigraphStore(store)
    assert (URIRef(EX + "a"), RDFS.label, Literal("A")) in reopened.graph(G1)
    reopened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_staging_copy_left_by_a_crash_is_removed(tmp_path: Path) -> None:
    s = _on_disk(tmp_path, exclusive=True)
    s.close()
    (tmp_path / "store.next").mkdir()
    OxigraphStore(tmp_path / "store").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_staged_write_shows_nothing_until_committed_and_discarding_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 10)
    s = _on_disk(tmp_path, exclusive=True)
    refused = s.prepare_replace({G2: _many(20)}, META)
    refused.start()  # staged in a thread while the caller would validate
    assert len(s.graph(G2)) == 0  # the staging copy is not the store
    refused.discard()
    assert len(s.graph(G2)) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    accepted = s.prepare_replace({G2: _many(20)}, META)
    accepted.start()
    accepted.commit(graph((G2, RDFS.label, Literal("graf 2"))))
    accepted.discard()  # harmless after a commit
    assert isomorphic(s.graph(G2), _many(20)) and len(s.graph(G1)) == 1
    meta = {(r["g"], str(r["l"])) for r in s.select(f"SELECT ?g ?l {{ GRAPH <{META}> {{ ?g ?p ?l }} }}")}
    assert meta == {(G1, "graf 1"), (G2, "graf 2")}  # the metadata given at commit, beside the other graph's
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    s.close()


def test_a_staged_reload_writes_the_difference_and_a_graph_with_blank_nodes_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 10)
    s = _on_disk(tmp_path, exclusive=True)
    s.replace_graphs({G2: _many(20)}, META, Graph())
    changed = _many(19)
    changed.add((URIRef(EX + "s0"), RDFS.comment, Literal("ny")))
    differences: list[tuple[bool, set[ox.Quad], set[ox.Quad]]] = []
    real_difference = oxigraph_store._difference
    monkeypatch.setattr(oxigraph_store, "_difference", lambda old, new: differences.append(
        real_difference(old, new)) or differences[-1])
    s.replace_graphs({G2: changed}, META, Graph())
    assert isomorphic(s.graph(G2), changed)
    (whole, removed, added), = differences  # staged by the difference: nothing dropped and loaded whole
    assert not whole and [q.subject.value for q in removed] == [EX + "s19"] and len(added) == 1
    blank = graph(*((BNode(), RDFS.label, Literal(f"b{i}")) for i in range(12)))
    s.replace_graphs({G2: blank}, META, Graph())
    assert differences[-1][0]  # blank nodes have no name to delete them by: the graph is written whole
    assert len(s.graph(G2)) == 12 and all(isinstance(t[0], BNode) for t in s.graph(G2))
    s.close()


def test_a_failure_while_staging_is_raised_at_commit_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 10)
    s = _on_disk(tmp_path, exclusive=True)
    real_stage = OxigraphStore._stage

    def disk_full(self: OxigraphStore, staging: Path, *args: object) -> None:
        real_stage(self, staging, *args)  # type: ignore[arg-type]
        raise OSError("No space left on device")

    monkeypatch.setattr(OxigraphStore, "_stage", disk_full)
    write = s.prepare_replace({G1: _many(20)}, META)
    write.start()
    with pytest.raises(StoreError, match="No space left"):
        write.commit(Graph())
    write.discard()
    assert isomorphic(s.graph(G1), graph((URIRef(EX + "a"), RDFS.label, Literal("A"))))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    s.close()
