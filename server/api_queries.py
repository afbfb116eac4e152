"""Named queries as an API: every `queries/*.rq` at /api/queries/{name}, its parameters as query-string parameters
(validated and bound as RDF terms by graph.named_queries), answered as SPARQL results JSON, CSV or an HTML table
(CONSTRUCT queries as RDF); /api/queries lists them. Each query is its own route, so the OpenAPI schema
(/api/openapi.json, browsable at /api/docs) lists every query with its parameters.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from graph.data_version import data_version
from graph.named_queries import NamedQuery, NamedQueryError
from graph.store import QueryError
from server.describe import rdf_bytes
from server.linked_data import alternates, negotiated
from server.negotiation import CSV, HTML, RDF_VARIANTS, SPARQL_JSON, Variant
from server.pages import render
from server.views import Page, Site

LIST_JSON = Variant("json", "application/json", (), "JSON")
LIST_VARIANTS = (LIST_JSON, HTML)
RESULT_VARIANTS = (SPARQL_JSON, CSV, HTML)
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
# OpenAPI schema types of the parameter types of graph.named_queries
_SCHEMA = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "gYear": {"type": "string", "pattern": "^-?[0-9]{4}$"},
}
CORS = {"Access-Control-Allow-Origin": "*"}


def query_form(query: NamedQuery) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword outside comments and prefixes."""
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    m = _FORM.search(body)
    return m.group(1).upper() if m else "SELECT"


def openapi_parameters(query: NamedQuery) -> list[dict[str, Any]]:
    params = [{"name": p.name, "in": "query", "required": not p.optional, "schema": _SCHEMA[p.type],
               "description": p.description + (" (IRI, eller sökväg under regionens bas-IRI)" if p.type == "iri"
                                                else "")}
              for p in query.parameters]
    params.append({"name": "format", "in": "query", "required": False,
                   "schema": {"type": "string", "enum": [v.name for v in offered_for(query)]},
                   "description": "Svarsformat; annars väljs det med Accept-huvudet."})
    return params


def offered_for(query: NamedQuery) -> tuple[Variant, ...]:
    form = query_form(query)
    if form == "ASK":
        return (SPARQL_JSON,)
    return RDF_VARIANTS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_VARIANTS


def query_listing(request: Request, queries: dict[str, NamedQuery]) -> list[dict[str, Any]]:
    return [{"name": q.name, "title": q.title, "description": q.description, "form": query_form(q),
             "url": str(request.url_for(f"api_query_{q.name}")),
             "parameters": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                            for p in q.parameters]}
            for q in queries.values()]


def bad_request(message: str) -> Response:
    return PlainTextResponse(f"400 — {message}\n", status_code=400, headers=CORS)


def run_query(request: Request, query: NamedQuery) -> Response:
    site: Site = request.app.state.site
    values: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name == "format":
            continue
        if name in values:
            return bad_request(f"parametern '{name}' får bara anges en gång")
        values[name] = value
    try:
        bindings = query.bindings(values, site.region.base_iri)
    except NamedQueryError as e:
        return bad_request(str(e))
    offered = offered_for(query)

    def body(chosen: Variant, headers: dict[str, str]) -> Response:
        try:
            if chosen in RDF_VARIANTS:
                g = site.store.construct(query.text, bindings)
                data = rdf_bytes(g, chosen, request.app.state.jsonld_context)
            elif chosen == HTML:
                result = site.store.select(query.text, bindings)
                page = Page("api_result.html", query.title, {"query": query, "result": result, "values": values})
                return render(request, page, headers, alternates=alternates(request.url, chosen, offered))
            else:
                data = site.store.query_raw(query.text, chosen.name, bindings)
        except QueryError as e:
            return PlainTextResponse(f"500 — frågan '{query.name}' kunde inte köras: {e}\n", status_code=500,
                                     headers=CORS)
        return Response(data, headers=headers, media_type=chosen.content_type)

    version = data_version(site.store, site.region, site.queries)
    return negotiated(request, offered, request.query_params.get("format"), version, body)


def add_routes(app: FastAPI) -> None:
    site: Site = app.state.site
    queries = site.queries

    @app.get("/api/queries", summary="Namngivna frågor", tags=["frågor"],
             description="Alla namngivna frågor med titel, beskrivning och parametrar (JSON; HTML för webbläsare).")
    def list_queries(request: Request) -> Response:
        listing = query_listing(request, queries)

        def body(chosen: Variant, headers: dict[str, str]) -> Response:
            if chosen == HTML:
                page = Page("api_queries.html", "Namngivna frågor", {"queries": listing})
                return render(request, page, headers, alternates=alternates(request.url, chosen, LIST_VARIANTS))
            return JSONResponse(listing, headers=headers)

        return negotiated(request, LIST_VARIANTS, request.query_params.get("format"), "query-list", body)

    for query in queries.values():
        app.add_api_route(
            f"/api/queries/{query.name}", _endpoint(query), methods=["GET"], name=f"api_query_{query.name}",
            summary=query.title, description=query.description, tags=["frågor"],
            openapi_extra={"parameters": openapi_parameters(query),
                           "responses": {"200": {"content": {v.media_type: {} for v in offered_for(query)}},
                                         "400": {"description": "Okänd, saknad eller ogiltig parameter"}}},
        )

    @app.get("/api/queries/{name}", include_in_schema=False)
    def unknown_query(name: str) -> Response:
        return PlainTextResponse(f"404 — det finns ingen fråga '{name}' (se /api/queries)\n", status_code=404,
                                 headers=CORS)


def _endpoint(query: NamedQuery) -> Any:
    def endpoint(request: Request) -> Response:
        return run_query(request, query)

    endpoint.__name__ = f"api_query_{query.name.replace('-', '_')}"
    return endpoint
