"""The web server: Swedish HTML pages over the knowledge graph.

`create_app(settings, store, region)` is the only entry point; everything the app needs lives in `app.state`.
Resources under the region's base IRI are served by one resolver (server/linked_data.py): a request for `/{path}`
answers for `<{base_iri}{path}>`, as the page for its rdf:type or as RDF by content negotiation. Agenda 2030 goals
(UN IRIs, not under our base) have their own routes under `/agenda2030`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.settings import Region, Settings
from graph.store import Store
from ontology import ONTOLOGY_PATH
from server import api_queries, dataset_routes, linked_data, vocabulary_docs
from server.jsonld_context import build_context
from server.pages import not_found, render
from server.present import date_text, group_digits, sek
from server.sparql.mount import mount_sparql
from server.views import NotFound, Page, Site

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=True,
                                     default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sek"] = sek
    env.filters["datum"] = date_text
    env.filters["siffror"] = group_digits
    return env


def create_app(settings: Settings, store: Store, region: Region) -> FastAPI:
    # the OpenAPI schema documents the named-query API (server/api_queries.py)
    app = FastAPI(title="Spårbar", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.store = store
    app.state.region = region
    app.state.site = Site(store, region)
    app.state.templates = make_environment()
    app.state.jsonld_context = build_context(ONTOLOGY_PATH)

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return not_found(request)
        page = Page("error.html", "Något gick fel", {"status": exc.status_code}, status_code=exc.status_code)
        return render(request, page)

    @app.get("/healthz")
    def healthz(request: Request) -> JSONResponse:
        st: Store = request.app.state.store
        return JSONResponse({"status": "ok", "triples": st.triple_count(),
                             "graphs": len(st.graph_names())})

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return render(request, request.app.state.site.home())

    @app.get("/agenda2030", response_class=HTMLResponse)
    def agenda2030(request: Request) -> HTMLResponse:
        return render(request, request.app.state.site.sdg_goals())

    @app.get("/agenda2030/{n}", response_class=HTMLResponse)
    def agenda2030_goal(request: Request, n: str) -> HTMLResponse:
        if not n.isdigit() or not 1 <= int(n) <= 99 or n != str(int(n)):
            return not_found(request)
        try:
            return render(request, request.app.state.site.sdg_goal(int(n)))
        except NotFound:
            return not_found(request)

    # the SPARQL endpoint and the write interface (docs/design.md "SPARQL endpoint")
    mount_sparql(app)
    # linked data (docs/design.md "Linked data"); the resource resolver is the catch-all, so it goes last
    api_queries.add_routes(app)
    dataset_routes.add_routes(app)
    vocabulary_docs.add_routes(app)
    linked_data.add_resource_route(app)
    return app

