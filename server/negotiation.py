"""HTTP content negotiation and conditional requests, shared by every route that offers several formats.

The Accept header is matched by python-mimeparse (q-values, wildcards, most specific range wins); a variant may
answer to alias media types (JSON-LD also to `application/json`). Among equally acceptable variants the one
listed first wins, so each route lists its default first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import mimeparse
from starlette.responses import Response


@dataclass(frozen=True)
class Variant:
    """One representation a route offers: its `?format=` name, media type and other media types it answers."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    label: str = ""  # what a page calls it ("Turtle")

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")


HTML = Variant("html", "text/html", (), "HTML")
TURTLE = Variant("ttl", "text/turtle", (), "Turtle")
JSONLD = Variant("jsonld", "application/ld+json", ("application/json",), "JSON-LD")
NTRIPLES = Variant("nt", "application/n-triples", (), "N-Triples")
RDFXML = Variant("rdfxml", "application/rdf+xml", (), "RDF/XML")
TRIG = Variant("trig", "application/trig", (), "TriG")
NQUADS = Variant("nq", "application/n-quads", (), "N-Quads")
CSV = Variant("csv", "text/csv", (), "CSV")
SPARQL_JSON = Variant("json", "application/sparql-results+json", ("application/json",), "SPARQL JSON")

RDF_VARIANTS = (TURTLE, JSONLD, NTRIPLES, RDFXML)


class NotAcceptable(Exception):
    """No offered variant is acceptable; the 406 response lists what is offered."""

    def __init__(self, offered: Sequence[Variant]) -> None:
        self.offered = list(offered)
        super().__init__("inget av de erbjudna formaten är godtagbart: " + offered_text(offered))


class BadAccept(ValueError):
    """The Accept header cannot be parsed."""


def offered_text(offered: Sequence[Variant]) -> str:
    return ", ".join(v.media_type for v in offered)


def choose(accept: str | None, offered: Sequence[Variant]) -> Variant:
    """The best variant for an Accept header; a missing or empty header accepts the first (the default)."""
    if not accept or not accept.strip():
        return offered[0]
    # mimeparse prefers the *last* of equally good candidates, so the list goes in reverse order of preference
    candidates = [(media, v) for v in reversed(offered) for media in (*reversed(v.aliases), v.media_type)]
    try:
        best = mimeparse.best_match([media for media, _ in candidates], accept)
    except (mimeparse.MimeTypeParseException, ValueError) as e:
        raise BadAccept(f"ogiltigt Accept-huvud '{accept}': {e}") from None
    for media, variant in candidates:
        if media == best:
            return variant
    raise NotAcceptable(offered)


def by_name(name: str, offered: Sequence[Variant]) -> Variant:
    for v in offered:
        if v.name == name:
            return v
    raise NotAcceptable(offered)


def not_acceptable_response(offered: Sequence[Variant]) -> Response:
    """406 naming every offered media type and `?format=` name."""
    body = ("406 Not Acceptable — formatet finns inte. Erbjudna format: " + offered_text(offered)
            + ". Välj med Accept-huvudet eller ?format=" + "|".join(v.name for v in offered) + ".\n")
    return Response(body, status_code=406, media_type="text/plain; charset=utf-8",
                    headers={"Vary": "Accept", "Access-Control-Allow-Origin": "*"})


def etag(*parts: str) -> str:
    """A weak validator: representations of one variant are equivalent, not byte-identical (serialisers may order
    triples differently between runs)."""
    return 'W/"' + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24] + '"'


def matches_if_none_match(header: str | None, tag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag with the same opaque value."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == wanted for t in header.split(","))
