"""What VoID and the DCAT catalogue say about the dataset, read from the store once per data version.

The IRIs of the dataset and its parts are minted under the region's base (they identify things and must not move
with a deployment); the addresses of services and files (SPARQL endpoint, dumps) are under the public URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from graph.dumps import Dump
from graph.named_queries import NamedQuery
from graph.settings import Region
from graph.store import Store

SDG_NAMESPACE = "http://metadata.un.org/sdg/"
SDG_DATASET = URIRef("http://metadata.un.org/sdg/void.ttl#SDG")  # the UN's own VoID names its dataset so


@dataclass(frozen=True)
class SourceGraph:
    iri: URIRef
    title_sv: str
    title_en: str
    source_path: str
    triples: int | None
    generated: Literal | None
    example: bool


@dataclass
class DatasetFacts:
    """Everything VoID and DCAT need, for one data version."""

    version: str
    region: Region
    public_url: str  # ends with "/"
    statistics: dict[str, int]
    entities: int
    classes: list[tuple[URIRef, int]]
    properties: list[tuple[URIRef, int]]
    sdg_links: list[tuple[URIRef, int]]
    examples: list[URIRef]
    graphs: list[SourceGraph]
    dumps: list[Dump] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.region.base_iri

    @property
    def dataset(self) -> URIRef:
        return URIRef(self.base + ".well-known/void#sparbar")

    @property
    def sparql_endpoint(self) -> URIRef:
        return URIRef(self.public_url + "sparql")

    def dump_url(self, dump: Dump) -> URIRef:
        return URIRef(self.public_url + "dumps/" + dump.name)

    @property
    def modified(self) -> Literal | None:
        stamps = [g.generated for g in self.graphs if g.generated is not None]
        return max(stamps, key=str) if stamps else None


def _int(term: Identifier | None) -> int:
    return int(str(term)) if term is not None else 0


def read_facts(store: Store, queries: Mapping[str, NamedQuery], region: Region, version: str,
               public_url: str) -> DatasetFacts:
    base = Literal(region.base_iri)
    stats_rows = store.select(queries["void-statistics"].text).rows
    stats = {k: _int(v) for k, v in (stats_rows[0] if stats_rows else {}).items()}
    entity_rows = store.select(queries["void-entities"].text, {"base": base}).rows
    classes = [(URIRef(str(r["class"])), _int(r.get("entities")))
               for r in store.select(queries["void-class-partitions"].text).rows]
    properties = [(URIRef(str(r["property"])), _int(r.get("triples")))
                  for r in store.select(queries["void-property-partitions"].text).rows]
    links = [(URIRef(str(r["property"])), _int(r.get("triples")))
             for r in store.select(queries["void-linksets"].text,
                                   {"base": base, "target": Literal(SDG_NAMESPACE)}).rows]
    examples = [URIRef(str(r["example"])) for r in
                store.select(queries["void-example-resources"].text, {"base": base}).rows if "example" in r]
    graphs = []
    for r in store.select(queries["source-graphs"].text, {"meta": URIRef(region.meta_graph_iri)}).rows:
        generated = r.get("generated")
        graphs.append(SourceGraph(
            iri=URIRef(str(r["graph"])),
            title_sv=str(r.get("titleSv", r.get("sourcePath", r["graph"]))),
            title_en=str(r.get("titleEn", r.get("sourcePath", r["graph"]))),
            source_path=str(r.get("sourcePath", "")),
            triples=_int(r["triples"]) if "triples" in r else None,
            generated=generated if isinstance(generated, Literal) else None,
            example=str(r.get("hasExamples", "false")).lower() in ("true", "1"),
        ))
    return DatasetFacts(
        version=version, region=region, public_url=public_url, statistics=stats,
        entities=_int(entity_rows[0].get("entities")) if entity_rows else 0,
        classes=classes, properties=properties, sdg_links=links, examples=examples, graphs=graphs,
    )
