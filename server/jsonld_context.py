"""The JSON-LD @context of Spårbar, generated from the ontology: its prefixes, and a short term for every class and
property of the `sb:` namespace (object properties coerce values to IRIs, datatype properties with one XSD range
to that datatype). Published at /context.jsonld and carried inline by every JSON-LD document the server writes,
so that parsers that refuse remote contexts (pyoxigraph) read them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from ontology import NAMESPACE

# prefixes every document may use besides the ontology's own
EXTRA_PREFIXES = {
    "sdg": "http://metadata.un.org/sdg/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
_SKIP_DATATYPES = {XSD.string, RDF.langString}


def build_context(ontology_path: Path) -> dict[str, Any]:
    onto = Graph(bind_namespaces="none").parse(ontology_path)
    context: dict[str, Any] = {}
    for prefix, ns in onto.namespaces():
        if prefix and not prefix.startswith(("ns", "_")) and str(ns).startswith("http"):
            context[prefix] = str(ns)
    for prefix, extra in EXTRA_PREFIXES.items():
        context.setdefault(prefix, extra)
    for term in sorted({s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(NAMESPACE)}):
        name = str(term)[len(NAMESPACE):]
        if not name or name in context:
            continue
        curie = "sb:" + name
        types = set(onto.objects(term, RDF.type))
        ranges = [r for r in onto.objects(term, RDFS.range) if isinstance(r, URIRef)]
        if OWL.ObjectProperty in types:
            context[name] = {"@id": curie, "@type": "@id"}
        elif OWL.DatatypeProperty in types and len(ranges) == 1 and str(ranges[0]).startswith(str(XSD)) \
                and ranges[0] not in _SKIP_DATATYPES:
            context[name] = {"@id": curie, "@type": "xsd:" + str(ranges[0])[len(str(XSD)):]}
        else:
            context[name] = curie
    return context
