"""The shapes graph read into plain objects: what each shape targets, its path, severity, messages and
constraint parameters. Anything outside the subset the compiler handles raises UnsupportedShapes here or
in the compiler, naming the shape and the parameter."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from graph.validation import path_text


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature the SPARQL compiler does not handle; validate with pyshacl instead."""


TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# Parameters that say nothing the validation reads (or that the compiler reads elsewhere).
DESCRIPTIVE = frozenset({
    RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.severity, SH.deactivated,
    SH.order, SH.group, SH.defaultValue, SH.path, SH.property, *TARGET_PREDICATES,
})
# The constraint parameters the compiler turns into SPARQL.
SUPPORTED = frozenset({
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.hasValue, SH["in"], SH.pattern,
    SH.flags, SH.minInclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang,
    SH.lessThanOrEquals, SH["or"], SH.node, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.sparql,
})


@dataclass(frozen=True)
class SparqlQuery:
    """A SELECT from the shapes graph (SPARQL target or constraint) with the prefixes it declares."""

    node: Node
    select: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[Literal, ...] = ()


@dataclass(eq=False)
class Shape:
    node: Node
    path: Node | None  # None for a node shape
    path_sparql: str | None
    path_text: str | None
    severity: URIRef
    messages: tuple[Literal, ...]
    deactivated: bool
    params: dict[URIRef, list[Node]] = field(default_factory=dict)
    properties: list[Shape] = field(default_factory=list)
    target_classes: list[URIRef] = field(default_factory=list)
    target_nodes: list[Node] = field(default_factory=list)
    subjects_of: list[URIRef] = field(default_factory=list)
    objects_of: list[URIRef] = field(default_factory=list)
    sparql_targets: list[SparqlQuery] = field(default_factory=list)
    sparql: list[SparqlQuery] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_target(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.subjects_of or self.objects_of
                    or self.sparql_targets)

    def one(self, param: URIRef) -> Node | None:
        values = self.params.get(param, [])
        if len(values) > 1:
            raise UnsupportedShapes(f"{self.node.n3()}: mer än ett värde för {param.n3()}")
        return values[0] if values else None

    def __str__(self) -> str:
        return self.node.n3()


class ShapeReader:
    """Reads shapes once each (a shape used from several places is one object)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}

    def targeted(self) -> list[Shape]:
        g = self.graph
        nodes = {s for p in TARGET_PREDICATES for s in g.subjects(p, None)}
        implicit = {s for s in g.subjects(RDF.type, RDFS.Class) if _is_shape(g, s)}
        implicit |= {s for s in g.subjects(RDF.type, OWL.Class) if _is_shape(g, s)}
        return [self.shape(n) for n in sorted(nodes | implicit, key=str)]

    def shape(self, node: Node) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self.graph
        path = g.value(node, SH.path)
        severity = g.value(node, SH.severity) or SH.Violation
        if severity not in (SH.Violation, SH.Warning, SH.Info):
            raise UnsupportedShapes(f"{node.n3()}: okänd allvarlighetsgrad {severity.n3()}")
        deactivated = any(isinstance(d, Literal) and d.value is True for d in g.objects(node, SH.deactivated))
        shape = Shape(
            node=node,
            path=path,
            path_sparql=self.path_sparql(path, node) if path is not None else None,
            path_text=path_text(path, g),
            severity=severity,  # type: ignore[arg-type]
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            deactivated=deactivated,
        )
        self._shapes[node] = shape  # before the references, so that recursion ends
        for p, o in g.predicate_objects(node):
            if p in DESCRIPTIVE or not str(p).startswith(str(SH)):  # pyshacl ignores non-SHACL predicates
                continue
            if p not in SUPPORTED:
                raise UnsupportedShapes(f"{node.n3()}: {p.n3()} stöds inte av SPARQL-valideringen")
            shape.params.setdefault(p, []).append(o)  # type: ignore[arg-type]
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        shape.target_classes = [c for c in g.objects(node, SH.targetClass) if isinstance(c, URIRef)]
        if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
            shape.target_classes.append(node)  # type: ignore[arg-type]
        shape.target_nodes = list(g.objects(node, SH.targetNode))
        shape.subjects_of = [p for p in g.objects(node, SH.targetSubjectsOf) if isinstance(p, URIRef)]
        shape.objects_of = [p for p in g.objects(node, SH.targetObjectsOf) if isinstance(p, URIRef)]
        for target in g.objects(node, SH.target):
            if g.value(target, SH.select) is None:
                raise UnsupportedShapes(f"{node.n3()}: sh:target utan sh:select (bara SPARQL-mål stöds)")
            shape.sparql_targets.append(self.query(target))
        shape.sparql = [self.query(c) for c in shape.params.pop(SH.sparql, [])]
        if shape.is_property and shape.sparql:
            raise UnsupportedShapes(f"{node.n3()}: sh:sparql på en egenskapsform stöds inte")
        if shape.is_property and shape.properties:
            raise UnsupportedShapes(f"{node.n3()}: sh:property på en egenskapsform stöds inte")
        return shape

    def query(self, node: Node) -> SparqlQuery:
        g = self.graph
        if g.value(node, SH.ask) is not None or g.value(node, SH.select) is None:
            raise UnsupportedShapes(f"{node.n3()}: bara SPARQL SELECT stöds")
        if any(g.objects(node, SH.deactivated)):
            raise UnsupportedShapes(f"{node.n3()}: avaktiverade SPARQL-villkor stöds inte")
        prefixes: dict[str, str] = {}
        for holder in g.objects(node, SH.prefixes):
            for declaration in g.objects(holder, SH.declare):
                prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShapes(f"{holder.n3()}: sh:declare utan sh:prefix eller sh:namespace")
                if prefixes.get(str(prefix), str(namespace)) != str(namespace):
                    raise UnsupportedShapes(f"{holder.n3()}: prefixet {prefix} deklareras två gånger")
                prefixes[str(prefix)] = str(namespace)
        messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        return SparqlQuery(node, str(g.value(node, SH.select)), tuple(sorted(prefixes.items())), messages)

    def path_sparql(self, path: Node, shape: Node) -> str:
        """A SHACL path as a SPARQL property path (IRI, inverse, alternative, sequence)."""
        g = self.graph
        if isinstance(path, URIRef):
            return path.n3()
        if not isinstance(path, BNode):
            raise UnsupportedShapes(f"{shape.n3()}: ogiltig sh:path")
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({self.path_sparql(inverse, shape)})"
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + " | ".join(self.path_sparql(p, shape) for p in Collection(g, alternatives)) + ")"
        if (path, RDF.first, None) in g:
            return "(" + " / ".join(self.path_sparql(p, shape) for p in Collection(g, path)) + ")"
        raise UnsupportedShapes(f"{shape.n3()}: sökvägen stöds inte (bara IRI, sh:inversePath, "
                                "sh:alternativePath och sekvenser)")

    def members(self, head: Node) -> list[Shape]:
        return [self.shape(m) for m in Collection(self.graph, head)]

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))


def _is_shape(g: Graph, node: Node) -> bool:
    return (node, RDF.type, SH.NodeShape) in g or (node, RDF.type, SH.PropertyShape) in g
