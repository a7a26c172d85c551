"""Build: the whole path, articles in -> graph.ttl, store/ and graph.html out. Returns data.

Builds are incremental: each article's facts are cached under ``DIR/facts/`` with the
extractor's fingerprint, so building into an existing folder reads only new or changed
articles, then re-resolves entities over the whole corpus and rewrites every output. The
result is the same as a fresh build of the same articles.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import os
import shutil
import hashlib
import importlib.metadata
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from kg import domain, errors, ingest
from kg.domain import KG_BASE
from kg.model import Article, ArticleFacts
from kg.resolve.entities import Resolution
from kg.run import Progress, Warm, check_model, extract_all

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.update import State

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent
HTML = "graph.html"
OUTPUTS_KEY = "facts/outputs.key"  # no .json suffix: not read as an article's facts (kg.store.OUTPUTS_KEY)
_TIMES: list[tuple[str, float]] = []
_LAST = [time.perf_counter()]


def _tick(label: str) -> None:
    """With KG_TIMINGS=1 in the environment, the seconds since the last tick are printed under
    ``label`` at the end of the build (bench/RESULTS.md's breakdowns come from these)."""
    if os.environ.get("KG_TIMINGS"):
        now = time.perf_counter()
        _TIMES.append((label, now - _LAST[0]))
        _LAST[0] = now


def _print_ticks() -> None:
    if os.environ.get("KG_TIMINGS") and _TIMES:
        import sys

        print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in _TIMES), file=sys.stderr)
        _TIMES.clear()


@dataclass
class BuildReport:
    """What a build did: counts for the summary line and the files it skipped."""

    out: Path
    articles: int = 0
    entities: int = 0
    facts: int = 0
    triples: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    verb: str = "Built"  # "Rewrote" after 'kg remove', "Corrected" after 'kg correct'
    corrections: int = 0
    stale: list[int] = field(default_factory=list)  # ids of corrections that matched nothing

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        parts = [f"{n} {what}" for n, what in ((self.added, "new"), (self.changed, "changed"),
                                               (self.unchanged, "unchanged"), (self.removed, "removed")) if n]
        detail = f" ({', '.join(parts)})" if parts and self.added != self.articles else ""
        fixes = (f", {self.corrections} correction{'s' if self.corrections != 1 else ''}"
                 + (f" ({len(self.stale)} stale)" if self.stale else "")) if self.corrections else ""
        return (f"{self.verb} {self.out}: {self.articles} articles{detail}{skipped}, {self.entities} entities, "
                f"{self.facts} facts{fixes}, {self.triples} triples in {self.seconds:.1f}s")


def extraction_files() -> list[Path]:
    """The package's files extraction depends on, by construction: every module that the batch task
    (:mod:`kg.run.batch`) imports, directly or not, at module level or inside functions."""
    root = PACKAGE.parent
    todo, seen = ["kg.run.batch"], set()
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        path = _module_path(root, mod)
        if path is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)] if node.level else []
                stem = ".".join(base + ([node.module] if node.module else []))
                names = [stem] + [f"{stem}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] == "kg" and _module_path(root, name) is not None:
                    todo.append(name)
    return sorted(p for p in (_module_path(root, m) for m in seen) if p is not None)


def _module_path(root: Path, mod: str) -> Path | None:
    base = root.joinpath(*mod.split("."))
    for cand in (base / "__init__.py", base.with_suffix(".py")):
        if cand.is_file():
            return cand
    return None


def fingerprint(model: str) -> str:
    """What extraction depends on: the model and its version, the domain's data and ontology, and
    the code of every module the extraction task imports (found by walking its imports)."""
    h = hashlib.sha256()
    try:
        version = importlib.metadata.version(model) if model else ""
    except (importlib.metadata.PackageNotFoundError, ValueError):
        version = ""
    h.update(f"{model}\0{version}\0".encode("utf-8"))
    for p in extraction_files():
        h.update(p.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    for p in domain.domain_files():
        h.update(p.name.encode("utf-8") + b"\0" + (p.read_bytes() if p.is_file() else b"") + b"\0")
    return h.hexdigest()


@dataclass
class Plan:
    """Which articles to read again and which cached facts to keep."""

    todo: list[Article] = field(default_factory=list)
    kept: dict[str, ArticleFacts] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def plan(articles: list[Article], out: Path, fp: str) -> Plan:
    """Compare the given articles with the cache in ``out``: new, changed, unchanged, or kept from before."""
    p = plan_given(articles, out, fp)
    keep_the_rest(p, out, fp)
    return p


def plan_given(articles: list[Article], out: Path, fp: str) -> Plan:
    """Compare the given articles with their own files in the cache of ``out`` (the rest of the
    cache is not read: :func:`keep_the_rest`)."""
    from kg.store import facts_file, facts_from_json

    given: dict[str, Article] = {}
    for art in articles:
        if art.id in given:
            log.warning("article id %s appears twice; the later one is used", art.id)
        given[art.id] = art
    p = Plan(given=set(given))
    for aid, art in given.items():
        try:
            old = facts_from_json(facts_file(out, aid).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old is not None and old[0].article.id != aid:
            old = None
        if old is None:
            p.added += 1
            p.todo.append(art)
        elif old[0].article != art:
            p.changed += 1
            p.todo.append(art)
        elif old[1] != fp:
            p.unchanged += 1
            p.todo.append(art)
        else:
            p.unchanged += 1
            p.kept[aid] = old[0]
    return p


def keep_the_rest(p: Plan, out: Path, fp: str) -> list[Article]:
    """Add the cached articles not given this time to ``p``: kept (they stay in), or, read by
    another extractor, to be read again; returns those."""
    from kg.store import facts_file, read_facts

    again = []
    for aid, (facts, old_fp) in read_facts(out, skip={facts_file(out, a).name for a in p.given}).items():
        if aid in p.given:
            continue
        if old_fp == fp:
            p.kept[aid] = facts
        else:
            again.append(facts.article)
    p.todo.extend(again)
    return again


def build(sources: Iterable[str | Path], out: str | Path, model: str | None = None,
          workers: int = 1, strict: bool = False, progress: Progress | None = None,
          html: bool = True, scheduler: object | None = None,
          corrections: str | Path | None = None) -> BuildReport:
    """Build the knowledge graph of ``sources`` into folder ``out`` (adding to what is already there).

    ``scheduler`` (a Dask scheduler address or Client) runs extraction on a cluster instead of ``workers``.
    ``corrections`` (a corrections.toml) is applied and kept as ``out/corrections.toml``; without
    it, the folder's own corrections.toml (if any) is applied.
    """
    from kg import nlp as nlp_mod

    t0 = time.perf_counter()
    sources = list(sources)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise errors.KGError(errors.OUT_NOT_FOLDER.format(path=out))
    memo = _memo(out)
    model = nlp_mod.DEFAULT_MODEL if model is None else model
    warm = _warm(sources, out, model, workers, scheduler)
    try:
        return _build(sources, out, model, workers, strict, progress, html, scheduler, corrections, memo, warm, t0)
    finally:
        if warm is not None:
            warm.close()


def _warm(sources: list, out: Path, model: str, workers: int, scheduler: object | None) -> Warm | None:
    """A fresh build (no facts cache yet) of enough files for a pool starts its worker processes
    now, so they import spaCy and load the model while the sources are read."""
    from kg.run.batch import MIN_PER_WORKER
    from kg.store import FACTS_DIR

    if workers <= 1 or scheduler is not None or (out / FACTS_DIR).is_dir():
        return None
    check_model(model)
    try:
        enough = len(ingest.discover(sources)) >= workers * MIN_PER_WORKER
    except Exception:  # noqa: BLE001 — a bad path is reported by ingest.load, as before
        return None
    return Warm(model, workers) if enough else None


def _build(sources: list, out: Path, model: str, workers: int, strict: bool, progress: Progress | None, html: bool,
           scheduler: object | None, corrections: str | Path | None, memo: "ingest.Memo", warm: Warm | None,
           t0: float) -> BuildReport:
    from kg.store import cache_facts
    from kg.store.corrections import CORRECTIONS, parse_corrections

    _tick("start")
    articles, skipped = ingest.load(sources, memo)
    _tick("read sources")
    for path, reason in skipped:
        log.warning(errors.SKIPPED.format(path=path, reason=reason))
    if not articles:
        raise errors.KGError(errors.NO_INPUT.format(paths=", ".join(map(str, sources))))
    if strict and skipped:
        raise errors.KGError(errors.STRICT_SKIPS.format(count=len(skipped)))
    domain.check()  # a bad data file is one line now, not a KeyError halfway through the articles
    fixes: bytes | None = None
    if corrections is not None:
        given = Path(corrections)
        if not given.is_file():
            raise errors.KGError(errors.PATH_MISSING.format(path=given))
        fixes = given.read_bytes()
        parse_corrections(fixes, given)  # a broken file stops the build before any work
        mine = out / CORRECTIONS
        if mine.is_file() and mine.resolve() != given.resolve() and mine.read_bytes() != fixes:
            raise errors.KGError(errors.CORRECTIONS_DIFFER.format(path=out, given=given))
    else:
        parse_corrections(_read(out / CORRECTIONS), out / CORRECTIONS)
    fp = fingerprint(model)
    with writing(out):
        todo = plan_given(articles, out, fp)
        # the given articles to read are sent off first; the rest of the cache is read meanwhile
        first = list(todo.todo)
        stream = (extract_all(first, model, workers, progress, scheduler=scheduler, start_now=True, warm=warm)
                  if first else ())
        again = keep_the_rest(todo, out, fp)
        _tick("read facts cache")
        if progress and len(articles) > len(first) + len(again):
            progress(len(articles) - len(first) - len(again))
        fresh = []
        for f in stream:
            fresh.append(cache_facts(out, f, fp))  # cached as they come, while the workers parse the rest
        for f in (extract_all(again, model, workers, progress, scheduler=scheduler) if again else ()):
            fresh.append(cache_facts(out, f, fp))  # cached articles an earlier extractor read
        _tick("extract (waited)")
        report = BuildReport(out=out, skipped=skipped, added=todo.added, changed=todo.changed,
                             unchanged=todo.unchanged)
        every = [*todo.kept.values(), *fresh]
        read_again = {f.article.id for f in fresh}
        todo.kept.clear()
        del fresh
        finish(every, out, report, html=html, write=read_again, fp=fp, corrections=fixes, cached=True,
               consume=True)
        if memo.changed:
            from kg.store.atomic import atomic_write

            atomic_write(out / MEMO, memo.to_json().encode("utf-8"))
    report.seconds = time.perf_counter() - t0
    _tick("memo")
    _print_ticks()
    return report


MEMO = "facts/sources.memo"  # what the source files held when last read (kg.ingest.Memo)


@functools.lru_cache(maxsize=None)
def _ingest_digest() -> str:
    """What reading a source file depends on: the ingest code, the domain (data and date parsing),
    the model and the messages (so a new version of the extractors keeps the memo)."""
    h = hashlib.sha256()
    files = [*(PACKAGE / "ingest").rglob("*"), *(PACKAGE / "domain").rglob("*"), PACKAGE / "model.py",
             PACKAGE / "errors.py"]
    for p in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(p.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _memo(out: Path) -> "ingest.Memo":
    """The articles the source files held when a build of ``out`` last read them, for this code."""
    code = _ingest_digest()
    try:
        return ingest.Memo.from_json((out / MEMO).read_text(encoding="utf-8"), code)
    except (OSError, UnicodeDecodeError):
        return ingest.Memo(code)


@contextlib.contextmanager
def writing(out: Path) -> Iterator[None]:
    """Hold ``out``'s write lock, first undoing whatever an interrupted build left there."""
    from kg.store import build_lock, recover

    with build_lock(out):
        for action in recover(out):
            log.warning("%s: an earlier build was interrupted; %s", out, action)
        yield


def remove(article_ids: Iterable[str], out: str | Path, html: bool | None = None) -> BuildReport:
    """Take articles out of build folder ``out`` and rewrite its outputs; raises KGError for an unknown id.

    ``html`` None rewrites graph.html only if the folder has one.
    """
    from kg.store import has_facts

    t0 = time.perf_counter()
    _tick("start")
    out = Path(out)
    if not has_facts(out):
        raise errors.KGError(errors.NO_FACTS_CACHE.format(path=out))
    with writing(out):
        return _remove(article_ids, out, html, t0)


def _remove(article_ids: Iterable[str], out: Path, html: bool | None, t0: float) -> BuildReport:
    from kg.store import read_facts

    cached = {aid: f for aid, (f, _fp) in read_facts(out).items()}
    ids = list(dict.fromkeys(article_ids))
    missing = [a for a in ids if a not in cached]
    if missing:
        choices = ", ".join(sorted(cached)[:20]) + (" …" if len(cached) > 20 else "")
        raise errors.KGError(errors.UNKNOWN_ARTICLE.format(ids=", ".join(missing), path=out, choices=choices))
    report = BuildReport(out=out, removed=len(ids), verb="Rewrote")
    keep = [f for aid, f in cached.items() if aid not in ids]
    html = (out / HTML).exists() if html is None else html
    _tick("read facts cache")
    del cached
    finish(keep, out, report, html=html, drop=set(ids), consume=True)
    report.seconds = time.perf_counter() - t0
    _print_ticks()
    return report


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def finish(facts: list[ArticleFacts], out: Path, report: BuildReport, html: bool = True,
           write: Iterable[str] = (), fp: str = "", drop: Iterable[str] = (),
           corrections: bytes | None = None, cached: bool = False, consume: bool = False) -> None:
    """Resolve the whole corpus with the user's corrections, write every output, then bring the
    facts cache up to date.

    ``corrections`` is new content for ``out/corrections.toml``, committed with the outputs (so a
    process killed on the way leaves the old file and outputs, or the new ones); None applies the
    folder's own file. ``write`` names the articles read again; ``cached`` says their facts are
    in the cache already (else they are cached once the outputs are written). With ``consume``
    (the caller keeps no other reference to the facts), the list ``facts`` is emptied and a full
    write lets the facts go once they are emitted, before the store loads and graph.ttl is sorted.
    """
    from kg.store.atomic import atomic_write
    from kg.resolve import resolve
    from kg.store import STORE_DIR, TURTLE, drop_facts, write_facts
    from kg.store.corrections import CORRECTIONS, parse_corrections

    write, drop = set(write), set(drop)
    given, facts = facts, sorted(facts, key=lambda f: f.article.id)  # resolution must not depend on input order
    consume = consume and (cached or not write)  # else the facts are cached below, after the outputs
    if consume:
        given.clear()
    del given
    report.articles = len(facts)
    current = _read(out / CORRECTIONS)
    new = corrections if corrections is not None and corrections != current else None
    text = new if new is not None else current
    fixes = parse_corrections(text, out / CORRECTIONS)
    report.corrections = len(fixes)
    digests: dict[str, str] = {}
    key = outputs_key(facts, html, text, out=out, fresh=() if cached else write, fp=fp, digests=digests)
    done = out / OUTPUTS_KEY
    have = [out / TURTLE, out / STORE_DIR] + ([out / HTML] if html else [])
    last = None
    if all(p.exists() for p in have) and done.is_file():
        try:
            last = json.loads(done.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = None
    if not write and not drop and new is None and isinstance(last, dict):
        try:  # the same facts and the same code as last time: the outputs are already right
            if last.get("key") == key:
                report.entities, report.triples, report.facts = (int(last["entities"]), int(last["triples"]),
                                                                 int(last["facts"]))
                report.stale = [int(i) for i in last.get("stale", [])]
                _warn_stale(fixes, report)
                return
        except (ValueError, KeyError, TypeError):
            pass
    from kg.update import STATE, load_state

    state = load_state(out) if isinstance(last, dict) else None
    if state is not None and (state.key != last.get("key") or state.code != code_key(html)):
        state = None  # it describes other outputs, or other code made them
    done.unlink(missing_ok=True)
    (out / STATE).unlink(missing_ok=True)
    _tick("outputs key")
    res = resolve(facts, fixes)
    _tick("resolve")
    extra = {out / CORRECTIONS: new} if new is not None else {}
    report.triples, report.facts = write_outputs(facts, res, out, html=html, extra=extra, key=key, state=state,
                                                 digests=digests, consume=consume)
    report.entities = len(set(res.entities) - res.rejected)
    report.stale = sorted(res.stale)
    _warn_stale(fixes, report)
    for f in facts:
        if f.article.id in write and not cached:
            write_facts(out, f, fp)
    for aid in drop:
        drop_facts(out, aid)
    _tick("facts cache")
    atomic_write(done, json.dumps({"key": key, "entities": report.entities, "triples": report.triples,
                                   "facts": report.facts, "stale": report.stale}).encode("utf-8"))


def _warn_stale(fixes: list, report: BuildReport) -> None:
    for c in fixes:
        if c.id in report.stale:
            log.warning(errors.STALE_CORRECTION.format(id=c.id, desc=c.describe(), path=report.out))


@functools.lru_cache(maxsize=None)
def _code_digest() -> bytes:
    """The package's own files (code, data, ontology, templates), hashed once per process."""
    h = hashlib.sha256()
    for p in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(p.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.digest()


def code_key(html: bool) -> str:
    """What the outputs depend on besides the facts and the corrections: the package and ``html``."""
    return hashlib.sha256(f"{html}\0".encode() + _code_digest()).hexdigest()


def outputs_key(facts: list[ArticleFacts], html: bool, corrections: bytes | None = None, out: Path | None = None,
                fresh: Iterable[str] = (), fp: str = "", digests: dict[str, str] | None = None) -> str:
    """What the outputs are a function of: every article's facts, the package's code, ``html`` and
    the corrections file.

    An article's facts count by the bytes of their cache file in ``out`` (hashed as read, no JSON
    made), or, for articles in ``fresh`` (not cached yet), by the bytes that file will hold.
    ``digests``, if given, receives each article's digest."""
    from kg.store import facts_file, facts_to_json

    fresh = set(fresh)
    h = hashlib.sha256(f"{html}\0".encode())
    h.update(hashlib.sha256(corrections or b"").digest())
    h.update(_code_digest())
    for f in facts:
        data = None
        if out is not None and f.article.id not in fresh:
            try:
                data = facts_file(out, f.article.id).read_bytes()
            except OSError:
                data = None
        if data is None:
            data = facts_to_json(f, fp).encode("utf-8")
        d = hashlib.sha256(data).digest()
        if digests is not None:
            digests[f.article.id] = d.hex()
        h.update(d)
    return h.hexdigest()


def write_outputs(facts: list[ArticleFacts], res: Resolution, out: Path, html: bool = True,
                  extra: dict[Path, bytes] | None = None, key: str = "", state: "State | None" = None,
                  digests: dict[str, str] | None = None, consume: bool = False) -> tuple[int, int]:
    """Write graph.ttl, store/ and (optionally) graph.html into ``out``, and the ``extra`` files
    (committed with them); returns the counts of triples and of facts (distinct fact nodes with
    evidence, counted as 'kg stats' counts them).

    Given ``state`` (what the outputs in ``out`` were made of: :mod:`kg.update`) and each article's
    facts ``digests``, only what changed is written again, when that can be done exactly;
    otherwise, facts become N-Quads text and go straight into the store's bulk loader; graph.ttl
    is written by Oxigraph from the store's own union (so it says exactly what the store holds,
    literal forms included, and is byte-identical to 'kg export --format turtle'), streamed to
    the file. No rdflib object is made unless graph.html is asked for. Either way, with
    ``digests`` and no corrections, the state for the next build is written with the outputs.
    """
    from kg.store import TURTLE, commit_store
    from kg.store.atomic import stage_write
    from kg.update import STATE, state_bytes, write_changes

    out.mkdir(parents=True, exist_ok=True)
    staged: dict[Path, Path] = {}
    scratch = [out / f".{name}.tmp" for name in ("union.nt", "sorted.nt")]
    try:
        done = None
        if state is not None and digests is not None:
            def then(st) -> None:
                if html:
                    from kg.formats import union_in_turtle_order

                    _write_html(union_in_turtle_order(st, scratch[0]), out, scratch[1], staged)
            done = write_changes(facts, res, out, state, digests, key, code_key(html), staged, then)
            _tick("write changes" if done is not None else "changes not fit")
        if done is not None:
            triples, n_facts, new_state = done
            counts = (triples, n_facts)
        else:
            counts, new_state = _write_all(facts, res, out, html, key, digests, staged, scratch, consume)
        if new_state is not None:  # with the store's files as they are now, to tell a change by hand
            from kg.store import STAGED
            from kg.update import store_files

            new_state.store = store_files(out / STAGED)
            staged[out / STATE] = stage_write(out / STATE, state_bytes(new_state))
        for final, data in (extra or {}).items():
            staged[final] = stage_write(final, data)
        _pause("outputs staged")
        commit_store(out)
        for final, tmp in staged.items():
            os.replace(tmp, final)
        _tick("state, commit")
    finally:  # on any error or interrupt: nothing half-written stays behind
        from kg.store import STAGED

        shutil.rmtree(out / STAGED, ignore_errors=True)
        for tmp in [*staged.values(), *scratch]:
            if tmp.exists():
                tmp.unlink()
    return counts


def _write_all(facts: list[ArticleFacts], res: Resolution, out: Path, html: bool, key: str,
               digests: dict[str, str] | None, staged: dict[Path, Path], scratch: list[Path], consume: bool = False):
    """Every output staged from scratch; returns the counts and the state for the next build (None
    with corrections or without ``digests``). With ``consume``, ``facts`` is emptied once emitted."""
    from kg.formats import union_keys_of_text, write_turtle_of_keys
    from kg.rdf import write_nquads
    from kg.store import TURTLE, StreamingLoad
    from kg.store.atomic import stage_write, staged_file
    from kg.update import BlockIndex, State

    record: dict | None = {} if digests is not None and not res.corrections else None
    sink = StreamingLoad(out)  # the named graphs load as they are emitted
    try:
        with open(scratch[0], "wb") as nt:
            write_nquads(facts, res, sink, nt, record=record)
    except BaseException:
        sink.close()
        raise
    if consume:
        facts.clear()  # (at 8,000 articles, ≈ 260 MB no longer held while the keys are sorted)
    _tick("emit N-Quads")
    from concurrent.futures import ThreadPoolExecutor

    from kg.views.query import ANSWERS, answer_bytes

    with ThreadPoolExecutor(1) as bg:
        # the store finishes loading on another thread (Oxigraph's loader does not hold the GIL)
        # while graph.ttl is sorted from the same N-Triples text and written
        loading = bg.submit(sink.finish, scratch[0])
        try:
            keys = union_keys_of_text(scratch[0])
            _tick("sort graph.ttl keys")
            evidence = "\0" + f"1<{KG_BASE}evidence>" + "\0"  # the key of a kg:evidence triple (see union_in_turtle_order)
            counts = len(keys), len({k.partition("\0")[0] for k in keys if evidence in k})
            with staged_file(out / TURTLE) as (tmp, fh):
                staged[out / TURTLE] = tmp
                written = BlockIndex(fh)
                write_turtle_of_keys(keys, scratch[1], written)
            _tick("write graph.ttl")
        finally:
            st = loading.result()
        _tick("store load (waited)")
        # each named question's answer, so 'kg query --named' pages it from a file
        answers = bg.submit(answer_bytes, st, key) if key else None
        try:
            subjects = list(dict.fromkeys(k.partition("\0")[0] for k in keys)) if record is not None else []
            if html:
                _write_html(keys, out, scratch[1], staged, written=True)
            offsets = written.index(subjects)
            keys.clear()  # (the largest thing held: not beside the answers as they are made)
        finally:
            saved = answers.result() if answers is not None else []
        _tick("answers, state")
    del st
    for name, data in saved:
        staged[out / ANSWERS / f"{name}.jsonl"] = stage_write(out / ANSWERS / f"{name}.jsonl", data)
    new_state = None
    if record is not None and offsets is not None:
        new_state = State(key=key, code=code_key(html), digests=dict(digests), articles=record["articles"],
                          entities=record["entities"], subjects=subjects, offsets=offsets,
                          triples=counts[0], facts=counts[1], turtle=written.digest())
    return counts, new_state


def _write_html(keys: list[str], out: Path, sorted_nt: Path, staged: dict[Path, Path], written: bool = False) -> None:
    """Stage graph.html, rendered from the union (sorted keys, as :func:`union_in_turtle_order` gives
    them; ``written``: they are in ``sorted_nt`` already)."""
    from kg.store.atomic import stage_write
    from kg.views.render import render_html

    if not written:
        with open(sorted_nt, "w", encoding="utf-8", newline="\n") as fh:
            for k in keys:
                s, p, o = k.split("\0", 2)
                fh.write(f"{s} {p[1:]} {o} .\n")
    staged[out / HTML] = stage_write(out / HTML, render_html(_rdflib_graph(sorted_nt)).encode("utf-8"))


def _rdflib_graph(ntriples: Path) -> "Graph":
    """The union (an N-Triples file) as an rdflib Graph with the project's prefixes (only graph.html needs one)."""
    from rdflib import Graph

    from kg.domain.vocab import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(str(ntriples), format="nt")
    return g


def _pause(moment: str) -> None:
    """A test hook: with KG_TEST_PAUSE=MOMENT:SECONDS the process sleeps here (so a test can kill it)."""
    spec = os.environ.get("KG_TEST_PAUSE", "")
    if spec.partition(":")[0] == moment:
        time.sleep(float(spec.partition(":")[2] or 30))
