"""The SHACL shapes (shapes/sparbar-shapes.ttl), run against the one table of cases in shape_cases/cases.toml.

Every case is context.ttl + ontology/kos.ttl + a snippet, validated the way graph/validation.py does it:
pyshacl with the ontology (ontology/sparbar.ttl + ontology/kos.ttl) as ont_graph, inference "none",
advanced. pyshacl "inoculates" a copy of the data graph with the ontology's RDFS/OWL axioms, rdfs:subClassOf
among them, so sh:targetClass reaches instances of subclasses (an sb:Evaluation is checked by the
sb:FollowUp shape): test_subclass_instances_are_targeted_through_the_ontology shows it, and that without the
ontology they are not. No subclass triples need to be copied into the data by hand. The inoculation does NOT
copy the controlled-list concepts (their skos:inScheme), so kos.ttl must be in the data graph itself:
test_controlled_lists_must_be_in_the_data_graph.

Coverage rules enforced here, so that a shape added without cases fails the suite:
* every node shape with a target has a conforming case (no result at all, and a focus node of the shape in
  the snippet) and a violating case (expected results whose source shape it owns);
* every property shape of such a node shape is the source of at least one expected result;
* every SPARQL constraint is the sh:sourceConstraint of at least one expected result.
The one rule that depends on today's date (follow-up due six months after the end) is tested relative to
today in test_follow_up_is_due_six_months_after_the_end; the table only uses dates far from today.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from graph.validation import Validator
from shapes import SHAPES_NAMESPACE, SHAPES_PATH

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "shape_cases"
ONTOLOGY_PATH = ROOT / "ontology" / "sparbar.ttl"
KOS_PATH = ROOT / "ontology" / "kos.ttl"
BASE = "https://w3id.org/sparbar/vastmanland/"
SB = "https://w3id.org/sparbar/def#"

PREFIXES = {
    "sb": SB,
    "sbk": "https://w3id.org/sparbar/kos/",
    "sbsh": SHAPES_NAMESPACE,
    "sh": str(SH),
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "skos": str(SKOS),
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": str(RDFS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "qb": "http://purl.org/linked-data/cube#",
    "prov": "http://www.w3.org/ns/prov#",
    "fk": "https://w3id.org/sparbar/kos/funding-kind/",
    "hz": "https://w3id.org/sparbar/kos/horizon/",
    "ia": "https://w3id.org/sparbar/kos/inquiry-area/",
    "pe": "https://w3id.org/sparbar/kos/perspective/",
    "pdca": "https://w3id.org/sparbar/kos/pdca-phase/",
    "ak": "https://w3id.org/sparbar/kos/actor-kind/",
    "st": "https://w3id.org/sparbar/kos/status/",
    "tg": "https://w3id.org/sparbar/kos/target-group/",
}
SNIPPET_HEADER = f"@base <{BASE}> .\n" + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
SEVERITIES = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def term(text: str) -> URIRef:
    """`<relative/iri>` (against the data base) or `prefix:local`."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(urljoin(BASE, text[1:-1]))
    prefix, _, local = text.partition(":")
    return URIRef(PREFIXES[prefix] + local)


# ----------------------------------------------------------------------------------------------------------
# Loading: shapes, ontology, context, cases
# ----------------------------------------------------------------------------------------------------------


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@cache
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_PATH, format="turtle")
    g.parse(KOS_PATH, format="turtle")
    return g


@cache
def kos_graph() -> Graph:
    return Graph().parse(KOS_PATH, format="turtle")


@cache
def context_graph() -> Graph:
    return Graph().parse(CASES_DIR / "context.ttl", format="turtle")


@dataclass(frozen=True)
class Expected:
    focus: URIRef
    source: URIRef
    severity: URIRef
    component: URIRef | None = None
    constraint: URIRef | None = None


@dataclass(frozen=True)
class Case:
    id: str
    shapes: tuple[URIRef, ...]
    conforms: bool
    turtle: str
    expect: tuple[Expected, ...] = field(default_factory=tuple)

    @property
    def violating(self) -> bool:
        return bool(self.expect)

    def snippet(self) -> Graph:
        return Graph().parse(data=SNIPPET_HEADER + self.turtle, format="turtle")


def _case(raw: dict) -> Case:
    if ("ttl" in raw) == ("file" in raw):
        raise ValueError(f"case {raw.get('id')}: give exactly one of ttl and file")
    turtle = raw["ttl"] if "ttl" in raw else (CASES_DIR / raw["file"]).read_text(encoding="utf-8")
    expected = []
    for e in raw.get("expect", []):
        focus = e.get("focus", raw.get("focus"))
        if focus is None:
            raise ValueError(f"case {raw['id']}: expected result without focus")
        expected.append(Expected(
            focus=term(focus),
            source=term(e["source"]),
            severity=SEVERITIES[e["severity"]],
            component=term(e["component"]) if "component" in e else None,
            constraint=term(e["constraint"]) if "constraint" in e else None,
        ))
    return Case(
        id=raw["id"],
        shapes=tuple(term(s) for s in raw["shapes"]),
        conforms=raw["conforms"],
        turtle=turtle,
        expect=tuple(expected),
    )


def load_cases() -> list[Case]:
    with (CASES_DIR / "cases.toml").open("rb") as f:
        return [_case(raw) for raw in tomllib.load(f)["case"]]


CASES = load_cases()


# ----------------------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    focus: Node
    source: Node
    severity: Node
    component: Node | None
    constraint: Node | None
    messages: frozenset[Literal]

    @property
    def key(self) -> tuple[Node, Node, Node]:
        return (self.focus, self.source, self.severity)


def run(data: Graph, with_ontology: bool = True) -> tuple[bool, list[Result]]:
    conforms, report, _text = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph() if with_ontology else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    results = []
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(report_node, SH.result):
            results.append(Result(
                focus=report.value(r, SH.focusNode),
                source=report.value(r, SH.sourceShape),
                severity=report.value(r, SH.resultSeverity),
                component=report.value(r, SH.sourceConstraintComponent),
                constraint=report.value(r, SH.sourceConstraint),
                messages=frozenset(m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal)),
            ))
    return bool(conforms), results


def case_data(case: Case) -> Graph:
    """context + snippet + the controlled lists. The lists must be in the data graph itself: pyshacl's
    ont_graph copies only RDFS/OWL axioms into the data (test_controlled_lists_must_be_in_the_data_graph)."""
    data = Graph()
    data += context_graph()
    data += kos_graph()
    data += case.snippet()
    return data


def qname(node: Node | None) -> str:
    if node is None:
        return "-"
    text = str(node)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    if text.startswith(BASE):
        return f"<{text[len(BASE):]}>"
    return f"<{text}>"


def describe(results: list[Result] | set[tuple[Node, Node, Node]]) -> str:
    rows = []
    for r in results:
        if isinstance(r, Result):
            rows.append(f"  {qname(r.focus)}  {qname(r.source)}  {qname(r.severity)}  {qname(r.component)}")
        else:
            rows.append("  " + "  ".join(qname(x) for x in r))
    return "\n".join(sorted(rows)) or "  (none)"


# ----------------------------------------------------------------------------------------------------------
# The shapes graph, read
# ----------------------------------------------------------------------------------------------------------


def targeted_node_shapes() -> set[URIRef]:
    g = shapes_graph()
    return {
        s for s in g.subjects(RDF.type, SH.NodeShape)
        if any(g.value(s, p) is not None for p in TARGET_PREDICATES)
    }


def property_shapes_of(shape: Node) -> set[Node]:
    return set(shapes_graph().objects(shape, SH.property))


def owned_sources(shape: Node) -> set[Node]:
    """The sh:sourceShape values a result of `shape` can carry: the shape itself and its property shapes."""
    return {shape} | property_shapes_of(shape)


def sparql_constraints() -> set[Node]:
    return set(shapes_graph().objects(None, SH.sparql))


def all_shapes() -> set[Node]:
    g = shapes_graph()
    return set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))


def shape_references() -> Iterator[Node]:
    """Every node the shapes graph uses as a shape: sh:property, sh:node, sh:qualifiedValueShape, sh:not,
    members of sh:or / sh:and / sh:xone lists."""
    g = shapes_graph()
    for p in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
        yield from g.objects(None, p)
    for p in (SH["or"], SH["and"], SH.xone):
        for head in g.objects(None, p):
            yield from Collection(g, head)


def instances(graph: Graph, cls: Node) -> set[Node]:
    return {n for sub in graph.transitive_subjects(RDFS.subClassOf, cls) for n in graph.subjects(RDF.type, sub)}


def sparql_targets() -> set[Node]:
    g = shapes_graph()
    return {t for t in g.objects(None, SH.target) if g.value(t, SH.select) is not None}


def focus_nodes(shape: URIRef, data: Graph) -> set[Node]:
    """The nodes `shape` is about in `data` with the ontology mixed in: its focus nodes, and for a
    SPARQL-based target (which selects only the nodes that break the rule) the instances of the classes
    the target query starts from (`?this a sb:X`), i.e. the candidates it looked at."""
    g = shapes_graph()
    mixed = data + ontology_graph()
    nodes: set[Node] = set()
    for cls in g.objects(shape, SH.targetClass):
        nodes |= instances(mixed, cls)
    for target in set(g.objects(shape, SH.target)) & sparql_targets():
        for local in re.findall(r"\?this\s+a\s+sb:([A-Za-z]+)", str(g.value(target, SH.select))):
            nodes |= instances(mixed, URIRef(SB + local))
    for p in g.objects(shape, SH.targetSubjectsOf):
        nodes |= set(mixed.subjects(p, None))
    for p in g.objects(shape, SH.targetObjectsOf):
        nodes |= set(mixed.objects(None, p))
    nodes |= set(g.objects(shape, SH.targetNode))
    return nodes


# ----------------------------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    snippet = case.snippet()
    data = case_data(case)
    conforms, results = run(data)
    actual = {r.key for r in results}
    expected = {(e.focus, e.source, e.severity) for e in case.expect}
    assert actual == expected, (
        f"\nunexpected:\n{describe(actual - expected)}\nmissing:\n{describe(expected - actual)}"
    )
    for e in case.expect:
        matching = [r for r in results if r.key == (e.focus, e.source, e.severity)]
        if e.component is not None:
            assert e.component in {r.component for r in matching}, (
                f"{qname(e.source)} on {qname(e.focus)}: expected {qname(e.component)}, got\n{describe(matching)}"
            )
        if e.constraint is not None:
            assert e.constraint in {r.constraint for r in matching}
    for r in results:  # every result speaks both languages (SPARQL results lose the tags: see the shapes file)
        assert len(r.messages) >= 2, f"{qname(r.source)} gave {set(r.messages)}"
    assert conforms == case.conforms, f"conforms is {conforms}, the table says {case.conforms}"
    assert conforms == all(e.severity != SH.Violation for e in case.expect)
    subjects = set(snippet.subjects())
    for shape in case.shapes:
        if case.violating:
            owned = owned_sources(shape)
            assert any(e.source in owned for e in case.expect), f"no expected result comes from {qname(shape)}"
        else:
            hit = focus_nodes(shape, data) & subjects
            assert hit, f"the snippet has no focus node of {qname(shape)}: it does not exercise the shape"


def test_the_table_is_not_empty_and_ids_are_unique() -> None:
    assert len(CASES) > 40
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert all(c.shapes for c in CASES)


def test_every_listed_shape_exists() -> None:
    known = targeted_node_shapes()
    for case in CASES:
        for shape in case.shapes:
            assert shape in known, f"{case.id}: {qname(shape)} is not a node shape with a target"
        for e in case.expect:
            assert e.source in all_shapes(), f"{case.id}: {qname(e.source)} is not a shape"


def test_every_node_shape_has_a_conforming_and_a_violating_case() -> None:
    conforming = {s for c in CASES if not c.violating for s in c.shapes}
    violating = {s for c in CASES if c.violating for s in c.shapes}
    shapes = targeted_node_shapes()
    assert len(shapes) >= 30
    assert not shapes - conforming, f"without a conforming case: {sorted(map(qname, shapes - conforming))}"
    assert not shapes - violating, f"without a violating case: {sorted(map(qname, shapes - violating))}"


def test_every_sparql_constraint_has_a_conforming_and_a_violating_case() -> None:
    g = shapes_graph()
    constraints = sparql_constraints()
    assert len(constraints) >= 1
    violated = {e.constraint for c in CASES for e in c.expect}
    conforming = {s for c in CASES if not c.violating for s in c.shapes}
    violating = {s for c in CASES if c.violating for s in c.shapes}
    for constraint in constraints:
        assert constraint in violated, f"{qname(constraint)} is never the source constraint of a result"
        for shape in g.subjects(SH.sparql, constraint):
            assert shape in conforming and shape in violating, qname(shape)


def test_every_property_shape_is_violated_by_some_case() -> None:
    sources = {e.source for c in CASES for e in c.expect}
    uncovered = {p for s in targeted_node_shapes() for p in property_shapes_of(s)} - sources
    assert not uncovered, f"property shapes without a violating case: {sorted(map(qname, uncovered))}"


def test_the_context_alone_has_no_result() -> None:
    conforms, results = run(Graph() + context_graph() + kos_graph())
    assert conforms
    assert not results, describe(results)


# ----------------------------------------------------------------------------------------------------------
# The shapes file itself
# ----------------------------------------------------------------------------------------------------------


def _langs(node: Node, predicate: URIRef) -> list[str | None]:
    return [o.language if isinstance(o, Literal) else None for o in shapes_graph().objects(node, predicate)]


def test_every_shape_and_sparql_constraint_has_one_message_in_swedish_and_one_in_english() -> None:
    for node in all_shapes() | sparql_constraints():
        langs = _langs(node, SH.message)
        assert sorted(langs, key=str) == ["en", "sv"], f"{qname(node)}: sh:message languages {langs}"


def test_every_shape_is_named_and_states_its_severity() -> None:
    g = shapes_graph()
    for node in all_shapes():
        assert isinstance(node, URIRef) and str(node).startswith(SHAPES_NAMESPACE), f"anonymous shape {node}"
        assert g.value(node, SH.severity) in SEVERITIES.values(), f"{qname(node)}: no sh:severity"
    for node in g.subjects(RDF.type, SH.PropertyShape):
        assert sorted(_langs(node, SH.name), key=str) == ["en", "sv"], f"{qname(node)}: sh:name"
    for node in sparql_constraints():
        assert isinstance(node, URIRef), "anonymous SPARQL constraint"
        # one rule, one message: the node shape holding a SPARQL constraint says exactly what it says
        for shape in g.subjects(SH.sparql, node):
            assert set(g.objects(shape, SH.message)) == set(g.objects(node, SH.message)), qname(shape)


def test_value_shapes_are_violations() -> None:
    # With allow_warnings=True pyshacl treats a member of sh:or / sh:node / sh:qualifiedValueShape that only
    # yields Warnings as conforming: such a member would never fail. The using shape sets the severity.
    g = shapes_graph()
    for ref in set(shape_references()) - set(g.objects(None, SH.property)):
        assert g.value(ref, SH.severity) == SH.Violation, qname(ref)


def test_every_shape_reference_resolves_to_a_declared_shape() -> None:
    declared = all_shapes()
    for ref in shape_references():
        assert not isinstance(ref, BNode), "shapes are named, never blank nodes"
        assert ref in declared, f"{qname(ref)} is used as a shape but not declared"


def test_shapes_use_only_terms_the_ontology_defines() -> None:
    g = shapes_graph()
    ontology = ontology_graph()
    used = {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(SB)}
    for path in g.objects(None, SH.path):
        if isinstance(path, BNode):
            for _s, _p, o in g.triples((path, None, None)):
                used |= {x for x in _list_or_node(g, o) if str(x).startswith(SB)}
    for select in g.objects(None, SH.select):
        used |= {URIRef(SB + local) for local in re.findall(r"\bsb:([A-Za-z]+)", str(select))}
    undefined = {t for t in used if (t, None, None) not in ontology}
    assert not undefined, f"not in ontology/sparbar.ttl: {sorted(map(qname, undefined))}"


def _list_or_node(g: Graph, node: Node) -> list[Node]:
    if isinstance(node, BNode) and g.value(node, RDF.first) is not None:
        return list(Collection(g, node))
    return [node]


def test_controlled_list_shapes_name_schemes_that_exist() -> None:
    g = shapes_graph()
    kos = ontology_graph()
    schemes = [o for o in g.objects(None, SH.hasValue) if str(o).startswith(PREFIXES["sbk"])]
    assert len(schemes) == 8
    for scheme in schemes:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in kos, f"{scheme} is not a scheme in ontology/kos.ttl"


def test_context_concepts_agree_with_kos() -> None:
    kos = ontology_graph()
    for concept, scheme in context_graph().subject_objects(SKOS.inScheme):
        if str(concept).startswith(PREFIXES["sbk"]):
            assert (concept, SKOS.inScheme, scheme) in kos, f"{concept} is not in {scheme} in ontology/kos.ttl"


def test_header_has_titles_version_and_prefixes() -> None:
    g = shapes_graph()
    header = URIRef("https://w3id.org/sparbar/shapes")
    assert (header, RDF.type, OWL.Ontology) in g
    assert sorted(_langs(header, URIRef("http://purl.org/dc/terms/title")), key=str) == ["en", "sv"]
    assert g.value(header, OWL.versionInfo) is not None
    declared = {str(g.value(d, SH.prefix)) for d in g.objects(header, SH.declare)}
    assert {"sb", "skos", "xsd"} <= declared
    for constraint in sparql_constraints() | sparql_targets():
        assert g.value(constraint, SH.prefixes) == header


def test_shapes_package_exposes_path_and_namespace() -> None:
    assert SHAPES_PATH.is_file() and SHAPES_PATH.name == "sparbar-shapes.ttl"
    assert SHAPES_NAMESPACE == "https://w3id.org/sparbar/shapes#"


# ----------------------------------------------------------------------------------------------------------
# How pyshacl is run
# ----------------------------------------------------------------------------------------------------------


EVALUATION_WITHOUT_TITLE = """
<uppfoljning/u> a sb:Evaluation ;
    sb:followsUp <insats/kontext> ;
    sb:perspective pe:strategic ;
    dcterms:date "2025-01-15"^^xsd:date ;
    sb:finding "En iakttagelse."@sv .
"""


def test_subclass_instances_are_targeted_through_the_ontology() -> None:
    snippet = Graph().parse(data=SNIPPET_HEADER + EVALUATION_WITHOUT_TITLE, format="turtle")
    data = context_graph() + kos_graph() + snippet
    focus = term("<uppfoljning/u>")
    # With the ontology as ont_graph (no inference): sbsh:FollowUpShape (targetClass sb:FollowUp) reaches
    # the sb:Evaluation, because pyshacl mixes rdfs:subClassOf from the ontology into the data graph.
    _conforms, results = run(data)
    assert (focus, term("sbsh:FollowUp-title"), SH.Violation) in {r.key for r in results}
    # Without it, the subclass is unknown and the superclass shape never sees the evaluation.
    _conforms, results = run(data, with_ontology=False)
    assert all(r.focus != focus or r.source != term("sbsh:FollowUp-title") for r in results)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


@pytest.mark.parametrize(
    ("end", "due"),
    [
        (date.today() + timedelta(days=1), False),
        (date.today() - timedelta(days=150), False),
        (date.today() - timedelta(days=220), True),
        (date(2000, 1, 1), True),
    ],
)
def test_follow_up_is_due_six_months_after_the_end(end: date, due: bool) -> None:
    # The SPARQL target compares with NOW(): this test is relative to today, the cases table is not.
    snippet = f"""
    <insats/t> a sb:Intervention ;
        dcterms:title "Insats"@sv ;
        sb:owner <aktor/region-vastmanland> ;
        sb:endDate "{end.isoformat()}"^^xsd:date ;
        sb:contributesTo <rus/delmal/1> .
    """
    data = context_graph() + kos_graph() + Graph().parse(data=SNIPPET_HEADER + snippet, format="turtle")
    _conforms, results = run(data)
    expected = {(term("<insats/t>"), term("sbsh:Intervention-followUp"), SH.Warning)} if due else set()
    assert {r.key for r in results} == expected


def test_follow_up_boundary_is_six_whole_months() -> None:
    today = date.today()
    if today.day > 28:
        pytest.skip("the boundary needs a day of month that every month has")
    exactly = _months_before(today, 6)
    day_before = exactly - timedelta(days=1)
    for end, due in ((exactly, False), (day_before, True)):
        snippet = f'<insats/t> a sb:Intervention ; sb:endDate "{end.isoformat()}"^^xsd:date .'
        data = Graph().parse(data=SNIPPET_HEADER + snippet, format="turtle")
        _conforms, results = run(data)
        hit = (term("<insats/t>"), term("sbsh:Intervention-followUp"), SH.Warning) in {r.key for r in results}
        assert hit == due, f"ended {end}, today {today}"


FUNDING_BY_MUNICIPALITY = """
<finansiering/kommunal> a sb:Funding ;
    sb:funds <insats/kontext> ;
    sb:fundingKind fk:municipal-funds ;
    sb:amount 50000.0 ;
    sb:currency "SEK" ;
    sb:year "2024"^^xsd:gYear .
"""


def test_controlled_lists_must_be_in_the_data_graph() -> None:
    # fk:municipal-funds is in ontology/kos.ttl, not in context.ttl. pyshacl's ont_graph "inoculates" the
    # data with RDFS/OWL axioms only (classes, properties, subClassOf, domains, ranges), not with the
    # concepts' skos:inScheme, so sh:node sbsh:FundingKindConcept fails unless kos.ttl is in the data graph
    # (added before validating, or loaded into the store as a graph of its own).
    snippet = Graph().parse(data=SNIPPET_HEADER + FUNDING_BY_MUNICIPALITY, format="turtle")
    focus = term("<finansiering/kommunal>")
    _conforms, results = run(context_graph() + snippet)
    assert {r.key for r in results} == {(focus, term("sbsh:Funding-fundingKind"), SH.Violation)}
    conforms, results = run(context_graph() + kos_graph() + snippet)
    assert conforms and not results, describe(results)


def test_messages_of_a_property_shape_result_are_swedish_and_english() -> None:
    snippet = '<insats/x> a sb:Intervention ; dcterms:title "X"@sv ; sb:owner <aktor/region-vastmanland> .'
    data = context_graph() + kos_graph() + Graph().parse(data=SNIPPET_HEADER + snippet, format="turtle")
    _conforms, results = run(data)
    (result,) = results
    assert result.source == term("sbsh:Intervention-contributesTo")
    assert {m.language for m in result.messages} == {"sv", "en"}
    sv = next(m for m in result.messages if m.language == "sv")
    assert str(sv).startswith("Insatsen måste bidra till minst ett delmål eller ett mål i ett styrdokument")


def test_sparql_constraint_messages_keep_swedish_and_english() -> None:
    # pyshacl drops the language tags of SPARQL-constraint messages; the Validator restores them
    case = next(c for c in CASES if c.id == "effect-indicator-with-target-value")
    report = Validator().validate(context_graph() + case.snippet())
    (finding,) = [f for f in report.findings if f.shape == term("sbsh:EffectIndicatorNotTargetedShape")]
    assert set(finding.messages) == {"sv", "en"}
    assert finding.message("sv").startswith("En effektindikator i RUS följs över tid")
    assert "målvärdet" in finding.message("sv") and "{?value}" not in finding.message("sv")
    assert finding.message("en").startswith("An RUS effect indicator is followed over time")
