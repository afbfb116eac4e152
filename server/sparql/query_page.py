"""The query page for analysts: YASGUI (vendored under /static/yasgui) over a plain form that works without
JavaScript, with every named query from queries/ as an example."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from graph.named_queries import NamedQuery
from server.sparql.service import SparqlService
from server.views import Page

FORMATS = (
    ("json", "JSON (SPARQL JSON; JSON-LD för CONSTRUCT och DESCRIBE)"),
    ("xml", "XML (SPARQL XML; RDF/XML för CONSTRUCT och DESCRIBE)"),
    ("csv", "CSV (SELECT)"),
    ("tsv", "TSV (SELECT)"),
    ("ttl", "Turtle (CONSTRUCT, DESCRIBE)"),
    ("nt", "N-Triples (CONSTRUCT, DESCRIBE)"),
)
DEFAULT_QUERY = """PREFIX sb: <https://w3id.org/sparbar/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?insats ?titel
WHERE {
  ?insats a sb:Intervention ;
          dcterms:title ?titel .
  FILTER(langMatches(lang(?titel), "sv"))
}
ORDER BY ?titel
LIMIT 20
"""


def _examples(queries: dict[str, NamedQuery]) -> list[dict[str, str]]:
    return [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
            for q in sorted(queries.values(), key=lambda q: q.title)]


def query_page(request: Request, query: str | None = None, example: str | None = None) -> HTMLResponse:
    """The page with `query` (or the named query `example`) in the editor."""
    svc: SparqlService = request.app.state.sparql
    queries = svc.named_queries
    if query is None:
        query = queries[example].text if example in queries else DEFAULT_QUERY
    page = Page("sparql.html", "SPARQL-frågor", {
        "endpoint": svc.endpoint_url(request),
        "query": query,
        "timeout": f"{svc.settings.query_timeout:g}",
        "max_rows": svc.settings.max_result_rows,
        "formats": FORMATS,
        "examples": _examples(queries),
    })
    env: Environment = request.app.state.templates
    html = env.get_template(page.template).render(page=page, d=page.data, region=svc.region, path="/sparql")
    return HTMLResponse(html, headers={"Vary": "Accept"})
