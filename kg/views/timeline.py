"""Timeline: events and ratings grouped by organisation, as one self-contained HTML page.

Every item links to its evidence (the sentence and the article it was read from), listed at
the foot of the page. The page has no script at all; Jinja autoescaping escapes every string.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph
from rdflib.term import Node

from kg.formats.network import date_of, event_classes, humanise, kind_of, label_of, level_of, local_name, safe_url
from kg.domain.vocab import KG, RDF, RDFS, SDO

TEMPLATES = Path(__file__).parent / "templates"
PARTICIPANTS = (KG.agent, KG.affected, KG.appointee, KG.victim, KG.perpetrator, KG.place)
UNGROUPED = "Not linked to an organisation"


@dataclass
class EvidenceRef:
    """One numbered evidence entry: the sentence and where it was read."""

    number: int
    sentence: str
    article: str
    published: str = ""
    url: str = ""


@dataclass
class Item:
    """One dated thing on the timeline: an event or a rating."""

    date: str
    kind: str
    title: str
    detail: str = ""
    modality: str = ""
    evidence: list[EvidenceRef] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    level: str = ""

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.date or "9999", self.kind, self.title)


@dataclass
class Group:
    """An organisation and its items in date order."""

    name: str
    items: list[Item]


class _Evidence:
    """Numbers evidence entries across the page, so the same sentence has one anchor."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.refs: dict[tuple[str, str], EvidenceRef] = {}

    def of(self, node: Node) -> list[EvidenceRef]:
        """The numbered evidence of a fact node, each sentence once, in page order."""
        out: dict[int, EvidenceRef] = {}
        for ev in sorted(self.g.objects(node, KG.evidence)):
            sentence, art = self.g.value(ev, KG.sentence), self.g.value(ev, KG.article)
            if sentence is None:
                continue
            title = None if art is None else (self.g.value(art, SDO.headline) or self.g.value(art, RDFS.label)
                                              or self.g.value(art, SDO.identifier))
            key = (str(sentence), str(art))
            if key not in self.refs:
                self.refs[key] = EvidenceRef(
                    len(self.refs) + 1, str(sentence), str(title or (local_name(art) if art is not None else "")),
                    str(self.g.value(art, SDO.datePublished) or "") if art is not None else "",
                    safe_url(self.g.value(art, SDO.url)) if art is not None else "")
            out[self.refs[key].number] = self.refs[key]
        return [out[k] for k in sorted(out)]


def _is_org(g: Graph, node: Node) -> bool:
    return (node, RDF.type, KG.Organisation) in g


def _date(g: Graph, node: Node) -> str:
    """The earliest date a fact has (merged facts may carry several), at its best precision."""
    return date_of(g, node, KG.date)


def items(g: Graph) -> tuple[list[Item], list[EvidenceRef]]:
    """Every event and rating in the graph, with the organisations each involves."""
    refs = _Evidence(g)
    out: list[Item] = []
    classes = event_classes(g)
    events = sorted({s for c in classes for s in g.subjects(RDF.type, c)})
    for ev in events:
        kind = kind_of(g, ev, set(g.objects(ev, RDF.type))) or "event"
        roles = []
        orgs = []
        for prop in PARTICIPANTS:
            for who in sorted(g.objects(ev, prop)):
                roles.append(f"{humanise(local_name(prop))}: {label_of(g, who)}")
                if _is_org(g, who):
                    orgs.append(label_of(g, who))
        modality = g.value(ev, KG.modality)
        triggers = sorted({str(t) for t in g.objects(ev, KG.trigger)} - {kind}, key=lambda t: (len(t), t))
        title = f"“{triggers[0]}”" if triggers else kind
        out.append(Item(_date(g, ev), kind, title, "; ".join(roles),
                        humanise(label_of(g, modality)) if modality is not None and modality != KG.Asserted else "",
                        refs.of(ev), sorted(set(orgs))))
    for r in sorted(set(g.subjects(RDF.type, KG.Rating))):
        subj, insp = g.value(r, KG.subject), g.value(r, KG.inspector)
        area = g.value(r, KG.area)
        title = level_of(g, r) or "rated"
        detail = "; ".join(filter(None, [
            f"subject: {label_of(g, subj)}" if subj is not None else "",
            f"area: {area}" if area is not None else "",
            f"by: {label_of(g, insp)}" if insp is not None else ""]))
        orgs = [label_of(g, n) for n in (subj, insp) if n is not None and _is_org(g, n)]
        level = g.value(r, KG.level)
        out.append(Item(_date(g, r), "rating", title, detail, "", refs.of(r), sorted(set(orgs)),
                        local_name(level).lower() if level is not None else ""))
    return out, sorted(refs.refs.values(), key=lambda e: e.number)


def groups(all_items: list[Item]) -> list[Group]:
    """Items grouped by organisation (an item appears under each it involves), busiest first."""
    by_org: dict[str, list[Item]] = defaultdict(list)
    for it in all_items:
        for org in it.organisations or [UNGROUPED]:
            by_org[org].append(it)
    ordered = sorted(by_org.items(), key=lambda kv: (kv[0] == UNGROUPED, -len(kv[1]), kv[0].casefold()))
    return [Group(name, sorted(its, key=lambda i: i.sort_key)) for name, its in ordered]


def render_timeline(g: Graph, title: str = "newskg timeline") -> str:
    """The timeline page as a string."""
    all_items, evidence = items(g)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    return env.get_template("timeline.html").render(
        title=title, groups=groups(all_items), evidence=evidence, count=len(all_items))
