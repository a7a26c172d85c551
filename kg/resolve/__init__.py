"""Resolve: corpus level. Mentions become entities (one node per person or body across articles),
then facts reported by several articles are merged into one (posts by role, events by participants).
"""
from __future__ import annotations

from typing import Iterable

from kg.model import ArticleFacts
from kg.resolve.corrections import Correction
from kg.resolve.entities import Entity, Resolution, fold, key_of, mention_key, person_key, resolve_entities, words
from kg.resolve.merge import merge_facts, post_roles

__all__ = ["Correction", "Entity", "Resolution", "fold", "key_of", "mention_key", "person_key", "resolve", "words"]


def resolve(all_facts: list[ArticleFacts], corrections: Iterable[Correction] = ()) -> Resolution:
    """Entities over the whole corpus (with the user's corrections), then each fact's id (the same
    fact in several articles shares one)."""
    res = resolve_entities(all_facts, corrections)
    res.post_roles = post_roles(all_facts, res)  # before the ids: a post's id carries its role
    res.fact_ids = merge_facts(all_facts, res)
    return res
