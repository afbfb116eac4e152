"""The Spårbar ontology (OWL) and controlled lists (SKOS) as Turtle files, with their IRIs."""

from pathlib import Path

ONTOLOGY_PATH = Path(__file__).with_name("sparbar.ttl")
KOS_PATH = Path(__file__).with_name("kos.ttl")

ONTOLOGY_IRI = "https://w3id.org/sparbar/def"
NAMESPACE = "https://w3id.org/sparbar/def#"
KOS_NAMESPACE = "https://w3id.org/sparbar/kos/"
