"""Graph: resolved facts -> RDF under the ontology, one named graph per article.

IRIs are minted from normalised keys (``id/person/malcolm-newsam``), so the same input gives
the same graph and merging graphs is a set union. Corpus-level descriptions of entities go
in the ``id/graph/entities`` graph; everything read from one article (mentions, facts,
evidence) goes in that article's graph, so an article can be replaced on its own.
"""
from __future__ import annotations

import hashlib
from typing import Callable
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef

from .dates import xsd_type
from .model import ArticleFacts, Evidence
from .resolve import Entity, Resolution, fold, mention_key
from .vocab import ID, ID_BASE, KG, ORG, PREFIXES, RDF, RDFS, SDO, SKOS, XSD

ENTITY_GRAPH = URIRef(ID_BASE + "graph/entities")
FACTS_GRAPH = URIRef(ID_BASE + "graph/facts")
KIND_CLASS = {"PERSON": (KG.Person, SDO.Person), "ORG": (KG.Organisation, SDO.Organization),
              "PLACE": (KG.Place, SDO.Place)}
ORG_CLASS = {
    "local_authority": KG.LocalAuthority, "regulator": KG.Regulator, "childrens_trust": KG.ChildrensTrust,
    "safeguarding_board": KG.SafeguardingBoard, "government_department": KG.GovernmentDepartment,
    "company": KG.Company, "news_organisation": KG.NewsOrganisation, "school": KG.School,
    "hospital": KG.Hospital, "health_body": KG.HealthBody, "police_force": KG.PoliceForce,
    "political_party": KG.PoliticalParty, "court": KG.Court, "charity": KG.Charity,
    "parliament": KG.Parliament, "public_body": KG.PublicBody, "fire_service": KG.FireService,
    "prison": KG.Prison, "care_home": KG.CareHome,
}

# Fact emitters: (facts, resolution, graph, context) -> None; registered by kg.facts_rdf.
FACT_EMITTERS: list[Callable[["ArticleFacts", Resolution, Graph, "Context"], None]] = []


def safe(part: str) -> str:
    """An IRI path segment from any text."""
    return quote(part, safe="-_.~") or "_"


def entity_iri(key: str) -> URIRef:
    return ID[key]


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


def build_dataset(all_facts: list[ArticleFacts], res: Resolution) -> Dataset:
    """The whole corpus as an RDF dataset (entities graph plus one graph per article)."""
    from . import facts_rdf  # noqa: F401  (registers the fact emitters)

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ent_graph = ds.graph(ENTITY_GRAPH)
    for key in sorted(res.entities):
        add_entity(ent_graph, res.entities[key])
    core = ds.graph(FACTS_GRAPH)
    for facts in sorted(all_facts, key=lambda f: f.article.id):
        g = ds.graph(article_graph(facts.article.id))
        add_article(g, facts, res, core)
    return ds


def add_entity(g: Graph, ent: Entity) -> None:
    node = entity_iri(ent.key)
    for cls in KIND_CLASS[ent.kind]:
        g.add((node, RDF.type, cls))
    if ent.kind == "PERSON":
        g.add((node, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    if ent.kind == "ORG":
        g.add((node, RDF.type, ORG.Organization))
        if ent.org_type in ORG_CLASS:
            g.add((node, RDF.type, ORG_CLASS[ent.org_type]))
            g.add((node, KG.orgType, Literal(ent.org_type)))
    g.add((node, RDFS.label, Literal(ent.label)))
    g.add((node, SDO.name, Literal(ent.label)))
    seen = {fold(ent.label)}
    for alias in sorted(ent.aliases):
        if fold(alias) not in seen:
            seen.add(fold(alias))
            g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((node, KG.mentionCount, Literal(len(ent.articles))))


def add_article(g: Graph, facts: ArticleFacts, res: Resolution, core: Graph | None = None) -> None:
    """The article node, its mentions, and every fact read from it (shared fact triples into ``core``)."""
    art = facts.article
    node = article_iri(art.id)
    g.add((node, RDF.type, KG.Article))
    g.add((node, RDF.type, SDO.NewsArticle))
    g.add((node, SDO.identifier, Literal(art.id)))
    g.add((node, RDFS.label, Literal(art.title or art.id)))
    if art.title:
        g.add((node, SDO.headline, Literal(art.title)))
    if art.published:
        g.add((node, SDO.datePublished, date_literal(art.published)))
    if art.source:
        g.add((node, KG.sourceFile, Literal(art.source)))
    if art.content_hash:
        g.add((node, KG.contentHash, Literal(art.content_hash)))
    if art.url:
        g.add((node, SDO.url, Literal(art.url, datatype=XSD.anyURI)))
    ctx = Context(facts, res, g, core)
    for m in facts.mentions:
        key = mention_key(res, m)
        if key is None or key not in res.entities:
            continue
        ent = entity_iri(key)
        if res.entities[key].kind in ("PERSON", "ORG", "PLACE"):
            g.add((node, SDO.mentions, ent))
        mnode = ID[f"mention/{safe(art.id)}/{m.evidence.start}-{m.evidence.end}"]
        g.add((mnode, RDF.type, KG.Mention))
        g.add((mnode, KG.refersTo, ent))
        ctx.span(mnode, m.evidence)
    for emit in FACT_EMITTERS:
        emit(facts, res, g, ctx)


def union_graph(ds: Dataset) -> Graph:
    """All triples of the dataset in one graph, with the project's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ctx in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g

