"""Named queries: `.rq` files with a header that says what they answer and which parameters they take.

Header lines come first, each `# key: value`:
    # title: Kedjan från en insats upp till Agenda 2030
    # description: (may repeat; lines are joined)
    # param: insats iri — Insatsens IRI
    # param: year gYear optional — Budgetår
Parameter types: iri, string, integer, decimal, date, gYear. Values are bound as RDF terms, never pasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

import queries

QUERIES_DIR = Path(queries.__file__).parent
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "gYear")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)(?P<optional>\s+optional)?\s*(?:[—-]+\s*(?P<doc>.*))?$"
)


class NamedQueryError(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    optional: bool
    description: str

    def bind(self, raw: str, base_iri: str | None = None) -> Identifier:
        """Turn a text value into an RDF term of this parameter's type, or say clearly why not."""
        try:
            if self.type == "iri":
                iri = raw if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) or base_iri is None else base_iri + raw
                ox.NamedNode(iri)  # validates the IRI
                return URIRef(iri)
            if self.type == "integer":
                return Literal(int(raw), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(Decimal(raw.replace(",", ".")), datatype=XSD.decimal)
            if self.type == "date":
                return Literal(date.fromisoformat(raw), datatype=XSD.date)
            if self.type == "gYear":
                if not re.fullmatch(r"-?\d{4}", raw):
                    raise ValueError(raw)
                return Literal(raw, datatype=XSD.gYear)
            return Literal(raw)
        except (ValueError, InvalidOperation):
            raise NamedQueryError(f"parametern '{self.name}' ska vara av typen {self.type}, fick '{raw}'") from None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)

    def bindings(self, values: dict[str, str], base_iri: str | None = None) -> dict[str, Identifier]:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise NamedQueryError(
                f"okänd parameter '{unknown[0]}' för frågan '{self.name}' "
                f"(kända: {', '.join(known) or 'inga'})"
            )
        missing = [p.name for p in self.parameters if not p.optional and p.name not in values]
        if missing:
            raise NamedQueryError(f"frågan '{self.name}' behöver parametern '{missing[0]}'")
        return {name: known[name].bind(raw, base_iri) for name, raw in values.items()}


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.strip() in ("title", "description", "param"):
            header.setdefault(key.strip(), []).append(value.strip())
    if "title" not in header or "description" not in header:
        raise NamedQueryError(f"{path}: huvudet måste ha '# title:' och '# description:'")
    params = []
    for spec in header.get("param", []):
        m = _PARAM.match(spec)
        if not m or m["type"] not in PARAM_TYPES:
            raise NamedQueryError(f"{path}: ogiltig parameterrad '# param: {spec}'")
        params.append(Parameter(m["name"], m["type"], bool(m["optional"]), (m["doc"] or "").strip()))
    return NamedQuery(
        name=path.stem,
        path=path,
        title=" ".join(header["title"]),
        description=" ".join(header["description"]),
        parameters=tuple(params),
        text=text,
    )


def load_named_queries(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(folder.glob("*.rq")))}


def resolve(name_or_file: str, folder: Path = QUERIES_DIR) -> NamedQuery:
    """A query by name from the library, or a `.rq` file by path."""
    if name_or_file.endswith(".rq"):
        path = Path(name_or_file)
        if not path.is_file():
            raise NamedQueryError(f"{path}: filen finns inte")
        if path.read_text(encoding="utf-8").startswith("#"):
            try:
                return parse_query_file(path)
            except NamedQueryError:
                pass
        return NamedQuery(path.stem, path, path.stem, "", (), path.read_text(encoding="utf-8"))
    library = load_named_queries(folder)
    if name_or_file not in library:
        raise NamedQueryError(f"okänd fråga '{name_or_file}' (se 'sparbar query --list')")
    return library[name_or_file]
