"""The synthetic region generator of the benchmarks: deterministic, sized as asked, and valid data."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from bench.generate import (
    ReferenceDataMissing,
    generate,
    insatser_for_triples,
    load_reference,
    main,
    parse_size,
    write_ntriples,
)
from bench.report import write_section
from graph.oxigraph_store import OxigraphStore
from graph.pipeline import check, plan_files
from graph.settings import REPO_ROOT, Region
from graph.validation import Validator
from ontology import KOS_PATH

SB = Namespace("https://w3id.org/sparbar/def#")
SBK = "https://w3id.org/sparbar/kos/"
IS_EXAMPLE = f"<{SB}isExample>"
TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'


def _text(n: int, seed: int) -> str:
    out = io.StringIO()
    write_ntriples(out, n, seed)
    return out.getvalue()


def _concepts(scheme: str) -> set[str]:
    kos = Graph().parse(KOS_PATH, format="turtle")
    return {str(c) for c in kos.subjects(SKOS.inScheme, URIRef(f"{SBK}{scheme}"))}


def test_same_seed_same_graph_other_seed_other_graph() -> None:
    assert list(generate(12, seed=7)) == list(generate(12, seed=7))
    assert _text(12, 7) == _text(12, 7)
    assert _text(12, 7) != _text(12, 8)


@pytest.mark.parametrize("target", ["5k", "40000"])
def test_triples_option_lands_within_ten_percent(target: str, tmp_path: Path) -> None:
    out = tmp_path / "region.nt"
    assert main(["--triples", target, "--output", str(out)]) == 0
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = parse_size(target)
    assert abs(len(lines) - wanted) <= 0.1 * wanted, (len(lines), wanted)


def test_cli_writes_parseable_ntriples(tmp_path: Path) -> None:
    out = tmp_path / "region.nt"
    proc = subprocess.run([sys.executable, "-m", "bench.generate", "--insatser", "3", "--output", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    g = Graph().parse(out, format="nt")
    assert len(set(g.subjects(None, SB.Intervention))) == 3


def test_every_resource_is_marked_as_example() -> None:
    subjects, marked = set(), set()
    for s, p, o in generate(20, seed=1):
        subjects.add(s)
        if p == IS_EXAMPLE and o == TRUE:
            marked.add(s)
    assert subjects == marked


def test_uses_every_funding_kind_and_horizon() -> None:
    kinds, horizons = set(), set()
    for _s, p, o in generate(20, seed=0):
        if p == f"<{SB}fundingKind>":
            kinds.add(o.strip("<>"))
        elif p == f"<{SB}horizon>":
            horizons.add(o.strip("<>"))
    assert kinds == _concepts("funding-kind")
    assert horizons == _concepts("horizon")


def test_reference_data_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataMissing, match=r"rus-vastmanland\.ttl"):
        load_reference(tmp_path)


def test_size_estimate_grows_with_the_target() -> None:
    assert insatser_for_triples(10_000) < insatser_for_triples(100_000)


def _validate_with_bundled(path: Path, store: OxigraphStore, region: Region, validator: Validator):
    plan = plan_files([path], region)
    return plan, check(store, plan, region, validator)


def test_generated_graph_conforms_together_with_the_bundled_data(
    tmp_path: Path, loaded_store: OxigraphStore, region: Region, validator: Validator
) -> None:
    path = tmp_path / "syntetisk.nt"
    path.write_text(_text(20, 0), encoding="utf-8")
    plan, report = _validate_with_bundled(path, loaded_store, region, validator)
    assert sum(len(g) for g in plan.graphs.values()) > 1000
    assert report.violations == [], [f"{f.focus} {f.path}: {f.message('en')}" for f in report.violations[:10]]
    synthetic = [f for f in report.findings if "/syn-" in str(f.focus)]
    assert synthetic == [], [f"{f.severity} {f.focus} {f.path}: {f.message('en')}" for f in synthetic[:10]]


def test_a_broken_synthetic_insats_is_caught(
    tmp_path: Path, loaded_store: OxigraphStore, region: Region, validator: Validator
) -> None:
    """The conformance test above would pass vacuously if the synthetic nodes were never checked."""
    owner = f"<{SB}owner>"
    lines = [line for line in _text(3, 0).splitlines() if not (line.startswith("<") and "/insats/syn-0000001>" in
                                                               line.split(" ", 1)[0] and f" {owner} " in line)]
    path = tmp_path / "trasig.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plan, report = _validate_with_bundled(path, loaded_store, region, validator)
    assert any(str(f.focus).endswith("/insats/syn-0000001") for f in report.violations)


def test_benchmark_sections_replace_only_their_own_part(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    write_section(report, "load", "## Load\n\n1 s")
    write_section(report, "http", "## HTTP\n\n10 req/s")
    write_section(report, "load", "## Load\n\n2 s")
    text = report.read_text()
    assert text.startswith("# Benchmarks")
    assert "2 s" in text and "1 s" not in text and "10 req/s" in text
    assert text.index("## Load") < text.index("## HTTP")
    assert text.count("<!-- bench:load -->") == 1
