"""Synthetic region graphs of any size, shaped like the bundled example data, for benchmarks.

Every insats (`sb:Intervention`) comes with its funding, activities, results (outputs and effects on
every horizon, linked by `sb:leadsTo`), a story now and then, follow-ups with lessons and feedback; on top
of that come indicator observations (Data Cube) for a few of the RUS effect indicators, per municipality
and year. Every resource carries `sb:isExample true` and is meant to conform to `shapes/sparbar-shapes.ttl`
together with the bundled data: the load path can only be benchmarked with data it accepts.

The generator links to the bundled reference data (delmål, actors, municipalities, effect indicators), read
from `data/reference/` at generation time, and writes N-Triples text directly (no rdflib graph), so a
million triples take seconds.

    python -m bench.generate --insatser 1000 --output /tmp/region.nt
    python -m bench.generate --triples 1000000 --output /tmp/region-1M.nt
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
RUS_FILE = REFERENCE_DIR / "rus-vastmanland.ttl"
DEFAULT_BASE = "https://w3id.org/sparbar/vastmanland/"

SB = "https://w3id.org/sparbar/def#"
SBK = "https://w3id.org/sparbar/kos/"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
QB = "http://purl.org/linked-data/cube#"

# The controlled lists of docs/design.md (ontology/kos.ttl); the tests check them against kos.ttl.
FUNDING_KINDS = ("one-to-one", "co-financier", "own-funds", "eu-funds", "state-funds", "municipal-funds",
                 "private-funds")
FUNDING_WEIGHTS = (30, 6, 14, 16, 12, 14, 8)
HORIZONS = ("short", "medium", "long")
INQUIRY_AREAS = ("results", "process", "mission-delivery")
PERSPECTIVES = ("strategic", "financial", "operational")
PDCA_PHASES = ("plan", "do", "study", "act")
TARGET_GROUPS = ("politicians", "decision-makers", "implementers", "public")

# "Today" for the synthetic data: fixed, so a seed gives the same graph every day.
TODAY = date(2026, 6, 30)
GENERATOR_IRI = "<https://w3id.org/sparbar/bench/generate>"  # dcterms:source of the synthetic dataset
ID_PREFIX = "syn"  # keeps synthetic IRIs and identifiers apart from the bundled example data
MAX_INDICATORS = 5
FIRST_OBS_YEAR = 2015


class ReferenceDataMissing(RuntimeError):
    """The bundled reference data the generator links to is not there (or has no delmål)."""


def _iri(value: str) -> str:
    return f"<{value}>"


def _sb(local: str) -> str:
    return f"<{SB}{local}>"


def _dct(local: str) -> str:
    return f"<{DCT}{local}>"


def _escape(text: str) -> str:
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def _sv(text: str) -> str:
    return f'"{_escape(text)}"@sv'


def _string(text: str) -> str:
    return f'"{_escape(text)}"'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def _date(d: date) -> str:
    return _typed(d.isoformat(), "date")


def _concept(scheme: str, name: str) -> str:
    return f"<{SBK}{scheme}/{name}>"


A = f"<{RDF}type>"
TRUE = _typed("true", "boolean")
IS_EXAMPLE = _sb("isExample")
TITLE, DESCRIPTION, IDENTIFIER, DATE, CREATOR = (_dct(x) for x in ("title", "description", "identifier", "date",
                                                                   "creator"))
P = {name: _sb(name) for name in (
    "owner", "partner", "startDate", "endDate", "status", "contributesTo", "need", "area", "partOfIntervention",
    "funds", "fundingKind", "amount", "currency", "year", "financier", "resultOf", "horizon", "leadsTo",
    "measuredBy", "about", "text", "followsUp", "inquiryArea", "perspective", "pdcaPhase", "finding",
    "usesObservation", "usesStory", "percentComplete", "lessonFrom", "recommendation", "feedsBack", "targetGroup",
    "forum", "indicator", "refPeriod", "refArea", "obsValue", "unitOfMeasure",
)}
C = {name: _sb(name) for name in (
    "Intervention", "Activity", "Funding", "Output", "Effect", "Story", "FollowUp", "Evaluation", "Lesson",
    "Feedback", "Observation", "IndicatorDataset",
)}

THEMES = (
    "Kompetensförsörjning inom vård och omsorg", "Digital infrastruktur på landsbygden", "Hållbar besöksnäring",
    "Innovationsstöd till små och medelstora företag", "Omställning till fossilfri transport",
    "Cirkulär ekonomi i industrin", "Kollektivtrafik mellan kommunerna", "Ungas etablering på arbetsmarknaden",
    "Validering av yrkeskunskaper", "Kulturella och kreativa näringar", "Folkhälsa och fysisk aktivitet",
    "Företagsfrämjande i glesbygd", "Elektrifiering av godstransporter", "Bostadsbyggande och samhällsplanering",
    "Forskning och utveckling i samverkan med Mälardalens universitet", "Livsmedelsstrategi för länet",
    "Klimatanpassning av vattenförsörjningen", "Integration och språkutbildning", "Exportfrämjande insatser",
    "Smart specialisering inom automation",
)
FORMS = ("förstudie", "projekt", "program", "pilot", "satsning", "nätverk")
NEEDS = (
    "Arbetsgivare i länet har svårt att rekrytera personal med rätt kompetens.",
    "Många hushåll och företag saknar tillgång till snabbt bredband.",
    "Andelen unga som varken arbetar eller studerar är högre än i riket.",
    "Utsläppen från transporter minskar för långsamt för att nå klimatmålen.",
    "Små företag investerar för lite i forskning och utveckling.",
    "Resor mellan kommunerna tar lång tid utan bil.",
    "Besöksnäringen är säsongsberoende och sårbar.",
)
ACTIVITY_KINDS = ("Workshop", "Utbildningsinsats", "Kartläggning", "Informationsträff", "Rådgivning",
                  "Studieresa", "Nätverksträff", "Upphandling", "Enkätundersökning")
OUTPUTS = ("deltagare har genomgått utbildning", "företag har fått rådgivning", "kartläggning publicerad",
           "handlingsplan antagen", "mötesplatser genomförda", "samverkansavtal tecknade")
EFFECTS = {
    "short": ("Ökad kunskap hos deltagarna", "Stärkt samverkan mellan aktörerna", "Fler ansökningar om stöd"),
    "medium": ("Fler anställningar inom målgruppen", "Fler företag som arbetar med innovation",
               "Ökat resande med kollektivtrafik"),
    "long": ("Högre sysselsättningsgrad i länet", "Minskade utsläpp av växthusgaser",
             "Stärkt konkurrenskraft i regionens näringsliv"),
}
FINDINGS = ("Insatsen följer tidplanen.", "Målgruppen har nåtts i högre grad än väntat.",
            "Samverkan med kommunerna behöver stärkas.", "Budgeten har förbrukats snabbare än planerat.",
            "Effekterna går ännu inte att mäta.")
LESSONS = ("Tidig dialog med kommunerna gav bättre förankring.", "Mätbara mål från start underlättar uppföljning.",
           "Små företag behöver kortare ansökningsprocesser.", "Digitala träffar nådde fler deltagare.")
RECOMMENDATIONS = ("Ta med kommunerna redan i förstudien.", "Sätt indikatorer innan insatsen startar.",
                   "Förenkla ansökan för små företag.", "Fortsätt erbjuda digitala träffar.")
FORUMS = ("Regionala utvecklingsnämnden", "Länsgemensamt samverkansforum", "Kommundirektörsnätverket",
          "Hemsidan och nyhetsbrevet")
STORIES = ("En deltagare berättar att utbildningen ledde till en fast anställning.",
           "Ett företag i Fagersta har kunnat anställa två personer efter rådgivningen.",
           "Föreningen fick nya medlemmar efter träffarna.")


@dataclass(frozen=True)
class Reference:
    """What the synthetic data links to in the bundled reference data (IRIs as plain strings)."""

    delmal: tuple[str, ...]
    actors: tuple[str, ...]
    municipalities: tuple[str, ...]
    areas: tuple[str, ...]
    indicators: tuple[str, ...]
    units: Mapping[str, str] = field(default_factory=dict)  # indicator → sb:unitOfMeasure, where given


def _parse_dir(paths: Iterable[Path]) -> Iterator[ox.Quad]:
    for path in paths:
        fmt = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
               ".nq": ox.RdfFormat.N_QUADS}.get(path.suffix)
        if fmt is not None:
            yield from ox.parse(path=str(path), format=fmt)


def load_reference(reference_dir: Path = REFERENCE_DIR) -> Reference:
    """Read the delmål from `rus-vastmanland.ttl` and the actors, areas and effect indicators from every
    file of the reference data."""
    rus = reference_dir / RUS_FILE.name
    if not rus.is_file():
        raise ReferenceDataMissing(
            f"{rus} finns inte: generatorn länkar insatserna till RUS delmål och behöver den medföljande "
            "referensdatan (data/reference/rus-vastmanland.ttl)"
        )
    rdf_type = ox.NamedNode(f"{RDF}type")
    subgoal = ox.NamedNode(f"{SB}SubGoal")
    delmal = sorted({q.subject.value for q in ox.parse(path=str(rus), format=ox.RdfFormat.TURTLE)
                     if q.predicate == rdf_type and q.object == subgoal and isinstance(q.subject, ox.NamedNode)})
    if not delmal:
        raise ReferenceDataMissing(f"{rus} har inga delmål (sb:SubGoal): generatorn har inget att länka till")
    unit_of_measure = ox.NamedNode(f"{SB}unitOfMeasure")
    by_type: dict[str, set[str]] = {}
    units: dict[str, str] = {}
    for q in _parse_dir(sorted(reference_dir.glob("*"))):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode):
            by_type.setdefault(q.object.value, set()).add(q.subject.value)
        elif q.predicate == unit_of_measure and isinstance(q.object, ox.Literal):
            units[q.subject.value] = q.object.value
    municipalities = sorted(by_type.get(f"{SB}Municipality", set()))
    actors = sorted(by_type.get(f"{SB}Actor", set()) | set(municipalities))
    areas = sorted(set(municipalities) | by_type.get(f"{SB}County", set()))
    indicators = sorted(by_type.get(f"{SB}EffectIndicator", set()))
    missing = [name for name, found in (("aktörer (sb:Actor)", actors), ("kommuner (sb:Municipality)",
                                        municipalities), ("effektindikatorer (sb:EffectIndicator)", indicators))
               if not found]
    if missing:
        raise ReferenceDataMissing(f"{reference_dir}: referensdatan saknar {', '.join(missing)}")
    return Reference(tuple(delmal), tuple(actors), tuple(municipalities), tuple(areas), tuple(indicators),
                     {i: units[i] for i in indicators if i in units})


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class RegionGenerator:
    """One synthetic region graph: `triples()` yields (subject, predicate, object) as N-Triples terms."""

    def __init__(self, n_insatser: int, seed: int = 0, base_iri: str = DEFAULT_BASE,
                 reference: Reference | None = None) -> None:
        if n_insatser < 0:
            raise ValueError("n_insatser must be >= 0")
        self.n = n_insatser
        self.seed = seed
        self.base = base_iri
        self.ref = reference or load_reference()
        self.indicators = self.ref.indicators[:MAX_INDICATORS]
        self.years = tuple(range(FIRST_OBS_YEAR, FIRST_OBS_YEAR + max(2, min(10, n_insatser // 20))))
        self._funding_no = 0
        self._amounts = tuple(range(50_000, 5_000_001, 25_000))

    # --- IRIs ----------------------------------------------------------------------------------
    def _node(self, path: str) -> str:
        return f"<{self.base}{path}>"

    def dataset_iri(self) -> str:
        return self._node(f"dataset/{ID_PREFIX}-effektindikatorer")

    def observation_iri(self, indicator: str, area: str, year: int) -> str:
        return self._node(f"observation/{ID_PREFIX}-{_last_segment(indicator)}-{_last_segment(area)}-{year}")

    def insats_iri(self, i: int) -> str:
        return self._node(f"insats/{ID_PREFIX}-{i:07d}")

    # --- the graph -----------------------------------------------------------------------------
    def triples(self) -> Iterator[tuple[str, str, str]]:
        rng = random.Random(self.seed)
        self._funding_no = 0
        yield from self.observation_triples(random.Random(f"{self.seed}-obs"))
        for i in range(self.n):
            yield from self.insats_triples(i, rng)

    def observation_triples(self, rng: random.Random) -> Iterator[tuple[str, str, str]]:
        ds = self.dataset_iri()
        yield ds, A, C["IndicatorDataset"]
        yield ds, A, f"<{QB}DataSet>"
        yield ds, f"<{QB}structure>", _sb("indicatorStructure")
        yield ds, TITLE, _sv("Syntetiska observationer av RUS effektindikatorer (exempeldata)")
        yield ds, _dct("source"), GENERATOR_IRI
        yield ds, IS_EXAMPLE, TRUE
        for indicator in self.indicators:
            ind = _iri(indicator)
            unit = self.ref.units.get(indicator)
            for area in self.ref.municipalities:
                level = rng.uniform(20, 80)
                for year in self.years:
                    level = max(0.0, min(100.0, level + rng.uniform(-2.5, 3.0)))
                    obs = self.observation_iri(indicator, area, year)
                    yield obs, A, C["Observation"]
                    yield obs, A, f"<{QB}Observation>"
                    yield obs, f"<{QB}dataSet>", ds
                    yield obs, P["indicator"], ind
                    yield obs, P["refPeriod"], _typed(str(year), "gYear")
                    yield obs, P["refArea"], _iri(area)
                    yield obs, P["obsValue"], _typed(f"{level:.1f}", "decimal")
                    if unit:
                        yield obs, P["unitOfMeasure"], _string(unit)
                    yield obs, IS_EXAMPLE, TRUE

    def _funding_kind(self, rng: random.Random) -> str:
        # The first fundings of a graph go through every kind once, so even a small graph uses them all.
        n = self._funding_no
        self._funding_no += 1
        if n < len(FUNDING_KINDS):
            return FUNDING_KINDS[n]
        return rng.choices(FUNDING_KINDS, FUNDING_WEIGHTS)[0]

    def insats_triples(self, i: int, rng: random.Random) -> list[tuple[str, str, str]]:
        ref = self.ref
        out: list[tuple[str, str, str]] = []
        add = out.append
        ins = self.insats_iri(i)
        ident = f"{ID_PREFIX}-{i:07d}"
        theme, form = rng.choice(THEMES), rng.choice(FORMS)
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 10 * 365))
        end = start + timedelta(days=rng.randrange(180, 4 * 365))
        if start > TODAY:
            status = "planned"
        elif end < TODAY:
            status = "cancelled" if rng.random() < 0.04 else "completed"
        else:
            status = "ongoing"
        owner = rng.choice(ref.actors)
        add((ins, A, C["Intervention"]))
        add((ins, IDENTIFIER, _string(f"SYN-{i:07d}")))  # its IRI is the slug of it, as a workbook makes it
        add((ins, TITLE, _sv(f"{theme} – {form} {i}")))
        add((ins, DESCRIPTION, _sv(f"Syntetisk exempelinsats ({form}) om {theme.lower()}.")))
        add((ins, P["owner"], _iri(owner)))
        for partner in rng.sample(ref.actors, rng.randint(0, min(2, len(ref.actors)))):
            if partner != owner:
                add((ins, P["partner"], _iri(partner)))
        add((ins, P["startDate"], _date(start)))
        add((ins, P["endDate"], _date(end)))
        add((ins, P["status"], _concept("status", status)))
        for goal in rng.sample(ref.delmal, min(len(ref.delmal), rng.randint(1, 3))):
            add((ins, P["contributesTo"], _iri(goal)))
        add((ins, P["need"], _sv(rng.choice(NEEDS))))
        area = rng.choice(ref.areas)
        add((ins, P["area"], _iri(area)))
        add((ins, IS_EXAMPLE, TRUE))

        # Funding: 1–3 grants, each in a year the insats runs.
        for k in range(rng.randint(1, 3)):
            f = self._node(f"finansiering/{ident}-{k + 1}")
            add((f, A, C["Funding"]))
            add((f, P["funds"], ins))
            add((f, P["fundingKind"], _concept("funding-kind", self._funding_kind(rng))))
            add((f, P["amount"], _typed(str(rng.choice(self._amounts)), "decimal")))
            add((f, P["currency"], _string("SEK")))
            add((f, P["year"], _typed(str(rng.randint(start.year, end.year)), "gYear")))
            add((f, P["financier"], _iri(rng.choice(ref.actors))))
            add((f, IS_EXAMPLE, TRUE))

        # Change logic: activities → outputs → short → medium → long effects.
        results_chain: list[str] = []
        outputs: list[str] = []
        for k in range(rng.randint(1, 2)):
            o = self._node(f"resultat/{ident}-p{k + 1}")
            outputs.append(o)
            add((o, A, C["Output"]))
            add((o, TITLE, _sv(f"{rng.randint(5, 200)} {rng.choice(OUTPUTS)}")))
            add((o, P["resultOf"], ins))
            add((o, IS_EXAMPLE, TRUE))
        n_effects = 3 if i == 0 else rng.randint(1, 3)
        for k, horizon in enumerate(HORIZONS[:n_effects]):
            e = self._node(f"resultat/{ident}-e{k + 1}")
            results_chain.append(e)
            add((e, A, C["Effect"]))
            add((e, TITLE, _sv(rng.choice(EFFECTS[horizon]))))
            add((e, P["resultOf"], ins))
            add((e, P["horizon"], _concept("horizon", horizon)))
            if self.indicators:
                add((e, P["measuredBy"], _iri(rng.choice(self.indicators))))
            add((e, IS_EXAMPLE, TRUE))
        for o in outputs:
            add((o, P["leadsTo"], results_chain[0]))
        for earlier, later in itertools.pairwise(results_chain):
            add((earlier, P["leadsTo"], later))
        for k in range(rng.randint(1, 4)):
            a = self._node(f"aktivitet/{ident}-{k + 1}")
            a_start = start + timedelta(days=rng.randrange(0, max(1, (end - start).days - 30)))
            add((a, A, C["Activity"]))
            add((a, IDENTIFIER, _string(f"SYN-{i:07d}-{k + 1}")))
            add((a, TITLE, _sv(f"{rng.choice(ACTIVITY_KINDS)} {k + 1} inom {form} {i}")))
            add((a, P["partOfIntervention"], ins))
            add((a, P["owner"], _iri(owner if rng.random() < 0.7 else rng.choice(ref.actors))))
            add((a, P["startDate"], _date(a_start)))
            add((a, P["endDate"], _date(min(end, a_start + timedelta(days=rng.randrange(1, 365))))))
            add((a, P["status"], _concept("status", status)))
            add((a, P["leadsTo"], rng.choice(outputs)))
            add((a, IS_EXAMPLE, TRUE))

        story = None
        if rng.random() < 0.3 and start <= TODAY:
            story = self._node(f"berattelse/{ident}")
            add((story, A, C["Story"]))
            add((story, TITLE, _sv(f"Berättelse från {form} {i}")))
            add((story, P["about"], ins))
            add((story, P["text"], _sv(rng.choice(STORIES))))
            add((story, DATE, _date(min(TODAY, end))))
            add((story, CREATOR, _iri(owner)))
            add((story, IS_EXAMPLE, TRUE))

        # Follow-ups: every insats is followed up at least once (one that ended more than six months ago
        # without a follow-up is a Warning in the shapes); a planned insats gets its planning review.
        n_follow = 1 if start > TODAY else rng.randint(1, 2)
        for k in range(n_follow):
            span = max(1, (min(end, TODAY) - start).days)
            day = TODAY if start > TODAY else start + timedelta(days=span * (k + 1) // n_follow)
            u = self._node(f"uppfoljning/{ident}-{k + 1}")
            evaluation = k == n_follow - 1 and status == "completed" and rng.random() < 0.25
            add((u, A, C["Evaluation" if evaluation else "FollowUp"]))
            add((u, TITLE, _sv(f"{'Utvärdering' if evaluation else 'Uppföljning'} {k + 1} av {form} {i}")))
            if evaluation:
                add((u, CREATOR, _iri(rng.choice(ref.actors))))
            add((u, P["followsUp"], ins))
            add((u, P["inquiryArea"], _concept("inquiry-area", rng.choice(INQUIRY_AREAS))))
            for perspective in rng.sample(PERSPECTIVES, rng.randint(1, 2)):
                add((u, P["perspective"], _concept("perspective", perspective)))
            add((u, P["pdcaPhase"], _concept("pdca-phase", "plan" if start > TODAY else rng.choice(PDCA_PHASES))))
            add((u, DATE, _date(day)))
            add((u, P["finding"], _sv(rng.choice(FINDINGS))))
            done = max(0, min(100, 100 * (day - start).days // max(1, (end - start).days)))
            add((u, P["percentComplete"], _typed(str(done), "decimal")))
            if self.indicators and area in ref.municipalities and rng.random() < 0.5:
                year = min(self.years[-1], max(self.years[0], day.year - 1))
                add((u, P["usesObservation"], self.observation_iri(rng.choice(self.indicators), area, year)))
            if story is not None:
                add((u, P["usesStory"], story))
            add((u, IS_EXAMPLE, TRUE))
            if rng.random() < 0.6:
                le = self._node(f"lardom/{ident}-{k + 1}")
                n_lesson = rng.randrange(len(LESSONS))
                add((le, A, C["Lesson"]))
                add((le, P["lessonFrom"], u))
                add((le, P["text"], _sv(LESSONS[n_lesson])))
                add((le, P["recommendation"], _sv(RECOMMENDATIONS[n_lesson])))
                add((le, IS_EXAMPLE, TRUE))
                if rng.random() < 0.6:
                    fb = self._node(f"aterforing/{ident}-{k + 1}")
                    add((fb, A, C["Feedback"]))
                    add((fb, P["feedsBack"], le))
                    add((fb, P["targetGroup"], _concept("target-group", rng.choice(TARGET_GROUPS))))
                    add((fb, P["forum"], _sv(rng.choice(FORUMS))))
                    add((fb, DATE, _date(min(TODAY, day + timedelta(days=rng.randrange(14, 120))))))
                    add((fb, IS_EXAMPLE, TRUE))
        return out


def generate(n_insatser: int, seed: int = 0, base_iri: str = DEFAULT_BASE,
             reference: Reference | None = None) -> Iterator[tuple[str, str, str]]:
    """The triples of a synthetic region with `n_insatser` insatser, as N-Triples terms (s, p, o)."""
    return RegionGenerator(n_insatser, seed, base_iri, reference).triples()


def write_ntriples(out: TextIO, n_insatser: int, seed: int = 0, base_iri: str = DEFAULT_BASE,
                   reference: Reference | None = None) -> int:
    """Write the graph as N-Triples; returns the number of triples written."""
    gen = RegionGenerator(n_insatser, seed, base_iri, reference)
    count = 0
    lines: list[str] = []
    for s, p, o in gen.triples():
        lines.append(f"{s} {p} {o} .\n")
        if len(lines) >= 10_000:
            out.writelines(lines)
            count += len(lines)
            lines.clear()
    out.writelines(lines)
    return count + len(lines)


def write_file(path: Path, n_insatser: int, seed: int = 0, base_iri: str = DEFAULT_BASE,
               reference: Reference | None = None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        return write_ntriples(f, n_insatser, seed, base_iri, reference)


def count_triples(n_insatser: int, seed: int = 0, reference: Reference | None = None) -> int:
    return sum(1 for _ in generate(n_insatser, seed, reference=reference))


def insatser_for_triples(target: int, seed: int = 0, reference: Reference | None = None) -> int:
    """How many insatser give about `target` triples (measured on a sample with the same seed)."""
    reference = reference or load_reference()
    sample = 400
    gen = RegionGenerator(sample, seed, reference=reference)
    rng = random.Random(seed)
    per_insats = sum(len(gen.insats_triples(i, rng)) for i in range(sample)) / sample
    n = max(1, round(target / per_insats))
    for _ in range(3):  # the observations grow a little with n
        fixed = sum(1 for _ in RegionGenerator(n, seed, reference=reference).observation_triples(random.Random(0)))
        n = max(1, round((target - fixed) / per_insats))
    return n


def parse_size(text: str) -> int:
    """'100k' → 100000, '1M' → 1000000, '2500' → 2500."""
    t = text.strip().replace("_", "")
    factor = 1
    if t[-1:] in "kK":
        factor, t = 1_000, t[:-1]
    elif t[-1:] in "mM":
        factor, t = 1_000_000, t[:-1]
    return round(float(t) * factor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--insatser", type=int, help="number of insatser")
    size.add_argument("--triples", type=parse_size, help="about this many triples (e.g. 100k, 1M)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base-iri", default=DEFAULT_BASE)
    parser.add_argument("--output", type=Path, required=True, help="N-Triples file to write ('-' for stdout)")
    args = parser.parse_args(argv)
    try:
        reference = load_reference()
    except ReferenceDataMissing as e:
        print(f"bench.generate: {e}", file=sys.stderr)
        return 2
    n = args.insatser if args.insatser is not None else insatser_for_triples(args.triples, args.seed, reference)
    began = time.perf_counter()
    if str(args.output) == "-":
        try:
            count = write_ntriples(sys.stdout, n, args.seed, args.base_iri, reference)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    else:
        count = write_file(args.output, n, args.seed, args.base_iri, reference)
    print(f"{count} triples, {n} insatser, {time.perf_counter() - began:.1f} s → {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
