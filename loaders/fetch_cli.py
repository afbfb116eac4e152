"""`sparbar fetch kolada|scb` and `sparbar import opensdg`: indicator values into the store. Each fetch (each
Kolada key figure, each SCB table, each Open SDG file) becomes its own named graph and goes through the load
pipeline like any file: SHACL validation, all or nothing, graph metadata with source and retrieval time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Annotated

import httpx
import pyoxigraph as ox
import typer
from rdflib import URIRef

from graph.pipeline import LoadPlan, LoadRefused, apply
from graph.report_text import report_text
from graph.settings import Region, Settings
from graph.store import Store
from graph.validation import Validator
from loaders.indicators.areas import AreaIndex
from loaders.indicators.errors import IndicatorSourceError
from loaders.indicators.kolada import KOLADA_API
from loaders.indicators.plans import Prepared, kolada_areas, kolada_source, opensdg_source, pxweb_source

fetch_app = typer.Typer(
    help="Hämta indikatorvärden från Kolada eller SCB:s statistikdatabas till lagret. Varje hämtning blir en egen "
         "namngiven graf; en ny hämtning ersätter den förra.",
    no_args_is_help=True,
)
import_app = typer.Typer(help="Läs in indikatorvärden ur filer (Open SDG:s CSV-format).", no_args_is_help=True)

Lang = Annotated[str, typer.Option("--lang", help="Meddelandenas språk: sv eller en.")]
IndicatorOption = Annotated[str | None, typer.Option(
    "--indicator", help="Knyt värdena till denna indikator i lagret (IRI, eller relativ till regionens bas-IRI, "
                        "t.ex. indikator/x). Annars skapas en indikator för dem.")]


def http_client(settings: Settings) -> httpx.Client:
    """The one HTTP client of a fetch; the timeout comes from the settings (SPARBAR_HTTP_TIMEOUT)."""
    return httpx.Client(timeout=settings.http_timeout, follow_redirects=True,
                        headers={"User-Agent": "sparbar (https://w3id.org/sparbar)", "Accept": "application/json"})


def _cli() -> ModuleType:
    """The composition root's helpers (opening the store, failing clearly). Imported when a command runs:
    loaders.cli imports this module to register its commands."""
    from loaders import cli

    return cli


@fetch_app.command("kolada")
def fetch_kolada(
    ctx: typer.Context,
    kpis: Annotated[list[str], typer.Argument(help="Nyckeltalens id i Kolada, t.ex. N00914.")],
    area: Annotated[list[str] | None, typer.Option(
        "--area", help="Länskod eller kommunkod (upprepas). Standard: regionens län och dess kommuner.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="År: 2020-2024 eller 2020,2022. Standard: alla.")] = None,
    lang: Lang = "sv",
) -> None:
    """Hämta nyckeltal ur Kolada (API v3) för länet och kommunerna: en graf per nyckeltal."""
    cli = _cli()
    bad = [k for k in kpis if not re.fullmatch(r"[A-Z][0-9]{5}", k)]
    if bad:
        raise cli.fail(f"'{bad[0]}' är inget Kolada-id (en stor bokstav och fem siffror, t.ex. N00914)")
    year_list = _years(cli, years)

    def prepare(store: Store, region: Region, retrieved: datetime) -> list[Prepared]:
        areas = kolada_areas(AreaIndex.from_store(store), region, area)
        with http_client(ctx.obj) as client:
            return [kolada_source(store, region, client, k, areas, year_list, retrieved, KOLADA_API) for k in kpis]

    _run(cli, ctx.obj, prepare, lang)


@fetch_app.command("scb")
def fetch_scb(
    ctx: typer.Context,
    table: Annotated[str, typer.Argument(
        help="Tabellens id i API v2 (t.ex. TAB638), eller tabellens sökväg i API v1 (t.ex. BE/BE0101/BE0101A/"
             "BefolkningNy).")],
    select: Annotated[list[str], typer.Option(
        "--select", help="DIMENSION=KOD,KOD (upprepas), t.ex. Region=19,1980 eller Tid=2020,2021.")],
    indicator: IndicatorOption = None,
    graph: Annotated[str | None, typer.Option(
        "--graph", help="Grafens namn (standard scb-TABELL); olika namn håller olika urval ur en tabell isär.")] = None,
    api: Annotated[str | None, typer.Option("--api", help="PxWeb-API:ets adress (standard SCB).")] = None,
    lang: Lang = "sv",
) -> None:
    """Hämta en tabell ur SCB:s statistikdatabas (PxWeb, JSON-stat 2) för ett urval: en graf per tabell."""
    cli = _cli()
    selection = _selection(cli, select)

    def prepare(store: Store, region: Region, retrieved: datetime) -> list[Prepared]:
        with http_client(ctx.obj) as client:
            return [pxweb_source(store, region, client, table, selection, retrieved,
                                 indicator=_iri(cli, indicator, region), name=graph, api=api)]

    _run(cli, ctx.obj, prepare, lang)


@import_app.command("opensdg")
def import_opensdg(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="En Open SDG-datafil, t.ex. indicator_8-5-2.csv.")],
    sdg: Annotated[str | None, typer.Option(
        "--sdg", help="Agenda 2030-indikatorns id, t.ex. 8.5.2 (standard: ur filnamnet).")] = None,
    indicator: IndicatorOption = None,
    area: Annotated[str | None, typer.Option(
        "--area", help="Länskod eller kommunkod för rader utan GeoCode.")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Adressen där filen är publicerad (blir datasetets källa).")] = None,
    lang: Lang = "sv",
) -> None:
    """Läs in en Open SDG-fil (Year, uppdelningar, Units, GeoCode, Value): en graf per indikator."""
    cli = _cli()
    published = str(_iri(cli, source, None)) if source else None

    def prepare(store: Store, region: Region, retrieved: datetime) -> list[Prepared]:
        return [opensdg_source(store, region, path, retrieved, sdg_id=sdg, indicator=_iri(cli, indicator, region),
                               default_area=area, published_at=published)]

    _run(cli, ctx.obj, prepare, lang)


def _run(cli: ModuleType, settings: Settings, prepare: Callable[[Store, Region, datetime], list[Prepared]],
         lang: str) -> None:
    """Prepare the graphs against the open store, then validate and write them all in one transaction, with the
    retrieval time as their prov:generatedAtTime. Any problem before the write leaves the store unchanged."""
    with cli.opened(settings) as (store, region):
        retrieved = datetime.now(UTC).replace(microsecond=0)
        try:
            prepared = prepare(store, region, retrieved)
        except IndicatorSourceError as e:
            raise cli.fail(e.message(lang)) from None
        _write(cli, store, region, prepared, retrieved, lang)


def _write(cli: ModuleType, store: Store, region: Region, prepared: list[Prepared], retrieved: datetime,
           lang: str) -> None:
    try:
        outcome = apply(store, LoadPlan(sources=[p.source for p in prepared]), region, Validator(), now=retrieved)
    except LoadRefused as e:
        typer.echo(report_text(e.report, lang))
        raise cli.fail(str(e), cli.EXIT_VIOLATIONS) from None
    typer.echo(report_text(outcome.report, lang))
    for p in prepared:
        minted = f" ({'new' if lang == 'en' else 'ny'})" if p.indicators[0] in p.minted else ""
        if lang == "en":
            typer.echo(f"Loaded: <{p.graph}> — {p.observations} observations of <{p.indicators[0]}>{minted}")
        else:
            typer.echo(f"Inläst: <{p.graph}> — {p.observations} observationer av <{p.indicators[0]}>{minted}")


def _years(cli: ModuleType, text: str | None) -> list[int] | None:
    if not text:
        return None
    out: list[int] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
            raise cli.fail(f"--years '{text}': skriv år som 2020-2024 eller 2020,2022")
        out += range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1)
    return sorted(set(out))


def _selection(cli: ModuleType, select: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in select:
        dim, sep, codes = item.partition("=")
        values = [c.strip() for c in codes.split(",") if c.strip()]
        if not sep or not dim.strip() or not values:
            raise cli.fail(f"--select '{item}': skriv DIMENSION=KOD,KOD, t.ex. Region=19,1980")
        merged = out.setdefault(dim.strip(), [])
        merged += [v for v in values if v not in merged]  # PxWeb answers 500 to a repeated code
    return out


def _iri(cli: ModuleType, raw: str | None, region: Region | None) -> URIRef | None:
    """An absolute IRI, or one relative to the region's base IRI."""
    if raw is None:
        return None
    iri = raw if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) or region is None else region.base_iri + raw
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise cli.fail(f"'{raw}' är ingen giltig IRI") from None
    return URIRef(iri)
