"""The shared observation builder: the values a source gave → one graph with the dataset (and its provenance),
its observations (RDF Data Cube, structure sb:indicatorStructure) and the indicators the fetch had to mint.

Observation IRIs are made from what identifies a value — source key, series, area code, year, sex, breakdown —
so a re-fetch rewrites the same resources instead of adding new ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SKOS, XSD
from slugify import slugify

from loaders.indicators.areas import Area
from loaders.indicators.errors import IndicatorSourceError

SB = Namespace("https://w3id.org/sparbar/def#")
SDMX_CODE = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
SEX = {"T": SDMX_CODE["sex-T"], "F": SDMX_CODE["sex-F"], "M": SDMX_CODE["sex-M"]}
SEX_LABEL_SV = {"T": "", "F": "kvinnor", "M": "män"}


def slug(*parts: str) -> str:
    """Lower-case ASCII, å/ä→a, ö→o, anything else → '-' (the slug rule of docs/design.md)."""
    return slugify("-".join(p for p in parts if p))


@dataclass(frozen=True)
class NewIndicator:
    """An indicator the store does not have yet; it is written into the fetch's own graph."""

    iri: URIRef
    label_sv: str
    source: str | None  # IRI of where its definition was read
    label_en: str | None = None
    unit: str | None = None
    kolada_id: str | None = None
    definition_sv: str | None = None
    close_matches: tuple[URIRef, ...] = ()  # e.g. the UN SDG indicator an Open SDG series reports on


@dataclass(frozen=True)
class Value:
    indicator: URIRef
    area: Area
    year: int
    value: Decimal
    source: str  # the URL (or file IRI) the value came from; becomes dcterms:source when it is an IRI
    where: str  # for messages: URL, or file:line
    sex: str = "T"  # T (total), F, M
    breakdown: str | None = None  # "Ålder=20-64 år; …"
    unit: str | None = None
    series: str = ""  # distinguishes several measures of one source key (e.g. an SCB ContentsCode)


@dataclass
class Dataset:
    key: str  # slug: kolada-n00914, scb-tab638, opensdg-8-5-2 — names the graph, the dataset and observations
    title_sv: str
    title_en: str
    sources: tuple[str, ...]  # IRIs: API URLs, or the published address of an imported file
    retrieved: datetime
    indicator_labels: dict[URIRef, str] = field(default_factory=dict)  # for readable observation labels
    new_indicators: list[NewIndicator] = field(default_factory=list)


def build(base_iri: str, dataset: Dataset, values: Iterable[Value]) -> Graph:
    g = Graph()
    ds = URIRef(f"{base_iri}dataset/{dataset.key}")
    g.add((ds, RDF.type, SB.IndicatorDataset))
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, DCTERMS.title, Literal(dataset.title_sv, lang="sv")))
    g.add((ds, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    g.add((ds, QB.structure, SB.indicatorStructure))
    g.add((ds, PROV.generatedAtTime, Literal(dataset.retrieved.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((ds, SB.retrievedOn, Literal(dataset.retrieved.date().isoformat(), datatype=XSD.date)))
    for source in dataset.sources:
        g.add((ds, DCTERMS.source, URIRef(source)))
    for ind in dataset.new_indicators:
        _add_indicator(g, ind)
    labels = dataset.indicator_labels | {i.iri: i.label_sv for i in dataset.new_indicators}
    seen: dict[URIRef, str] = {}
    for v in values:
        obs = URIRef(f"{base_iri}observation/" + slug(dataset.key, v.series, v.area.code, str(v.year), v.sex,
                                                      v.breakdown or ""))
        if obs in seen:
            raise IndicatorSourceError(
                f"{v.where}: samma indikator, område, år, kön och uppdelning som {seen[obs]} — ett värde per "
                "kombination — inget skrevs till lagret",
                f"{v.where}: the same indicator, area, year, sex and breakdown as {seen[obs]} — one value per "
                "combination — nothing was written",
            )
        seen[obs] = v.where
        g.add((obs, RDF.type, SB.Observation))
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, ds))
        g.add((obs, SB.indicator, v.indicator))
        g.add((obs, SB.refArea, v.area.iri))
        g.add((obs, SB.refPeriod, Literal(f"{v.year:04d}", datatype=XSD.gYear)))
        g.add((obs, SB.sex, SEX[v.sex]))
        if v.breakdown:
            g.add((obs, SB.breakdown, Literal(v.breakdown)))
        g.add((obs, SB.obsValue, Literal(canonical_decimal(v.value), datatype=XSD.decimal)))
        if v.unit:
            g.add((obs, SB.unitOfMeasure, Literal(v.unit)))
        if v.source.startswith(("http://", "https://")):
            g.add((obs, DCTERMS.source, URIRef(v.source)))
        parts = [labels.get(v.indicator, str(v.indicator)), v.area.label, str(v.year), SEX_LABEL_SV[v.sex],
                 v.breakdown or ""]
        g.add((obs, RDFS.label, Literal(", ".join(p for p in parts if p), lang="sv")))
    return g


def canonical_decimal(value: Decimal) -> str:
    """The canonical xsd:decimal form ("139000.0", "7.5"), so that the same value is always the same literal,
    whether it came as 139000, 139000.00 or 1.39E+5."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def _add_indicator(g: Graph, ind: NewIndicator) -> None:
    g.add((ind.iri, RDF.type, SB.Indicator))
    g.add((ind.iri, SKOS.prefLabel, Literal(ind.label_sv, lang="sv")))
    if ind.label_en:
        g.add((ind.iri, SKOS.prefLabel, Literal(ind.label_en, lang="en")))
    if ind.definition_sv:
        g.add((ind.iri, SKOS.definition, Literal(ind.definition_sv, lang="sv")))
    if ind.unit:
        g.add((ind.iri, SB.unitOfMeasure, Literal(ind.unit)))
    if ind.kolada_id:
        g.add((ind.iri, SB.koladaId, Literal(ind.kolada_id)))
    if ind.source:
        g.add((ind.iri, DCTERMS.source, URIRef(ind.source)))
    for match in ind.close_matches:
        g.add((ind.iri, SKOS.closeMatch, match))
