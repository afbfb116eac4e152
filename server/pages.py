"""Rendering a page model with the app's templates: the one place every HTML route (pages, linked data, the
named-query API, the vocabulary documentation) goes through."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from server.views import Page, Site


def render(request: Request, page: Page, headers: dict[str, str] | None = None, **extra: Any) -> HTMLResponse:
    """`extra` reaches the template as variables: `jsonld` (embedded description), `alternates` (other formats)."""
    site: Site = request.app.state.site
    env: Environment = request.app.state.templates
    html = env.get_template(page.template).render(
        page=page,
        d=page.data,
        region=site.region,
        path=request.url.path,
        **extra,
    )
    return HTMLResponse(html, status_code=page.status_code, headers=headers)


def not_found(request: Request, what: str | None = None, headers: dict[str, str] | None = None) -> HTMLResponse:
    page = Page("404.html", "Sidan finns inte", {"what": what or request.url.path}, status_code=404)
    return render(request, page, headers)
