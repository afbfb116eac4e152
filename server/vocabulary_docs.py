"""Documentation of the vocabulary, generated from the Turtle: the ontology and controlled lists at /def, the SHACL
shapes at /shapes. HTML for people (classes, properties with domains and ranges, concept schemes, shapes, with
Swedish and English labels and comments), and the RDF itself by content negotiation (Turtle is the file as written).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from rdflib import OWL, RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import KOS_NAMESPACE, KOS_PATH, NAMESPACE, ONTOLOGY_IRI, ONTOLOGY_PATH
from server.describe import rdf_bytes
from server.linked_data import alternates, negotiated
from server.negotiation import HTML, RDF_VARIANTS, TURTLE, Variant
from server.pages import render
from server.present import curie
from server.views import Page
from shapes import SHAPES_PATH

DOC_VARIANTS = (HTML, *RDF_VARIANTS)


@dataclass
class Link:
    text: str
    href: str | None = None


@dataclass
class Term:
    """One documented term: a class, property, concept scheme, concept or shape."""

    iri: str
    anchor: str
    name: str  # prefixed name
    label_sv: str = ""
    label_en: str = ""
    comment_sv: str = ""
    comment_en: str = ""
    deprecated: bool = False
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)  # ("Domän", [links])
    members: list[Term] = field(default_factory=list)  # a scheme's concepts, a shape's property shapes


@dataclass
class Section:
    id: str
    heading: str
    terms: list[Term]


def _text(g: Graph, node: Node, prop: URIRef, lang: str) -> str:
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for v in values:
        if (v.language or "").lower().startswith(lang):
            return str(v)
    return next((str(v) for v in values if not v.language), "") if lang == "sv" else ""


def _anchor(iri: str) -> str:
    """The id of a term on its page: the local name; controlled-list IRIs (slash IRIs, whose last segment may equal
    a property's name) as "kos-scheme-concept"."""
    if iri.startswith(KOS_NAMESPACE):
        return "kos-" + iri[len(KOS_NAMESPACE):].replace("/", "-")
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def _link(g: Graph, node: Node, local: set[str]) -> list[Link]:
    """A term as links: IRIs of documented terms to their anchor, unions and lists spelled out."""
    if isinstance(node, URIRef):
        iri = str(node)
        return [Link(curie(iri), "#" + _anchor(iri) if iri in local else iri)]
    if isinstance(node, BNode):
        for prop, joiner in ((OWL.unionOf, " eller "), (SH["or"], " eller ")):
            lst = g.value(node, prop)
            if lst is not None:
                out: list[Link] = []
                for i, member in enumerate(Collection(g, lst)):
                    if i:
                        out.append(Link(joiner))
                    out.extend(_link(g, member, local))
                return out
        if (node, RDF.first, None) in g:
            return [link for m in Collection(g, node) for link in _link(g, m, local)]
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return [Link("^"), *_link(g, inverse, local)]
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return [Link("(alternativ) "), *_link(g, alternatives, local)]
    if isinstance(node, Literal):
        return [Link(str(node))]
    return [Link("(sammansatt)")]


def _links(g: Graph, nodes: Iterable[Node], local: set[str]) -> list[Link]:
    out: list[Link] = []
    for i, n in enumerate(sorted(nodes, key=str)):
        if i:
            out.append(Link(", "))
        out.extend(_link(g, n, local))
    return out


def _term(g: Graph, node: URIRef, facts: list[tuple[str, Iterable[Node]]], local: set[str]) -> Term:
    iri = str(node)
    t = Term(iri, _anchor(iri), curie(iri),
             label_sv=_text(g, node, RDFS.label, "sv") or _text(g, node, SKOS.prefLabel, "sv"),
             label_en=_text(g, node, RDFS.label, "en") or _text(g, node, SKOS.prefLabel, "en"),
             comment_sv=_text(g, node, RDFS.comment, "sv") or _text(g, node, SKOS.definition, "sv"),
             comment_en=_text(g, node, RDFS.comment, "en") or _text(g, node, SKOS.definition, "en"),
             deprecated=(node, OWL.deprecated, Literal(True)) in g)
    for heading, values in facts:
        values = list(values)
        if values:
            t.facts.append((heading, _links(g, values, local)))
    return t


def ontology_sections(onto: Graph, kos: Graph) -> list[Section]:
    classes = sorted(s for s in onto.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef))
    kinds = (("Objektegenskap", OWL.ObjectProperty), ("Dataegenskap", OWL.DatatypeProperty),
             ("Annoteringsegenskap", OWL.AnnotationProperty))
    properties = sorted({s for _, k in kinds for s in onto.subjects(RDF.type, k) if isinstance(s, URIRef)})
    schemes = sorted(s for s in kos.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef))
    concepts = {c for s in schemes for c in kos.subjects(SKOS.inScheme, s) if isinstance(c, URIRef)}
    local = {str(x) for x in (*classes, *properties, *schemes, *concepts)}
    class_terms = [_term(onto, c, [("Underklass till", onto.objects(c, RDFS.subClassOf)),
                                   ("Överklass till", onto.subjects(RDFS.subClassOf, c))], local) for c in classes]
    prop_terms = []
    for p in properties:
        kind = [Link(name) for name, k in kinds if (p, RDF.type, k) in onto]
        t = _term(onto, p, [("Domän", onto.objects(p, RDFS.domain)), ("Värdemängd", onto.objects(p, RDFS.range)),
                            ("Underegenskap till", onto.objects(p, RDFS.subPropertyOf))], local)
        t.facts.insert(0, ("Slag", kind))
        prop_terms.append(t)
    scheme_terms = []
    for s in schemes:
        t = _term(kos, s, [], local)
        in_scheme = sorted(c for c in kos.subjects(SKOS.inScheme, s) if isinstance(c, URIRef))
        t.members = [_term(kos, c, [("Överordnat begrepp", kos.objects(c, SKOS.broader))], local) for c in in_scheme]
        scheme_terms.append(t)
    return [Section("klasser", "Klasser", class_terms), Section("egenskaper", "Egenskaper", prop_terms),
            Section("begreppsscheman", "Kontrollerade listor (begreppsscheman)", scheme_terms)]


def shape_sections(shapes: Graph) -> list[Section]:
    node_shapes = sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    local = {str(s) for s in node_shapes}
    terms = []
    for s in node_shapes:
        t = _term(shapes, s, [("Gäller klass", shapes.objects(s, SH.targetClass)),
                              ("Gäller subjekt för", shapes.objects(s, SH.targetSubjectsOf)),
                              ("Gäller objekt för", shapes.objects(s, SH.targetObjectsOf)),
                              ("Klass", shapes.objects(s, SH["class"])),
                              ("Datatyp", shapes.objects(s, SH.datatype)),
                              ("Allvarlighet", shapes.objects(s, SH.severity))], local)
        t.comment_sv = t.comment_sv or _text(shapes, s, SH.message, "sv")
        t.comment_en = t.comment_en or _text(shapes, s, SH.message, "en")
        for ps in shapes.objects(s, SH.property):
            path = shapes.value(ps, SH.path)
            path_text = "".join(x.text for x in _link(shapes, path, local)) if path else "(utan väg)"
            member = Term(str(ps), "", path_text,
                          label_sv=_text(shapes, ps, SH.name, "sv"), label_en=_text(shapes, ps, SH.name, "en"),
                          comment_sv=_text(shapes, ps, SH.message, "sv"),
                          comment_en=_text(shapes, ps, SH.message, "en"))
            for heading, prop in (("Minst", SH.minCount), ("Högst", SH.maxCount), ("Datatyp", SH.datatype),
                                  ("Klass", SH["class"]), ("Nod", SH.node), ("Mönster", SH.pattern),
                                  ("Allvarlighet", SH.severity)):
                values = list(shapes.objects(ps, prop))
                if values:
                    member.facts.append((heading, _links(shapes, values, local)))
            t.members.append(member)
        t.members.sort(key=lambda m: m.name)
        terms.append(t)
    return [Section("former", "Former (SHACL)", terms)]


@dataclass(frozen=True)
class Document:
    """One vocabulary document: its Turtle file, parsed graph and HTML model."""

    path: str
    title: str
    iri: str
    files: tuple[Path, ...]
    graph: Graph
    sections: list[Section]
    header: dict[str, Any]


def load_documents() -> dict[str, Document]:
    onto = Graph().parse(ONTOLOGY_PATH)
    kos = Graph().parse(KOS_PATH)
    shapes = Graph().parse(SHAPES_PATH)
    node = URIRef(ONTOLOGY_IRI)
    header = {"title_sv": _text(onto, node, URIRef("http://purl.org/dc/terms/title"), "sv"),
              "title_en": _text(onto, node, URIRef("http://purl.org/dc/terms/title"), "en"),
              "description_sv": _text(onto, node, URIRef("http://purl.org/dc/terms/description"), "sv"),
              "description_en": _text(onto, node, URIRef("http://purl.org/dc/terms/description"), "en"),
              "version": str(onto.value(node, OWL.versionInfo) or ""),
              "version_iri": str(onto.value(node, OWL.versionIRI) or ""),
              "namespace": NAMESPACE}
    return {
        # the RDF of /def is the ontology; its page documents the controlled lists too (they resolve under /kos/)
        "def": Document("/def", "Spårbars ontologi", ONTOLOGY_IRI, (ONTOLOGY_PATH,), onto,
                        ontology_sections(onto, kos), header),
        "shapes": Document("/shapes", "Spårbars SHACL-former", "https://w3id.org/sparbar/shapes", (SHAPES_PATH,),
                           shapes, shape_sections(shapes), {}),
    }


def add_routes(app: FastAPI) -> None:
    documents = load_documents()
    app.state.vocabulary_documents = documents

    def route(request: Request, doc: Document, fmt: str | None) -> Response:
        def body(chosen: Variant, headers: dict[str, str]) -> Response:
            if chosen == HTML:
                page = Page("vocabulary.html", doc.title, {"doc": doc})
                return render(request, page, headers, alternates=alternates(request.url, chosen, DOC_VARIANTS))
            if chosen == TURTLE:
                return Response(doc.files[0].read_bytes(), headers=headers, media_type=chosen.content_type)
            g = Graph()
            g += doc.graph
            return Response(rdf_bytes(g, chosen, request.app.state.jsonld_context), headers=headers,
                            media_type=chosen.content_type)

        return negotiated(request, DOC_VARIANTS, fmt, "vocabulary", body)

    @app.api_route("/def", methods=["GET", "HEAD"], include_in_schema=False)
    def ontology_doc(request: Request, fmt: str | None = Query(None, alias="format")) -> Response:
        return route(request, documents["def"], fmt)

    @app.api_route("/shapes", methods=["GET", "HEAD"], include_in_schema=False)
    def shapes_doc(request: Request, fmt: str | None = Query(None, alias="format")) -> Response:
        return route(request, documents["shapes"], fmt)
