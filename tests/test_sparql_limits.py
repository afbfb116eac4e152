"""The lexer that decides what reaches the engine: it must see every SERVICE that pyoxigraph would call, read the
dataset and form of a query, and let every legitimate query through."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from http_listener import Listener, listening

from graph.named_queries import load_named_queries
from server.sparql.limits import Limits, QueryRefused, inspect_query, inspect_update, shape

LIMITS = Limits(max_bytes=100_000, max_depth=100)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with listening() as server:
        yield server


# Spellings of SERVICE that pyoxigraph's parser accepts: no space after the keyword, any case, comments between.
SERVICE_SPELLINGS = [
    "SERVICE <{u}a> {{}}",
    "service<{u}b>{{}}",
    "SeRvIcE SILENT <{u}c> {{}}",
    "SERVICE#kommentar\n<{u}d>{{}}",
    "SERVICE\t<{u}e>\n{{}}",
    "SERVICEex:f{{}}",
    "serviceex:g {{}}",
    "FILTER(1<2) SERVICE <{u}h> {{}}",
    "{{ OPTIONAL {{ SERVICE <{u}i> {{}} }} }}",
]


@pytest.mark.parametrize("spelling", SERVICE_SPELLINGS)
def test_every_service_the_engine_would_call_is_seen(listener: Listener, spelling: str) -> None:
    query = f"PREFIX ex: <{listener.url}> ASK {{ {spelling.format(u=listener.url)} }}"
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect_query(query, LIMITS)
    # and pyoxigraph itself, given the same text, really calls it (then may fail to read the listener's answer)
    calls = len(listener.hits)
    with contextlib.suppress(RuntimeError):
        ox.Store().query(query)
    assert len(listener.hits) == calls + 1


@pytest.mark.parametrize("query", [
    'ASK { ?s ?p "SERVICE <http://x> {}" }',
    "ASK { ?s ?p '''\nSERVICE <http://x> {}\n''' }",
    "ASK { ?s ?p <http://example.org/SERVICE> }",
    "ASK { ?s ?p ?o } # SERVICE <http://x> {}",
    "PREFIX ex: <http://example.org/> ASK { ?s ex:service ?o }",
    "ASK { ?service ?p ?o }",
])
def test_service_in_strings_iris_comments_and_names_is_no_service(query: str) -> None:
    assert shape(query).service is None


def test_forms() -> None:
    assert shape("PREFIX a: <http://a/> BASE <http://b/> SELECT * {}").form == "select"
    assert shape("select*{}").form == "select"
    assert shape("ASK{}").form == "ask"
    assert shape("CONSTRUCT WHERE { ?s ?p ?o }").form == "construct"
    assert shape("DESCRIBE <http://x>").form == "describe"
    for update in ("INSERT DATA {}", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://x>", "CLEAR ALL", "DROP ALL",
                   "PREFIX a: <http://a/> WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        assert shape(update).form == "update"
        with pytest.raises(QueryRefused, match="skrivskyddad"):
            inspect_query(update, LIMITS)


def test_dataset_clauses_in_every_spelling_oxigraph_reads() -> None:
    s = shape("PREFIX : <http://x/> PREFIX ex: <http://e/> SELECT * FROM <http://a> FROM NAMED <http://b> "
              "from:c FROMNAMED<http://d> FROM named:e FROM ex:f WHERE { ?s ?p ?o }")
    assert s.has_dataset_clause
    assert set(s.dataset) >= {("http://a", False), ("http://b", True), ("http://x/c", False), ("http://d", True),
                              ("http://x/e", True), ("http://e/f", False)}
    # relative IRIs resolve against BASE, or the endpoint's URL
    assert shape("BASE <http://b/dir/> SELECT * FROM <g> {}").dataset == [("http://b/dir/g", False)]
    assert shape("SELECT * FROM <g> {}", "http://host/sparql").dataset == [("http://host/g", False)]
    # FROM inside a pattern, or a word that starts with "from" there, is no dataset clause
    assert not shape("PREFIX fromage: <http://f/> SELECT * { ?s fromage:x ?o }").has_dataset_clause


def test_depth_counts_every_bracket() -> None:
    assert shape("ASK {}").depth == 1
    assert shape("ASK { FILTER((1)) [] }").depth == 3
    assert shape("ASK { [ <urn:p> [ <urn:p> ( 1 ) ] ] }").depth == 4
    assert shape("ASK { ?s ?p '{{{{' } # {{{{").depth == 1
    with pytest.raises(QueryRefused, match="nästlad 101"):
        inspect_query("ASK {" + "(" * 100 + "1" + ")" * 100 + "}", LIMITS)


def test_size_is_counted_in_bytes() -> None:
    with pytest.raises(QueryRefused, match="100002 byte"):
        inspect_query("ASK {} #" + "å" * 49_997, LIMITS)


def test_load_is_refused_in_updates_only_as_an_operation() -> None:
    with pytest.raises(QueryRefused, match="LOAD"):
        inspect_update("CLEAR GRAPH <http://g> ; LOAD <file:///etc/passwd>", LIMITS)
    inspect_update('INSERT DATA { GRAPH <http://g> { <http://a> <http://b> "LOAD <file:///x>" } }', LIMITS)


def test_every_named_query_passes() -> None:
    for query in load_named_queries().values():
        s = inspect_query(query.text, LIMITS)
        assert s.form in ("select", "construct", "ask", "describe"), query.name
        assert not s.has_dataset_clause, query.name
