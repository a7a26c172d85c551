"""RDF: resolved facts -> quads under the ontology, one named graph per article.

IRIs are minted from normalised keys (``id/person/malcolm-newsam``), so the same input gives
the same graph and merging graphs is a set union. Corpus-level descriptions of entities go
in the ``id/graph/entities`` graph; everything read from one article (mentions, facts,
evidence) goes in that article's graph, so an article can be replaced on its own.
"""
from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef

from kg.domain.vocab import ID, KG, ORG, PREFIXES, RDF, RDFS, SDO, SKOS, XSD
from kg.model import ArticleFacts
from kg.rdf.corrections import CORRECTIONS_GRAPH, apply_corrections  # noqa: F401
from kg.rdf.facts import FACT_EMITTERS
from kg.rdf.terms import (ENTITY_GRAPH, FACTS_GRAPH, KIND_CLASS, Context, article_graph, article_iri,  # noqa: F401
                          date_literal, entity_iri, fact_iri, org_class, safe)
from kg.resolve import Entity, Resolution, fold, mention_key


def build_dataset(all_facts: list[ArticleFacts], res: Resolution) -> Dataset:
    """The whole corpus as an RDF dataset (entities graph plus one graph per article)."""
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
    apply_corrections(ds, res)
    return ds


def add_entity(g: Graph, ent: Entity) -> None:
    node = entity_iri(ent.key)
    for cls in KIND_CLASS[ent.kind]:
        g.add((node, RDF.type, cls))
    if ent.kind == "PERSON":
        g.add((node, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    if ent.kind == "ORG":
        g.add((node, RDF.type, ORG.Organization))
        if org_class(ent.org_type) is not None:
            g.add((node, RDF.type, org_class(ent.org_type)))
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

