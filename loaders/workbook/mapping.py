"""The declarative mapping from workbook rows to RDF: one TOML file per sheet (format in docs/workbook.md).

A region adapts the workbook by editing these files, not code; so every file is checked here, and a mistake
is reported with the file and the key it concerns.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

DEFAULT_MAPPINGS = Path(__file__).resolve().parent / "mappings"
INSTRUCTIONS_SHEET = "Instruktioner"  # the template's instructions sheet: never read as data

PREFIXES = {
    "sb": "https://w3id.org/sparbar/def#",
    "sbk": "https://w3id.org/sparbar/kos/",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "org": "http://www.w3.org/ns/org#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
}

XSD = PREFIXES["xsd"]
# "iri": the cell holds a web address (http, https, urn ...) and the object is that IRI, not a literal.
IRI_VALUE = "iri"
DATATYPES = ("xsd:string", "xsd:date", "xsd:gYear", "xsd:decimal", "xsd:integer", "xsd:boolean", "xsd:anyURI",
             IRI_VALUE)

_SHEET_KEYS = {"sheet", "order", "description", "description_en", "required", "iri", "subject", "class",
               "class_column", "class_values", "fixed", "column"}
_COLUMN_KEYS = {"header", "property", "datatype", "lang", "required", "multiple", "percent", "scheme", "ref",
                "ref_class", "inverse", "help", "help_en", "example"}
_PLACEHOLDER = re.compile(r"\{(\+?)([^{}]*)\}")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


@lru_cache(maxsize=4096)  # called for every cell of every row with the few headers a workbook has
def normalise_header(text: str) -> str:
    """How headers are compared: NFC, case and spacing ignored, a trailing required-marker '*' dropped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split()).rstrip("*").strip().casefold()


@dataclass(frozen=True)
class ColumnMapping:
    header: str
    predicate: URIRef | None = None  # the TOML key `property`; None: the column only feeds the IRI (or the subject)
    datatype: str = "xsd:string"  # one of DATATYPES (a literal column without `lang`)
    lang: str | None = None  # a language-tagged literal
    required: bool = False
    multiple: bool = False  # several values: separated by line breaks, and by ';' unless the column is text
    percent: bool = False  # a decimal 0–100; "45 %" and a percent-formatted cell (0.45) both give 45
    scheme: URIRef | None = None  # controlled: the value is a concept of this scheme
    ref: tuple[str, ...] = ()  # reference: IRI templates tried in order, "{}" is the slug of the value
    ref_class: tuple[URIRef, ...] = ()  # the referenced resource must have one of these classes (or a subclass)
    inverse: bool = False  # the triple is  <referenced> property <this row>
    help: str = ""
    help_en: str = ""
    example: str | None = None  # an example value for the template

    @cached_property  # asked for every cell of every row
    def kind(self) -> str:
        """reference | controlled | link | literal, or key: a column that only feeds the IRI (or the class)"""
        if self.ref or self.ref_class:
            return "reference"
        if self.predicate is None:
            return "key"
        if self.scheme is not None:
            return "controlled"
        if self.datatype == IRI_VALUE:
            return "link"
        return "literal"

    @property
    def is_text(self) -> bool:
        """Free text, where ';' is punctuation rather than a separator."""
        return self.lang is not None


@dataclass(frozen=True)
class SheetMapping:
    sheet: str
    path: Path
    order: int = 0
    description: str = ""
    description_en: str = ""
    required: bool = False  # the workbook must have this sheet
    iri: str | None = None  # template relative to the base IRI; {Header} or {+Header} (keeps '/')
    subject: str | None = None  # or: the row adds statements about the resource this reference column names
    classes: tuple[URIRef, ...] = ()
    class_column: str | None = None
    class_values: dict[str, tuple[URIRef, ...]] = field(default_factory=dict)
    fixed: tuple[tuple[URIRef, URIRef], ...] = ()  # (property, IRI) added to every row's resource
    columns: tuple[ColumnMapping, ...] = ()

    def column(self, header: str) -> ColumnMapping | None:
        wanted = normalise_header(header)
        return next((c for c in self.columns if normalise_header(c.header) == wanted), None)

    @cached_property  # asked for every row
    def id_columns(self) -> tuple[str, ...]:
        """The headers the row's IRI is made from, in template order."""
        if self.subject is not None:
            return (self.subject,)
        return tuple(name for _plus, name in _PLACEHOLDER.findall(self.iri or ""))

    @property
    def id_column(self) -> str:
        """The identifier column: where a problem with the whole row is shown."""
        return self.id_columns[0]

    def classes_for(self, value: str) -> tuple[URIRef, ...] | None:
        """The classes a class-column value stands for (case and spacing ignored), or None."""
        wanted = normalise_header(value)
        for label, classes in self.class_values.items():
            if normalise_header(label) == wanted:
                return classes
        return None


def mappings_folder(region_file: Path) -> Path:
    """The region's own mapping folder (`workbook_mappings` in region.toml, relative to that file), else the
    default one."""
    with region_file.open("rb") as f:
        folder = tomllib.load(f).get("workbook_mappings")
    return (region_file.parent / folder).resolve() if folder else DEFAULT_MAPPINGS


def load_mappings(folder: Path = DEFAULT_MAPPINGS) -> list[SheetMapping]:
    """Every `*.toml` of `folder`, checked, sorted by `order` then sheet name."""
    if not folder.is_dir():
        raise MappingError(folder, "mappfilernas mapp finns inte")
    sheets = [load_mapping(path) for path in sorted(folder.glob("*.toml"))]
    if not sheets:
        raise MappingError(folder, "mappen har inga mappfiler (*.toml)")
    seen: dict[str, Path] = {}
    for s in sheets:
        key = normalise_header(s.sheet)
        if key in seen:
            raise MappingError(s.path, f"bladet '{s.sheet}' beskrivs också i {seen[key].name}")
        if key == normalise_header(INSTRUCTIONS_SHEET):
            raise MappingError(s.path, f"'{INSTRUCTIONS_SHEET}' är instruktionsbladet och kan inte vara ett datablad")
        seen[key] = s.path
    return sorted(sheets, key=lambda s: (s.order, s.sheet))


def load_mapping(path: Path) -> SheetMapping:
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise MappingError(path, f"inte giltig TOML: {e}") from None
    except OSError as e:
        raise MappingError(path, f"kan inte läsas: {e}") from None
    return _sheet(path, raw)


def _sheet(path: Path, raw: dict[str, Any]) -> SheetMapping:
    _no_unknown_keys(path, raw, _SHEET_KEYS, "")
    sheet = _text(path, raw, "sheet", "", required=True)
    raw_columns = raw.get("column", [])
    if not isinstance(raw_columns, list) or not raw_columns:
        raise MappingError(path, "bladet behöver minst en [[column]]")
    columns = tuple(_column(path, c, i) for i, c in enumerate(raw_columns, 1))
    headers: set[str] = set()
    for c in columns:
        if normalise_header(c.header) in headers:
            raise MappingError(path, f"kolumnen '{c.header}' finns två gånger")
        headers.add(normalise_header(c.header))
    iri, subject = raw.get("iri"), raw.get("subject")
    if (iri is None) == (subject is None):
        raise MappingError(path, "ange antingen 'iri' (en mall för radens IRI) eller 'subject' (en referenskolumn)")
    classes = _classes(path, raw.get("class"), "class") if "class" in raw else ()
    class_column = raw.get("class_column")
    class_values: dict[str, tuple[URIRef, ...]] = {}
    if subject is not None:
        if not isinstance(subject, str):
            raise MappingError(path, "'subject' ska vara en kolumnrubrik")
        column = next((c for c in columns if normalise_header(c.header) == normalise_header(subject)), None)
        if column is None or column.kind != "reference":
            raise MappingError(path, f"'subject' = '{subject}' ska vara en referenskolumn (ref/ref_class) i bladet")
        if column.predicate is not None or column.multiple:
            raise MappingError(path, f"kolumnen '{subject}' namnger radens resurs: den får inte ha 'property' "
                                     "eller 'multiple'")
        if classes or class_column:
            raise MappingError(path, "ett blad med 'subject' beskriver befintliga resurser och får ingen klass")
    else:
        if not isinstance(iri, str) or not iri:
            raise MappingError(path, "'iri' ska vara en mall, t.ex. \"insats/{Id}\"")
        names = [name for _plus, name in _PLACEHOLDER.findall(iri)]
        if not names:
            raise MappingError(path, f"'iri' = '{iri}' använder ingen kolumn: IRI:er görs av en identifierande "
                                     "kolumn, aldrig av radnummer")
        for name in names:
            if normalise_header(name) not in headers:
                raise MappingError(path, f"'iri' använder kolumnen '{{{name}}}', som bladet inte har")
        _check_template(path, iri, "'iri'")
        if bool(classes) == bool(class_column):
            raise MappingError(path, "ange antingen 'class' eller 'class_column' med [class_values]")
        if class_column is not None:
            if not isinstance(class_column, str) or normalise_header(class_column) not in headers:
                raise MappingError(path, f"'class_column' = '{class_column}' är ingen kolumn i bladet")
            values = raw.get("class_values")
            if not isinstance(values, dict) or not values:
                raise MappingError(path, "'class_column' behöver en tabell [class_values] (värde = klass)")
            class_values = {str(k): _classes(path, v, f"class_values.{k}") for k, v in values.items()}
    fixed = tuple(_fixed(path, f, i) for i, f in enumerate(raw.get("fixed", []), 1))
    order = raw.get("order", 0)
    if not isinstance(order, int):
        raise MappingError(path, "'order' ska vara ett heltal")
    return SheetMapping(
        sheet=sheet, path=path, order=order,
        description=_text(path, raw, "description", ""), description_en=_text(path, raw, "description_en", ""),
        required=_flag(path, raw, "required", ""), iri=iri, subject=subject, classes=classes,
        class_column=class_column, class_values=class_values, fixed=fixed, columns=columns,
    )


def _column(path: Path, raw: Any, index: int) -> ColumnMapping:
    if not isinstance(raw, dict):
        raise MappingError(path, f"[[column]] nr {index} ska vara en tabell")
    where = f"kolumn nr {index}"
    header = _text(path, raw, "header", where, required=True)
    where = f"kolumnen '{header}'"
    _no_unknown_keys(path, raw, _COLUMN_KEYS, where)
    prop = _curie(path, raw["property"], f"{where}: 'property'") if "property" in raw else None
    kinds = [k for k in ("lang", "scheme", "ref") if k in raw]
    if "ref_class" in raw and "ref" not in raw:
        kinds.append("ref_class")
    if "datatype" in raw:
        kinds.append("datatype")
    if len(kinds) > 1:
        raise MappingError(path, f"{where}: {' och '.join(kinds)} kan inte kombineras")
    datatype = raw.get("datatype", "xsd:string")
    if datatype not in DATATYPES:
        raise MappingError(path, f"{where}: okänd datatype '{datatype}' (kända: {', '.join(DATATYPES)})")
    ref = raw.get("ref", ())
    ref = (ref,) if isinstance(ref, str) else tuple(ref)
    for template in ref:
        if not isinstance(template, str) or _PLACEHOLDER.findall(template) not in ([("", "")], [("+", "")]):
            raise MappingError(path, f"{where}: 'ref' = '{template}' ska ha exakt en platshållare {{}} eller {{+}}")
        _check_template(path, template, f"{where}: 'ref'")
    ref_class = _classes(path, raw["ref_class"], f"{where}: 'ref_class'") if "ref_class" in raw else ()
    inverse = _flag(path, raw, "inverse", where)
    if inverse and not (ref or ref_class):
        raise MappingError(path, f"{where}: 'inverse' gäller bara referenskolumner (ref)")
    percent = _flag(path, raw, "percent", where)
    if percent and datatype != "xsd:decimal":
        raise MappingError(path, f"{where}: 'percent' kräver datatype = \"xsd:decimal\"")
    lang = raw.get("lang")
    if lang is not None and not (isinstance(lang, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", lang)):
        raise MappingError(path, f"{where}: 'lang' = '{lang}' är ingen språkkod (t.ex. \"sv\")")
    if prop is None and (lang or "scheme" in raw or inverse or "datatype" in raw):
        raise MappingError(path, f"{where}: kolumnen saknar 'property'")
    return ColumnMapping(
        header=header, predicate=prop, datatype=datatype, lang=lang,
        required=_flag(path, raw, "required", where), multiple=_flag(path, raw, "multiple", where),
        percent=percent,
        scheme=_curie(path, raw["scheme"], f"{where}: 'scheme'") if "scheme" in raw else None,
        ref=ref, ref_class=ref_class, inverse=inverse,
        help=_text(path, raw, "help", where), help_en=_text(path, raw, "help_en", where),
        example=str(raw["example"]) if "example" in raw else None,
    )


def _fixed(path: Path, raw: Any, index: int) -> tuple[URIRef, URIRef]:
    where = f"[[fixed]] nr {index}"
    if not isinstance(raw, dict) or set(raw) != {"property", "value"}:
        raise MappingError(path, f"{where} ska ha exakt 'property' och 'value'")
    return _curie(path, raw["property"], f"{where}: 'property'"), _curie(path, raw["value"], f"{where}: 'value'")


def _classes(path: Path, raw: Any, where: str) -> tuple[URIRef, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items:
        raise MappingError(path, f"{where}: ange en klass eller en lista av klasser")
    return tuple(_curie(path, c, where) for c in items)


def _curie(path: Path, raw: Any, where: str) -> URIRef:
    """A prefixed name (sb:Intervention) with one of the known prefixes, or a full IRI in <...>."""
    if isinstance(raw, str) and raw.startswith("<") and raw.endswith(">") and _ABSOLUTE.match(raw[1:-1]):
        if not _valid_iri(raw[1:-1]):
            raise MappingError(path, f"{where}: '{raw}' är ingen giltig IRI")
        return URIRef(raw[1:-1])
    prefix, sep, local = raw.partition(":") if isinstance(raw, str) else ("", "", "")
    if not sep or prefix not in PREFIXES or not re.fullmatch(r"[A-Za-z0-9_.\-/]*", local):
        raise MappingError(path, f"{where}: '{raw}' är inget prefixat namn med ett känt prefix "
                                 f"({', '.join(PREFIXES)})")
    return URIRef(PREFIXES[prefix] + local)


def _text(path: Path, raw: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MappingError(path, f"{where + ': ' if where else ''}'{key}' ska vara en text")
    return value


def _flag(path: Path, raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise MappingError(path, f"{where + ': ' if where else ''}'{key}' ska vara true eller false")
    return value


def _no_unknown_keys(path: Path, raw: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise MappingError(path, f"{where + ': ' if where else ''}okänd nyckel '{unknown[0]}' "
                                 f"(kända: {', '.join(sorted(known))})")


def _valid_iri(iri: str) -> bool:
    """What pyoxigraph accepts: the conversion writes the mapping's IRIs into N-Triples as they are."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _check_template(path: Path, template: str, where: str) -> None:
    """A template whose placeholders, filled with slugs, give a valid IRI (under any base)."""
    filled = _PLACEHOLDER.sub("x", template)
    if not _valid_iri(expand_template(filled, "https://example.org/")):
        raise MappingError(path, f"{where} = '{template}' ger ingen giltig IRI")


def expand_template(template: str, base_iri: str) -> str:
    """A relative template is under the region's base IRI; an absolute one (http://...) stands as written."""
    return template if _ABSOLUTE.match(template) else base_iri + template


@lru_cache(maxsize=1024)
def placeholders(template: str) -> tuple[tuple[bool, str], ...]:
    """(keeps '/', header) for each placeholder of an IRI template, in order."""
    return tuple((plus == "+", name) for plus, name in _PLACEHOLDER.findall(template))


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace {Header}/{+Header} (or {}/{+}) with already slugged values, keyed by normalised header."""
    parts = _template_parts(template)
    if len(parts) == 3:  # one placeholder, as nearly every template has: no regex per row
        return parts[0] + values[parts[1]] + parts[2]
    return _PLACEHOLDER.sub(lambda m: values[normalise_header(m.group(2))], template)


@lru_cache(maxsize=1024)
def _template_parts(template: str) -> tuple[str, ...]:
    """(before, normalised header, after) for a template with one placeholder; () otherwise."""
    found = list(_PLACEHOLDER.finditer(template))
    if len(found) != 1:
        return ()
    m = found[0]
    return template[:m.start()], normalise_header(m.group(2)), template[m.end():]
