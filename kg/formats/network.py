"""The knowledge graph as a networkx graph: entities, events and articles as nodes, relations as edges.

Shared by the HTML renderer and the GraphML/GEXF exports, so both draw the same thing. Every
node and edge attribute is a plain string or int, so any networkx writer can serialise it.

Reading is generic: a node's group comes from its ``rdf:type`` (events by any subclass of
``kg:Event``), any triple between two drawn nodes becomes an edge named after its property,
and the reified facts (posts, ratings, successions) are folded into one labelled edge each.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.domain import event_types
from kg.domain.vocab import KG, ORG, RDF, RDFS, SDO, SKOS

AGENT_GROUPS = ("Person", "Organisation", "Place")
GROUPS: list[tuple[URIRef, str]] = [(KG.Person, "Person"), (KG.Organisation, "Organisation"),
                                    (KG.Place, "Place"), (KG.Event, "Event"), (KG.Article, "Article")]
#: Classes too general to say what kind of thing a node is.
GENERIC = {KG.Person, KG.Organisation, KG.Place, KG.Event, KG.Article, KG.Agent, KG.Entity, ORG.Organization,
           SDO.Organization, SDO.Person, SDO.Place, SDO.NewsArticle, SDO.Event,
           URIRef("http://xmlns.com/foaf/0.1/Person")}
#: Properties never drawn as edges between nodes (structure, not relations).
SKIP_EDGES = {RDF.type, SDO.mentions, KG.evidence, KG.refersTo, KG.article, KG.modality}
MENTIONS = "mentions"
REPORTS = "reports"


def local_name(iri: object) -> str:
    """The last segment of an IRI (after ``#`` or ``/``)."""
    return re.split(r"[#/]", str(iri))[-1]


def humanise(name: str) -> str:
    """``ReportPublication`` or ``report_publication`` -> ``report publication``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").lower()


def first(g: Graph, node: Node, *props: URIRef) -> str:
    """The smallest value of the first of ``props`` that ``node`` has, or "" (deterministic)."""
    for p in props:
        values = sorted(str(v) for v in g.objects(node, p))
        if values:
            return values[0]
    return ""


def label_of(g: Graph, node: Node) -> str:
    """``rdfs:label``, else ``schema:name``, else the IRI's last segment."""
    return first(g, node, RDFS.label, SDO.name) or local_name(node)


def event_classes(g: Graph) -> set[Node]:
    """kg:Event, the event classes the domain declares, and any subclass the graph itself declares."""
    classes: set[Node] = {KG.Event, *(URIRef(t.iri) for t in event_types().values())}
    frontier = list(classes)
    while frontier:
        for sub in g.subjects(RDFS.subClassOf, frontier.pop()):
            if sub not in classes:
                classes.add(sub)
                frontier.append(sub)
    return classes


def group_of(types: set[Node], events: set[Node]) -> str:
    """The top-level group (Person, Organisation, Place, Event, Article) of a node, or ""."""
    for cls, name in GROUPS:
        if cls in types or (name == "Event" and types & events):
            return name
    return ""


def kind_of(g: Graph, node: Node, types: set[Node]) -> str:
    """The most specific class name (``regulator``, ``inspection``), or ``kg:orgType``."""
    org_type = g.value(node, KG.orgType)
    if org_type is not None:
        return humanise(str(org_type))
    specific = sorted(str(t) for t in types if t not in GENERIC)
    return humanise(local_name(specific[0])) if specific else ""


def date_of(g: Graph, node: Node, *props: URIRef) -> str:
    """The earliest date ``node`` has under the first of ``props`` it uses.

    A merged fact may carry one date at several precisions ("2016", "2016-04-27"): the most
    precise wins.
    """
    for p in props:
        values = {str(v) for v in g.objects(node, p)}
        precise = sorted(v for v in values if not any(o != v and o.startswith(v) for o in values))
        if precise:
            return precise[0]
    return ""


def event_label(g: Graph, node: Node, kind: str, date: str) -> str:
    """``inspection 2019-07``; undated: ``inspection (focused visit)`` from the trigger word."""
    kind = kind or "event"
    if date:
        return f"{kind} {date}"
    trigger = first(g, node, KG.trigger)
    return f"{kind} ({trigger})" if trigger and trigger.casefold() != kind.casefold() else kind


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Nodes carry ``label``, ``cls``, ``kind``, ``mentions``, ``aliases``, ``date``; edges ``relation``, ``kind``.

    ``aliases`` is one string joined by ``"; "``; edge ``kind`` is ``mention`` (an article
    mentions or reports a node) or ``fact`` (a relation read from the text).
    """
    nxg = nx.MultiDiGraph()
    events = event_classes(g)
    candidates = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for node in sorted(candidates):
        types = set(g.objects(node, RDF.type))
        cls = group_of(types, events)
        if not cls:
            continue
        attrs = {"label": label_of(g, node), "cls": cls, "kind": kind_of(g, node, types),
                 "mentions": int(g.value(node, KG.mentionCount) or 0),
                 "aliases": "; ".join(sorted({str(a) for a in g.objects(node, SKOS.altLabel)})),
                 "date": date_of(g, node, KG.date, SDO.datePublished)}
        if cls == "Event":
            attrs["label"] = event_label(g, node, attrs["kind"], attrs["date"])
        nxg.add_node(str(node), **attrs)
    for art, ent in sorted(g.subject_objects(SDO.mentions)):
        _edge(nxg, art, ent, MENTIONS, "mention")
    for s in list(nxg):
        for p, o in sorted(g.predicate_objects(URIRef(s))):
            if p not in SKIP_EDGES and isinstance(o, URIRef) and str(o) in nxg:
                _edge(nxg, s, o, humanise(local_name(p)), "fact")
    for s in sorted(nxg):
        if nxg.nodes[s]["cls"] == "Event":
            for art in sorted({g.value(ev, KG.article) for ev in g.objects(URIRef(s), KG.evidence)} - {None}):
                _edge(nxg, art, s, REPORTS, "mention")
    for rel in folded_relations(g):
        _edge(nxg, rel.source, rel.target, rel.relation, "fact")
    return nxg


@dataclass
class Relation:
    """A reified fact (post, rating, succession) folded into one edge."""

    source: Node
    target: Node
    relation: str


def folded_relations(g: Graph) -> Iterable[Relation]:
    """Posts (person -> organisation), ratings (inspector -> subject), successions."""
    for post in sorted(set(g.subjects(RDF.type, KG.Post))):
        person, org = g.value(post, ORG.member), g.value(post, ORG.organization)
        if person is not None and org is not None:
            yield Relation(person, org, post_title(g, post) or "post")
    for r in sorted(set(g.subjects(RDF.type, KG.Rating))):
        insp, subj = g.value(r, KG.inspector), g.value(r, KG.subject)
        if insp is not None and subj is not None:
            yield Relation(insp, subj, " ".join(filter(None, ["rated", level_of(g, r), date_of(g, r, KG.date)])))
    for s in sorted(set(g.subjects(RDF.type, KG.Succession))):
        new, old = g.value(s, KG.successor), g.value(s, KG.predecessor)
        if new is not None and old is not None:
            yield Relation(new, old, "succeeded")


def post_title(g: Graph, post: Node) -> str:
    """A post's role label, else its title as written."""
    role = g.value(post, ORG.role)
    if role is not None:
        return label_of(g, role)
    return str(g.value(post, KG.postTitle) or "")


def level_of(g: Graph, rating: Node) -> str:
    level = g.value(rating, KG.level)
    return label_of(g, level) if level is not None else ""


def _edge(nxg: nx.MultiDiGraph, a: object, b: object, relation: str, kind: str) -> None:
    if str(a) in nxg and str(b) in nxg and str(a) != str(b):
        nxg.add_edge(str(a), str(b), key=relation, relation=relation, kind=kind)


# ---------------------------------------------------------------- details for tooltips and panels

@dataclass
class Details:
    """What a tooltip says about one node; every string is article data (escape it)."""

    posts: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    quotes: list[dict[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)
    evidence_total: int = 0
    url: str = ""
    facts: list[dict[str, str]] = field(default_factory=list)  # {kind, text, iri}: what 'kg correct reject' can name


def _article_name(g: Graph, art: Node | None, cache: dict[Node, str]) -> str:
    if art is None:
        return ""
    if art not in cache:
        title = g.value(art, SDO.headline) or g.value(art, RDFS.label) or g.value(art, SDO.identifier)
        cache[art] = str(title) if title is not None else local_name(art)
    return cache[art]


def _evidence_entry(g: Graph, ev: Node, names: dict[Node, str]) -> tuple[tuple[str, int], dict[str, str]] | None:
    """(sort key, {sentence, article}) for an evidence or mention node with a sentence."""
    sentence = g.value(ev, KG.sentence)
    if sentence is None:
        return None
    article = _article_name(g, g.value(ev, KG.article), names)
    begin = g.value(ev, KG.beginIndex)
    return (article, int(begin) if begin is not None else 0), {"sentence": str(sentence), "article": article}


def _evidence_of(g: Graph, node: Node, names: dict[Node, str]) -> list[tuple[tuple[str, int], dict[str, str]]]:
    return [e for e in (_evidence_entry(g, ev, names) for ev in g.objects(node, KG.evidence)) if e]


def safe_url(value: object) -> str:
    """An http(s) URL, or "" (a ``javascript:`` URL from an article must never become a link)."""
    text = str(value or "").strip()
    return text if re.match(r"https?://", text, re.I) and not re.search(r"[\s\"'<>]", text) else ""


def details(g: Graph, nodes: Iterable[str], max_evidence: int = 15) -> dict[str, Details]:
    """Posts, ratings, quotes and evidence sentences (with article names) for ``nodes``.

    Evidence is the node's mentions plus the evidence of its facts, each sentence once, in
    article order; at most ``max_evidence`` are kept (``evidence_total`` counts them all).
    """
    wanted = set(nodes)
    out: dict[str, Details] = {n: Details(url=safe_url(g.value(URIRef(n), SDO.url))) for n in wanted}
    names: dict[Node, str] = {}
    evidence: dict[str, list[tuple[tuple[str, int], dict[str, str]]]] = defaultdict(list)
    for m in g.subjects(RDF.type, KG.Mention):
        ent = str(g.value(m, KG.refersTo))
        entry = _evidence_entry(g, m, names) if ent in wanted else None
        if entry:
            evidence[ent].append(entry)
    for n in wanted:
        evidence[n].extend(_evidence_of(g, URIRef(n), names))
    _posts(g, wanted, out)
    for r in sorted(set(g.subjects(RDF.type, KG.Rating))):
        subj, insp = g.value(r, KG.subject), g.value(r, KG.inspector)
        area = str(g.value(r, KG.area) or "")
        text = " ".join(filter(None, [level_of(g, r) or "rated", f"({area})" if area else "", date_of(g, r, KG.date)]))
        if str(subj) in wanted:
            out[str(subj)].ratings.append(text + (f", by {label_of(g, insp)}" if insp is not None else ""))
            out[str(subj)].facts.append({"kind": "rating", "text": text, "iri": str(r)})
        if insp is not None and str(insp) in wanted and subj is not None:
            out[str(insp)].ratings.append(f"{label_of(g, subj)}: {text}")
            out[str(insp)].facts.append({"kind": "rating", "text": f"{label_of(g, subj)}: {text}", "iri": str(r)})
        for key in {str(subj), str(insp)} & wanted:
            evidence[key].extend(_evidence_of(g, r, names))
    for q in sorted(set(g.subjects(RDF.type, KG.Quote))):
        speaker, text = str(g.value(q, KG.speaker)), g.value(q, KG.quoteText)
        if speaker in wanted and text is not None:
            src = sorted(_evidence_of(g, q, names), key=lambda e: (e[0], sorted(e[1].items())))
            out[speaker].quotes.append({"text": str(text), "article": src[0][1]["article"] if src else ""})
            out[speaker].facts.append({"kind": "quote", "text": str(text), "iri": str(q)})
    for n, entries in evidence.items():
        # total order (position, then the entry's own text), so equal positions never tie
        def order(x: tuple[tuple[str, int], dict[str, str]]) -> tuple:
            return (x[0], sorted(x[1].items()))

        unique = {(e["sentence"], e["article"]): (key, e) for key, e in sorted(entries, key=order, reverse=True)}
        ordered = [e for _, e in sorted(unique.values(), key=order)]
        out[n].evidence_total = len(ordered)
        out[n].evidence = ordered[:max_evidence]
    return out


def _posts(g: Graph, wanted: set[str], out: dict[str, Details]) -> None:
    """Each post in its holder's details ("title, organisation") and its organisation's."""
    for post in sorted(set(g.subjects(RDF.type, KG.Post))):
        person, org = g.value(post, ORG.member), g.value(post, ORG.organization)
        title = post_title(g, post) or "post"
        span = "\u2013".join(filter(None, [date_of(g, post, KG.startDate), date_of(g, post, KG.endDate)]))
        extra = ", ".join(filter(None, [first(g, post, KG.postStatus), span]))
        suffix = f" ({extra})" if extra else ""
        if str(person) in wanted:
            text = title + (", " + label_of(g, org) if org is not None else "") + suffix
            out[str(person)].posts.append(text)
            out[str(person)].facts.append({"kind": "post", "text": text, "iri": str(post)})
        if org is not None and str(org) in wanted and person is not None:
            out[str(org)].posts.append(label_of(g, person) + ", " + title + suffix)
            out[str(org)].facts.append({"kind": "post", "text": label_of(g, person) + ", " + title + suffix,
                                        "iri": str(post)})
