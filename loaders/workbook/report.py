"""The workbook's problems as readable text, Swedish or English: where (sheet, row, column), the value found,
and what is wrong and expected."""

from __future__ import annotations

from collections.abc import Sequence

from loaders.workbook.problems import CellProblem

_WORDS = {
    "sv": {"Violation": "Fel", "Warning": "Varning", "Info": "Information", "row": "rad", "column": "kolumn",
           "value": "värde", "empty": "(tom)", "workbook": "Arbetsboken", "errors": "fel", "warnings": "varningar",
           "none": "Inga problem.", "q": ("”", "”")},
    "en": {"Violation": "Error", "Warning": "Warning", "Info": "Info", "row": "row", "column": "column",
           "value": "value", "empty": "(empty)", "workbook": "Workbook", "errors": "errors", "warnings": "warnings",
           "none": "No problems.", "q": ("“", "”")},
}


def where(p: CellProblem, lang: str = "sv") -> str:
    w = _WORDS[lang]
    parts = [p.sheet] if p.sheet else []
    if p.row is not None:
        parts.append(f"{w['row']} {p.row}")
    if p.column or p.column_letter:
        letter = f" ({p.column_letter})" if p.column_letter else ""
        parts.append(f"{w['column']} {p.column or ''}{letter}".replace("  ", " "))
    return ", ".join(parts)


def problem_text(p: CellProblem, lang: str = "sv") -> str:
    w = _WORDS[lang]
    open_q, close_q = w["q"]
    head = f"[{w[p.severity]}] {where(p, lang)}".rstrip()
    if p.value is not None:
        head += f" — {w['value']}: {open_q}{p.value}{close_q}"
    return f"{head}\n    {p.message(lang)}"


def problems_text(source: str, problems: Sequence[CellProblem], lang: str = "sv") -> str:
    w = _WORDS[lang]
    errors = sum(p.severity == "Violation" for p in problems)
    warnings = sum(p.severity == "Warning" for p in problems)
    head = f"{w['workbook']} {source}: {errors} {w['errors']}, {warnings} {w['warnings']}"
    if not problems:
        return f"{head}\n{w['none']}"
    return head + "\n" + "\n".join(problem_text(p, lang) for p in problems)
