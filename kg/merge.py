"""Merge: the same event, rating or post reported by several articles becomes one node.

Facts are grouped by what identifies them (type and participants; subject, level, inspector
and area; person and role) and, within a group, by compatible dates (one a prefix of the
other). An undated fact joins the single compatible group of its own article, else the single
one in the corpus, else stands alone. Each article still asserts its own date and evidence,
so contradicting reports keep both values with their sources.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import ArticleFacts
from .resolve import Resolution

FactRef = tuple[str, str, int]  # (kind, article id, index in that article's list)


@dataclass
class Cluster:
    key: tuple
    date: str
    articles: set[str] = field(default_factory=set)
    members: list[FactRef] = field(default_factory=list)


def _compatible(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def cluster(items: list[tuple[FactRef, tuple, str]]) -> dict[FactRef, str]:
    """Group (ref, identity key, date) items; returns ref -> cluster id (stable, from members)."""
    groups: dict[tuple, list[Cluster]] = {}
    dated = sorted((i for i in items if i[2]), key=lambda i: (-len(i[2]), i[2], i[0]))
    for ref, key, date in dated:
        cands = [c for c in groups.setdefault(key, []) if _compatible(c.date, date)]
        c = max(cands, key=lambda c: (len(c.date), c.date)) if cands else None
        if c is None:
            c = Cluster(key, date)
            groups[key].append(c)
        c.members.append(ref)
        c.articles.add(ref[1])
    for ref, key, _ in sorted(i for i in items if not i[2]):
        cands = groups.setdefault(key, [])
        own = [c for c in cands if ref[1] in c.articles]
        pick = own[0] if len(own) == 1 else (cands[0] if len(cands) == 1 and not own else None)
        if pick is None:
            undated = [c for c in cands if not c.date and ref[1] in c.articles]
            pick = undated[0] if undated else Cluster(key, "")
            if not undated:
                cands.append(pick)
        pick.members.append(ref)
        pick.articles.add(ref[1])
    out: dict[FactRef, str] = {}
    for clusters in groups.values():
        for c in clusters:
            cid = "|".join(map(str, c.key)) + "@" + "|".join(f"{a}:{i}" for _, a, i in sorted(c.members)[:1])
            for ref in c.members:
                out[ref] = cid
    return out


def merge_facts(all_facts: list[ArticleFacts], res: Resolution) -> dict[FactRef, str]:
    """Cluster ids for every event, rating and post of the corpus."""
    items: list[tuple[FactRef, tuple, str]] = []
    for f in all_facts:
        aid = f.article.id
        for i, ev in enumerate(f.events):
            parts = tuple(sorted({res.lookup(p.name, p.kind) or p.name for p in ev.participants}))
            items.append((("event", aid, i), ("event", ev.type, ev.modality, parts), ev.date))
        for i, r in enumerate(f.ratings):
            key = ("rating", res.lookup(r.subject, "ORG"), r.level, res.lookup(r.inspector, "ORG"), r.area.lower())
            items.append((("rating", aid, i), key, r.date))
    ids = cluster(items)
    ids.update(_post_ids(all_facts, res))
    return ids


def _post_ids(all_facts: list[ArticleFacts], res: Resolution) -> dict[FactRef, str]:
    """A post without an organisation joins the one post of that person and role that has one."""
    with_org: dict[tuple, set[str]] = {}
    for f in all_facts:
        for p in f.posts:
            if p.organisation:
                with_org.setdefault((res.lookup(p.person, "PERSON"), p.title.lower()), set()).add(
                    res.lookup(p.organisation, "ORG") or p.organisation)
    out: dict[FactRef, str] = {}
    for f in all_facts:
        for i, p in enumerate(f.posts):
            person = res.lookup(p.person, "PERSON")
            org = res.lookup(p.organisation, "ORG") or p.organisation if p.organisation else ""
            orgs = with_org.get((person, p.title.lower()), set())
            if not org and len(orgs) == 1:
                org = next(iter(orgs))
            out[("post", f.article.id, i)] = f"post|{person}|{p.title.lower()}|{org}"
    return out
