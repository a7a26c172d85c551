"""Corrections: a user's decisions about entities and facts, applied at resolution and graph time.

A correction names what it targets by the same normalised key an IRI is minted from
(``person/malcolm-newsam``; a fact by its IRI path, ``post/3f2a…``), so it holds however the
articles are read again. Entity corrections (merge, distinct, set, and which entities a reject
takes out) are applied here, in file order, deterministically; fact rejections and the
provenance nodes are written by :mod:`kg.rdf.corrections`.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.domain import org_types

KINDS = ("merge", "distinct", "reject", "set")
ENTITY_PREFIXES = ("person/", "org/", "place/")
FACT_PREFIXES = ("post/", "event/", "rating/", "quote/", "figure/", "succession/")
#: A top-level class and the entity kind it makes.
KIND_OF_CLASS = {"Person": "PERSON", "Organisation": "ORG", "Place": "PLACE"}


@dataclass
class Correction:
    """One user decision. ``target``/``other`` are as the user wrote them (for people reading the
    file); ``key``/``other_key`` the normalised keys that are matched."""

    id: int
    kind: str
    target: str
    key: str
    other: str = ""
    other_key: str = ""
    label: str = ""
    type: str = ""
    reason: str = ""
    date: str = ""

    @property
    def on_fact(self) -> bool:
        return self.key.startswith(FACT_PREFIXES)

    def describe(self) -> str:
        """One line for people: ``merge Andrew Christie into Malcolm Newsam``."""
        if self.kind == "merge":
            return f"merge {self.other} into {self.target}"
        if self.kind == "distinct":
            return f"{self.target} and {self.other} are distinct"
        if self.kind == "set":
            what = [f"label {self.label!r}"] if self.label else []
            what += [f"type {self.type}"] if self.type else []
            return f"set {' and '.join(what)} on {self.target}"
        return f"reject {self.target}"


def is_entity_key(key: str) -> bool:
    return key.startswith(ENTITY_PREFIXES)


class Redirects:
    """Merges as a forest of keys: OTHER's key points at TARGET's; a chain is followed to its end."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        seen = set()
        while key in self.parent and key not in seen:
            seen.add(key)
            key = self.parent[key]
        return key

    def link(self, other: str, target: str) -> bool:
        """Point ``other`` at ``target``; False when they already are one (or it would loop)."""
        a, b = self.find(other), self.find(target)
        if a == b:
            return False
        self.parent[a] = b
        return True


def entity_classes() -> dict[str, tuple[str, str]]:
    """Classes ``kg correct set --type`` accepts: local name -> (entity kind, organisation type code).

    The three top-level classes, and every organisation class the domain has a type code for
    (the first code in sorted order when several share a class)."""
    out = {name: (kind, "") for name, kind in KIND_OF_CLASS.items()}
    for code, typ in sorted(org_types().items()):
        out.setdefault(typ.iri.rpartition("#")[2], ("ORG", code))
    return out
