"""Registers the SPARQL endpoint and the write interface on an app made by `server.app.create_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from server.sparql import protocol, update
from server.sparql.service import SparqlService


def mount_sparql(app: FastAPI) -> SparqlService:
    """Call before any catch-all route. Uses `app.state.settings`, `.store`, `.region`, `.templates`; the query
    processes start with the app's lifespan (or with the first query) and stop with it."""
    svc = SparqlService(app.state.settings, app.state.store, app.state.region)
    app.state.sparql = svc
    # the SPARQL protocols document themselves (Service Description); the OpenAPI schema is the named-query API's
    app.include_router(protocol.router, include_in_schema=False)
    app.include_router(update.router, include_in_schema=False)

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        if svc.pool is not None:
            await run_in_threadpool(svc.pool.start)
        try:
            async with inner(application) as state:
                yield state
        finally:
            svc.close()

    app.router.lifespan_context = lifespan
    return svc
