"""Indicator data from the sources a region uses, as RDF Data Cube observations.

| module | job |
|---|---|
| `errors.py` | the one error type: a Swedish and an English message that name the URL, file, line or field |
| `httpjson.py` | one JSON request with httpx: timeouts, HTTP errors and non-JSON answers become clear errors |
| `fields.py` | reading fields of an API answer, naming the missing or malformed field and the URL |
| `jsonstat.py` | decoding a JSON-stat 2.0 dataset (what SCB's PxWeb API answers) into cells |
| `kolada.py` | Kolada API v3: key figure metadata and values for areas and years |
| `pxweb.py` | SCB's statistical database through PxWeb (API v2, or v1): a table and a selection |
| `opensdg.py` | an Open SDG tidy CSV file (Year, breakdown columns, Units, GeoCode, Value) |
| `areas.py` | the store's counties and municipalities by their codes (query `area-codes`) |
| `lookup.py` | the store's indicators by Kolada id or IRI, and UN SDG indicators by code (named queries) |
| `observations.py` | the shared builder: values → a dataset, its observations and any new indicators, in one graph |
| `source.py` | a built graph with its provenance → a `ParsedSource` for `graph.pipeline.apply` |
| `plans.py` | one fetch or import → its ParsedSource: areas, and the indicator the values belong to (found or minted) |

The CLI (`loaders/fetch_cli.py`) opens the store, calls `plans`, and writes with `graph.pipeline.apply`.
"""
