"""Small workbooks for the workbook-loader tests, written with openpyxl into tmp_path.

A sheet is given as a list of rows, each a dict header → value; the header row holds every column of the
sheet's mapping (so the tests exercise the real mapping files), unless `headers` says otherwise.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from rdflib import Graph

from loaders.workbook.mapping import DEFAULT_MAPPINGS, SheetMapping, load_mappings

MAPPINGS = load_mappings(DEFAULT_MAPPINGS)
BASE = "https://w3id.org/sparbar/vastmanland/"
PREFIXES = f"""
@base <{BASE}> .
@prefix sb: <https://w3id.org/sparbar/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix kos: <https://w3id.org/sparbar/kos/> .
"""

Rows = Sequence[Mapping[str, Any]]


def mapping(sheet: str) -> SheetMapping:
    return next(m for m in MAPPINGS if m.sheet == sheet)


def headers_of(sheet: str) -> list[str]:
    return [c.header for c in mapping(sheet).columns]


def write_xlsx(path: Path, sheets: Mapping[str, Rows], headers: Mapping[str, list[str]] | None = None,
               hidden: Sequence[str] = ()) -> Path:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        head = (headers or {}).get(name) or headers_of(name)
        ws.append(head)
        for row in rows:
            unknown = set(row) - set(head)
            assert not unknown, f"not a header of {name}: {unknown}"
            ws.append([row.get(h) for h in head])
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def write_csv_folder(folder: Path, sheets: Mapping[str, Rows], delimiter: str = ";", bom: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        head = headers_of(name)
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            writer = csv.writer(f, delimiter=delimiter)
            writer.writerow(head)
            for row in rows:
                writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in head])
    return folder


def set_cached_value(path: Path, sheet_index: int, cell: str, value: str, error: bool = False) -> None:
    """Give a formula cell the value Excel would have saved with it (openpyxl writes formulas without one);
    `error`: the value is an error such as #DIV/0!, which Excel marks with t="e"."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    xml = entries[name].decode()
    kind = ' t="e"' if error else ""
    xml, count = re.subn(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f>(<v\s*/>|<v>[^<]*</v>)?',
                         rf'<c r="{cell}"\1{kind}><f>\2</f><v>{value}</v>', xml)
    assert count == 1, xml
    entries[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in entries.items():
            z.writestr(n, data)


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")
