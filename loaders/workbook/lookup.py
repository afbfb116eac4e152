"""What the store already holds, as far as a workbook may refer to it: typed resources, their keys (labels,
numbers, codes), the class hierarchy and the controlled lists. Read once per import with the named queries
`workbook-*.rq`, then passed to the (pure) conversion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from graph.named_queries import load_named_queries
from graph.store import Store
from loaders.workbook.values import normalise_key


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

    def with_superclasses(self, classes: set[URIRef]) -> set[URIRef]:
        out = set(classes)
        for c in classes:
            out |= self.superclasses.get(c, set())
        return out

    def class_label(self, cls: URIRef, lang: str = "sv") -> str:
        sv, en = self.class_labels.get(cls, ("", ""))
        label = en if lang == "en" else sv
        return label or cls.split("#")[-1].split("/")[-1]


def read_lookup(store: Store, own_graph: URIRef, schemes: Iterable[URIRef] = ()) -> StoreLookup:
    """Everything but the workbook's own graph (a re-import replaces it); the concepts of `schemes` only."""
    queries = load_named_queries()
    own = {"own": own_graph}
    lookup = StoreLookup()
    for row in store.select(queries["workbook-resources"].text, own):
        resource, rdf_type = URIRef(row["resource"]), URIRef(row["type"])
        lookup.types.setdefault(resource, set()).add(rdf_type)
        lookup.graphs.setdefault(resource, set()).add(URIRef(row["graph"]))
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
