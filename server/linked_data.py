"""Dereferenceable resources: `/{path}` answers for `<{base}{path}>` (and `/kos/{path}` for the controlled lists) in
every format, chosen by the Accept header or by `?format=` (docs/design.md, "Linked data").

Instance IRIs are slash IRIs that name things, not documents (httpRange-14): a request for one without an explicit
format answers `303 See Other` pointing at the document that describes it in the negotiated variant — the same path
with `?format=` — and that document answers 200 with Content-Location, Link alternates and an ETag. Named graphs
(`<base>graph/…`) are documents themselves and answer 200 directly. The HTML document is the page the site always
showed, with the same description embedded as JSON-LD.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pyoxigraph as ox
from fastapi import FastAPI, Query, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import URIRef
from starlette.datastructures import URL

from graph.data_version import data_version
from graph.dumps import graph_quads
from graph.settings import Region
from ontology import KOS_NAMESPACE
from server.describe import description, jsonld_object, rdf_bytes
from server.negotiation import (
    HTML,
    NQUADS,
    RDF_VARIANTS,
    TRIG,
    BadAccept,
    NotAcceptable,
    Variant,
    by_name,
    choose,
    etag,
    matches_if_none_match,
    not_acceptable_response,
)
from server.pages import not_found, render
from server.present import SB
from server.views import NotFound, Page, Site

PAGE_FOR_TYPE = (
    (SB + "Intervention", "intervention"),
    (SB + "SubGoal", "sub_goal"),
    (SB + "FocusArea", "focus_area"),
)
RESOURCE_VARIANTS = (HTML, *RDF_VARIANTS)
GRAPH_VARIANTS = (*RESOURCE_VARIANTS, TRIG, NQUADS)
KOS_PATH = "kos/"

try:
    CODE_VERSION = version("sparbar")
except PackageNotFoundError:  # running from a checkout that is not installed
    CODE_VERSION = "0"


@dataclass(frozen=True)
class Alternate:
    """A link to another variant of the same resource (a `Link` header, a `<link>` and a link on the page)."""

    media_type: str
    href: str
    label: str


class BadFormat(ValueError):
    pass


def iri_for_path(path: str, region: Region) -> URIRef | None:
    """The IRI a request path stands for, or None when it cannot be an IRI."""
    iri = KOS_NAMESPACE + path[len(KOS_PATH):] if path.startswith(KOS_PATH) else region.base_iri + path
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return URIRef(iri)


def negotiate(request: Request, offered: Sequence[Variant], fmt: str | None) -> Variant:
    """`?format=` wins over the Accept header; an unknown format name is a 400, an unacceptable Accept a 406."""
    if fmt is not None:
        try:
            return by_name(fmt, offered)
        except NotAcceptable:
            raise BadFormat(f"parametern format: okänt format '{fmt}' (erbjudna: "
                            f"{', '.join(v.name for v in offered)})") from None
    return choose(request.headers.get("accept"), offered)


def variant_href(url: URL, variant: Variant) -> str:
    """The address of one variant: the request's path and parameters with `format` set."""
    u = url.include_query_params(format=variant.name)
    return f"{u.path}?{u.query}"


def representation_headers(url: URL, chosen: Variant, offered: Sequence[Variant], tag: str) -> dict[str, str]:
    """The headers of every representation: Vary, Content-Location, Link alternates, ETag, CORS."""
    links = [f'<{variant_href(url, v)}>; rel="alternate"; type="{v.media_type}"' for v in offered if v != chosen]
    return {
        "Vary": "Accept",
        "Content-Location": variant_href(url, chosen),
        "Link": ", ".join(links),
        "ETag": tag,
        "Access-Control-Allow-Origin": "*",
    }


def negotiated(request: Request, offered: Sequence[Variant], fmt: str | None, key: str,
               body: Callable[[Variant, dict[str, str]], Response]) -> Response:
    """Choose a variant, answer 304 when the client's copy is current, else build the body with the headers.
    `key` identifies the content apart from the format (e.g. the data version and the path)."""
    try:
        chosen = negotiate(request, offered, fmt)
    except NotAcceptable:
        return not_acceptable_response(offered)
    except (BadAccept, BadFormat) as e:
        return PlainTextResponse(str(e), status_code=400, headers={"Access-Control-Allow-Origin": "*"})
    tag = etag(CODE_VERSION, key, request.url.path, str(sorted(request.query_params.multi_items())), chosen.name)
    headers = representation_headers(request.url, chosen, offered, tag)
    if matches_if_none_match(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return body(chosen, headers)


def alternates(url: URL, chosen: Variant, offered: Sequence[Variant]) -> list[Alternate]:
    return [Alternate(v.media_type, variant_href(url, v), v.label) for v in offered if v != chosen]


def html_page(site: Site, iri: URIRef, types: set[str]) -> Page:
    """The page the site shows for a resource of these types (raises NotFound)."""
    if str(iri) == site.region.strategy_iri:
        return site.home()
    for type_iri, method in PAGE_FOR_TYPE:
        if type_iri in types:
            page: Page = getattr(site, method)(iri)
            return page
    return site.resource(iri, types)


def add_resource_route(app: FastAPI) -> None:
    """The catch-all route: register it after every other route."""

    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def resource(request: Request, path: str, fmt: str | None = Query(None, alias="format")) -> Response:
        site: Site = request.app.state.site
        context: dict[str, Any] = request.app.state.jsonld_context
        iri = iri_for_path(path, site.region)
        known, types = site.types_of(iri) if iri is not None else (False, set())
        is_graph = iri is not None and known and iri in site.store.graph_names()
        offered = GRAPH_VARIANTS if is_graph else RESOURCE_VARIANTS
        if iri is None or not known:
            return missing(request, offered, fmt, str(iri or path))
        assert iri is not None
        if fmt is None and not is_graph:
            return see_other(request, offered)

        def body(chosen: Variant, headers: dict[str, str]) -> Response:
            if chosen in (TRIG, NQUADS):
                return Response(graph_quads(site.store, site.queries, iri, chosen.name), headers=headers,
                                media_type=chosen.content_type)
            g = description(site.store, site.queries, iri)
            if chosen != HTML:
                return Response(rdf_bytes(g, chosen, context), headers=headers, media_type=chosen.content_type)
            try:
                page = html_page(site, iri, types)
            except NotFound:
                return not_found(request, str(iri), headers)
            return render(request, page, headers, jsonld=jsonld_object(g, context),
                          alternates=alternates(request.url, chosen, offered))

        version = data_version(site.store, site.region, site.queries)
        return negotiated(request, offered, fmt, version, body)


def see_other(request: Request, offered: Sequence[Variant]) -> Response:
    """303 to the document describing the thing in the variant the Accept header asks for."""
    try:
        chosen = choose(request.headers.get("accept"), offered)
    except NotAcceptable:
        return not_acceptable_response(offered)
    except BadAccept as e:
        return PlainTextResponse(str(e), status_code=400, headers={"Access-Control-Allow-Origin": "*"})
    links = [f'<{variant_href(request.url, v)}>; rel="alternate"; type="{v.media_type}"' for v in offered]
    return Response(status_code=303, headers={"Location": variant_href(request.url, chosen), "Vary": "Accept",
                                              "Link": ", ".join(links), "Access-Control-Allow-Origin": "*"})


def missing(request: Request, offered: Sequence[Variant], fmt: str | None, what: str) -> Response:
    """404: an HTML page for browsers, a line of text for everyone else."""
    headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
    try:
        chosen = negotiate(request, offered, fmt)
    except (NotAcceptable, BadAccept, BadFormat):
        chosen = None
    if chosen == HTML:
        return not_found(request, what, headers)
    return PlainTextResponse(f"404 — resursen {what} finns inte i kunskapsgrafen.\n", status_code=404,
                             headers=headers)
