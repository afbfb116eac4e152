"""The all-or-nothing load: parse → build the candidate graph → validate → write in one transaction.

Nothing touches the store until every source has parsed and the store as it would be has no SHACL
Violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD
from rdflib.term import Node

from graph.candidate_store import candidate_store
from graph.candidate_view import select_batched, validation_query
from graph.canonical import canonicalise
from graph.incremental import FullValidationNeeded, validate_change
from graph.new_graph import NewGraph, rdflib_graphs
from graph.parse import ParsedSource, SourceError, display_path, graph_name_for, parse_file
from graph.settings import Region
from graph.store import Store
from graph.validation import Report, Validator
from ontology import KOS_PATH, ONTOLOGY_PATH

SB = Namespace("https://w3id.org/sparbar/def#")


class LoadRefused(Exception):
    """The candidate store has Violations; the report says which. Nothing was written."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"{len(report.violations)} fel (Violation) — inget skrevs till lagret")


@dataclass
class LoadPlan:
    sources: list[ParsedSource] = field(default_factory=list)

    @cached_property  # one merge per plan: a graph's forms are made once
    def graphs(self) -> dict[URIRef, NewGraph]:
        out: dict[URIRef, NewGraph] = {}
        for source in self.sources:
            for name, g in source.graphs.items():
                # two files may feed one graph only within one load
                out[name] = out[name].merged(g) if name in out else g
        # values in the form the store keeps them, to compare and validate (a scratch store keeps them so)
        canonicalise(g.rdflib for g in out.values() if g.in_rdflib)
        return out


@dataclass
class LoadOutcome:
    report: Report
    written: list[URIRef]
    unchanged: list[URIRef]


def plan_files(paths: Sequence[Path], region: Region) -> LoadPlan:
    """Parse every file (all of them, so the first error is not the only one reported... but a
    syntax error stops that file: later errors in it are unreliable)."""
    errors: list[SourceError] = []
    plan = LoadPlan()
    for path in paths:
        try:
            plan.sources.append(parse_file(path, graph_name_for(path, region.base_iri)))
        except SourceError as e:
            errors.append(e)
    if errors:
        raise SourceErrors(errors)
    return plan


def plan_region(region: Region) -> LoadPlan:
    errors: list[SourceError] = []
    plan = LoadPlan()
    for source in region.sources:
        try:
            plan.sources.append(parse_file(source.path, URIRef(region.graph_iri(source.graph))))
        except SourceError as e:
            errors.append(e)
    if errors:
        raise SourceErrors(errors)
    return plan


class SourceErrors(ValueError):
    def __init__(self, errors: list[SourceError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def current_checksums(store: Store, region: Region) -> dict[URIRef, str]:
    rows = store.select(
        "SELECT ?meta ?g ?sum WHERE { GRAPH ?meta { ?g <https://w3id.org/sparbar/def#checksum> ?sum } }",
        {"meta": URIRef(region.meta_graph_iri)},
    )
    return {URIRef(r["g"]): str(r["sum"]) for r in rows if "g" in r and "sum" in r}


def metadata_for(plan: LoadPlan, now: datetime) -> Graph:
    meta = Graph()
    stamp = Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)
    for source in plan.sources:
        for name, g in source.graphs.items():
            meta.add((name, RDF.type, SB.SourceGraph))
            meta.add((name, SB.sourcePath, Literal(source.display_path)))
            meta.add((name, SB.checksum, Literal(source.checksum)))
            meta.add((name, PROV.generatedAtTime, stamp))
            meta.add((name, VOID.triples, Literal(len(g), datatype=XSD.integer)))
            meta.add((name, DCTERMS.title, Literal(f"Källa: {source.display_path}", lang="sv")))
            meta.add((name, DCTERMS.title, Literal(f"Source: {source.display_path}", lang="en")))
            for iri in source.source_iris:
                meta.add((name, DCTERMS.source, URIRef(iri)))
    return meta


def candidate(store: Store, replaced: Iterable[URIRef], new: Mapping[URIRef, NewGraph | Graph],
              meta_graph: URIRef) -> Graph:
    """The store as it would be: every graph not replaced, plus the new content (a fresh graph we own)."""
    skip = set(replaced) | {meta_graph}
    out = Graph()
    for name in store.graph_names():
        if name not in skip:
            store.graph(name, into=out)
    for g in rdflib_graphs(new).values():
        out += g
    return out


def attribute_sources(report: Report, store: Store, new: dict[URIRef, NewGraph], plan: LoadPlan,
                      region: Region) -> None:
    """Name the file each finding's focus node came from: a file of this load, else the stored graphs' files
    (looked up for all such nodes at once: a full validation may report thousands)."""
    path_of_graph: dict[URIRef, str] = {}
    for source in plan.sources:
        for name in source.graphs:
            path_of_graph[name] = source.display_path
    files: dict[Node, set[str]] = {}
    for focus in {f.focus for f in report.findings}:
        files[focus] = {path_of_graph[name] for name, g in new.items() if g.has_subject(focus)}
    meta = URIRef(region.meta_graph_iri)
    stored = [(focus, meta) for focus, found in files.items() if not found and isinstance(focus, URIRef)]
    for row in select_batched(store, validation_query("source-files").text, ("focus", "meta"), stored):
        files[row["focus"]].add(str(row["path"]))
    for finding in report.findings:
        finding.sources = sorted(files[finding.focus])


# A load that brings more triples than this is validated whole by the compiled engine rather than
# incrementally by pyshacl: it touches nearly all it brings, and pyshacl manages a few thousand triples a second.
LARGE_LOAD_TRIPLES = 20_000


def validated_whole(new: Mapping[URIRef, NewGraph], validator: Validator) -> bool:
    """Whether a load is large enough to be validated whole by the compiled shapes (compiled here, once)."""
    return sum(g.size_hint() for g in new.values()) > LARGE_LOAD_TRIPLES and validator.compiled is not None


def check(store: Store, plan: LoadPlan, region: Region, validator: Validator, full: bool = False) -> Report:
    """Validate the store as it would be with `plan` applied. Writes nothing.

    A small load into a store that already holds data validates only what it changes and what that touches
    (graph.incremental): the cost follows the size of the change, not of the store. Everything else — `full=True`,
    an empty plan (validate the store as it is), a change to the ontology or controlled lists, a large load —
    validates the whole candidate: with the shapes compiled to SPARQL and evaluated by Oxigraph on an in-memory
    copy (graph.candidate_store), or with pyshacl when the shapes use what the compiler does not handle."""
    new = plan.graphs
    meta = URIRef(region.meta_graph_iri)
    # the shapes are compiled only when a whole validation may use them: a small load never needs them
    large = validated_whole(new, validator)
    report = None
    if not full and not large and new and any(name != meta for name in store.graph_names()):
        try:
            report = validate_change(store, new, meta, validator, schema_graphs(region)).report
        except FullValidationNeeded:
            report = None
    if report is None:
        compiled = validator.compiled
        if compiled is not None:
            report = compiled.validate(candidate_store(store, new, meta, validator.ontology))
        else:
            report = validator.validate(candidate(store, new.keys(), new, meta))
    attribute_sources(report, store, new, plan, region)
    return report


def schema_graphs(region: Region) -> set[URIRef]:
    """The region's graphs of the ontology and the controlled lists: changing them may affect every node."""
    schema_files = {ONTOLOGY_PATH.resolve(), KOS_PATH.resolve()}
    return {URIRef(region.graph_iri(s.graph)) for s in region.sources if s.path.resolve() in schema_files}


def apply(store: Store, plan: LoadPlan, region: Region, validator: Validator,
          now: datetime | None = None, skip_unchanged: bool = False) -> LoadOutcome:
    """Validate, then write every graph of the plan in one transaction, or raise LoadRefused."""
    new = plan.graphs
    unchanged: list[URIRef] = []
    if skip_unchanged:
        sums = current_checksums(store, region)
        if all(sums.get(name) == s.checksum for s in plan.sources for name in s.graphs):
            return LoadOutcome(report=Report(findings=[]), written=[], unchanged=list(new))
    validated_whole(new, validator)  # compiles the shapes a large load needs before the write competes for the GIL
    write = store.prepare_replace(new, URIRef(region.meta_graph_iri))
    try:
        write.start()  # a large write is staged out of sight while the load is validated
        report = check(store, plan, region, validator)
        if not report.conforms:
            raise LoadRefused(report)
        write.commit(metadata_for(plan, now or datetime.now(UTC)))
    finally:
        write.discard()
    return LoadOutcome(report=report, written=list(new), unchanged=unchanged)


__all__ = [
    "LoadOutcome", "LoadPlan", "LoadRefused", "SourceError", "SourceErrors", "apply", "check",
    "display_path", "plan_files", "plan_region",
]
