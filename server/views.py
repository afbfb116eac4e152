"""Page models: each function runs named queries and shapes their rows into what one template shows.

All RDF work is synchronous (pyoxigraph); the route handlers that call these are plain `def` functions, which
FastAPI runs in its threadpool, off the event loop.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from graph.named_queries import NamedQuery, NamedQueryError, load_named_queries
from graph.settings import Region
from graph.store import Store
from server.present import (
    PROPERTY_NAMES_SV,
    SB,
    Label,
    Linker,
    Ref,
    curie,
    integer,
    label,
    local_name,
    number,
    number_key,
    sdg_goal_iri,
    sek,
    target_sort_key,
    text,
    truthy,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
SKOS_EDITORIAL_NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
NOTE_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#note",
    SKOS_EDITORIAL_NOTE,
)
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
HORIZONS = (("short", "Effekter på kort sikt"), ("medium", "Effekter på medellång sikt"),
            ("long", "Effekter på lång sikt"))

Row = Mapping[str, Identifier]


class NotFound(Exception):
    """The resource the page is about is not in the graph."""


@dataclass
class Page:
    """What every page template gets besides its own data."""

    template: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    example: bool = False  # show the example-data banner
    sources: list[Ref] = field(default_factory=list)
    status_code: int = 200


class Site:
    """The named queries bound to one store and region."""

    def __init__(self, store: Store, region: Region, queries: dict[str, NamedQuery] | None = None) -> None:
        self.store = store
        self.region = region
        self.queries = queries if queries is not None else load_named_queries()
        self.link = Linker(region.base_iri)

    # --- running queries ----------------------------------------------------------------------
    def rows(self, name: str, **params: Identifier) -> list[Row]:
        query = self.queries[name]
        expected = {p.name for p in query.parameters}
        if set(params) != expected:
            raise NamedQueryError(f"frågan '{name}' tar parametrarna {sorted(expected)}, fick {sorted(params)}")
        return list(self.store.select(query.text, params).rows)

    def iri_for_path(self, path: str) -> URIRef:
        """<base>{path}, validated as an IRI by the same code that binds query parameters."""
        query = self.queries["resource-types"]
        try:
            term = query.bindings({"resource": self.region.base_iri + path})["resource"]
        except NamedQueryError:
            raise NotFound(path) from None
        return URIRef(str(term))

    # --- shared pieces ------------------------------------------------------------------------
    def types_of(self, iri: URIRef) -> tuple[bool, set[str]]:
        rows = self.rows("resource-types", resource=iri)
        known = any(truthy(r.get("known")) for r in rows)
        return known, {str(r["type"]) for r in rows if "type" in r}

    def properties(self, iri: URIRef) -> list[Row]:
        return self.rows("resource-properties", resource=iri)

    def sources(self, props: list[Row]) -> list[Ref]:
        out = []
        for r in props:
            if str(r["property"]) == DCTERMS_SOURCE:
                value = r["value"]
                out.append(self.link.ref(value, Label(str(value))) if isinstance(value, URIRef) else
                           Ref(str(value), Label(str(value))))
        return out

    @staticmethod
    def literals(props: list[Row], *prop: str) -> list[Label]:
        """The literal values of some properties, the Swedish ones only when there are any."""
        found = [lbl for r in props if str(r["property"]) in prop and (lbl := text(r["value"])) is not None]
        swedish = [lbl for lbl in found if not lbl.foreign]
        return sorted(swedish or found, key=lambda lbl: lbl.text)

    @staticmethod
    def is_example(props: list[Row]) -> bool:
        return any(str(r["property"]) == SB + "isExample" and truthy(r["value"]) for r in props)

    def ref_from(self, row: Row, var: str, label_var: str | None = None, example_var: str | None = None,
                 **extra: Any) -> Ref | None:
        if var not in row:
            return None
        iri = row[var]
        lbl = label(row.get(label_var or var + "Label"), iri=iri)
        return self.link.ref(iri, lbl, truthy(row.get(example_var)) if example_var else False, **extra)

    # --- home -----------------------------------------------------------------------------------
    def home(self) -> Page:
        strategy = URIRef(self.region.strategy_iri)
        rows = self.rows("strategy", strategy=strategy)
        s = rows[0] if rows else {}
        props = self.properties(strategy)
        focus: OrderedDict[str, dict[str, Any]] = OrderedDict()
        for r in self.rows("focus-areas", strategy=strategy):
            key = str(r["malomrade"])
            if key not in focus:
                focus[key] = {"ref": self.ref_from(r, "malomrade"), "number": r.get("malomradeNumber"),
                              "delmal": []}
            if "delmal" in r:
                focus[key]["delmal"].append({
                    "ref": self.ref_from(r, "delmal"),
                    "number": r.get("delmalNumber"),
                    "prioritised": truthy(r.get("prioritised")),
                })
        areas = sorted(focus.values(), key=lambda a: (number_key(a["number"]), a["ref"].label.text))
        for a in areas:
            a["delmal"].sort(key=lambda d: (number_key(d["number"]), d["ref"].label.text))
        title = label(s.get("title"), iri=strategy)
        return Page(
            "home.html",
            title.text,
            {
                "strategy": self.link.ref(strategy, title),
                "issued": s.get("issued"),
                "vision": label(s.get("visionLabel")) if "visionLabel" in s else None,
                "vision_ambition": text(s.get("visionAmbition")),
                "areas": areas,
                "notes": self.literals(props, SKOS_EDITORIAL_NOTE),
            },
            example=self.is_example(props),
            sources=self.sources(props),
        )

    # --- målområde --------------------------------------------------------------------------------
    def focus_area(self, iri: URIRef) -> Page:
        rows = self.rows("focus-area-detail", malomrade=iri)
        if not rows:
            raise NotFound(iri)
        d = rows[0]
        props = self.properties(iri)
        delmal = [self._coverage_row(r) for r in self.rows("delmal-coverage") if r.get("malomrade") == iri]
        delmal.sort(key=lambda x: (number_key(x["number"]), x["ref"].label.text))
        title = label(d.get("malomradeLabel"), iri=iri)
        return Page(
            "malomrade.html",
            title.text,
            {
                "ref": self.link.ref(iri, title),
                "number": d.get("number"),
                "description": text(d.get("description")),
                "strategy": self.ref_from(d, "strategy"),
                "delmal": delmal,
                "total_insatser": sum(x["insatser"] for x in delmal),
                "total_funding": sum((x["funding"] for x in delmal), Decimal(0)),
            },
            example=self.is_example(props) or any(x["example"] for x in delmal),
            sources=self.sources(props),
        )

    def _coverage_row(self, r: Row) -> dict[str, Any]:
        return {
            "ref": self.ref_from(r, "delmal"),
            "number": r.get("number"),
            "insatser": integer(r.get("insatser")),
            "funding": number(r.get("funding")),
            "indicators": integer(r.get("indicators")),
            "prioritised": truthy(r.get("prioritised")),
            "adopted": integer(r.get("adoptedTargets")),
            "proposed": integer(r.get("proposedTargets")),
            "example": integer(r.get("exampleInsatser")) > 0,
        }

    # --- delmål -----------------------------------------------------------------------------------
    def sub_goal(self, iri: URIRef) -> Page:
        rows = self.rows("delmal-detail", delmal=iri)
        if not rows:
            raise NotFound(iri)
        d = rows[0]
        props = self.properties(iri)
        indicators = [self.ref_from(r, "indicator", example_var="isExample", unit=r.get("unit"))
                      for r in self.rows("delmal-indicators", delmal=iri)]
        steering = [
            {"goal": self.ref_from(r, "goal", example_var="isExample"), "document": self.ref_from(r, "document")}
            for r in self.rows("delmal-steering-goals", delmal=iri)
        ]
        insatser = self._insatser(self.rows("delmal-insatser", delmal=iri))
        targets: list[dict[str, Any]] = []
        for r in self.rows("delmal-targets", delmal=iri):
            targets.append({
                "target": self.link.ref(r["target"], label(r.get("targetLabelSv"), r.get("targetLabelEn"),
                                                           iri=r["target"])),
                "code": str(r.get("targetCode", local_name(str(r["target"])))),
                "proposed": str(r.get("alignment")) == "proposed",
                "goal": self.ref_from(r, "goal"),
                "goal_number": str(r.get("goalNumber", "")),
            })
        targets.sort(key=lambda t: (t["proposed"], target_sort_key(t["code"])))
        title = label(d.get("delmalLabel"), iri=iri)
        example = (self.is_example(props) or truthy(d.get("isExample")) or any(i.example for i in insatser)
                   or any(t["proposed"] for t in targets) or any(i and i.example for i in indicators)
                   or any(s["goal"] is not None and s["goal"].example for s in steering))
        return Page(
            "delmal.html",
            title.text,
            {
                "ref": self.link.ref(iri, title),
                "number": d.get("number"),
                "ambitions": self.literals(props, SB + "ambition"),
                "descriptions": self.literals(props, "http://purl.org/dc/terms/description"),
                "notes": self.literals(props, *NOTE_PROPERTIES),
                "malomrade": self.ref_from(d, "malomrade"),
                "malomrade_number": d.get("malomradeNumber"),
                "prioritised": truthy(d.get("prioritised")),
                "indicators": indicators,
                "steering": steering,
                "insatser": insatser,
                "total_funding": sum((i.extra["funding"] for i in insatser), Decimal(0)),
                "targets": targets,
            },
            example=example,
            sources=self.sources(props),
        )

    def _insatser(self, rows: list[Row]) -> list[Ref]:
        """One Ref per insats (rows come per insats and path), with its paths in extra['via']."""
        out: OrderedDict[str, Ref] = OrderedDict()
        for r in rows:
            key = str(r["insats"])
            if key not in out:
                out[key] = self.link.ref(
                    r["insats"], label(r.get("insatsLabel"), iri=r["insats"]), truthy(r.get("isExample")),
                    identifier=str(r.get("identifier", "")), funding=number(r.get("funding")), via=[], direct=False,
                )
            via = self.ref_from(r, "via")
            extra = out[key].extra
            if via is None:
                extra["direct"] = True
            else:
                extra["via"].append(via)
        return sorted(out.values(), key=lambda i: (str(i.extra["identifier"]), i.label.text))

    # --- insats -----------------------------------------------------------------------------------
    def intervention(self, iri: URIRef) -> Page:
        rows = self.rows("insats-detail", insats=iri)
        if not rows:
            raise NotFound(iri)
        d = rows[0]
        props = self.properties(iri)
        partners = [self.ref_from(r, "partner") for r in self.rows("insats-partners", insats=iri)]
        areas = [self._value(r["value"], r, "valueLabel", "valueIsExample") for r in props
                 if str(r["property"]) == SB + "area" and isinstance(r["value"], URIRef)]
        activities = [self.ref_from(r, "activity", example_var="isExample", description=text(r.get("description")),
                                    start=r.get("startDate"), end=r.get("endDate"))
                      for r in self.rows("insats-activities", insats=iri)]
        funding: list[dict[str, Any]] = []
        for r in self.rows("insats-funding", insats=iri):
            kind = r["kind"]
            kind_label = (Label("Slag ej angivet") if str(kind) == SB + "unknownFundingKind"
                          else label(r.get("kindLabel"), iri=kind))
            funding.append({"kind": kind_label, "kind_iri": str(kind), "amount": number(r.get("amount")),
                            "records": integer(r.get("records")), "currency": str(r.get("currency", "SEK")),
                            "example": integer(r.get("exampleRecords")) > 0})
        results = self._results(self.rows("insats-results", insats=iri))
        stories = [self.ref_from(r, "story", example_var="isExample", text=text(r.get("text")), date=r.get("date"),
                                 creator=self.ref_from(r, "creator"))
                   for r in self.rows("insats-stories", insats=iri)]
        for s in stories:
            if s is not None and s.label.fallback:
                s.label = Label(f"Berättelse {s.extra['date'] or s.label.text}")
        followups = self._followups(self.rows("insats-followups", insats=iri))
        chain = self.chain(iri)
        title = label(d.get("title"), iri=iri)
        status = None
        if "status" in d:
            status = label(d.get("statusLabel"), iri=d["status"])
        subitems: list[Any] = [*activities, *stories, *followups]
        example = (truthy(d.get("isExample")) or self.is_example(props) or any(f["example"] for f in funding)
                   or any(x is not None and x.example for x in subitems) or results["example"]
                   or any(c["proposed"] for c in chain))
        return Page(
            "insats.html",
            title.text,
            {
                "ref": self.link.ref(iri, title, truthy(d.get("isExample"))),
                "identifier": d.get("identifier"),
                "description": text(d.get("description")),
                "owner": self.ref_from(d, "owner"),
                "partners": partners,
                "areas": areas,
                "start": d.get("startDate"),
                "end": d.get("endDate"),
                "status": status,
                "need": text(d.get("need")),
                "activities": activities,
                "funding": funding,
                "funding_total": sum((f["amount"] for f in funding), Decimal(0)),
                "results": results,
                "stories": stories,
                "followups": followups,
                "chain": chain,
            },
            example=example,
            sources=self.sources(props),
        )

    def _results(self, rows: list[Row]) -> dict[str, Any]:
        outputs: list[Ref] = []
        effects: dict[str, list[Ref]] = {key: [] for key, _ in HORIZONS}
        other: list[Ref] = []
        names = {str(r["result"]): label(r.get("resultLabel"), iri=r["result"]) for r in rows}
        for r in rows:
            leads = [self.link.ref(t, names.get(t)) for t in str(r.get("leadsTo", "")).split() if t]
            ref = self.ref_from(r, "result", example_var="isExample", description=text(r.get("description")),
                                leads_to=leads, indicator=self.ref_from(r, "indicator"))
            assert ref is not None
            kind = str(r.get("kind"))
            horizon = local_name(str(r["horizon"])) if "horizon" in r else ""
            if kind == "output":
                outputs.append(ref)
            elif kind == "effect" and horizon in effects:
                effects[horizon].append(ref)
            else:
                other.append(ref)
        horizons: list[dict[str, Any]] = [
            {"key": key, "heading": heading, "results": effects[key]} for key, heading in HORIZONS
        ]
        all_refs = outputs + other + [x for h in horizons for x in h["results"]]
        return {"outputs": outputs, "horizons": horizons, "other": other,
                "any": bool(all_refs), "example": any(x.example for x in all_refs)}

    def _followups(self, rows: list[Row]) -> list[Ref]:
        out: OrderedDict[str, Ref] = OrderedDict()
        for r in rows:
            key = str(r["followup"])
            if key not in out:
                phase = label(r.get("phaseLabel"), iri=r["phase"]) if "phase" in r else None
                lbl = label(r.get("followupLabel"), iri=r["followup"])
                if lbl.fallback:
                    lbl = Label(f"Uppföljning {r.get('date') or lbl.text}")
                out[key] = self.link.ref(
                    r["followup"], lbl, truthy(r.get("isExample")),
                    date=r.get("date"), phase=phase, percent=r.get("percentComplete"), findings=[],
                )
            finding = text(r.get("finding"))
            if finding is not None:
                out[key].extra["findings"].append(finding)
        return list(out.values())

    def chain(self, iri: URIRef) -> list[dict[str, Any]]:
        out = []
        for r in self.rows("insats-chain", insats=iri):
            target = None
            if "target" in r:
                target = self.link.ref(r["target"], label(r.get("targetLabel"), iri=r["target"]))
            out.append({
                "via": self.ref_from(r, "via"),
                "delmal": self.ref_from(r, "delmal"),
                "delmal_number": r.get("delmalNumber"),
                "malomrade": self.ref_from(r, "malomrade"),
                "malomrade_number": r.get("malomradeNumber"),
                "target": target,
                "target_code": str(r.get("targetCode", "")),
                "proposed": str(r.get("alignment", "")) == "proposed",
                "alignment": str(r.get("alignment", "")),
                "goal": self.ref_from(r, "goal"),
                "goal_number": str(r.get("goalNumber", "")),
            })
        return out

    # --- Agenda 2030 ------------------------------------------------------------------------------
    def sdg_goals(self) -> Page:
        goals = []
        for r in self.rows("sdg-goals"):
            goals.append({
                "ref": self.link.ref(r["goal"], label(r.get("goalLabel"), iri=r["goal"])),
                "number": str(r.get("number", "")),
                "delmal": integer(r.get("delmalCount")),
                "insatser": integer(r.get("insatser")),
                "example": integer(r.get("exampleInsatser")) > 0 or truthy(r.get("proposedOnly")),
                "proposed_only": truthy(r.get("proposedOnly")),
            })
        goals.sort(key=lambda g: number_key(Literal(g["number"])))
        return Page("agenda2030.html", "Agenda 2030", {"goals": goals}, example=any(g["example"] for g in goals))

    def sdg_goal(self, n: int) -> Page:
        iri = sdg_goal_iri(n)
        rows = self.rows("sdg-goal-detail", goal=iri)
        if not rows:
            raise NotFound(iri)
        d = rows[0]
        props = self.properties(iri)
        targets: OrderedDict[str, dict[str, Any]] = OrderedDict()
        for r in self.rows("sdg-goal-targets", goal=iri):
            key = str(r["target"])
            if key not in targets:
                targets[key] = {
                    "ref": self.link.ref(r["target"], label(r.get("targetLabelSv"), r.get("targetLabelEn"),
                                                            iri=r["target"])),
                    "code": str(r.get("targetCode", local_name(key))),
                    "delmal": [],
                    "indicators": [],
                }
            if "delmal" in r:
                targets[key]["delmal"].append(self.ref_from(
                    r, "delmal", number=r.get("delmalNumber"), proposed=str(r.get("alignment")) == "proposed"))
        for r in self.rows("sdg-goal-indicators", goal=iri):
            key = str(r["target"])
            if key in targets:
                targets[key]["indicators"].append(self.link.ref(
                    r["indicator"], label(r.get("labelSv"), r.get("labelEn"), iri=r["indicator"]),
                    code=str(r.get("code", local_name(str(r["indicator"])))),
                ))
        target_list = sorted(targets.values(), key=lambda t: target_sort_key(t["code"]))
        insatser = [
            self.link.ref(r["insats"], label(r.get("insatsLabel"), iri=r["insats"]), truthy(r.get("isExample")),
                          identifier=str(r.get("identifier", "")), funding=number(r.get("funding")),
                          proposed_only="adopted" not in str(r.get("alignments", "")))
            for r in self.rows("goal-insatser", goal=iri)
        ]
        title = label(d.get("labelSv"), d.get("labelEn"), iri=iri)
        sv_source = d.get("svLabelSource")
        sources = self.sources(props)
        any_proposed = any(x.extra["proposed"] for t in target_list for x in t["delmal"])
        return Page(
            "agenda2030_goal.html",
            f"Mål {n}: {title.text}",
            {
                "ref": self.link.ref(iri, title),
                "number": n,
                "label": title,
                "label_en": label(d.get("labelEn")) if "labelEn" in d and "labelSv" in d else None,
                "sv_source": self.link.ref(sv_source, Label(str(sv_source))) if sv_source is not None else None,
                "targets": target_list,
                "aligned_targets": [t for t in target_list if t["delmal"]],
                "insatser": insatser,
                "total_funding": sum((i.extra["funding"] for i in insatser), Decimal(0)),
            },
            example=any(i.example for i in insatser) or any_proposed,
            sources=sources,
        )

    # --- any other resource -----------------------------------------------------------------------
    def resource(self, iri: URIRef, types: set[str]) -> Page:
        props = self.properties(iri)
        incoming = self.rows("resource-incoming", resource=iri)
        if not props and not incoming:
            raise NotFound(iri)
        title = self._own_label(iri, props)
        rows: list[dict[str, Any]] = []
        for r in props:
            prop = str(r["property"])
            value = self._value(r["value"], r, "valueLabel", "valueIsExample")
            if prop == SB + "amount" and isinstance(r["value"], Literal):
                value = Label(sek(r["value"]))
            rows.append({"property": self._property_label(r), "property_iri": prop, "value": value})
        rows.sort(key=lambda x: (x["property_iri"] != RDF_TYPE, x["property"].text.lower()))
        incoming_rows = [
            {"property": self._property_label(r), "property_iri": str(r["property"]),
             "subject": self._value(r["subject"], r, "subjectLabel", "subjectIsExample")}
            for r in incoming
        ]
        type_refs = [self.link.ref(t, Label(curie(t))) for t in sorted(types)]
        example = (self.is_example(props) or any(x["value"].example for x in rows if isinstance(x["value"], Ref))
                   or any(x["subject"].example for x in incoming_rows if isinstance(x["subject"], Ref)))
        return Page(
            "resource.html",
            title.text,
            {"ref": self.link.ref(iri, title), "types": type_refs, "properties": rows, "incoming": incoming_rows,
             "own_example": self.is_example(props)},
            example=example,
            sources=self.sources(props),
        )

    @staticmethod
    def _own_label(iri: URIRef, props: list[Row]) -> Label:
        by_lang: dict[str, Literal] = {}
        for r in props:
            value = r["value"]
            if str(r["property"]) in LABEL_PROPERTIES and isinstance(value, Literal):
                lang = (value.language or "").lower()
                key = "sv" if lang.startswith("sv") else "en" if lang.startswith("en") else lang
                by_lang.setdefault(key, value)
        return label(by_lang.get("sv"), by_lang.get("en"), by_lang.get(""), iri=iri)

    @staticmethod
    def _property_label(r: Row) -> Label:
        if "propertyLabel" in r:
            return label(r["propertyLabel"])
        prop = str(r["property"])
        return Label(PROPERTY_NAMES_SV.get(prop, curie(prop)))

    def _value(self, value: Identifier, r: Row, label_prefix: str, example_var: str) -> Ref | Label:
        if isinstance(value, URIRef):
            lbl = label(r.get(label_prefix + "Sv"), r.get(label_prefix + "En"), r.get(label_prefix + "Any"),
                        iri=value)
            if lbl.text == local_name(str(value)) and not any(k.startswith(label_prefix) for k in r):
                lbl = Label(curie(str(value)))
            return self.link.ref(value, lbl, truthy(r.get(example_var)))
        if isinstance(value, Literal):
            if value.datatype is not None and str(value.datatype).endswith("#boolean"):
                return Label("ja" if truthy(value) else "nej")
            return Label(str(value), value.language)
        return Label(str(value))
