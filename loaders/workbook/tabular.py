"""A folder of CSV files as sheets: one file per sheet (`Insatser.csv`), UTF-8 with or without BOM, comma or
semicolon (as Swedish Excel writes it) or tab as the delimiter."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from loaders.workbook.errors import WorkbookError

DELIMITERS = ";,\t"


def read_csv_folder(folder: Path) -> dict[str, list[list[str]]]:
    """Sheet name (the file stem, NFC: macOS writes names decomposed) → its records, in file order.
    Record n is row n, as Excel shows the file."""
    if not folder.is_dir():
        raise WorkbookError(folder, "mappen finns inte", "the folder does not exist")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise WorkbookError(folder, "mappen har inga CSV-filer (*.csv)", "the folder has no CSV files (*.csv)")
    return {unicodedata.normalize("NFC", p.stem): read_csv(p) for p in files}


def read_csv(path: Path) -> list[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise WorkbookError(
            path,
            f"filen är inte UTF-8 (byte {e.start}); spara den som ”CSV UTF-8 (kommaavgränsad)”",
            f"the file is not UTF-8 (byte {e.start}); save it as “CSV UTF-8 (comma delimited)”",
        ) from None
    except OSError as e:
        raise WorkbookError(path, f"kan inte läsas: {e}", f"cannot be read: {e}") from None
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text)))
    except csv.Error as e:
        raise WorkbookError(path, f"ogiltig CSV: {e}", f"invalid CSV: {e}") from None


def delimiter(text: str) -> str:
    """The delimiter of the header line: whichever of ; , tab it holds most often (a header has none of them
    inside its names). Sniffing data lines instead would be fooled by decimal commas."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
