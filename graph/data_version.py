"""The version of the data in a store: it changes whenever a load writes, and only then.

ETags, the cached dumps and the cached VoID/DCAT descriptions are keyed on it. It is read from the meta graph
(each loaded graph's checksum and load time), so it costs one small query, not a pass over the data; writers
that bypass the load pipeline must update the meta graph too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from rdflib import URIRef

from graph.named_queries import NamedQuery
from graph.settings import Region
from graph.store import Store


def data_version(store: Store, region: Region, queries: Mapping[str, NamedQuery]) -> str:
    """16 hex digits of a hash over every (graph, checksum, load time) in the meta graph, and the graph names.
    `queries` is the loaded named-query library (read once by the caller, not per call)."""
    query = queries["source-graphs"]
    rows = store.select(query.text, {"meta": URIRef(region.meta_graph_iri)})
    lines = sorted(f"{r.get('graph')} {r.get('checksum')} {r.get('generated')}" for r in rows)
    lines += sorted(str(g) for g in store.graph_names())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
