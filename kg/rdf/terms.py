"""RDF terms: IRIs minted from normalised keys, date literals, and the per-article emitting context.

IRIs are minted from normalised keys (``id/person/malcolm-newsam``), so the same input gives
the same graph and merging graphs is a set union. Corpus-level descriptions of entities go
in the ``id/graph/entities`` graph; everything read from one article (mentions, facts,
evidence) goes in that article's graph, so an article can be replaced on its own.

Terms are their N-Triples text (``<https://…>``, ``"text"``, ``"3"^^<…#integer>``), so a
graph is written as N-Quads lines straight into the store's bulk loader: no rdflib object (and
no per-term Python object beyond a string) is made on the way from facts to the store.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

from kg.domain import org_types
from kg.domain.dates import xsd_type
from kg.model import ArticleFacts, Evidence
from kg.resolve.entities import Resolution, mention_key
from kg.domain.vocab import CLASSES, ID_BASE, INDIVIDUALS, KG_BASE, PROPERTIES

RDF_BASE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_BASE = "http://www.w3.org/2001/XMLSchema#"


Term = str  # a term's N-Triples text


def iri(value: str) -> Term:
    """The term of IRI ``value``."""
    return f"<{value}>"


def iri_value(term: Term) -> str:
    """The IRI of a term made by :func:`iri`."""
    return term[1:-1]


class Namespace:
    """IRIs under ``base`` as terms, made once each; a closed one (``names`` given) refuses a name
    it does not declare, so a typo is an error."""

    def __init__(self, base: str, names: list[str] | None = None) -> None:
        self.base = base
        self.names = frozenset(names) if names is not None else None
        self.made: dict[str, Term] = {}

    def __getitem__(self, name: str) -> Term:
        term = self.made.get(name)
        if term is None:
            if self.names is not None and name not in self.names:
                raise AttributeError(f"{name} is not declared in {self.base}")
            term = self.made[name] = iri(self.base + name)
        return term

    def __getattr__(self, name: str) -> Term:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self.__dict__[name] = self[name]  # found as a plain attribute from now on
        return term


KG = Namespace(KG_BASE, CLASSES + PROPERTIES + INDIVIDUALS)
ID = Namespace(ID_BASE)
RDF = Namespace(RDF_BASE)
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SDO = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace(XSD_BASE)
FOAF_PERSON = iri("http://xmlns.com/foaf/0.1/Person")

ENTITY_GRAPH = iri(ID_BASE + "graph/entities")
FACTS_GRAPH = iri(ID_BASE + "graph/facts")
KIND_CLASS = {"PERSON": (KG.Person, SDO.Person), "ORG": (KG.Organisation, SDO.Organization),
              "PLACE": (KG.Place, SDO.Place)}


# A string's characters escaped exactly as Oxigraph writes them in N-Triples, so the text of a
# term made here is the text the store gives back (graph.ttl's sort keys are made from it).
_ESCAPES = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]},
                          "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
                          "\\": "\\\\", '"': '\\"'})


def Literal(value: str | int | bool, datatype: Term | None = None) -> Term:  # noqa: N802
    """A literal as rdflib's ``Literal(value)`` writes it: a string, ``xsd:integer`` for an int,
    ``xsd:boolean`` for a bool, or the lexical form ``value`` of ``datatype``."""
    if datatype is not None:
        return f'"{str(value).translate(_ESCAPES)}"^^{datatype}'
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^{XSD.boolean}'
    if isinstance(value, int):
        return f'"{value}"^^{XSD.integer}'
    if not isinstance(value, str):
        raise TypeError(f"no literal form for {type(value).__name__}")
    return f'"{value.translate(_ESCAPES)}"'


class Graph:
    """One named graph being written: a set of triples (terms), added to as rdflib's ``Graph.add`` is."""

    __slots__ = ("name", "triples")

    def __init__(self, name: Term) -> None:
        self.name = name
        self.triples: set[tuple[Term, Term, Term]] = set()

    def add(self, triple: tuple[Term, Term, Term]) -> None:
        self.triples.add(triple)

    def nquads(self) -> str:
        """The graph as N-Quads lines."""
        end = f" {self.name} .\n"
        return "".join(f"{s} {p} {o}{end}" for s, p, o in self.triples)

    def ntriples(self) -> str:
        """The graph's triples as N-Triples lines (no graph name)."""
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.triples)

    def lines(self) -> tuple[str, ...]:
        """The graph's triples, each as one N-Triples line without its end ("S P O ."), sorted."""
        return tuple(sorted(f"{s} {p} {o} ." for s, p, o in self.triples))


def safe(part: str) -> str:
    """An IRI path segment from any text."""
    return quote(part, safe="-_.~") or "_"


def entity_iri(key: str) -> Term:
    """An entity's IRI from its key (``person/jane-doe``); anything unsafe in an IRI is escaped."""
    return ID[quote(key, safe="/-_.~") or "_"]


def article_iri(article_id: str) -> Term:
    return ID["article/" + safe(article_id)]


def article_graph(article_id: str) -> Term:
    return iri(ID_BASE + "graph/article/" + safe(article_id))


def date_literal(iso: str) -> Term:
    """A date at its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(iso, XSD[xsd_type(iso)])


def fact_iri(kind: str, *parts: str) -> Term:
    """A stable IRI for a fact from the values that identify it."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"<{ID_BASE}{kind}/{digest}>"


Question = tuple  # what an emitter asks the resolution about one article (see Context.ask)


class Context:
    """Per-article helpers for emitters: evidence nodes, and every question about the corpus.

    ``g`` is the article's graph (what this article says: dates, evidence); ``core`` the
    corpus-level facts graph (what a merged fact is: its type and participants), written once
    however many articles report the fact, so queries over the union never see copies.

    Emitters learn about the rest of the corpus only through :meth:`ask` (entity keys, fact ids,
    post roles), so an article's quads are a function of its facts and of those answers. With
    ``log`` given, each (question, answer) is appended to it: a later build whose resolution gives
    the same answers (:func:`same_answers`) knows the article's quads are unchanged without
    making them.
    """

    def __init__(self, facts: ArticleFacts, res: Resolution, g: Graph | None, core: Graph | None = None,
                 log: list | None = None) -> None:
        self.facts, self.res, self.g = facts, res, g
        self.core = core if core is not None else g
        self.article = article_iri(facts.article.id)
        self.log = log

    def ask(self, q: Question):
        """The answer to question ``q``: ("e", name, kind) the entity key a name resolves to;
        ("m", i) mention i's entity key and that entity's kind; ("f", kind, i, default) the merged id
        of the article's i-th fact of ``kind``; ("r", i) the merged role of its i-th post."""
        tag, res = q[0], self.res
        if tag == "e":
            return res.lookup(q[1], q[2])
        if tag == "m":
            key = mention_key(res, self.facts.mentions[q[1]])
            ent = res.entities.get(key) if key is not None else None
            return key, (ent.kind if ent is not None else None)
        if tag == "f":
            return (getattr(res, "fact_ids", None) or {}).get((q[1], self.facts.article.id, q[2]), q[3])
        if tag == "r":
            return (getattr(res, "post_roles", None) or {}).get(("post", self.facts.article.id, q[1]), "")
        raise ValueError(f"unknown question {q!r}")

    def _asked(self, q: Question):
        a = self.ask(q)
        if self.log is not None:
            self.log.append((q, a))
        return a

    def mention(self, i: int) -> tuple[str | None, str | None]:
        """Mention i's entity key and the entity's kind (None, None when it resolves to no entity)."""
        return self._asked(("m", i))

    def fact_id(self, kind: str, i: int, default: str) -> str:
        return self._asked(("f", kind, i, default))

    def post_role(self, i: int) -> str:
        return self._asked(("r", i))

    def evidence(self, ev: Evidence | None, subject: Term, rule: str = "") -> None:
        """Attach evidence (article, sentence, span) to a fact node, and the rule that read it."""
        if rule:
            self.g.add((subject, KG.extractionRule, Literal(rule)))
        if ev is None:
            return
        node = f"<{ID_BASE}evidence/{safe(ev.article)}/{ev.start}-{ev.end}>"
        self.g.add((subject, KG.evidence, node))
        self.g.add((node, RDF.type, KG.Evidence))
        self.span(node, ev)

    def span(self, node: Term, ev: Evidence) -> None:
        """Write where ``ev`` is (article, offsets, anchor text, sentence) onto ``node``."""
        g = self.g
        g.add((node, KG.article, self.article))
        g.add((node, KG.beginIndex, Literal(ev.start)))
        g.add((node, KG.endIndex, Literal(ev.end)))
        g.add((node, KG.anchorOf, Literal(ev.text)))
        g.add((node, KG.sentence, Literal(ev.sentence)))

    def entity(self, name: str, kind: str = "") -> Term | None:
        key = self._asked(("e", name, kind))
        return entity_iri(key) if key else None


def same_answers(log: list, facts: ArticleFacts, res: Resolution) -> bool:
    """Whether resolution ``res`` answers every question of ``log`` (recorded while the article
    ``facts`` was emitted) as then: if so, the article's quads would come out the same."""
    ctx = Context(facts, res, None)
    try:
        return all(ctx.ask(q) == a for q, a in log)
    except (IndexError, ValueError):
        return False


@lru_cache(maxsize=None)
def named(value: str) -> Term:
    """The term of IRI ``value`` (made once per IRI)."""
    return iri(value)


def org_class(org_type: str) -> Term | None:
    """The ontology class of an organisation type code (None when the domain does not declare it)."""
    typ = org_types().get(org_type)
    return named(typ.iri) if typ else None
