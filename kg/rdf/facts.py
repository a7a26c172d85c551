"""Facts -> RDF: posts (W3C ORG), events, ratings, quotes, successions and figures, each with evidence.

Registered as emitters of :mod:`kg.graph`; each writes one article's facts into that article's
named graph. Merged facts (the same event in several articles) share one IRI from
:mod:`kg.merge`, and each article adds its own date and evidence to it.
"""
from __future__ import annotations

from kg.domain import class_map, event_types, load_json
from kg.rdf.terms import (ID, KG, ORG, RDF, RDFS, SKOS, XSD, Context, Graph, Literal, Term, date_literal,
                          fact_iri, iri_value, named, safe)
from kg.model import ArticleFacts
from kg.resolve.entities import Resolution, words
from kg.domain.vocab import KG_BASE



def event_class(code: str) -> Term:
    """The ontology class of an event type (``kg:OtherEvent`` for a code the domain does not declare)."""
    typ = event_types().get(code)
    return named(typ.iri) if typ else KG.OtherEvent


def role_property(role: str) -> Term:
    """The property linking an event to a participant in ``role`` (``kg:affected`` when unknown)."""
    prop = load_json("facts.json")["event_roles"].get(role)
    return named(KG_BASE + prop) if prop else KG.affected


def number_literal(x: float) -> Term:
    """xsd:integer when whole, else xsd:decimal without exponent: both keep their lexical form
    through rdflib's and Oxigraph's Turtle writers (an integral xsd:decimal does not)."""
    if float(x).is_integer():
        return Literal(str(int(x)), XSD.integer)
    return Literal(format(x, "f").rstrip("0").rstrip("."), XSD.decimal)


def syndication_key(text: str) -> str:
    """What makes two reports of a quote or figure the same node: the same text (spacing aside),
    so the node keeps one text; a copy edited in any other way stays a node of its own."""
    return " ".join(text.split())


def emit_posts(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    for i, p in enumerate(f.posts):
        person = ctx.entity(p.person, "PERSON")
        if person is None:
            continue
        node = fact_iri("post", ctx.fact_id("post", i, f"{p.person}|{p.title}|{p.organisation}"))
        role_name = ctx.post_role(i) or p.role or p.title
        role = ID["role/" + safe("-".join(words(role_name)) or "post")]
        c = ctx.core
        c.add((node, RDF.type, KG.Post))
        c.add((node, RDF.type, ORG.Membership))
        c.add((node, ORG.member, person))
        c.add((node, ORG.role, role))
        c.add((role, RDF.type, KG.Role))
        c.add((role, RDFS.label, Literal(role_name)))
        g.add((node, KG.postTitle, Literal(p.title)))
        if p.organisation and (org := ctx.entity(p.organisation, "ORG")) is not None:
            c.add((node, ORG.organization, org))
        if p.status:
            g.add((node, KG.postStatus, Literal(p.status)))
        for prop, d in ((KG.startDate, p.start), (KG.endDate, p.end)):
            if d:
                g.add((node, prop, date_literal(d)))
        ctx.evidence(p.evidence, node, p.rule)


def emit_events(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    for i, ev in enumerate(f.events):
        parts = [(ctx.entity(p.name, p.kind), p.role) for p in ev.participants]
        parts = [(n, r) for n, r in parts if n is not None]
        if not parts:
            continue
        node = fact_iri("event", ctx.fact_id("event", i, f"{f.article.id}|{i}"))
        c = ctx.core
        c.add((node, RDF.type, KG.Event))
        cls = event_class(ev.type)
        c.add((node, RDF.type, cls))
        c.add((cls, SKOS.notation, Literal(ev.type if ev.type in event_types() else "other")))  # the type's code, for events.rq
        c.add((node, KG.modality, named(class_map("modality_classes").get(ev.modality, KG_BASE + "Asserted"))))
        g.add((node, RDFS.label, Literal(f"{ev.type.replace('_', ' ')}: {ev.trigger}")))
        g.add((node, KG.trigger, Literal(ev.trigger)))
        if ev.date:
            g.add((node, KG.date, date_literal(ev.date)))
        for who, role in parts:
            c.add((node, role_property(role), who))
        ctx.evidence(ev.evidence, node, ev.rule)


def emit_ratings(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    nodes = [fact_iri("rating", ctx.fact_id("rating", i, f"{f.article.id}|{i}")) for i in range(len(f.ratings))]
    for i, r in enumerate(f.ratings):
        subject = ctx.entity(r.subject, "ORG")
        if subject is None or r.level not in class_map("rating_classes"):
            continue
        node = nodes[i]
        overall = [nodes[j] for j, o in enumerate(f.ratings)
                   if r.area and not o.area and o.subject == r.subject and o.date == r.date]
        c = ctx.core
        if overall:
            c.add((node, KG.partOf, overall[0]))
        c.add((node, RDF.type, KG.Rating))
        c.add((node, KG.subject, subject))
        level = named(class_map("rating_classes")[r.level])
        c.add((node, KG.level, level))
        c.add((level, RDFS.label, Literal(r.level)))
        if r.inspector and (insp := ctx.entity(r.inspector, "ORG")) is not None:
            c.add((node, KG.inspector, insp))
        if r.date:
            g.add((node, KG.date, date_literal(r.date)))
        if r.area:
            c.add((node, KG.area, Literal(r.area)))
        ctx.evidence(r.evidence, node, r.rule)


def emit_quotes(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    for q in f.quotes:
        speaker = ctx.entity(q.speaker, q.speaker_kind)
        if speaker is None or q.evidence is None:
            continue
        node = fact_iri("quote", iri_value(speaker), syndication_key(q.text))  # one node however many articles carry it
        g.add((node, RDF.type, KG.Quote))
        g.add((node, KG.speaker, speaker))
        g.add((node, KG.quoteText, Literal(q.text)))
        ctx.evidence(q.evidence, node, q.rule)


def emit_successions(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    for s in f.successions:
        a, b = ctx.entity(s.successor, s.successor_kind), ctx.entity(s.predecessor, s.predecessor_kind)
        if a is None or b is None:
            continue
        node = fact_iri("succession", iri_value(a), iri_value(b), s.post.lower())
        ctx.core.add((node, RDF.type, KG.Succession))
        ctx.core.add((node, KG.successor, a))
        ctx.core.add((node, KG.predecessor, b))
        if s.post:
            ctx.core.add((node, KG.post, Literal(s.post)))
        ctx.evidence(s.evidence, node, s.rule)


def emit_figures(f: ArticleFacts, res: Resolution, g: Graph, ctx: Context) -> None:
    for fig in f.figures:
        node = fact_iri("figure", syndication_key(fig.value), syndication_key(fig.measure))
        g.add((node, RDF.type, KG.Figure))
        g.add((node, KG.value, Literal(fig.value)))
        g.add((node, KG.measure, Literal(fig.measure)))
        if fig.number is not None:
            g.add((node, KG.numericValue, number_literal(fig.number)))
        if fig.qualifier:
            g.add((node, KG.qualifier, Literal(fig.qualifier)))
        if fig.unit:
            g.add((node, KG.unit, Literal(fig.unit)))
        ctx.evidence(fig.evidence, node, fig.rule)


# Every fact kind's emitter: (facts, resolution, graph, context) -> None, called in this order.
FACT_EMITTERS = (emit_posts, emit_events, emit_ratings, emit_quotes, emit_successions, emit_figures)
