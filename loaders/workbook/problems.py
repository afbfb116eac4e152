"""One problem found in a workbook, placed at its sheet, row and column, with its message in sv and en."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int | None  # Excel row number (1 = header row); CSV: the record number (the row Excel shows)
    column: str | None  # the header text as in the workbook
    column_letter: str | None  # "C"; None for a CSV folder
    value: str | None  # the value found, as text
    code: str  # e.g. "type.date", "required", "ref.unknown", "duplicate.id", "shacl", "sheet.missing"
    severity: str  # "Violation" | "Warning" | "Info"
    message_sv: str
    message_en: str

    def message(self, lang: str = "sv") -> str:
        return self.message_en if lang == "en" else self.message_sv


def has_violation(problems: list[CellProblem]) -> bool:
    return any(p.severity == "Violation" for p in problems)
