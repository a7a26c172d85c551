"""Store: the embedded on-disk SPARQL store (pyoxigraph), the facts cache, and reading a build back.

A build folder holds ``graph.ttl`` (the union of all graphs), ``store/`` (an Oxigraph
database with one named graph per article plus the entities graph) and ``facts/`` (each
article's extraction results as JSON, so an incremental build re-reads only what changed).
The store's default graph holds the union of its named graphs, materialised once when the
store is written: queries read it directly (an order of magnitude faster than Oxigraph's
union-of-named-graphs view, which returns every copy of a triple), and the same SPARQL runs
unchanged on ``graph.ttl`` in any other engine. Readers of the store's quads take the named
graphs only (:func:`data_quads`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import queue
import shutil
import threading
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pyoxigraph as ox

try:
    import fcntl
except ImportError:  # not POSIX: builds are not locked against each other
    fcntl = None  # type: ignore[assignment]

from kg import errors
from kg.model import Article, ArticleFacts

if TYPE_CHECKING:
    from rdflib import Dataset

STORE_DIR = "store"
FACTS_DIR = "facts"
TURTLE = "graph.ttl"
OUTPUTS_KEY = FACTS_DIR + "/outputs.key"  # what the outputs were made from; written last by every build
CACHE_VERSION = 1


STAGED = STORE_DIR + ".new"   # a store being written (incomplete until committed)
ASIDE = STORE_DIR + ".old"    # the previous store, for the moment between two renames
LOCK = ".kg-build.lock"


def strip_graph_names(nquads: bytes) -> bytes:
    """N-Triples of the same statements: each line's last term (its graph IRI) removed.

    Only for N-Quads whose every line names a graph (as ``kg.graph`` writes them); a graph IRI
    holds no space, so the last ' <' on a line starts it."""
    lines = []
    for line in nquads.splitlines():
        cut = line.rfind(b" <")
        lines.append(line[:cut] + b" ." if cut > 0 else line)
    return b"\n".join(lines) + b"\n"


def stage_store(nquads: bytes, out: Path) -> ox.Store:
    """Write a complete new store beside ``out/store``, not yet in use, holding ``nquads`` (every
    quad names a graph); the union of the graphs becomes the default graph, each triple once.
    Returns the open staged store (drop it before :func:`commit_store`). A full build streams
    its quads instead (:class:`StreamingLoad`)."""
    tmp = out / STAGED
    shutil.rmtree(tmp, ignore_errors=True)
    st = ox.Store(str(tmp))
    st.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    st.bulk_load(input=strip_graph_names(nquads), format=ox.RdfFormat.N_TRIPLES)  # the union, once
    st.flush()
    return st


LOAD_CHUNK = 50_000  # lines per bulk load: Oxigraph's loader holds a whole input in memory while sorting it


def _load_in_chunks(st: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Bulk-load an N-Triples or N-Quads file (one statement a line) ``LOAD_CHUNK`` lines at a time:
    as fast as one load, and the loader's memory stays that of a chunk (one load of the 773k quads
    of 2,000 articles took 630 MB more for the time of the load; chunks of 100k, 116 MB; 50k now,
    as the load runs beside the sort of graph.ttl's keys)."""
    with open(path, "rb") as fh:
        while True:
            chunk = b"".join(line for _, line in zip(range(LOAD_CHUNK), fh))
            if not chunk:
                break
            st.bulk_load(input=chunk, format=fmt)


class StreamingLoad:
    """A sink for N-Quads (``write(bytes)`` of whole lines, as :func:`kg.rdf.write_nquads` writes)
    that bulk-loads them into a new staged store on another thread, a chunk at a time, while
    they are still being written: the load of the named graphs runs beside their emission instead
    of after it (Oxigraph's loader does not hold the GIL). :meth:`finish` then loads the union
    (N-Triples of the same triples) as the default graph, as :func:`stage_store` does.

    At most two chunks wait for the loader, so memory stays that of a few chunks; an error in the
    loader is raised by the next ``write`` or by :meth:`finish`."""

    CHUNK_BYTES = 8 * 2**20  # ≈ 40,000 quads: the loader holds a chunk in memory while it sorts it

    def __init__(self, out: Path) -> None:
        tmp = out / STAGED
        shutil.rmtree(tmp, ignore_errors=True)
        self.store = ox.Store(str(tmp))
        self._parts: list[bytes] = []
        self._size = 0
        self._error: BaseException | None = None
        self._queue: "queue.Queue[bytes | None]" = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._load, name="kg-store-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
                except BaseException as e:  # raised in the writer's thread
                    self._error = e

    def _send(self) -> None:
        if self._error is not None:
            raise self._error
        if self._parts:
            self._queue.put(b"".join(self._parts))
            self._parts, self._size = [], 0

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self.CHUNK_BYTES:
            self._send()
        return len(data)

    def close(self) -> None:
        """Stop the loader (what was sent is loaded); for an emission that failed part way."""
        if self._thread.is_alive():
            self._parts = []
            self._queue.put(None)
            self._thread.join()

    def finish(self, union: Path) -> ox.Store:
        """Wait for the named graphs, load the N-Triples file ``union`` as the default graph and
        return the open staged store (drop it before :func:`commit_store`)."""
        self._send()
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        _load_in_chunks(self.store, union, ox.RdfFormat.N_TRIPLES)  # the union, once
        self.store.flush()
        return self.store


def commit_store(out: Path) -> Path:
    """Put the staged store in place of ``out/store``.

    Two renames: store -> store.old, store.new -> store. A build killed between them leaves no
    store/ but a complete store.old, which readers use (:func:`store_dir`) and the next build
    puts back (:func:`recover`) before doing anything else.
    """
    final, old = out / STORE_DIR, out / ASIDE
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    (out / STAGED).rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def write_store(nquads: bytes, out: Path) -> Path:
    """Replace ``out/store`` by a new store holding ``nquads``; written aside, then swapped in."""
    st = stage_store(nquads, out)
    del st
    return commit_store(out)


def store_dir(out: Path) -> Path | None:
    """The store of build folder ``out``: store/, or store.old while a build is between its two renames."""
    for name in (STORE_DIR, ASIDE):
        if (out / name).is_dir():
            return out / name
    return None


def recover(out: Path) -> list[str]:
    """Undo what an interrupted build left in ``out`` (call holding :func:`build_lock`); says what it did.

    A store.old with no store/ is the previous store: it goes back. A staged store.new and
    temporary files of unfinished writes are removed. Outputs themselves are only ever replaced
    whole, so what remains is the last complete build.
    """
    done: list[str] = []
    final, old, staged = out / STORE_DIR, out / ASIDE, out / STAGED
    if old.is_dir() and not final.exists():
        old.rename(final)
        done.append(f"restored the previous store from {old.name}")
    for leftover in (old, staged):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.name}")
    temps = [*out.glob(".*.tmp"), *(out / FACTS_DIR).glob(".*.tmp"), *(out / "answers").glob(".*.tmp")]
    for t in sorted(temps):
        t.unlink(missing_ok=True)
    if temps:
        done.append(f"removed {len(temps)} unfinished temporary file(s)")
    return done


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the write lock of build folder ``out`` (one writer at a time; freed even when the process is killed)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+b") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                raise errors.KGError(errors.BUILD_LOCKED.format(path=out)) from e
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


MATERIALISE_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def materialise_union(st: ox.Store) -> None:
    """Copy every named graph's triples into the default graph (each triple once)."""
    st.update(MATERIALISE_UNION)


def has_union_default(st: ox.Store) -> bool:
    """Whether the default graph holds the data (a materialised union, or a plain RDF file's triples)."""
    return next(iter(st.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def data_quads(st: ox.Store) -> list[ox.Quad]:
    """The store's own quads: its named graphs when it has any (the default graph then only
    repeats their union), else the default graph (a plain triples file)."""
    named = [q for q in st if not isinstance(q.graph_name, ox.DefaultGraph)]
    return named or list(st)


def open_store(path: str | Path) -> ox.Store:
    """Open a build folder's store read-only, or load a Turtle/N-Triples/N-Quads/TriG file in memory."""
    p = Path(path)
    if p.is_dir() and (where := store_dir(p)) is not None:
        try:
            return ox.Store.read_only(str(where))
        except (RuntimeError, FileNotFoundError) as e:  # RocksDB reports corruption as RuntimeError
            raise errors.KGError(errors.STORE_DAMAGED.format(path=p, detail=_first_line(e))) from e
        except OSError as e:
            raise errors.KGError(errors.STORE_UNREADABLE.format(path=p, detail=_first_line(e))) from e
    if p.is_dir() and (p / TURTLE).is_file():
        p = p / TURTLE
    if p.is_file():
        fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG}.get(p.suffix.lower())
        if fmt is None:
            raise errors.KGError(errors.STORE_MISSING.format(path=p))
        st = ox.Store()
        try:
            st.bulk_load(path=str(p), format=fmt)
        except SyntaxError as e:
            raise errors.KGError(errors.NOT_RDF.format(path=p, detail=e)) from e
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            materialise_union(st)
        return st
    raise errors.KGError(errors.STORE_MISSING.format(path=p))


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def store_nquads(path: str | Path) -> bytes:
    """Every quad of a build folder's store (or an RDF file) as N-Quads, named graphs kept."""
    return ox.serialize(data_quads(open_store(path)), format=ox.RdfFormat.N_QUADS)


def load_dataset(path: str | Path) -> "Dataset":
    """A build folder's store (or an RDF file) as an rdflib Dataset with the project's prefixes."""
    from rdflib import Dataset

    from kg.domain.vocab import PREFIXES

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.parse(data=store_nquads(path), format="nquads")
    return ds


# ---------------------------------------------------------------------------------------------
# The facts cache: DIR/facts/<article>.json holds one ArticleFacts and the extractor fingerprint.
# ---------------------------------------------------------------------------------------------

def facts_file(out: Path, article_id: str) -> Path:
    """Where an article's cached facts live; the name is a hash, so any id is a safe file name."""
    name = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:20]
    return out / FACTS_DIR / f"{name}.json"


def facts_to_json(facts: ArticleFacts, fingerprint: str) -> str:
    """One article's facts as stable JSON (sorted keys), tagged with the extractor fingerprint."""
    doc = {"version": CACHE_VERSION, "fingerprint": fingerprint, "facts": dataclasses.asdict(facts)}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1)


@functools.lru_cache(maxsize=None)
def _fields(tp: type) -> tuple[dict[str, Any], frozenset[str]]:
    """A dataclass's field types and names (resolving the hints is slow: done once per class)."""
    return typing.get_type_hints(tp), frozenset(f.name for f in dataclasses.fields(tp))


def _rebuild(tp: Any, value: Any) -> Any:
    """``value`` (decoded JSON) turned back into an instance of type ``tp``."""
    try:
        return _converter(tp)(value)
    finally:
        _STRINGS.clear()


def _keep(value: Any) -> Any:
    return value


def _to_float(value: Any) -> Any:
    return float(value) if isinstance(value, int) else value


_STRINGS: dict[str, str] = {}  # while decoding one article's facts: one copy of each distinct string


def _shared(value: Any) -> Any:
    """``value`` (a string), the copy already read if any: an article's evidence repeats its
    sentences once per mention, so the decoded cache held six copies of every string."""
    return _STRINGS.setdefault(value, value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=None)
def _converter(tp: Any) -> Any:
    """A function turning decoded JSON into type ``tp``: the type is read once, here, so reading
    a large facts cache does no typing introspection per value."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        arms = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _converter(arms[0]) if len(arms) == 1 else _keep
        return lambda v: None if v is None else inner(v)
    if origin is list:
        (item,) = typing.get_args(tp)
        conv = _converter(item)
        if conv is _keep:
            return lambda v: None if v is None else list(v)
        return lambda v: None if v is None else [conv(x) for x in v]
    if origin is dict:
        _k, item = typing.get_args(tp)
        conv = _converter(item)
        return lambda v: None if v is None else {k: conv(x) for k, x in v.items()}
    if dataclasses.is_dataclass(tp):
        hints, known = _fields(tp)
        convs = {k: _converter(hints[k]) for k in known}
        fast = _all_fields(tp, convs)

        def build(v: Any) -> Any:
            if v is None:
                return None
            if v.keys() == known:  # as written by this model: every field, by name
                return fast(v)
            try:
                return tp(**{k: convs[k](x) for k, x in v.items()})
            except KeyError:
                unknown = set(v) - known
                if unknown:
                    raise ValueError(f"{tp.__name__} has no field(s) {sorted(unknown)}") from None
                raise
        return build
    if tp is float:
        return _to_float
    if tp is str:
        return _shared
    return _keep


def _all_fields(tp: Any, convs: dict[str, Any]) -> Any:
    """A function making ``tp`` from a dict holding every one of its fields: the fields taken by
    name and converted, as generated code (no loop, no call for fields kept as they are)."""
    names = [f.name for f in dataclasses.fields(tp)]
    env = {"tp": tp, **{f"c{i}": convs[n] for i, n in enumerate(names)}}
    args = ", ".join(f"v[{n!r}]" if convs[n] is _keep else f"c{i}(v[{n!r}])" for i, n in enumerate(names))
    exec(f"def make(v):\n    return tp({args})\n", env)  # noqa: S102 (field names of our own dataclasses)
    return env["make"]


def facts_from_json(text: str) -> tuple[ArticleFacts, str]:
    """(facts, fingerprint) from :func:`facts_to_json` output; ValueError if it does not fit the model."""
    try:
        doc = json.loads(text)
        raw = doc["facts"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(str(e)) from e
    try:
        if doc.get("version") != CACHE_VERSION:
            raise ValueError(f"cache version {doc.get('version')!r}")
        return _rebuild(ArticleFacts, raw), str(doc["fingerprint"])
    except (ValueError, KeyError, TypeError, AttributeError):
        # The model changed since this was written: keep the article, so it is read again.
        try:
            return ArticleFacts(article=_rebuild(Article, raw["article"])), ""
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(str(e)) from e


def read_facts(out: Path, skip: set[str] | frozenset[str] = frozenset()) -> dict[str, tuple[ArticleFacts, str]]:
    """Every cached article in build folder ``out``: id -> (facts, fingerprint), but for the files
    named in ``skip``. Unreadable files are skipped."""
    import logging

    found: dict[str, tuple[ArticleFacts, str]] = {}
    for f in sorted((out / FACTS_DIR).glob("*.json")):
        if f.name in skip:
            continue
        try:
            facts, fp = facts_from_json(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            logging.getLogger(__name__).warning("ignored cached facts %s: %s", f, e)
            continue
        found[facts.article.id] = (facts, fp)
    return found


def write_facts(out: Path, facts: ArticleFacts, fingerprint: str) -> None:
    """Cache one article's facts (atomically)."""
    from kg.store.atomic import atomic_write

    atomic_write(facts_file(out, facts.article.id), facts_to_json(facts, fingerprint).encode("utf-8"))


def cache_facts(out: Path, facts: ArticleFacts, fingerprint: str) -> ArticleFacts:
    """Cache one article's facts (atomically) and return them as read back from the cache: equal,
    and compact (each distinct string once), as the parent keeps them for the rest of the build."""
    from kg.store.atomic import atomic_write

    text = facts_to_json(facts, fingerprint)
    atomic_write(facts_file(out, facts.article.id), text.encode("utf-8"))
    return facts_from_json(text)[0]


def drop_facts(out: Path, article_id: str) -> bool:
    """Remove an article from the cache; True if it was there."""
    f = facts_file(out, article_id)
    if f.exists():
        f.unlink()
        return True
    return False


def has_facts(out: Path) -> bool:
    return (out / FACTS_DIR).is_dir()


def rdflib_graph(store: str | Path):  # -> rdflib.Graph (imported lazily: rdflib is slow to import)
    """The union of every graph in a build folder or RDF file, as an rdflib Graph (for the HTML views)."""
    from rdflib import Graph

    st = open_store(store)
    triples = st.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=not has_union_default(st))
    g = Graph()
    g.parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g
