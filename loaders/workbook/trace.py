"""SHACL findings → CellProblems at the sheet, row and column the offending statement came from.

The focus node names the row (its IRI was minted there); the finding's path names the column (the column
that produced that property on that sheet); a statement with the same subject, property and value names the
exact cell, also for several columns feeding one property (Delmål and Styrdokumentmål → sb:contributesTo).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.validation import Finding, Report
from loaders.workbook.convert import CellRef, OriginIndex, Origins
from loaders.workbook.messages import problem
from loaders.workbook.problems import CellProblem

_INVERSE = re.compile(r"^\^<([^<>]+)>$")


@dataclass
class Traced:
    problems: list[CellProblem]
    elsewhere: int  # warnings and infos about other sources, left out of the workbook's report


def trace(report: Report, origins: Origins) -> Traced:
    problems: list[CellProblem] = []
    elsewhere = 0
    index = origins.index_for({n for f in report.findings for n in (f.focus, f.value) if n is not None})
    for finding in report.findings:
        cell, predicate = locate(finding, origins, index)
        if cell is None:
            if finding.severity != "Violation":
                elsewhere += 1  # not this workbook's business; `sparbar validate` shows them
                continue
            problems.append(_outside(finding))
            continue
        if (cell.sheet, cell.row, predicate) in origins.failed:
            continue  # the cell already has a problem from the conversion; its knock-on is noise
        problems.append(CellProblem(
            sheet=cell.sheet, row=cell.row, column=cell.column, column_letter=cell.column_letter,
            value=cell.value if cell.value is not None else _text(finding.value), code="shacl",
            severity=finding.severity, message_sv=finding.message("sv"), message_en=finding.message("en"),
        ))
    return Traced(problems, elsewhere)


def locate(finding: Finding, origins: Origins, index: OriginIndex) -> tuple[CellRef | None, Node | None]:
    """The cell a finding comes from, and the property it concerns (None when the path is not one)."""
    focus, value = finding.focus, finding.value
    predicate, inverse = _predicate(finding)
    if predicate is not None:
        triple = (value, predicate, focus) if inverse else (focus, predicate, value)
        if value is not None and triple in origins.triples:
            return origins.triples[triple], predicate
        by = index.by_object.get((predicate, focus)) if inverse else index.by_subject.get((focus, predicate))
        if by is not None:
            return CellRef(by.sheet, by.row, by.column, by.column_letter, None if value is None else by.value), \
                predicate
    if value is not None:  # a constraint without a path on two resources: the cell that links them
        link = index.links.get((focus, value)) or index.links.get((value, focus))
        if link is not None:
            return link, predicate
    for node in (focus, value):
        row = origins.rows.get(node) if isinstance(node, URIRef) else None
        if row is None:
            continue
        column = origins.columns.get((row.sheet, predicate)) if predicate is not None else None
        if node is focus and column is not None:
            return CellRef(row.sheet, row.row, column[0], column[1], None), predicate
        return row, predicate
    return None, predicate


def _predicate(finding: Finding) -> tuple[Node | None, bool]:
    if isinstance(finding.path, URIRef):
        return finding.path, False
    m = _INVERSE.match(finding.path_text or "")
    if m:
        return URIRef(m.group(1)), True
    return None, False


def _outside(finding: Finding) -> CellProblem:
    sources = f"; {', '.join(finding.sources)}" if finding.sources else ""
    return problem("shacl.outside", "", value=_text(finding.value), severity=finding.severity,
                   sv={"message": finding.message("sv"), "focus": f"<{finding.focus}>", "sources": sources},
                   en={"message": finding.message("en"), "focus": f"<{finding.focus}>", "sources": sources})


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    return str(node) if isinstance(node, Literal | URIRef) else node.n3()
