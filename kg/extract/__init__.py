"""Extract: one spaCy Doc in, one :class:`ArticleFacts` out. Pure and picklable."""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Article, ArticleFacts
from .entities import EntityIndex, extract_mentions

EXTRACTORS: list = []  # callables (doc, article, index, facts) -> None, run in order


def extract(doc: Doc, article: Article) -> ArticleFacts:
    """Everything the graph needs from one article."""
    idx = extract_mentions(doc, article)
    facts = ArticleFacts(article=article, mentions=idx.mentions)
    for step in EXTRACTORS:
        step(doc, article, idx, facts)
    return facts


__all__ = ["extract", "EntityIndex", "EXTRACTORS"]
