"""Kolada, API v3 (https://api.kolada.se/v3): key figure (KPI) metadata and values for areas and years.

Answers are `{"values": [...], "count": n, "next_url": ...}`; a data entry is
`{"kpi", "municipality", "period", "values": [{"gender": "T|K|M", "count", "status", "value", "isdeleted"}]}`.
Kolada's area ids are the kommunkod for municipalities and "00" + länskod for regions (Västmanland: "0019").
See tests/recorded/README.md for the documentation and client code this was checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar
from urllib.parse import urljoin

import httpx

from loaders.indicators.areas import Area
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.fields import Answer
from loaders.indicators.httpjson import get_json

KOLADA_API = "https://api.kolada.se/v3"
MAX_IDS_PER_REQUEST = 25  # Kolada refuses longer id lists in one path segment
MAX_PAGES = 1000  # a guard against an API that keeps handing out next pages
GENDER = {"T": "T", "K": "F", "M": "M"}  # Kolada's kön → the SDMX sex code letter
T = TypeVar("T")


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str | None
    url: str  # the metadata URL


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    area: Area
    year: int
    sex: str  # T, F, M
    value: Decimal
    url: str


@dataclass
class KoladaFetch:
    kpi: Kpi
    values: list[KoladaValue] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)


def kolada_id(area: Area) -> str:
    return area.code if area.kind == "municipality" else "00" + area.code


def fetch(client: httpx.Client, kpi_id: str, areas: list[Area], years: list[int] | None,
          api: str = KOLADA_API) -> KoladaFetch:
    """The KPI's metadata and its values for `areas` and `years` (all years when None), following next pages."""
    meta = get_json(client, f"{api}/kpi/{kpi_id}")
    found = [k for k in Answer(meta.data, meta.url).field("values").items() if k.field("id").text() == kpi_id]
    if not found:
        raise IndicatorSourceError(
            f"{meta.url}: Kolada har inget nyckeltal med id {kpi_id} — inget skrevs till lagret",
            f"{meta.url}: Kolada has no key figure with id {kpi_id} — nothing was written",
        )
    kpi = Kpi(kpi_id, found[0].field("title").text(), found[0].field("description", optional=True).optional_text(),
              meta.url)
    out = KoladaFetch(kpi=kpi, urls=[meta.url], bodies=[meta.body])
    by_kolada_id = {kolada_id(a): a for a in areas}
    year_batches: list[list[int] | None] = list(_batches(years)) if years else [None]
    for area_batch in _batches([kolada_id(a) for a in areas]):
        for year_batch in year_batches:
            url = f"{api}/data/kpi/{kpi_id}/municipality/{','.join(area_batch)}"
            if year_batch:
                url += "/year/" + ",".join(str(y) for y in year_batch)
            _read_pages(client, url, kpi_id, by_kolada_id, out)
    return out


def _read_pages(client: httpx.Client, url: str | None, kpi_id: str, by_kolada_id: dict[str, Area],
                out: KoladaFetch) -> None:
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise IndicatorSourceError(
                f"{url}: Kolada hänvisar till en sida som redan hämtats — inget skrevs till lagret",
                f"{url}: Kolada points to a page already fetched — nothing was written",
            )
        seen.add(url)
        page = get_json(client, url)
        out.urls.append(page.url)
        out.bodies.append(page.body)
        answer = Answer(page.data, page.url)
        for entry in answer.field("values").items():
            _read_entry(entry, kpi_id, by_kolada_id, page.url, out)
        # v3 names the next page next_url; v2 called it next_page. A relative link is relative to this page.
        link = (answer.field("next_url", optional=True).optional_text()
                or answer.field("next_page", optional=True).optional_text())
        url = urljoin(page.url, link) if link else None


def _read_entry(entry: Answer, kpi_id: str, by_kolada_id: dict[str, Area], url: str, out: KoladaFetch) -> None:
    if entry.field("kpi").text() != kpi_id:
        raise entry.wrong(f"är '{entry.field('kpi').text()}', inte det begärda {kpi_id}",
                          f"is '{entry.field('kpi').text()}', not the requested {kpi_id}", f"{entry.path}.kpi")
    municipality = entry.field("municipality")
    area = by_kolada_id.get(municipality.text())
    if area is None:
        raise IndicatorSourceError(
            f"{url}: okänd områdeskod '{municipality.text()}' i {municipality.path} — den finns inte bland "
            "lagrets län och kommuner — inget skrevs till lagret",
            f"{url}: unknown area code '{municipality.text()}' in {municipality.path} — not among the store's "
            "counties and municipalities — nothing was written",
        )
    year = entry.field("period").year()
    for v in entry.field("values").items():
        gender = v.field("gender").text()
        if gender not in GENDER:
            raise v.wrong(f"är '{gender}', väntade T, K eller M", f"is '{gender}', expected T, K or M",
                          f"{v.path}.gender")
        value = v.field("value").number()
        if value is None or v.field("isdeleted", optional=True).flag():
            continue  # Kolada has no value (or withdrew it): nothing to record
        out.values.append(KoladaValue(kpi_id, area, year, GENDER[gender], value, url))


def _batches(items: list[T]) -> list[list[T]]:
    return [items[i:i + MAX_IDS_PER_REQUEST] for i in range(0, len(items), MAX_IDS_PER_REQUEST)]


def unit_from_title(title: str) -> str | None:
    """Kolada titles end with the unit after the last comma ("Invånare totalt, antal"; "…, andel (%)")."""
    head, sep, tail = title.rpartition(",")
    if not sep or not head.strip() or not tail.strip():
        return None
    return tail.strip()
