"""The web server on the bundled data: every page type, links between pages, 404s, label fallback, escaping.

Expected values come from the bundled Turtle files read with rdflib, not from the server's own queries.
"""

from __future__ import annotations

import re
from collections import deque
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region, Settings
from graph.store import Store
from server.app import create_app

SB = Namespace("https://w3id.org/sparbar/def#")
SDG = "http://metadata.un.org/sdg/"
BASE = "https://w3id.org/sparbar/vastmanland/"
BANNER = "Exempeldata — illustrativa uppgifter, inte regionens beslut"
PROPOSED = "föreslagen koppling (exempel, ej antagen av regionen)"
EXAMPLE_INSATS = "insats/ruv-2023-0230"
NBSP = "\u00a0"


# --- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(loaded_store: Store, region: Region) -> TestClient:
    return TestClient(create_app(Settings(store=Path("unused-store")), loaded_store, region))


@pytest.fixture(scope="module")
def bundled(region: Region) -> Graph:
    g = Graph()
    for source in region.sources:
        g.parse(source.path)
    return g


@pytest.fixture(scope="module")
def example_graph(region: Region) -> Graph:
    return Graph().parse(next(s.path for s in region.sources if s.graph == "example"))


def tiny_client(ttl: str, region: Region) -> TestClient:
    store = OxigraphStore()
    data = Graph().parse(data=ttl, format="turtle")
    store.replace_graphs({URIRef(BASE + "graph/tiny"): data}, URIRef(region.meta_graph_iri), Graph())
    return TestClient(create_app(Settings(store=Path("unused-store")), store, region))


def sek(amount: Decimal) -> str:
    """Independent formatting of a whole-krona amount: 7600000 → '7 600 000 kr' with no-break spaces."""
    assert amount == int(amount)
    return f"{int(amount):,}".replace(",", NBSP) + NBSP + "kr"


def funding_total(example: Graph, insats: URIRef) -> Decimal:
    return sum((Decimal(str(example.value(f, SB.amount))) for f in example.subjects(SB.funds, insats)), Decimal(0))


class Page(HTMLParser):
    """Links, headings, tables and lang attributes of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.landmarks: set[str] = set()
        self.html_lang: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.add(tag)
        if tag == "html":
            self.html_lang = a.get("lang")


def check_accessibility_basics(html: str, url: str) -> Page:
    page = Page(html)
    assert page.html_lang == "sv", url
    assert {"header", "nav", "main", "footer"} <= page.landmarks, url
    assert 'href="#main"' in html and 'id="main"' in html, f"{url}: skip link"
    assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1, f"{url}: {page.headings}"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"{url}: heading level jumps {page.headings}"
    assert page.tables == page.captions, f"{url}: every table has a caption"
    assert page.th_without_scope == 0, f"{url}: every th has a scope"
    return page


def row_with(html: str, href: str) -> str:
    """The table row whose row header links to `href`."""
    m = re.search(r'<tr>(?:(?!</tr>).)*?<th scope="row">(?:(?!</tr>).)*?href="' + re.escape(href)
                  + r'"(?:(?!</tr>).)*</tr>', html, re.S)
    assert m, f"no row for {href}"
    return m.group(0)


# --- home ------------------------------------------------------------------------------------------------
def test_home(client: TestClient, bundled: Graph, region: Region) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    check_accessibility_basics(html, "/")
    assert "Vår strategi för ett livskraftigt Västmanland" in html
    assert "Ett livskraftigt Västmanland genom hållbar utveckling" in html  # the vision
    for title in ("Ett välmående Västmanland", "Ett tillgängligt Västmanland",
                  "Ett nyskapande Västmanland genom hållbar tillväxt"):
        assert title in html
    for n in (1, 2, 3):
        assert f'href="/rus/malomrade/{n}"' in html
    assert 'href="/rus/delmal/19"' in html and "Delmål 19:" in html
    # the prioritised delmål is marked
    prioritised = [d for d in bundled.subjects(SB.prioritised, Literal(True))]
    assert prioritised
    for d in prioritised:
        assert f'href="/{str(d)[len(BASE):]}"' in html
    assert "Prioriterat" in html
    # what is not verified: the strategy's editorial note (Swedish)
    notes = [str(n) for n in bundled.objects(URIRef(region.strategy_iri), SKOS.editorialNote)
             if isinstance(n, Literal) and n.language == "sv"]
    assert notes
    assert "Det här är inte verifierat" in html
    for note in notes:
        assert note[:60].replace('"', "&#34;") in html
    # sources, and no example banner: the home page shows reference data only
    assert "Källa" in html
    assert BANNER not in html
    assert 'lang="sv"' in html


def test_strategy_iri_resolves_to_the_home_page(client: TestClient) -> None:
    r = client.get("/rus")
    assert r.status_code == 200
    assert "Ett livskraftigt Västmanland genom hållbar utveckling" in r.text


# --- målområde, delmål -----------------------------------------------------------------------------------
def test_focus_area_page_shows_delmal_with_coverage(client: TestClient, bundled: Graph,
                                                    example_graph: Graph) -> None:
    r = client.get("/rus/malomrade/3")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, "/rus/malomrade/3")
    assert "Målområde 3: Ett nyskapande Västmanland genom hållbar tillväxt" in html
    for d in bundled.subjects(SB.inFocusArea, URIRef(BASE + "rus/malomrade/3")):
        assert f'href="/{str(d)[len(BASE):]}"' in html
    # the row of delmål 19: its number of insatser and their total funding
    d19 = URIRef(BASE + "rus/delmal/19")
    steering = set(bundled.subjects(SB.alignsWithSubGoal, d19))
    insatser = {i for i in bundled.subjects(RDF.type, SB.Intervention)
                if d19 in set(bundled.objects(i, SB.contributesTo))
                or steering & set(bundled.objects(i, SB.contributesTo))}
    cells = re.findall(r'<td class="num">([^<]*)', row_with(html, "/rus/delmal/19"))
    assert cells[0].strip() == str(len(insatser))
    total = sum((funding_total(example_graph, i) for i in insatser), Decimal(0))  # type: ignore[arg-type]
    assert cells[1] == sek(total)
    assert BANNER in html


def test_delmal_page(client: TestClient, bundled: Graph, example_graph: Graph) -> None:
    r = client.get("/rus/delmal/19")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, "/rus/delmal/19")
    assert "Delmål 19: Öka andelen sysselsatta" in html
    for ambition in bundled.objects(URIRef(BASE + "rus/delmal/19"), SB.ambition):
        assert str(ambition) in html
    assert "År 2030 har andelen sysselsatta ökat i hela länet." in html
    assert 'href="/rus/malomrade/3"' in html
    assert "Prioriterat delmål" in html
    # indicators, steering-document goals, insatser, Agenda 2030 targets (proposed, marked as such)
    for ind in bundled.subjects(SB.indicatorFor, URIRef(BASE + "rus/delmal/19")):
        assert f'href="/{str(ind)[len(BASE):]}"' in html
    for goal in bundled.subjects(SB.alignsWithSubGoal, URIRef(BASE + "rus/delmal/19")):
        assert f'href="/{str(goal)[len(BASE):]}"' in html
    assert f'href="/{EXAMPLE_INSATS}"' in html
    insats_row = row_with(html, f"/{EXAMPLE_INSATS}")
    assert "Exempel" in insats_row  # example rows are marked
    assert sek(funding_total(example_graph, URIRef(BASE + EXAMPLE_INSATS))) in insats_row
    assert 'href="http://metadata.un.org/sdg/8.5"' in html
    assert 'href="/agenda2030/8"' in html
    assert PROPOSED in html
    assert BANNER in html
    assert "Källa" in html
    source = "https://regionvastmanland.se/utveckling-och-tillvaxt/behallare-for-uppfoljningar/oka-andelen-sysselsatta/"
    assert f'href="{source}"' in html


def test_delmal_without_alignment_says_the_chain_stops(region: Region) -> None:
    c = tiny_client(f"""
        @prefix sb: <{SB}> . @prefix skos: <{SKOS}> .
        <{BASE}rus/delmal/99> a sb:SubGoal ; sb:number 99 ; skos:prefLabel "Ett delmål utan koppling"@sv .
        """, region)
    r = c.get("/rus/delmal/99")
    assert r.status_code == 200
    assert "Delmål 99: Ett delmål utan koppling" in r.text
    assert "kedjan till Agenda 2030 slutar här" in r.text
    assert BANNER not in r.text


# --- insats ----------------------------------------------------------------------------------------------
def test_insats_page(client: TestClient, bundled: Graph, example_graph: Graph) -> None:
    iri = URIRef(BASE + EXAMPLE_INSATS)
    r = client.get(f"/{EXAMPLE_INSATS}")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, EXAMPLE_INSATS)
    title = next(str(t) for t in bundled.objects(iri, DCTERMS.title) if t.language == "sv")  # type: ignore[attr-defined]
    assert f"<h1>{title}" in html
    assert "RUV 2023/0230" in html
    # owner, partners, period, status label (Swedish, from the controlled list)
    for actor in [bundled.value(iri, SB.owner), *bundled.objects(iri, SB.partner)]:
        assert f'href="/{str(actor)[len(BASE):]}"' in html
    assert f"{bundled.value(iri, SB.startDate)} – {bundled.value(iri, SB.endDate)}" in html
    status = bundled.value(iri, SB.status)
    assert next(str(s) for s in bundled.objects(status, SKOS.prefLabel) if s.language == "sv") in html  # type: ignore[attr-defined]
    assert str(bundled.value(iri, SB.need)) in html
    # funding: total as rendered equals the sum of the example Turtle's amounts; kinds have Swedish labels
    total = funding_total(example_graph, iri)
    assert total > 0
    assert f'<td class="num funding-total">{sek(total)}</td>' in html
    for f in example_graph.subjects(SB.funds, iri):
        kind = example_graph.value(f, SB.fundingKind)
        assert next(str(s) for s in bundled.objects(kind, SKOS.prefLabel) if s.language == "sv") in html  # type: ignore[attr-defined]
    # follow-ups and the chain up to Agenda 2030, linked
    for fu in bundled.subjects(SB.followsUp, iri):
        assert f'href="/{str(fu)[len(BASE):]}"' in html
    assert "Kedjan upp till Agenda 2030" in html
    for link in ('href="/rus/delmal/19"', 'href="/rus/delmal/14"', 'href="/rus/malomrade/3"',
                 'href="/agenda2030/8"', 'href="http://metadata.un.org/sdg/8.5"'):
        assert link in html
    assert PROPOSED in html
    assert BANNER in html


def test_insats_page_shows_the_change_logic(client: TestClient, bundled: Graph) -> None:
    """The insats with the most results: its outputs and effects appear under the right headings."""
    counts: dict[URIRef, int] = {}
    for _, i in bundled.subject_objects(SB.resultOf):
        if (i, RDF.type, SB.Intervention) in bundled:
            counts[i] = counts.get(i, 0) + 1  # type: ignore[index]
    insats = max(sorted(counts), key=lambda i: counts[i])
    html = client.get("/" + str(insats)[len(BASE):]).text
    logic = html[html.index('id="forandringslogik"'):html.index('id="finansiering"')]
    assert "Behov" in logic and "Aktiviteter" in logic and "Prestationer" in logic
    headings = {"short": "Effekter på kort sikt", "medium": "Effekter på medellång sikt",
                "long": "Effekter på lång sikt"}
    blocks = {m.group(1): m.group(2) for m in re.finditer(r"<h3>([^<]+)</h3>(.*?)(?=<h3>|</ol>)", logic, re.S)}
    assert set(headings.values()) <= set(blocks)
    for result in bundled.subjects(SB.resultOf, insats):
        href = f'href="/{str(result)[len(BASE):]}"'
        if (result, RDF.type, SB.Effect) in bundled:
            horizon = str(bundled.value(result, SB.horizon)).rsplit("/", 1)[1]
            assert href in blocks[headings[horizon]], (result, horizon)
        elif (result, RDF.type, SB.Output) in bundled:
            assert href in blocks["Prestationer"], result
    for story in bundled.subjects(SB.about, insats):
        assert f'href="/{str(story)[len(BASE):]}"' in html


# --- Agenda 2030 -----------------------------------------------------------------------------------------
def test_agenda2030_lists_17_goals(client: TestClient, bundled: Graph) -> None:
    r = client.get("/agenda2030")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, "/agenda2030")
    for n in range(1, 18):
        assert f'href="/agenda2030/{n}"' in html
        goal = URIRef(f"{SDG}{n}")
        labels = {o.language: str(o) for o in bundled.objects(goal, SKOS.prefLabel)}  # type: ignore[attr-defined]
        assert (labels.get("sv") or labels["en"]) in html
    assert "Anständiga arbetsvillkor och ekonomisk tillväxt" in html
    assert BANNER in html  # the counts come from example insatser and proposed alignments


def test_agenda2030_goal_page(client: TestClient, bundled: Graph, example_graph: Graph) -> None:
    r = client.get("/agenda2030/8")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, "/agenda2030/8")
    assert "Mål 8: Anständiga arbetsvillkor och ekonomisk tillväxt" in html
    assert 'href="http://metadata.un.org/sdg/8"' in html
    targets = set(bundled.subjects(SKOS.broader, URIRef(SDG + "8")))
    assert len(targets) == 12
    for t in targets:
        assert f'href="{t}"' in html
        labels = {o.language: str(o) for o in bundled.objects(t, SKOS.prefLabel)}  # type: ignore[attr-defined]
        if "sv" in labels:
            assert labels["sv"] in html
        else:  # English text carries its own language
            assert f'<span lang="en">{labels["en"]}</span>' in html.replace("&#39;", "'")
    assert 'href="/rus/delmal/19"' in html and PROPOSED in html
    # the targets' indicators link to their UN IRIs
    for t in targets:
        for i in bundled.subjects(SKOS.broader, t):
            assert f'href="{i}"' in html
    assert ">Indikator 8.5.1</a>" in html
    # the contributing insatser with their funding
    row = row_with(html, f"/{EXAMPLE_INSATS}")
    assert sek(funding_total(example_graph, URIRef(BASE + EXAMPLE_INSATS))) in row
    assert BANNER in html


def test_goal_page_without_example_data_has_no_banner(client: TestClient, bundled: Graph) -> None:
    aligned_goals = {bundled.value(t, SKOS.broader) for _, t in bundled.subject_objects(SB.proposedAlignment)}
    aligned_goals |= {bundled.value(t, SKOS.broader) for _, t in bundled.subject_objects(SB.adoptedAlignment)}
    free = [n for n in range(1, 18) if URIRef(f"{SDG}{n}") not in aligned_goals]
    assert free, "every goal has an aligned delmål"
    html = client.get(f"/agenda2030/{free[0]}").text
    assert "Inga insatser bidrar" in html
    assert BANNER not in html


# --- other resources, health, errors ---------------------------------------------------------------------
def test_generic_resource_page(client: TestClient, bundled: Graph) -> None:
    actor = URIRef(BASE + "aktor/robotdalen")
    assert (actor, None, None) in bundled
    r = client.get("/aktor/robotdalen")
    assert r.status_code == 200
    html = r.text
    check_accessibility_basics(html, "/aktor/robotdalen")
    label = next(str(o) for o in bundled.objects(actor, SKOS.prefLabel) if o.language == "sv")  # type: ignore[attr-defined]
    assert f"<h1>{label}" in html
    assert "Länkar hit" in html
    for s in bundled.subjects(SB.partner, actor):
        assert f'href="/{str(s)[len(BASE):]}"' in html


def test_healthz(client: TestClient, loaded_store: Store) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["triples"] == loaded_store.triple_count() > 1000


@pytest.mark.parametrize("url", ["/finns/inte", "/rus/delmal/999", "/agenda2030/18", "/agenda2030/0",
                                 "/agenda2030/abc", "/agenda2030/08", "/insats/%3Cscript%3E", "/rus/delmal/19/"])
def test_unknown_iri_is_404_in_swedish(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Sidan finns inte" in r.text
    assert "<script>" not in r.text
    check_accessibility_basics(r.text, url)


def test_static_css(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200
    assert "text/css" in r.headers["content-type"]


def test_crawl_from_home_to_depth_2(client: TestClient) -> None:
    seen: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    pages_by_kind: set[str] = set()
    while queue:
        url, depth = queue.popleft()
        if url in seen:
            continue
        r = client.get(url)
        seen[url] = r.status_code
        assert r.status_code == 200, f"{url} → {r.status_code}"
        if not r.headers["content-type"].startswith("text/html"):
            continue
        page = check_accessibility_basics(r.text, url)
        pages_by_kind.add(url.strip("/").split("/")[0] if url != "/" else "home")
        if depth >= 2:
            continue
        for href in page.links:
            if href.startswith("/") and not href.startswith("//"):
                queue.append((href.split("#")[0], depth + 1))
    assert len(seen) > 50
    assert {"home", "rus", "insats", "agenda2030"} <= pages_by_kind


# --- robustness: labels and escaping ---------------------------------------------------------------------
def test_label_fallback_sv_en_local_name(region: Region) -> None:
    c = tiny_client(f"""
        @prefix sb: <{SB}> . @prefix skos: <{SKOS}> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <{BASE}rus/delmal/50> a sb:SubGoal ; skos:prefLabel "Only English title"@en ;
            sb:inFocusArea <{BASE}rus/malomrade/9> .
        <{BASE}rus/malomrade/9> a sb:FocusArea .
        <{BASE}insats/utan-titel> a sb:Intervention ; sb:contributesTo <{BASE}rus/delmal/50> ;
            sb:partner <{BASE}aktor/namnlos> .
        <{BASE}aktor/namnlos> a sb:Actor .
        """, region)
    r = c.get("/rus/delmal/50")
    assert r.status_code == 200
    assert '<span lang="en">Only English title</span>' in r.text
    assert 'href="/rus/malomrade/9">9</a>' in r.text  # a målområde without any label: its local name
    assert 'href="/insats/utan-titel">utan-titel</a>' in r.text
    r = c.get("/insats/utan-titel")
    assert r.status_code == 200
    assert "<h1>utan-titel" in r.text
    assert 'href="/aktor/namnlos">namnlos</a>' in r.text
    assert '<span lang="en">Only English title</span>' in r.text
    for url in ("/rus/malomrade/9", "/aktor/namnlos", "/"):
        assert c.get(url).status_code == 200, url


def test_html_is_escaped(region: Region) -> None:
    evil = '<script>alert(\\"x\\")</script>'  # as written in Turtle
    c = tiny_client(f"""
        @prefix sb: <{SB}> . @prefix skos: <{SKOS}> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <{BASE}insats/x> a sb:Intervention ; dcterms:title "{evil}"@sv ;
            dcterms:description "a & b <b>fet</b>"@sv ; sb:contributesTo <{BASE}rus/delmal/1> .
        <{BASE}rus/delmal/1> a sb:SubGoal ; skos:prefLabel "{evil}"@sv .
        <{BASE}aktor/x> a sb:Actor ; skos:prefLabel "{evil}"@sv .
        """, region)
    for url in ("/insats/x", "/rus/delmal/1", "/aktor/x"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert "<script>" not in r.text, url
        assert "&lt;script&gt;" in r.text, url
    assert "a &amp; b &lt;b&gt;fet&lt;/b&gt;" in c.get("/insats/x").text
