"""The `sparbar` command: the composition root that wires settings, store, loaders and server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from graph.named_queries import NamedQueryError, load_named_queries, resolve
from graph.oxigraph_store import OxigraphStore
from graph.pipeline import LoadRefused, SourceErrors, apply, check, plan_files, plan_region
from graph.report_text import report_text
from graph.settings import Region, Settings, load_region
from graph.store import QueryError, StoreError
from graph.validation import Validator
from loaders.fetch_cli import fetch_app, import_app
from loaders.workbook.command import is_workbook, load_workbooks
from loaders.workbook.mapping import MappingError, load_mappings, mappings_folder
from loaders.workbook.template import DEFAULT_OUTPUT, TemplateError, write_template

app = typer.Typer(
    help="Spårbar: regional utveckling som en spårbar kunskapsgraf, upp till Agenda 2030.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNUSABLE = 0, 1, 2


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    typer.echo(f"sparbar: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def opened(settings: Settings) -> Iterator[tuple[OxigraphStore, Region]]:
    try:
        region = load_region(settings.region)
    except (OSError, KeyError, ValueError) as e:
        raise fail(f"{settings.region}: kan inte läsa regionens inställningar: {e}") from None
    try:
        store = OxigraphStore(settings.store, exclusive=True)  # the command owns the store while it runs
    except StoreError as e:
        raise fail(f"{e} (används lagret av en annan process, t.ex. 'sparbar serve'?)") from None
    try:
        yield store, region
    finally:
        store.close()


@app.callback()
def _settings(ctx: typer.Context) -> None:
    """Spårbar reads its settings once (SPARBAR_* environment variables) and passes them on."""
    ctx.obj = Settings()


Lang = Annotated[str, typer.Option("--lang", help="Rapportens språk: sv eller en.")]


@app.command()
def init(ctx: typer.Context, lang: Lang = "sv") -> None:
    """Bygg lagret från regionens medföljande referens- och exempeldata (idempotent)."""
    settings: Settings = ctx.obj
    with opened(settings) as (store, region):
        try:
            plan = plan_region(region)
            outcome = apply(store, plan, region, Validator(), skip_unchanged=True)
        except SourceErrors as e:
            raise fail(str(e)) from None
        except LoadRefused as e:
            typer.echo(report_text(e.report, lang))
            raise fail(str(e), EXIT_VIOLATIONS) from None
        if outcome.written:
            typer.echo(report_text(outcome.report, lang))
            typer.echo(f"Lagret {settings.store} byggt: {len(outcome.written)} grafer, "
                       f"{store.triple_count()} tripler.")
        else:
            typer.echo(f"Lagret {settings.store} är redan aktuellt ({store.triple_count()} tripler).")


Paths = Annotated[list[Path], typer.Argument(
    help="Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, en arbetsbok (.xlsx) eller en mapp med CSV-filer.")]
OptionalPaths = Annotated[list[Path] | None, typer.Argument(help="Filer att pröva mot lagret.")]


DryRun = Annotated[bool, typer.Option("--dry-run", help="Validera bara; skriv inget till lagret.")]
MarkedCopy = Annotated[Path | None, typer.Option(
    "--marked-copy", help="Skriv också en kopia av arbetsboken (.xlsx) med problemcellerna markerade.")]


@app.command()
def load(ctx: typer.Context, paths: Paths, lang: Lang = "sv", dry_run: DryRun = False,
         marked_copy: MarkedCopy = None) -> None:
    """Läs in filer, var och en i sin namngivna graf; allt eller inget. En arbetsbok (.xlsx) eller en mapp med
    CSV-filer läses med arbetsbokens mappning (docs/workbook.md). Exit 0: inläst, 1: fel (Violation), 2:
    oanvändbar indata."""
    settings: Settings = ctx.obj
    workbooks = [p for p in paths if is_workbook(p)]
    if workbooks and len(workbooks) != len(paths):
        raise fail("läs in arbetsböcker och RDF-filer med var sitt kommando")
    if marked_copy is not None and not workbooks:
        raise fail("--marked-copy gäller arbetsböcker (.xlsx eller en mapp med CSV-filer)")
    with opened(settings) as (store, region):
        if workbooks:
            code = load_workbooks(workbooks, store, region, settings.region, lang, dry_run, typer.echo,
                                  lambda text: typer.echo(text, err=True), marked_copy)
            raise typer.Exit(code)
        try:
            plan = plan_files(paths, region)
            if dry_run:
                report = check(store, plan, region, Validator())
                typer.echo(report_text(report, lang))
                raise typer.Exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)
            outcome = apply(store, plan, region, Validator())
        except SourceErrors as e:
            raise fail(str(e)) from None
        except LoadRefused as e:
            typer.echo(report_text(e.report, lang))
            raise fail(str(e), EXIT_VIOLATIONS) from None
        typer.echo(report_text(outcome.report, lang))
        for name in outcome.written:
            typer.echo(f"Inläst: <{name}>")


@app.command()
def validate(
    ctx: typer.Context,
    paths: OptionalPaths = None,
    lang: Lang = "sv",
    full: Annotated[bool, typer.Option("--full", help="Validera hela lagret, inte bara det PATHS ändrar och "
                                                       "det som ändringen berör.")] = False,
) -> None:
    """Validera lagret, eller lagret som det skulle bli med PATHS inlästa (bara det som ändras och det som
    ändringen berör, om inte --full anges). Exit 0: uppfyller (varningar tillåtna), 1: fel (Violation),
    2: oanvändbar indata."""
    settings: Settings = ctx.obj
    with opened(settings) as (store, region):
        try:
            plan = plan_files(paths or [], region)
        except SourceErrors as e:
            raise fail(str(e)) from None
        report = check(store, plan, region, Validator(), full=full)
        typer.echo(report_text(report, lang))
        if not report.conforms:
            raise typer.Exit(EXIT_VIOLATIONS)


def _parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise fail(f"--param ska skrivas NAMN=VÄRDE, fick '{p}'")
        values[name] = value
    return values


def _table(variables: list[str], rows: list[dict]) -> str:
    cells = [[str(r.get(v, "")) for v in variables] for r in rows]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="En namngiven fråga eller en .rq-fil.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="NAMN=VÄRDE, bundet som RDF-term.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv eller json.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="Lista de namngivna frågorna.")] = False,
) -> None:
    """Kör en namngiven fråga (eller en .rq-fil) mot lagret."""
    if list_:
        for q in load_named_queries().values():
            params = ", ".join(f"{p.name} ({p.type}{', valfri' if p.optional else ''})" for p in q.parameters)
            typer.echo(f"{q.name}\n    {q.title}\n    {q.description}")
            if params:
                typer.echo(f"    parametrar: {params}")
        return
    if name is None:
        raise fail("ange en fråga, eller --list")
    if fmt not in ("table", "csv", "tsv", "json"):
        raise fail(f"okänt format '{fmt}' (table, csv, tsv, json)")
    settings: Settings = ctx.obj
    try:
        named = resolve(name)
    except NamedQueryError as e:
        raise fail(str(e)) from None
    with opened(settings) as (store, region):
        try:
            bindings = named.bindings(_parse_params(param or []), region.base_iri)
            if fmt == "table":
                result = store.select(named.text, bindings)
                typer.echo(_table(result.variables, result.rows))
            else:
                sys.stdout.buffer.write(store.query_raw(named.text, fmt, bindings))
                sys.stdout.flush()
        except (NamedQueryError, QueryError) as e:
            raise fail(f"{named.path}: {e}") from None


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="nt, nq, ttl, trig eller jsonld.")] = "nq",
    output: Annotated[Path | None, typer.Option("--output", help="Fil att skriva till (annars stdout).")] = None,
) -> None:
    """Exportera hela lagret."""
    if fmt not in ("nt", "nq", "ttl", "trig", "jsonld"):
        raise fail(f"okänt format '{fmt}' (nt, nq, ttl, trig, jsonld)")
    settings: Settings = ctx.obj
    with opened(settings) as (store, _region):
        data = store.export(fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        typer.echo(f"Skrev {len(data)} byte till {output}")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Adress att lyssna på.")] = None,
    port: Annotated[int | None, typer.Option(help="Port att lyssna på.")] = None,
) -> None:
    """Starta webbservern (sidor på svenska) mot lagret."""
    import uvicorn

    from server.app import create_app

    settings: Settings = ctx.obj
    settings = settings.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v is not None})
    region = load_region(settings.region)
    try:
        store = OxigraphStore(settings.store)
    except StoreError as e:
        raise fail(str(e)) from None
    if not store.graph_names():
        raise fail(f"lagret {settings.store} är tomt: kör 'sparbar init' först")
    uvicorn.run(create_app(settings, store, region), host=settings.host, port=settings.port)


@app.command()
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", help="Arbetsboken att skriva (.xlsx).")] = DEFAULT_OUTPUT,
) -> None:
    """Skriv en tom arbetsbok att fylla i, med rullgardinslistor ur lagret; läs in den med 'sparbar load'."""
    settings: Settings = ctx.obj
    with opened(settings) as (store, region):
        try:
            mappings = load_mappings(mappings_folder(settings.region))
            write_template(store, region, mappings, output)
        except (MappingError, TemplateError) as e:
            raise fail(str(e)) from None
    typer.echo(f"Skrev mallen {output}: {len(mappings)} blad och ett instruktionsblad.")


# Indicator data: `sparbar fetch kolada|scb`, `sparbar import opensdg` (loaders/fetch_cli.py).
app.add_typer(fetch_app, name="fetch")
app.add_typer(import_app, name="import")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
