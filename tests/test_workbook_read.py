"""The two workbook readers: calamine for plain workbooks, openpyxl where formulas, error cells or percentage
formats need it. Where both can read a workbook they must give the same cells."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.workbook import read
from loaders.workbook.read import RawCell, RawSheet, read_workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example" / "vastmanland-example.xlsx"


def _cells(sheets: list[RawSheet]) -> list[tuple[str, bool, list[tuple[int, list[RawCell]]]]]:
    """The sheets without trailing empty cells and rows: how far a reader pads a row is not content."""
    out = []
    for sheet in sheets:
        rows = []
        for row in sheet.rows:
            cells = list(row.cells)
            while cells and cells[-1].blank:
                cells.pop()
            rows.append((row.number, [RawCell(c.value, excel_error=c.excel_error) for c in cells]))
        while rows and not rows[-1][1]:
            rows.pop()
        out.append((sheet.name, sheet.hidden, rows))
    return out


def _plain_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Insatser"
    ws.append(["Id", "Belopp", "Andel", "År", "Klar", "Start", "Tid", "Text"])
    ws.append(["RUV-1", 1200000, 2.5, 2024, True, date(2024, 1, 2), datetime(2024, 1, 2, 3, 4), "  med mellanslag "])
    ws.append([None] * 8)  # an empty row inside the data
    ws.append(["RUV-2", -3, 0.1, 1999, False, date(1999, 12, 31), None, "0101"])
    ws.merge_cells("A6:C6")
    ws["A6"] = "sammanfogad"
    ws["J9"] = "långt ut"
    hidden = wb.create_sheet("Listor")
    hidden.sheet_state = "hidden"
    hidden["B2"] = "dold"
    wb.save(path)
    return path


@pytest.mark.parametrize("workbook", ["plain", "example"])
def test_calamine_and_openpyxl_give_the_same_cells(tmp_path: Path, workbook: str) -> None:
    path = _plain_workbook(tmp_path / "plain.xlsx") if workbook == "plain" else EXAMPLE
    fast = _cells(read._read_with_calamine(path))
    slow = _cells(read._read_with_openpyxl(path, has_formulas=False))
    assert [s[0] for s in fast] == [s[0] for s in slow] and len(fast) >= 2
    assert fast == slow
    if workbook == "plain":
        insatser = dict(fast[0][2])
        assert insatser[2][1].value == 1200000 and isinstance(insatser[2][1].value, int)
        assert insatser[2][2].value == 2.5
        assert fast[1][1] is True  # the hidden sheet is hidden


def _with_number_format(path: Path, number_format: str) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = 0.45
    ws["A1"].number_format = number_format
    wb.save(path)
    return path


@pytest.mark.parametrize(("number_format", "percent"), [
    ("0%", True), ("0.0%", True), ('0.0" %"', False), ("0.00", False), ("General", False), ('#,##0 "kr"', False),
])
def test_percentage_formats_are_recognised_in_the_styles(tmp_path: Path, number_format: str, percent: bool) -> None:
    path = _with_number_format(tmp_path / "p.xlsx", number_format)
    with zipfile.ZipFile(path) as z:
        assert read._has_percent_style(z.read("xl/styles.xml")) is percent


def test_a_workbook_with_a_percentage_keeps_its_number_format(tmp_path: Path) -> None:
    sheets = read_workbook(_with_number_format(tmp_path / "p.xlsx", "0%")).sheets
    assert sheets[0].rows[0].cells[0].number_format == "0%"


def test_a_plain_workbook_is_read_by_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _plain_workbook(tmp_path / "plain.xlsx")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was used for a plain workbook")

    monkeypatch.setattr(read, "_read_with_openpyxl", refuse)
    assert read_workbook(path).sheets[0].name == "Insatser"


def test_a_file_that_is_not_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04 inte en zip")
    with pytest.raises(read.WorkbookError, match="kan inte läsas som en Excel-arbetsbok"):
        read_workbook(path)
