"""Everything the SPARQL routes share for one app: settings, limits, the query pool, the write lock."""

from __future__ import annotations

import threading
import weakref
from functools import cached_property

import pyoxigraph as ox
from starlette.requests import Request

from graph.named_queries import NamedQuery, load_named_queries
from graph.settings import Region, Settings
from graph.snapshots import Snapshots, Snapshottable
from graph.store import Store
from graph.validation import Validator
from server.sparql.engine import Job
from server.sparql.limits import Limits, QueryRefused
from server.sparql.workers import Answer, QueryPool, Unavailable


class SparqlService:
    def __init__(self, settings: Settings, store: Store, region: Region) -> None:
        self.settings = settings
        self.store = store
        self.region = region
        self.limits = Limits(max_bytes=settings.max_query_bytes, max_depth=settings.max_query_depth)
        token = settings.update_token.get_secret_value() if settings.update_token is not None else ""
        self.update_token = token or None
        self.write_lock = threading.Lock()
        self.pool: QueryPool | None = None
        if hasattr(store, "snapshot") and hasattr(store, "path"):
            snapshottable: Snapshottable = store  # type: ignore[assignment]
            self.pool = QueryPool(Snapshots(snapshottable), settings.query_workers, settings.query_timeout)
            # an app dropped without its lifespan's shutdown (tests) still stops its processes
            weakref.finalize(self, self.pool.close)

    @cached_property
    def validator(self) -> Validator:
        return Validator()

    @cached_property
    def named_queries(self) -> dict[str, NamedQuery]:
        return load_named_queries()

    def named_query(self, name: str) -> NamedQuery:
        return self.named_queries[name]

    def public_base(self, request: Request) -> str:
        base = self.settings.public_url or str(request.base_url)
        return base if base.endswith("/") else base + "/"

    def endpoint_url(self, request: Request) -> str:
        return self.public_base(request) + "sparql"

    def run(self, job: Job) -> Answer:
        if self.pool is None:
            raise Unavailable("SPARQL-tjänsten kräver Spårbars inbyggda Oxigraph-lager.")
        return self.pool.run(job)

    def check_dataset(self, iris: list[tuple[str, bool]]) -> None:
        """Refuse a dataset IRI that is not a graph in the store: the engine never dereferences one, and a
        query that names a local file or a web address gets a clear no, not a silently empty graph."""
        if not iris:
            return
        stored = {str(g) for g in self.store.graph_names()}
        for iri, named in iris:
            kind = "FROM NAMED / named-graph-uri" if named else "FROM / default-graph-uri"
            try:
                ox.NamedNode(iri)
            except ValueError as e:
                raise QueryRefused(f"Ogiltig graf-IRI <{iri}> i {kind}: {e}") from None
            if iri not in stored:
                raise QueryRefused(
                    f"Grafen <{iri}> ({kind}) finns inte i Spårbars graf; frågor läser aldrig filer, webbadresser "
                    "eller andra källor utanför den. VoID-beskrivningen (/.well-known/void) listar graferna."
                )

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
