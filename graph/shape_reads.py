"""What the shapes read: the triples a SHACL validation of one focus node can look at, worked out from the
shapes graph itself.

A *read* is a path of steps from a focus node (forward `p`, inverse `^p`, or any predicate forward); validating
a node reads every triple along each read. Targets read too (`sh:targetClass` reads the node's rdf:type, a
SPARQL target reads its query's triple patterns around `?this`). Incremental validation uses the reads both
ways: forward, to gather the context a focus node needs; backward, to find which focus nodes a changed triple
can affect.

Anything this module does not understand (`sh:zeroOrMorePath`, SHACL rules, SPARQL on property shapes, a
SPARQL pattern not connected to `$this` ...) raises `UnsupportedShapes`: the caller then validates in full,
which is always correct.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

MAX_READ_LENGTH = 6  # deeper nesting of value shapes is treated as unsupported (falls back to full validation)


class UnsupportedShapes(Exception):
    """The shapes use something whose reads are not worked out here; validate in full."""


@dataclass(frozen=True, order=True)
class Step:
    predicate: URIRef | None  # None: any predicate (forward only)
    inverse: bool = False

    def __str__(self) -> str:
        text = "*" if self.predicate is None else self.predicate.n3()
        return "^" + text if self.inverse else text


ANY = Step(None)
TYPE = Step(URIRef(RDF.type))
Read = tuple[Step, ...]

# Constraint parameters that look only at the value nodes themselves (or the count of them): no further reads.
_VALUE_ONLY = {
    SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang,
    SH.hasValue, SH["in"], SH.qualifiedMinCount, SH.qualifiedMaxCount,
}
# Parameters that say nothing about the data.
_DESCRIPTIVE = {
    SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group, SH.defaultValue,
    SH.path, SH.ignoredProperties, SH.prefixes, SH.declare, SH.select, SH.labelTemplate,
}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_PAIRS = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}  # compare with the focus node's own values
_LOGICAL = {SH["or"], SH["and"], SH.xone}


@dataclass
class ShapeReads:
    """Every read any targeted shape makes, as a trie of steps (a read's prefixes are reads too)."""

    reads: frozenset[Read]
    uses_time: bool = False  # a SPARQL target or constraint calls NOW(): findings may change without any edit
    _children: dict[Read, set[Step]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for read in self.reads:
            for i in range(len(read)):
                self._children.setdefault(read[:i], set()).add(read[i])

    def steps_after(self, prefix: Read) -> set[Step]:
        return self._children.get(prefix, set())

    def prefixes(self) -> list[Read]:
        """Every read that has steps after it, shortest first (the root `()` first)."""
        return sorted(self._children, key=len)

    @property
    def inverse_predicates(self) -> set[URIRef]:
        """Predicates read in the inverse direction right at the focus node: a changed triple with one of
        these affects its object as well as its subject."""
        return {s.predicate for s in self.steps_after(()) if s.inverse and s.predicate is not None}


def analyse(shapes: Graph) -> ShapeReads:
    """All reads of all shapes that have targets (value shapes are reached through them)."""
    if any(shapes.triples((None, SH.rule, None))):
        raise UnsupportedShapes("SHACL rules (sh:rule) change the data graph")
    walker = _Walker(shapes)
    reads: set[Read] = {(ANY,)}  # every outgoing triple of a focus node: cheap, and it covers targets by type
    targeted = {s for s, p, _ in shapes if p in _TARGETS}
    for shape in sorted(targeted, key=str):
        reads |= walker.target_reads(shape)
        reads |= walker.shape_reads(shape)
    for read in reads:
        if len(read) > MAX_READ_LENGTH:
            raise UnsupportedShapes(f"a read {len(read)} steps deep")
        if ANY in read[:-1] or any(s.predicate is None and s.inverse for s in read):
            raise UnsupportedShapes("a read through any predicate")
    return ShapeReads(frozenset(_with_prefixes(reads)), uses_time=walker.uses_time)


def _with_prefixes(reads: Iterable[Read]) -> set[Read]:
    return {read[:i] for read in reads for i in range(1, len(read) + 1)}


class _Walker:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.memo: dict[Node, frozenset[Read]] = {}
        self.busy: set[Node] = set()
        self.uses_time = False

    # --- targets ----------------------------------------------------------------------------------------
    def target_reads(self, shape: Node) -> set[Read]:
        reads: set[Read] = set()
        for p, o in self.g.predicate_objects(shape):
            if p == SH.targetClass:
                reads.add((TYPE,))
            elif p in (SH.targetSubjectsOf, SH.targetObjectsOf):
                reads.add((Step(self._iri(o), inverse=p == SH.targetObjectsOf),))
            elif p == SH.target:
                select = self.g.value(o, SH.select)
                if select is None:
                    raise UnsupportedShapes(f"target {o} is not a SPARQL target")
                reads |= self.sparql_reads(str(select), o)
        return reads

    # --- shapes -----------------------------------------------------------------------------------------
    def shape_reads(self, shape: Node) -> frozenset[Read]:
        """Reads relative to the node the shape is evaluated on."""
        if shape in self.memo:
            return self.memo[shape]
        if shape in self.busy:
            raise UnsupportedShapes(f"shape {shape} refers to itself")
        self.busy.add(shape)
        path = self.g.value(shape, SH.path)
        reads = self._property_reads(shape, path) if path is not None else self._node_reads(shape)
        self.busy.discard(shape)
        self.memo[shape] = frozenset(reads)
        return self.memo[shape]

    def _node_reads(self, shape: Node) -> set[Read]:
        reads: set[Read] = set()
        for p, o in self.g.predicate_objects(shape):
            if p == SH.closed:
                reads.add((ANY,))
            elif p == SH.sparql:
                reads |= self.sparql_reads(str(self._required(o, SH.select)), o)
            else:
                reads |= self._value_reads(p, o, shape)
        return reads

    def _property_reads(self, shape: Node, path: Node) -> set[Read]:
        at_values: set[Read] = set()
        reads: set[Read] = set()
        for p, o in self.g.predicate_objects(shape):
            if p in _PAIRS:
                reads.add((Step(self._iri(o)),))
            elif p == SH.sparql:
                raise UnsupportedShapes(f"SPARQL constraint on property shape {shape}")
            else:
                at_values |= self._value_reads(p, o, shape)
        for steps in self.path_variants(path):
            reads.add(steps)
            reads |= {steps + r for r in at_values}
        return {r for r in reads if r}

    def _value_reads(self, p: Node, o: Node, shape: Node) -> set[Read]:
        """Reads of one constraint parameter, relative to the value node it checks."""
        if p == SH["class"]:
            return {(TYPE,)}
        if p in (SH.node, SH["not"], SH.qualifiedValueShape, SH.property):
            return set(self.shape_reads(o))
        if p in _LOGICAL:
            return {r for member in Collection(self.g, o) for r in self.shape_reads(member)}
        if p == SH.qualifiedValueShapesDisjoint:
            raise UnsupportedShapes(f"sh:qualifiedValueShapesDisjoint on {shape}")
        if p in _VALUE_ONLY or p in _DESCRIPTIVE or p in _TARGETS or p == RDF.type:
            return set()
        if isinstance(p, URIRef) and p.startswith(str(SH)):
            raise UnsupportedShapes(f"{p.n3()} on {shape}")
        return set()  # rdfs:label, rdfs:comment and other annotations

    # --- paths ------------------------------------------------------------------------------------------
    def path_variants(self, path: Node) -> list[Read]:
        """A SHACL path as the list of step sequences it can take."""
        if isinstance(path, URIRef):
            return [(Step(path),)]
        inverse = self.g.value(path, SH.inversePath)
        if inverse is not None:
            return [(Step(self._iri(inverse), inverse=True),)]
        alternatives = self.g.value(path, SH.alternativePath)
        if alternatives is not None:
            return [v for member in Collection(self.g, alternatives) for v in self.path_variants(member)]
        optional = self.g.value(path, SH.zeroOrOnePath)
        if optional is not None:
            return [(), *self.path_variants(optional)]
        if (path, RDF.first, None) in self.g:
            variants: list[Read] = [()]
            for member in Collection(self.g, path):
                variants = [v + w for v in variants for w in self.path_variants(member)]
            return variants
        raise UnsupportedShapes(f"path {path} (only p, ^p, alternatives, sequences and p? are followed)")

    # --- SPARQL -----------------------------------------------------------------------------------------
    def sparql_reads(self, text: str, where: Node) -> set[Read]:
        """The triple patterns of a SPARQL target or constraint, as reads from `$this`."""
        try:
            query = prepareQuery(text, initNs=self._prefixes(where))
        except Exception as e:  # rdflib raises pyparsing and its own errors alike
            raise UnsupportedShapes(f"SPARQL of {where} does not parse: {e}") from e
        if any(n.name == "Builtin_NOW" for n in _comp_values(query.algebra)):
            self.uses_time = True
        patterns = list(_triple_patterns(query.algebra))
        known: dict[Node, Read] = {Variable("this"): ()}
        reads: set[Read] = set()
        remaining = patterns
        while True:
            left = []
            for s, p, o in remaining:
                if s in known:
                    step = ANY if isinstance(p, Variable) else Step(self._iri(p))
                    reads.add(known[s] + (step,))
                    if isinstance(o, Variable) and o not in known:
                        known[o] = known[s] + (step,)
                elif o in known:
                    if isinstance(p, Variable):
                        raise UnsupportedShapes(f"SPARQL of {where} reads any predicate into a node")
                    step = Step(self._iri(p), inverse=True)
                    reads.add(known[o] + (step,))
                    if isinstance(s, Variable) and s not in known:
                        known[s] = known[o] + (step,)
                else:
                    left.append((s, p, o))
            if len(left) == len(remaining):
                break
            remaining = left
        if remaining:
            raise UnsupportedShapes(f"SPARQL of {where} has patterns not connected to $this: {remaining}")
        return reads

    def _prefixes(self, where: Node) -> dict[str, str]:
        out: dict[str, str] = {}
        for holder in self.g.objects(where, SH.prefixes):
            for decl in self.g.objects(holder, SH.declare):
                prefix, namespace = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is not None and namespace is not None:
                    out[str(prefix)] = str(namespace)
        return out

    # --- helpers ----------------------------------------------------------------------------------------
    @staticmethod
    def _iri(node: Node) -> URIRef:
        if not isinstance(node, URIRef):
            raise UnsupportedShapes(f"expected a predicate IRI, got {node!r}")
        return node

    def _required(self, node: Node, p: URIRef) -> Node:
        value = self.g.value(node, p)
        if value is None:
            raise UnsupportedShapes(f"{node} has no {p.n3()}")
        return value


def _comp_values(node: object) -> Iterator[CompValue]:
    """Every node of a query's algebra, expressions (FILTER NOT EXISTS { ... }) included."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _comp_values(value)
    elif isinstance(node, list | tuple) and not _is_triple(node):
        for value in node:
            yield from _comp_values(value)


def _triple_patterns(algebra: object) -> Iterator[tuple[Node, Node, Node]]:
    for node in _comp_values(algebra):
        if node.name in ("ServiceGraphPattern", "Service"):
            raise UnsupportedShapes("SERVICE in a SPARQL constraint")
        for chunk in dict.get(node, "triples", ()):  # CompValue.get resolves variables: not wanted here
            flat = list(chunk)  # a BGP holds (s, p, o) tuples; a TriplesBlock flat lists of s p o s p o ...
            for i in range(0, len(flat), 3):
                s, p, o = flat[i:i + 3]
                if not isinstance(p, URIRef | Variable):
                    raise UnsupportedShapes(f"property path {p} in a SPARQL constraint")
                yield s, p, o


def _is_triple(node: list | tuple) -> bool:
    return len(node) == 3 and all(isinstance(t, Node) for t in node)
