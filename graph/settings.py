"""One settings object for the whole application, read from SPARBAR_* environment variables."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGION = REPO_ROOT / "data" / "regions" / "vastmanland" / "region.toml"


class Settings(BaseSettings):
    """Passed to whatever needs it; never read from a module-level global."""

    model_config = SettingsConfigDict(env_prefix="SPARBAR_", env_file=None)

    store: Path = Path("sparbar-store")
    region: Path = DEFAULT_REGION
    host: str = "127.0.0.1"
    port: int = 8000
    http_timeout: float = 30.0  # seconds per request to an indicator API (Kolada, SCB); a slow API fails clearly


@dataclass(frozen=True)
class Source:
    """One bundled file and the named graph it becomes."""

    path: Path
    graph: str


@dataclass(frozen=True)
class Region:
    """A region is configuration plus data: its name, IRI base and bundled sources."""

    name: str
    county_code: str
    base_iri: str
    strategy_iri: str
    publisher: str
    sources: tuple[Source, ...]

    def graph_iri(self, name: str) -> str:
        return f"{self.base_iri}graph/{name}"

    @property
    def meta_graph_iri(self) -> str:
        return self.graph_iri("meta")


def load_region(path: Path) -> Region:
    """Read a region.toml; source paths are relative to the repository root."""
    with path.open("rb") as f:
        raw = tomllib.load(f)
    sources = tuple(
        Source(path=(REPO_ROOT / s["path"]).resolve(), graph=s["graph"]) for s in raw.get("sources", [])
    )
    return Region(
        name=raw["name"],
        county_code=str(raw["county_code"]),
        base_iri=raw["base_iri"],
        strategy_iri=raw["strategy_iri"],
        publisher=raw.get("publisher", raw["name"]),
        sources=sources,
    )
