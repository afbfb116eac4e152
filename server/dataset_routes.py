"""Routes that describe and distribute the dataset as a whole: VoID at /.well-known/void, the DCAT-AP-SE catalogue
at /datasets/dcat, the gzip dumps under /dumps/, and the JSON-LD context at /context.jsonld.

VoID and DCAT are computed once per data version and public URL (whole-graph counts take a second at a million
triples) and the dumps are built on the first request after the data changed (graph/dumps.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from rdflib import Graph, URIRef

from graph.data_version import data_version
from graph.dumps import DumpCache
from graph.settings import Settings
from server.dataset_facts import DatasetFacts, read_facts
from server.dcat import catalogue_graph
from server.describe import rdf_bytes
from server.linked_data import negotiated
from server.negotiation import JSONLD, NTRIPLES, RDFXML, TURTLE, Variant, matches_if_none_match
from server.views import Site
from server.void import void_graph

VOID_VARIANTS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
DCAT_VARIANTS = (RDFXML, TURTLE, JSONLD, NTRIPLES)  # dataportal.se harvests RDF/XML


def dumps_folder(settings: Settings) -> Path:
    if settings.dumps is not None:
        return settings.dumps
    return settings.store.with_name(settings.store.name + "-dumps")


def public_url(request: Request) -> str:
    settings: Settings = request.app.state.settings
    url = settings.public_url or str(request.base_url)
    return url if url.endswith("/") else url + "/"


class FactsCache:
    """The dataset facts of the latest (data version, public URL); recomputed when either changes."""

    def __init__(self, site: Site, dumps: DumpCache) -> None:
        self.site = site
        self.dumps = dumps
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None
        self._facts: DatasetFacts | None = None

    def get(self, url: str) -> DatasetFacts:
        with self._lock:
            version, dumps = self.dumps.current()
            if self._facts is None or self._key != (version, url):
                facts = read_facts(self.site.store, self.site.queries, self.site.region, version, url)
                facts.dumps = dumps
                self._key, self._facts = (version, url), facts
            return self._facts


def add_routes(app: FastAPI) -> None:
    site: Site = app.state.site
    dump_cache = DumpCache(dumps_folder(app.state.settings), site.store, site.region, site.queries,
                           lambda: data_version(site.store, site.region, site.queries))
    app.state.dumps = dump_cache
    app.state.dataset_facts = FactsCache(site, dump_cache)

    def rdf_route(request: Request, fmt: str | None, offered: tuple[Variant, ...],
                  build: Any) -> Response:
        url = public_url(request)
        cache: FactsCache = request.app.state.dataset_facts
        context: dict[str, Any] = request.app.state.jsonld_context
        version = data_version(site.store, site.region, site.queries)

        def body(chosen: Variant, headers: dict[str, str]) -> Response:
            g: Graph = build(cache.get(url))
            return Response(rdf_bytes(g, chosen, context), headers=headers, media_type=chosen.content_type)

        return negotiated(request, offered, fmt, version + " " + url, body)

    @app.get("/.well-known/void", include_in_schema=False)
    def void(request: Request, fmt: str | None = Query(None, alias="format")) -> Response:
        document = URIRef(site.region.base_iri + ".well-known/void")
        return rdf_route(request, fmt, VOID_VARIANTS, lambda facts: void_graph(facts, document))

    @app.get("/datasets/dcat", include_in_schema=False)
    def dcat(request: Request, fmt: str | None = Query(None, alias="format")) -> Response:
        catalogue = site.region.base_iri + "datasets/dcat"
        return rdf_route(request, fmt, DCAT_VARIANTS, lambda facts: catalogue_graph(facts, catalogue))

    @app.get("/dumps/{name:path}", include_in_schema=False)
    def dump(request: Request, name: str) -> Response:
        cache: DumpCache = request.app.state.dumps
        version, dumps = cache.current()
        for d in dumps:
            if d.name == name:
                headers = {"ETag": f'"{d.sha256[:32]}"', "Access-Control-Allow-Origin": "*",
                           "Content-Disposition": f'attachment; filename="{Path(d.name).name}"'}
                if matches_if_none_match(request.headers.get("if-none-match"), headers["ETag"]):
                    return Response(status_code=304, headers=headers)
                return FileResponse(cache.path(version, d), media_type="application/gzip", headers=headers)
        known = ", ".join(d.name for d in dumps)
        return PlainTextResponse(f"404 — dumpen '{name}' finns inte. Dumpar: {known}\n", status_code=404,
                                 headers={"Access-Control-Allow-Origin": "*"})

    @app.get("/context.jsonld", include_in_schema=False)
    def context(request: Request) -> Response:
        return JSONResponse({"@context": request.app.state.jsonld_context}, media_type=JSONLD.media_type,
                            headers={"Access-Control-Allow-Origin": "*"})
