"""The write interface: SPARQL Update at `/sparql/update` and the Graph Store Protocol at `/graphs?graph=IRI`.

Off unless the settings hold an `update_token` (then these paths answer 404, as if absent); every write needs
`Authorization: Bearer <token>`. A write changes named graphs under `<base>graph/` only, and only after the store
as it would be passes the same validation as `sparbar load`. It happens in the server process, which alone
holds the store open for writing; the query processes then move to a fresh snapshot (docs/design.md).
`GET /graphs?graph=IRI` is a read, open to all and answered by the query processes like any query.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from rdflib import Graph, URIRef
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from graph.graph_writes import (
    LoadRefused,
    UnsupportedFormat,
    WriteRefused,
    parse_graph,
    writable_graph,
    write_graphs,
)
from graph.report_text import report_text
from graph.sparql_update import UpdateFailed, UpdateTimeout, run_update
from graph.validation import Report
from server.negotiation import RDF_VARIANTS, BadAccept, NotAcceptable, choose, not_acceptable_response
from server.sparql.engine import Job
from server.sparql.limits import QueryRefused, inspect_update
from server.sparql.protocol import READ_HEADERS, VARIANT_BY_FORMAT, error, media_and_charset
from server.sparql.service import SparqlService
from server.sparql.workers import EngineCrashed, QueryFailed, QueryTimeout

router = APIRouter()


def _service(request: Request) -> SparqlService:
    return request.app.state.sparql  # type: ignore[no-any-return]


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)


def _refusal(request: Request) -> Response | None:
    """None when the request may write; else the response that says why not."""
    svc = _service(request)
    if svc.update_token is None:
        return text(404, "Skrivningar är avstängda på den här servern (ingen update_token i inställningarna).")
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return text(401, "Skrivningar kräver behörighet: Authorization: Bearer <token>.",
                    {"WWW-Authenticate": 'Bearer realm="sparbar"'})
    if not hmac.compare_digest(token.strip().encode("utf-8"), svc.update_token.encode("utf-8")):
        return text(403, "Fel token: skrivningen avvisades.")
    return None


# --- SPARQL Update ---------------------------------------------------------------------------------------------
@router.post("/sparql/update")
async def sparql_update(request: Request) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    media, charset = media_and_charset(request.headers.get("content-type"))
    body = await request.body()
    fields = list(request.query_params.multi_items())
    try:
        if media == "application/sparql-update":
            if charset not in (None, "utf-8", "utf8"):
                return text(415, f"Uppdateringen ska skickas som UTF-8, inte {charset}.")
            updates = [body.decode("utf-8")]
        elif media == "application/x-www-form-urlencoded":
            fields += parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            updates = [v for k, v in fields if k == "update"]
        else:
            return text(415, "En uppdatering skickas som application/sparql-update eller "
                             "application/x-www-form-urlencoded (parametern update).")
    except (UnicodeDecodeError, ValueError):
        return text(400, "Uppdateringen är inte giltig UTF-8.")
    if len(updates) != 1:
        return text(400, f"Ange exakt en uppdatering (parametern update), inte {len(updates)}.")
    if any(k in ("using-graph-uri", "using-named-graph-uri") for k, _ in fields):
        return text(400, "using-graph-uri och using-named-graph-uri stöds inte: ange graferna med USING eller "
                         "GRAPH i uppdateringen.")
    return await run_in_threadpool(_apply_update, request, updates[0])


def _apply_update(request: Request, update: str) -> Response:
    svc = _service(request)
    base = svc.endpoint_url(request) + "/update"
    try:
        inspect_update(update, svc.limits, base)
    except QueryRefused as e:
        return text(400, str(e))
    if svc.pool is None:
        return text(503, "Skrivningar kräver Spårbars inbyggda Oxigraph-lager.")
    with svc.write_lock:
        svc.pool.snapshots.current()  # the snapshot folder is set up (and cleared) before a scratch copy goes in
        try:
            outcome = run_update(svc.store, update, base, svc.settings.query_timeout,  # type: ignore[arg-type]
                                 svc.pool.snapshots.root)
        except UpdateTimeout as e:
            return text(503, str(e))
        except UpdateFailed as e:
            return text(400, str(e))
        if outcome.default_graph_triples:
            return text(400, f"Uppdateringen skulle lämna {outcome.default_graph_triples} tripler i standardgrafen. "
                             "Varje källa har en egen namngiven graf: skriv i "
                             f"GRAPH <{svc.region.graph_iri('NAMN')}> {{ … }}. Ingenting skrevs.")
        if not outcome.changed:
            return text(200, "Uppdateringen ändrade ingenting.")
        return _write(svc, outcome.changed, "SPARQL Update", base)


def _write(svc: SparqlService, graphs: dict[URIRef, Graph], origin: str, source: str,
           created: bool = False) -> Response:
    """Validate and write (the caller holds the write lock), then move the query processes to the new data."""
    try:
        report = write_graphs(svc.store, graphs, svc.region, svc.validator, origin, source)
    except WriteRefused as e:
        return text(400, f"{e} Ingenting skrevs.")
    except LoadRefused as e:
        return text(409, f"{e}\n\n{report_text(e.report, 'sv')}")
    assert svc.pool is not None
    svc.pool.refresh()
    return text(201 if created else 200, _written(graphs, report))


def _written(graphs: dict[URIRef, Graph], report: Report) -> str:
    lines = [f"Borttagen: <{name}>" if len(g) == 0 else f"Skriven: <{name}> ({len(g)} tripler)"
             for name, g in sorted(graphs.items())]
    if report.findings:
        lines += ["", report_text(report, "sv")]
    return "\n".join(lines)


# --- Graph Store Protocol --------------------------------------------------------------------------------------
def _graph_param(request: Request) -> str | Response:
    names = request.query_params.getlist("graph")
    if "default" in request.query_params:
        return text(400, "Standardgrafen är unionen av alla namngivna grafer och kan inte hämtas eller skrivas "
                         "här; ange ?graph=IRI.")
    if len(names) != 1:
        return text(400, "Ange exakt en graf: /graphs?graph=IRI.")
    return names[0]


@router.get("/graphs")
def graph_get(request: Request) -> Response:
    name = _graph_param(request)
    if isinstance(name, Response):
        return name
    svc = _service(request)
    if URIRef(name) not in set(svc.store.graph_names()):
        return text(404, f"Grafen <{name}> finns inte.", READ_HEADERS)
    try:
        chosen = choose(request.headers.get("accept"), RDF_VARIANTS)
    except NotAcceptable as e:
        return not_acceptable_response(e.offered)
    except BadAccept as e:
        return error(400, str(e))
    job = Job(query=svc.named_query("graph-content").text, results_format="json", graph_format=chosen.name,
              max_rows=svc.settings.max_result_rows, substitutions=(("graph", name),))
    try:
        answer = svc.run(job)
    except QueryTimeout as e:
        return error(503, str(e), {"Retry-After": "60"})
    except EngineCrashed as e:
        return error(500, str(e))
    except QueryFailed as e:
        return error(400, str(e))
    return Response(answer.data, media_type=VARIANT_BY_FORMAT[answer.format].content_type, headers=READ_HEADERS)


@router.put("/graphs")
async def graph_put(request: Request) -> Response:
    return await _graph_write(request, merge=False)


@router.post("/graphs")
async def graph_post(request: Request) -> Response:
    return await _graph_write(request, merge=True)


@router.delete("/graphs")
def graph_delete(request: Request) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    name = _graph_param(request)
    if isinstance(name, Response):
        return name
    svc = _service(request)
    with svc.write_lock:
        if URIRef(name) not in set(svc.store.graph_names()):
            return text(404, f"Grafen <{name}> finns inte.")
        return _write(svc, {URIRef(name): Graph()}, "Graph Store Protocol", svc.public_base(request) + "graphs")


async def _graph_write(request: Request, merge: bool) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    name = _graph_param(request)
    if isinstance(name, Response):
        return name
    body = await request.body()
    media, _charset = media_and_charset(request.headers.get("content-type"))
    return await run_in_threadpool(_graph_write_sync, request, name, body, media, merge)


def _graph_write_sync(request: Request, name: str, body: bytes, media: str, merge: bool) -> Response:
    svc = _service(request)
    try:
        graph = writable_graph(name, svc.region)
        content = parse_graph(body, media, name)
    except UnsupportedFormat as e:
        return text(415, f"{e} Ingenting skrevs.")
    except WriteRefused as e:
        return text(400, f"{e} Ingenting skrevs.")
    with svc.write_lock:
        exists = graph in set(svc.store.graph_names())
        if merge and exists:
            content = svc.store.graph(graph, into=content)
        return _write(svc, {graph: content}, "Graph Store Protocol", svc.public_base(request) + "graphs",
                      created=not exists)
