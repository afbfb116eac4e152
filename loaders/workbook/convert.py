"""Rows → RDF, driven by the mapping files: a pure function of the sheets, the mappings and a lookup of what
the store holds. Every problem is collected (nothing stops at the first), each placed at its cell.

Two passes: the first mints every row's IRI and class and converts its values, so that the second can
resolve references to rows anywhere in the workbook (a result that leads to a result further down, an
insats on another sheet) as well as to the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.terms import to_ox
from loaders.workbook.lookup import StoreLookup
from loaders.workbook.mapping import (
    INSTRUCTIONS_SHEET,
    IRI_VALUE,
    ColumnMapping,
    SheetMapping,
    expand_template,
    fill_template,
    normalise_header,
    placeholders,
)
from loaders.workbook.marked_copy import PROBLEM_SHEETS
from loaders.workbook.messages import problem
from loaders.workbook.problems import CellProblem
from loaders.workbook.read import RawCell, RawRow, RawSheet, RawWorkbook
from loaders.workbook.values import (
    ValueProblem,
    cell_text,
    normalise_key,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_iri,
    parse_year,
    slug,
    split_values,
    without_dropdown_label,
)

SB_NUMBER = URIRef("https://w3id.org/sparbar/def#number")
# Literals a reference may name a resource by (the same properties as queries/workbook-keys.rq)
KEY_PROPERTIES = frozenset({SKOS.prefLabel, SKOS.altLabel, RDFS.label, SKOS.notation, DCTERMS.identifier,
                            DCTERMS.title, SB_NUMBER})
# The instructions sheet and the problem sheet of a marked copy (which a steward may fix and load again)
NOT_DATA = frozenset(normalise_header(name) for name in (INSTRUCTIONS_SHEET, *PROBLEM_SHEETS))
HEADER_SEARCH_ROWS = 10
EMPTY = RawCell(None)  # the header row is the first of these with a known header (a title row may precede it)


@lru_cache(maxsize=65536)  # the same references recur in thousands of rows
def spellings(text: str) -> tuple[str, ...]:
    """What a controlled or reference cell may name a thing by: the text, and the text without the label a
    drop-down list adds ("7 – Öka …" → "7"). The prefetch of a scoped lookup tries exactly what resolution tries."""
    return tuple(dict.fromkeys((text, without_dropdown_label(text))))


class CellRef(NamedTuple):  # a tuple: one is made per statement, a dataclass costs twice as much
    sheet: str
    row: int
    column: str | None
    column_letter: str | None
    value: str | None


@dataclass
class Origins:
    """Where each statement came from, so that SHACL findings can be traced back to a cell.

    `triples` is written during the conversion; indexes by subject, object and link are built from it for the
    nodes that findings name, when there are findings to trace."""

    rows: dict[URIRef, CellRef] = field(default_factory=dict)  # resource → its row's identifier cell
    triples: dict[tuple[Node, Node, Node], CellRef] = field(default_factory=dict)  # in the order they were made
    columns: dict[tuple[str, Node], tuple[str, str | None]] = field(default_factory=dict)  # (sheet, p) → column
    failed: set[tuple[str, int, Node | None]] = field(default_factory=set)  # cells that already have a problem

    def add(self, triple: tuple[Node, Node, Node], cell: CellRef) -> bool:
        """Record the first cell a statement came from; False if the statement was already made."""
        if triple in self.triples:
            return False
        self.triples[triple] = cell
        return True

    def index_for(self, nodes: set[Node]) -> OriginIndex:
        """The first cell stating each (s, p), (p, o) and (s, o) that involves one of `nodes` — the nodes
        findings name — in one pass over the statements, in the order they were made."""
        by_subject: dict[tuple[Node, Node], CellRef] = {}
        by_object: dict[tuple[Node, Node], CellRef] = {}
        links: dict[tuple[Node, Node], CellRef] = {}
        for (s, p, o), cell in self.triples.items():
            s_in, o_in = s in nodes, o in nodes
            if s_in:
                by_subject.setdefault((s, p), cell)
            if o_in:
                by_object.setdefault((p, o), cell)
            if s_in or o_in:
                links.setdefault((s, o), cell)
        return OriginIndex(by_subject, by_object, links)


@dataclass(frozen=True)
class OriginIndex:
    by_subject: dict[tuple[Node, Node], CellRef]  # (s, p) → the first cell stating it
    by_object: dict[tuple[Node, Node], CellRef]  # (p, o) → the first cell stating it
    links: dict[tuple[Node, Node], CellRef]  # (s, o) → the cell linking them


@dataclass
class Conversion:
    origins: Origins
    problems: list[CellProblem]
    rows: int  # data rows read

    def __len__(self) -> int:
        return len(self.origins.triples)

    @cached_property
    def graph(self) -> Graph:
        """The statements as an rdflib graph: made only when asked (a small load, a test), not for a large
        workbook, which goes to the store as N-Triples (`ntriples`)."""
        g = Graph()
        for triple in self.origins.triples:
            g.add(triple)  # type: ignore[arg-type]
        return g

    def ntriples(self) -> bytes:
        """The statements as N-Triples. An IRI is written as it is: every IRI here is a valid one (minted from
        slugs, from the mapping, validated by pyoxigraph, or found in the store), and N-Triples escapes nothing
        in an IRI; every other term is written once by pyoxigraph, which escapes literals as N-Triples requires."""
        written: dict[Node, str] = {}

        def nt(term: Node) -> str:
            if type(term) is URIRef:
                return f"<{term}>"
            found = written.get(term)
            if found is None:
                found = written[term] = str(to_ox(term))
            return found

        return "".join([f"<{s}> <{p}> <{o}> .\n" if type(s) is URIRef and type(o) is URIRef
                        else f"{nt(s)} <{p}> {nt(o)} .\n" for s, p, o in self.origins.triples]).encode()


@dataclass
class _Column:
    mapping: ColumnMapping
    index: int
    header: str  # as written in the workbook
    letter: str | None

    def __post_init__(self) -> None:  # what every cell of the column asks, worked out once
        self.kind = self.mapping.kind
        self.is_reference = self.kind == "reference"
        self.required = self.mapping.required
        self.splits = self.mapping.multiple or self.kind in ("reference", "controlled")  # a cell may hold several
        self.header_key = self.mapping.header  # compared with the sheet's `subject` column


@dataclass
class _Row:
    sheet: RawSheet
    mapping: SheetMapping
    number: int
    cells: dict[str, tuple[_Column, RawCell]]  # normalised header → column and cell
    subject: URIRef | None = None
    emit: bool = True  # False for a duplicate: checked, but adds nothing

    def cell(self, header: str) -> tuple[_Column, RawCell] | None:
        return self.cells.get(normalise_header(header))

    def ref(self, column: _Column, value: str | None) -> CellRef:
        return CellRef(self.sheet.name, self.number, column.header, column.letter, value)


def convert(workbook: RawWorkbook, mappings: list[SheetMapping], lookup: StoreLookup, base_iri: str) -> Conversion:
    return _Converter(mappings, lookup, base_iri).run(workbook)


class _Converter:
    def __init__(self, mappings: list[SheetMapping], lookup: StoreLookup, base_iri: str):
        self.mappings = mappings
        self.lookup = lookup
        self.base = base_iri
        self.origins = Origins()
        self.problems: list[tuple[tuple[int, int, int], CellProblem]] = []
        self.minted: dict[URIRef, set[URIRef]] = {}  # resources this workbook mints → their classes
        self.keys: dict[str, set[URIRef]] = {}  # this workbook's labels/numbers → its resources
        self.seen: dict[URIRef, CellRef] = {}
        self.failed_cells: set[tuple[str, int, str]] = set()  # (sheet, row, header) with a problem reported
        self.order = {m.sheet: i for i, m in enumerate(mappings)}
        self.iris_for: dict[tuple[tuple[str, ...], str], list[URIRef]] = {}
        self.literals: dict[tuple[str, URIRef], Literal] = {}
        self.minted_rows: list[tuple[_Row, _Column, CellRef, URIRef]] = []
        self.classes_known: dict[URIRef, set[URIRef] | None] = {}

    # --- problems -------------------------------------------------------------------------------------
    def report(self, p: CellProblem, column_index: int = -1) -> None:
        self.problems.append(((self.order.get(p.sheet, len(self.order)), p.row or 0, column_index), p))

    def cell_problem(self, row: _Row, column: _Column, code: str, value: str | None, **details: Any) -> None:
        self.mark(row, column)
        self.report(problem(code, row.sheet.name, row.number, column.header, column.letter, value, **details),
                    column.index)

    def mark(self, row: _Row, column: _Column) -> None:
        self.origins.failed.add((row.sheet.name, row.number, column.mapping.predicate))
        self.failed_cells.add((row.sheet.name, row.number, column.header))

    def required_text(self, row: _Row, column: _Column, cell: RawCell) -> str | None:
        """The text of a cell that must be filled in; None after reporting it missing (once)."""
        text = self.usable_text(row, column, cell)
        if text is None and not self.failed(row, column):
            self.cell_problem(row, column, "required", None)
        return text

    def failed(self, row: _Row, column: _Column) -> bool:
        return (row.sheet.name, row.number, column.header) in self.failed_cells

    # --- the whole workbook -----------------------------------------------------------------------------
    def run(self, workbook: RawWorkbook) -> Conversion:
        rows = list(self.sheet_rows(workbook))
        for row in rows:
            if row.mapping.iri is not None:
                self.mint(row)
        if self.lookup.fetches_on_demand:
            self.lookup.prefetch(*self.used_iris_and_keys(rows))
        for row, column, ref, subject in self.minted_rows:
            if subject in self.lookup.graphs:
                graphs = ", ".join(sorted(f"<{g}>" for g in self.lookup.graphs[subject]))
                self.report(problem("duplicate.elsewhere", row.sheet.name, row.number, column.header,
                                    column.letter, ref.value, iri=f"<{subject}>", graphs=graphs), column.index)
        for row in rows:
            if row.mapping.subject is not None:
                self.describe(row)
            else:
                self.convert_cells(row, references=True)
        if not rows and not any(p.code == "workbook.no-sheets" for _k, p in self.problems):
            self.report(problem("workbook.empty", ""))
        ordered = [p for _key, p in sorted(self.problems, key=lambda kp: kp[0])]
        return Conversion(self.origins, ordered, len(rows))

    def sheet_rows(self, workbook: RawWorkbook) -> Iterator[_Row]:
        by_name = {normalise_header(m.sheet): m for m in self.mappings}
        found: set[str] = set()
        for sheet in workbook.sheets:
            key = normalise_header(sheet.name)
            mapping = by_name.get(key)
            if mapping is None or key in found:
                if not sheet.hidden and key not in NOT_DATA:
                    choices = ", ".join(m.sheet for m in self.mappings)
                    self.report(problem("sheet.unknown", sheet.name, choices=choices))
                continue
            found.add(key)
            yield from self.rows_of(sheet, mapping)
        for mapping in self.mappings:
            if mapping.required and normalise_header(mapping.sheet) not in found:
                self.report(problem("sheet.missing", mapping.sheet))
        if not found:
            self.report(problem("workbook.no-sheets", "", choices=", ".join(m.sheet for m in self.mappings)))

    def rows_of(self, sheet: RawSheet, mapping: SheetMapping) -> Iterator[_Row]:
        header_at = self.header_row(sheet, mapping)
        if header_at is None:
            if any(not r.blank for r in sheet.rows):
                self.report(problem("sheet.no-header", sheet.name,
                                    choices=", ".join(c.header for c in mapping.columns)))
            return
        header = sheet.rows[header_at]
        columns = self.columns(sheet, mapping, header)
        self.register_columns(sheet, mapping, columns)
        data = [r for r in sheet.rows[header_at + 1:] if not r.blank]
        self.unnamed_columns(sheet, header, columns, data)
        keyed = [(normalise_header(c.mapping.header), c) for c in columns]
        for raw in data:
            # a short row (a CSV line with fewer fields) has empty cells at its end
            width = len(raw.cells)
            cells = {key: (c, raw.cells[c.index] if c.index < width else EMPTY) for key, c in keyed}
            yield _Row(sheet, mapping, raw.number, cells)

    def register_columns(self, sheet: RawSheet, mapping: SheetMapping, columns: list[_Column]) -> None:
        """Which column states a property on this sheet: where a SHACL finding about a missing value lands.
        A column the sheet lacks is still named (without a letter)."""
        present = {c.mapping.header: c for c in columns}
        for c in mapping.columns:
            if c.predicate is not None and (sheet.name, c.predicate) not in self.origins.columns:
                found = present.get(c.header)
                self.origins.columns[(sheet.name, c.predicate)] = \
                    (found.header, found.letter) if found else (c.header, None)

    @staticmethod
    def header_row(sheet: RawSheet, mapping: SheetMapping) -> int | None:
        for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            if any(mapping.column(t) for t in (c.text for c in row.cells) if t):
                return i
        return None

    def columns(self, sheet: RawSheet, mapping: SheetMapping, header: RawRow) -> list[_Column]:
        columns: dict[str, _Column] = {}
        for index, cell in enumerate(header.cells):
            text = cell.text
            if text is None:
                continue
            column_mapping = mapping.column(text)
            letter = sheet.letter(index)
            if column_mapping is None:
                self.report(problem("header.unknown", sheet.name, header.number, text, letter), index)
            elif normalise_header(text) in columns:
                self.report(problem("header.duplicate", sheet.name, header.number, text, letter), index)
            else:
                columns[normalise_header(text)] = _Column(column_mapping, index, text, letter)
        needed = [c for c in mapping.columns
                  if c.required or c.header in mapping.id_columns or c.header == mapping.class_column]
        for c in needed:
            if normalise_header(c.header) not in columns:
                self.report(problem("column.missing", sheet.name, header.number, c.header))
        return list(columns.values())

    def unnamed_columns(self, sheet: RawSheet, header: RawRow, columns: list[_Column], data: list[RawRow]) -> None:
        named = {c.index for c in columns} | {i for i, c in enumerate(header.cells) if c.text}
        width = max((len(r.cells) for r in data), default=0)
        for index in range(width):
            if index not in named and any(index < len(r.cells) and not r.cells[index].blank for r in data):
                self.report(problem("header.empty", sheet.name, header.number, None, sheet.letter(index)), index)

    # --- pass 1: IRI, class, values -------------------------------------------------------------------
    def mint(self, row: _Row) -> None:
        mapping = row.mapping
        assert mapping.iri is not None
        values: dict[str, str] = {}
        for keep_slash, header in placeholders(mapping.iri):
            found = row.cell(header)
            if found is None:  # the column is missing: reported once for the sheet; the cells are still checked
                row.emit = False
                break
            column, cell = found
            text = self.required_text(row, column, cell)
            if text is None:
                row.emit = False
                continue
            if column.mapping.kind == "reference":
                text = without_dropdown_label(text)
            try:
                values[normalise_header(header)] = slug(text, keep_slash)
            except ValueProblem as e:
                self.cell_problem(row, column, e.code, text)
                row.emit = False
        if not row.emit:
            self.convert_cells(row, references=False)
            return
        subject = URIRef(expand_template(fill_template(mapping.iri, values), self.base))
        id_column, id_cell = row.cell(mapping.id_column) or (None, None)
        assert id_column is not None and id_cell is not None
        id_ref = row.ref(id_column, id_cell.text)
        if subject in self.seen:
            first = self.seen[subject]
            self.cell_problem(row, id_column, "duplicate.id", id_ref.value, first_row=str(first.row),
                              first_sheet=first.sheet)
            row.emit = False
        else:
            self.seen[subject] = id_ref
            self.origins.rows[subject] = id_ref
            self.minted_rows.append((row, id_column, id_ref, subject))  # checked against the store after pass 1
        row.subject = subject
        classes = self.classes(row)
        if row.emit:
            self.minted[subject] = set(classes)
            type_cell = id_ref
            if mapping.class_column and (found := row.cell(mapping.class_column)):
                type_cell = row.ref(found[0], found[1].text)
            for cls in classes:
                self.add(row, (subject, RDF.type, cls), type_cell)
            for prop, value in mapping.fixed:
                self.add(row, (subject, prop, value), id_ref)
        self.convert_cells(row, references=False)

    def classes(self, row: _Row) -> tuple[URIRef, ...]:
        mapping = row.mapping
        if not mapping.class_column:
            return mapping.classes
        found = row.cell(mapping.class_column)
        if found is None:
            return ()
        column, cell = found
        text = self.required_text(row, column, cell)
        if text is None:
            return ()
        classes = mapping.classes_for(without_dropdown_label(text))
        if classes is None:
            self.cell_problem(row, column, "class.unknown", text, choices=", ".join(mapping.class_values))
            return ()
        return classes

    def convert_cells(self, row: _Row, references: bool) -> None:
        """Pass 1 converts literals, controlled values and links; pass 2 (references=True) the references."""
        subject_column = row.mapping.subject
        for column, cell in row.cells.values():
            if column.is_reference != references or column.kind == "key" or column.header_key == subject_column:
                continue
            if cell.text is None and not cell.formula_without_value and not column.required:
                continue  # the common empty cell, without the checks below
            text = self.required_text(row, column, cell) if column.required else self.usable_text(row, column, cell)
            if text is None:
                continue
            splits = column.splits
            if splits and ("\n" in text or "\r" in text or (";" in text and not column.mapping.is_text)):
                parts = split_values(text, column.mapping.is_text)
            else:
                parts = [text]
            if not column.mapping.multiple and len(parts) > 1 and splits:
                self.cell_problem(row, column, "value.single", text, count=str(len(parts)))
                continue
            predicate = column.mapping.predicate
            for part in parts:
                obj = self.value(row, column, cell, part if splits else None)
                if obj is None or row.subject is None:
                    continue
                triple = (obj, predicate, row.subject) if column.mapping.inverse else (row.subject, predicate, obj)
                self.add(row, triple, row.ref(column, part))  # type: ignore[arg-type]

    def value(self, row: _Row, column: _Column, cell: RawCell, part: str | None) -> Node | None:
        """One value of a cell as an RDF term, or None after reporting why not. `part` is the text of one of
        several values; None means the cell's own value (so Excel numbers and dates keep their type)."""
        m = column.mapping
        raw = cell.value if part is None else part
        text = part if part is not None else cell.text
        try:
            if m.kind == "reference":
                return self.reference(row, column, text or "")
            if m.kind == "controlled":
                return self.concept(row, column, text or "")
            if m.kind == "link":
                iri = parse_iri(raw)
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    raise ValueProblem("type.iri") from None
                return URIRef(iri)
            if m.lang is not None:
                return Literal(text, lang=m.lang)
            return self.typed_literal(m, raw, cell)
        except ValueProblem as e:
            self.cell_problem(row, column, e.code, text)
            return None

    def typed_literal(self, m: ColumnMapping, raw: object, cell: RawCell) -> Literal:
        if m.datatype == "xsd:decimal":
            return self.literal(parse_decimal(raw, m.percent, cell.number_format), XSD.decimal)
        if m.datatype == "xsd:integer":
            return self.literal(parse_integer(raw), XSD.integer)
        if m.datatype == "xsd:gYear":
            return self.literal(parse_year(raw), XSD.gYear)
        if m.datatype == "xsd:date":
            return self.literal(parse_date(raw), XSD.date)
        if m.datatype == "xsd:boolean":
            return self.literal("true" if parse_boolean(raw) else "false", XSD.boolean)
        if m.datatype == "xsd:anyURI":
            return self.literal(parse_iri(raw), XSD.anyURI)
        assert m.datatype in ("xsd:string", IRI_VALUE)
        return Literal(cell_text(raw))

    def literal(self, lexical: str, datatype: URIRef) -> Literal:
        """Years, dates and amounts recur across thousands of rows; rdflib parses a typed literal's value on
        creation, so each distinct one is made once."""
        key = (lexical, datatype)
        found = self.literals.get(key)
        if found is None:
            found = self.literals[key] = Literal(lexical, datatype=datatype)
        return found

    def concept(self, row: _Row, column: _Column, text: str) -> URIRef | None:
        scheme_iri = column.mapping.scheme
        assert scheme_iri is not None
        scheme = self.lookup.schemes.get(scheme_iri)
        if scheme is not None:
            for candidate in spellings(text):
                found = scheme.by_key.get(normalise_key(candidate), set())
                if "://" in candidate and URIRef(candidate.strip()) in scheme.concepts:  # the concept's IRI
                    found = {URIRef(candidate.strip())}
                if len(found) == 1:
                    concept = next(iter(found))
                    if scheme.concepts[concept].deprecated:
                        self.mark(row, column)
                        self.report(problem("controlled.deprecated", row.sheet.name, row.number, column.header,
                                            column.letter, text, sv={"scheme": scheme.label_sv, "choices":
                                                                     scheme.choices("sv")},
                                            en={"scheme": scheme.label_en, "choices": scheme.choices("en")}),
                                    column.index)
                    return concept
        name_sv = scheme.label_sv if scheme else str(scheme_iri)
        name_en = scheme.label_en if scheme else str(scheme_iri)
        self.mark(row, column)
        self.report(problem("controlled.unknown", row.sheet.name, row.number, column.header, column.letter, text,
                            sv={"scheme": name_sv, "choices": scheme.choices("sv") if scheme else "–"},
                            en={"scheme": name_en, "choices": scheme.choices("en") if scheme else "–"}),
                    column.index)
        return None

    def used_iris_and_keys(self, rows: list[_Row]) -> tuple[set[URIRef], set[str]]:
        """What pass 2 may ask the store about: the minted subjects, and every IRI and key a reference cell may
        name (the same candidates `reference` tries), so a large store is asked once, in batches."""
        iris: set[URIRef] = set(self.seen)
        keys: set[str] = set()
        for row in rows:
            for column, cell in row.cells.values():
                m = column.mapping
                text = None if cell.formula_without_value or cell.excel_error else cell.text
                if m.kind != "reference" or text is None:
                    continue
                for part in dict.fromkeys((text, *split_values(text, m.is_text))):
                    for candidate in spellings(part):
                        iris.update(self.template_iris(m, candidate))
                        keys.add(normalise_key(candidate))
        return iris, keys

    # --- pass 2: references ---------------------------------------------------------------------------
    def describe(self, row: _Row) -> None:
        """A row about a resource that exists already (sheet with `subject`): resolve it, then its cells."""
        subject_column = row.mapping.subject
        assert subject_column is not None
        found = row.cell(subject_column)
        if found is None:
            return
        column, cell = found
        text = self.required_text(row, column, cell)
        if text is not None:
            subject = self.reference(row, column, text)
            if subject is not None:
                ref = row.ref(column, text)
                if subject in self.seen:
                    first = self.seen[subject]
                    self.cell_problem(row, column, "duplicate.id", text, first_row=str(first.row),
                                      first_sheet=first.sheet)
                    row.emit = False
                else:
                    self.seen[subject] = ref
                    self.origins.rows.setdefault(subject, ref)
                row.subject = subject
        self.convert_cells(row, references=False)
        self.convert_cells(row, references=True)

    def reference(self, row: _Row, column: _Column, text: str) -> URIRef | None:
        m = column.mapping
        accept = set(m.ref_class)
        wrong: tuple[URIRef, set[URIRef]] | None = None
        for candidate in spellings(text):
            for iri in self.template_iris(m, candidate):
                classes = self.known_classes(iri)
                if classes is None:
                    continue
                if not accept or classes & accept or not classes:
                    return iri
                wrong = wrong or (iri, classes)
            matches = {r for r in self.keys.get(normalise_key(candidate), set()) |
                       self.lookup.keys.get(normalise_key(candidate), set())
                       if (classes := self.known_classes(r)) is not None and (not accept or classes & accept)}
            if len(matches) == 1:
                return next(iter(matches))
            if len(matches) > 1:
                names = ", ".join(sorted(self.short(r) for r in matches)[:3])
                self.cell_problem(row, column, "ref.ambiguous", text, count=str(len(matches)), candidates=names)
                return None
        expected_sv = " eller ".join(self.class_name(c, "sv") for c in m.ref_class) or "resurs"
        expected_en = " or ".join(self.class_name(c, "en") for c in m.ref_class) or "resource"
        if wrong is not None:
            types = self.minted.get(wrong[0]) or self.lookup.types.get(wrong[0], set())
            # name the most specific types only: a målområde, not "concept / målområde"
            direct = {c for c in types if not any(c in self.lookup.superclasses.get(o, set()) for o in types)}
            self.mark(row, column)
            self.report(problem("ref.wrong-class", row.sheet.name, row.number, column.header, column.letter, text,
                                sv={"expected": expected_sv,
                                    "actual": " / ".join(sorted(self.class_name(c, "sv") for c in direct))},
                                en={"expected": expected_en,
                                    "actual": " / ".join(sorted(self.class_name(c, "en") for c in direct))}),
                        column.index)
        else:
            self.mark(row, column)
            self.report(problem("ref.unknown", row.sheet.name, row.number, column.header, column.letter, text,
                                sv={"expected": expected_sv}, en={"expected": expected_en}), column.index)
        return None

    def template_iris(self, m: ColumnMapping, text: str) -> list[URIRef]:
        """The IRIs a reference may name: the same few texts recur in thousands of rows, so each is worked
        out once."""
        key = (m.ref, text)
        found = self.iris_for.get(key)
        if found is None:
            found = self.iris_for[key] = list(self._template_iris(m, text))
        return found

    def _template_iris(self, m: ColumnMapping, text: str) -> Iterator[URIRef]:
        if "://" in text and " " not in text:  # a full IRI written out
            yield URIRef(text)
        for template in m.ref:
            keep_slash = placeholders(template)[0][0]
            try:
                value = slug(text, keep_slash)
            except ValueProblem:
                continue
            yield URIRef(expand_template(fill_template(template, {"": value}), self.base))

    def known_classes(self, iri: URIRef) -> set[URIRef] | None:
        """The classes (with superclasses) of a resource in this workbook or the store; None if unknown.
        A row of this workbook whose type could not be read counts as known with no class (no knock-on
        errors: its own row is already reported). Asked in pass 2 only, when both are complete: each
        resource's answer is kept, as references name the same few resources again and again."""
        if iri in self.classes_known:
            return self.classes_known[iri]
        found = self.classes_known[iri] = self._known_classes(iri)
        return found

    def _known_classes(self, iri: URIRef) -> set[URIRef] | None:
        if iri in self.minted:
            return self.lookup.with_superclasses(self.minted[iri])
        if iri in self.lookup.types:
            return self.lookup.with_superclasses(self.lookup.types[iri])
        return None

    def class_name(self, cls: URIRef, lang: str) -> str:
        label = self.lookup.class_label(cls, lang)
        return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label

    def short(self, iri: URIRef) -> str:
        return iri[len(self.base):] if iri.startswith(self.base) else str(iri)

    # --- helpers ----------------------------------------------------------------------------------------
    def usable_text(self, row: _Row, column: _Column, cell: RawCell) -> str | None:
        """The cell's text, or None when it is empty or its formula gave no usable value (reported)."""
        if cell.formula_without_value:
            if not self.failed(row, column):
                self.cell_problem(row, column, "formula.no-value", None)
            return None
        if cell.excel_error:
            if not self.failed(row, column):
                self.cell_problem(row, column, "formula.error", cell.text)
            return None
        return cell.text

    def add(self, row: _Row, triple: tuple[Node, Node, Node], cell: CellRef) -> None:
        if not row.emit or row.subject is None:
            return
        if not self.origins.add(triple, cell):
            return
        if triple[1] in KEY_PROPERTIES and isinstance(triple[2], Literal) and isinstance(triple[0], URIRef):
            self.keys.setdefault(normalise_key(str(triple[2])), set()).add(triple[0])
