"""The named queries answer correctly on the bundled data.

Every expected value is computed independently in Python, by walking the bundled Turtle files with rdflib (no
SPARQL), and compared with what the query returns from the store loaded through the real pipeline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Identifier

from graph.named_queries import PARAM_TYPES, QUERIES_DIR, load_named_queries, parse_query_file
from graph.oxigraph_store import OxigraphStore
from graph.settings import Region
from graph.store import Store

SB = Namespace("https://w3id.org/sparbar/def#")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG = "http://metadata.un.org/sdg/"
BASE = "https://w3id.org/sparbar/vastmanland/"
EXAMPLE_INSATS = URIRef(BASE + "insats/ruv-2023-0230")  # contributes to delmål 14 and 19 (and via a programme goal)

REQUIRED = {"insats-chain", "goal-insatser", "delmal-coverage"}
QUERIES = load_named_queries()


# --- independent expectations (rdflib, no SPARQL) --------------------------------------------------------
@pytest.fixture(scope="module")
def bundled(region: Region) -> Graph:
    """Every bundled source file as one rdflib graph (the store's default graph is the same union)."""
    g = Graph()
    for source in region.sources:
        g.parse(source.path)
    return g


@pytest.fixture(scope="module")
def example_graph(region: Region) -> Graph:
    """Only the example Turtle: funding lives there."""
    path = next(s.path for s in region.sources if s.graph == "example")
    return Graph().parse(path)


def run(store: Store, name: str, **params: Identifier) -> list[dict[str, Identifier]]:
    return list(store.select(QUERIES[name].text, params).rows)


def interventions(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, SB.Intervention) if isinstance(s, URIRef)}


def sub_goals(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, SB.SubGoal) if isinstance(s, URIRef)}


def funding_total(example: Graph, insats: URIRef) -> Decimal:
    return sum((Decimal(str(example.value(f, SB.amount))) for f in example.subjects(SB.funds, insats)
                if example.value(f, SB.amount) is not None), Decimal(0))


def delmal_paths(g: Graph, insats: URIRef) -> set[tuple[URIRef | None, URIRef]]:
    """(via, delmål) pairs: direct contributions (via None) and via steering-document goals."""
    subgoals = sub_goals(g)
    out: set[tuple[URIRef | None, URIRef]] = set()
    for o in g.objects(insats, SB.contributesTo):
        if o in subgoals:
            out.add((None, o))  # type: ignore[arg-type]
        for d in g.objects(o, SB.alignsWithSubGoal):
            out.add((o, d))  # type: ignore[arg-type]
    return out


def contributing(g: Graph, delmal: URIRef) -> set[URIRef]:
    return {i for i in interventions(g) if any(d == delmal for _, d in delmal_paths(g, i))}


def alignments(g: Graph, delmal: Identifier) -> set[tuple[str, URIRef]]:
    return ({("adopted", t) for t in g.objects(delmal, SB.adoptedAlignment)}  # type: ignore[misc]
            | {("proposed", t) for t in g.objects(delmal, SB.proposedAlignment)})


def goal_of(g: Graph, target: Identifier) -> URIRef | None:
    return next((b for b in g.objects(target, SKOS.broader) if isinstance(b, URIRef)), None)


def insatser_for_goal(g: Graph, goal: URIRef) -> set[URIRef]:
    return {i for i in interventions(g)
            if any(goal_of(g, t) == goal for _, d in delmal_paths(g, i) for _, t in alignments(g, d))}


def sv_label(g: Graph, node: Identifier, props: Iterable[URIRef] = (SKOS.prefLabel,)) -> str | None:
    for lang in ("sv", "en"):
        for p in props:
            for o in g.objects(node, p):
                if isinstance(o, Literal) and o.language == lang:
                    return str(o)
    return None


def opt(row: dict[str, Identifier], key: str) -> Identifier | None:
    return row.get(key)


# --- every query file ------------------------------------------------------------------------------------
def dummy(ptype: str) -> str:
    return {"iri": "http://example.org/x", "string": "x", "integer": "1", "decimal": "1.5",
            "date": "2024-01-01", "gYear": "2024"}[ptype]


def test_required_queries_exist() -> None:
    assert set(QUERIES) >= REQUIRED


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_query_file_has_header_and_runs_in_oxigraph(path: Path) -> None:
    q = parse_query_file(path)
    assert q.title.strip()
    # Swedish and English: the description says it in both languages.
    assert re.search(r"\b(och|för|med|som|till|av)\b", q.description), q.description
    assert re.search(r"\b(the|of|and|with)\b", q.description, re.IGNORECASE), q.description
    header = [line for line in q.text.splitlines() if line.startswith("# param:")]
    assert len(header) == len(q.parameters)
    for p in q.parameters:
        assert p.type in PARAM_TYPES
        assert p.description, f"{path.name}: parameter {p.name} has no description"
        assert f"?{p.name}" in q.text
    # Parses and runs in Oxigraph with every parameter bound as an RDF term (pyoxigraph also insists that a
    # substituted variable is projected by the SELECT, which this checks).
    store = OxigraphStore()
    bindings = q.bindings({p.name: dummy(p.type) for p in q.parameters})
    if re.search(r"^\s*CONSTRUCT\b", q.text, re.MULTILINE | re.IGNORECASE):
        store.construct(q.text, bindings)  # CONSTRUCT queries (linked-data descriptions) have no projection
        return
    result = store.select(q.text, bindings)
    for p in q.parameters:
        assert p.name in result.variables


# --- insats-chain ----------------------------------------------------------------------------------------
def expected_chain(g: Graph, insats: URIRef) -> set[tuple]:
    out = set()
    for via, d in delmal_paths(g, insats):
        aligned = alignments(g, d)
        if not aligned:
            out.add((via, d, None, None, None))
        for kind, t in aligned:
            out.add((via, d, kind, t, goal_of(g, t)))
    return out


def chain_tuples(rows: list[dict[str, Identifier]]) -> set[tuple]:
    return {(opt(r, "via"), r["delmal"], str(r["alignment"]) if "alignment" in r else None, opt(r, "target"),
             opt(r, "goal")) for r in rows}


def test_insats_chain_of_example_insats_reaches_goal_8_through_delmal_19(loaded_store: Store, bundled: Graph) -> None:
    rows = run(loaded_store, "insats-chain", insats=EXAMPLE_INSATS)
    delmal19 = URIRef(BASE + "rus/delmal/19")
    goal8 = URIRef(SDG + "8")
    # delmål 19's proposed alignment is to SDG target 8.5 (and 8.6), whose goal is 8
    assert ("proposed", URIRef(SDG + "8.5")) in alignments(bundled, delmal19)
    via19 = [r for r in rows if r["delmal"] == delmal19 and r.get("target") == URIRef(SDG + "8.5")]
    assert via19, rows
    for r in via19:
        assert r["goal"] == goal8
        assert str(r["alignment"]) == "proposed"
        assert str(r["goalNumber"]) == "8"
        assert str(r["targetCode"]) == "8.5"
        assert str(r["delmalLabel"]) == "Öka andelen sysselsatta"
        assert r["malomrade"] == URIRef(BASE + "rus/malomrade/3")
        assert str(r["goalLabel"]) == sv_label(bundled, goal8)
    assert chain_tuples(rows) == expected_chain(bundled, EXAMPLE_INSATS)


def test_insats_chain_for_every_insats(loaded_store: Store, bundled: Graph) -> None:
    for insats in interventions(bundled):
        rows = run(loaded_store, "insats-chain", insats=insats)
        assert chain_tuples(rows) == expected_chain(bundled, insats), insats
        for r in rows:
            assert str(r["delmalLabel"]) == sv_label(bundled, r["delmal"], (SKOS.prefLabel, DCTERMS.title))
            if "malomrade" in r:
                assert bundled.value(r["delmal"], SB.inFocusArea) == r["malomrade"]


# --- goal-insatser ---------------------------------------------------------------------------------------
def test_goal_insatser_for_every_goal(loaded_store: Store, bundled: Graph, example_graph: Graph) -> None:
    seen_any = False
    for n in range(1, 18):
        goal = URIRef(f"{SDG}{n}")
        rows = run(loaded_store, "goal-insatser", goal=goal)
        got = {r["insats"]: Decimal(str(r["funding"])) for r in rows}
        assert len(got) == len(rows), f"goal {n}: an insats is listed twice"
        expected = insatser_for_goal(bundled, goal)
        assert set(got) == expected, n
        for insats, funding in got.items():
            assert funding == funding_total(example_graph, insats), (n, insats)
        seen_any = seen_any or bool(rows)
    assert seen_any


def test_goal_insatser_does_not_multiply_funding_over_paths(loaded_store: Store, bundled: Graph,
                                                            example_graph: Graph) -> None:
    goal8 = URIRef(SDG + "8")
    rows = {r["insats"]: r for r in run(loaded_store, "goal-insatser", goal=goal8)}
    r = rows[EXAMPLE_INSATS]
    # several delmål (14 and 19) lead this insats to goal 8, yet its funding is counted once
    assert int(str(r["delmalCount"])) >= 2
    assert len(list(example_graph.subjects(SB.funds, EXAMPLE_INSATS))) >= 2
    assert Decimal(str(r["funding"])) == funding_total(example_graph, EXAMPLE_INSATS)
    assert str(r["identifier"]) == "RUV 2023/0230"
    assert str(r["alignments"]) == "proposed"


def test_goal_insatser_tiny_store_many_paths_one_sum() -> None:
    """Two delmål, three targets and a steering-document goal all lead to goal 1; the sum is still 100+50."""
    ttl = f"""
    @prefix sb: <{SB}> . @prefix skos: <{SKOS}> . @prefix sdg: <{SDG}> .
    <http://ex/i> a sb:Intervention ; sb:contributesTo <http://ex/d1>, <http://ex/d2>, <http://ex/sg> .
    <http://ex/sg> sb:alignsWithSubGoal <http://ex/d1> .
    <http://ex/d1> a sb:SubGoal ; sb:proposedAlignment sdg:1.1, sdg:1.2 .
    <http://ex/d2> a sb:SubGoal ; sb:adoptedAlignment sdg:1.2 .
    sdg:1.1 skos:broader sdg:1 . sdg:1.2 skos:broader sdg:1 .
    <http://ex/f1> sb:funds <http://ex/i> ; sb:amount 100 .
    <http://ex/f2> sb:funds <http://ex/i> ; sb:amount 50.5 .
    <http://ex/j> a sb:Intervention ; sb:contributesTo <http://ex/d2> .
    """
    store = OxigraphStore()
    store.replace_graphs({URIRef("http://ex/g"): Graph().parse(data=ttl, format="turtle")}, URIRef("http://ex/m"),
                         Graph())
    rows = {str(r["insats"]): r for r in run(store, "goal-insatser", goal=URIRef(SDG + "1"))}
    assert Decimal(str(rows["http://ex/i"]["funding"])) == Decimal("150.5")
    assert Decimal(str(rows["http://ex/j"]["funding"])) == 0
    assert set(str(rows["http://ex/i"]["alignments"]).split()) == {"adopted", "proposed"}
    assert str(rows["http://ex/j"]["alignments"]) == "adopted"


# --- delmal-coverage -------------------------------------------------------------------------------------
def test_delmal_coverage_for_every_delmal(loaded_store: Store, bundled: Graph, example_graph: Graph) -> None:
    rows = {r["delmal"]: r for r in run(loaded_store, "delmal-coverage")}
    assert set(rows) == sub_goals(bundled)
    for d, r in rows.items():
        insatser = contributing(bundled, d)
        assert int(str(r["insatser"])) == len(insatser), d
        assert Decimal(str(r["funding"])) == sum((funding_total(example_graph, i) for i in insatser), Decimal(0)), d
        assert int(str(r["indicators"])) == len(set(bundled.subjects(SB.indicatorFor, d))), d
        prio = bundled.value(d, SB.prioritised)
        assert (str(r["prioritised"]) == "true") == (prio is not None and bool(prio.toPython())), d
        aligned = alignments(bundled, d)
        assert (str(r["aligned"]) == "true") == bool(aligned), d
        assert int(str(r["proposedTargets"])) == len({t for k, t in aligned if k == "proposed"})
        assert int(str(r["adoptedTargets"])) == len({t for k, t in aligned if k == "adopted"})
        assert opt(r, "malomrade") == bundled.value(d, SB.inFocusArea)
        number = bundled.value(d, SB.number)
        assert opt(r, "number") == number


def test_delmal_coverage_for_delmal_19(loaded_store: Store, bundled: Graph, example_graph: Graph) -> None:
    delmal19 = URIRef(BASE + "rus/delmal/19")
    row = next(r for r in run(loaded_store, "delmal-coverage") if r["delmal"] == delmal19)
    insatser = contributing(bundled, delmal19)
    assert EXAMPLE_INSATS in insatser
    # an independent count: direct contributions plus those via steering-document goals, each insats once
    direct = set(bundled.subjects(SB.contributesTo, delmal19))
    via = {i for g in bundled.subjects(SB.alignsWithSubGoal, delmal19) for i in bundled.subjects(SB.contributesTo, g)}
    assert int(str(row["insatser"])) == len((direct | via) & interventions(bundled))
    assert int(str(row["exampleInsatser"])) == len(insatser)  # every insats is example data
    assert str(row["malomradeLabel"]) == "Ett nyskapande Västmanland genom hållbar tillväxt"
    assert str(row["aligned"]) == "true"


# --- strategy, focus areas, delmål --------------------------------------------------------------------
def test_strategy(loaded_store: Store, region: Region, bundled: Graph) -> None:
    (row,) = run(loaded_store, "strategy", strategy=URIRef(region.strategy_iri))
    assert str(row["title"]) == sv_label(bundled, URIRef(region.strategy_iri), (DCTERMS.title, SKOS.prefLabel))
    assert str(row["visionLabel"]) == "Ett livskraftigt Västmanland genom hållbar utveckling"
    assert row["vision"] == bundled.value(URIRef(region.strategy_iri), SB.hasVision)


def test_focus_areas(loaded_store: Store, region: Region, bundled: Graph) -> None:
    rows = run(loaded_store, "focus-areas", strategy=URIRef(region.strategy_iri))
    areas = {str(r["malomradeLabel"]) for r in rows}
    assert areas == {"Ett välmående Västmanland", "Ett tillgängligt Västmanland",
                     "Ett nyskapande Västmanland genom hållbar tillväxt"}
    by_area: dict[Identifier, set[Identifier]] = defaultdict(set)
    for r in rows:
        if "delmal" in r:
            by_area[r["malomrade"]].add(r["delmal"])
            prio = bundled.value(r["delmal"], SB.prioritised)
            assert (str(r["prioritised"]) == "true") == (prio is not None and bool(prio.toPython()))
    for area, delmal in by_area.items():
        assert delmal == set(bundled.subjects(SB.inFocusArea, area))
    assert next(str(r["malomradeNumber"]) for r in rows if r.get("delmalNumber") is not None) == "1"


def test_focus_area_detail(loaded_store: Store, bundled: Graph) -> None:
    area = URIRef(BASE + "rus/malomrade/2")
    (row,) = run(loaded_store, "focus-area-detail", malomrade=area)
    assert str(row["malomradeLabel"]) == "Ett tillgängligt Västmanland"
    assert str(row["number"]) == "2"
    assert row["strategy"] == URIRef(BASE + "rus")


def test_delmal_detail(loaded_store: Store, bundled: Graph) -> None:
    d = URIRef(BASE + "rus/delmal/19")
    (row,) = run(loaded_store, "delmal-detail", delmal=d)
    ambitions = {str(a) for a in bundled.objects(d, SB.ambition)}
    assert "År 2030 har andelen sysselsatta ökat i hela länet." in ambitions
    assert str(row["ambition"]) in ambitions  # delmål 19 has two; the page shows both (from its properties)
    assert str(row["number"]) == "19"
    assert row["malomrade"] == URIRef(BASE + "rus/malomrade/3")
    assert str(row["prioritised"]) == "false"
    prioritised = [s for s in sub_goals(bundled) if bundled.value(s, SB.prioritised) == Literal(True)]
    assert prioritised
    for s in prioritised:
        (r,) = run(loaded_store, "delmal-detail", delmal=s)
        assert str(r["prioritised"]) == "true"


def test_delmal_indicators_steering_goals_insatser_targets(loaded_store: Store, bundled: Graph,
                                                           example_graph: Graph) -> None:
    for d in sub_goals(bundled):
        rows = run(loaded_store, "delmal-indicators", delmal=d)
        assert {r["indicator"] for r in rows} == set(bundled.subjects(SB.indicatorFor, d))
        for r in rows:
            assert str(r["indicatorLabel"]) == sv_label(bundled, r["indicator"], (SKOS.prefLabel, DCTERMS.title,
                                                                                 RDFS.label))

        rows = run(loaded_store, "delmal-steering-goals", delmal=d)
        assert {(r["goal"], opt(r, "document")) for r in rows} == {
            (g, bundled.value(None, SB.hasGoal, g)) for g in bundled.subjects(SB.alignsWithSubGoal, d)}

        rows = run(loaded_store, "delmal-insatser", delmal=d)
        expected = {(via, i) for i in interventions(bundled) for via, dd in delmal_paths(bundled, i) if dd == d}
        assert {(opt(r, "via"), r["insats"]) for r in rows} == expected, d
        for r in rows:
            assert Decimal(str(r["funding"])) == funding_total(example_graph, r["insats"])  # type: ignore[arg-type]
            assert str(r["isExample"]) == "true"

        rows = run(loaded_store, "delmal-targets", delmal=d)
        assert {(str(r["alignment"]), r["target"]) for r in rows} == alignments(bundled, d)
        for r in rows:
            assert r["goal"] == goal_of(bundled, r["target"])


# --- insats pages ----------------------------------------------------------------------------------------
def test_insats_detail(loaded_store: Store, bundled: Graph) -> None:
    (row,) = run(loaded_store, "insats-detail", insats=EXAMPLE_INSATS)
    assert str(row["identifier"]) == "RUV 2023/0230"
    assert str(row["title"]) == sv_label(bundled, EXAMPLE_INSATS, (DCTERMS.title,))
    assert row["owner"] == bundled.value(EXAMPLE_INSATS, SB.owner)
    assert str(row["ownerLabel"]) == sv_label(bundled, row["owner"], (SKOS.prefLabel, RDFS.label))
    status = bundled.value(EXAMPLE_INSATS, SB.status)
    assert row["status"] == status
    assert str(row["statusLabel"]) == sv_label(bundled, status)
    assert row["startDate"] == bundled.value(EXAMPLE_INSATS, SB.startDate)
    assert str(row["isExample"]) == "true"


def test_insats_sub_queries_for_every_insats(loaded_store: Store, bundled: Graph, example_graph: Graph) -> None:
    for i in interventions(bundled):
        rows = run(loaded_store, "insats-partners", insats=i)
        assert {r["partner"] for r in rows} == set(bundled.objects(i, SB.partner)), i

        rows = run(loaded_store, "insats-activities", insats=i)
        assert {r["activity"] for r in rows} == set(bundled.subjects(SB.partOfIntervention, i)), i

        rows = run(loaded_store, "insats-funding", insats=i)
        by_kind: dict[str, Decimal] = defaultdict(Decimal)
        for f in example_graph.subjects(SB.funds, i):
            by_kind[str(example_graph.value(f, SB.fundingKind))] += Decimal(str(example_graph.value(f, SB.amount)))
        assert {str(r["kind"]): Decimal(str(r["amount"])) for r in rows} == dict(by_kind), i
        assert sum((Decimal(str(r["amount"])) for r in rows), Decimal(0)) == funding_total(example_graph, i)
        for r in rows:
            assert str(r["kindLabel"]) == sv_label(bundled, r["kind"])

        rows = run(loaded_store, "insats-results", insats=i)
        activities = set(bundled.subjects(SB.partOfIntervention, i))
        expected = set(bundled.subjects(SB.resultOf, i)) | {
            r for a in activities for r in bundled.subjects(SB.resultOf, a)}
        assert {r["result"] for r in rows} == expected, i
        for r in rows:
            kind = {SB.Output: "output", SB.Effect: "effect"}.get(bundled.value(r["result"], RDF.type), "result")
            assert str(r["kind"]) == kind
            assert opt(r, "horizon") == bundled.value(r["result"], SB.horizon)

        rows = run(loaded_store, "insats-stories", insats=i)
        about = {i} | activities | expected
        assert {r["story"] for r in rows} == {s for s in bundled.subjects(RDF.type, SB.Story)
                                              if bundled.value(s, SB.about) in about}, i

        rows = run(loaded_store, "insats-followups", insats=i)
        followups = set(bundled.subjects(SB.followsUp, i))
        assert {r["followup"] for r in rows} == followups, i
        findings = {(f, str(x)) for f in followups for x in bundled.objects(f, SB.finding)}
        assert {(r["followup"], str(r["finding"])) for r in rows if "finding" in r} == findings


def test_example_insats_has_funding_of_several_kinds(loaded_store: Store, example_graph: Graph) -> None:
    rows = run(loaded_store, "insats-funding", insats=EXAMPLE_INSATS)
    assert len(rows) >= 2
    assert all(str(r["currency"]) == "SEK" for r in rows)
    assert sum(int(str(r["records"])) for r in rows) == len(list(example_graph.subjects(SB.funds, EXAMPLE_INSATS)))


# --- Agenda 2030 -----------------------------------------------------------------------------------------
def test_sdg_goals(loaded_store: Store, bundled: Graph) -> None:
    rows = run(loaded_store, "sdg-goals")
    assert [str(r["number"]) for r in rows] == [str(n) for n in range(1, 18)]
    for r in rows:
        goal = r["goal"]
        assert str(r["goalLabel"]) == sv_label(bundled, goal)
        assert int(str(r["insatser"])) == len(insatser_for_goal(bundled, goal)), goal  # type: ignore[arg-type]
        delmal = {d for d in sub_goals(bundled) if any(goal_of(bundled, t) == goal for _, t in alignments(bundled, d))}
        assert int(str(r["delmalCount"])) == len(delmal), goal
    goal8 = next(r for r in rows if str(r["number"]) == "8")
    assert int(str(goal8["insatser"])) > 0
    assert str(goal8["proposedOnly"]) == "true"


def test_sdg_goal_detail_and_targets(loaded_store: Store, bundled: Graph) -> None:
    goal8 = URIRef(SDG + "8")
    (row,) = run(loaded_store, "sdg-goal-detail", goal=goal8)
    assert str(row["number"]) == "8"
    en = next(str(o) for o in bundled.objects(goal8, SKOS.prefLabel) if o.language == "en")  # type: ignore[attr-defined]
    assert str(row["labelEn"]) == en
    rows = run(loaded_store, "sdg-goal-targets", goal=goal8)
    targets = {t for t in bundled.subjects(SKOS.broader, goal8) if (t, RDF.type, SDGO.Target) in bundled}
    assert {r["target"] for r in rows} == targets
    assert URIRef(SDG + "8.5") in targets and URIRef(SDG + "8.a") in targets
    pairs = {(r["target"], r["delmal"], str(r["alignment"])) for r in rows if "delmal" in r}
    expected = {(t, d, k) for d in sub_goals(bundled) for k, t in alignments(bundled, d) if t in targets}
    assert pairs == expected
    assert (URIRef(SDG + "8.5"), URIRef(BASE + "rus/delmal/19"), "proposed") in pairs
    for r in rows:
        sv = [o for o in bundled.objects(r["target"], SKOS.prefLabel) if o.language == "sv"]  # type: ignore[attr-defined]
        assert (str(r["targetLabelSv"]) if "targetLabelSv" in r else None) == (str(sv[0]) if sv else None)

    rows = run(loaded_store, "sdg-goal-indicators", goal=goal8)
    indicators = {(i, t) for t in targets for i in bundled.subjects(SKOS.broader, t)
                  if (i, RDF.type, SDGO.Indicator) in bundled}
    assert {(r["indicator"], r["target"]) for r in rows} == indicators
    codes = {str(r["code"]) for r in rows}
    assert "8.5.1" in codes
    for r in rows:
        assert str(r["code"]) in {str(n) for n in bundled.objects(r["indicator"], SKOS.notation)}


# --- generic resource queries ----------------------------------------------------------------------------
def test_resource_types_properties_incoming(loaded_store: Store, bundled: Graph) -> None:
    d = URIRef(BASE + "rus/delmal/19")
    rows = run(loaded_store, "resource-types", resource=d)
    assert all(str(r["known"]) == "true" for r in rows)
    assert {r["type"] for r in rows} == set(bundled.objects(d, RDF.type))
    (unknown,) = run(loaded_store, "resource-types", resource=URIRef(BASE + "finns/inte"))
    assert str(unknown["known"]) == "false"
    assert "type" not in unknown

    rows = run(loaded_store, "resource-properties", resource=d)
    assert {(r["property"], r["value"]) for r in rows} == set(bundled.predicate_objects(d))
    labels = {r["property"]: r.get("propertyLabel") for r in rows}
    assert str(labels[SB.ambition]) == sv_label(bundled, SB.ambition, (RDFS.label,))

    rows = run(loaded_store, "resource-incoming", resource=d)
    assert {(r["subject"], r["property"]) for r in rows} == {
        (s, p) for s, p in bundled.subject_predicates(d) if not isinstance(s, BNode)}
    assert any(r["subject"] == EXAMPLE_INSATS and str(r["subjectIsExample"]) == "true" for r in rows)
