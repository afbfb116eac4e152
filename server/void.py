"""The VoID description served at /.well-known/void (W3C VoID §7: the well-known location)."""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, RDF, XSD, Graph, Literal, Namespace, URIRef

from server.dataset_facts import SDG_DATASET, DatasetFacts

VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def void_graph(facts: DatasetFacts, document: URIRef) -> Graph:
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("foaf", FOAF)
    ds = facts.dataset
    g.add((document, RDF.type, VOID.DatasetDescription))
    g.add((document, FOAF.primaryTopic, ds))
    g.add((document, DCTERMS.title, Literal(f"VoID-beskrivning av Spårbar – {facts.region.name}", lang="sv")))

    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(f"Spårbar – {facts.region.name}", lang="sv")))
    g.add((ds, DCTERMS.title, Literal(f"Spårbar – {facts.region.name}", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        f"{facts.region.name}s regionala utvecklingsarbete som en länkad kunskapsgraf: insatser, styrdokument, "
        "RUS delmål och målområden, spårbart upp till Agenda 2030.", lang="sv")))
    g.add((ds, DCTERMS.description, Literal(
        f"The regional development work of {facts.region.name} as a linked knowledge graph: interventions, "
        "steering documents, RUS sub-goals and focus areas, traceable up to Agenda 2030.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(facts.region.licence)))
    if facts.modified is not None:
        g.add((ds, DCTERMS.modified, facts.modified))
    g.add((ds, VOID.uriSpace, Literal(facts.base)))
    g.add((ds, VOID.sparqlEndpoint, facts.sparql_endpoint))
    g.add((ds, VOID.rootResource, URIRef(facts.region.strategy_iri)))
    for example in facts.examples:
        g.add((ds, VOID.exampleResource, example))
    for dump in facts.dumps:
        if dump.graph is None:
            g.add((ds, VOID.dataDump, facts.dump_url(dump)))
    for feature in ("Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"):
        g.add((ds, VOID.feature, FORMATS[feature]))
    g.add((ds, VOID.vocabulary, URIRef("https://w3id.org/sparbar/def#")))

    stats = facts.statistics
    g.add((ds, VOID.triples, _count(stats.get("triples", 0))))
    g.add((ds, VOID.entities, _count(facts.entities)))
    g.add((ds, VOID.classes, _count(stats.get("classes", 0))))
    g.add((ds, VOID.properties, _count(stats.get("properties", 0))))
    g.add((ds, VOID.distinctSubjects, _count(stats.get("distinctSubjects", 0))))
    g.add((ds, VOID.distinctObjects, _count(stats.get("distinctObjects", 0))))

    # partitions and linksets are IRIs in this document (no blank nodes), numbered in a stable order
    for n, (cls, entities) in enumerate(facts.classes, 1):
        part = URIRef(f"{document}#class-{n}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _count(entities)))
    for n, (prop, triples) in enumerate(facts.properties, 1):
        part = URIRef(f"{document}#property-{n}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, _count(triples)))
    for n, (prop, triples) in enumerate(facts.sdg_links, 1):
        linkset = URIRef(f"{document}#sdg-links-{n}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, SDG_DATASET))
        g.add((linkset, VOID.linkPredicate, prop))
        g.add((linkset, VOID.triples, _count(triples)))
    for source in facts.graphs:
        g.add((ds, VOID.subset, source.iri))
        g.add((source.iri, RDF.type, VOID.Dataset))
        g.add((source.iri, DCTERMS.title, Literal(source.title_sv, lang="sv")))
        if source.triples is not None:
            g.add((source.iri, VOID.triples, _count(source.triples)))
        for dump in facts.dumps:
            if dump.graph == str(source.iri):
                g.add((source.iri, VOID.dataDump, facts.dump_url(dump)))
    g.add((SDG_DATASET, RDF.type, VOID.Dataset))
    g.add((SDG_DATASET, VOID.uriSpace, Literal("http://metadata.un.org/sdg/")))
    g.add((SDG_DATASET, DCTERMS.title, Literal(
        "A Knowledge Organization System for the United Nations Sustainable Development Goals", lang="en")))
    return g
