"""Turning RDF terms into what a page shows: labels (sv → en → local name), links, amounts and dates.

Nothing here touches the store; the functions take the terms a named query returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

SB = "https://w3id.org/sparbar/def#"
SDG = "http://metadata.un.org/sdg/"

PREFIXES = {
    SB: "sb:",
    "https://w3id.org/sparbar/kos/": "sbk:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://purl.org/linked-data/cube#": "qb:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://metadata.un.org/sdg/ontology#": "sdgo:",
    SDG: "sdg:",
}


# Swedish names for the common properties of other vocabularies (the ontology labels its own terms).
PROPERTY_NAMES_SV = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "typ",
    "http://www.w3.org/2000/01/rdf-schema#label": "etikett",
    "http://www.w3.org/2000/01/rdf-schema#comment": "kommentar",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": "se även",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "namn",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alternativt namn",
    "http://www.w3.org/2004/02/skos/core#definition": "definition",
    "http://www.w3.org/2004/02/skos/core#note": "anmärkning",
    "http://www.w3.org/2004/02/skos/core#editorialNote": "redaktionell anmärkning",
    "http://www.w3.org/2004/02/skos/core#broader": "överordnat begrepp",
    "http://www.w3.org/2004/02/skos/core#narrower": "underordnat begrepp",
    "http://www.w3.org/2004/02/skos/core#inScheme": "ingår i",
    "http://www.w3.org/2004/02/skos/core#notation": "beteckning",
    "http://purl.org/dc/terms/title": "titel",
    "http://purl.org/dc/terms/description": "beskrivning",
    "http://purl.org/dc/terms/identifier": "identifierare",
    "http://purl.org/dc/terms/source": "källa",
    "http://purl.org/dc/terms/creator": "upphov",
    "http://purl.org/dc/terms/date": "datum",
    "http://purl.org/dc/terms/issued": "utgiven",
    "http://purl.org/dc/terms/isPartOf": "ingår i",
    "http://purl.org/dc/terms/spatial": "geografiskt område",
    "http://purl.org/linked-data/cube#dataSet": "datamängd",
}


@dataclass(frozen=True)
class Label:
    """A text to show and its language; `lang` None or "sv" needs no lang attribute on the page."""

    text: str
    lang: str | None = None
    fallback: bool = False  # made from the IRI's local name: the resource has no label

    @property
    def foreign(self) -> bool:
        return bool(self.lang) and not (self.lang or "").lower().startswith("sv")

    def __str__(self) -> str:
        return self.text


def local_name(iri: str) -> str:
    """The last segment of an IRI (after # or /); the IRI itself when there is none."""
    trimmed = iri.rstrip("/#")
    m = re.search(r"[#/]([^#/]+)$", trimmed)
    return m.group(1) if m else iri


def curie(iri: str) -> str:
    for ns, prefix in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return prefix + iri[len(ns):]
    return iri


def label(*candidates: Identifier | None, iri: Identifier | str | None = None) -> Label:
    """The first candidate literal (callers pass sv, then en, then language-less), else the IRI's local name.

    Never fails: with nothing at all it returns an empty-ish placeholder."""
    for c in candidates:
        if isinstance(c, Literal) and str(c).strip():
            return Label(str(c), c.language)
    if iri is not None:
        return Label(local_name(str(iri)), None, True)
    return Label("(utan namn)", None, True)


def text(term: Identifier | None) -> Label | None:
    """A literal as a Label keeping its language (for descriptions, ambitions, findings)."""
    if isinstance(term, Literal) and str(term).strip():
        return Label(str(term), term.language)
    return None


def truthy(term: Identifier | None) -> bool:
    if term is None:
        return False
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return value
        return str(term).strip().lower() in ("true", "1")
    return False


def number(term: Identifier | None) -> Decimal:
    if term is None:
        return Decimal(0)
    try:
        return Decimal(str(term))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def integer(term: Identifier | None) -> int:
    return int(number(term))


def group_digits(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def sek(value: Decimal | int | float | Identifier | None, currency: str = "SEK") -> str:
    """1250000 → '1 250 000 kr' (no-break spaces); öre shown only when there are any."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        amount = number(value)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = int(((amount - whole) * 100).quantize(Decimal(1)))
    out = sign + group_digits(whole)
    if cents:
        out += f",{cents:02d}"
    unit = "kr" if currency in ("SEK", "", None) else currency
    return f"{out}\u00a0{unit}"


def date_text(term: Identifier | None) -> str:
    return str(term) if term is not None else ""


@dataclass
class Ref:
    """A resource as a page shows it: label, where it links, whether it is example data."""

    iri: str
    label: Label
    href: str | None = None
    external: bool = False
    example: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Linker:
    """Maps IRIs to page addresses: our own IRIs to the resolver, SDG goals to /agenda2030/{n}, everything else
    (SDG targets and indicators, sources) to the IRI itself."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def href(self, iri: str) -> tuple[str | None, bool]:
        if iri.startswith(self.base):
            return "/" + iri[len(self.base):], False
        m = re.fullmatch(re.escape(SDG) + r"(\d{1,2})", iri)
        if m:
            return f"/agenda2030/{m.group(1)}", False
        if iri.startswith(("http://", "https://")):
            return iri, True
        return None, False

    def ref(self, iri: Identifier | str, lbl: Label | None = None, example: bool = False, **extra: Any) -> Ref:
        iri = str(iri)
        href, external = self.href(iri)
        return Ref(iri, lbl or label(iri=iri), href, external, example, dict(extra))

    def is_internal(self, iri: str) -> bool:
        return self.href(iri)[0] is not None and not self.href(iri)[1]


def sdg_goal_iri(n: int) -> URIRef:
    return URIRef(f"{SDG}{n}")


def target_sort_key(code: str) -> tuple[int, int, str]:
    """'8.10' after '8.9', lettered targets ('8.a') after the numbered ones."""
    goal, _, sub = code.partition(".")
    g = int(goal) if goal.isdigit() else 999
    if sub.isdigit():
        return g, int(sub), ""
    return g, 1000, sub


def number_key(term: Identifier | None) -> tuple[int, int]:
    """Sort numbered items first by number, unnumbered last."""
    if term is None:
        return 1, 0
    try:
        return 0, int(str(term))
    except ValueError:
        return 1, 0
