"""SPARQL expressions that judge literals the way pyshacl 0.40 does on rdflib 7.

pyshacl does not follow the SPARQL value semantics: `sh:datatype` asks rdflib whether the lexical form is
well-formed (rdflib's `ill_typed`), and range and pair comparisons use rdflib's ordering of literals, which
orders literals of different datatypes by their datatype IRIs and refuses to compare an ill-formed literal
with one of its own datatype. These builders spell that out in SPARQL so that Oxigraph reaches the same
verdicts. Each takes the SPARQL text of a variable and returns a boolean expression that never raises an
error (an error inside FILTER(!…) would silently count as conforming)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.shacl_sparql.model import UnsupportedShapes

# rdflib gives literals of these datatypes a Python str value (and plain and language-tagged literals).
STRING_TYPES = (XSD.string, XSD.normalizedString, XSD.token, XSD.language, XSD.anyURI)
# rdflib's _NUMERIC_LITERAL_TYPES
NUMERIC_TYPES = (
    XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.byte, XSD.int, XSD.long, XSD.short,
    XSD.negativeInteger, XSD.nonNegativeInteger, XSD.nonPositiveInteger, XSD.positiveInteger,
    XSD.unsignedByte, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
)
# Datatypes rdflib converts to Python values but this module does not model: sh:datatype on them is refused.
_UNMODELLED = (XSD.time, XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration, XSD.hexBinary,
               XSD.base64Binary, RDF.XMLLiteral, RDF.HTML)


def _in(v: str, iris: tuple[URIRef, ...]) -> str:
    return f"DATATYPE({v}) IN ({', '.join(i.n3() for i in iris)})"


def string_valued(v: str) -> str:
    """rdflib gives the literal a str value (pyshacl's 'is string' tests)."""
    return f'(isLiteral({v}) && (LANG({v}) != "" || {_in(v, STRING_TYPES)}))'


def numeric_ok(v: str) -> str:
    """A well-formed numeric literal: rdflib compares these by value."""
    return f"(isLiteral({v}) && {_in(v, NUMERIC_TYPES)} && isNumeric({v}))"


def date_ok(v: str) -> str:
    """rdflib parses the lexical form as a Python date: four-digit years from 0001, no 24:00."""
    return (f'(REGEX(STR({v}), "^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(Z|[+-][0-9]{{2}}:[0-9]{{2}})?$") '
            f'&& !STRSTARTS(STR({v}), "0000") '
            f"&& COALESCE(DATATYPE({XSD.date.n3()}(STR({v}))) = {XSD.date.n3()}, false))")


def datetime_ok(v: str) -> str:
    return (f'(REGEX(STR({v}), "^[0-9]{{4}}-") && !STRSTARTS(STR({v}), "0000") && !CONTAINS(STR({v}), "T24:") '
            f"&& COALESCE(DATATYPE({XSD.dateTime.n3()}(STR({v}))) = {XSD.dateTime.n3()}, false))")


def boolean_ok(v: str) -> str:
    return f'(STR({v}) IN ("true", "false", "1", "0"))'


def has_value(v: str) -> str:
    """rdflib has a Python value for the literal (not ill-formed, and a datatype rdflib converts)."""
    return (f"({string_valued(v)} || {numeric_ok(v)}"
            f" || (DATATYPE({v}) = {XSD.boolean.n3()} && {boolean_ok(v)})"
            f" || (DATATYPE({v}) = {XSD.date.n3()} && {date_ok(v)})"
            f" || (DATATYPE({v}) = {XSD.dateTime.n3()} && {datetime_ok(v)}))")


def datatype_ok(v: str, datatype: URIRef) -> str:
    """pyshacl's sh:datatype: the literal has the datatype and rdflib does not find it ill-formed."""
    if datatype == RDF.langString:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    if datatype == RDFS.Literal:
        return f"isLiteral({v})"
    if datatype in _UNMODELLED:
        raise UnsupportedShapes(f"sh:datatype {datatype.n3()} stöds inte av SPARQL-valideringen")
    same = f"(isLiteral({v}) && DATATYPE({v}) = {datatype.n3()})"
    if datatype in NUMERIC_TYPES:
        return f"({same} && isNumeric({v}))"
    well_formed = {XSD.boolean: boolean_ok, XSD.date: date_ok, XSD.dateTime: datetime_ok}.get(datatype)
    # string types are always well-formed; datatypes rdflib has no converter for pass on the datatype alone
    return f"({same} && {well_formed(v)})" if well_formed else same


def _datetime_valued(v: str) -> str:
    """rdflib holds a Python datetime or time: pyshacl compares those with the bound's value, which fails."""
    time_ok = f'REGEX(STR({v}), "^[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}([.][0-9]+)?)?(Z|[+-][0-9]{{2}}:[0-9]{{2}})?$")'
    return (f"((DATATYPE({v}) = {XSD.dateTime.n3()} && {datetime_ok(v)})"
            f" || (DATATYPE({v}) = {XSD.time.n3()} && {time_ok}))")


def compare_to_bound(v: str, bound: Literal, at_least: bool, inclusive: bool) -> str:
    """pyshacl's sh:minInclusive/maxInclusive/minExclusive/maxExclusive against a numeric bound."""
    if bound.datatype not in NUMERIC_TYPES or bound.ill_typed:
        raise UnsupportedShapes(f"gränsvärdet {bound.n3()} stöds inte (bara numeriska gränser)")
    op = (">=" if inclusive else ">") if at_least else ("<=" if inclusive else "<")
    # different datatypes: rdflib orders them by datatype IRI, so the comparison is 1 or -1, never 0
    dt_order = f'STR(DATATYPE({v})) {">" if at_least else "<"} {Literal(str(bound.datatype)).n3()}'
    return (f"COALESCE(isLiteral({v}) && !{string_valued(v)} && IF({numeric_ok(v)}, {v} {op} {bound.n3()}, "
            f"IF({_datetime_valued(v)} || DATATYPE({v}) = {bound.datatype.n3()}, false, {dt_order})), false)")


def less_than_or_equal(v: str, other: str) -> str:
    """pyshacl's sh:lessThanOrEquals for one pair: strings (IRIs too) with strings, otherwise rdflib's order,
    in which two literals of one datatype that rdflib cannot both read always pass."""
    def stringy(x: str) -> str:
        return f"(isIRI({x}) || {string_valued(x)})"

    return (f"COALESCE(IF({stringy(v)} || {stringy(other)}, "
            f"{stringy(v)} && {stringy(other)} && STR({v}) <= STR({other}), "
            f"IF({numeric_ok(v)} && {numeric_ok(other)}, {v} <= {other}, "
            f"IF(DATATYPE({v}) != DATATYPE({other}), STR(DATATYPE({v})) < STR(DATATYPE({other})), "
            f"IF({has_value(v)} && {has_value(other)}, {v} <= {other}, true)))), false)")
