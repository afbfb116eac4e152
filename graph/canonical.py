"""Literals in the form the store keeps them.

Oxigraph stores typed literals canonically ("52.0"^^xsd:decimal comes back as "52", "007"^^xsd:integer as
"7"), while a freshly parsed file keeps what was written. Two sources stating the same value would then look
like two values to validation (a maxCount Violation that is not there), and every reload would rewrite
literals that did not change. So new graphs are brought to the store's form before they are compared with it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from graph.terms import to_ox, to_rdflib

_SUBJECT = ox.NamedNode("urn:sparbar:canonical")
# Plain and language-tagged strings are kept as written; these are the datatypes Oxigraph stores by value.
_BY_VALUE = frozenset(XSD[t] for t in (
    "decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    "double", "float", "boolean", "dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth",
    "gMonthDay", "gDay", "duration", "dayTimeDuration", "yearMonthDuration"))


def canonical_forms(literals: Iterable[Literal]) -> dict[Literal, Literal]:
    """Each typed literal → the literal the store gives back for it (only those that differ)."""
    distinct = {lit for lit in literals if lit.datatype in _BY_VALUE}
    if not distinct:
        return {}
    scratch = ox.Store()
    originals: dict[int, Literal] = {}
    quads = []
    for i, lit in enumerate(distinct):
        predicate = ox.NamedNode(f"urn:sparbar:canonical:{i}")
        originals[i] = lit
        quads.append(ox.Quad(_SUBJECT, predicate, to_ox(lit), ox.DefaultGraph()))  # type: ignore[arg-type]
    scratch.extend(quads)
    out: dict[Literal, Literal] = {}
    for quad in scratch:
        original = originals[int(quad.predicate.value.rsplit(":", 1)[1])]
        stored = to_rdflib(quad.object)
        if isinstance(stored, Literal) and (str(stored) != str(original) or stored.datatype != original.datatype):
            out[original] = stored
    return out


def canonicalise(graphs: Iterable[Graph]) -> None:
    """Rewrite, in place, the typed literals of `graphs` that the store would keep in another form."""
    graphs = list(graphs)
    forms = canonical_forms(o for g in graphs for o in g.objects() if isinstance(o, Literal))
    if not forms:
        return
    for g in graphs:
        changed = [(s, p, o) for s, p, o in g.triples((None, None, None)) if o in forms]
        for s, p, o in changed:
            g.remove((s, p, o))
            g.add((s, p, forms[o]))  # type: ignore[index]
