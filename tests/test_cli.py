"""The `sparbar` command end to end, on an on-disk store: all-or-nothing loads, reports, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from graph import oxigraph_store
from graph.oxigraph_store import OxigraphStore
from loaders.cli import app

DATA = Path(__file__).parent / "data"
BASE = "https://w3id.org/sparbar/vastmanland/"
runner = CliRunner()


def run(store: Path, *args: str):
    return runner.invoke(app, list(args), env={"SPARBAR_STORE": str(store)})


@pytest.fixture(scope="session")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("init") / "store"
    result = run(store, "init")
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def store(initialised: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(initialised, copy)
    return copy


def dump(store: Path) -> set[str]:
    """Every quad of the store as an N-Quads line (Oxigraph keeps blank-node ids stable in one store)."""
    s = OxigraphStore(store)
    try:
        data = s.export("nq")
    finally:
        s.close()
    lines = {line for line in data.decode().splitlines() if line.strip()}
    assert lines, "the store should not be empty"
    return lines


def graph_of(store: Path, name: str) -> Graph:
    s = OxigraphStore(store)
    try:
        return s.graph(URIRef(name))
    finally:
        s.close()


def test_init_is_idempotent(store: Path) -> None:
    before = dump(store)
    result = run(store, "init")
    assert result.exit_code == 0, result.output
    assert "redan aktuellt" in result.output
    assert dump(store) == before


def test_init_loads_every_bundled_source_with_provenance(store: Path, region) -> None:
    s = OxigraphStore(store)
    try:
        names = set(s.graph_names())
        rows = s.select(
            "SELECT ?m ?g ?path ?sum ?t WHERE { GRAPH ?m { ?g a <https://w3id.org/sparbar/def#SourceGraph> ; "
            "<https://w3id.org/sparbar/def#sourcePath> ?path ; <https://w3id.org/sparbar/def#checksum> ?sum ; "
            "<http://www.w3.org/ns/prov#generatedAtTime> ?t } }",
            {"m": URIRef(region.meta_graph_iri)},
        )
    finally:
        s.close()
    expected = {URIRef(region.graph_iri(src.graph)) for src in region.sources}
    assert expected <= names
    described = {r["g"]: r for r in rows}
    assert set(described) == expected
    for src in region.sources:
        row = described[URIRef(region.graph_iri(src.graph))]
        assert str(row["sum"]).startswith("sha256:")
        assert Path(str(row["path"])).name == src.path.name


def test_load_adds_a_named_graph_with_provenance(store: Path) -> None:
    result = run(store, "load", str(DATA / "insats-ok.ttl"))
    assert result.exit_code == 0, result.output
    g = graph_of(store, BASE + "graph/insats-ok")
    assert isomorphic(g, Graph().parse(DATA / "insats-ok.ttl"))
    meta = graph_of(store, BASE + "graph/meta")
    sources = {str(o) for o in meta.objects(URIRef(BASE + "graph/insats-ok"),
                                             URIRef("https://w3id.org/sparbar/def#sourcePath"))}
    assert sources == {"tests/data/insats-ok.ttl"}


def test_reloading_a_changed_source_replaces_its_graph(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "insats-ok.ttl"
    shutil.copy(DATA / "insats-ok.ttl", src)
    assert run(store, "load", str(src)).exit_code == 0
    shutil.copy(DATA / "insats-changed.ttl", src)
    result = run(store, "load", str(src))
    assert result.exit_code == 0, result.output
    g = graph_of(store, BASE + "graph/insats-ok")
    assert isomorphic(g, Graph().parse(DATA / "insats-changed.ttl"))
    assert "Sala" not in g.serialize(format="nt")


def test_a_violation_refuses_the_load_and_changes_nothing(store: Path) -> None:
    before = dump(store)
    result = run(store, "load", str(DATA / "insats-ok.ttl"), str(DATA / "insats-violation.ttl"))
    assert result.exit_code == 1
    assert "test-ingenstans" in result.output
    assert "tests/data/insats-violation.ttl" in result.output  # the report names the source file
    assert "inget skrevs" in result.output
    assert dump(store) == before


def test_a_violation_refuses_a_large_staged_load_and_leaves_no_copy(store: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line owns the store: a large write is staged in a copy while the load is validated."""
    monkeypatch.setattr(oxigraph_store, "LARGE_WRITE_QUADS", 5)
    stages: list[Path] = []
    real_stage = OxigraphStore._stage
    monkeypatch.setattr(OxigraphStore, "_stage", lambda self, staging, *a: (stages.append(staging),
                                                                           real_stage(self, staging, *a)))
    before = dump(store)
    result = run(store, "load", str(DATA / "insats-ok.ttl"), str(DATA / "insats-violation.ttl"))
    assert result.exit_code == 1 and "inget skrevs" in result.output
    assert stages == [store.with_name("store.next")]  # the write was staged …
    assert dump(store) == before  # … and dropped
    assert sorted(p.name for p in store.parent.iterdir() if p.name.startswith("store")) == ["store"]
    assert run(store, "load", str(DATA / "insats-ok.ttl")).exit_code == 0
    assert len(stages) == 2 and dump(store) != before


def test_a_syntax_error_names_file_and_line_and_changes_nothing(store: Path) -> None:
    before = dump(store)
    result = run(store, "load", str(DATA / "insats-ok.ttl"), str(DATA / "syntax-error.ttl"))
    assert result.exit_code == 2
    assert "syntax-error.ttl:3" in result.output
    assert dump(store) == before


def test_a_missing_file_is_a_clear_error(store: Path) -> None:
    result = run(store, "load", "no/such/file.ttl")
    assert result.exit_code == 2
    assert "no/such/file.ttl: filen finns inte" in result.output


def test_warnings_land_and_are_reported(store: Path) -> None:
    result = run(store, "load", str(DATA / "insats-warning.ttl"))
    assert result.exit_code == 0, result.output
    assert "[Varning]" in result.output and "test-gammal" in result.output
    assert len(graph_of(store, BASE + "graph/insats-warning")) > 0


def test_validate_exit_codes(store: Path) -> None:
    ok = run(store, "validate")
    assert ok.exit_code == 0, ok.output
    bad = run(store, "validate", str(DATA / "insats-violation.ttl"))
    assert bad.exit_code == 1
    assert "[Fel]" in bad.output and "sb:contributesTo" not in bad.output.split("Fel]")[0]
    en = run(store, "validate", "--lang", "en", str(DATA / "insats-violation.ttl"))
    assert "[Violation]" in en.output
    unusable = run(store, "validate", str(DATA / "syntax-error.ttl"))
    assert unusable.exit_code == 2
    # validate never writes
    assert len(graph_of(store, BASE + "graph/insats-violation")) == 0


def test_quad_formats_keep_their_graph_names(store: Path, tmp_path: Path) -> None:
    g = Graph().parse(DATA / "insats-ok.ttl")
    ds = Dataset()
    ds.graph(URIRef("https://example.org/g/named")).__iadd__(g)
    trig = tmp_path / "two.trig"
    trig.write_text(ds.serialize(format="trig"))
    result = run(store, "load", str(trig))
    assert result.exit_code == 0, result.output
    assert isomorphic(graph_of(store, "https://example.org/g/named"), g)
    # the file's own graph name is not used when the quads carry theirs
    assert len(graph_of(store, BASE + "graph/two")) == 0


@pytest.mark.parametrize("fmt,ext", [("nt", "nt"), ("xml", "rdf"), ("json-ld", "jsonld"), ("nquads", "nq")])
def test_every_triple_and_quad_syntax_loads(store: Path, tmp_path: Path, fmt: str, ext: str) -> None:
    g = Graph().parse(DATA / "insats-ok.ttl")
    path = tmp_path / f"insats.{ext}"
    if fmt == "nquads":
        ds = Dataset()
        ds.graph(URIRef("https://example.org/g/nq")).__iadd__(g)
        path.write_text(ds.serialize(format="nquads"))
        expected_graph = "https://example.org/g/nq"
    else:
        path.write_text(g.serialize(format=fmt))
        expected_graph = BASE + "graph/insats"
    result = run(store, "load", str(path))
    assert result.exit_code == 0, result.output
    assert isomorphic(graph_of(store, expected_graph), g)


def test_query_list_and_formats(store: Path) -> None:
    listed = run(store, "query", "--list")
    assert listed.exit_code == 0
    assert "insats-chain" in listed.output and "goal-insatser" in listed.output
    res = run(store, "query", "delmal-coverage", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert len(rows) >= 15
    js = run(store, "query", "goal-insatser", "--param", "goal=http://metadata.un.org/sdg/8", "--format", "json")
    assert js.exit_code == 0, js.output
    parsed = json.loads(js.output)
    assert parsed["head"]["vars"] and parsed["results"]["bindings"]


def test_query_errors_are_clear(store: Path, tmp_path: Path) -> None:
    unknown = run(store, "query", "no-such-query")
    assert unknown.exit_code == 2 and "okänd fråga 'no-such-query'" in unknown.output
    bad_param = run(store, "query", "goal-insatser", "--param", "colour=red")
    assert bad_param.exit_code == 2 and "okänd parameter 'colour'" in bad_param.output
    missing = run(store, "query", "goal-insatser")
    assert missing.exit_code == 2 and "behöver parametern 'goal'" in missing.output
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?x WHERE { ?x ")
    syntax = run(store, "query", str(broken))
    assert syntax.exit_code == 2 and "broken.rq" in syntax.output


def test_export_round_trips(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.trig"
    assert run(store, "export", "--format", "trig", "--output", str(out)).exit_code == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    s = OxigraphStore(store)
    try:
        names = s.graph_names()
        assert {URIRef(c.identifier) for c in ds.graphs() if len(c)} == set(names)
        for name in names:
            assert isomorphic(ds.graph(name), s.graph(name)), name
    finally:
        s.close()
    ttl = run(store, "export", "--format", "ttl")
    assert ttl.exit_code == 0
    assert len(Graph().parse(data=ttl.stdout_bytes, format="turtle")) > 1000
    assert run(store, "export", "--format", "docx").exit_code == 2


def test_help_everywhere() -> None:
    for cmd in ("init", "load", "validate", "query", "export", "serve"):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
