"""Open SDG's tidy CSV (the data format of open-sdg data repositories, e.g. data/indicator_8-5-2.csv): a Year
column, any number of breakdown columns, optionally Units, Series and GeoCode, and a Value column. A blank
breakdown cell means "all" (the row is aggregated over that column); a blank Value is a missing value. The
indicator id comes from the file name (indicator_8-5-2.csv → 8.5.2) unless it is given."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from graph.parse import display_path
from loaders.indicators.areas import Area, AreaIndex
from loaders.indicators.errors import IndicatorSourceError

SEX_VALUES = {  # Open SDG platforms write the sex column in English or in the platform's language
    "female": "F", "f": "F", "women": "F", "kvinnor": "F", "kvinna": "F",
    "male": "M", "m": "M", "men": "M", "män": "M", "man": "M",
    "total": "T", "totalt": "T", "both sexes": "T",
}
SEX_COLUMNS = ("sex", "kön", "kon")
FILE_NAME = re.compile(r"indicator_(\d+)-([0-9a-z]+)-([0-9a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class OpenSdgValue:
    line: int
    area: Area
    year: int
    sex: str
    breakdown: str | None
    unit: str | None
    value: Decimal


@dataclass(frozen=True)
class OpenSdgFile:
    path: Path
    indicator_id: str  # 8.5.2
    values: list[OpenSdgValue]
    units: tuple[str, ...]  # the distinct Units of the file
    body: bytes


def indicator_id_from_name(path: Path) -> str | None:
    m = FILE_NAME.fullmatch(path.stem)
    return ".".join(m.groups()) if m else None


def read(path: Path, areas: AreaIndex, *, indicator_id: str | None = None,
         default_area: str | None = None) -> OpenSdgFile:
    shown = display_path(path)
    if not path.is_file():
        raise _error(shown, None, None, "filen finns inte", "the file does not exist")
    ident = (indicator_id or indicator_id_from_name(path) or "").replace("-", ".")
    if not re.fullmatch(r"\d+\.[0-9a-z]+\.[0-9a-z]+", ident):
        raise _error(shown, None, None,
                     "ange indikatorns id med --sdg (t.ex. 8.5.2), eller döp filen som Open SDG: indicator_8-5-2.csv",
                     "give the indicator id with --sdg (e.g. 8.5.2), or name the file as Open SDG does: "
                     "indicator_8-5-2.csv")
    if default_area is not None and areas.by_code(default_area) is None:
        raise _error(shown, None, None, f"--area {default_area}: okänd områdeskod",
                     f"--area {default_area}: unknown area code")
    body = path.read_bytes()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _error(shown, None, None, f"filen är inte UTF-8: {e}", f"the file is not UTF-8: {e}") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    for required in ("Year", "Value"):
        if required not in columns:
            raise _error(shown, 1, required, f"kolumnen {required} saknas (rubrikraden har: {', '.join(columns)})",
                         f"the column {required} is missing (the header has: {', '.join(columns)})")
    sex_column = next((c for c in columns if c.lower() in SEX_COLUMNS), None)
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if None in row:
            raise _error(shown, reader.line_num, None, "raden har fler fält än rubrikraden",
                         "the row has more fields than the header")
        rows.append((reader.line_num, row))
    units = tuple(sorted({(r.get("Units") or "").strip() for _, r in rows} - {""}))
    # With several units the same breakdown can appear once per unit: the unit then tells the values apart.
    breakdown_columns = [c for c in columns if c not in ("Year", "Value", "GeoCode", sex_column)
                         and (c != "Units" or len(units) > 1)]
    values = []
    for number, row in rows:
        raw_value = (row.get("Value") or "").strip()
        if not raw_value:
            continue  # a missing value
        values.append(OpenSdgValue(
            line=number,
            area=_area(shown, number, row, areas, default_area),
            year=_year(shown, number, row),
            sex=_sex(shown, number, row, sex_column),
            breakdown="; ".join(f"{c}={row[c].strip()}" for c in breakdown_columns if (row.get(c) or "").strip())
            or None,
            unit=(row.get("Units") or "").strip() or None,
            value=_number(shown, number, raw_value),
        ))
    return OpenSdgFile(path, ident, values, units, body)


def _error(shown: str, line: int | None, column: str | None, sv: str, en: str) -> IndicatorSourceError:
    where = shown + (f":{line}" if line else "") + (f", kolumn {column}" if column else "")
    where_en = shown + (f":{line}" if line else "") + (f", column {column}" if column else "")
    return IndicatorSourceError(f"{where}: {sv} — inget skrevs till lagret", f"{where_en}: {en} — nothing was written")


def _year(shown: str, line: int, row: dict[str, str]) -> int:
    raw = (row.get("Year") or "").strip()
    if len(raw) == 4 and raw.isdigit():
        return int(raw)
    raise _error(shown, line, "Year", f"'{raw}' är inte ett årtal", f"'{raw}' is not a year")


def _number(shown: str, line: int, raw: str) -> Decimal:
    try:
        value = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _error(shown, line, "Value", f"'{raw}' är inte ett tal", f"'{raw}' is not a number")
    return value


def _area(shown: str, line: int, row: dict[str, str], areas: AreaIndex, default_area: str | None) -> Area:
    code = (row.get("GeoCode") or "").strip() or default_area
    if not code:
        raise _error(shown, line, "GeoCode",
                     "raden saknar GeoCode: ange med --area vilket område rader utan GeoCode gäller",
                     "the row has no GeoCode: say with --area which area rows without GeoCode are for")
    area = areas.by_code(code)
    if area is None:
        raise _error(shown, line, "GeoCode", f"okänd områdeskod '{code}' (lagret har län och kommuner med "
                     "länskod och kommunkod)", f"unknown area code '{code}' (the store has counties and "
                     "municipalities by county and municipality code)")
    return area


def _sex(shown: str, line: int, row: dict[str, str], column: str | None) -> str:
    raw = (row.get(column) or "").strip() if column else ""
    if not raw:
        return "T"  # blank = aggregated over the column: everyone
    if raw.lower() not in SEX_VALUES:
        raise _error(shown, line, column, f"okänt kön '{raw}' (väntade t.ex. Female, Male, kvinnor, män)",
                     f"unknown sex '{raw}' (expected e.g. Female, Male, kvinnor, män)")
    return SEX_VALUES[raw.lower()]
