"""SCB's statistical database through PxWeb: one table and a selection → values per area, year and sex.

API v2 (https://statistikdatabasen.scb.se/api/v2): GET /tables/{id}/data?valueCodes[Dim]=a,b&outputFormat=json-stat2.
API v1 (https://api.scb.se/OV0104/v1/doris/sv/ssd): POST {path}/{table} with a query, response format json-stat2.
A table id without "/" (TAB638) is asked through v2, a table path (BE/BE0101/BE0101A/BefolkningNy) through v1.
Both answer a JSON-stat 2.0 dataset (see jsonstat.py). The area dimension is role.geo, else "Region"; the time
dimension role.time, else "Tid"; the measures role.metric, else "ContentsCode"; "Kon" is the sex (1 män,
2 kvinnor, 1+2 totalt). Other dimensions become the breakdown text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import httpx

from loaders.indicators.areas import Area, AreaIndex
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.fields import Answer
from loaders.indicators.httpjson import get_json
from loaders.indicators.jsonstat import Dataset, Dimension, decode

PXWEB_V2_API = "https://statistikdatabasen.scb.se/api/v2"
PXWEB_V1_API = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
SEX_CODES = {"1": "M", "2": "F", "1+2": "T"}  # SCB's Kon


@dataclass(frozen=True)
class PxWebFetch:
    table: str
    url: str
    body: bytes
    dataset: Dataset


@dataclass(frozen=True)
class PxWebValue:
    measure: str | None  # the metric category code (ContentsCode), if the table has one
    measure_label: str
    unit: str | None
    area: Area
    year: int
    sex: str  # T, F, M
    breakdown: str | None
    value: Decimal


def fetch(client: httpx.Client, table: str, selection: dict[str, list[str]], api: str | None = None,
          lang: str = "sv") -> PxWebFetch:
    if "/" in table:
        url = f"{(api or PXWEB_V1_API).rstrip('/')}/{table.strip('/')}"
        query = [{"code": dim, "selection": {"filter": "item", "values": codes}} for dim, codes in selection.items()]
        answer = get_json(client, url, post={"query": query, "response": {"format": "json-stat2"}})
    else:
        params = {"lang": lang, "outputFormat": "json-stat2"}
        params |= {f"valueCodes[{dim}]": ",".join(codes) for dim, codes in selection.items()}
        answer = get_json(client, f"{(api or PXWEB_V2_API).rstrip('/')}/tables/{table}/data", params=params)
    return PxWebFetch(table, answer.url, answer.body, decode(Answer(answer.data, answer.url)))


def values(fetched: PxWebFetch, areas: AreaIndex) -> list[PxWebValue]:
    ds, url = fetched.dataset, fetched.url
    geo = _role(ds, "geo", ("region",), url, required=True)
    time = _role(ds, "time", ("tid", "time", "year", "ar", "år"), url, required=True)
    metric = _role(ds, "metric", ("contentscode",), url, required=False)
    sex = next((d for d in ds.dimensions.values() if d.id.lower() in ("kon", "kön", "sex")), None)
    assert geo is not None and time is not None
    special = {d.id for d in (geo, time, metric, sex) if d is not None}
    rest = [d for d in ds.dimensions.values() if d.id not in special]
    out = []
    for cell in ds.cells:
        if cell.value is None:
            continue  # no value (status "..", "." …): nothing to record
        code = cell.codes[geo.id]
        area = areas.by_code(code)
        if area is None:
            raise IndicatorSourceError(
                f"{url}: okänd områdeskod '{code}' ({geo.label_of(code)}) i dimensionen {geo.id} — den finns inte "
                "bland lagrets län och kommuner — inget skrevs till lagret",
                f"{url}: unknown area code '{code}' ({geo.label_of(code)}) in dimension {geo.id} — not among the "
                "store's counties and municipalities — nothing was written",
            )
        period = cell.codes[time.id]
        if not (len(period) == 4 and period.isdigit()):
            raise IndicatorSourceError(
                f"{url}: tidsperioden '{period}' i dimensionen {time.id} är inte ett år; bara årsvärden kan "
                "läsas in (välj en tabell med år) — inget skrevs till lagret",
                f"{url}: the period '{period}' in dimension {time.id} is not a year; only yearly values can be "
                "loaded (choose a table by year) — nothing was written",
            )
        measure = cell.codes[metric.id] if metric else None
        out.append(PxWebValue(
            measure=measure,
            measure_label=metric.label_of(measure) if metric and measure else (ds.label or fetched.table),
            unit=metric.units.get(measure) if metric and measure else None,
            area=area, year=int(period), sex=_sex(sex, cell.codes, url), value=cell.value,
            breakdown="; ".join(f"{d.label}={d.label_of(cell.codes[d.id])}" for d in rest) or None,
        ))
    return out


def _role(ds: Dataset, role: str, names: tuple[str, ...], url: str, *, required: bool) -> Dimension | None:
    ids = ds.roles.get(role) or tuple(d for d in ds.dimensions if d.lower() in names)
    if ids and ids[0] in ds.dimensions:
        return ds.dimensions[ids[0]]
    if not required:
        return None
    raise IndicatorSourceError(
        f"{url}: datasetet har ingen dimension för {role} (role.{role}, eller en dimension {names[0]!r}) — "
        "inget skrevs till lagret",
        f"{url}: the dataset has no dimension for {role} (role.{role}, or a dimension {names[0]!r}) — "
        "nothing was written",
    )


def _sex(dim: Dimension | None, codes: dict[str, str], url: str) -> str:
    if dim is None:
        return "T"
    code = codes[dim.id]
    if code not in SEX_CODES:
        raise IndicatorSourceError(
            f"{url}: okänd kod '{code}' i dimensionen {dim.id} (väntade 1, 2 eller 1+2) — inget skrevs till lagret",
            f"{url}: unknown code '{code}' in dimension {dim.id} (expected 1, 2 or 1+2) — nothing was written",
        )
    return SEX_CODES[code]
