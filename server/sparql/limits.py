"""What a query is allowed to be, decided before the engine sees it.

pyoxigraph exposes no SPARQL parser of its own, so a small lexer reads the text the way the SPARQL grammar
tokenises it — strings, IRIs, comments and variables are single tokens — and answers: how deep are `{ ( [`
nested, which form is the query (SELECT, ASK, ...; an update), which prefixes and dataset IRIs (`FROM`,
`FROM NAMED`) does it declare, and does it use `SERVICE`. Oxigraph's parser needs no space after a keyword
(`SERVICEex:x{}` and `FROMNAMED<g>` are a SERVICE and a FROM NAMED), so keywords are recognised at the start
of a bare word, and any bare word starting with "service" is refused.

Nothing here is a full parser: the engine still reports syntax errors. What the lexer must never do is miss a
`SERVICE` the engine would execute; the tests try the spellings that Oxigraph accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = ("select", "construct", "describe", "ask")
UPDATE_KEYWORDS = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with")

# One token per alternative, tried in this order at each position (the SPARQL terminals that matter here).
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
                | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
                | "(?:[^"\\\n\r]|\\.)*(?:"|$)
                | '(?:[^'\\\n\r]|\\.)*(?:'|$))
    | (?P<var>[?$][^\s{}()\[\]<>"'\#;,.?$=!&|*/+^@\\-]*)
    | (?P<word>(?:[^\s{}()\[\]<>"'\#;,?$=!&|*/+^@\\]|\\.)+)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPEN, _CLOSE = "{([", "})]"


class QueryRefused(ValueError):
    """The query breaks a rule of the public endpoint; the message says which, in Swedish."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    depth: int  # nesting depth at the token (0 = outside every bracket)
    offset: int


@dataclass
class QueryShape:
    form: str  # select | construct | describe | ask | update | unknown
    depth: int
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    dataset: list[tuple[str, bool]] = field(default_factory=list)  # (IRI, named?) of FROM / FROM NAMED
    has_dataset_clause: bool = False
    service: str | None = None  # the bare word that makes a SERVICE call, if any
    load: str | None = None  # the bare word that starts a LOAD operation, if any


def tokens(text: str) -> list[Token]:
    out = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind in ("space", "comment"):
            continue
        value = m.group()
        if kind == "punct" and value in _CLOSE:
            depth -= 1
        out.append(Token(kind, value, depth, m.start()))
        if kind == "punct" and value in _OPEN:
            depth += 1
    return out


def max_depth(toks: list[Token]) -> int:
    return max((t.depth + 1 for t in toks if t.kind == "punct" and t.text in _OPEN), default=0)


def shape(text: str, base: str | None = None) -> QueryShape:
    """`base` resolves relative IRIs until the query's own BASE replaces it (the endpoint's URL, as the engine
    is told)."""
    toks = tokens(text)
    result = QueryShape(form="unknown", depth=max_depth(toks), base=base)
    i = 0
    # prologue: BASE <iri> and PREFIX name: <iri>
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.lower() in ("base", "prefix"):
        keyword = toks[i].text.lower()
        if keyword == "base" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            result.base = _resolve(toks[i + 1].text[1:-1], result.base)
            i += 2
        elif keyword == "prefix" and i + 2 < len(toks) and toks[i + 1].kind == "word" and toks[i + 2].kind == "iri":
            result.prefixes[toks[i + 1].text.rstrip(":")] = _resolve(toks[i + 2].text[1:-1], result.base)
            i += 3
        else:
            break
    if i < len(toks) and toks[i].kind == "word":
        first = toks[i].text.lower()
        result.form = next((f for f in QUERY_FORMS if first.startswith(f)), "unknown")
        if result.form == "unknown" and first.startswith(UPDATE_KEYWORDS):
            result.form = "update"
    for j in range(i, len(toks)):
        t = toks[j]
        if t.kind != "word":
            continue
        low = t.text.lower()
        if low.startswith("service") and result.service is None:
            result.service = t.text
        if t.depth == 0 and low.startswith("load") and result.load is None:
            result.load = t.text
        if t.depth == 0 and low.startswith("from") and result.form in QUERY_FORMS:
            result.has_dataset_clause = True
            result.dataset.extend(_dataset_iris(toks, j, result))
    return result


def _dataset_iris(toks: list[Token], j: int, s: QueryShape) -> list[tuple[str, bool]]:
    """Every reading of `FROM [NAMED] iri` that starts at token j; ambiguous spellings give more than one."""
    rest = toks[j].text[4:]
    following = toks[j + 1] if j + 1 < len(toks) else None
    candidates: list[tuple[Token | str | None, bool]] = []
    if rest:
        candidates.append((rest, False))  # FROM + prefixed name written without a space: `from:g`
        if rest.lower().startswith("named"):
            candidates.append((rest[5:] or following, True))
    elif following is not None and following.kind == "word" and following.text.lower().startswith("named"):
        named_rest = following.text[5:]
        after = toks[j + 2] if j + 2 < len(toks) else None
        candidates.append((named_rest or after, True))
        candidates.append((following, False))  # a prefix called "named…"
    else:
        candidates.append((following, False))
    out = []
    for target, named in candidates:
        iri = _iri_of(target, s)
        if iri is not None:
            out.append((iri, named))
    return out


def _iri_of(target: Token | str | None, s: QueryShape) -> str | None:
    if target is None:
        return None
    if isinstance(target, Token):
        if target.kind == "iri":
            return _resolve(target.text[1:-1], s.base)
        if target.kind != "word":
            return None
        target = target.text
    prefix, sep, local = target.partition(":")
    if not sep or prefix not in s.prefixes:
        return None  # not a prefixed name the engine could resolve either
    return s.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_depth: int


def inspect_query(text: str, limits: Limits, base: str | None = None) -> QueryShape:
    """The shape of a query for the read-only endpoint, or QueryRefused."""
    s = _checked(text, limits, base)
    if s.form == "update":
        raise QueryRefused(
            "Den här tjänsten är skrivskyddad: uppdateringar (INSERT, DELETE, LOAD, CLEAR …) tas inte emot här. "
            "Skrivningar görs med SPARQL Update på /sparql/update och kräver behörighet."
        )
    return s


def inspect_update(text: str, limits: Limits, base: str | None = None) -> QueryShape:
    """The shape of a SPARQL Update for the authenticated write endpoint, or QueryRefused."""
    s = _checked(text, limits, base)
    if s.load is not None:
        raise QueryRefused(
            f"LOAD är inte tillåtet ('{s.load}'): en uppdatering får inte läsa filer eller hämta data över nätet. "
            "Skicka innehållet med Graph Store Protocol (/graphs?graph=…) i stället."
        )
    return s


def _checked(text: str, limits: Limits, base: str | None) -> QueryShape:
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        raise QueryRefused(f"Frågan är {size} byte; tjänsten tar emot högst {limits.max_bytes} byte.")
    s = shape(text, base)
    if s.depth > limits.max_depth:
        raise QueryRefused(
            f"Frågan är nästlad {s.depth} nivåer djupt (klamrar {{ ( [); tjänsten tar emot högst {limits.max_depth}."
        )
    if s.service is not None:
        raise QueryRefused(
            f"SERVICE är inte tillåtet ('{s.service}'): frågor körs bara mot Spårbars egen graf, aldrig mot "
            "andra tjänster på nätet."
        )
    return s
