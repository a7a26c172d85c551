"""RDF: resolved facts -> quads under the ontology, one named graph per article.

IRIs are minted from normalised keys (``id/person/malcolm-newsam``), so the same input gives
the same graph and merging graphs is a set union. Corpus-level descriptions of entities go
in the ``id/graph/entities`` graph; everything read from one article (mentions, facts,
evidence) goes in that article's graph, so an article can be replaced on its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from kg.domain.vocab import ID_BASE, PREFIXES
from kg.model import ArticleFacts
from kg.rdf.corrections import CORRECTIONS_GRAPH, apply_corrections  # noqa: F401
from kg.rdf.facts import FACT_EMITTERS
from kg.rdf.terms import (ENTITY_GRAPH, FACTS_GRAPH, FOAF_PERSON, KG, KIND_CLASS, ORG, RDF, RDFS, SDO,  # noqa: F401
                          SKOS, XSD, Context, Graph, Literal, Term, article_graph, article_iri, date_literal,
                          entity_iri, fact_iri, iri, iri_value, org_class, safe, same_answers)
from kg.resolve import Entity, Resolution, fold, mention_key

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib import Graph as RdflibGraph


def build_graphs(all_facts: list[ArticleFacts], res: Resolution) -> dict[Term, Graph]:
    """The whole corpus as named graphs of terms: the entities graph, the corpus-level facts
    graph, one graph per article and (with corrections) the corrections graph."""
    graphs: dict[Term, Graph] = {}
    ent_graph = graphs[ENTITY_GRAPH] = Graph(ENTITY_GRAPH)
    for key in sorted(res.entities):
        add_entity(ent_graph, res.entities[key])
    core = graphs[FACTS_GRAPH] = Graph(FACTS_GRAPH)
    for facts in sorted(all_facts, key=lambda f: f.article.id):
        name = article_graph(facts.article.id)
        g = graphs[name] = Graph(name)
        add_article(g, facts, res, core)
    apply_corrections(graphs, res)
    return graphs


class Emitted:
    """What one article contributes to the store: its own graph, its share of the corpus-level
    facts graph, and the questions it asked of the resolution with their answers."""

    __slots__ = ("graph", "core", "log")

    def __init__(self, graph: Graph, core: Graph, log: list) -> None:
        self.graph, self.core, self.log = graph, core, log


def packed(e: Emitted) -> bytes:
    """An article's share of the facts graph (N-Triples lines) and its question log, pickled and
    compressed: a few kB an article, for the state an incremental build reads (see :mod:`kg.update`)."""
    import pickle
    import zlib

    return zlib.compress(pickle.dumps(("\n".join(e.core.lines()), e.log), protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> tuple[list[str], list]:
    """:func:`packed`'s facts-graph lines and question log."""
    import pickle
    import zlib

    core, log = pickle.loads(zlib.decompress(data))
    return (core.split("\n") if core else []), log


def emit_article(facts: ArticleFacts, res: Resolution) -> Emitted:
    """One article's quads (no corrections: they look across graphs)."""
    g, core, log = Graph(article_graph(facts.article.id)), Graph(FACTS_GRAPH), []
    add_article(g, facts, res, core, log)
    return Emitted(g, core, log)


def entity_graph(res: Resolution) -> Graph:
    g = Graph(ENTITY_GRAPH)
    for key in sorted(res.entities):
        add_entity(g, res.entities[key])
    return g


def write_nquads(all_facts: list[ArticleFacts], res: Resolution, out: BinaryIO,
                 union: BinaryIO | None = None, record: dict | None = None) -> None:
    """Every quad of the corpus as N-Quads (named graphs only, in no particular order), written as
    each article's graph is made, so no more than one article's graph is held at a time (all of
    them with corrections, which look across graphs); ``union`` gets the same triples as
    N-Triples (a triple in several graphs comes several times).

    ``record`` (without corrections) receives what an incremental build needs later: under
    "articles", each article id -> its share of the facts graph and its question log
    (:func:`packed`); under "entities", the entities graph's N-Triples lines."""
    def put(g: Graph) -> None:
        out.write(g.nquads().encode("utf-8"))
        if union is not None:
            union.write(g.ntriples().encode("utf-8"))

    if res.corrections:
        for g in build_graphs(all_facts, res).values():
            put(g)
        return
    ent_graph = entity_graph(res)
    put(ent_graph)
    if record is not None:
        record["entities"] = ent_graph.lines()
        arts = record["articles"] = {}
    del ent_graph
    core = Graph(FACTS_GRAPH)
    for facts in sorted(all_facts, key=lambda f: f.article.id):
        e = emit_article(facts, res)
        put(e.graph)
        core.triples |= e.core.triples
        if record is not None:
            arts[facts.article.id] = packed(e)
    put(core)


def nquads(all_facts: list[ArticleFacts], res: Resolution) -> bytes:
    """:func:`write_nquads` into bytes."""
    import io

    buf = io.BytesIO()
    write_nquads(all_facts, res, buf)
    return buf.getvalue()


def build_dataset(all_facts: list[ArticleFacts], res: Resolution) -> "Dataset":
    """The whole corpus as an rdflib Dataset (for views and tests that want rdflib; the build does not)."""
    from rdflib import Dataset

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    data = nquads(all_facts, res)
    if data:
        ds.parse(data=data, format="nquads")
    return ds


def add_entity(g: Graph, ent: Entity) -> None:
    node = entity_iri(ent.key)
    for cls in KIND_CLASS[ent.kind]:
        g.add((node, RDF.type, cls))
    if ent.kind == "PERSON":
        g.add((node, RDF.type, FOAF_PERSON))
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


def add_article(g: Graph, facts: ArticleFacts, res: Resolution, core: Graph | None = None,
                log: list | None = None) -> None:
    """The article node, its mentions, and every fact read from it (shared fact triples into
    ``core``); with ``log``, every question asked of the resolution and its answer (see
    :class:`~kg.rdf.terms.Context`)."""
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
    ctx = Context(facts, res, g, core, log)
    for i, m in enumerate(facts.mentions):
        key, kind = ctx.mention(i)
        if key is None or kind is None:
            continue
        ent = entity_iri(key)
        if kind in ("PERSON", "ORG", "PLACE"):
            g.add((node, SDO.mentions, ent))
        mnode = f"<{ID_BASE}mention/{safe(art.id)}/{m.evidence.start}-{m.evidence.end}>"
        g.add((mnode, RDF.type, KG.Mention))
        g.add((mnode, KG.refersTo, ent))
        ctx.span(mnode, m.evidence)
    for emit in FACT_EMITTERS:
        emit(facts, res, g, ctx)


def union_graph(ds: "Dataset") -> "RdflibGraph":
    """All triples of an rdflib dataset in one rdflib graph, with the project's prefixes bound."""
    from rdflib import Graph as RdflibGraph

    g = RdflibGraph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ctx in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g

