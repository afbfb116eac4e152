"""Look-ups in the store as it would be after a load, without building it: the stored named graphs, minus the
graphs the load replaces and the metadata graph, plus the new graphs (in memory).

Every look-up is by node (and predicate), so it costs what it returns, not what the store holds. The SPARQL is
in queries/validation/; the nodes are bound as RDF terms in a VALUES block written by pyoxigraph (blank nodes,
which VALUES cannot hold, are bound one at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.term import Node

from graph.named_queries import QUERIES_DIR, NamedQuery, parse_query_file
from graph.shape_reads import Step
from graph.store import Store
from graph.terms import to_ox

VALIDATION_QUERIES = QUERIES_DIR / "validation"
BATCH = 400  # rows per VALUES block: keeps each query text a few tens of kilobytes

Triple = tuple[Node, Node, Node]


def validation_query(name: str) -> NamedQuery:
    return parse_query_file(VALIDATION_QUERIES / f"{name}.rq")


def values_clause(variables: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """`VALUES (?a ?b) { (<x> <y>) ... }`, every term serialised by pyoxigraph (which validates it)."""
    body = " ".join("(" + " ".join(str(to_ox(t)) for t in row) + ")" for row in rows)
    return "VALUES (" + " ".join("?" + v for v in variables) + ") { " + body + " }"


@dataclass
class CandidateView:
    store: Store
    replaced: frozenset[URIRef]  # graphs whose stored content the load replaces
    meta_graph: URIRef
    new: Graph | ReadOnlyGraphAggregate  # the new content of the replaced graphs, seen as one graph
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store, new: Mapping[URIRef, Graph], meta_graph: URIRef) -> CandidateView:
        graphs = list(new.values())
        # a view, not a merged copy: copying a reloaded graph of 100k triples would take seconds
        merged = ReadOnlyGraphAggregate(graphs) if len(graphs) > 1 else graphs[0] if graphs else Graph()
        return cls(store, frozenset(new), meta_graph, merged,
                   {name: validation_query(name) for name in ("triples-from", "triples-to")})

    @cached_property
    def _hidden(self) -> frozenset[URIRef]:
        return self.replaced | {self.meta_graph}

    # --- the candidate ------------------------------------------------------------------------------------
    def follow(self, nodes: set[Node], steps: set[Step]) -> dict[Step, set[Triple]]:
        """The candidate's triples along each step from the nodes."""
        out: dict[Step, set[Triple]] = {step: set() for step in steps}
        forward = {s for s in steps if not s.inverse}
        subjects = [n for n in nodes if not isinstance(n, Literal)]
        if Step(None) in forward:
            everything = self._stored_from(subjects, None, old=False) | self._new_from(subjects, None)
            for t in everything:
                for step in forward:
                    if step.predicate is None or step.predicate == t[1]:
                        out[step].add(t)
        else:
            for step in forward:
                out[step] = self._stored_from(subjects, step.predicate, old=False) | \
                    self._new_from(subjects, step.predicate)
        for step in steps - forward:
            assert step.predicate is not None
            out[step] = self._stored_to(nodes, step.predicate, old=False) | self._new_to(nodes, step.predicate)
        return out

    def schema(self, predicate: URIRef) -> set[Triple]:
        """Every candidate triple with this predicate (for rdfs:subClassOf: as many as the ontologies hold)."""
        rows = self._select("triples-from", ("p",), [(predicate,)])
        stored = {(r["node"], r["p"], r["o"]) for r in rows if r["g"] not in self._hidden}
        return stored | set(self.new.triples((None, predicate, None)))

    # --- before and after together (to find what a change can affect) -------------------------------------
    def predecessors(self, nodes: set[Node], step: Step) -> set[Node]:
        """Nodes from which `step` leads to one of `nodes`, in the store as it is or as it would be."""
        assert step.predicate is not None
        if step.inverse:
            subjects = [n for n in nodes if not isinstance(n, Literal)]
            found = self._stored_from(subjects, step.predicate, old=True) | self._new_from(subjects, step.predicate)
            return {o for _s, _p, o in found}
        found = self._stored_to(nodes, step.predicate, old=True) | self._new_to(nodes, step.predicate)
        return {s for s, _p, _o in found}

    # --- store and new graphs -----------------------------------------------------------------------------
    def _keep(self, graph: Node, old: bool) -> bool:
        return graph != self.meta_graph if old else graph not in self._hidden

    def _stored_from(self, nodes: Sequence[Node], predicate: URIRef | None, old: bool) -> set[Triple]:
        if not nodes:
            return set()
        if predicate is None:
            rows = self._select("triples-from", ("node",), [(n,) for n in nodes])
        else:
            rows = self._select("triples-from", ("node", "p"), [(n, predicate) for n in nodes])
        return {(r["node"], r["p"], r["o"]) for r in rows if self._keep(r["g"], old)}

    def _stored_to(self, nodes: Iterable[Node], predicate: URIRef, old: bool) -> set[Triple]:
        rows = self._select("triples-to", ("node", "p"), [(n, predicate) for n in nodes])
        return {(r["s"], r["p"], r["node"]) for r in rows if self._keep(r["g"], old)}

    def _new_from(self, nodes: Iterable[Node], predicate: URIRef | None) -> set[Triple]:
        return {t for n in nodes for t in self.new.triples((n, predicate, None))}  # type: ignore[arg-type]

    def _new_to(self, nodes: Iterable[Node], predicate: URIRef) -> set[Triple]:
        return {t for n in nodes for t in self.new.triples((None, predicate, n))}

    def _select(self, name: str, variables: Sequence[str], rows: Sequence[Sequence[Node]]) -> Iterator[dict]:
        return select_batched(self.store, self.queries[name].text, variables, rows)


def select_batched(store: Store, text: str, variables: Sequence[str], rows: Sequence[Sequence[Node]],
                   batch: int = BATCH) -> Iterator[dict]:
    """Run a query for many bindings: VALUES blocks in batches; rows with a blank node one by one (VALUES cannot
    hold blank nodes; a bound variable can)."""
    plain = [r for r in rows if not any(isinstance(t, BNode) for t in r)]
    for i in range(0, len(plain), batch):
        yield from store.select(text + "\n" + values_clause(variables, plain[i:i + batch]))
    for row in rows:
        if any(isinstance(t, BNode) for t in row):
            yield from store.select(text, dict(zip(variables, row, strict=True)))
