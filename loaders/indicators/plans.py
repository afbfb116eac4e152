"""One fetch or import → the ParsedSource(s) the load pipeline writes: areas resolved against the store, values
attached to the indicator the store already has (by Kolada id, or the one given) or to one minted for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from rdflib import URIRef

from graph.parse import ParsedSource, display_path
from graph.settings import Region
from graph.store import Store
from loaders.indicators import kolada, lookup, opensdg, pxweb
from loaders.indicators.areas import Area, AreaIndex
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.observations import Dataset, NewIndicator, Value, build, slug
from loaders.indicators.source import parsed_source


@dataclass
class Prepared:
    source: ParsedSource
    graph: URIRef
    observations: int
    indicators: list[URIRef] = field(default_factory=list)  # the indicators the values belong to
    minted: list[URIRef] = field(default_factory=list)  # those of them the fetch defines itself


def kolada_areas(index: AreaIndex, region: Region, codes: list[str] | None) -> list[Area]:
    """The areas asked for by länskod/kommunkod (Kolada's "0019" form accepted too), by default the region's county
    and its municipalities."""
    if not codes:
        areas = index.county_and_municipalities(region.county_code)
        if not areas:
            raise IndicatorSourceError(
                f"lagret har inget län med länskod {region.county_code} ({region.name}): kör 'sparbar init' först",
                f"the store has no county with county code {region.county_code} ({region.name}): run "
                "'sparbar init' first")
        return areas
    out = []
    for code in codes:
        area = index.by_code(code[2:] if len(code) == 4 and code.startswith("00") else code)
        if area is None:
            raise IndicatorSourceError(
                f"--area {code}: okänd områdeskod (lagret har län och kommuner med länskod och kommunkod)",
                f"--area {code}: unknown area code (the store has counties and municipalities by county and "
                "municipality code)")
        out.append(area)
    return out


def kolada_source(store: Store, region: Region, client: httpx.Client, kpi_id: str, areas: list[Area],
                  years: list[int] | None, retrieved: datetime, api: str = kolada.KOLADA_API) -> Prepared:
    fetched = kolada.fetch(client, kpi_id, areas, years, api)
    if not fetched.values:
        raise _nothing(fetched.urls[-1])
    key = slug("kolada", kpi_id)
    minted_iri = URIRef(f"{region.base_iri}indikator/{key}")
    known = [k for k in lookup.indicators_with_kolada_id(store, kpi_id) if k.iri != minted_iri]
    if len(known) > 1:
        names = ", ".join(f"<{k.iri}>" for k in known)
        raise IndicatorSourceError(
            f"Kolada-id {kpi_id} finns på flera indikatorer i lagret ({names}); ett nyckeltal kan bara höra till en",
            f"Kolada id {kpi_id} is on several indicators in the store ({names}); a key figure can belong to one")
    title_unit = kolada.unit_from_title(fetched.kpi.title)
    dataset = Dataset(key, f"{fetched.kpi.title} (Kolada {kpi_id})", f"Kolada key figure {kpi_id}: {fetched.kpi.title}",
                      tuple(dict.fromkeys(fetched.urls)), retrieved)
    if known:
        indicator, unit = known[0].iri, title_unit or known[0].unit
        dataset.indicator_labels[indicator] = known[0].label or fetched.kpi.title
    else:
        indicator, unit = minted_iri, title_unit
        dataset.new_indicators.append(NewIndicator(
            minted_iri, fetched.kpi.title, fetched.kpi.url, unit=title_unit, kolada_id=kpi_id,
            definition_sv=fetched.kpi.description))
    values = [Value(indicator, v.area, v.year, v.value, v.url, v.url, sex=v.sex, unit=unit) for v in fetched.values]
    return _prepared(region, dataset, values, origin=fetched.urls[0], bodies=fetched.bodies)


def pxweb_source(store: Store, region: Region, client: httpx.Client, table: str, selection: dict[str, list[str]],
                 retrieved: datetime, indicator: URIRef | None = None, name: str | None = None,
                 api: str | None = None) -> Prepared:
    fetched = pxweb.fetch(client, table, selection, api)
    found = pxweb.values(fetched, AreaIndex.from_store(store))
    if not found:
        raise _nothing(fetched.url)
    table_name = table.rstrip("/").rsplit("/", 1)[-1]  # TAB638, or the last part of a v1 table path
    key = slug(name or f"scb-{table_name}")
    label = fetched.dataset.label or table
    dataset = Dataset(key, f"{label} (SCB, tabell {table})", f"Statistics Sweden table {table}: {label}",
                      (fetched.url,), retrieved)
    measures = list(dict.fromkeys(v.measure for v in found))
    given = _given_indicator(store, indicator) if indicator is not None else None
    if given is not None and len(measures) > 1:
        raise IndicatorSourceError(
            f"{fetched.url}: urvalet har {len(measures)} mått ({', '.join(str(m) for m in measures)}) men --indicator "
            "anger en indikator: välj ett mått med --select ContentsCode=KOD",
            f"{fetched.url}: the selection has {len(measures)} measures ({', '.join(str(m) for m in measures)}) but "
            "--indicator names one indicator: choose one measure with --select ContentsCode=CODE")
    iris: dict[str | None, URIRef] = {}
    for v in found:
        if v.measure in iris:
            continue
        if given is not None:
            iris[v.measure] = given.iri
            dataset.indicator_labels[given.iri] = given.label or v.measure_label
        else:
            iris[v.measure] = URIRef(f"{region.base_iri}indikator/{slug('scb', table_name, v.measure or '')}")
            dataset.new_indicators.append(NewIndicator(iris[v.measure], v.measure_label, fetched.url, unit=v.unit))
    values = [Value(iris[v.measure], v.area, v.year, v.value, fetched.url, fetched.url, sex=v.sex,
                    breakdown=v.breakdown, unit=v.unit or (given.unit if given else None), series=v.measure or "")
              for v in found]
    return _prepared(region, dataset, values, origin=fetched.url, bodies=[fetched.body])


def opensdg_source(store: Store, region: Region, path: Path, retrieved: datetime, *, sdg_id: str | None = None,
                   indicator: URIRef | None = None, default_area: str | None = None,
                   published_at: str | None = None) -> Prepared:
    table = opensdg.read(path, AreaIndex.from_store(store), indicator_id=sdg_id, default_area=default_area)
    shown = display_path(path)
    if not table.values:
        raise _nothing(shown)
    key = slug("opensdg", table.indicator_id)
    un = lookup.sdg_indicators(store, table.indicator_id)
    un_sv = next((u.label_sv for u in un if u.label_sv), None)
    un_en = next((u.label_en for u in un if u.label_en), None)
    label = un_sv or f"Agenda 2030-indikator {table.indicator_id}"
    dataset = Dataset(key, f"{label} (Open SDG {table.indicator_id})",
                      f"{un_en or 'SDG indicator ' + table.indicator_id} (Open SDG {table.indicator_id})",
                      (published_at,) if published_at else (), retrieved)
    given = _given_indicator(store, indicator) if indicator is not None else None
    if given is not None:
        iri = given.iri
        dataset.indicator_labels[iri] = given.label or label
    else:
        iri = URIRef(f"{region.base_iri}indikator/{key}")
        dataset.new_indicators.append(NewIndicator(
            iri, label, published_at, label_en=un_en, unit=table.units[0] if len(table.units) == 1 else None,
            close_matches=tuple(u.iri for u in un)))
    values = [Value(iri, v.area, v.year, v.value, published_at or "", f"{shown}:{v.line}", sex=v.sex,
                    breakdown=v.breakdown, unit=v.unit or (given.unit if given else None)) for v in table.values]
    return _prepared(region, dataset, values, origin=shown, bodies=[table.body], path=path)


def _given_indicator(store: Store, iri: URIRef) -> lookup.KnownIndicator:
    known = lookup.indicator(store, iri)
    if known is None:
        raise IndicatorSourceError(f"--indicator <{iri}>: ingen indikator (sb:Indicator) i lagret har den IRI:n",
                                   f"--indicator <{iri}>: no indicator (sb:Indicator) in the store has that IRI")
    return known


def _nothing(where: str) -> IndicatorSourceError:
    return IndicatorSourceError(
        f"{where}: inga värden för urvalet — inget skrevs till lagret (en tidigare hämtning står kvar)",
        f"{where}: no values for the selection — nothing was written (an earlier fetch stays as it was)")


def _prepared(region: Region, dataset: Dataset, values: list[Value], *, origin: str, bodies: list[bytes],
              path: Path | None = None) -> Prepared:
    graph_name = URIRef(region.graph_iri(dataset.key))
    graph = build(region.base_iri, dataset, values)
    source = parsed_source(graph_name, graph, origin=origin, bodies=bodies, source_iris=dataset.sources, path=path)
    return Prepared(source, graph_name, len(values), indicators=list(dict.fromkeys(v.indicator for v in values)),
                    minted=[i.iri for i in dataset.new_indicators])
