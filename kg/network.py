"""The knowledge graph as a networkx graph: entities, articles and events as nodes, relations as edges.

Shared by the HTML renderer and the GraphML/GEXF exports, so both draw the same thing.
"""
from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef

from .vocab import KG, ORG, RDF, RDFS, SDO

CLASS_OF = [(KG.Person, "Person"), (KG.Organisation, "Organisation"), (KG.Place, "Place"),
            (KG.Article, "Article"), (KG.Event, "Event")]


def _label(g: Graph, node: URIRef) -> str:
    return str(g.value(node, RDFS.label) or node.split("/")[-1])


def _cls(g: Graph, node: URIRef) -> str:
    types = set(g.objects(node, RDF.type))
    return next((name for cls, name in CLASS_OF if cls in types), "")


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Nodes carry ``label``, ``cls`` and ``mentions``; edges carry ``relation``."""
    nxg = nx.MultiDiGraph()
    for cls, name in CLASS_OF:
        for node in sorted(set(g.subjects(RDF.type, cls))):
            attrs = {"label": _label(g, node), "cls": name,
                     "mentions": int(g.value(node, KG.mentionCount) or 0),
                     "aliases": sorted(str(a) for a in g.objects(node, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))}
            if name == "Organisation":
                attrs["org_type"] = str(g.value(node, KG.orgType) or "")
            nxg.add_node(str(node), **attrs)
    for art, ent in sorted(g.subject_objects(SDO.mentions)):
        _edge(nxg, art, ent, "mentions")
    for post in sorted(set(g.subjects(RDF.type, KG.Post))):
        person, org_ = g.value(post, ORG.member), g.value(post, ORG.organization)
        role = g.value(g.value(post, ORG.role), RDFS.label) if g.value(post, ORG.role) else ""
        if person is not None and org_ is not None:
            _edge(nxg, person, org_, str(role or "post"))
    for prop in (KG.agent, KG.affected, KG.appointee, KG.victim, KG.perpetrator):
        for ev, who in sorted(g.subject_objects(prop)):
            _edge(nxg, ev, who, prop.split("#")[-1])
    for r in sorted(set(g.subjects(RDF.type, KG.Rating))):
        insp, subj, lvl = g.value(r, KG.inspector), g.value(r, KG.subject), g.value(r, KG.level)
        if insp is not None and subj is not None:
            _edge(nxg, insp, subj, "rated " + (str(g.value(lvl, RDFS.label)) if lvl else ""))
    for s in sorted(set(g.subjects(RDF.type, KG.Succession))):
        a, b = g.value(s, KG.successor), g.value(s, KG.predecessor)
        if a is not None and b is not None:
            _edge(nxg, a, b, "replaced")
    return nxg


def _edge(nxg: nx.MultiDiGraph, a: object, b: object, relation: str) -> None:
    if str(a) in nxg and str(b) in nxg:
        nxg.add_edge(str(a), str(b), key=relation, relation=relation)
