"""Read an .xlsx workbook or a folder of CSV files into plain sheets of cells, nothing interpreted yet.

Formulas give their cached values (what Excel last computed); a formula without one is marked, so that the
steward is told to open and save the file in Excel rather than getting an empty cell.

python-calamine (Rust) reads a workbook about thirty times faster than openpyxl, but gives an empty string for
a formula without a saved value and for an error such as #REF!, and no number formats (a cell formatted as a
percentage holds 0.45 for 45 %). A workbook with formulas, error cells or percentage formats is therefore read
with openpyxl, which tells all three apart; every other workbook with calamine. Both give the same cells
(tests/test_workbook_read.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from loaders.workbook.errors import WorkbookError
from loaders.workbook.tabular import read_csv_folder
from loaders.workbook.values import cell_text

_FORMULA = re.compile(rb"<f[ >/]")
_ERROR_CELL = re.compile(rb"<c [^>]*\bt=\"e\"")
# number formats 9 and 10 are Excel's built-in percentages; a custom format with an unquoted % is one too
_PERCENT_FORMAT = re.compile(r'^[^"]*(?:"[^"]*"[^"]*)*%')
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"})


class RawCell:
    """One cell as read; not changed after reading. A plain class with slots: a workbook of 10 000 insatser has a
    million cells, and a frozen dataclass's __init__ and a cached property cost seconds at that count."""

    __slots__ = ("excel_error", "formula_without_value", "number_format", "text", "value")

    def __init__(self, value: Any, number_format: str = "General", formula_without_value: bool = False,
                 excel_error: bool = False) -> None:
        self.value: Any = value  # str | int | float | bool | datetime | date | time | None
        self.number_format = number_format
        self.formula_without_value = formula_without_value  # a formula Excel never computed (written by a program)
        self.excel_error = excel_error  # the cached value is an error such as #REF!
        self.text = cell_text(value)  # the conversion asks for it several times per cell

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawCell) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"RawCell({self.value!r}, {self.number_format!r}, {self.formula_without_value}, {self.excel_error})"

    def _fields(self) -> tuple[Any, str, bool, bool]:
        return self.value, self.number_format, self.formula_without_value, self.excel_error

    @property
    def blank(self) -> bool:
        return not self.formula_without_value and (self.value is None or
                                                   (isinstance(self.value, str) and not self.value.strip()))


@dataclass
class RawRow:
    number: int  # Excel row number; for CSV the record number (= the row Excel shows)
    cells: list[RawCell]

    @property
    def blank(self) -> bool:
        return all(c.blank for c in self.cells)


@dataclass
class RawSheet:
    name: str
    hidden: bool = False
    rows: list[RawRow] = field(default_factory=list)
    from_csv: bool = False

    def letter(self, index: int) -> str | None:
        """Excel's column letter of a 0-based column index; None for CSV (there are no letters)."""
        return None if self.from_csv else get_column_letter(index + 1)


@dataclass
class RawWorkbook:
    path: Path
    checksum: str  # "sha256:…" of the file, or of the folder's CSV files (names and bytes)
    sheets: list[RawSheet]


def read_workbook(path: Path) -> RawWorkbook:
    if path.is_dir():
        return _read_csv(path)
    if not path.is_file():
        raise WorkbookError(path, "filen finns inte", "the file does not exist")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(path, "inte en Excel-arbetsbok (.xlsx) eller en mapp med CSV-filer",
                            "not an Excel workbook (.xlsx) or a folder of CSV files")
    return RawWorkbook(path, "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(), _read_xlsx(path))


def _read_csv(folder: Path) -> RawWorkbook:
    digest = hashlib.sha256()
    for p in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv"):
        digest.update(unicodedata.normalize("NFC", p.name).encode() + b"\0" + p.read_bytes() + b"\0")
    sheets = [RawSheet(name, rows=[RawRow(n, [RawCell(v) for v in record]) for n, record in enumerate(records, 1)],
                       from_csv=True)
              for name, records in read_csv_folder(folder).items()]
    return RawWorkbook(folder, "sha256:" + digest.hexdigest(), sheets)


def _read_xlsx(path: Path) -> list[RawSheet]:
    try:
        with zipfile.ZipFile(path) as z:
            formulas, errors_or_percent = _formulas_errors_percent(z)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ElementTree.ParseError) as e:
        raise _unreadable(path, e) from None
    if formulas or errors_or_percent:
        return _read_with_openpyxl(path, formulas)
    return _read_with_calamine(path)


def _unreadable(path: Path, e: Exception) -> WorkbookError:
    return WorkbookError(path, f"kan inte läsas som en Excel-arbetsbok: {e}",
                         f"cannot be read as an Excel workbook: {e}")


def _formulas_errors_percent(z: zipfile.ZipFile) -> tuple[bool, bool]:
    """Whether the sheets hold formulas, and whether they hold error cells or a cell format is a percentage:
    what only openpyxl reports."""
    formulas = errors = False
    for name in z.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = z.read(name)
            formulas = formulas or _FORMULA.search(xml) is not None
            errors = errors or _ERROR_CELL.search(xml) is not None
    percent = "xl/styles.xml" in z.namelist() and _has_percent_style(z.read("xl/styles.xml"))
    return formulas, errors or percent


def _has_percent_style(styles_xml: bytes) -> bool:
    root = ElementTree.fromstring(styles_xml)
    percent = {"9", "10"} | {f.get("numFmtId", "") for f in root.iter(f"{_MAIN_NS}numFmt")
                             if _PERCENT_FORMAT.match(f.get("formatCode", ""))}
    cell_formats = root.find(f"{_MAIN_NS}cellXfs")
    return cell_formats is not None and any(xf.get("numFmtId") in percent for xf in cell_formats)


def _read_with_calamine(path: Path) -> list[RawSheet]:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(RawSheet(unicodedata.normalize("NFC", meta.name),
                                   hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
                                   rows=[RawRow(n, [_calamine_cell(v) for v in row]) for n, row in enumerate(rows, 1)]))
        return sheets
    except (python_calamine.CalamineError, ValueError, OSError) as e:
        raise _unreadable(path, e) from None


def _calamine_cell(value: Any) -> RawCell:
    if value == "":
        return _EMPTY
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        value = int(value)  # as openpyxl gives a number written without a decimal part
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())  # openpyxl gives every date cell as a datetime
    return RawCell(value, excel_error=isinstance(value, str) and value in EXCEL_ERRORS)


_EMPTY = RawCell(None)


def _read_with_openpyxl(path: Path, has_formulas: bool) -> list[RawSheet]:
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        # the formulas themselves only to tell "no saved value" from "empty": skipped when there are none
        formulas = load_workbook(path, read_only=True, data_only=False) if has_formulas else None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _unreadable(path, e) from None
    try:
        return [
            RawSheet(unicodedata.normalize("NFC", ws.title), hidden=ws.sheet_state != "visible",
                     rows=list(_rows(ws, formulas[ws.title] if formulas else None)))
            for ws in values.worksheets
        ]
    finally:
        values.close()
        if formulas:
            formulas.close()


def _rows(ws: Any, formula_ws: Any | None) -> Iterator[RawRow]:
    written_rows = formula_ws.iter_rows() if formula_ws is not None else iter(())
    for number, cached in enumerate(ws.iter_rows(), 1):
        written = next(written_rows, ())
        cells = []
        for i, c in enumerate(cached):
            value = getattr(c, "value", None)
            f = written[i] if i < len(written) else None
            formula = f is not None and isinstance(f.value, str) and f.value.startswith("=") and \
                getattr(f, "data_type", "") == "f"
            cells.append(RawCell(
                value=value,
                number_format=getattr(c, "number_format", None) or "General",
                formula_without_value=formula and value is None,
                excel_error=getattr(c, "data_type", "") == "e" or (isinstance(value, str) and value in EXCEL_ERRORS),
            ))
        row_number = getattr(cached[0], "row", None) if cached else None
        yield RawRow(row_number or number, cells)
