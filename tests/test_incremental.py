"""Incremental validation gives the answer of a full validation.

For many kinds of change on the bundled data, and for seeded random mutations of a generated graph, two things
are checked against full pyshacl validations of the whole store:
1. the incremental report equals the full validation of the store as it would be, restricted to the nodes the
   change affects;
2. the full validation's findings on every other node are the same as before the change.
Together they say: what was known before, with the affected nodes' findings replaced by the incremental report,
is exactly a full validation. Findings are compared as sets of (severity, top-level focus, focus, path, value,
source shape).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from bench.generate import write_ntriples
from graph.candidate_view import VALIDATION_QUERIES, values_clause
from graph.change import changed_triples
from graph.incremental import FullValidationNeeded, IncrementalReport, validate_change
from graph.named_queries import parse_query_file
from graph.new_graph import NewGraph
from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadPlan, apply, candidate, check, plan_files, plan_region, schema_graphs
from graph.settings import Region
from graph.validation import Finding, Report, Validator

DATA = Path(__file__).parent / "data"
SB = "https://w3id.org/sparbar/def#"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")  # (XSD itself at module level upsets pytest)
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
SBSH = "https://w3id.org/sparbar/shapes#"
TODAY = date.today()  # the shapes compare end dates with NOW()


def key(f: Finding) -> tuple:
    return (f.severity, f.top_focus, f.focus, f.path_text, f.value, f.shape)


def keys(findings: Iterable[Finding], keep: Callable[[Finding], bool] = lambda f: True) -> set[tuple]:
    return {key(f) for f in findings if keep(f)}


def full(store: OxigraphStore, new: Mapping[URIRef, Graph | NewGraph], region: Region, validator: Validator) -> Report:
    return validator.validate(candidate(store, new.keys(), new, URIRef(region.meta_graph_iri)))


@dataclass
class Checked:
    incremental: IncrementalReport
    after: Report  # full validation of the store as it would be

    def has(self, severity: str, focus: Node, shape: str) -> bool:
        return any(f.severity == severity and f.top_focus == focus and f.shape == URIRef(SBSH + shape)
                   for f in self.incremental.report.findings)


def check_equals_full(store: OxigraphStore, before: Report, new: Mapping[URIRef, Graph | NewGraph], region: Region,
                      validator: Validator) -> Checked:
    incremental = validate_change(store, new, URIRef(region.meta_graph_iri), validator, schema_graphs(region))
    after = full(store, new, region, validator)
    affected = incremental.affected
    assert incremental.changes, "the change should change something"
    assert keys(incremental.report.findings) == keys(after.findings, lambda f: f.top_focus in affected)
    assert keys(after.findings, lambda f: f.top_focus not in affected) == \
        keys(before.findings, lambda f: f.top_focus not in affected)
    return Checked(incremental, after)


def changed_subjects(checked: Checked) -> set[Node]:
    return {s for s, _p, _o in changed_triples(checked.incremental.changes)}


# --- the bundled data ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def before(loaded_store: OxigraphStore, region: Region, validator: Validator) -> Report:
    return full(loaded_store, {}, region, validator)


@pytest.fixture(scope="module")
def union(loaded_store: OxigraphStore, region: Region) -> Graph:
    return candidate(loaded_store, [], {}, URIRef(region.meta_graph_iri))


def graph_name(region: Region, name: str) -> URIRef:
    return URIRef(region.graph_iri(name))


def stored(store: OxigraphStore, region: Region, name: str) -> Graph:
    return store.graph(graph_name(region, name))


def date_of(g: Graph, node: Node, p: str) -> date | None:
    value = g.value(node, URIRef(SB + p))
    return value.toPython() if isinstance(value, Literal) and value.datatype == XSD_DATE else None


def test_adding_an_insats(loaded_store: OxigraphStore, before: Report, region: Region,
                          validator: Validator) -> None:
    plan = plan_files([DATA / "insats-ok.ttl"], region)
    checked = check_equals_full(loaded_store, before, plan.graphs, region, validator)
    new_nodes = {s for g in plan.graphs.values() for s in g.rdflib.subjects()}
    assert checked.incremental.affected == new_nodes
    assert checked.incremental.report.findings == []


def test_adding_an_insats_with_a_violation(loaded_store: OxigraphStore, before: Report, region: Region,
                                           validator: Validator) -> None:
    plan = plan_files([DATA / "insats-violation.ttl"], region)
    checked = check_equals_full(loaded_store, before, plan.graphs, region, validator)
    insats = URIRef(region.base_iri + "insats/test-ingenstans")
    assert checked.has("Violation", insats, "Intervention-contributesTo")


def test_removing_follow_ups_brings_the_follow_up_warning(loaded_store: OxigraphStore, before: Report,
                                                         region: Region, validator: Validator) -> None:
    example = stored(loaded_store, region, "example")
    followed = sorted({o for o in example.objects(None, URIRef(SB + "followsUp"))
                       if (o, RDF.type, URIRef(SB + "Intervention")) in example
                       and (end := date_of(example, o, "endDate")) and end < TODAY - timedelta(days=400)})
    assert followed, "the example data should have an insats that ended long ago and was followed up"
    insats = followed[0]
    follow_ups = set(example.subjects(URIRef(SB + "followsUp"), insats))
    for t in [t for t in example if t[0] in follow_ups]:
        example.remove(t)
    checked = check_equals_full(loaded_store, before, {graph_name(region, "example"): example}, region, validator)
    assert insats in checked.incremental.affected and insats not in changed_subjects(checked)
    assert checked.has("Warning", insats, "Intervention-followUp")
    assert not any(f.top_focus == insats and f.severity == "Warning" for f in before.findings)


def test_a_target_value_on_an_effect_indicator(loaded_store: OxigraphStore, before: Report, region: Region,
                                               validator: Validator) -> None:
    """The SPARQL constraint reads `?value sb:targetIndicator $this`: the indicator, which the change does not
    touch as a subject, must be validated again."""
    indicator = min(loaded_store.graph(graph_name(region, "rus")).subjects(RDF.type, URIRef(SB + "EffectIndicator")))
    target = URIRef(region.base_iri + "malvarde/test-effektindikator")
    g = Graph()
    g.add((target, RDF.type, URIRef(SB + "Target")))
    g.add((target, URIRef(SB + "targetIndicator"), indicator))
    g.add((target, URIRef(SB + "targetValue"), Literal("42", datatype=XSD_DECIMAL)))
    g.add((target, URIRef(SB + "isExample"), Literal(True)))
    checked = check_equals_full(loaded_store, before, {graph_name(region, "test-malvarde"): g}, region, validator)
    assert indicator in checked.incremental.affected
    assert checked.has("Violation", indicator, "EffectIndicatorNotTargetedShape")


def test_changing_delmal_alignments(loaded_store: OxigraphStore, before: Report, union: Graph, region: Region,
                                    validator: Validator) -> None:
    example = stored(loaded_store, region, "example")
    proposed, adopted = URIRef(SB + "proposedAlignment"), URIRef(SB + "adoptedAlignment")
    delmal = sorted({s for s in example.subjects(proposed) if (s, adopted, None) not in union})
    assert len(delmal) >= 2
    unaligned, misaligned = delmal[0], delmal[1]
    example.remove((unaligned, proposed, None))
    sdg = stored(loaded_store, region, "sdg")
    target = min(example.objects(misaligned, proposed))
    goal = sdg.value(target, SKOS.broader)
    assert goal is not None
    example.remove((misaligned, proposed, target))
    example.add((misaligned, proposed, goal))  # an SDG goal where an SDG target belongs
    checked = check_equals_full(loaded_store, before, {graph_name(region, "example"): example}, region, validator)
    assert checked.has("Warning", unaligned, "SubGoal-agenda2030")
    assert checked.has("Violation", misaligned, "SubGoal-proposedAlignment")


@pytest.mark.parametrize("seed", [1, 2])
def test_reloading_the_example_graph_with_edits_and_rows_removed(
    loaded_store: OxigraphStore, before: Report, region: Region, validator: Validator, seed: int
) -> None:
    example = stored(loaded_store, region, "example")
    rng = random.Random(seed)
    triples = sorted(example)
    for t in rng.sample(triples, 25):
        example.remove(t)
    literals = [t for t in triples if isinstance(t[2], Literal) and t in example]
    for s, p, o in rng.sample(literals, 8):
        example.remove((s, p, o))
        example.add((s, p, rng.choice([Literal(str(o)), Literal(str(o), lang="en"), Literal("2020-13-01"),
                                       Literal("1999-01-01", datatype=XSD_DATE)])))
    checked = check_equals_full(loaded_store, before, {graph_name(region, "example"): example}, region, validator)
    assert checked.incremental.affected >= changed_subjects(checked)


def test_removing_an_actor_that_insatser_point_at(loaded_store: OxigraphStore, before: Report, region: Region,
                                                  validator: Validator) -> None:
    places, example = stored(loaded_store, region, "places"), stored(loaded_store, region, "example")
    partner = URIRef(SB + "partner")
    typed_elsewhere = {s for name in loaded_store.graph_names() if name != graph_name(region, "places")
                       for s in loaded_store.graph(name).subjects(RDF.type)}
    actor = min(a for a in example.objects(None, partner) if (a, RDF.type, None) in places
                and a not in typed_elsewhere and a != URIRef(region.base_iri + "aktor/region-vastmanland"))
    insatser = set(example.subjects(partner, actor))
    for t in list(places.triples((actor, None, None))):
        places.remove(t)
    checked = check_equals_full(loaded_store, before, {graph_name(region, "places"): places}, region, validator)
    assert insatser <= checked.incremental.affected
    assert not insatser & changed_subjects(checked)
    for insats in insatser:
        assert checked.has("Violation", insats, "Intervention-partner")


def test_end_dates_across_the_six_month_boundary(loaded_store: OxigraphStore, before: Report, region: Region,
                                                 validator: Validator) -> None:
    example = stored(loaded_store, region, "example")
    end, followed = URIRef(SB + "endDate"), set(example.objects(None, URIRef(SB + "followsUp")))
    long_ago = TODAY - timedelta(days=400)
    candidates = sorted(i for i in example.subjects(RDF.type, URIRef(SB + "Intervention"))
                        if i not in followed and (start := date_of(example, i, "startDate")) and start < long_ago)
    due = [i for i in candidates if any(f.top_focus == i and f.shape == URIRef(SBSH + "Intervention-followUp")
                                        for f in before.findings)]
    not_due = [i for i in candidates if i not in due]
    assert due and not_due, "the example data should have insatser on both sides of the boundary"
    now_due, no_longer_due = not_due[0], due[0]
    example.set((now_due, end, Literal(TODAY - timedelta(days=215), datatype=XSD_DATE)))  # 7 months ago
    example.set((no_longer_due, end, Literal(TODAY - timedelta(days=150), datatype=XSD_DATE)))  # 5 months ago
    checked = check_equals_full(loaded_store, before, {graph_name(region, "example"): example}, region, validator)
    assert checked.has("Warning", now_due, "Intervention-followUp")
    assert no_longer_due in checked.incremental.affected
    assert not checked.has("Warning", no_longer_due, "Intervention-followUp")


def test_the_context_leaves_hub_links_out(loaded_store: OxigraphStore, union: Graph, region: Region,
                                          validator: Validator) -> None:
    """The Region owns every insats; validating a new one must not fetch all of them."""
    plan = plan_files([DATA / "insats-ok.ttl"], region)
    owner = URIRef(region.base_iri + "aktor/region-vastmanland")
    incremental = validate_change(loaded_store, plan.graphs, URIRef(region.meta_graph_iri), validator)
    assert len(set(union.subjects(None, owner))) > 10
    assert incremental.context_triples < 100


def test_reloading_a_graph_as_it_was_reports_its_own_findings_again(
        loaded_store: OxigraphStore, before: Report, region: Region, validator: Validator) -> None:
    """Nothing changes, yet a steward who loads the same file again sees all of its warnings again."""
    example = stored(loaded_store, region, "example")
    same = validate_change(loaded_store, {graph_name(region, "example"): example}, URIRef(region.meta_graph_iri),
                           validator)
    assert same.changes == []
    assert same.affected == set(example.subjects())
    assert keys(same.report.findings) == keys(before.findings, lambda f: f.top_focus in same.affected)
    assert any(f.severity == "Warning" for f in same.report.findings)


# --- a generated graph, mutated at random ------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory, region: Region, validator: Validator):
    path = tmp_path_factory.mktemp("generated") / "syntetisk.nt"
    with path.open("w", encoding="utf-8") as f:
        write_ntriples(f, 12, seed=5)
    store = OxigraphStore()
    apply(store, plan_region(region), region, validator)
    plan = plan_files([path], region)
    apply(store, plan, region, validator)
    (name,) = plan.graphs
    yield store, name, full(store, {}, region, validator)
    store.close()


def mutate(g: Graph, rng: random.Random, n: int) -> None:
    """Remove triples and whole resources, retype, relink and rewrite literals: every kind of edit a workbook
    can make, on random nodes."""
    for _ in range(n):
        triples = sorted(g)
        nodes = sorted({s for s, _p, _o in triples} | {o for *_, o in triples if isinstance(o, URIRef)})
        s, p, o = rng.choice(triples)
        kind = rng.randrange(6)
        if kind == 0:
            g.remove((s, p, o))
        elif kind == 1:
            g.remove((s, None, None))
        elif kind == 2:
            g.remove((s, RDF.type, None))
        elif kind == 3:
            g.add((rng.choice(nodes), p, o))
        elif kind == 4 and isinstance(o, URIRef):
            g.remove((s, p, o))
            g.add((s, p, rng.choice(nodes)))
        else:
            g.remove((s, p, o))
            g.add((s, p, Literal(str(o)[-12:], lang=rng.choice(["sv", "en"]))))


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_mutations_of_a_generated_graph(generated_store, region: Region, validator: Validator,
                                               seed: int) -> None:
    store, name, before_mutation = generated_store
    g = store.graph(name)
    mutate(g, random.Random(seed), 10)
    checked = check_equals_full(store, before_mutation, {name: g}, region, validator)
    assert checked.incremental.affected >= changed_subjects(checked)


def test_the_context_does_not_grow_with_the_store(loaded_store: OxigraphStore, generated_store, region: Region,
                                                  validator: Validator) -> None:
    bigger, _name, _before = generated_store
    assert bigger.triple_count() > loaded_store.triple_count() + 1000
    plan = plan_files([DATA / "insats-ok.ttl"], region)
    meta = URIRef(region.meta_graph_iri)
    small = validate_change(loaded_store, plan.graphs, meta, validator)
    large = validate_change(bigger, plan.graphs, meta, validator)
    assert small.affected == large.affected
    assert small.context_triples == large.context_triples


# --- when a full validation is needed, and how the pipeline chooses -----------------------------------------
def test_a_changed_controlled_list_needs_a_full_validation(loaded_store: OxigraphStore, region: Region,
                                                           validator: Validator) -> None:
    kos = stored(loaded_store, region, "kos")
    concept = min(kos.subjects(SKOS.inScheme))
    kos.remove((concept, SKOS.prefLabel, None))
    new = {graph_name(region, "kos"): kos}
    with pytest.raises(FullValidationNeeded):
        validate_change(loaded_store, new, URIRef(region.meta_graph_iri), validator, schema_graphs(region))


def test_a_new_subclass_needs_a_full_validation(loaded_store: OxigraphStore, region: Region,
                                                validator: Validator) -> None:
    g = Graph()
    g.add((URIRef(region.base_iri + "klass/test"), RDFS.subClassOf, URIRef(SB + "Actor")))
    with pytest.raises(FullValidationNeeded):
        validate_change(loaded_store, {graph_name(region, "test-klass"): g}, URIRef(region.meta_graph_iri),
                        validator)


def test_check_validates_incrementally_unless_asked_for_all(loaded_store: OxigraphStore, before: Report,
                                                           region: Region, validator: Validator) -> None:
    plan = plan_files([DATA / "insats-warning.ttl"], region)
    incremental = validate_change(loaded_store, plan.graphs, URIRef(region.meta_graph_iri), validator)
    everything = full(loaded_store, plan.graphs, region, validator)
    assert keys(check(loaded_store, plan, region, validator).findings) == keys(incremental.report.findings)
    assert keys(check(loaded_store, plan, region, validator, full=True).findings) == keys(everything.findings)
    assert keys(incremental.report.findings) < keys(everything.findings)  # the store's own warnings are left out
    nothing = plan_files([], region)
    assert keys(check(loaded_store, nothing, region, validator).findings) == keys(before.findings)


def test_check_falls_back_to_a_full_validation_for_the_ontology(loaded_store: OxigraphStore, region: Region,
                                                               validator: Validator) -> None:
    plan = plan_region(region)
    ontology = graph_name(region, "ontology")
    for source in plan.sources:
        if ontology in source.graphs:
            source.checksum = "sha256:" + "0" * 64  # as if the file had changed
            g = source.graphs[ontology].rdflib
            g.remove((min(s for s in g.subjects(RDFS.label) if isinstance(s, URIRef)), RDFS.label, None))
            source.graphs[ontology] = NewGraph(ontology, graph=g)
    report = check(loaded_store, plan, region, validator)
    assert keys(report.findings) == keys(full(loaded_store, plan.graphs, region, validator).findings)


def test_validate_full_on_the_command_line(tmp_path: Path, region: Region, validator: Validator) -> None:
    from typer.testing import CliRunner

    from loaders.cli import app

    path = tmp_path / "store"
    store = OxigraphStore(path)
    apply(store, plan_region(region), region, validator)
    store.close()
    runner = CliRunner()
    env = {"SPARBAR_STORE": str(path)}
    changed = runner.invoke(app, ["validate", str(DATA / "insats-warning.ttl")], env=env)
    everything = runner.invoke(app, ["validate", "--full", str(DATA / "insats-warning.ttl")], env=env)
    assert changed.exit_code == everything.exit_code == 0, changed.output + everything.output
    assert "test-gammal" in changed.output and "test-gammal" in everything.output
    assert everything.output.count("[Varning]") > changed.output.count("[Varning]")
    assert "--full" in runner.invoke(app, ["validate", "--help"]).output



def test_a_full_validation_names_the_stored_file_of_every_finding(loaded_store: OxigraphStore, region: Region,
                                                                  validator: Validator) -> None:
    """Findings about stored resources are attributed with one batched look-up (queries/validation/
    source-files.rq), not a query per finding."""
    report = check(loaded_store, LoadPlan(), region, validator, full=True)
    assert report.findings, "the bundled data has warnings (delmål without an Agenda 2030 target)"
    paths = {str(r["path"]) for r in loaded_store.select(
        "SELECT ?path { GRAPH ?m { ?g <https://w3id.org/sparbar/def#sourcePath> ?path } }")}
    for finding in report.findings:
        assert finding.sources and set(finding.sources) <= paths, finding


@pytest.mark.parametrize("path", sorted(VALIDATION_QUERIES.glob("triples-*.rq")), ids=lambda p: p.stem)
def test_validation_queries_have_headers_and_take_values(path: Path) -> None:
    """The look-ups run with their parameters in a VALUES block of RDF terms (a literal too, which a
    predicate-and-node pair may end in) and return the quad they matched."""
    q = parse_query_file(path)
    assert q.title and q.description and q.parameters
    s, p, o = URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("två \"ord\"", lang="sv")
    g = URIRef("http://example.org/g")
    store = OxigraphStore()
    data = Graph()
    data.add((s, p, o))
    store.replace_graphs({g: data}, URIRef("http://example.org/meta"), Graph())
    node = s if "?node ?p ?o" in q.text else o
    rows = store.select(q.text + "\n" + values_clause(["node", "p"], [(node, p)])).rows
    assert [(r.get("s", s), r["p"], r.get("o", o), r["g"]) for r in rows] == [(s, p, o, g)]
    for param in q.parameters:
        assert f"?{param.name}" in q.text
