"""The marked copy: exactly the problem cells are filled and commented, the source is untouched, and a
"Problem" sheet links every problem to its cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from loaders.workbook.marked_copy import (
    VIOLATION_FILL,
    WARNING_FILL,
    MarkedCopyError,
    write_marked_copy,
)
from loaders.workbook.problems import CellProblem

HEADERS = ["Id", "Titel", "Startdatum", "Belopp"]
ROWS = [
    ["RUV 2024/1", "Första insatsen", "2024-01-01", "100"],
    ["RUV 2024/2", "Andra insatsen", "2024-13-01", "tusen"],
    ["RUV 2024/3", "Tredje insatsen", "2024-02-01", "300"],
]


def problem(row: int | None, column: str | None, letter: str | None, severity: str = "Violation",
            code: str = "type.date", sheet: str = "Insatser", sv: str = "fel", en: str = "error") -> CellProblem:
    return CellProblem(sheet=sheet, row=row, column=column, column_letter=letter, value=None, code=code,
                       severity=severity, message_sv=sv, message_en=en)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Insatser"
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    ws["B4"].comment = Comment("Stewardens egen anteckning", "Anna")
    other = wb.create_sheet("Aktiviteter")
    other.append(["Id", "Titel"])
    other.append(["a1", "En aktivitet"])
    path = tmp_path / "insatser.xlsx"
    wb.save(path)
    return path


def marked_cells(path: Path) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(sheet, cell) → (fill colour, comment text) for every filled or commented cell of the data sheets."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title in ("Problem", "Problems"):
            continue
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.start_color.rgb if cell.fill.fill_type == "solid" else None
                if fill or cell.comment:
                    out[(ws.title, cell.coordinate)] = (fill, cell.comment.text if cell.comment else None)
    return out


def test_exactly_the_problem_cells_are_marked_red_or_yellow(source: Path, tmp_path: Path) -> None:
    before = source.read_bytes()
    problems = [
        problem(3, "Startdatum", "C", sv="Datumet 2024-13-01 finns inte."),
        problem(3, "Belopp", "D", severity="Warning", code="type.number", sv="Beloppet är inget tal."),
        problem(2, "Titel", "B", severity="Info", code="info", sv="Bara en upplysning."),
    ]
    out = write_marked_copy(source, problems, tmp_path / "markerad.xlsx")
    cells = marked_cells(out)
    assert cells == {
        ("Insatser", "C3"): (VIOLATION_FILL, "Fel: Datumet 2024-13-01 finns inte."),
        ("Insatser", "D3"): (WARNING_FILL, "Varning: Beloppet är inget tal."),
        ("Insatser", "B2"): (None, "Information: Bara en upplysning."),
        ("Insatser", "B4"): (None, "Stewardens egen anteckning"),  # the steward's own comment stays
    }
    assert source.read_bytes() == before, "the source workbook must not change"
    copy = load_workbook(out)
    assert copy["Insatser"]["C3"].value == "2024-13-01", "values are copied as they are"
    assert [ws.title for ws in copy.worksheets] == ["Problem", "Insatser", "Aktiviteter"]


def test_several_problems_on_one_cell_share_one_comment_and_the_worst_colour(source: Path, tmp_path: Path) -> None:
    problems = [
        problem(4, "Titel", "B", severity="Warning", code="shacl", sv="Titeln är lång."),
        problem(4, "Titel", "B", severity="Violation", code="required", sv="Titel på engelska saknas."),
    ]
    cells = marked_cells(write_marked_copy(source, problems, tmp_path / "m.xlsx"))
    fill, text = cells[("Insatser", "B4")]
    assert fill == VIOLATION_FILL
    assert text == "Stewardens egen anteckning\nVarning: Titeln är lång.\nFel: Titel på engelska saknas."


def test_a_row_problem_marks_the_id_cell_and_a_column_problem_its_header(source: Path, tmp_path: Path) -> None:
    problems = [
        problem(3, None, None, code="duplicate.id", sv="Raden har samma Id som rad 2."),
        problem(None, "Belopp", "D", severity="Warning", code="header.unknown", sv="Okänd kolumn."),
        problem(2, None, None, sheet="Aktiviteter", code="shacl", sv="Aktiviteten saknar insats."),
    ]
    out = write_marked_copy(source, problems, tmp_path / "m.xlsx", id_headers={"Insatser": "Titel"})
    cells = marked_cells(out)
    assert set(cells) == {("Insatser", "B3"), ("Insatser", "D1"), ("Aktiviteter", "A2"), ("Insatser", "B4")}
    assert cells[("Insatser", "B3")][1] == "Fel: Raden har samma Id som rad 2."
    assert cells[("Aktiviteter", "A2")][0] == VIOLATION_FILL  # no id header given: the first column


def test_the_problem_sheet_lists_every_problem_with_a_link_to_its_cell(source: Path, tmp_path: Path) -> None:
    problems = [
        problem(3, "Startdatum", "C", sv="Datumet finns inte.", en="No such date."),
        problem(None, None, None, sheet="Finansiering", code="sheet.missing", sv="Bladet saknas.",
                en="The sheet is missing."),
    ]
    out = write_marked_copy(source, problems, tmp_path / "m.xlsx", lang="en")
    wb = load_workbook(out)
    sheet = wb["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Cell", "Sheet", "Row", "Column", "Value", "Severity", "Code", "Message")
    assert rows[1][:4] == ("Insatser!C3", "Insatser", 3, "Startdatum")
    assert rows[1][5:] == ("Error", "type.date", "No such date.")
    assert sheet["A2"].hyperlink.location == "'Insatser'!C3"
    assert rows[2][1:3] == ("Finansiering", None) and rows[2][7] == "The sheet is missing."
    assert sheet["A3"].hyperlink is None  # the sheet is not in the workbook: nothing to link to
    assert marked_cells(out)[("Insatser", "C3")][1] == "Error: No such date."


def test_a_csv_folder_becomes_an_xlsx_copy_with_cells_found_by_header(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Insatser.csv").write_text(
        "Id;Titel;Startdatum\nRUV 2024/1;Första;2024-01-01\nRUV 2024/2;Andra;den första mars\n", encoding="utf-8")
    problems = [problem(3, "Startdatum", None, sv="Inget datum.")]
    out = write_marked_copy(folder, problems, tmp_path / "markerad.xlsx")
    wb = load_workbook(out)
    assert wb["Insatser"]["C3"].value == "den första mars"
    assert marked_cells(out) == {("Insatser", "C3"): (VIOLATION_FILL, "Fel: Inget datum.")}
    assert wb["Problem"]["A2"].value == "Insatser!C3"


def test_the_copy_never_overwrites_its_source_and_must_be_xlsx(source: Path, tmp_path: Path) -> None:
    before = source.read_bytes()
    with pytest.raises(MarkedCopyError, match="skriva över"):
        write_marked_copy(source, [problem(2, "Titel", "B")], source)
    with pytest.raises(MarkedCopyError, match=r"\.xlsx"):
        write_marked_copy(source, [], tmp_path / "kopia.csv")
    with pytest.raises(MarkedCopyError, match="finns inte"):
        write_marked_copy(tmp_path / "saknas.xlsx", [], tmp_path / "kopia.xlsx")
    assert source.read_bytes() == before
    assert not (tmp_path / "kopia.xlsx").exists()
