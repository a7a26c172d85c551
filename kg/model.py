"""Plain data passed between stages: articles in, facts with evidence out.

Everything here is a dataclass of strings, ints and lists, so it pickles (for ``n_process`` and
Dask) and compares by value (for tests and for deterministic graphs).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One cleaned article.

    ``text`` is the cleaned text all evidence offsets refer to; ``published`` is an ISO date
    at the precision the source gives ("2019", "2019-07", "2019-07-15") or "" when unknown.
    """

    id: str
    title: str
    text: str
    published: str = ""
    source: str = ""
    url: str = ""
    content_hash: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: character span and sentence in an article's cleaned text."""

    article: str
    start: int
    end: int
    text: str
    sent_start: int
    sent_end: int
    sentence: str


@dataclass
class Mention:
    """A span that refers to an entity.

    ``kind`` is PERSON, ORG or PLACE. ``name`` is the best name known in the article (a full
    name for "Mr X", the antecedent's name for "the trust"); ``org_type`` a code from the
    body-type lexicon; ``form`` says how it was written: name, acronym, alias, descriptor,
    unnamed (an unnamed but definite body such as "an independent trust").
    """

    name: str
    kind: str
    evidence: Evidence
    org_type: str = ""
    form: str = "name"
    acronym: str = ""


@dataclass
class Participant:
    """An entity taking part in a fact, named as in the article (resolved later)."""

    name: str
    kind: str
    role: str = "affected"


@dataclass
class Post:
    """A person in a post. ``title`` is as written; ``role`` its canonical name (same post, one role)."""

    person: str
    title: str
    organisation: str = ""
    status: str = ""
    start: str = ""
    end: str = ""
    evidence: Evidence | None = None
    role: str = ""
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class Event:
    type: str
    trigger: str
    date: str = ""
    participants: list[Participant] = field(default_factory=list)
    place: str = ""
    modality: str = "asserted"
    evidence: Evidence | None = None
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class Rating:
    subject: str
    level: str
    date: str = ""
    inspector: str = ""
    area: str = ""
    evidence: Evidence | None = None
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class Quote:
    speaker: str
    speaker_kind: str
    text: str
    evidence: Evidence | None = None
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class Succession:
    successor: str
    predecessor: str
    post: str = ""
    successor_kind: str = "PERSON"
    predecessor_kind: str = "PERSON"
    evidence: Evidence | None = None
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class Figure:
    value: str
    measure: str
    number: float | None = None
    qualifier: str = ""
    unit: str = ""
    evidence: Evidence | None = None
    rule: str = ""  # id of the extraction rule that produced it (see kg evaluate --by-rule)


@dataclass
class ArticleFacts:
    """Everything extracted from one article; the unit of work that crosses processes."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    successions: list[Succession] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
