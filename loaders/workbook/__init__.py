"""The workbook front door: an Excel workbook (or a folder of CSV files) → RDF through declarative mapping
files, validated with the shared pipeline, every problem placed at its sheet, row and column. The contract
between the modules is docs/workbook.md."""
