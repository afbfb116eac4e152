"""The SHACL shapes of Spårbar (data, no code): the path of the Turtle file and its namespace."""

from __future__ import annotations

from pathlib import Path

SHAPES_PATH: Path = Path(__file__).resolve().parent / "sparbar-shapes.ttl"
SHAPES_NAMESPACE: str = "https://w3id.org/sparbar/shapes#"

__all__ = ["SHAPES_NAMESPACE", "SHAPES_PATH"]
