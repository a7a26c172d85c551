"""Incremental outputs: a build that changes a few articles replaces only what they change.

A full write (:func:`kg.build.write_outputs`) leaves ``facts/outputs.state`` beside the facts
cache: for each article, the digest of its cached facts, its share of the corpus-level facts
graph and the questions its emitters asked of the resolution with their answers
(:class:`kg.rdf.terms.Context`); the entities graph; and where each subject's block starts in
graph.ttl. The next build with the same code, no corrections and the outputs that state
describes (the same outputs key) then

1. re-emits only the articles that are new, changed, or whose recorded questions the new
   resolution answers differently (a new "Mr X" that merges two people, a removed article that
   was an event's first report: every article those answers touch is re-emitted);
2. copies the store (hard links: Oxigraph's backup) and there replaces those articles' named
   graphs, the lines of the facts and entities graphs that changed, and, in the default graph
   (the union), adds the new triples and removes the old ones that no named graph holds any more;
3. rewrites graph.ttl from the old file, with new blocks for the subjects whose triples changed
   (each block is what Oxigraph's Turtle writer makes of that subject's triples), and saves the
   named answers again from the updated store.

The result is the same as a full write of the same facts (tests compare the bytes). Anything it
cannot do exactly (corrections, which look across graphs; a missing or foreign state; a change
touching most articles) returns None, and the caller writes everything.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kg.model import ArticleFacts
from kg.resolve import Resolution

STATE = "facts/outputs.state"  # no .json suffix: not read as an article's facts
STATE_VERSION = 2
MOST = 0.5  # re-emitting more than this share of the articles: the full write is as quick


@dataclass
class State:
    """What the last build's outputs were made of, as far as an incremental build needs it."""

    key: str                                   # the outputs key of the build it describes
    code: str                                  # digest of the package's code and the html flag
    digests: dict[str, str]                    # article id -> digest of its cached facts
    articles: dict[str, bytes]                 # article id -> its facts-graph lines and question log (kg.rdf.packed)
    entities: tuple[str, ...]                  # the entities graph's lines
    subjects: list[str] = field(default_factory=list)  # graph.ttl's subjects, in file order
    offsets: list[int] = field(default_factory=list)   # where each subject's block starts
    triples: int = 0                           # triples in the union
    facts: int = 0                             # subjects with evidence in the union
    store: list = field(default_factory=list)  # the store's files (name, size, mtime): changed by hand?
    turtle: str = ""                           # digest of graph.ttl: changed by hand?
    version: int = STATE_VERSION


def load_state(out: Path) -> State | None:
    try:
        with open(out / STATE, "rb") as fh:
            st = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return st if isinstance(st, State) and st.version == STATE_VERSION else None


def store_files(path: Path) -> list:
    """The files of an Oxigraph store folder with their sizes and modification times: a store
    written to since (by 'kg serve --writable', say) has others. Reading it changes none."""
    try:
        return sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path))
    except OSError:
        return []


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def state_bytes(state: State) -> bytes:
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def turtle_index(data: bytes | memoryview, subjects: list[str]) -> list[int] | None:
    """Where each subject's block starts in graph.ttl ``data`` (its blank line), given the subjects
    in file order; None when the blocks do not match them one to one."""
    data = bytes(data) if isinstance(data, memoryview) else data
    offsets, i = [], data.find(b"\n\n")
    while i >= 0:
        offsets.append(i + 1)
        i = data.find(b"\n\n", i + 2)
    return offsets if len(offsets) == len(subjects) else None


class BlockIndex:
    """A binary writer passing graph.ttl on to ``out`` while noting where each subject's block
    starts (its blank line, as :func:`turtle_index` finds them) and digesting the bytes: the state
    needs both, and graph.ttl is not read back to get them."""

    def __init__(self, out) -> None:
        self.out, self.pos, self.offsets, self.last = out, 0, [], b""
        self.hash = hashlib.sha1()

    def write(self, data) -> int:
        data = bytes(data)
        if not data:
            return 0
        if self.last == b"\n" and data[:1] == b"\n":
            self.offsets.append(self.pos)
        i = data.find(b"\n\n")
        while i >= 0:
            self.offsets.append(self.pos + i + 1)
            i = data.find(b"\n\n", i + 2)
        self.out.write(data)
        self.hash.update(data)
        self.pos += len(data)
        self.last = data[-1:]
        return len(data)

    def flush(self) -> None:
        self.out.flush()

    def index(self, subjects: list[str]) -> list[int] | None:
        return self.offsets if len(self.offsets) == len(subjects) else None

    def digest(self) -> str:
        return self.hash.hexdigest()


def _nt_key(line: str, rdf_type: str) -> str:
    s, p, o = line.split(" ", 2)
    return f"{s}\0{'0' if p == rdf_type else '1'}{p}\0{o}"


@dataclass
class Changes:
    """The articles to write again and to take out."""

    emit: list[str]
    removed: list[str]


def plan_changes(facts: dict[str, ArticleFacts], res: Resolution, state: State, digests: dict[str, str]) -> Changes:
    """Articles that are new, whose facts changed, or whose questions ``res`` answers differently."""
    from kg.rdf import same_answers, unpacked

    emit = []
    for aid, f in facts.items():
        old = state.articles.get(aid)
        if old is None or state.digests.get(aid) != digests.get(aid) or not same_answers(unpacked(old)[1], f, res):
            emit.append(aid)
    return Changes(emit, [aid for aid in state.digests if aid not in facts])


def write_changes(facts: list[ArticleFacts], res: Resolution, out: Path, state: State, digests: dict[str, str],
                  key: str, code: str, staged: dict[Path, Path], then: Callable[[ox.Store], None] | None = None
                  ) -> tuple[int, int, State] | None:
    """Stage the outputs of ``facts`` as changes to the last build's (see the module's text): the
    store at ``out/store.new``, graph.ttl and the answers as temporary files recorded in
    ``staged`` (final path -> temporary file), for the caller to commit; ``then`` is called with
    the staged store before it is closed. Returns (triples, facts, new state), or None when the
    change is not worth or not fit for doing in place (nothing staged then)."""
    from kg.rdf import ENTITY_GRAPH, FACTS_GRAPH, article_graph, emit_article, entity_graph, packed, unpacked
    from kg.store import STAGED, STORE_DIR, TURTLE
    from kg.store.atomic import stage_write
    from kg.domain.vocab import KG_BASE

    if res.corrections or not state.subjects or store_files(out / STORE_DIR) != state.store:
        return None
    try:
        with open(out / TURTLE, "rb") as fh:
            turtle = fh.read()
    except OSError:
        return None
    if digest(turtle) != state.turtle:
        return None  # graph.ttl is not what the last build wrote
    by_id = {f.article.id: f for f in facts}
    ch = plan_changes(by_id, res, state, digests)
    if len(ch.emit) > MOST * max(1, len(by_id)):
        return None
    emitted = {aid: emit_article(by_id[aid], res) for aid in ch.emit}
    articles = dict(state.articles)
    for aid in ch.removed:
        del articles[aid]
    for aid, e in emitted.items():
        articles[aid] = packed(e)
    shares = {aid: unpacked(v)[0] for aid, v in state.articles.items()}
    core_old = set().union(*shares.values())
    for aid in ch.removed:
        del shares[aid]
    for aid, e in emitted.items():
        shares[aid] = list(e.core.lines())
    core_new = set().union(*shares.values())
    del shares
    ent_new = entity_graph(res).lines()
    ent_old = set(state.entities)

    new_store = out / STAGED
    shutil.rmtree(new_store, ignore_errors=True)
    src = ox.Store.read_only(str(out / STORE_DIR))
    src.backup(str(new_store))
    del src
    st = ox.Store(str(new_store))
    default = ox.DefaultGraph()
    gone: list[ox.Triple] = []   # triples taken out of a named graph: still in the union?
    new: list[ox.Quad] = []      # quads put into a named graph
    for aid in [*ch.removed, *ch.emit]:
        name = ox.NamedNode(article_graph(aid)[1:-1])
        gone.extend(q.triple for q in st.quads_for_pattern(None, None, None, name))
        if aid in emitted:
            st.clear_graph(name)
        else:
            st.remove_graph(name)
    text = "".join(e.graph.nquads() for e in emitted.values())
    new.extend(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    for graph, old_lines, new_lines in ((FACTS_GRAPH, core_old, core_new), (ENTITY_GRAPH, ent_old, set(ent_new))):
        name = ox.NamedNode(graph[1:-1])
        drop = "\n".join(sorted(old_lines - new_lines))
        for q in ox.parse(drop, format=ox.RdfFormat.N_TRIPLES):
            st.remove(ox.Quad(q.subject, q.predicate, q.object, name))
            gone.append(q.triple)
        add = "\n".join(sorted(new_lines - old_lines))
        new.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(add, format=ox.RdfFormat.N_TRIPLES))
    st.extend(new)
    for graph in (FACTS_GRAPH, ENTITY_GRAPH):  # a graph left empty is no graph, as in a fresh store
        name = ox.NamedNode(graph[1:-1])
        if next(iter(st.quads_for_pattern(None, None, None, name)), None) is None:
            st.remove_graph(name)

    def in_union(t: ox.Triple) -> bool:
        return next(iter(st.quads_for_pattern(t.subject, t.predicate, t.object, default)), None) is not None

    evidence = ox.NamedNode(KG_BASE + "evidence")
    touched: set = set()
    ev_delta: dict = {}  # subject -> evidence triples added (+1) or removed (-1) in the union
    added = removed = 0
    for t in dict.fromkeys(gone):
        if in_union(t) and not any(not isinstance(q.graph_name, ox.DefaultGraph)
                                   for q in st.quads_for_pattern(t.subject, t.predicate, t.object, None)):
            st.remove(ox.Quad(t.subject, t.predicate, t.object, default))
            removed += 1
            touched.add(t.subject)
            if t.predicate == evidence:
                ev_delta[t.subject] = ev_delta.get(t.subject, 0) - 1
    fresh = []
    for t in dict.fromkeys(q.triple for q in new):
        if not in_union(t):
            fresh.append(ox.Quad(t.subject, t.predicate, t.object, default))
            touched.add(t.subject)
            if t.predicate == evidence:
                ev_delta[t.subject] = ev_delta.get(t.subject, 0) + 1
    st.extend(fresh)
    added = len(fresh)
    n_facts = state.facts
    for s, d in ev_delta.items():
        after = sum(1 for _ in st.quads_for_pattern(s, evidence, None, default))
        n_facts += (after > 0) - (after - d > 0)
    st.flush()
    from concurrent.futures import ThreadPoolExecutor

    from kg.views.query import ANSWERS, answer_bytes

    with ThreadPoolExecutor(1) as bg:  # the named answers, on the final store, while graph.ttl is written
        answers = bg.submit(answer_bytes, st, key)
        try:
            done = _write_turtle(st, out, state, touched, staged, turtle)
        finally:
            saved = answers.result()  # (the thread is done with the store before anything is removed)
    if done is None:
        del st
        shutil.rmtree(new_store, ignore_errors=True)
        return None
    subjects, offsets, turtle_digest = done
    for name, data in saved:
        staged[out / ANSWERS / f"{name}.jsonl"] = stage_write(out / ANSWERS / f"{name}.jsonl", data)
    new_state = State(key=key, code=code, digests=dict(digests), articles=articles, entities=ent_new,
                      subjects=subjects, offsets=offsets, triples=state.triples + added - removed, facts=n_facts,
                      turtle=turtle_digest)
    if then is not None:
        then(st)
    del st
    return new_state.triples, new_state.facts, new_state


def _write_turtle(st: ox.Store, out: Path, state: State, touched: set, staged: dict[Path, Path], old: bytes
                  ) -> tuple[list[str], list[int], str] | None:
    """Stage graph.ttl: the old file's blocks, with those of the ``touched`` subjects made again
    from the store's union; returns the new file's subjects, block offsets and digest (None when
    the new blocks cannot be told apart, and nothing is staged)."""
    from kg.formats import RDF_TYPE, write_turtle_of_keys
    from kg.store import TURTLE
    from kg.store.atomic import staged_file

    default = ox.DefaultGraph()
    # graph.ttl: the old blocks, with the touched subjects' blocks made again
    rdf_type = f"<{RDF_TYPE}>"
    keys = []
    for s in touched:
        nt = ox.serialize([q.triple for q in st.quads_for_pattern(s, None, None, default)],
                          format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        keys.extend(_nt_key(line[:-2], rdf_type) for line in nt.splitlines() if line)
    keys.sort()
    blocks: dict[str, bytes] = {}
    if keys:
        scratch = out / ".blocks.nt.tmp"
        import io

        buf = io.BytesIO()
        try:
            write_turtle_of_keys(keys, scratch, buf)
        finally:
            scratch.unlink(missing_ok=True)
        data = buf.getvalue()
        present = sorted({k.partition("\0")[0] for k in keys})
        starts = turtle_index(data, present)
        if starts is None:
            return None
        ends = starts[1:] + [len(data)]
        blocks = {s: data[a:b] for s, a, b in zip(present, starts, ends)}
    changed = sorted(str(s) for s in touched)
    subjects, offsets = [], []
    old_ends = state.offsets[1:] + [len(old)]
    with staged_file(out / TURTLE) as (tmp, raw):
        staged[out / TURTLE] = tmp
        fh = BlockIndex(raw)  # (for the digest: the offsets are known here)
        pos = state.offsets[0]
        fh.write(old[:pos])
        j = 0
        i, n = 0, len(state.subjects)
        while i < n or j < len(changed):
            if j < len(changed) and (i >= n or changed[j] <= state.subjects[i]):
                s = changed[j]
                j += 1
                if i < n and state.subjects[i] == s:
                    i += 1  # replaced (or gone, when it has no triples left)
                block = blocks.get(s)
                if block:
                    fh.write(block)
                    subjects.append(s)
                    offsets.append(pos)
                    pos += len(block)
                continue
            # a run of unchanged blocks, copied as one slice
            stop = n if j >= len(changed) else _bisect(state.subjects, changed[j], i, n)
            a, b = state.offsets[i], old_ends[stop - 1]
            fh.write(memoryview(old)[a:b])
            subjects.extend(state.subjects[i:stop])
            offsets.extend(o - a + pos for o in state.offsets[i:stop])
            pos += b - a
            i = stop
    return subjects, offsets, fh.digest()


def _bisect(subjects: list[str], s: str, lo: int, hi: int) -> int:
    """The first index in ``subjects[lo:hi]`` (sorted) whose subject is not below ``s``."""
    import bisect

    return bisect.bisect_left(subjects, s, lo, hi)
