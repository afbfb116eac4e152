"""What the store already holds, as far as a workbook may refer to it: typed resources, their keys (labels,
numbers, codes), the class hierarchy and the controlled lists, read with the named queries `workbook-*.rq` and
passed to the (pure) conversion.

A store of up to WHOLE_STORE_TRIPLES is read whole, once. In a larger one that costs seconds per million triples
whatever the workbook holds, so only the class hierarchy and the controlled lists are read up front; types and
keys are fetched for the IRIs and texts the workbook mints or refers to, which the conversion announces
(`StoreLookup.prefetch`) before it resolves anything. Every conversion test runs each way (whole; scoped with
the texts in VALUES batches; scoped with one pass over all keys), in tests/test_workbook_convert.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Literal, URIRef

from graph.candidate_view import select_batched
from graph.named_queries import NamedQuery, load_named_queries
from graph.store import Store
from loaders.workbook.values import normalise_key

WHOLE_STORE_TRIPLES = 200_000
KEY_BATCH = 2_000  # texts per look-up by VALUES; more texts than this are looked up in one pass over all keys


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    label_sv: str
    label_en: str
    order: float
    deprecated: bool


@dataclass
class ConceptScheme:
    iri: URIRef
    label_sv: str
    label_en: str
    by_key: dict[str, set[URIRef]] = field(default_factory=dict)
    concepts: dict[URIRef, Concept] = field(default_factory=dict)

    def choices(self, lang: str = "sv") -> str:
        """The usable concepts' labels, in the list's order, for messages."""
        usable = sorted((c for c in self.concepts.values() if not c.deprecated),
                        key=lambda c: (c.order, c.label_sv))
        return ", ".join(c.label_en if lang == "en" and c.label_en else c.label_sv for c in usable)


@dataclass
class StoreLookup:
    types: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # resource → its rdf:types
    graphs: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # resource → graphs stating its type
    keys: dict[str, set[URIRef]] = field(default_factory=dict)  # normalised label/number/code → resources
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # class → its superclasses
    class_labels: dict[URIRef, tuple[str, str]] = field(default_factory=dict)  # class → (sv, en)
    schemes: dict[URIRef, ConceptScheme] = field(default_factory=dict)
    source: LookupSource | None = None  # fetches types and keys on demand (a large store); None: all read
    _with_superclasses: dict[frozenset[URIRef], set[URIRef]] = field(default_factory=dict, repr=False)

    @property
    def fetches_on_demand(self) -> bool:
        return self.source is not None

    def prefetch(self, iris: Iterable[URIRef], keys: Iterable[str]) -> None:
        """Make sure the types of `iris` and the resources named by the normalised `keys` are known."""
        if self.source is not None:
            self.source.fetch(self, set(iris), set(keys))

    def with_superclasses(self, classes: set[URIRef]) -> set[URIRef]:
        key = frozenset(classes)  # a workbook's references name resources of a handful of classes
        found = self._with_superclasses.get(key)
        if found is None:
            found = self._with_superclasses[key] = set(classes).union(
                *(self.superclasses.get(c, set()) for c in classes))
        return found

    def class_label(self, cls: URIRef, lang: str = "sv") -> str:
        sv, en = self.class_labels.get(cls, ("", ""))
        label = en if lang == "en" else sv
        return label or cls.split("#")[-1].split("/")[-1]


class LookupSource(Protocol):
    def fetch(self, lookup: StoreLookup, iris: set[URIRef], keys: set[str]) -> None: ...


def read_lookup(store: Store, own_graph: URIRef, schemes: Iterable[URIRef] = (),
                scoped: bool | None = None) -> StoreLookup:
    """Everything but the workbook's own graph (a re-import replaces it); the concepts of `schemes` only.
    `scoped` (default: by the store's size) fetches types and keys only for what the workbook uses."""
    queries = load_named_queries()
    own = {"own": own_graph}
    lookup = StoreLookup()
    if scoped is None:
        scoped = store.triple_count() > WHOLE_STORE_TRIPLES
    if scoped:
        lookup.source = _ScopedSource(store, own_graph, queries)
    else:
        for row in store.select(queries["workbook-resources"].text, own):
            _add_type(lookup, row)
        for row in store.select(queries["workbook-keys"].text, own):
            lookup.keys.setdefault(normalise_key(str(row["key"])), set()).add(URIRef(row["resource"]))
    for row in store.select(queries["workbook-classes"].text):
        cls = URIRef(row["class"])
        if "super" in row:
            lookup.superclasses.setdefault(cls, set()).add(URIRef(row["super"]))
        if "labelSv" in row or "labelEn" in row:
            lookup.class_labels[cls] = (str(row.get("labelSv", "")), str(row.get("labelEn", "")))
    for scheme_iri in schemes:
        _read_scheme(store, queries["workbook-concepts"].text, scheme_iri, lookup)
    return lookup


def _add_type(lookup: StoreLookup, row: dict) -> None:
    resource = URIRef(row["resource"])
    lookup.types.setdefault(resource, set()).add(URIRef(row["type"]))
    lookup.graphs.setdefault(resource, set()).add(URIRef(row["graph"]))


class _ScopedSource:
    """Types and keys of a large store, fetched in batches for what a workbook uses, each once."""

    def __init__(self, store: Store, own_graph: URIRef, queries: dict[str, NamedQuery]):
        self.store, self.own = store, own_graph
        self.types_query = queries["workbook-resources-of"].text
        self.keys_query = queries["workbook-keys-for"].text
        self.all_keys_query = queries["workbook-keys"].text
        self.key_batch = KEY_BATCH
        self.seen_iris: set[URIRef] = set()
        self.seen_keys: set[str] = set()

    def fetch(self, lookup: StoreLookup, iris: set[URIRef], keys: set[str]) -> None:
        keys = keys - self.seen_keys
        self.seen_keys |= keys
        named: set[URIRef] = set()  # the resources the texts name: their types decide if they fit the column
        if not keys:
            found: list[tuple[URIRef, str]] = []
        elif len(keys) > self.key_batch:
            # Oxigraph evaluates the key pattern again for each text in VALUES (the normalised key is computed,
            # not indexed): past a batch, one pass over every key of the store costs less
            rows = ((URIRef(r["resource"]), normalise_key(str(r["key"])))
                    for r in self.store.select(self.all_keys_query, {"own": self.own}))
            found = [(resource, key) for resource, key in rows if key in keys]
        else:
            found = [(URIRef(r["resource"]), normalise_key(str(r["key"])))  # the query compares lower case;
                     for r in select_batched(self.store, self.keys_query, ("wanted",),  # this is the exact rule
                                             [(Literal(k),) for k in sorted(keys)], batch=self.key_batch)
                     if r["graph"] != self.own and isinstance(r["resource"], URIRef)]
        for resource, key in found:
            if key in keys:
                lookup.keys.setdefault(key, set()).add(resource)
                named.add(resource)
        iris = (iris | named) - self.seen_iris
        self.seen_iris |= iris
        for row in select_batched(self.store, self.types_query, ("resource",), [(i,) for i in sorted(iris)]):
            if row["graph"] != self.own and isinstance(row["type"], URIRef):
                _add_type(lookup, row)


def _read_scheme(store: Store, query: str, scheme_iri: URIRef, lookup: StoreLookup) -> None:
    for row in store.select(query, {"scheme": scheme_iri}):
        scheme = lookup.schemes.get(scheme_iri)
        if scheme is None:
            scheme = lookup.schemes[scheme_iri] = ConceptScheme(
                scheme_iri, str(row.get("schemeSv", "")), str(row.get("schemeEn", "")))
        concept = URIRef(row["concept"])
        scheme.by_key.setdefault(normalise_key(str(row["key"])), set()).add(concept)
        order = row.get("order")
        scheme.concepts[concept] = Concept(
            concept, str(row.get("labelSv", "")), str(row.get("labelEn", "")),
            float(str(order)) if order is not None else float("inf"),
            str(row.get("deprecated", "false")) == "true",
        )
