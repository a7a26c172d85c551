"""Corrections in the graph: what a reject takes out, and every correction as a provenance node.

A rejected entity goes with its mentions and every fact it takes part in; a rejected fact with
its evidence. Each correction becomes a ``kg:Correction`` in the ``id/graph/corrections`` named
graph (kind, reason, date, the keys it matches, whether it is stale), and what it changed points
to it with ``kg:correctedBy``, so extracted facts and human decisions are told apart in SPARQL.
"""
from __future__ import annotations

from kg.domain.vocab import ID_BASE, KG_BASE
from kg.rdf.terms import ID, KG, ORG, RDF, RDFS, SDO, XSD, Graph, Literal, Term, entity_iri, iri, named
from kg.resolve import Resolution

CORRECTIONS_GRAPH = iri(ID_BASE + "graph/corrections")


def correction_iri(cid: int) -> Term:
    return ID[f"correction/{cid}"]


def apply_corrections(graphs: dict[Term, Graph], res: Resolution) -> None:
    """Take what the user rejected out of ``graphs`` (graph name -> its triples) and add the
    corrections graph (no-op without corrections).

    Fact rejects that name no fact of this build are added to ``res.stale``."""
    if not res.corrections:
        return
    facts = {c.id: entity_iri(c.key) for c in res.corrections if c.kind == "reject" and c.on_fact}
    typed = {s for g in graphs.values() for s, p, _o in g.triples if p == RDF.type}
    present = {cid for cid, iri in facts.items() if iri in typed}
    res.stale.update(set(facts) - present)
    _remove(graphs, {entity_iri(k) for k in res.rejected}, {facts[cid] for cid in present})
    _add_nodes(graphs, res)


def _remove(graphs: dict[Term, Graph], entities: set[Term], facts: set[Term]) -> None:
    """Remove ``entities`` (with their mentions and every fact they take part in) and ``facts``,
    then the evidence and roles nothing points to any more."""
    if not entities and not facts:
        return
    drop: set = entities | facts
    for g in graphs.values():
        for s, p, o in g.triples:
            if o in entities and p != SDO.mentions:
                drop.add(s)  # a mention of it, or a fact it takes part in
    _drop_triples(graphs, lambda s, o: s in drop or o in drop)
    used = {o for g in graphs.values() for _s, p, o in g.triples if p == KG.evidence or p == ORG.role}
    classes = (KG.Evidence, KG.Role)
    orphans = {s for g in graphs.values() for s, p, o in g.triples if p == RDF.type and o in classes} - used
    _drop_triples(graphs, lambda s, o: s in orphans)


def _drop_triples(graphs: dict[Term, Graph], test) -> None:
    for g in graphs.values():
        g.triples = {t for t in g.triples if not test(t[0], t[2])}


def _add_nodes(graphs: dict[Term, Graph], res: Resolution) -> None:
    g = graphs.setdefault(CORRECTIONS_GRAPH, Graph(CORRECTIONS_GRAPH))
    for c in res.corrections:
        node = correction_iri(c.id)
        g.add((node, RDF.type, KG.Correction))
        g.add((node, RDFS.label, Literal(c.describe())))
        g.add((node, SDO.identifier, Literal(c.id)))
        g.add((node, KG.correctionKind, Literal(c.kind)))
        g.add((node, KG.correctionDate, Literal(c.date, datatype=XSD.date)))
        if c.reason:
            g.add((node, KG.reason, Literal(c.reason)))
        for key in filter(None, (c.key, c.other_key)):
            g.add((node, KG.targetKey, Literal(key)))
            g.add((node, KG.correctionOf, entity_iri(key)))
        if c.label:
            g.add((node, KG.newLabel, Literal(c.label)))
        if c.type:
            g.add((node, KG.newType, named(KG_BASE + c.type)))
        if c.id in res.stale:
            g.add((node, KG.stale, Literal(True)))
            continue
        for key in _changed(c, res):
            g.add((entity_iri(key), KG.correctedBy, node))


def _changed(c, res: Resolution) -> list[str]:
    """The keys of the entities still in the graph that correction ``c`` changed."""
    if c.kind == "reject":
        return []
    keys = [c.key] + ([c.other_key] if c.kind == "distinct" else [])
    out = [res.redirect.get(k, k) for k in keys]
    return [k for k in dict.fromkeys(out) if k in res.entities and k not in res.rejected]
