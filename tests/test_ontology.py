"""The ontology (ontology/sparbar.ttl) and controlled lists (ontology/kos.ttl) against docs/design.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ontology import KOS_NAMESPACE, KOS_PATH, NAMESPACE, ONTOLOGY_IRI, ONTOLOGY_PATH

DESIGN = Path(__file__).resolve().parents[1] / "docs" / "design.md"

SB = Namespace(NAMESPACE)
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module globals
SBK = Namespace(KOS_NAMESPACE)
QB = Namespace("http://purl.org/linked-data/cube#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
ONT = URIRef(ONTOLOGY_IRI)
UN_SDG_ONTOLOGY = URIRef("http://metadata.un.org/sdg/ontology")

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}

# External facts the PROV typing check needs (from PROV-O and W3C ORG), so that the test runs offline.
EXTERNAL_SUBCLASS = {
    PROV.Organization: {PROV.Agent},
    ORG.Organization: {FOAF.Agent},
}


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def kos() -> Graph:
    return Graph().parse(KOS_PATH, format="turtle")


@pytest.fixture(scope="module")
def design() -> str:
    return DESIGN.read_text(encoding="utf-8")


def _section(text: str, start: str) -> str:
    """The text from the line starting with `start` to the next level-2 heading."""
    lines = text.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.startswith(start))
    end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[begin:end])


def _design_terms(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w:/#-])sb:([A-Za-z][A-Za-z0-9_]*)", text))


def _design_lists(text: str) -> dict[str, list[str]]:
    """scheme local name → concept local names, in the order design.md lists them."""
    block = _section(text, "Controlled lists")
    items = re.split(r"\n(?=- `sbk:)", block)
    lists: dict[str, list[str]] = {}
    for item in items:
        m = re.match(r"- `sbk:([a-z0-9-]+)`:(.*)", item, re.S)
        if m:
            lists[m.group(1)] = re.findall(r"`([a-z][a-z0-9-]*)`", m.group(2))
    return lists


def _sb_subjects(g: Graph) -> set[URIRef]:
    return {s for s in set(g.subjects()) if isinstance(s, URIRef) and str(s).startswith(NAMESPACE)}


def _texts(g: Graph, s: URIRef, p: URIRef, lang: str) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang and str(o).strip()]


def _members(g: Graph, node) -> list:
    """A named class → [it]; an owl:unionOf class expression → its members."""
    if isinstance(node, URIRef):
        return [node]
    union = g.value(node, OWL.unionOf)
    assert union is not None, f"class expression {node} is neither named nor owl:unionOf"
    return list(Collection(g, union))


def _superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = [cls]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo += [o for o in g.objects(c, RDFS.subClassOf) if isinstance(o, URIRef)]
        todo += list(EXTERNAL_SUBCLASS.get(c, ()))
    return seen


# --- both files -------------------------------------------------------------------------------------------------


def test_both_files_parse_and_are_not_empty(onto: Graph, kos: Graph) -> None:
    assert len(onto) > 500
    assert len(kos) > 200


def test_package_constants_agree_with_the_files(onto: Graph, kos: Graph) -> None:
    assert ONTOLOGY_PATH.is_file() and KOS_PATH.is_file()
    assert (ONT, RDF.type, OWL.Ontology) in onto
    assert NAMESPACE == ONTOLOGY_IRI + "#"
    for scheme in kos.subjects(RDF.type, SKOS.ConceptScheme):
        assert str(scheme).startswith(KOS_NAMESPACE)


# --- ontology header ----------------------------------------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    assert onto.value(ONT, OWL.versionIRI) == URIRef("https://w3id.org/sparbar/def/0.1.0")
    assert str(onto.value(ONT, OWL.versionInfo)) == "0.1.0"
    assert onto.value(ONT, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    for p in (DCTERMS.title, DCTERMS.description):
        for lang in ("sv", "en"):
            assert _texts(onto, ONT, p, lang), f"ontology lacks {p} @{lang}"
    for p in (DCTERMS.created, DCTERMS.modified):
        value = onto.value(ONT, p)
        assert isinstance(value, Literal) and value.datatype == XSD.date
    comments = " ".join(str(c) for c in onto.objects(ONT, RDFS.comment))
    assert "owl:deprecated" in comments, "the header must state the deprecation policy"


# --- every sb term is documented -------------------------------------------------------------------------------


def test_every_sb_term_has_labels_comments_and_is_defined_by(onto: Graph) -> None:
    subjects = _sb_subjects(onto)
    assert len(subjects) > 100
    problems = []
    for s in sorted(subjects):
        for p in (RDFS.label, RDFS.comment):
            for lang in ("sv", "en"):
                n = len(_texts(onto, s, p, lang))
                if n != 1:
                    problems.append(f"{s}: {n} {p.n3(onto.namespace_manager)} @{lang}")
        if (s, RDFS.isDefinedBy, ONT) not in onto:
            problems.append(f"{s}: no rdfs:isDefinedBy <{ONTOLOGY_IRI}>")
        if onto.value(s, RDF.type) is None:
            problems.append(f"{s}: no rdf:type")
    assert not problems, "\n".join(problems)


def test_comments_explain_more_than_the_label(onto: Graph) -> None:
    for s in _sb_subjects(onto):
        for lang in ("sv", "en"):
            label = str(_texts(onto, s, RDFS.label, lang)[0])
            comment = str(_texts(onto, s, RDFS.comment, lang)[0])
            assert comment.lower().rstrip(".") != label.lower(), f"{s}: comment @{lang} repeats the label"
            assert len(comment) >= 15, f"{s}: comment @{lang} too short"


def test_every_sb_property_is_an_object_or_datatype_property(onto: Graph) -> None:
    for s in _sb_subjects(onto):
        types = set(onto.objects(s, RDF.type))
        if s[len(NAMESPACE)].islower() and s != SB.indicatorStructure:
            kinds = types & {OWL.ObjectProperty, OWL.DatatypeProperty}
            assert len(kinds) == 1, f"{s}: types {types}"


def test_domains_and_ranges_are_named_classes_or_unions(onto: Graph) -> None:
    defined = _sb_subjects(onto)
    for p in (RDFS.domain, RDFS.range):
        for s, o in onto.subject_objects(p):
            for member in _members(onto, o):
                assert isinstance(member, URIRef), f"{s} {p}: {member}"
                if str(member).startswith(NAMESPACE):
                    assert member in defined, f"{s} {p}: {member} is not defined"


def test_datatype_properties_have_xsd_or_langstring_ranges(onto: Graph) -> None:
    for s in onto.subjects(RDF.type, OWL.DatatypeProperty):
        rng = onto.value(s, RDFS.range)
        assert rng is not None, f"{s} has no range"
        assert str(rng).startswith(str(XSD)) or rng == RDF.langString, f"{s}: range {rng}"


def test_no_undefined_sb_terms_are_used(onto: Graph, kos: Graph) -> None:
    defined = _sb_subjects(onto)
    for g in (onto, kos):
        for triple in g:
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(NAMESPACE):
                    assert term in defined, f"{term} is used but not defined in sparbar.ttl"


# --- design.md is the contract ---------------------------------------------------------------------------------


def test_design_names_the_vocabulary(design: str) -> None:
    vocabulary = _design_terms(_section(design, "## Vocabulary"))
    assert len(vocabulary) > 80, "the regex no longer finds the vocabulary in design.md"


def test_every_term_in_design_is_defined(onto: Graph, design: str) -> None:
    missing, wrong = [], []
    for name in sorted(_design_terms(design)):
        term = SB[name]
        types = set(onto.objects(term, RDF.type))
        if not types:
            missing.append(name)
        elif name[0].isupper() and OWL.Class not in types:
            wrong.append(f"{name} should be an owl:Class, is {types}")
        elif name[0].islower() and not (types & PROPERTY_TYPES or QB.DataStructureDefinition in types):
            wrong.append(f"{name} should be a property, is {types}")
    assert not missing, f"design.md terms not in the ontology: {missing}"
    assert not wrong, "\n".join(wrong)


# The ⊑ statements of design.md ("Vocabulary"), written out.
DESIGN_SUBCLASSES = {
    SB.Strategy: {SB.SteeringDocument, SKOS.ConceptScheme},
    SB.SteeringDocument: {PROV.Entity, FOAF.Document},
    SB.SubStrategy: {SB.SteeringDocument},
    SB.ActionPlan: {SB.SteeringDocument},
    SB.Programme: {SB.SteeringDocument},
    SB.Goal: {SKOS.Concept},
    SB.Vision: {SB.Goal},
    SB.FocusArea: {SB.Goal},
    SB.SubGoal: {SB.Goal},
    SB.SteeringDocumentGoal: {SB.Goal},
    SB.Indicator: {SKOS.Concept},
    SB.EffectIndicator: {SB.Indicator},
    SB.SteeringDocumentIndicator: {SB.Indicator},
    SB.Observation: {QB.Observation},
    SB.IndicatorDataset: {QB.DataSet},
    SB.Area: {DCTERMS.Location},
    SB.County: {SB.Area},
    SB.Actor: {ORG.Organization},
    SB.Municipality: {SB.Actor, SB.Area},
    SB.Intervention: {PROV.Activity},
    SB.Activity: {PROV.Activity},
    SB.Result: {PROV.Entity},
    SB.Output: {SB.Result},
    SB.Effect: {SB.Result},
    SB.Story: {PROV.Entity},
    SB.FollowUp: {PROV.Activity},
    SB.Evaluation: {SB.FollowUp},
    SB.Lesson: {PROV.Entity},
    SB.Feedback: {PROV.Activity},
    SB.SourceGraph: {PROV.Entity},
}

# sb:lessonFrom: design.md says ⊑ prov:wasDerivedFrom, which would type a follow-up (a prov:Activity) as a
# prov:Entity; the ontology uses prov:wasGeneratedBy (see test_prov_subproperties_respect_prov_typing).
DESIGN_SUBPROPERTIES = {
    SB.inFocusArea: SKOS.broader,
    SB.adoptedAlignment: SB.alignedWithTarget,
    SB.proposedAlignment: SB.alignedWithTarget,
    SB.owner: PROV.wasAssociatedWith,
    SB.resultOf: PROV.wasGeneratedBy,
    SB.lessonFrom: PROV.wasGeneratedBy,
}


@pytest.mark.parametrize("cls", sorted(DESIGN_SUBCLASSES), ids=lambda c: c.n3().split("#")[-1].rstrip(">"))
def test_design_subclass_axioms(onto: Graph, cls: URIRef) -> None:
    asserted = set(onto.objects(cls, RDFS.subClassOf))
    assert DESIGN_SUBCLASSES[cls] <= asserted, f"{cls}: missing {DESIGN_SUBCLASSES[cls] - asserted}"


def test_design_subproperty_axioms(onto: Graph) -> None:
    for prop, parent in DESIGN_SUBPROPERTIES.items():
        assert (prop, RDFS.subPropertyOf, parent) in onto, f"{prop} ⊑ {parent}"


def test_every_class_relates_to_another_vocabulary_or_sb_class(onto: Graph) -> None:
    for cls in onto.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef):
            continue
        named = {o for p in (RDFS.subClassOf, OWL.equivalentClass) for o in onto.objects(cls, p)
                 if isinstance(o, URIRef)}
        assert named - {cls, OWL.Thing}, f"{cls} is not related to any other class"


def test_every_sb_class_reaches_an_external_vocabulary(onto: Graph) -> None:
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(NAMESPACE):
            outside = {c for c in _superclasses(onto, cls) if not str(c).startswith(NAMESPACE)}
            assert outside, f"{cls} reaches no external class"


# Domain and range a PROV-O property requires, and a PROV class the other side must not be (disjoint).
PROV_SIGNATURES = {
    PROV.wasGeneratedBy: (PROV.Entity, PROV.Activity),
    PROV.wasDerivedFrom: (PROV.Entity, PROV.Entity),
    PROV.used: (PROV.Activity, PROV.Entity),
    PROV.wasAssociatedWith: (PROV.Activity, PROV.Agent),
}


def test_prov_subproperties_respect_prov_typing(onto: Graph) -> None:
    problems = []
    for prop, parent in onto.subject_objects(RDFS.subPropertyOf):
        if parent not in PROV_SIGNATURES:
            continue
        for axis, needed in zip((RDFS.domain, RDFS.range), PROV_SIGNATURES[parent], strict=True):
            node = onto.value(prop, axis)
            assert node is not None, f"{prop} has no {axis}"
            for member in _members(onto, node):
                supers = _superclasses(onto, member)
                if needed not in supers:
                    problems.append(f"{prop} ⊑ {parent}: {axis} member {member} is not a {needed}")
                if {PROV.Entity, PROV.Activity} <= supers:
                    problems.append(f"{member} is both prov:Entity and prov:Activity (disjoint)")
    assert not problems, "\n".join(problems)


def test_classes_are_not_both_prov_entity_and_activity(onto: Graph) -> None:
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef):
            assert not {PROV.Entity, PROV.Activity} <= _superclasses(onto, cls), cls


def test_goal_is_the_disjoint_union_of_its_kinds(onto: Graph) -> None:
    node = onto.value(SB.Goal, OWL.disjointUnionOf)
    assert node is not None
    assert set(Collection(onto, node)) == {SB.Vision, SB.FocusArea, SB.SubGoal, SB.SteeringDocumentGoal}


def test_design_ranges_of_key_properties(onto: Graph) -> None:
    expected = {
        SB.alignedWithTarget: {SDGO.Target},
        SB.indicatorFor: {SB.SubGoal, SB.SteeringDocumentGoal},
        SB.contributesTo: {SB.SubGoal, SB.SteeringDocumentGoal},
        SB.funds: {SB.Intervention, SB.Activity},
        SB.about: {SB.Intervention, SB.Activity, SB.Result},
        SB.followsUp: {SB.Intervention, SB.Activity, SB.SubGoal, SB.SteeringDocumentGoal, SB.Strategy},
        SB.lessonFrom: {SB.FollowUp},
        SB.feedsBack: {SB.Lesson},
        SB.refPeriod: {XSD.gYear},
        SB.obsValue: {XSD.decimal},
        SB.amount: {XSD.decimal},
        SB.baselineYear: {XSD.gYear},
        SB.deadline: {XSD.date},
        SB.prioritised: {XSD.boolean},
        SB.number: {XSD.integer},
        SB.ambition: {RDF.langString},
        SB.retrievedOn: {XSD.date},
        SB.isExample: {XSD.boolean},
        SB.order: {XSD.integer},
    }
    for prop, members in expected.items():
        node = onto.value(prop, RDFS.range)
        assert node is not None, f"{prop} has no range"
        assert set(_members(onto, node)) == members, prop
    expected_domains = {
        SB.leadsTo: {SB.Activity, SB.Result},
        SB.lessonFrom: {SB.Lesson},
        SB.resultOf: {SB.Result},
        SB.inFocusArea: {SB.SubGoal},
        SB.alignsWithSubGoal: {SB.SteeringDocumentGoal},
    }
    for prop, members in expected_domains.items():
        assert set(_members(onto, onto.value(prop, RDFS.domain))) == members, prop


# --- RDF Data Cube --------------------------------------------------------------------------------------------


def test_indicator_structure(onto: Graph) -> None:
    dsd = SB.indicatorStructure
    assert (dsd, RDF.type, QB.DataStructureDefinition) in onto
    found: dict[URIRef, set] = {QB.dimension: set(), QB.measure: set(), QB.attribute: set()}
    for component in onto.objects(dsd, QB.component):
        assert isinstance(component, BNode | URIRef)
        for role in found:
            found[role] |= set(onto.objects(component, role))
    assert found[QB.dimension] == {SB.indicator, SB.refPeriod, SB.refArea, SB.sex, SB.breakdown}
    assert found[QB.measure] == {SB.obsValue}
    assert found[QB.attribute] == {SB.unitOfMeasure}
    for prop in found[QB.dimension]:
        assert (prop, RDF.type, QB.DimensionProperty) in onto
    assert (SB.obsValue, RDF.type, QB.MeasureProperty) in onto
    assert (SB.unitOfMeasure, RDF.type, QB.AttributeProperty) in onto


# --- Agenda 2030 classes of the UN ------------------------------------------------------------------------------


def test_sdg_classes_are_documented_not_redefined(onto: Graph) -> None:
    for cls in (SDGO.Goal, SDGO.Target, SDGO.Indicator):
        assert (cls, RDFS.isDefinedBy, UN_SDG_ONTOLOGY) in onto
        assert (cls, RDFS.subClassOf, SKOS.Concept) in onto
        for p in (RDFS.label, RDFS.comment):
            for lang in ("sv", "en"):
                assert _texts(onto, cls, p, lang), f"{cls} lacks {p} @{lang}"
    # no other statements about UN terms than these documentation triples
    un_subjects = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith("http://metadata.un.org/")}
    assert un_subjects == {SDGO.Goal, SDGO.Target, SDGO.Indicator}


def test_sdg_ontology_reuse_is_explained(onto: Graph) -> None:
    comments = " ".join(str(c) for c in onto.objects(ONT, RDFS.comment))
    assert "http://metadata.un.org/sdg/" in comments
    assert "http://metadata.un.org/sdg/ontology#" in comments


# --- controlled lists -----------------------------------------------------------------------------------------

SCHEME_PROPERTY = {
    "funding-kind": SB.fundingKind,
    "horizon": SB.horizon,
    "inquiry-area": SB.inquiryArea,
    "perspective": SB.perspective,
    "pdca-phase": SB.pdcaPhase,
    "actor-kind": SB.actorKind,
    "status": SB.status,
    "target-group": SB.targetGroup,
}
ORDERED = ("horizon", "pdca-phase")


def test_design_lists_eight_schemes(design: str) -> None:
    assert set(_design_lists(design)) == set(SCHEME_PROPERTY)


def test_every_concept_is_complete_and_in_exactly_one_scheme(kos: Graph) -> None:
    concepts = set(kos.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 30
    problems = []
    for c in sorted(concepts):
        for p in (SKOS.prefLabel, SKOS.definition):
            for lang in ("sv", "en"):
                if len(_texts(kos, c, p, lang)) != 1:
                    problems.append(f"{c}: needs exactly one {p} @{lang}")
        schemes = set(kos.objects(c, SKOS.inScheme))
        if len(schemes) != 1:
            problems.append(f"{c}: in {len(schemes)} schemes")
            continue
        scheme = schemes.pop()
        if not str(c).startswith(str(scheme) + "/"):
            problems.append(f"{c}: IRI not under its scheme {scheme}")
        if kos.value(c, SKOS.notation) is None:
            problems.append(f"{c}: no skos:notation")
        if (c, RDFS.isDefinedBy, ONT) not in kos:
            problems.append(f"{c}: no rdfs:isDefinedBy")
        tops = set(kos.objects(c, SKOS.topConceptOf))
        broader = set(kos.objects(c, SKOS.broader))
        if bool(tops) == bool(broader):
            problems.append(f"{c}: needs either skos:topConceptOf or skos:broader")
        if tops and (tops != {scheme} or (scheme, SKOS.hasTopConcept, c) not in kos):
            problems.append(f"{c}: skos:topConceptOf/hasTopConcept disagree with skos:inScheme")
        for b in broader:
            if (b, SKOS.inScheme, scheme) not in kos:
                problems.append(f"{c}: broader {b} is in another scheme")
    assert not problems, "\n".join(problems)


def test_notations_are_unique_within_a_scheme(kos: Graph) -> None:
    for scheme in kos.subjects(RDF.type, SKOS.ConceptScheme):
        notations = [str(kos.value(c, SKOS.notation)) for c in kos.subjects(SKOS.inScheme, scheme)]
        assert len(notations) == len(set(notations)), scheme


def test_every_scheme_is_complete(kos: Graph) -> None:
    schemes = set(kos.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 8
    for s in schemes:
        for p in (SKOS.prefLabel, SKOS.definition):
            for lang in ("sv", "en"):
                assert len(_texts(kos, s, p, lang)) == 1, f"{s}: {p} @{lang}"
        assert (s, RDFS.isDefinedBy, ONT) in kos
        assert set(kos.objects(s, SKOS.hasTopConcept)), f"{s} has no top concept"


@pytest.mark.parametrize("scheme", sorted(SCHEME_PROPERTY))
def test_scheme_has_exactly_the_concepts_in_design(kos: Graph, design: str, scheme: str) -> None:
    expected = _design_lists(design)[scheme]
    iri = SBK[scheme]
    assert (iri, RDF.type, SKOS.ConceptScheme) in kos
    actual = {str(c) for c in kos.subjects(SKOS.inScheme, iri)}
    assert actual == {f"{iri}/{name}" for name in expected}


@pytest.mark.parametrize("scheme", ORDERED)
def test_ordered_schemes_follow_design_order(kos: Graph, design: str, scheme: str) -> None:
    expected = _design_lists(design)[scheme]
    for position, name in enumerate(expected, start=1):
        order = kos.value(URIRef(f"{SBK[scheme]}/{name}"), SB.order)
        assert isinstance(order, Literal) and order.datatype == XSD.integer
        assert order.toPython() == position, f"{scheme}/{name}"


def test_design_broader_relations(kos: Graph) -> None:
    fk = f"{SBK['funding-kind']}/"
    for narrow in ("eu-funds", "state-funds"):
        assert (URIRef(fk + narrow), SKOS.broader, URIRef(fk + "co-financier")) in kos


@pytest.mark.parametrize("scheme", sorted(SCHEME_PROPERTY))
def test_property_comment_names_its_scheme(onto: Graph, scheme: str) -> None:
    prop = SCHEME_PROPERTY[scheme]
    assert onto.value(prop, RDFS.range) == SKOS.Concept
    for lang in ("sv", "en"):
        comment = str(_texts(onto, prop, RDFS.comment, lang)[0])
        assert f"sbk:{scheme}" in comment and str(SBK[scheme]) in comment, f"{prop} @{lang}"


def test_swedish_labels_follow_the_learning_plan(kos: Graph) -> None:
    expected = {
        "funding-kind/one-to-one": "Regionala utvecklingsmedel (1:1-medel)",
        "funding-kind/co-financier": "Medel från andra huvudsakliga medfinansiärer",
        "funding-kind/own-funds": "Regionens egna medel",
        "inquiry-area/results": "Resultat",
        "inquiry-area/process": "Processgenomförande",
        "inquiry-area/mission-delivery": "Genomförande av det regionala utvecklingsuppdraget",
        "horizon/short": "Kort sikt",
        "horizon/medium": "Medellång sikt",
        "horizon/long": "Lång sikt",
        "pdca-phase/plan": "Planera",
        "pdca-phase/do": "Göra",
        "pdca-phase/study": "Studera",
        "pdca-phase/act": "Agera",
    }
    for path, label in expected.items():
        assert str(_texts(kos, SBK[path], SKOS.prefLabel, "sv")[0]) == label, path


def test_lists_name_no_particular_region(kos: Graph) -> None:
    """The lists are for all 21 regions: labels and definitions name none (scope notes may)."""
    for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.definition):
        for s, o in kos.subject_objects(p):
            assert "Västmanland" not in str(o), f"{s} {p}: {o}"
