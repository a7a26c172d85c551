"""RDF terms: IRIs minted from normalised keys, date literals, and the per-article emitting context.

IRIs are minted from normalised keys (``id/person/malcolm-newsam``), so the same input gives
the same graph and merging graphs is a set union. Corpus-level descriptions of entities go
in the ``id/graph/entities`` graph; everything read from one article (mentions, facts,
evidence) goes in that article's graph, so an article can be replaced on its own.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from kg.domain import org_types
from kg.domain.dates import xsd_type
from kg.model import ArticleFacts, Evidence
from kg.resolve.entities import Resolution
from kg.domain.vocab import ID, ID_BASE, KG, RDF, SDO, XSD

ENTITY_GRAPH = URIRef(ID_BASE + "graph/entities")
FACTS_GRAPH = URIRef(ID_BASE + "graph/facts")
KIND_CLASS = {"PERSON": (KG.Person, SDO.Person), "ORG": (KG.Organisation, SDO.Organization),
              "PLACE": (KG.Place, SDO.Place)}

def safe(part: str) -> str:
    """An IRI path segment from any text."""
    return quote(part, safe="-_.~") or "_"


def entity_iri(key: str) -> URIRef:
    """An entity's IRI from its key (``person/jane-doe``); anything unsafe in an IRI is escaped."""
    return ID[quote(key, safe="/-_.~") or "_"]


def article_iri(article_id: str) -> URIRef:
    return ID["article/" + safe(article_id)]


def article_graph(article_id: str) -> URIRef:
    return URIRef(ID_BASE + "graph/article/" + safe(article_id))


def date_literal(iso: str) -> Literal:
    """A date at its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(iso, datatype=XSD[xsd_type(iso)])


def fact_iri(kind: str, *parts: str) -> URIRef:
    """A stable IRI for a fact from the values that identify it."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return ID[f"{kind}/{digest}"]


class Context:
    """Per-article helpers for emitters: evidence nodes and entity lookup.

    ``g`` is the article's graph (what this article says: dates, evidence); ``core`` the
    corpus-level facts graph (what a merged fact is: its type and participants), written once
    however many articles report the fact, so queries over the union never see copies.
    """

    def __init__(self, facts: ArticleFacts, res: Resolution, g: Graph, core: Graph | None = None) -> None:
        self.facts, self.res, self.g = facts, res, g
        self.core = core if core is not None else g
        self.article = article_iri(facts.article.id)

    def evidence(self, ev: Evidence | None, subject: URIRef, rule: str = "") -> None:
        """Attach evidence (article, sentence, span) to a fact node, and the rule that read it."""
        if rule:
            self.g.add((subject, KG.extractionRule, Literal(rule)))
        if ev is None:
            return
        node = ID[f"evidence/{safe(ev.article)}/{ev.start}-{ev.end}"]
        self.g.add((subject, KG.evidence, node))
        self.g.add((node, RDF.type, KG.Evidence))
        self.span(node, ev)

    def span(self, node: URIRef, ev: Evidence) -> None:
        """Write where ``ev`` is (article, offsets, anchor text, sentence) onto ``node``."""
        g = self.g
        g.add((node, KG.article, self.article))
        g.add((node, KG.beginIndex, Literal(ev.start)))
        g.add((node, KG.endIndex, Literal(ev.end)))
        g.add((node, KG.anchorOf, Literal(ev.text)))
        g.add((node, KG.sentence, Literal(ev.sentence)))

    def entity(self, name: str, kind: str = "") -> URIRef | None:
        key = self.res.lookup(name, kind)
        return entity_iri(key) if key else None


def org_class(org_type: str) -> URIRef | None:
    """The ontology class of an organisation type code (None when the domain does not declare it)."""
    typ = org_types().get(org_type)
    return URIRef(typ.iri) if typ else None
