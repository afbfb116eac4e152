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
        store = OxigraphStore(settings.store)
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


Paths = Annotated[list[Path], typer.Argument(help="Turtle, TriG, N-Triples, N-Quads, JSON-LD eller RDF/XML.")]
OptionalPaths = Annotated[list[Path] | None, typer.Argument(help="Filer att pröva mot lagret.")]


@app.command()
def load(ctx: typer.Context, paths: Paths, lang: Lang = "sv") -> None:
    """Läs in filer, var och en i sin namngivna graf; allt eller inget."""
    settings: Settings = ctx.obj
    with opened(settings) as (store, region):
        try:
            plan = plan_files(paths, region)
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
def validate(ctx: typer.Context, paths: OptionalPaths = None, lang: Lang = "sv") -> None:
    """Validera lagret, eller lagret som det skulle bli med PATHS inlästa. Exit 0: uppfyller (varningar
    tillåtna), 1: fel (Violation), 2: oanvändbar indata."""
    settings: Settings = ctx.obj
    with opened(settings) as (store, region):
        try:
            plan = plan_files(paths or [], region)
        except SourceErrors as e:
            raise fail(str(e)) from None
        report = check(store, plan, region, Validator())
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
