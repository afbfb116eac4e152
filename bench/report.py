"""docs/benchmarks.md is shared by several benchmarks: each owns one marked section and rewrites only that."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = ("# Benchmarks\n\n"
          "Each section below is written by one script in `bench/`; the section says how to regenerate it.\n")


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def write_section(path: Path, name: str, markdown: str) -> None:
    """Replace the section `name` of the report at `path` (appended when new), keeping the others."""
    start, end = _markers(name)
    block = f"{start}\n{markdown.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    found = pattern.search(text)
    text = pattern.sub(lambda _m: block, text, count=1) if found else text.rstrip("\n") + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
