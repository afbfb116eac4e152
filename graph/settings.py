"""One settings object for the whole application, read from SPARBAR_* environment variables."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
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
    # Linked data (docs/design.md "Linked data"): where this server is reached publicly, e.g.
    # "https://sparbar.example.se/"; unset, each request's own base URL is used (right behind a proxy that sends
    # X-Forwarded-* to uvicorn --proxy-headers). Used for the SPARQL endpoint and dump URLs in VoID and DCAT.
    public_url: str | None = None
    # folder for the gzip dumps, rebuilt when the data version changes; unset: "<store>-dumps" beside the store
    dumps: Path | None = None
    # The public SPARQL endpoint (docs/design.md "SPARQL endpoint"): every query runs in one of `query_workers`
    # processes, which is killed after `query_timeout` seconds; larger or deeper queries are refused unread.
    query_timeout: float = 10.0
    max_result_rows: int = 100_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE); more is refused, not cut
    max_query_bytes: int = 100_000
    max_query_depth: int = 100  # nesting of { ( [ — pyoxigraph crashes the process near 2 500
    query_workers: int = 2
    # bearer token for SPARQL Update and the Graph Store Protocol; unset, writes are off (their paths answer 404)
    update_token: SecretStr | None = None


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
    # The dataset's publisher and licence for VoID and the DCAT-AP-SE catalogue (docs/design.md "Linked data").
    publisher_iri: str | None = None  # used when no organisation number is configured
    publisher_org_number: str | None = None  # "NNNNNN-NNNN" → http://dataportal.se/organisation/SENNNNNNNNNN
    publisher_type: str = "http://purl.org/adms/publishertype/RegionalAuthority"
    contact_email: str | None = None
    licence: str = "http://creativecommons.org/publicdomain/zero/1.0/"

    def graph_iri(self, name: str) -> str:
        return f"{self.base_iri}graph/{name}"

    @property
    def meta_graph_iri(self) -> str:
        return self.graph_iri("meta")


# optional region.toml keys that describe the dataset's publisher and licence
_OPTIONAL_KEYS = ("publisher_iri", "publisher_org_number", "publisher_type", "contact_email", "licence")


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
        **{key: str(raw[key]) for key in _OPTIONAL_KEYS if key in raw},
    )
