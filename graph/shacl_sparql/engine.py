"""CompiledShapes: the compiled SELECTs, run by Oxigraph, their rows turned into the Findings pyshacl's
report would give (graph/validation.py)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from graph.shacl_sparql.compiler import FOCUS, Check, Compiler, ResultQuery, result_queries, target_pattern
from graph.shacl_sparql.model import Shape, ShapeReader, UnsupportedShapes
from graph.terms import to_ox, to_rdflib
from graph.validation import SEVERITY_NAMES, Finding, Report, fill_placeholders

_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
QUERY_THREADS = 4


@dataclass(frozen=True)
class _Query:
    result: ResultQuery
    head: str  # PREFIX lines
    target: str

    def text(self, values: str) -> str:
        r = self.result
        projected = dict.fromkeys(v for v in (FOCUS, r.focus, r.check.value, *r.check.extra) if v)
        return (f"{self.head}SELECT DISTINCT {' '.join(projected)} WHERE {{\n{values}{self.target}\n"
                f"{r.where}\n}}")


class CompiledShapes:
    def __init__(self, queries: list[_Query]) -> None:
        self.queries = queries

    def __len__(self) -> int:
        return len(self.queries)

    def validate(self, store: ox.Store, focus: Iterable[Node] | None = None) -> Report:
        """Run every query against `store` (named graphs included), restricted to the top-level focus nodes
        in `focus` when given."""
        values = ""
        if focus is not None:
            terms = " ".join(sorted({str(to_ox(n)) for n in focus}))  # each term written by pyoxigraph
            if not terms:
                return Report(findings=[])
            values = f"VALUES {FOCUS} {{ {terms} }}\n"

        def run(query: _Query) -> list[Finding]:
            rows = store.query(query.text(values), use_default_graph_as_union=True)
            assert isinstance(rows, ox.QuerySolutions)
            return [_finding(query.result, row) for row in rows]

        # Oxigraph evaluates a query without the GIL: the queries share the machine's cores
        with ThreadPoolExecutor(max_workers=min(QUERY_THREADS, os.cpu_count() or 1)) as pool:
            findings = [f for found in pool.map(run, self.queries) for f in found]
        findings.sort(key=lambda f: (_ORDER[f.severity], str(f.focus), str(f.path), str(f.value)))
        return Report(findings=findings)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile every targeted shape; raises UnsupportedShapes for anything outside the handled subset."""
    reader = ShapeReader(shapes)
    compiler = Compiler(reader)
    queries = []
    for shape in reader.targeted():
        target, target_prefixes = target_pattern(shape, compiler.vars)
        for result in result_queries(compiler, shape):
            _check_messages(result.check)
            head = _prefix_lines(shape, (*target_prefixes, *result.prefixes))
            queries.append(_Query(result, head, target))
    return CompiledShapes(queries)


def _prefix_lines(shape: Shape, prefixes: Iterable[tuple[str, str]]) -> str:
    declared: dict[str, str] = {}
    for prefix, namespace in prefixes:
        if declared.setdefault(prefix, namespace) != namespace:
            raise UnsupportedShapes(f"{shape}: prefixet {prefix} betyder olika saker i målet och villkoret")
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))


def _tagged(messages: Iterable[Literal]) -> dict[str, str]:
    return {m.language: str(m) for m in messages if m.language}


def _check_messages(check: Check) -> None:
    """Refuse what would make pyshacl's messages depend on the order of its report graph."""
    shape = check.shape
    if check.source_constraint is not None:
        constraint = next(q for q in shape.sparql if q.node == check.source_constraint)
        source = _tagged(constraint.messages) or _tagged(shape.messages)
        if not {"sv", "en"} <= source.keys():
            raise UnsupportedShapes(f"{constraint.node.n3()}: SPARQL-villkoret behöver meddelanden på sv och en")
        return
    if not shape.messages:
        raise UnsupportedShapes(f"{shape}: saknar sh:message (pyshacls egna engelska text återges inte)")
    languages = [m.language or "" for m in shape.messages]
    if len(languages) != len(set(languages)):
        raise UnsupportedShapes(f"{shape}: flera sh:message på samma språk")


def _messages(check: Check, focus: Node, value: Node | None) -> dict[str, str]:
    """The messages graph/validation.py `_findings` makes of pyshacl's result."""
    shape = check.shape
    if check.source_constraint is not None:  # pyshacl drops the tags; validation.py restores them, filled in
        constraint = next(q for q in shape.sparql if q.node == check.source_constraint)
        tagged = _tagged(constraint.messages) or _tagged(shape.messages)
        return {lang: fill_placeholders(text, {"this": focus, "value": value}) for lang, text in tagged.items()}
    messages = _tagged(shape.messages)
    untagged = [str(m) for m in shape.messages if not m.language]
    if untagged:
        messages.setdefault("sv", untagged[0])
        messages.setdefault("en", untagged[0])
    return messages


def _finding(result: ResultQuery, row: ox.QuerySolution) -> Finding:
    check = result.check
    focus = to_rdflib(row[result.focus[1:]])  # type: ignore[arg-type]
    raw_value = row[check.value[1:]] if check.value else None
    value = to_rdflib(raw_value) if raw_value is not None else None
    shape = check.shape
    is_sparql = check.source_constraint is not None
    return Finding(
        severity=SEVERITY_NAMES.get(shape.severity, "Violation"),
        focus=focus,
        path=None if is_sparql else shape.path,
        path_text=None if is_sparql else shape.path_text,
        value=value,
        messages=_messages(check, focus, value),
        shape=shape.node,
        parent_focus=to_rdflib(row[FOCUS[1:]]) if result.nested else None,  # type: ignore[arg-type]
    )

