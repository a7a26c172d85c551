"""The project's RDF vocabulary: one closed namespace per vocabulary, so a typo is an error.

Every ``KG`` term used in code must be declared in ``ontology/kg.ttl`` (a test checks it).
External vocabularies come from rdflib's own defined namespaces where it has them.
"""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, ClosedNamespace

KG_BASE = "https://w3id.org/newskg/ns#"
ID_BASE = "https://w3id.org/newskg/id/"

CLASSES = [
    "Article", "Entity", "Agent", "Person", "Organisation", "Place", "Evidence", "Mention",
    "LocalAuthority", "Regulator", "ChildrensTrust", "SafeguardingBoard", "GovernmentDepartment",
    "Company", "NewsOrganisation", "School", "Hospital", "HealthBody", "PoliceForce",
    "FireService", "Prison", "CareHome",
    "PoliticalParty", "Court", "Charity", "Parliament", "PublicBody",
    "Post", "Role", "Event", "Inspection", "Appointment", "Resignation", "Takeover",
    "ReportPublication", "Review", "Death", "Conviction", "Reorganisation", "SpendingControl",
    "Intervention",
    "OtherEvent", "Rating", "RatingLevel", "Quote", "Succession", "Figure", "Modality",
    "Correction",
]
PROPERTIES = [
    # provenance
    "evidence", "article", "sentence", "beginIndex", "endIndex", "anchorOf", "refersTo",
    "contentHash", "sourceFile", "extractionRule",
    # posts
    "postTitle", "startDate", "endDate", "postStatus",
    # events
    "date", "agent", "affected", "appointee", "victim", "perpetrator", "place", "modality",
    "trigger",
    # ratings
    "subject", "level", "inspector", "area", "partOf", "resultOf", "rank",
    # quotes
    "speaker", "quoteText",
    # succession
    "successor", "predecessor", "post",
    # figures
    "value", "numericValue", "measure", "qualifier", "unit",
    # entities
    "orgType", "mentionCount",
    # corrections (human decisions)
    "correctionKind", "reason", "correctionDate", "correctionOf", "correctedBy", "targetKey",
    "newLabel", "newType", "stale",
]
INDIVIDUALS = ["Outstanding", "Good", "RequiresImprovement", "Inadequate",
               "Asserted", "Planned", "Proposed", "Reported", "Generic"]

KG = ClosedNamespace(KG_BASE, CLASSES + PROPERTIES + INDIVIDUALS)
ID = Namespace(ID_BASE)
NIF = ClosedNamespace(
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    ["String", "beginIndex", "endIndex", "anchorOf", "referenceContext", "isString"],
)
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"

PREFIXES = {
    "kg": KG_BASE, "id": ID_BASE, "schema": str(SDO), "org": str(ORG), "prov": str(PROV),
    "skos": str(SKOS), "rdfs": str(RDFS), "rdf": str(RDF), "xsd": str(XSD), "owl": str(OWL),
}

__all__ = ["KG", "ID", "NIF", "ORG", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD", "OWL",
           "PREFIXES", "KG_BASE", "ID_BASE"]
