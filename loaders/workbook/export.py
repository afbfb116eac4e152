"""Graph → workbook rows through the same mapping files the loader reads: the inverse of the workbook loader.

Every resource of a mapped class becomes a row of its sheet: the identifier from its IRI, literals written as
the loader reads them, references as the identifiers the loader resolves, controlled values as Swedish
prefLabels. Triples that no sheet can express are returned, never dropped silently, so that a caller can
tell whether the workbook holds the whole graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from loaders.workbook.iri_values import reference_value, template_values
from loaders.workbook.mapping import IRI_VALUE, ColumnMapping, SheetMapping, normalise_header

CellValue = str | int | date
Triple = tuple[Node, Node, Node]

_DATATYPES = {"xsd:string": XSD.string, "xsd:date": XSD.date, "xsd:gYear": XSD.gYear, "xsd:decimal": XSD.decimal,
              "xsd:integer": XSD.integer, "xsd:boolean": XSD.boolean, "xsd:anyURI": XSD.anyURI}


@dataclass
class SheetRows:
    mapping: SheetMapping
    rows: list[dict[str, CellValue]] = field(default_factory=list)  # header → cell value


@dataclass
class Export:
    sheets: list[SheetRows]
    leftover: Graph  # triples of the graph that no sheet expresses

    def rows(self, sheet: str) -> list[dict[str, CellValue]]:
        return next(s.rows for s in self.sheets if s.mapping.sheet == sheet)


@dataclass(frozen=True)
class _Context:
    """What the export knows besides the graph itself: types, subclasses and concept labels."""

    data: Graph
    context: Graph
    base_iri: str

    def types(self, node: Node) -> set[URIRef]:
        return {t for g in (self.data, self.context) for t in g.objects(node, RDF.type) if isinstance(t, URIRef)}

    def is_a(self, node: Node, classes: Iterable[URIRef]) -> bool | None:
        """Whether `node` has one of `classes` (or a subclass); None when nothing says what it is."""
        types = self.types(node)
        if not types:
            return None
        wanted = set(classes)
        return any(wanted & set(self.context.transitive_objects(t, RDFS.subClassOf)) for t in types)

    def in_scheme(self, node: Node, scheme: URIRef) -> bool:
        return any((node, SKOS.inScheme, scheme) in g for g in (self.context, self.data))

    def sv_label(self, node: Node) -> str | None:
        labels = [o for g in (self.context, self.data) for o in g.objects(node, SKOS.prefLabel)
                  if isinstance(o, Literal)]
        return next((str(o) for o in sorted(labels) if o.language == "sv"), None)


def export_rows(data: Graph, context: Graph, mappings: Sequence[SheetMapping], base_iri: str) -> Export:
    """The rows of every mapped sheet for the resources of `data`. `context` holds what `data` refers to but
    does not define: the ontology (subclasses), the controlled lists (labels) and the reference data."""
    ctx = _Context(data, context, base_iri)
    consumed: set[Triple] = set()
    sheets = [SheetRows(m) for m in mappings]
    owners: dict[URIRef, SheetRows] = {}
    for subject in sorted({s for s in data.subjects() if isinstance(s, URIRef)}, key=_natural):
        for sheet in sheets:
            classes = _row_classes(ctx, sheet.mapping, subject)
            if classes is not None:
                owners[subject] = sheet
                sheet.rows.append(_row(ctx, sheet.mapping, subject, classes, consumed))
                break
    for sheet in sheets:
        if sheet.mapping.subject is None:
            continue
        subject_column = sheet.mapping.column(sheet.mapping.subject)
        assert subject_column is not None
        predicates = {c.predicate for c in sheet.mapping.columns if c.predicate is not None}
        for subject in sorted({s for s in data.subjects() if isinstance(s, URIRef) and s not in owners}, key=_natural):
            if not any((subject, p, None) in data for p in predicates):
                continue
            value = reference_value(subject_column.ref, base_iri, str(subject))
            if value is None or ctx.is_a(subject, subject_column.ref_class) is False:
                continue
            row: dict[str, CellValue] = {subject_column.header: value}
            for column in sheet.mapping.columns:
                if column is not subject_column:
                    _fill(ctx, column, subject, row, consumed)
            if len(row) > 1:
                sheet.rows.append(row)
    leftover = Graph()
    for triple in data:
        if triple not in consumed:
            leftover.add(triple)
    return Export(sheets, leftover)


def _natural(text: str) -> list[tuple[int, str]]:
    """Sort key: numbers in numeric order (delmål 7 before 12)."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text) if part]


def _row_classes(ctx: _Context, mapping: SheetMapping, subject: URIRef) -> tuple[URIRef, ...] | None:
    """The classes by which `subject` is a row of `mapping` (its IRI fits the sheet's template), or None."""
    if mapping.iri is None or template_values(mapping.iri, ctx.base_iri, str(subject)) is None:
        return None
    types = set(ctx.data.objects(subject, RDF.type))
    if mapping.classes:
        return mapping.classes if set(mapping.classes) <= types else None
    matching = [classes for classes in mapping.class_values.values() if set(classes) <= types]
    return max(matching, key=len) if matching else None


def _row(ctx: _Context, mapping: SheetMapping, subject: URIRef, classes: tuple[URIRef, ...],
         consumed: set[Triple]) -> dict[str, CellValue]:
    assert mapping.iri is not None
    keys = template_values(mapping.iri, ctx.base_iri, str(subject)) or {}
    row: dict[str, CellValue] = {}
    for cls in classes:
        consumed.add((subject, RDF.type, cls))
    for prop, value in mapping.fixed:
        if (subject, prop, value) in ctx.data:
            consumed.add((subject, prop, value))
    if mapping.class_column is not None:
        row[mapping.class_column] = next(label for label, c in mapping.class_values.items() if c == classes)
    for column in mapping.columns:
        _fill(ctx, column, subject, row, consumed)
        key = keys.get(normalise_header(column.header))
        if key is not None and column.header not in row:
            row[column.header] = key
    return row


def _fill(ctx: _Context, column: ColumnMapping, subject: URIRef, row: dict[str, CellValue],
          consumed: set[Triple]) -> None:
    """Put the column's values for `subject` into `row`, marking the triples they stand for as consumed."""
    if column.predicate is None:
        return
    candidates: list[tuple[Triple, Node]]
    if column.inverse:
        candidates = [((s, column.predicate, subject), s) for s in ctx.data.subjects(column.predicate, subject)]
    else:
        candidates = [((subject, column.predicate, o), o) for o in ctx.data.objects(subject, column.predicate)]
    cells: list[tuple[CellValue, Triple]] = []
    for triple, node in sorted(candidates, key=lambda c: (_natural(str(c[1])), c[1].n3())):
        if triple in consumed:
            continue
        value = _cell_value(ctx, column, node)
        if value is not None and not _splits(column, value):
            cells.append((value, triple))
    if not cells:
        return
    if not column.multiple:
        cells = cells[:1]  # the others stay unconsumed: reported as leftover
    for _value, triple in cells:
        consumed.add(triple)
    values = [v for v, _t in cells]
    row[column.header] = values[0] if len(values) == 1 else ("\n" if column.is_text else "; ").join(map(str, values))


def _splits(column: ColumnMapping, value: CellValue) -> bool:
    """Whether the loader would split this value of a several-values column into pieces: text columns split
    on line breaks, the others also on ';'."""
    if not column.multiple or not isinstance(value, str):
        return False
    return bool(re.search(r"[\r\n]" if column.is_text else r"[\r\n;]", value))


def _cell_value(ctx: _Context, column: ColumnMapping, node: Node) -> CellValue | None:
    """The cell value that the loader reads back as `node`, or None if this column cannot hold `node`."""
    kind = column.kind
    if kind == "reference":
        if not isinstance(node, URIRef) or ctx.is_a(node, column.ref_class) is False:
            return None
        return reference_value(column.ref, ctx.base_iri, str(node))
    if kind == "controlled":
        if not isinstance(node, URIRef) or column.scheme is None or not ctx.in_scheme(node, column.scheme):
            return None
        return ctx.sv_label(node)
    if kind == "link" or column.datatype == IRI_VALUE:
        return str(node) if isinstance(node, URIRef) else None
    if not isinstance(node, Literal):
        return None
    if column.lang is not None:
        return str(node) if node.language == column.lang else None
    if node.language is not None:
        return None
    datatype = node.datatype or XSD.string
    if datatype != _DATATYPES.get(column.datatype):
        return None
    return _literal_cell(column, node)


def _literal_cell(column: ColumnMapping, node: Literal) -> CellValue | None:
    text = str(node)
    if column.datatype == "xsd:date":
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    if column.datatype in ("xsd:gYear", "xsd:integer"):
        return int(text) if re.fullmatch(r"-?\d+", text) else None
    if column.datatype == "xsd:boolean":
        return {"true": "ja", "1": "ja", "false": "nej", "0": "nej"}.get(text)
    if column.datatype == "xsd:decimal":
        return swedish_decimal(text)
    return text


def swedish_decimal(lexical: str) -> str | None:
    """'2500000.50' → '2 500 000,50': written as text, so the literal's exact form ('52.0') comes back."""
    m = re.fullmatch(r"(-?)(\d+)(?:\.(\d+))?", lexical)
    if m is None:
        return None
    whole = f"{int(m[2]):,}".replace(",", " ")
    return f"{m[1]}{whole},{m[3]}" if m[3] is not None else f"{m[1]}{whole}"


# --- writing rows into a workbook ------------------------------------------------------------------------------


def fill_workbook(workbook: Workbook, export: Export) -> None:
    """Write every sheet's rows under its header row (the sheets exist already, e.g. from the template)."""
    for sheet_rows in export.sheets:
        sheet = workbook[sheet_rows.mapping.sheet]
        headers = {normalise_header(str(c.value)): c.column for c in sheet[1] if c.value is not None}
        for r, row in enumerate(sheet_rows.rows, start=2):
            for header, value in row.items():
                cell = sheet.cell(r, headers[normalise_header(header)], value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    cell.number_format = "@"  # text stays text: "0101", "52,0", "7.10"


def workbook_rows(workbook: Workbook, mappings: Sequence[SheetMapping]) -> dict[str, list[dict[str, CellValue]]]:
    """The rows a workbook holds on the mapped sheets, in the form `export_rows` gives them (empty cells left
    out, dates as dates), so a workbook on disk can be compared with what an export would write now."""
    out: dict[str, list[dict[str, CellValue]]] = {}
    for mapping in mappings:
        if mapping.sheet not in workbook.sheetnames:
            continue
        rows = list(workbook[mapping.sheet].iter_rows(values_only=True))
        headers = [str(h) if h is not None else "" for h in (rows[0] if rows else ())]
        out[mapping.sheet] = []
        for values in rows[1:]:
            row = {h: _as_cell_value(v) for h, v in zip(headers, values, strict=False) if v not in (None, "")}
            if row:
                out[mapping.sheet].append(row)
    return out


def _as_cell_value(value: object) -> CellValue:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | str):
        return value
    return str(value)
