"""Resolve: mentions from all articles -> corpus entities, one node per real-world thing.

Keys are normalised so that variants collapse: people by full name without titles; bodies by
the set of their content words (so word-order variants of a board's name meet), with
acronyms defined anywhere in the corpus mapped to their expansion; one-word person names go to
the one full name in the corpus they are part of, and are dropped when that is ambiguous.
"""
from __future__ import annotations

from functools import lru_cache

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.domain import load_json
from kg.model import ArticleFacts, Mention
from kg.resolve.corrections import Correction, Redirects, entity_classes

TITLES = frozenset(load_json("people.json")["titles"])  # honorifics, from the data file
ORG_STOP = {"of", "for", "the", "and", "&", "a", "an", "in", "on", "at", "s"}
KIND_PATH = {"PERSON": "person", "ORG": "org", "PLACE": "place"}
_KIND_OF_PATH = {v: k for k, v in KIND_PATH.items()}  # a key's kind (a merged mention takes its target's)


def fold(text: str) -> str:
    """Lower-case, NFKC, straight apostrophes, no possessive 's."""
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"'s\b", "", t)


def words(text: str) -> list[str]:
    return list(_words(text))


_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    """:func:`words` as a tuple, cached: resolution asks for the words of the same few names
    hundreds of thousands of times."""
    return tuple(_WORD.findall(fold(text)))


def n_words(text: str) -> int:
    return len(_words(text))


def slug(parts: Iterable[str]) -> str:
    s = "-".join(p for p in parts if p)
    return s[:120] or "unnamed"


def person_key(name: str) -> str:
    w = _words(name)
    while w and w[0] in TITLES:
        w = w[1:]
    return slug(w)


def org_key(name: str) -> str:
    return slug(sorted({w for w in _words(name) if w not in ORG_STOP}))


@lru_cache(maxsize=1 << 16)
def key_of(name: str, kind: str) -> str:
    """The normalised key an entity IRI is minted from: ``person/malcolm-newsam`` (a pure function
    of its arguments, cached: resolution asks for the same few names hundreds of thousands of times)."""
    k = person_key(name) if kind == "PERSON" else org_key(name) if kind == "ORG" else slug(_words(name))
    return f"{KIND_PATH[kind]}/{k}"


@dataclass
class Entity:
    key: str
    kind: str
    label: str = ""
    org_type: str = ""
    aliases: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)


@dataclass
class Resolution:
    """Corpus entities and how to find the entity for a name read in an article."""

    entities: dict[str, Entity] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)
    fact_ids: dict[tuple[str, str, int], str] = field(default_factory=dict)
    post_roles: dict[tuple[str, str, int], str] = field(default_factory=dict)  # merged post -> its fullest role
    # the user's corrections (kg.resolve.corrections): applied in file order
    corrections: list[Correction] = field(default_factory=list)
    distinct: set[frozenset[str]] = field(default_factory=set)  # pairs of keys never to be one entity
    redirect: dict[str, str] = field(default_factory=dict)       # a merged key -> the key it joined
    rejected: set[str] = field(default_factory=set)              # entity keys a reject takes out
    stale: set[int] = field(default_factory=set)                 # ids of corrections that match nothing

    def lookup(self, name: str, kind: str = "") -> str | None:
        """The key of the entity ``name`` refers to, or None."""
        kinds = [kind] if kind else ["PERSON", "ORG", "PLACE"]
        for k in kinds:
            key = self.route(key_of(name, k), self._key(name, k))
            if key in self.entities:
                return key
        return None

    def route(self, raw: str, key: str | None) -> str | None:
        """``key`` (what resolution made of a name whose own key is ``raw``) after the corrections:
        a name the user keeps distinct from where acronyms or surnames led it keeps its own key;
        a merged key goes to the key it joined."""
        if key is None:
            return None
        if key != raw and frozenset((raw, key)) in self.distinct:
            key = raw
        return self.redirect.get(key, key)

    def _key(self, name: str, kind: str) -> str:
        if kind == "ORG" and name in self.acronyms:
            return self.acronyms[name]
        if kind == "PERSON" and n_words(name) == 1 and person_key(name) in self.surnames:
            return self.surnames[person_key(name)]
        return key_of(name, kind)


def resolve_entities(all_facts: list[ArticleFacts], corrections: Iterable[Correction] = ()) -> Resolution:
    """Build corpus entities from every article's mentions (order-independent), then apply the
    user's entity corrections in file order."""
    res = Resolution(corrections=list(corrections))
    res.distinct = {frozenset((c.key, c.other_key)) for c in res.corrections
                    if c.kind == "distinct" and c.key != c.other_key}
    mentions = [m for f in all_facts for m in f.mentions]
    for m in mentions:
        if m.kind == "ORG" and m.acronym and m.form != "acronym":
            res.acronyms[m.acronym] = key_of(m.name, "ORG")
    by_last: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.kind == "PERSON" and n_words(m.name) > 1:
            by_last[person_key(m.name).split("-")[-1]].add(key_of(m.name, "PERSON"))
    res.surnames = {p: next(iter(ks)) for p, ks in by_last.items() if len(ks) == 1}
    _merges(res, mentions)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    own: dict[str, Counter[str]] = defaultdict(Counter)  # names read for the key itself, not merged in
    for m in mentions:
        key = mention_key(res, m)
        if key is None:
            continue
        ent = res.entities.setdefault(key, Entity(key, _KIND_OF_PATH[key.partition("/")[0]]))
        ent.articles.add(m.evidence.article)
        name = _written(m) if res.distinct and _diverted(res, m) else m.name
        if m.form != "descriptor":
            ent.names[name] += 1
            if _base_key(res, m) == key:
                own[key][name] += 1
        if m.form in ("alias", "acronym", "descriptor") or m.acronym:
            ent.aliases.add(" ".join((m.acronym or m.evidence.text).split()))
        if m.org_type:
            types[key][m.org_type] += 1 if m.form != "descriptor" else 0
    for ent in list(res.entities.values()):
        if not ent.names:  # only ever referred to by description: nothing to name it by
            del res.entities[ent.key]
            continue
        ranked = sorted((own[ent.key] or ent.names).items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        ent.label = ranked[0][0]
        if types.get(ent.key):
            ent.org_type = sorted(types[ent.key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    _set_and_reject(res, mentions)
    for ent in res.entities.values():
        ent.aliases = {a for a in ent.aliases | set(ent.names) if a and fold(a) != fold(ent.label)}
    for pair in res.distinct:  # a name kept apart is no alias of the other entity either
        for a, b in (tuple(pair), tuple(pair)[::-1]):
            if a in res.entities and b in res.entities:
                res.entities[a].aliases = {x for x in res.entities[a].aliases if key_of(x, res.entities[a].kind) != b}
    return res


def _merges(res: Resolution, mentions: list[Mention]) -> None:
    """Apply merge corrections: OTHER's key redirected to TARGET's, unless either names no entity
    (stale) or the merge would join keys the user said are distinct (also reported stale)."""
    named = {k for m in mentions if m.form != "descriptor" and (k := _base_key(res, m)) is not None}
    forest = Redirects()
    for c in res.corrections:
        if c.kind != "merge":
            continue
        if c.key not in named or c.other_key not in named:
            res.stale.add(c.id)
            continue
        ends = {forest.find(c.key), forest.find(c.other_key)}
        if any({forest.find(a) for a in pair} == ends and len(ends) == 2 for pair in res.distinct):
            res.stale.add(c.id)
            continue
        forest.link(c.other_key, c.key)
    res.redirect = {k: forest.find(k) for k in sorted(forest.parent)}


def _set_and_reject(res: Resolution, mentions: list[Mention]) -> None:
    """Apply set (label, class) and entity reject corrections, and mark stale distinct ones."""
    raw = {key_of(_written(m), m.kind) for m in mentions if _words(_written(m))} | set(res.entities)
    classes = entity_classes()
    for c in res.corrections:
        if c.kind == "distinct":
            if c.key not in raw or c.other_key not in raw:
                res.stale.add(c.id)
            continue
        if c.kind not in ("set", "reject") or c.on_fact:
            continue
        key = res.redirect.get(c.key, c.key)
        ent = res.entities.get(key)
        if ent is None or (c.kind == "set" and c.type and c.type not in classes):
            res.stale.add(c.id)
            continue
        if c.kind == "reject":
            res.rejected.add(key)
            continue
        if c.label:
            ent.label = c.label
        if c.type:
            ent.kind, ent.org_type = classes[c.type]


def _written(m: Mention) -> str:
    """The name as the mention writes it: its text for an acronym or alias, else its name."""
    return " ".join(m.evidence.text.split()) if m.form in ("acronym", "alias") else m.name


def _diverted(res: Resolution, m: Mention) -> bool:
    """Whether the user keeps the name this mention is written with apart from where resolution led it."""
    key = _resolved_key(res, m)
    raw = key_of(_written(m), m.kind)
    return key is not None and key != raw and frozenset((raw, key)) in res.distinct


def _base_key(res: Resolution, m: Mention) -> str | None:
    """A mention's key before merges: acronyms and surnames followed, unless the user said the
    name is distinct from where they lead."""
    return key_of(_written(m), m.kind) if res.distinct and _diverted(res, m) else _resolved_key(res, m)


def mention_key(res: Resolution, m: Mention) -> str | None:
    """The entity key a mention resolves to (after the user's corrections), or None when it cannot be resolved."""
    key = _base_key(res, m)
    return res.redirect.get(key, key) if key is not None else None


def _resolved_key(res: Resolution, m: Mention) -> str | None:
    if m.kind == "PERSON" and n_words(m.name) < 2:
        return res.surnames.get(person_key(m.name))
    if m.kind == "ORG" and m.name in res.acronyms:
        return res.acronyms[m.name]
    if not _words(m.name):
        return None
    return key_of(m.name, m.kind)
