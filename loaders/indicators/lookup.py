"""What the store already knows about an indicator: by Kolada id, by IRI, or a UN SDG indicator by its code.
Each lookup is a named query; parameters are bound as RDF terms."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.named_queries import resolve
from graph.store import Store


@dataclass(frozen=True)
class KnownIndicator:
    iri: URIRef
    label: str | None
    unit: str | None


@dataclass(frozen=True)
class SdgIndicator:
    iri: URIRef
    label_sv: str | None
    label_en: str | None


def indicators_with_kolada_id(store: Store, kpi: str) -> list[KnownIndicator]:
    rows = store.select(resolve("indicators-by-kolada-id").text, {"kpi": Literal(kpi)})
    return [_known(r) for r in rows]


def indicator(store: Store, iri: URIRef) -> KnownIndicator | None:
    rows = store.select(resolve("indicator-summary").text, {"indicator": iri})
    return _known(rows.rows[0]) if rows.rows else None


def sdg_indicators(store: Store, notation: str) -> list[SdgIndicator]:
    rows = store.select(resolve("sdg-indicators-by-notation").text, {"notation": Literal(notation)})
    return [SdgIndicator(URIRef(r["indicator"]), _text(r.get("labelSv")), _text(r.get("labelEn"))) for r in rows]


def _known(row: dict) -> KnownIndicator:
    return KnownIndicator(URIRef(row["indicator"]), _text(row.get("label")), _text(row.get("unit")))


def _text(term: object) -> str | None:
    return None if term is None else str(term)
