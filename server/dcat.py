"""The DCAT-AP-SE 3.0.1 catalogue served at /datasets/dcat, where dataportal.se harvests by default.

Every node is an IRI (dataportal.se refuses blank nodes for catalogue, datasets, distributions, publisher and
contact point; the checksums get IRIs too). Controlled-vocabulary values carry their class, as DCAT-AP's SHACL
range checks expect. Formats are EU file-type IRIs, media types IANA IRIs.
"""

from __future__ import annotations

import re

from rdflib import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD, Graph, Literal, Namespace, URIRef

from graph.dumps import Dump
from server.dataset_facts import DatasetFacts

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE_SWE = URIRef(EU + "language/SWE")
LANGUAGE_ENG = URIRef(EU + "language/ENG")
THEMES = URIRef(EU + "data-theme")
THEME_REGIONS = URIRef(EU + "data-theme/REGI")  # "Regions and cities"
ACCESS_PUBLIC = URIRef(EU + "access-right/PUBLIC")
AVAILABLE = URIRef(EU + "planned-availability/AVAILABLE")  # medium term: a deployment's lifetime is not ours to promise
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
_FILE_TYPE = {"nq": FILE_TYPE.RDF_N_QUADS, "trig": FILE_TYPE.RDF_TRIG}
_FORMAT_NAME = {"nq": "N-Quads", "trig": "TriG"}
# labels of the ADMS publisher types (sv, en), as the DCAT-AP-SE 3.0.1 profile gives them
PUBLISHER_TYPE_LABELS = {
    "Academia-ScientificOrganisation": ("Akademia/Vetenskaplig organisation", "Academia/Scientific organisation"),
    "Company": ("Företag", "Company"),
    "IndustryConsortium": ("Industrikonsortium", "Industry consortium"),
    "LocalAuthority": ("Lokal myndighet/kommun", "Local Authority"),
    "NationalAuthority": ("Nationell myndighet", "National authority"),
    "NonGovernmentalOrganisation": ("Icke-statlig organisation", "Non-Governmental Organisation"),
    "NonProfitOrganisation": ("Ej vinstdrivande organisation", "Non-Profit Organisation"),
    "PrivateIndividual(s)": ("Privatperson(er)", "Private Individual(s)"),
    "RegionalAuthority": ("Regional myndighet/landsting", "Regional authority"),
    "StandardisationBody": ("Standardiseringsorganisation", "Standardisation body"),
    "SupraNationalAuthority": ("Över-/mellanstatlig myndighet", "Supra-national authority"),
}


def publisher_iri(facts: DatasetFacts, catalogue: str) -> URIRef:
    """dataportal.se's organisation IRI when the organisation number is known, else the configured IRI."""
    region = facts.region
    if region.publisher_org_number:
        return URIRef("http://dataportal.se/organisation/SE" + re.sub(r"\D", "", region.publisher_org_number))
    return URIRef(region.publisher_iri or catalogue + "#publisher")


def catalogue_graph(facts: DatasetFacts, catalogue_url: str) -> Graph:
    """`catalogue_url` is the catalogue document's IRI (<base>datasets/dcat); its parts are fragments of it."""
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("spdx", SPDX),
                       ("dcatap", DCATAP), ("skos", SKOS)):
        g.bind(prefix, ns)
    region = facts.region
    cat = URIRef(catalogue_url + "#catalog")
    pub = publisher_iri(facts, catalogue_url)
    licence = URIRef(region.licence)
    contact = URIRef(catalogue_url + "#contact") if region.contact_email else None
    modified = Literal(str(facts.modified), datatype=XSD.dateTime) if facts.modified is not None else None

    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(f"Spårbar – {region.name}", lang="sv")))
    g.add((cat, DCTERMS.title, Literal(f"Spårbar – {region.name}", lang="en")))
    g.add((cat, DCTERMS.description, Literal(
        f"Datakatalog för Spårbar: {region.name}s regionala utvecklingsarbete som länkade öppna data.", lang="sv")))
    g.add((cat, DCTERMS.description, Literal(
        f"Data catalogue of Spårbar: the regional development work of {region.name} as linked open data.",
        lang="en")))
    g.add((cat, DCTERMS.publisher, pub))
    g.add((cat, DCTERMS.license, licence))
    g.add((cat, FOAF.homepage, URIRef(facts.public_url)))
    g.add((cat, DCTERMS.language, LANGUAGE_SWE))
    g.add((cat, DCAT.themeTaxonomy, THEMES))
    if modified is not None:
        g.add((cat, DCTERMS.modified, modified))

    _agent(g, pub, facts)
    if contact is not None:
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))  # stated, as SHACL checks classes without inference
        g.add((contact, VCARD.fn, Literal(region.publisher)))
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + str(region.contact_email))))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((LANGUAGE_SWE, RDF.type, DCTERMS.LinguisticSystem))
    g.add((LANGUAGE_ENG, RDF.type, DCTERMS.LinguisticSystem))
    g.add((THEMES, RDF.type, SKOS.ConceptScheme))
    g.add((THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((THEME_REGIONS, RDF.type, SKOS.Concept))
    g.add((THEME_REGIONS, SKOS.prefLabel, Literal("Regioner och städer", lang="sv")))
    g.add((THEME_REGIONS, SKOS.prefLabel, Literal("Regions and cities", lang="en")))
    g.add((THEME_REGIONS, SKOS.inScheme, THEMES))
    g.add((ACCESS_PUBLIC, RDF.type, DCTERMS.RightsStatement))
    g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))

    # the SPARQL endpoint
    service = URIRef(catalogue_url + "#sparql")
    g.add((cat, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal(f"SPARQL-ändpunkt för Spårbar – {region.name}", lang="sv")))
    g.add((service, DCTERMS.title, Literal(f"SPARQL endpoint of Spårbar – {region.name}", lang="en")))
    g.add((service, DCTERMS.description, Literal(
        "Öppen, skrivskyddad SPARQL 1.1-ändpunkt över hela kunskapsgrafen.", lang="sv")))
    g.add((service, DCAT.endpointURL, facts.sparql_endpoint))
    g.add((service, DCAT.endpointDescription, facts.sparql_endpoint))  # GET without a query: the Service Description
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    g.add((service, DCTERMS.format, FILE_TYPE.SPARQLQ))
    g.add((FILE_TYPE.SPARQLQ, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((service, DCTERMS.publisher, pub))
    g.add((service, DCTERMS.license, licence))
    g.add((service, DCTERMS.accessRights, ACCESS_PUBLIC))
    g.add((service, DCAT.servesDataset, facts.dataset))
    if contact is not None:
        g.add((service, DCAT.contactPoint, contact))

    # the whole knowledge graph, and each named graph as a part of it
    whole = facts.dataset
    _dataset(g, facts, cat, whole, pub, contact, modified,
             f"Spårbar – {region.name}", f"Spårbar – {region.name}",
             f"{region.name}s regionala utvecklingsarbete som en länkad kunskapsgraf: insatser och aktiviteter med "
             "finansiering och resultat, styrdokument, RUS målområden och delmål, spårbart upp till Agenda 2030:s "
             "mål och delmål.",
             f"The regional development work of {region.name} as a linked knowledge graph: interventions and "
             "activities with funding and results, steering documents, RUS focus areas and sub-goals, traceable "
             "up to the goals and targets of Agenda 2030.")
    sparql_dist = URIRef(catalogue_url + "#distribution-sparql")
    g.add((whole, DCAT.distribution, sparql_dist))
    g.add((sparql_dist, RDF.type, DCAT.Distribution))
    g.add((sparql_dist, DCTERMS.title, Literal("SPARQL-ändpunkt", lang="sv")))
    g.add((sparql_dist, DCTERMS.description, Literal("Frågor mot hela grafen med SPARQL 1.1.", lang="sv")))
    g.add((sparql_dist, DCAT.accessURL, facts.sparql_endpoint))
    g.add((sparql_dist, DCAT.accessService, service))
    g.add((sparql_dist, DCTERMS.format, FILE_TYPE.SPARQLQ))
    g.add((sparql_dist, DCTERMS.license, licence))
    for dump in facts.dumps:
        if dump.graph is None:
            _dump_distribution(g, facts, catalogue_url, whole, dump, licence)
    for source in facts.graphs:
        part = source.iri
        g.add((whole, DCTERMS.hasPart, part))
        note_sv = " Exempeldata: illustrativa uppgifter, inte regionens beslut." if source.example else ""
        note_en = " Example data: illustrative, not the region's decisions." if source.example else ""
        _dataset(g, facts, cat, part, pub, contact, source.generated,
                 source.title_sv, source.title_en,
                 f"Den namngivna grafen <{part}> i Spårbar, inläst från {source.source_path}.{note_sv}",
                 f"The named graph <{part}> of Spårbar, loaded from {source.source_path}.{note_en}")
        g.add((part, DCTERMS.isPartOf, whole))
        for dump in facts.dumps:
            if dump.graph == str(part):
                _dump_distribution(g, facts, catalogue_url, part, dump, licence)
    return g


def _agent(g: Graph, pub: URIRef, facts: DatasetFacts) -> None:
    region = facts.region
    g.add((pub, RDF.type, FOAF.Agent))
    g.add((pub, RDF.type, FOAF.Organization))
    g.add((pub, FOAF.name, Literal(region.publisher, lang="sv")))
    publisher_type = URIRef(region.publisher_type)
    g.add((pub, DCTERMS.type, publisher_type))
    g.add((publisher_type, RDF.type, SKOS.Concept))
    labels = PUBLISHER_TYPE_LABELS.get(str(publisher_type).rsplit("/", 1)[-1])
    if labels is not None:
        g.add((publisher_type, SKOS.prefLabel, Literal(labels[0], lang="sv")))
        g.add((publisher_type, SKOS.prefLabel, Literal(labels[1], lang="en")))
    if region.publisher_org_number:
        g.add((pub, DCTERMS.identifier, Literal(re.sub(r"\D", "", region.publisher_org_number))))


def _dataset(g: Graph, facts: DatasetFacts, cat: URIRef, ds: URIRef, pub: URIRef, contact: URIRef | None,
             modified: Literal | None, title_sv: str, title_en: str, description_sv: str,
             description_en: str) -> None:
    g.add((cat, DCAT.dataset, ds))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(title_sv, lang="sv")))
    g.add((ds, DCTERMS.title, Literal(title_en, lang="en")))
    g.add((ds, DCTERMS.description, Literal(description_sv, lang="sv")))
    g.add((ds, DCTERMS.description, Literal(description_en, lang="en")))
    g.add((ds, DCTERMS.publisher, pub))
    g.add((ds, DCTERMS.accessRights, ACCESS_PUBLIC))
    g.add((ds, DCAT.theme, THEME_REGIONS))
    g.add((ds, DCTERMS.language, LANGUAGE_SWE))
    g.add((ds, DCTERMS.language, LANGUAGE_ENG))
    for keyword_sv in ("regional utveckling", "Agenda 2030", "länkade data"):
        g.add((ds, DCAT.keyword, Literal(keyword_sv, lang="sv")))
    g.add((ds, DCAT.keyword, Literal("regional development", lang="en")))
    g.add((ds, DCAT.landingPage, URIRef(facts.public_url)))
    g.add((URIRef(facts.public_url), RDF.type, FOAF.Document))
    if modified is not None:
        g.add((ds, DCTERMS.modified, Literal(str(modified), datatype=XSD.dateTime)))
    if contact is not None:
        g.add((ds, DCAT.contactPoint, contact))


def _dump_distribution(g: Graph, facts: DatasetFacts, catalogue_url: str, ds: URIRef, dump: Dump,
                       licence: URIRef) -> None:
    dist = URIRef(catalogue_url + "#dump-" + dump.name.replace("/", "-"))
    url = facts.dump_url(dump)
    checksum = URIRef(str(dist) + "-sha1")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(f"Dump som {_FORMAT_NAME[dump.syntax]} (gzip)", lang="sv")))
    g.add((dist, DCTERMS.title, Literal(f"Dump as {_FORMAT_NAME[dump.syntax]} (gzip)", lang="en")))
    g.add((dist, DCTERMS.description, Literal(
        f"Hela innehållet som {_FORMAT_NAME[dump.syntax]}, gzip-komprimerat; byggs om när data ändras.", lang="sv")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCTERMS.format, _FILE_TYPE[dump.syntax]))
    g.add((_FILE_TYPE[dump.syntax], RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((dist, DCAT.mediaType, IANA[dump.media_type]))
    g.add((IANA[dump.media_type], RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.compressFormat, IANA["application/gzip"]))
    g.add((IANA["application/gzip"], RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.byteSize, Literal(dump.byte_size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, licence))
    g.add((dist, DCATAP.availability, AVAILABLE))
    g.add((AVAILABLE, RDF.type, SKOS.Concept))
    g.add((AVAILABLE, SKOS.prefLabel, Literal("Tillgänglig", lang="sv")))
    g.add((AVAILABLE, SKOS.prefLabel, Literal("Available", lang="en")))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha1))
    g.add((SPDX.checksumAlgorithm_sha1, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha1, datatype=XSD.hexBinary)))
