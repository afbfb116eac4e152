"""The web server: Swedish HTML pages over the knowledge graph.

`create_app(settings, store, region)` is the only entry point; everything the app needs lives in `app.state`.
Resources under the region's base IRI are served by one resolver: a request for `/{path}` shows
`<{base_iri}{path}>` with the template for its rdf:type. Agenda 2030 goals (UN IRIs, not under our base) have
their own routes under `/agenda2030`.
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
from server.present import SB, date_text, group_digits, sek
from server.views import NotFound, Page, Site

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

PAGE_FOR_TYPE = (
    (SB + "Intervention", "intervention"),
    (SB + "SubGoal", "sub_goal"),
    (SB + "FocusArea", "focus_area"),
)


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
    app = FastAPI(title="Spårbar", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store
    app.state.region = region
    app.state.site = Site(store, region)
    app.state.templates = make_environment()

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def render(request: Request, page: Page) -> HTMLResponse:
        site: Site = request.app.state.site
        env: Environment = request.app.state.templates
        html = env.get_template(page.template).render(
            page=page,
            d=page.data,
            region=site.region,
            path=request.url.path,
        )
        return HTMLResponse(html, status_code=page.status_code)

    def not_found(request: Request, what: str | None = None) -> HTMLResponse:
        page = Page("404.html", "Sidan finns inte", {"what": what or request.url.path}, status_code=404)
        return render(request, page)

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

    @app.get("/{path:path}", response_class=HTMLResponse)
    def resolve(request: Request, path: str) -> HTMLResponse:
        site: Site = request.app.state.site
        try:
            iri = site.iri_for_path(path)
            known, types = site.types_of(iri)
            if not known:
                return not_found(request, str(iri))
            if str(iri) == site.region.strategy_iri:
                return render(request, site.home())
            for type_iri, method in PAGE_FOR_TYPE:
                if type_iri in types:
                    return render(request, getattr(site, method)(iri))
            return render(request, site.resource(iri, types))
        except NotFound:
            return not_found(request)

    return app

