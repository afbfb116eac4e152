"""Read an .xlsx workbook or a folder of CSV files into plain sheets of cells, nothing interpreted yet.

Formulas give their cached values (what Excel last computed); a formula without one is marked, so that the
steward is told to open and save the file in Excel rather than getting an empty cell.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from loaders.workbook.errors import WorkbookError
from loaders.workbook.tabular import read_csv_folder

_FORMULA = re.compile(rb"<f[ >/]")
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"})


@dataclass(frozen=True)
class RawCell:
    value: Any  # str | int | float | bool | datetime | date | time | None
    number_format: str = "General"
    formula_without_value: bool = False  # a formula Excel never computed (file written by a program)
    excel_error: bool = False  # the cached value is an error such as #REF!

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
        values = load_workbook(path, read_only=True, data_only=True)
        # the formulas themselves only to tell "no saved value" from "empty": skipped when there are none
        formulas = load_workbook(path, read_only=True, data_only=False) if _has_formulas(path) else None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise WorkbookError(path, f"kan inte läsas som en Excel-arbetsbok: {e}",
                            f"cannot be read as an Excel workbook: {e}") from None
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


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(_FORMULA.search(z.read(name)) for name in z.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


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
