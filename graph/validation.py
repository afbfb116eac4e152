"""SHACL validation with pyshacl: the shapes in shapes/, the ontology mixed in for class targets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.shape_reads import ShapeReads, analyse
from ontology import KOS_PATH, ONTOLOGY_PATH
from shapes import SHAPES_PATH

if TYPE_CHECKING:
    from graph.shacl_sparql import CompiledShapes

SEVERITY_NAMES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_SV = {"Violation": "Fel", "Warning": "Varning", "Info": "Information"}


@dataclass
class Finding:
    severity: str  # Violation | Warning | Info
    focus: Node
    path: Node | None
    value: Node | None
    messages: dict[str, str]  # language → message
    shape: Node | None
    sources: list[str] = field(default_factory=list)  # the source files the focus node came from
    path_text: str | None = None  # the path in SPARQL property-path syntax (blank-node paths spelled out)
    # A nested result (sh:detail, e.g. why an sh:node value failed) belongs to the focus node of the top-level
    # result it explains: its own focus is the value node.
    parent_focus: Node | None = None

    @property
    def top_focus(self) -> Node:
        """The focus node of the top-level result: the node whose validation produced this finding."""
        return self.focus if self.parent_focus is None else self.parent_focus

    def message(self, lang: str = "sv") -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


@dataclass
class Report:
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations


class Validator:
    """Holds the parsed shapes and ontology; one per process, created by whoever needs it."""

    @cached_property
    def shapes(self) -> Graph:
        return Graph().parse(SHAPES_PATH, format="turtle")

    @cached_property
    def ontology(self) -> Graph:
        g = Graph()
        g.parse(ONTOLOGY_PATH, format="turtle")
        g.parse(KOS_PATH, format="turtle")
        return g

    @cached_property
    def compiled(self) -> CompiledShapes | None:
        """The shapes compiled to SPARQL for Oxigraph (graph.shacl_sparql, tested to give pyshacl's findings),
        or None when they use something the compiler does not handle: pyshacl then validates everything."""
        from graph.shacl_sparql import UnsupportedShapes, compile_shapes  # it imports Finding and Report from here

        try:
            return compile_shapes(self.shapes)
        except UnsupportedShapes:
            return None

    @cached_property
    def reads(self) -> ShapeReads:
        """What the shapes read, for incremental validation (raises UnsupportedShapes if not worked out)."""
        return analyse(self.shapes)

    def validate(self, data: Graph) -> Report:
        """Validate `data` in place: pass a graph you own. The ontology and the controlled lists are added
        to it in full — pyshacl's own ont_graph mixing copies only the class hierarchy, and the SKOS
        concepts are data that shapes check references against."""
        data += self.ontology
        _conforms, results, _text = validate(
            data,
            shacl_graph=self.shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=True,
        )
        assert isinstance(results, Graph)
        return Report(findings=_findings(results, self.shapes))


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _tagged_messages(shapes: Graph, results: Graph, result: Node) -> dict[str, str]:
    """The sv/en messages of the constraint or shape behind a result, placeholders filled in. pyshacl
    0.40 rebuilds the messages of SPARQL constraints without their language tags; the originals are here."""
    focus, value = results.value(result, SH.focusNode), results.value(result, SH.value)
    fill = {"this": focus, "value": value}
    for source in (results.value(result, SH.sourceConstraint), results.value(result, SH.sourceShape)):
        if source is None:
            continue
        tagged = {m.language: str(m) for m in shapes.objects(source, SH.message)
                  if isinstance(m, Literal) and m.language}
        if tagged:
            return {lang: fill_placeholders(text, fill) for lang, text in tagged.items()}
    return {}


def fill_placeholders(text: str, fill: dict[str, Node | None]) -> str:
    """`{?name}` / `{$name}` replaced by the term's text, as pyshacl fills SPARQL result messages."""
    return _PLACEHOLDER.sub(lambda m: _term_text(fill.get(m.group(1)), m.group(0)), text)


def _term_text(term: Node | None, default: str) -> str:
    return default if term is None else str(term)


def _findings(results: Graph, shapes: Graph) -> list[Finding]:
    findings = []
    # a blank-node path's structure is in one or the other; a read-only view, since copying the shapes costs
    # more than a small validation
    paths = ReadOnlyGraphAggregate([results, shapes])
    parent = {detail: result for result, detail in results.subject_objects(SH.detail)}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        top = result
        while top in parent:
            top = parent[top]
        messages: dict[str, str] = {}
        for m in results.objects(result, SH.resultMessage):
            if isinstance(m, Literal):
                messages.setdefault(m.language or "", str(m))
        if "" in messages and not ("sv" in messages and "en" in messages):
            for lang, text in _tagged_messages(shapes, results, result).items():
                messages.setdefault(lang, text)
        if "" in messages:  # an untagged message serves whichever language is still missing
            untagged = messages.pop("")
            messages.setdefault("sv", untagged)
            messages.setdefault("en", untagged)
        severity = SEVERITY_NAMES.get(results.value(result, SH.resultSeverity), "Violation")  # type: ignore[arg-type]
        findings.append(
            Finding(
                severity=severity,
                focus=results.value(result, SH.focusNode),  # type: ignore[arg-type]
                path=results.value(result, SH.resultPath),
                path_text=path_text(results.value(result, SH.resultPath), paths),
                value=results.value(result, SH.value),
                messages=messages,
                shape=results.value(result, SH.sourceShape),
                parent_focus=results.value(top, SH.focusNode) if top != result else None,
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    findings.sort(key=lambda f: (order[f.severity], str(f.focus), str(f.path), str(f.value)))
    return findings


def path_text(path: Node | None, graph: Graph | ReadOnlyGraphAggregate) -> str | None:
    """A SHACL property path as SPARQL property-path text: <p>, ^<p>, (<a> | <b>), <a>/<b>."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return path.n3()
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (path_text(inverse, graph) or "?")
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_text(p, graph) or "?" for p in Collection(graph, alternatives)) + ")"
    for modifier, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, modifier)
        if inner is not None:
            return f"({path_text(inner, graph)}){suffix}"
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(p, graph) or "?" for p in Collection(graph, path))
    return None


def shape_label(shape: Node | None) -> str:
    return shape.n3() if isinstance(shape, URIRef) else "(anonym form)"
