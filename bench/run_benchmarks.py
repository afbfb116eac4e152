"""Benchmarks of the load path, the named queries and validation, written to docs/benchmarks.md.

    python -m bench.run_benchmarks [--sizes bundled,100k,1M] [--output docs/benchmarks.md]

Every size runs in its own child process (clean memory figures, and a time or memory limit that really
stops the work), on a fresh temporary on-disk store:

- `bundled`: `sparbar init` of the bundled data through the real pipeline (`plan_region` + the steps of
  `apply`, each timed), the whole `apply` once more on a second fresh store, and the real CLI (`sparbar init`
  in a subprocess with SPARBAR_STORE set) once, plus a re-run that finds the store up to date.
- `100k`, `1M`, … (triples): the bundled data as above, then a synthetic region graph (`bench.generate`) of
  that size loaded on top through the steps of `graph.pipeline.apply` — parse (`plan_files`), candidate
  build, SHACL validation, source attribution, write in one transaction — each timed.

Then, for every size, the three named queries (median and p95 of several runs, real parameters) and
validation alone (`graph.pipeline.check` of the store as it is, like `sparbar validate`).

Peak RSS is measured per phase (Linux: the high-water mark is reset through /proc/self/clear_refs before each
phase). A phase that runs longer than --phase-timeout or a process above --mem-limit-gb is killed and
recorded as such; if the validated load of a size cannot finish, the graph is loaded without validation
so the queries can still be measured, and the report says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from bench.report import write_section

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
QUERY_NAMES = ("insats-chain", "goal-insatser", "delmal-coverage")
SDG_GOAL = "http://metadata.un.org/sdg/8"
SB = "https://w3id.org/sparbar/def#"
GB = 1024**3
MB = 1024**2


# --- memory -------------------------------------------------------------------------------------

def _status_kb(field: str, pid: int | str = "self") -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def sparql_parse_cache() -> Iterator[None]:
    """EXPERIMENT, not part of graph/: parse and translate each distinct SPARQL string once.

    pyshacl 0.40.1 hands the text of a SPARQL-based constraint to rdflib once per focus node, and rdflib
    parses it again every time (pyparsing, tens of ms per call). Caching the translated query shows how much
    of the validation time that is."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict[Any, Any] = {}

    def query(self: Any, str_or_query: Any, initBindings: Any = None, initNs: Any = None,
              base: Any = None, DEBUG: bool = False) -> Any:
        if isinstance(str_or_query, str):
            key = (str_or_query, base, frozenset((initNs or {}).items()))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(str_or_query), base, initNs)
            str_or_query = cache[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


# --- the child: one size -------------------------------------------------------------------------

class Recorder:
    """Collects the results of one size and writes them to a JSON file after every phase, so a killed
    child leaves what it measured (and what it was doing) behind."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        self.data: dict[str, Any] = {"size": size, "phases": [], "queries": [], "facts": {}, "notes": []}
        self.flush()

    def flush(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str), encoding="utf-8")
        tmp.replace(self.path)

    def fact(self, key: str, value: Any) -> None:
        self.data["facts"][key] = value
        self.flush()

    def note(self, text: str) -> None:
        self.data["notes"].append(text)
        self.flush()

    @contextmanager
    def phase(self, key: str) -> Iterator[dict[str, Any]]:
        gc.collect()
        exact = _reset_peak()
        entry: dict[str, Any] = {"key": key, "status": "running", "started": time.time(),
                                 "rss_before": _status_kb("VmRSS")}
        self.data["running"] = entry
        self.flush()
        began = time.perf_counter()
        try:
            yield entry
        except BaseException as e:
            entry["status"] = f"failed: {type(e).__name__}: {str(e)[:300]}"
            raise
        else:
            entry["status"] = "ok"
        finally:
            entry["seconds"] = time.perf_counter() - began
            entry["peak_rss"] = _status_kb("VmHWM") if exact else _maxrss_bytes()
            entry["peak_exact"] = exact
            entry["rss_after"] = _status_kb("VmRSS")
            self.data["phases"].append(entry)
            self.data.pop("running", None)
            self.flush()


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class Context:
    rec: Recorder
    workdir: Path
    region: Any
    validator: Any


def _phased_apply(ctx: Context, store: Any, prefix: str, plan_fn: Callable[[], Any],
                  write_anyway: bool = False, experiment: bool = False) -> bool:
    """The steps of graph.pipeline.apply, timed one by one (same functions, same order)."""
    from rdflib import URIRef

    from graph import pipeline

    rec, region = ctx.rec, ctx.region
    meta = URIRef(region.meta_graph_iri)
    with rec.phase(f"{prefix}.parse"):
        plan = plan_fn()
        new = plan.graphs
    rec.fact(f"{prefix}.parsed_triples", sum(len(g) for g in new.values()))
    report = _validate_candidate(ctx, store, new, meta, prefix)
    if experiment:
        data = pipeline.candidate(store, new.keys(), new, meta)
        with rec.phase(f"{prefix}.validate_pyshacl") as entry, sparql_parse_cache():
            by_pyshacl = ctx.validator.validate(data)
            entry["violations"] = len(by_pyshacl.violations)
            entry["warnings"] = len(by_pyshacl.warnings)
            entry["same_findings"] = _finding_keys(by_pyshacl) == _finding_keys(report)
        del data, by_pyshacl
    with rec.phase(f"{prefix}.attribute"):
        pipeline.attribute_sources(report, store, new, plan, region)
    rec.fact(f"{prefix}.violations", len(report.violations))
    rec.fact(f"{prefix}.warnings", len(report.warnings))
    if report.violations:
        sample = [f"{f.focus} {f.path}: {f.message('en')}" for f in report.violations[:5]]
        rec.note(f"{prefix}: {len(report.violations)} Violations — the real pipeline would refuse this load. "
                 f"First: {sample}")
        if not write_anyway:
            return False
    with rec.phase(f"{prefix}.write"):
        metadata = pipeline.metadata_for(plan, datetime.now(UTC))
        store.replace_graphs(new, meta, metadata)
    return True


def _validate_candidate(ctx: Context, store: Any, new: Any, meta: Any, prefix: str) -> Any:
    """What graph.pipeline.check does for a full validation or a large load: the compiled shapes on an
    in-memory copy of the candidate (pyshacl on an rdflib candidate when the shapes cannot be compiled)."""
    from graph import pipeline
    from graph.candidate_store import candidate_store

    rec, compiled = ctx.rec, ctx.validator.compiled
    with rec.phase(f"{prefix}.candidate") as entry:
        if compiled is not None:
            copy = candidate_store(store, new, meta, ctx.validator.ontology)
            entry["triples"] = len(copy)
        else:
            data = pipeline.candidate(store, new.keys(), new, meta)
            entry["triples"] = len(data)
    with rec.phase(f"{prefix}.validate") as entry:
        report = compiled.validate(copy) if compiled is not None else ctx.validator.validate(data)
        entry["engine"] = "compiled" if compiled is not None else "pyshacl"
        entry["violations"] = len(report.violations)
        entry["warnings"] = len(report.warnings)
    return report


def _finding_keys(report: Any) -> list[tuple[str, ...]]:
    return sorted((f.severity, str(f.focus), str(f.path), str(f.value), str(f.shape)) for f in report.findings)


def _phased_check(ctx: Context, store: Any) -> None:
    """graph.pipeline.check of the store as it is (what `sparbar validate` does), step by step."""
    from rdflib import URIRef

    from graph import pipeline

    rec, region = ctx.rec, ctx.region
    plan = pipeline.LoadPlan()
    report = _validate_candidate(ctx, store, {}, URIRef(region.meta_graph_iri), "check")
    with rec.phase("check.attribute"):
        pipeline.attribute_sources(report, store, {}, plan, region)


def _pick_params(named: Any, insats: str, delmal: str | None) -> dict[str, str]:
    """Real values for a named query's required parameters: an insats from the data, SDG goal 8, a delmål."""
    values: dict[str, str] = {}
    for p in named.parameters:
        if p.optional:
            continue
        name = p.name.lower()
        goalish = any(w in name for w in ("goal", "sdg", "mal", "target")) and "delmal" not in name
        if p.type == "iri":
            if "delmal" in name or "subgoal" in name:
                values[p.name] = delmal or insats
            elif goalish:
                values[p.name] = SDG_GOAL
            else:
                values[p.name] = insats
        elif p.type in ("integer", "string", "decimal"):
            values[p.name] = "8" if goalish else "2023"
        elif p.type == "gYear":
            values[p.name] = "2023"
        elif p.type == "date":
            values[p.name] = "2023-12-31"
    return values


def _run_queries(ctx: Context, store: Any, insats: str, min_runs: int, max_runs: int,
                 budget_s: float) -> None:
    from graph.named_queries import load_named_queries

    rec = ctx.rec
    library = load_named_queries()
    missing = [n for n in QUERY_NAMES if n not in library]
    if missing:
        rec.note(f"named queries missing from queries/: {', '.join(missing)}")
    delmal_rows = store.select(f"SELECT ?d WHERE {{ ?i <{SB}contributesTo> ?d }} ORDER BY ?d LIMIT 1")
    delmal = str(delmal_rows.rows[0]["d"]) if delmal_rows.rows else None
    for name in [n for n in QUERY_NAMES if n in library]:
        named = library[name]
        values = _pick_params(named, insats, delmal)
        entry: dict[str, Any] = {"name": name, "params": values}
        rec.data["running"] = {"key": f"query.{name}", "status": "running", "started": time.time()}
        rec.flush()
        try:
            bindings = named.bindings(values, ctx.region.base_iri)
            began = time.perf_counter()
            rows = len(store.select(named.text, bindings))  # warm-up, not counted
            entry["first_ms"] = (time.perf_counter() - began) * 1000
            times: list[float] = []
            spent = 0.0
            while len(times) < max_runs and (len(times) < min_runs or spent < budget_s):
                began = time.perf_counter()
                store.select(named.text, bindings)
                elapsed = time.perf_counter() - began
                times.append(elapsed * 1000)
                spent += elapsed
            times.sort()
            entry.update(rows=rows, runs=len(times), median_ms=statistics.median(times),
                         p95_ms=times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))],
                         min_ms=times[0], max_ms=times[-1])
        except Exception as e:
            entry["error"] = f"{type(e).__name__}: {str(e)[:300]}"
        rec.data["queries"].append(entry)
        rec.data.pop("running", None)
        rec.flush()


def _cli_init(ctx: Context) -> None:
    """The real `sparbar init`, in a subprocess with SPARBAR_STORE set: once on an empty store, once more
    on the built store (nothing to do)."""
    rec = ctx.rec
    exe = shutil.which("sparbar") or str(Path(sys.executable).with_name("sparbar"))
    env = dict(os.environ, SPARBAR_STORE=str(ctx.workdir / "cli-store"))
    for key in ("cli.init", "cli.init_again"):
        began = time.perf_counter()
        proc = subprocess.run([exe, "init"], env=env, capture_output=True, text=True, cwd=REPO_ROOT)
        seconds = time.perf_counter() - began
        rusage = resource.getrusage(resource.RUSAGE_CHILDREN)
        entry = {"key": key, "status": "ok" if proc.returncode == 0 else f"exit {proc.returncode}",
                 "seconds": seconds, "peak_rss": rusage.ru_maxrss * 1024, "peak_exact": key == "cli.init",
                 "output": (proc.stdout + proc.stderr).strip()[-600:]}
        rec.data["phases"].append(entry)
        rec.flush()


def run_child(size: str, result: Path, workdir: Path, seed: int, unvalidated: bool, runs: int,
              experiment: bool) -> int:
    from rdflib import URIRef

    from graph.oxigraph_store import OxigraphStore
    from graph.pipeline import apply, metadata_for, plan_files, plan_region
    from graph.settings import DEFAULT_REGION, load_region
    from graph.validation import Validator

    rec = Recorder(result, size)
    rec.fact("pid", os.getpid())
    region = load_region(Path(os.environ.get("SPARBAR_REGION", DEFAULT_REGION)))
    ctx = Context(rec, workdir, region, Validator())
    with rec.phase("validator.setup"):
        _ = ctx.validator.shapes, ctx.validator.ontology

    store = OxigraphStore(workdir / "store", exclusive=True)  # as `sparbar load` opens it
    ok = _phased_apply(ctx, store, "init", lambda: plan_region(region), write_anyway=True)
    rec.fact("bundled_triples", store.triple_count())
    if size == "bundled":
        second = OxigraphStore(workdir / "store-apply")
        with rec.phase("init.apply"):
            apply(second, plan_region(region), region, ctx.validator, skip_unchanged=True)
        second.close()
        _cli_init(ctx)
        rows = store.select(f"SELECT ?i WHERE {{ ?i a <{SB}Intervention> }} ORDER BY ?i")
        insats = str(rows.rows[len(rows.rows) // 2]["i"]) if rows.rows else f"{region.base_iri}insats/none"
    else:
        from bench.generate import DEFAULT_BASE, insatser_for_triples, load_reference, write_file

        target = _parse_size(size)
        reference = load_reference()
        n = insatser_for_triples(target, seed, reference)
        path = workdir / f"syntetisk-{size}.nt"
        with rec.phase("generate") as entry:
            entry["triples"] = write_file(path, n, seed, region.base_iri or DEFAULT_BASE, reference)
        rec.fact("insatser", n)
        rec.fact("generated_triples", entry["triples"])
        rec.fact("file_bytes", path.stat().st_size)
        insats = f"{region.base_iri}insats/syn-{n // 2:07d}"
        if unvalidated:
            rec.note("loaded WITHOUT validation (the validated load did not finish within the limits)")
            with rec.phase("load.parse"):
                plan = plan_files([path], region)
            with rec.phase("load.write_unvalidated"):
                store.replace_graphs(plan.graphs, URIRef(region.meta_graph_iri), metadata_for(plan, datetime.now(UTC)))
            del plan
        else:
            ok = _phased_apply(ctx, store, "load", lambda: plan_files([path], region), write_anyway=True,
                               experiment=experiment) and ok
    gc.collect()
    rec.fact("store_triples", store.triple_count())
    big = size not in ("bundled",) and _parse_size(size) >= 500_000
    _run_queries(ctx, store, insats, min_runs=runs or (5 if big else 10), max_runs=runs or (15 if big else 30),
                 budget_s=20.0 if big else 5.0)
    if unvalidated and experiment:
        with rec.phase("check.validate_cached") as entry, sparql_parse_cache():
            from graph.pipeline import candidate

            data = candidate(store, [], {}, URIRef(region.meta_graph_iri))
            entry["triples"] = len(data)
            cached = ctx.validator.validate(data)
            entry["violations"] = len(cached.violations)
            entry["warnings"] = len(cached.warnings)
        del data, cached
    if not unvalidated:
        _phased_check(ctx, store)
    store.close()
    rec.fact("store_bytes", _du(workdir / "store"))
    rec.fact("conforms", ok)
    rec.data["finished"] = True
    rec.flush()
    return 0


def _parse_size(text: str) -> int:
    from bench.generate import parse_size

    return parse_size(text)


# --- the parent: run the children under limits, write the report ---------------------------------

def _run_size(size: str, args: argparse.Namespace, scratch: Path, unvalidated: bool = False) -> dict[str, Any]:
    tag = size + ("-unvalidated" if unvalidated else "")
    workdir = Path(tempfile.mkdtemp(prefix=f"sparbar-bench-{tag}-", dir=scratch))
    result = workdir / "result.json"
    cmd = [sys.executable, "-m", "bench.run_benchmarks", "--child", size, "--result", str(result),
           "--workdir", str(workdir), "--seed", str(args.seed), "--runs", str(args.runs)]
    if unvalidated:
        cmd.append("--unvalidated")
    if size in [x.strip() for x in args.cache_experiment.split(",")]:
        cmd.append("--experiment")
    print(f"== {tag}: {workdir}", file=sys.stderr, flush=True)
    began = time.time()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=sys.stderr, stderr=sys.stderr)
    killed: str | None = None
    peak_seen = 0
    last_shown = ""
    while proc.poll() is None:
        time.sleep(0.5)
        rss = _status_kb("VmRSS", proc.pid) or 0
        peak_seen = max(peak_seen, rss)
        try:
            state = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        running = state.get("running")
        if running and running.get("key") != last_shown:
            last_shown = running["key"]
            print(f"   {tag}: {last_shown} … (RSS {rss / GB:.2f} GB)", file=sys.stderr, flush=True)
        if rss > args.mem_limit_gb * GB:
            killed = f"stopped at {rss / GB:.1f} GB RSS (limit {args.mem_limit_gb} GB)"
        elif running and time.time() - running.get("started", time.time()) > args.phase_timeout:
            killed = f"timed out after {args.phase_timeout:.0f} s"
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            break
    try:
        data = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"size": size, "phases": [], "queries": [], "facts": {}, "notes": []}
    if killed and data.get("running"):
        entry = data.pop("running")
        entry["status"] = killed
        entry["seconds"] = time.time() - entry.get("started", began)
        entry["peak_rss"] = peak_seen
        entry["peak_exact"] = False
        data["phases"].append(entry)
        data["notes"].append(f"{entry['key']}: {killed}; the rest of this size was not run")
    elif proc.returncode not in (0, None) and not killed:
        data["notes"].append(f"the benchmark process exited with code {proc.returncode}")
    data["wall_seconds"] = time.time() - began
    data["unvalidated"] = unvalidated
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return data


def _machine() -> dict[str, str]:
    mem = (_status_kb("MemTotal") or 0)
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            mem = int(f.readline().split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    versions = {}
    for dist in ("rdflib", "pyshacl", "pyoxigraph", "oxrdflib"):
        try:
            versions[dist] = importlib_metadata.version(dist)
        except importlib_metadata.PackageNotFoundError:
            versions[dist] = "—"
    return {
        "cpu": cpu or "unknown", "nproc": str(os.cpu_count()), "memory": f"{mem / GB:.1f} GB",
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        **versions,
    }


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 100:
        return f"{seconds:.0f} s"
    if seconds >= 0.9995:  # rounds to at least 1000 ms
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:.0f} ms"


def _fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def _fmt_int(n: Any) -> str:
    return f"{n:,}".replace(",", " ") if isinstance(n, int) else "—"


def _short(value: str) -> str:
    """An IRI parameter as its last path segments (insats/syn-0000478, sdg/8)."""
    parts = value.rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) > 2 else value


def _fmt_bytes(n: int | None) -> str:
    if not n:
        return "—"
    return f"{n / GB:.2f} GB" if n >= GB else f"{n / MB:.0f} MB"


PHASE_ROWS: list[tuple[str, str]] = [
    ("validator.setup", "Validator: read shapes + ontology"),
    ("init.parse", "init: parse bundled sources into scratch stores (`plan_region`)"),
    ("init.candidate", "init: candidate copy in memory"),
    ("init.validate", "init: SHACL validation (compiled to SPARQL)"),
    ("init.attribute", "init: attribute findings to files"),
    ("init.write", "init: write, all or nothing"),
    ("init.apply", "init: whole `pipeline.apply` (fresh store)"),
    ("cli.init", "`sparbar init` CLI, subprocess, empty store"),
    ("cli.init_again", "`sparbar init` CLI again (up to date)"),
    ("generate", "generate synthetic N-Triples"),
    ("load.parse", "load: parse into a scratch store (`plan_files`)"),
    ("load.candidate", "load: candidate copy in memory (store + new graph)"),
    ("load.validate", "load: SHACL validation (compiled to SPARQL)"),
    ("load.validate_pyshacl", "experiment: the same validation by pyshacl"),
    ("load.attribute", "load: attribute findings to files"),
    ("load.write", "load: write, all or nothing"),
    ("load.write_unvalidated", "load: write WITHOUT validation (fallback)"),
    ("check.candidate", "check: copy the store into memory"),
    ("check.validate", "check: SHACL validation (compiled to SPARQL)"),
    ("check.attribute", "check: attribute findings to files"),
    ("check.validate_cached", "experiment: check validation by pyshacl with a SPARQL parse cache"),
]


def _phase(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((p for p in data["phases"] if p["key"] == key), None)


def _total(data: dict[str, Any], prefix: str) -> float | None:
    phases = [p for p in data["phases"] if p["key"].startswith(prefix + ".") and p["key"] != "init.apply"
              and not p["key"].endswith("_cached")]
    if not phases:
        return None
    return sum(p.get("seconds", 0.0) for p in phases)


def _cell(p: dict[str, Any] | None) -> str:
    if p is None:
        return "—"
    text = f"{_fmt_s(p.get('seconds'))} · {_fmt_bytes(p.get('peak_rss'))}"
    if p.get("key", "").startswith("cli.") and p.get("key") != "cli.init":
        text = _fmt_s(p.get("seconds"))
    if p.get("status") != "ok":
        text += f" **({p.get('status')})**"
    if p.get("violations"):
        text += f" ({p['violations']} Violations)"
    if "same_findings" in p:
        text += " (same findings)" if p["same_findings"] else " **(different findings!)**"
    return text


def _column(data: dict[str, Any]) -> str:
    size = data["size"]
    triples = data["facts"].get("store_triples")
    label = size if size == "bundled" else f"{size} generated"
    if data.get("unvalidated"):
        label += " (unvalidated fallback)"
    return f"{label} ({triples:,} triples)".replace(",", " ") if triples else label


def render(results: list[dict[str, Any]], machine: dict[str, str], argv: list[str], when: datetime) -> str:
    cols = [_column(r) for r in results]
    out = [
        "## Load, validation and named queries (`bench/run_benchmarks.py`)",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `python -m bench.run_benchmarks {' '.join(argv)}`"
        " (regenerate this section the same way).",
        "",
        f"Machine: {machine['cpu']}, {machine['nproc']} cores, {machine['memory']} RAM, {machine['os']}; "
        f"Python {machine['python']}, rdflib {machine['rdflib']}, pyshacl {machine['pyshacl']}, "
        f"pyoxigraph {machine['pyoxigraph']}, oxrdflib {machine['oxrdflib']}.",
        "",
        "Each size runs in a fresh process on a fresh temporary on-disk Oxigraph store. The bundled data is "
        "loaded first (what `sparbar init` does), then the synthetic region graph of that size "
        "(`bench.generate`, seed 0, valid against the shapes) is loaded on top through the steps of "
        "`graph.pipeline.apply`, each timed separately. Cells: wall time · peak RSS of the process during that "
        "phase (the high-water mark is reset before each phase).",
        "",
        "### Data",
        "",
        "| size | insatser | generated triples | triples in store | N-Triples file | store on disk |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f = r["facts"]
        out.append(f"| {r['size']}{' (unvalidated)' if r.get('unvalidated') else ''} | "
                   f"{_fmt_int(f.get('insatser'))} | {_fmt_int(f.get('generated_triples'))} | "
                   f"{_fmt_int(f.get('store_triples'))} | "
                   f"{_fmt_bytes(f.get('file_bytes'))} | {_fmt_bytes(f.get('store_bytes'))} |")
    out += ["", "### Load and validation", "", "| phase | " + " | ".join(cols) + " |",
            "|---|" + "---:|" * len(cols)]
    for key, label in PHASE_ROWS:
        cells = [_phase(r, key) for r in results]
        if any(cells):
            out.append(f"| {label} | " + " | ".join(_cell(c) for c in cells) + " |")
    for prefix, label in (("init", "**init total** (sum of the steps)"), ("load", "**load total** (sum of the steps)"),
                          ("check", "**check total** (`sparbar validate`, sum of the steps)")):
        totals = [_total(r, prefix) for r in results]
        if any(t is not None for t in totals):
            out.append(f"| {label} | " + " | ".join(f"**{_fmt_s(t)}**" if t is not None else "—" for t in totals)
                       + " |")
    out += ["", "### Named queries", "",
            "Through `Store.select` with the parameters bound as RDF terms (as the CLI and the server run them); "
            "one warm-up run, then median / p95 in milliseconds over the number of runs shown. The insats is one "
            "from the middle of the data at each size (a synthetic one at the generated sizes).", "",
            "| query | parameters | " + " | ".join(cols) + " |", "|---|---|" + "---:|" * len(cols)]
    names = [n for n in QUERY_NAMES if any(q["name"] == n for r in results for q in r["queries"])]
    for name in names:
        values: dict[str, list[str]] = {}
        for r in results:
            for q in r["queries"]:
                if q["name"] == name:
                    for k, v in q["params"].items():
                        if _short(v) not in values.setdefault(k, []):
                            values[k].append(_short(v))
        shown = "; ".join(f"{k} = {' / '.join(v)}" for k, v in values.items()) or "—"
        qcells: list[str] = []
        for r in results:
            q = next((q for q in r["queries"] if q["name"] == name), None)
            if q is None:
                qcells.append("—")
            elif "error" in q:
                qcells.append(f"error: {q['error'][:80]}")
            else:
                qcells.append(f"{_fmt_ms(q['median_ms'])} / {_fmt_ms(q['p95_ms'])} "
                              f"({q['runs']} runs, {q['rows']} rows)")
        out.append(f"| `{name}` | {shown} | " + " | ".join(qcells) + " |")
    missing = [n for n in QUERY_NAMES if n not in names]
    if missing:
        out += ["", f"Not measured (no such file in `queries/`): {', '.join(missing)}."]
    notes = [f"- {r['size']}: {n}" for r in results for n in r["notes"]]
    if notes:
        out += ["", "### Notes from the run", "", *notes]
    out += ["", "### What this means", "", *_meaning(results), ""]
    return "\n".join(out)


def _triples(r: dict[str, Any]) -> int:
    f = r["facts"]
    return int(f.get("store_triples") or f.get("generated_triples") or 0)


def _meaning(results: list[dict[str, Any]]) -> list[str]:
    """A short interpretation written from the numbers of this run."""
    lines: list[str] = []
    bundled = next((r for r in results if r["size"] == "bundled"), None)
    if bundled:
        init = _total(bundled, "init")
        cli = _phase(bundled, "cli.init")
        validate = _phase(bundled, "init.validate")
        if init is not None:
            text = f"Building the store from the bundled data ({_triples(bundled):,} triples) takes {_fmt_s(init)}"
            if cli:
                text += f" in-process and {_fmt_s(cli['seconds'])} through `sparbar init` (with Python start-up)"
            if validate:
                text += f"; SHACL validation is {_fmt_s(validate['seconds'])} of that"
            lines.append(text.replace(",", " ") + ".")
    finished = [r for r in results if r["size"] != "bundled" and (_phase(r, "load.validate") or {}).get("status")
                == "ok"]
    for r in results:
        if r["size"] == "bundled" or r.get("unvalidated"):
            continue
        load, val, check = _total(r, "load"), _phase(r, "load.validate"), _total(r, "check")
        if load is None or val is None:
            continue
        parts = [f"At {r['size']} ({_triples(r):,} triples in the store)".replace(",", " ")]
        if val.get("status") == "ok":
            peak = max(p.get("peak_rss") or 0 for p in r["phases"])
            parts.append(f"an all-or-nothing load takes {_fmt_s(load)}, {100 * val['seconds'] / load:.0f} % of it "
                         f"full SHACL validation ({_fmt_s(val['seconds'])}), and the process peaks at "
                         f"{_fmt_bytes(peak)}")
            if check is not None:
                parts.append(f"validating the store alone (`sparbar validate`) takes {_fmt_s(check)}")
        else:
            text = f"full SHACL validation of the load did not finish: {val.get('status')}"
            smaller = [f for f in finished if _triples(f) < _triples(r)]
            if smaller:
                ref = max(smaller, key=_triples)
                ref_val = _phase(ref, "load.validate") or {}
                estimate = ref_val.get("seconds", 0.0) * _triples(r) / max(1, _triples(ref))
                text += (f" (scaled linearly from {ref['size']} it would need about {estimate / 60:.0f} min, "
                         "more if it grows faster than linearly)")
            parts.append(text + "; the graph was then loaded without validation so that the queries could be "
                         "measured at this size")
        lines.append(parts[0] + ", " + "; ".join(parts[1:]) + ".")
    for r in results:
        for key in ("check.validate_cached",):
            exp = _phase(r, key)
            if not exp or exp.get("status") != "ok":
                continue
            plain = _phase(r, key.replace("_cached", ""))
            text = (f"Experiment at {r['size']}: with each SPARQL-based constraint parsed once instead of once per "
                    f"focus node (pyshacl 0.40.1 hands rdflib the query text for every focus node, and rdflib "
                    f"re-parses it with pyparsing), full validation took {_fmt_s(exp['seconds'])}")
            if plain and plain.get("status") == "ok":
                text += f" instead of {_fmt_s(plain['seconds'])}"
                if plain["seconds"] < 1.2 * exp["seconds"]:
                    text += " — no real gain: the shapes run no SPARQL constraint per focus node any more"
            if "same_findings" in exp:
                text += ", with the same findings" if exp["same_findings"] else ", with DIFFERENT findings"
            lines.append(text + ".")
    largest = max((r for r in results if r["size"] != "bundled" and not r.get("unvalidated")), key=_triples,
                  default=None)
    if largest is not None:
        steps = [p for p in largest["phases"] if p["key"].startswith("load.") and p["key"] != "load.validate"
                 and not p["key"].endswith(("_cached", "_pyshacl")) and p.get("status") == "ok"]
        steps.sort(key=lambda p: -p.get("seconds", 0.0))
        labels = dict(PHASE_ROWS)
        if steps:
            named = ", ".join(f"{labels.get(p['key'], p['key']).split(': ', 1)[-1]} {_fmt_s(p['seconds'])}"
                              f" (peak {_fmt_bytes(p.get('peak_rss'))})" for p in steps[:3])
            lines.append(
                f"Besides validation, the load path costs time and memory at {largest['size']}: {named}. Oxigraph "
                "parses a file into a scratch store of its own (no rdflib terms); the candidate is built in it, the "
                "store's other graphs added beside the new ones, and the shapes compiled to SPARQL run on it "
                "(graph.shacl_sparql, tested to give pyshacl's findings); a large write goes into a checkpoint of "
                "the store in bulk, swapped in whole.")
        lines.append(
            "A full validation (a load into an empty store, a large load, `sparbar validate`) runs the compiled "
            "shapes over the whole candidate, so it grows with the store; a small load into a populated store is "
            "validated incrementally (what it changes and what that touches, with pyshacl), which does not "
            "(docs/benchmarks.md, workbook section).")
    if any(q for r in results for q in r["queries"] if "median_ms" in q):
        biggest = max(results, key=_triples)
        parts = []
        for name in QUERY_NAMES:
            q = next((q for q in biggest["queries"] if q["name"] == name and "median_ms" in q), None)
            if q is not None:
                parts.append(f"`{name}` {_fmt_ms(q['median_ms'])} ms median / {_fmt_ms(q['p95_ms'])} ms p95")
        slow = [q["name"] for q in biggest["queries"] if q.get("p95_ms", 0) > 100]
        text = f"At {biggest['size']} the named queries take: {', '.join(parts)}."
        if slow:
            text += (f" {' and '.join(f'`{n}`' for n in slow)} aggregate over many insatser (funding sums, counts "
                     "per goal) and grow with the store — `goal-insatser` sums funding only for the insatser that "
                     "reach the goal, but at this size that is a large share of all of them; a page that shows one "
                     "on every request should read a roll-up computed when the data changes.")
        else:
            text += " All of them stay interactive at this size."
        lines.append(text)
    if not lines:
        return ["(no results)"]
    paragraphs: list[str] = []
    for line in lines:
        paragraphs += [line, ""]
    return paragraphs[:-1]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.run_benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,100k,1M", help="comma-separated: bundled, 100k, 1M, …")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown report to write")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=0, help="query runs (0: by size)")
    parser.add_argument("--phase-timeout", type=float, default=600.0, help="seconds one phase may take")
    parser.add_argument("--mem-limit-gb", type=float, default=16.0)
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()), help="where the stores go")
    parser.add_argument("--keep", action="store_true", help="keep the temporary stores and files")
    parser.add_argument("--cache-experiment", default="",
                        help="sizes at which validation is also timed with a SPARQL parse cache (experiment; "
                             "'' for none)")
    parser.add_argument("--no-fallback", action="store_true",
                        help="do not load without validation when the validated load cannot finish")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unvalidated", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--experiment", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args.child, args.result, args.workdir, args.seed, args.unvalidated, args.runs,
                         args.experiment)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    when = datetime.now(UTC)
    results = []
    for size in sizes:
        data = _run_size(size, args, args.scratch)
        load_ok = size == "bundled" or any(p["key"] in ("load.write",) and p["status"] == "ok"
                                           for p in data["phases"])
        results.append(data)
        if not load_ok and not args.no_fallback:
            results.append(_run_size(size, args, args.scratch, unvalidated=True))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_section(args.output, "load", render(results, _machine(), argv, when))
    if args.json:
        args.json.write_text(json.dumps({"machine": _machine(), "when": when.isoformat(), "results": results},
                                        indent=1, default=str), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
