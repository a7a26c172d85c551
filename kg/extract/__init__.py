"""Extract: one spaCy Doc in, one :class:`ArticleFacts` out. Pure and picklable."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.model import Article, ArticleFacts
from kg.extract.entities import EntityIndex, extract_mentions
from kg.extract.events import date_from_events, extract_events
from kg.extract.figures import extract_figures
from kg.extract.posts import date_posts, extract_posts
from kg.extract.quotes import extract_quotes
from kg.extract.ratings import extract_ratings
from kg.extract.succession import extract_successions

# Each step is (doc, article, index, facts) -> None and appends to facts; run in this order.
EXTRACTORS: list = [extract_posts, extract_quotes, extract_events, extract_ratings, extract_successions, date_from_events,
              date_posts, extract_figures]


def extract(doc: Doc, article: Article) -> ArticleFacts:
    """Everything the graph needs from one article."""
    idx = extract_mentions(doc, article)
    facts = ArticleFacts(article=article, mentions=idx.mentions)
    for step in EXTRACTORS:
        step(doc, article, idx, facts)
    return facts


__all__ = ["extract", "EntityIndex", "EXTRACTORS"]
