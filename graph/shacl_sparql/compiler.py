"""Compiles shapes to SPARQL: one SELECT per (shape, constraint), each starting from the target pattern.

A constraint becomes a *check*: a group pattern that, with the focus variable bound, matches once per
result pyshacl would report (binding the value node where pyshacl reports one). The same checks, wrapped in
EXISTS, say whether a node fails a value shape (sh:node, sh:or, sh:qualifiedValueShape). Results of sh:node
carry the value shape's own results as nested findings, as pyshacl reports them under sh:detail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from graph.shacl_sparql.literals import compare_to_bound, datatype_ok, less_than_or_equal
from graph.shacl_sparql.model import Shape, ShapeReader, UnsupportedShapes

MAX_DEPTH = 8  # value shapes nested deeper than this are refused (pyshacl would recurse; we would not end)
FOCUS = "?this"
_INSTANCE_OF = f"{RDF.type.n3()}/{RDFS.subClassOf.n3()}*"
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


class Variables:
    """Fresh SPARQL variable names for one compilation."""

    def __init__(self) -> None:
        self.count = 0

    def new(self, hint: str = "v") -> str:
        self.count += 1
        return f"?{hint}{self.count}"


@dataclass(frozen=True)
class Check:
    shape: Shape  # the shape whose constraint this is: severity, messages and path of the result
    component: URIRef
    pattern: str  # matches once per result, focus variable bound
    value: str | None = None  # the variable reported as sh:value
    extra: tuple[str, ...] = ()  # variables that tell results apart that share focus and value
    source_constraint: Node | None = None  # the SPARQL constraint, for sh:sparql
    nested: tuple[Shape, str, str] | None = None  # sh:node: the value shape, its focus variable, how it is reached


@dataclass(frozen=True)
class ResultQuery:
    """One SELECT: `top` is the focus of the top-level result, `focus` this result's own focus node."""

    check: Check
    focus: str
    nested: bool  # the result is an sh:detail of a top-level sh:node result
    where: str  # the pattern after the target
    prefixes: tuple[tuple[str, str], ...]  # declared by the SPARQL constraint, if any


class Compiler:
    def __init__(self, reader: ShapeReader) -> None:
        self.reader = reader
        self.vars = Variables()

    # -- value shapes: does a node fail a shape? ---------------------------------------------------------

    def fails(self, shape: Shape, x: str, depth: int = 0) -> str:
        """A SPARQL expression: node `x` does not conform to `shape` (pyshacl, allow_warnings=True)."""
        if depth > MAX_DEPTH:
            raise UnsupportedShapes(f"{shape}: värdeformer i mer än {MAX_DEPTH} nivåer (rekursion?)")
        if shape.deactivated:
            return "false"
        if shape.severity != SH.Violation:
            # pyshacl counts a Warning/Info shape as conforming whatever it finds; results of a Violation
            # shape's Warning property shapes do not count either. Not modelled: refuse.
            raise UnsupportedShapes(f"{shape}: en form som används som värdeform måste ha sh:Violation")
        parts = [f"EXISTS {{ {c.pattern} }}" for c in self.checks(shape, x, depth)]
        parts += [self.fails(p, x, depth + 1) for p in shape.properties]
        return "(" + " || ".join(parts) + ")" if parts else "false"

    # -- the checks of one shape on a focus variable ------------------------------------------------------

    def checks(self, shape: Shape, f: str, depth: int = 0) -> list[Check]:
        if shape.deactivated:
            return []
        if shape.is_property:
            v = self.vars.new()
            reach = f"{f} {shape.path_sparql} {v} ."
        else:
            v, reach = f, ""
        out: list[Check] = []

        def per_value(component: URIRef, ok: str, nested: tuple[Shape, str, str] | None = None) -> None:
            out.append(Check(shape, component, f"{reach} FILTER(!({ok}))", v, nested=nested))

        for dt in shape.params.get(SH.datatype, []):
            if not isinstance(dt, URIRef):
                raise UnsupportedShapes(f"{shape}: sh:datatype måste vara en IRI")
            per_value(SH.DatatypeConstraintComponent, datatype_ok(v, dt))
        for cls in shape.params.get(SH["class"], []):
            per_value(SH.ClassConstraintComponent, f"EXISTS {{ {v} {_INSTANCE_OF} {cls.n3()} }}")
        for kind in shape.params.get(SH.nodeKind, []):
            if kind not in _NODE_KINDS:
                raise UnsupportedShapes(f"{shape}: okänd sh:nodeKind {kind.n3()}")
            per_value(SH.NodeKindConstraintComponent, _NODE_KINDS[kind].format(v=v))  # type: ignore[index]
        for head in shape.params.get(SH["in"], []):
            allowed = " || ".join(f"sameTerm({v}, {t.n3()})" for t in self.reader.items(head)) or "false"
            per_value(SH.InConstraintComponent, allowed)
        if shape.params.get(SH.pattern):
            pattern, flags = shape.one(SH.pattern), shape.one(SH.flags)
            args = ", ".join(Literal(str(a)).n3() for a in (pattern, flags) if a is not None)
            per_value(SH.PatternConstraintComponent, f"!isBlank({v}) && REGEX(STR({v}), {args})")
        for param, op, component in ((SH.minLength, ">=", SH.MinLengthConstraintComponent),
                                     (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            n = shape.one(param)
            if n is not None:
                per_value(component, f"!isBlank({v}) && STRLEN(STR({v})) {op} {_count(shape, n)}")
        for param, at_least, inclusive, component in (
            (SH.minInclusive, True, True, SH.MinInclusiveConstraintComponent),
            (SH.maxInclusive, False, True, SH.MaxInclusiveConstraintComponent),
        ):
            bound = shape.one(param)
            if bound is not None:
                if not isinstance(bound, Literal):
                    raise UnsupportedShapes(f"{shape}: {param.n3()} måste vara en literal")
                per_value(component, compare_to_bound(v, bound, at_least, inclusive))
        for head in shape.params.get(SH.languageIn, []):
            per_value(SH.LanguageInConstraintComponent, _language_in(v, self.reader.items(head)))
        for head in shape.params.get(SH["or"], []):
            members = self.reader.members(head)
            ok = " || ".join(f"!{self.fails(m, v, depth + 1)}" for m in members) or "false"
            per_value(SH.OrConstraintComponent, ok)
        for node in shape.params.get(SH.node, []):
            target = self.reader.shape(node)
            if target.is_property:
                raise UnsupportedShapes(f"{shape}: sh:node pekar på en egenskapsform")
            per_value(SH.NodeConstraintComponent, f"!{self.fails(target, v, depth + 1)}", (target, v, reach))
        out += self._counts(shape, f, depth)
        out += self._has_values(shape, f, v)
        out += self._pairs(shape, f, v, reach)
        out += self._unique_lang(shape, f)
        out += self._sparql(shape, f)
        return out

    def _counts(self, shape: Shape, f: str, depth: int) -> list[Check]:
        out = []
        low, high = shape.one(SH.minCount), shape.one(SH.maxCount)
        if (low is not None or high is not None) and not shape.is_property:
            raise UnsupportedShapes(f"{shape}: sh:minCount/sh:maxCount på en nodform")
        if low is not None and _count(shape, low) > 0:
            out.append(Check(shape, SH.MinCountConstraintComponent,
                             f"FILTER NOT EXISTS {{ {self._distinct_values(shape, f, _count(shape, low))} }}"))
        if high is not None:
            out.append(Check(shape, SH.MaxCountConstraintComponent,
                             f"FILTER EXISTS {{ {self._distinct_values(shape, f, _count(shape, high) + 1)} }}"))
        qualified = shape.params.get(SH.qualifiedValueShape, [])
        if qualified:
            if len(qualified) > 1 or not shape.is_property:
                raise UnsupportedShapes(f"{shape}: sh:qualifiedValueShape stöds bara en gång per egenskapsform")
            disjoint = shape.one(SH.qualifiedValueShapesDisjoint)
            if isinstance(disjoint, Literal) and disjoint.value is True:
                raise UnsupportedShapes(f"{shape}: sh:qualifiedValueShapesDisjoint stöds inte")
            value_shape = self.reader.shape(qualified[0])
            q_low, q_high = shape.one(SH.qualifiedMinCount), shape.one(SH.qualifiedMaxCount)
            if q_low is None and q_high is None:
                raise UnsupportedShapes(f"{shape}: sh:qualifiedValueShape utan sh:qualifiedMinCount/MaxCount")

            def conforms(x: str) -> str:
                return f"!{self.fails(value_shape, x, depth + 1)}"

            if q_low is not None and _count(shape, q_low) > 0:
                many = self._distinct_values(shape, f, _count(shape, q_low), conforms)
                out.append(Check(shape, SH.QualifiedMinCountConstraintComponent, f"FILTER NOT EXISTS {{ {many} }}"))
            if q_high is not None:
                many = self._distinct_values(shape, f, _count(shape, q_high) + 1, conforms)
                out.append(Check(shape, SH.QualifiedMaxCountConstraintComponent, f"FILTER EXISTS {{ {many} }}"))
        return out

    def _distinct_values(self, shape: Shape, f: str, n: int, condition: Callable[[str], str] | None = None) -> str:
        """A pattern matching when `f` has at least n distinct values (meeting `condition`) along the path."""
        names = [self.vars.new("c") for _ in range(n)]
        parts = [f"{f} {shape.path_sparql} {x} ." for x in names]
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1:]]
        if condition is not None:
            tests += [condition(x) for x in names]
        return " ".join(parts) + (f" FILTER({' && '.join(tests)})" if tests else "")

    def _has_values(self, shape: Shape, f: str, v: str) -> list[Check]:
        out = []
        for value in shape.params.get(SH.hasValue, []):
            pattern = (f"FILTER NOT EXISTS {{ {f} {shape.path_sparql} {value.n3()} }}" if shape.is_property
                       else f"FILTER(!sameTerm({f}, {value.n3()}))")
            out.append(Check(shape, SH.HasValueConstraintComponent, pattern))
        return out

    def _pairs(self, shape: Shape, f: str, v: str, reach: str) -> list[Check]:
        out = []
        for other in shape.params.get(SH.lessThanOrEquals, []):
            if not isinstance(other, URIRef):
                raise UnsupportedShapes(f"{shape}: sh:lessThanOrEquals måste vara en IRI")
            c = self.vars.new("cmp")
            pattern = f"{reach} {f} {other.n3()} {c} . FILTER(!({less_than_or_equal(v, c)}))"
            out.append(Check(shape, SH.LessThanOrEqualsConstraintComponent, pattern, v, extra=(c,)))
        return out

    def _unique_lang(self, shape: Shape, f: str) -> list[Check]:
        flag = shape.one(SH.uniqueLang)
        if not (isinstance(flag, Literal) and flag.value is True):
            return []
        if not shape.is_property:
            raise UnsupportedShapes(f"{shape}: sh:uniqueLang på en nodform")
        a, b, lang = self.vars.new("a"), self.vars.new("b"), self.vars.new("lang")
        pattern = (f"{f} {shape.path_sparql} {a} . {f} {shape.path_sparql} {b} . "
                   f'FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) && LANG({a}) != "" '
                   f"&& LCASE(LANG({a})) = LCASE(LANG({b}))) BIND(LCASE(LANG({a})) AS {lang})")
        return [Check(shape, SH.UniqueLangConstraintComponent, pattern, extra=(lang,))]

    def _sparql(self, shape: Shape, f: str) -> list[Check]:
        out = []
        for query in shape.sparql:
            if f != FOCUS:
                raise UnsupportedShapes(f"{shape}: sh:sparql i en värdeform stöds inte")
            for forbidden in ("$currentShape", "$shapesGraph", "$PATH", "?currentShape", "?shapesGraph"):
                if forbidden in query.select:
                    raise UnsupportedShapes(f"{query.node.n3()}: {forbidden} stöds inte")
            # pyshacl pre-binds $this per focus node; here the query is joined with the target instead
            out.append(Check(shape, SH.SPARQLConstraintComponent, f"{{ {query.select} }}", "?value",
                             source_constraint=query.node))
        return out


def _count(shape: Shape, n: Node) -> int:
    if not (isinstance(n, Literal) and isinstance(n.value, int) and not isinstance(n.value, bool)):
        raise UnsupportedShapes(f"{shape}: ett antal måste vara ett heltal, inte {n.n3()}")
    return n.value


def _language_in(v: str, languages: list[Node]) -> str:
    wanted = sorted({str(x).lower() for x in languages})
    if "*" in wanted:
        return f'isLiteral({v}) && LANG({v}) != ""'
    listed = ", ".join(Literal(x).n3() for x in wanted) or '""'
    return (f'isLiteral({v}) && LANG({v}) != "" && (LCASE(LANG({v})) IN ({listed}) '
            f'|| LCASE(STRBEFORE(CONCAT(LANG({v}), "-"), "-")) IN ({listed}))')


def target_pattern(shape: Shape, vars: Variables) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The focus nodes of a targeted shape, bound to ?this, and the prefixes its SPARQL targets declare."""
    parts = [f"{{ {FOCUS} {_INSTANCE_OF} {c.n3()} }}" for c in shape.target_classes]
    if shape.target_nodes:
        parts.append(f"{{ VALUES {FOCUS} {{ {' '.join(n.n3() for n in shape.target_nodes)} }} }}")
    parts += [f"{{ {FOCUS} {p.n3()} {vars.new('o')} }}" for p in shape.subjects_of]
    parts += [f"{{ {vars.new('s')} {p.n3()} {FOCUS} }}" for p in shape.objects_of]
    prefixes: list[tuple[str, str]] = []
    for query in shape.sparql_targets:
        parts.append(f"{{ SELECT DISTINCT {FOCUS} WHERE {{ {{ {query.select} }} }} }}")
        prefixes += query.prefixes
    return " UNION ".join(parts), tuple(prefixes)


def result_queries(compiler: Compiler, shape: Shape) -> list[ResultQuery]:
    """Every SELECT a targeted shape needs: its own constraints, its property shapes', nested sh:node details."""
    out: list[ResultQuery] = []

    def emit(s: Shape, reach: str, f: str, nested: bool, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise UnsupportedShapes(f"{s}: värdeformer i mer än {MAX_DEPTH} nivåer (rekursion?)")
        if s.deactivated:
            return
        for check in compiler.checks(s, f, depth):
            prefixes = next((q.prefixes for q in s.sparql if q.node == check.source_constraint), ())
            out.append(ResultQuery(check, f, nested, f"{reach}\n{check.pattern}", prefixes))
            if check.nested is not None:
                value_shape, value, how = check.nested
                emit(value_shape, f"{reach}\n{how}", value, True, depth + 1)
        for p in s.properties:
            emit(p, reach, f, nested, depth + 1)

    emit(shape, "", FOCUS, False, 0)
    return out
