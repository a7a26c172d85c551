"""Correct: the user's fixes to a build folder, recorded in ``DIR/corrections.toml`` and applied at once.

Each command matches what it names against the folder's current resolution (from the facts
cache: no article is parsed, no model is loaded), records the correction by the normalised key
the IRI is minted from, and rewrites graph.ttl, store/ and graph.html together with the new
corrections.toml (:func:`kg.build.finish`). A name that matches nothing, or several entities, is
an error and nothing is written.
"""
from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from kg import errors
from kg.build import HTML, BuildReport, finish, writing
from kg.domain.vocab import ID_BASE
from kg.model import ArticleFacts
from kg.resolve import Resolution, fold, key_of, resolve
from kg.resolve.corrections import FACT_PREFIXES, Correction, entity_classes, is_entity_key
from kg.store.corrections import CORRECTIONS, dump_corrections, read_corrections


@dataclass
class Corrected:
    """What a ``kg correct`` command did: the correction (None after undo) and the rewrite's report."""

    correction: Correction | None
    report: BuildReport


def _load(out: Path) -> tuple[list[ArticleFacts], list[Correction]]:
    from kg.store import has_facts, read_facts

    if not has_facts(out):
        raise errors.KGError(errors.NO_FACTS_CACHE.format(path=out))
    facts = sorted((f for f, _fp in read_facts(out).values()), key=lambda f: f.article.id)
    return facts, read_corrections(out / CORRECTIONS)


def _apply(out: Path, facts: list[ArticleFacts], corrections: list[Correction], t0: float) -> BuildReport:
    report = BuildReport(out=out, verb="Corrected")
    finish(facts, out, report, html=(out / HTML).exists(), corrections=dump_corrections(corrections))
    report.seconds = time.perf_counter() - t0
    return report


def correct(out: str | Path, kind: str, target: str, other: str = "", label: str = "", type_: str = "",
            reason: str = "", today: str | None = None) -> Corrected:
    """Record one correction (merge, distinct, reject or set) in ``out`` and rewrite its outputs."""
    t0 = time.perf_counter()
    out = Path(out)
    with writing(out):
        facts, existing = _load(out)
        res = resolve(facts, existing)
        c = Correction(id=max((x.id for x in existing), default=0) + 1, kind=kind, target=target, key="",
                       reason=" ".join(reason.split()), date=today or datetime.date.today().isoformat())
        if kind == "reject":
            c.key = match(res, facts, target, out, facts_too=True)
        elif kind == "set":
            if not label.strip() and not type_.strip():
                raise errors.UsageError(errors.CORRECT_NOTHING_SET)
            c.key = match(res, facts, target, out, command=kind)
            c.label, c.type = " ".join(label.split()), class_name(type_) if type_.strip() else ""
        else:
            c.other = other
            c.key, c.other_key = _pair(res, facts, existing, kind, target, other, out)
        return Corrected(c, _apply(out, facts, [*existing, c], t0))


def undo(out: str | Path, cid: int) -> Corrected:
    """Remove correction ``cid`` from ``out``'s corrections.toml and rewrite the outputs without it."""
    t0 = time.perf_counter()
    out = Path(out)
    with writing(out):
        facts, existing = _load(out)
        gone = next((c for c in existing if c.id == cid), None)
        if gone is None:
            raise errors.KGError(errors.CORRECT_UNKNOWN_ID.format(id=cid, path=out))
        return Corrected(gone, _apply(out, facts, [c for c in existing if c.id != cid], t0))


def status(out: str | Path) -> list[tuple[Correction, bool]]:
    """Every correction of ``out`` and whether it matches something in the current articles."""
    from kg.rdf import build_graphs

    facts, existing = _load(Path(out))
    res = resolve(facts, existing)
    if any(c.on_fact for c in existing):
        build_graphs(facts, res)  # marks fact rejects that match no fact
    return [(c, c.id not in res.stale) for c in existing]


def class_name(value: str) -> str:
    """A class of ``kg correct set --type`` from ``Regulator``, ``kg:Regulator`` or its IRI (any case)."""
    classes = entity_classes()
    want = value.strip().rpartition("#")[2].rpartition(":")[2].casefold()
    for name in classes:
        if name.casefold() == want:
            return name
    raise errors.UsageError(errors.CORRECT_BAD_TYPE.format(value=value, choices=", ".join(sorted(classes))))


def _pair(res: Resolution, facts: list[ArticleFacts], existing: list[Correction], kind: str,
          a: str, b: str, out: Path) -> tuple[str, str]:
    """The keys a merge or distinct names, refused when they are one entity or contradict a correction."""
    ka, kb = match(res, facts, a, out, command=kind), match(res, facts, b, out, command=kind)
    if kind == "distinct" and ka == kb:  # one entity now (an acronym, a surname, a merge): split by own keys
        ka, kb = _own_key(res, a, ka), _own_key(res, b, kb)
    if ka == kb:
        raise errors.KGError(errors.CORRECT_SAME.format(a=a, b=b, iri=ID_BASE + ka))
    kinds = {res.entities[k].kind for k in (ka, kb) if k in res.entities}
    if kind == "merge" and len(kinds) > 1:
        raise errors.KGError(errors.CORRECT_KINDS.format(a=a, b=b))
    for c in existing:
        if c.kind in ("merge", "distinct") and {c.key, c.other_key} == {ka, kb}:
            raise errors.KGError(errors.CORRECT_CONFLICT.format(kind=kind, id=c.id, desc=c.describe()))
    return ka, kb


def _own_key(res: Resolution, name: str, key: str) -> str:
    """The key ``name`` mints by itself (before acronyms and surnames send it elsewhere)."""
    if name.startswith(("http://", "https://")):
        return key
    return key_of(name, res.entities[key].kind)


def match(res: Resolution, facts: list[ArticleFacts], name: str, out: Path, facts_too: bool = False,
          command: str = "") -> str:
    """The key of the one entity (or, with ``facts_too``, the fact) ``name`` designates: an IRI, a
    key (``person/jane-doe``), or a name or alias as resolution reads it. KGError when it matches
    nothing or several entities."""
    live = {k: e for k, e in res.entities.items() if k not in res.rejected}
    text = name.strip()
    path = unquote(text[len(ID_BASE):]) if text.startswith(ID_BASE) else text
    if path.startswith(FACT_PREFIXES) and "/" in path and " " not in path:
        if not facts_too:
            raise errors.UsageError(errors.CORRECT_ENTITY_ONLY.format(name=name, command=command))
        if _fact_exists(facts, res, path):
            return path
        raise errors.KGError(errors.CORRECT_NOT_FOUND.format(path=out, name=name))
    if text.startswith(("http://", "https://")) or is_entity_key(path):
        if path in live:
            return path
        raise errors.KGError(errors.CORRECT_NOT_FOUND.format(path=out, name=name))
    found = {k for kind in ("PERSON", "ORG", "PLACE") if (k := res.lookup(text, kind)) in live}
    want = fold(" ".join(text.split()))
    found |= {k for k, e in live.items() if want in {fold(e.label), *(fold(a) for a in e.aliases)}}
    if not found:
        raise errors.KGError(errors.CORRECT_NOT_FOUND.format(path=out, name=name))
    if len(found) > 1:
        cands = "; ".join(f"{live[k].label} <{ID_BASE}{k}>" for k in sorted(found))
        raise errors.KGError(errors.CORRECT_AMBIGUOUS.format(name=name, candidates=cands))
    return found.pop()


def _fact_exists(facts: list[ArticleFacts], res: Resolution, path: str) -> bool:
    from kg.rdf import RDF, build_graphs, entity_iri

    node, rdf_type = entity_iri(path), RDF.type
    return any(s == node and p == rdf_type for g in build_graphs(facts, res).values() for s, p, _o in g.triples)
