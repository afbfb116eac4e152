"""`/sparql`: the SPARQL 1.1 Protocol's query operation, read-only.

GET with `query`, POST form-encoded, POST direct (`application/sparql-query`); `default-graph-uri` and
`named-graph-uri` replace the query's own dataset. GET without a query answers the Service Description, or the
query page to a browser. Errors are plain text in Swedish with a 4xx/5xx status — never a partial 200.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from server.negotiation import (
    CSV,
    HTML,
    RDF_VARIANTS,
    SPARQL_JSON,
    BadAccept,
    NotAcceptable,
    Variant,
    by_name,
    choose,
    not_acceptable_response,
)
from server.sparql.engine import Job
from server.sparql.limits import QueryRefused, inspect_query
from server.sparql.query_page import query_page
from server.sparql.service import SparqlService
from server.sparql.service_description import service_description
from server.sparql.workers import EngineCrashed, PoolBusy, QueryFailed, QueryTimeout, Unavailable

SPARQL_XML = Variant("xml", "application/sparql-results+xml", ("application/xml",), "SPARQL XML")
TSV = Variant("tsv", "text/tab-separated-values", (), "TSV")
SELECT_VARIANTS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
ASK_VARIANTS = (SPARQL_JSON, SPARQL_XML)
GRAPH_VARIANTS = RDF_VARIANTS  # Turtle, JSON-LD, N-Triples, RDF/XML
ALL_VARIANTS = (*SELECT_VARIANTS, *GRAPH_VARIANTS)
VARIANT_BY_FORMAT = {v.name: v for v in ALL_VARIANTS}
READ_HEADERS = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}

UPDATE_HERE = ("Den här tjänsten är skrivskyddad och tar inte emot SPARQL Update. Skrivningar görs på "
               "/sparql/update och kräver behörighet.")

router = APIRouter()


def _service(request: Request) -> SparqlService:
    return request.app.state.sparql  # type: ignore[no-any-return]


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={**READ_HEADERS, **(headers or {})})


@router.get("/sparql")
def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        return error(400, UPDATE_HERE)
    queries = params.getlist("query")
    if not queries:
        return _without_query(request)
    if len(queries) > 1:
        return error(400, f"Ange exakt en fråga: parametern query förekommer {len(queries)} gånger.")
    return answer(request, queries[0], params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
                  params.get("format"), allow_page=True)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    media, charset = media_and_charset(request.headers.get("content-type"))
    fields: list[tuple[str, str]] = list(request.query_params.multi_items())
    # percent-encoding may triple a query's size; anything larger is refused before it is read whole
    body = await _body_at_most(request, 3 * _service(request).limits.max_bytes + 1024)
    if body is None:
        return error(413, f"Förfrågan är för stor: en fråga får vara högst {_service(request).limits.max_bytes} byte.")
    if media == "application/x-www-form-urlencoded":
        try:
            fields += parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            return error(400, "Formulärdata kunde inte läsas: den ska vara URL-kodad UTF-8.")
        queries = [v for k, v in fields if k == "query"]
    elif media == "application/sparql-query":
        if charset not in (None, "utf-8", "utf8"):
            return error(415, f"Frågan ska skickas som UTF-8, inte {charset}.")
        try:
            queries = [body.decode("utf-8")] + [v for k, v in fields if k == "query"]
        except UnicodeDecodeError:
            return error(400, "Frågan är inte giltig UTF-8.")
    elif media == "application/sparql-update":
        return error(400, UPDATE_HERE)
    else:
        got = f", inte {media}." if media else "; Content-Type saknas."
        return error(415, "En fråga skickas med POST som application/x-www-form-urlencoded (parametern query) "
                          "eller application/sparql-query" + got)
    if any(k == "update" for k, _ in fields):
        return error(400, UPDATE_HERE)
    if len(queries) != 1:
        return error(400, f"Ange exakt en fråga (parametern query), inte {len(queries)}.")
    default_graphs = [v for k, v in fields if k == "default-graph-uri"]
    named_graphs = [v for k, v in fields if k == "named-graph-uri"]
    fmt = next((v for k, v in fields if k == "format"), None)
    return await run_in_threadpool(answer, request, queries[0], default_graphs, named_graphs, fmt, False)


async def _body_at_most(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is longer than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"])
def sparql_other(request: Request) -> Response:
    return error(405, f"Metoden {request.method} stöds inte: frågor skickas med GET eller POST.",
                 {"Allow": "GET, POST, OPTIONS"})


@router.options("/sparql")
def sparql_preflight() -> Response:
    return Response(status_code=204, headers={
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Max-Age": "86400",
        "Allow": "GET, POST, OPTIONS",
    })


def media_and_charset(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    media, *params = (part.strip() for part in header.split(";"))
    charset = None
    for p in params:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


# `?format=` names a format for either kind of result: SPARQL JSON / JSON-LD, SPARQL XML / RDF/XML
_FORMAT_COUNTERPART = {"json": "jsonld", "jsonld": "json", "xml": "rdfxml", "rdfxml": "xml"}


def _negotiate(request: Request, offered: Sequence[Variant], fmt: str | None) -> Variant:
    """`?format=` (a name; an extension for links and the plain form) wins over the Accept header."""
    if fmt:
        names = {v.name for v in offered}
        return by_name(fmt if fmt in names else _FORMAT_COUNTERPART.get(fmt, fmt), offered)
    return choose(request.headers.get("accept"), offered)


def _without_query(request: Request) -> Response:
    """A browser gets the query page; every other client the Service Description."""
    try:
        chosen = _negotiate(request, (*GRAPH_VARIANTS, HTML), request.query_params.get("format"))
    except NotAcceptable as e:
        return not_acceptable_response(e.offered)
    except BadAccept as e:
        return error(400, str(e))
    if chosen is HTML:
        return query_page(request, example=request.query_params.get("example"))
    svc = _service(request)
    data = service_description(svc, request).serialize(format=_RDFLIB_FORMAT[chosen.name])
    return Response(data, media_type=chosen.content_type, headers=READ_HEADERS)


_RDFLIB_FORMAT = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt11", "rdfxml": "xml"}


def answer(request: Request, query: str, default_graphs: list[str], named_graphs: list[str],
           fmt: str | None, allow_page: bool) -> Response:
    """Check, negotiate and run one query. Runs in a threadpool thread: it waits for a query process."""
    svc = _service(request)
    base = svc.endpoint_url(request)
    try:
        if allow_page and not fmt and _negotiate(request, (*ALL_VARIANTS, HTML), None) is HTML:
            return query_page(request, query)  # a browser: the query goes into the editor, unread
    except (NotAcceptable, BadAccept):
        pass  # answered below, once the form of the query is known
    try:
        shape = inspect_query(query, svc.limits, base)
        svc.check_dataset(shape.dataset + [(g, False) for g in default_graphs] + [(g, True) for g in named_graphs])
    except QueryRefused as e:
        return error(400, str(e))
    offered = {"select": SELECT_VARIANTS, "ask": ASK_VARIANTS}.get(shape.form, GRAPH_VARIANTS)
    try:
        chosen = _negotiate(request, offered, fmt)
    except NotAcceptable as e:
        if shape.form in ("select", "ask", "construct", "describe"):
            return not_acceptable_response(e.offered)
        chosen = offered[0]  # not recognisable: the engine will say what is wrong with it
    except BadAccept as e:
        return error(400, str(e))
    protocol_dataset = bool(default_graphs or named_graphs)
    job = Job(
        query=query,
        results_format=chosen.name if chosen.name in ("json", "xml", "csv", "tsv") else "json",
        graph_format=chosen.name if chosen.name in ("ttl", "jsonld", "nt", "rdfxml") else "ttl",
        max_rows=svc.settings.max_result_rows,
        base_iri=base,
        default_graphs=tuple(default_graphs) if protocol_dataset else None,
        named_graphs=tuple(named_graphs) if protocol_dataset else None,
        union_default_graph=not shape.has_dataset_clause,
        prefixes=tuple(shape.prefixes.items()),
    )
    try:
        result = svc.run(job)
    except QueryTimeout as e:
        return error(503, str(e), {"Retry-After": "60"})
    except (PoolBusy, Unavailable) as e:
        return error(503, str(e), {"Retry-After": "5"})
    except EngineCrashed as e:
        return error(500, str(e))
    except QueryFailed as e:
        return error(400, str(e))
    return Response(result.data, media_type=VARIANT_BY_FORMAT[result.format].content_type, headers=READ_HEADERS)
