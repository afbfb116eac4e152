"""The report as a workbook: a copy of the steward's workbook with every problem cell filled and commented,
plus a "Problem" sheet that lists the problems with links to their cells, so they can be fixed in place.

The source file is never touched. A CSV folder becomes an .xlsx built from its CSV files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from loaders.workbook.problems import CellProblem
from loaders.workbook.tabular import read_csv_folder

# Excel's own "light red" and "yellow" highlight fills: what a steward already reads as error and warning.
VIOLATION_FILL = "FFFFC7CE"
WARNING_FILL = "FFFFEB9C"
FILLS = {"Violation": VIOLATION_FILL, "Warning": WARNING_FILL}
SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
COMMENT_AUTHOR = "Spårbar"

TEXT = {
    "sv": {
        "sheet": "Problem",
        "headers": ("Cell", "Blad", "Rad", "Kolumn", "Värde", "Allvarlighetsgrad", "Kod", "Meddelande"),
        "Violation": "Fel", "Warning": "Varning", "Info": "Information",
        "whole_sheet": "(hela bladet)",
    },
    "en": {
        "sheet": "Problems",
        "headers": ("Cell", "Sheet", "Row", "Column", "Value", "Severity", "Code", "Message"),
        "Violation": "Error", "Warning": "Warning", "Info": "Information",
        "whole_sheet": "(whole sheet)",
    },
}


PROBLEM_SHEETS = frozenset(str(words["sheet"]) for words in TEXT.values())  # not data: the loader may skip them


class MarkedCopyError(ValueError):
    """The marked copy cannot be written (bad output path, unreadable source). Names the file."""


@dataclass(frozen=True)
class _Placed:
    problem: CellProblem
    sheet: str | None  # None: the sheet is not in the workbook
    coordinate: str | None  # None: the problem concerns the whole sheet


def write_marked_copy(source: Path, problems: Sequence[CellProblem], output: Path, lang: str = "sv",
                      id_headers: Mapping[str, str] | None = None) -> Path:
    """Copy `source` (an .xlsx file or a folder of CSV files) to `output` with the problems marked.

    A problem with a row but no column concerns the whole row and marks the row's id cell: the column whose
    header `id_headers[sheet]` names (the mapping's identifier column), else the first column."""
    if lang not in TEXT:
        raise MarkedCopyError(f"okänt språk '{lang}' (sv eller en)")
    if output.suffix.lower() != ".xlsx":
        raise MarkedCopyError(f"{output}: den markerade kopian måste vara en .xlsx-fil")
    if output.resolve() == source.resolve():
        raise MarkedCopyError(f"{output}: den markerade kopian får inte skriva över arbetsboken den är en kopia av")
    workbook = _open(source)
    placed = [_place(workbook, p, (id_headers or {}).get(p.sheet)) for p in problems]
    _mark_cells(workbook, placed, lang)
    _add_problem_sheet(workbook, placed, lang)
    try:
        workbook.save(output)
    except OSError as e:
        raise MarkedCopyError(f"{output}: kan inte skriva filen: {e}") from None
    return output


def _open(source: Path) -> Workbook:
    if source.is_dir():
        return _workbook_from_csv(read_csv_folder(source))
    if not source.is_file():
        raise MarkedCopyError(f"{source}: filen finns inte")
    try:
        return load_workbook(source)  # formulas kept as formulas: the copy is the steward's file, marked
    except (OSError, ValueError, KeyError) as e:
        raise MarkedCopyError(f"{source}: kan inte läsas som en .xlsx-arbetsbok: {e}") from None


def _workbook_from_csv(sheets: Mapping[str, Sequence[Sequence[str]]]) -> Workbook:
    """One sheet per CSV file, every cell as the text the file holds (line n of the file = row n)."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, lines in sheets.items():
        sheet = workbook.create_sheet(name)
        for line in lines:
            sheet.append(list(line))
    return workbook


def _header_column(sheet: Worksheet, header: str | None) -> int | None:
    if not header:
        return None
    wanted = header.strip().casefold()
    for cell in sheet[1]:
        if cell.value is not None and str(cell.value).strip().casefold() == wanted:
            return int(cell.column)
    return None


def _sheet_named(workbook: Workbook, name: str) -> Worksheet | None:
    """The sheet a problem names; the reader gives names in NFC, a file from macOS may hold them decomposed."""
    wanted = unicodedata.normalize("NFC", name)
    return next((ws for ws in workbook.worksheets if unicodedata.normalize("NFC", ws.title) == wanted), None)


def _place(workbook: Workbook, problem: CellProblem, id_header: str | None) -> _Placed:
    sheet = _sheet_named(workbook, problem.sheet)
    if sheet is None:
        return _Placed(problem, None, None)
    column: int | None = None
    if problem.column_letter:
        column = sheet[f"{problem.column_letter}1"].column
    elif problem.column:
        column = _header_column(sheet, problem.column)
    if problem.row is None:
        # a column-level problem (unknown or missing header) marks the header cell, if there is one
        return _Placed(problem, sheet.title, f"{get_column_letter(column)}1" if column else None)
    if column is None:
        column = _header_column(sheet, id_header) or 1
    return _Placed(problem, sheet.title, f"{get_column_letter(column)}{problem.row}")


def _worst(problems: Iterable[CellProblem]) -> str:
    return min((p.severity for p in problems), key=lambda s: SEVERITY_RANK.get(s, len(SEVERITY_RANK)))


def _writable(sheet: Worksheet, coordinate: str) -> Cell:
    """The cell itself, or the top-left cell of the merged range it lies in (a merged cell takes no comment)."""
    cell = sheet[coordinate]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if coordinate in merged:
                return sheet.cell(merged.min_row, merged.min_col)  # type: ignore[return-value]
    return cell  # type: ignore[return-value]


def _mark_cells(workbook: Workbook, placed: Sequence[_Placed], lang: str) -> None:
    by_cell: dict[tuple[str, str], list[CellProblem]] = {}
    for p in placed:
        if p.sheet is not None and p.coordinate is not None:
            by_cell.setdefault((p.sheet, p.coordinate), []).append(p.problem)
    words = TEXT[lang]
    for (sheet_name, coordinate), problems in by_cell.items():
        cell = _writable(workbook[sheet_name], coordinate)
        fill = FILLS.get(_worst(problems))
        if fill:
            cell.fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
        lines = [f"{words.get(p.severity, p.severity)}: {p.message(lang)}" for p in problems]
        if cell.comment is not None:  # keep what the steward wrote
            lines.insert(0, cell.comment.text)
        text = "\n".join(lines)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width = 400
        comment.height = min(600, 40 + 20 * (text.count("\n") + 1 + len(text) // 60))
        cell.comment = comment


def _add_problem_sheet(workbook: Workbook, placed: Sequence[_Placed], lang: str) -> None:
    words = TEXT[lang]
    title = str(words["sheet"])
    n = 2
    while title in workbook.sheetnames:
        title = f"{words['sheet']} ({n})"
        n += 1
    sheet = workbook.create_sheet(title, 0)
    sheet.append(list(words["headers"]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in placed:
        problem = p.problem
        where = ""
        if p.sheet is not None:
            where = f"{p.sheet}!{p.coordinate}" if p.coordinate else str(words["whole_sheet"])
        sheet.append([where, problem.sheet, problem.row, problem.column, problem.value,
                      words.get(problem.severity, problem.severity), problem.code, problem.message(lang)])
        if p.sheet is not None:
            link = sheet.cell(sheet.max_row, 1)
            # an in-document link (location), not a relationship to an outside file
            target = f"{quote_sheetname(p.sheet)}!{p.coordinate or 'A1'}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target)
            link.style = "Hyperlink"
        fill = FILLS.get(problem.severity)
        if fill:
            sheet.cell(sheet.max_row, 6).fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEFGH", (18, 20, 6, 20, 24, 14, 20, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    for other in workbook.worksheets:  # one selected tab, or Excel opens the sheets grouped
        other.sheet_view.tabSelected = other is sheet
    workbook.active = 0
