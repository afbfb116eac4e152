"""The store's counties and municipalities by their codes, so values from any source land on the same area
resources (`lan/19`, `kommun/1980`) that the rest of the graph uses."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from graph.named_queries import resolve
from graph.store import Store


@dataclass(frozen=True)
class Area:
    iri: URIRef
    kind: str  # "county" | "municipality"
    code: str  # länskod (2 digits) or kommunkod (4 digits)
    label: str
    county: URIRef | None = None  # a municipality's county


class AreaIndex:
    def __init__(self, areas: list[Area]):
        self._by_code = {a.code: a for a in areas}
        self._areas = areas

    @classmethod
    def from_store(cls, store: Store) -> AreaIndex:
        rows = store.select(resolve("area-codes").text)
        return cls([
            Area(iri=URIRef(r["area"]), kind=str(r["kind"]), code=str(r["code"]),
                 label=str(r.get("label", r["code"])),
                 county=URIRef(r["county"]) if "county" in r else None)
            for r in rows
        ])

    def by_code(self, code: str) -> Area | None:
        """A county by its länskod ("19") or a municipality by its kommunkod ("1980")."""
        return self._by_code.get(code)

    def county_and_municipalities(self, county_code: str) -> list[Area]:
        county = self._by_code.get(county_code)
        if county is None or county.kind != "county":
            return []
        return [county, *sorted((a for a in self._areas if a.county == county.iri), key=lambda a: a.code)]
