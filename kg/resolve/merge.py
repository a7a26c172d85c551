"""Merge: the same event, rating or post reported by several articles becomes one node.

Facts are grouped by what identifies them (type and participants; subject, level, inspector
and area; person and role) and, within a group, by compatible dates (one a prefix of the
other). An undated fact joins the single compatible group of its own article, else the single
one in the corpus, else stands alone. Each article still asserts its own date and evidence,
so contradicting reports keep both values with their sources.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from kg.domain import event_types
from kg.model import ArticleFacts, Event, Post
from kg.resolve.entities import Resolution

FactRef = tuple[str, str, int]  # (kind, article id, index in that article's list)


@dataclass
class Cluster:
    key: tuple
    people: frozenset[str]
    date: str
    articles: set[str] = field(default_factory=set)
    members: list[FactRef] = field(default_factory=list)
    seq: int = 0  # creation order within its group: candidates are always taken in this order


Item = tuple[FactRef, tuple, frozenset[str], str]  # (ref, identity key, primary participants, date)


def _compatible(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _fits(c: Cluster, people: frozenset[str]) -> bool:
    """Participants agree when they overlap, or when either side names none."""
    return not c.people or not people or bool(c.people & people)


class _Group:
    """The clusters of one identity key, with the indexes that find a fact's candidates without
    scanning the whole group (a common key, "inspection", has thousands of clusters): by every
    prefix of a cluster's date, by person, and by article. Every index lists clusters in creation
    order, so candidates come out in the order a scan of the group would give them."""

    __slots__ = ("clusters", "by_prefix", "by_person", "by_article")

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self.by_prefix: dict[str, list[Cluster]] = {}
        self.by_person: dict[str, list[Cluster]] = {}
        self.by_article: dict[str, list[Cluster]] = {}

    def new(self, key: tuple, people: frozenset[str], date: str) -> Cluster:
        c = Cluster(key, frozenset(), date, seq=len(self.clusters))
        self.clusters.append(c)
        for n in range(1, len(date) + 1):
            self.by_prefix.setdefault(date[:n], []).append(c)
        return c

    def add(self, c: Cluster, ref: FactRef, people: frozenset[str]) -> None:
        c.members.append(ref)
        if ref[1] not in c.articles:
            c.articles.add(ref[1])
            _insert(self.by_article.setdefault(ref[1], []), c)
        for p in people - c.people:
            _insert(self.by_person.setdefault(p, []), c)
        c.people = c.people | people

    def sharing(self, people: frozenset[str]) -> list[Cluster]:
        """Clusters that share a person with ``people``, in creation order."""
        found = {c.seq: c for p in people for c in self.by_person.get(p, ())}
        return [found[k] for k in sorted(found)]


def _insert(clusters: list[Cluster], c: Cluster) -> None:
    """Put ``c`` into a list kept in creation order (it is nearly always the newest)."""
    i = len(clusters)
    while i and clusters[i - 1].seq > c.seq:
        i -= 1
    clusters.insert(i, c)


def cluster(items: list[Item]) -> dict[FactRef, str]:
    """Group facts; returns ref -> cluster id (stable: from the identity and first member).

    A dated fact joins the compatible cluster (same key, dates one a prefix of the other,
    participants agreeing) with the longest date, then the most shared participants. Dated facts
    come longest date first, so a cluster's date is never shorter than the fact's, and the
    compatible clusters are those filed under the fact's date as a prefix."""
    groups: dict[tuple, _Group] = {}
    dated = sorted((i for i in items if i[3]), key=lambda i: (-len(i[3]), i[3], i[0]))
    for ref, key, people, date in dated:
        grp = groups.setdefault(key, _Group())
        cands = [c for c in grp.by_prefix.get(date, ()) if _fits(c, people)
                 and (people or c.articles == {ref[1]})]  # an event about no one in particular stays in its article
        c = max(cands, key=lambda c: (len(c.date), len(c.people & people), c.date)) if cands else None
        if c is None:
            c = grp.new(key, people, date)
        grp.add(c, ref, people)
    for ref, key, people, _ in sorted(i for i in items if not i[3]):
        grp = groups.setdefault(key, _Group())
        if people:  # the clusters that share a person with this fact
            cands = grp.sharing(people)
            own = [c for c in cands if ref[1] in c.articles]
            one = len(cands) == 1
        else:  # a fact naming no one fits every cluster of its key
            cands, own, one = grp.clusters, list(grp.by_article.get(ref[1], ())), len(grp.clusters) == 1
        # an undated judgement stays in its article; so does an undated event about no one in particular
        # (four articles' "the CQC published a report today" are four reports, not one)
        across = key[0] != "rating" and bool(people) and one and not own
        pick = own[0] if len(own) == 1 else (cands[0] if across else None)
        if pick is None:
            undated = [c for c in grp.by_article.get(ref[1], ()) if not c.date and _fits(c, people)]
            pick = undated[0] if undated else grp.new(key, people, "")
        grp.add(pick, ref, people)
    out: dict[FactRef, str] = {}
    for grp in groups.values():
        for c in grp.clusters:
            first = min(c.members)
            cid = "|".join(map(str, c.key)) + f"@{first[1]}:{first[2]}"
            out.update({ref: cid for ref in c.members})
    return out


def _primary(ev: Event, res: Resolution) -> frozenset[str]:
    """Who an event is about: its people if any, else the participants in the type's main role."""
    people = {res.lookup(p.name, p.kind) or p.name for p in ev.participants if p.kind == "PERSON"}
    if people:  # with the body it befell, so "the inspector issued an urgent notification on HMP X" and
        # "an urgent notification on HMP X" the same day are one event
        return frozenset(people | {res.lookup(p.name, p.kind) or p.name for p in ev.participants
                                   if p.role == "affected" and p.kind != "PERSON"})
    typ = event_types().get(ev.type)
    roles = typ.primary if typ else ("agent", "affected")
    return frozenset(res.lookup(p.name, p.kind) or p.name for p in ev.participants if p.role in roles)


def merge_facts(all_facts: list[ArticleFacts], res: Resolution) -> dict[FactRef, str]:
    """Cluster ids for every event, rating and post of the corpus."""
    items: list[Item] = []
    for f in all_facts:
        aid = f.article.id
        for i, ev in enumerate(f.events):
            key: tuple = ("event", ev.type, ev.modality)
            if not ev.date and not any(p.kind == "PERSON" or p.role == "affected" for p in ev.participants):
                key += (aid,)  # undated, and about no one: "the CQC published its report today" is this article's
            items.append((("event", aid, i), key, _primary(ev, res), ev.date))
        for i, r in enumerate(f.ratings):
            key = ("rating", res.lookup(r.subject, "ORG"), r.level, res.lookup(r.inspector, "ORG"), r.area.lower())
            items.append((("rating", aid, i), key, frozenset(), r.date))
    ids = cluster(items)
    ids.update(_post_ids(all_facts, res))
    return ids


def role_of(p: Post) -> str:
    return (p.role or p.title).lower()


def _content(role: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", role.lower()) if w not in ("of", "the", "for", "and"))


def post_roles(all_facts: list[ArticleFacts], res: Resolution) -> dict[FactRef, str]:
    """One person's posts at one body whose roles say the same more or less fully ("leader" in
    one article, "council leader" in another) are one post under the fullest role."""
    roles: dict[tuple[str, str], set[str]] = {}
    refs: list[tuple[FactRef, tuple[str, str], str]] = []
    for f in all_facts:
        for i, p in enumerate(f.posts):
            key = (res.lookup(p.person, "PERSON") or p.person, res.lookup(p.organisation, "ORG") or p.organisation)
            role = p.role or p.title
            if key[1]:
                roles.setdefault(key, set()).add(role)
            refs.append((("post", f.article.id, i), key, role))
    out: dict[FactRef, str] = {}
    for ref, key, role in refs:
        fuller = [r for r in roles.get(key, ()) if _content(role) < _content(r)]
        out[ref] = max(fuller, key=lambda r: (len(_content(r)), r)) if fuller else role
    return out


def _post_ids(all_facts: list[ArticleFacts], res: Resolution) -> dict[FactRef, str]:
    """A post without an organisation joins the one post of that person and role that has one."""
    with_org: dict[tuple, set[str]] = {}
    for f in all_facts:
        for p in f.posts:
            if p.organisation:
                with_org.setdefault((res.lookup(p.person, "PERSON"), role_of(p)), set()).add(
                    res.lookup(p.organisation, "ORG") or p.organisation)
    out: dict[FactRef, str] = {}
    for f in all_facts:
        for i, p in enumerate(f.posts):
            person = res.lookup(p.person, "PERSON")
            org = res.lookup(p.organisation, "ORG") or p.organisation if p.organisation else ""
            orgs = with_org.get((person, role_of(p)), set())
            if not org and len(orgs) == 1:
                org = next(iter(orgs))
            role = getattr(res, "post_roles", {}).get(("post", f.article.id, i), "") or role_of(p)
            out[("post", f.article.id, i)] = f"post|{person}|{role.lower()}|{org}"
    return out
