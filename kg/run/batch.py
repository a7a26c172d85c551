"""The batch task every engine runs: parse a batch of articles and extract their facts.

Work is cut into batches of articles. A batch is the unit every engine runs the same way,
:func:`extract_batch`: the pipeline is loaded once per process (and cached there), the batch
goes through ``nlp.pipe``, and each Doc is turned into :class:`ArticleFacts` and dropped at
once, so only facts cross process boundaries and memory stays flat as the corpus grows.

Engines: in-process (one worker, or a corpus too small to be worth starting processes), a
pool of worker processes (``workers`` > 1), or a Dask cluster (``scheduler``, see
:mod:`kg.distributed`). All three give the same facts in input order.

Worker processes run the whole per-article path (parse *and* extract). spaCy's own
``nlp.pipe(n_process=N)`` would parse in workers but ship every Doc back to serialise,
deserialise and extract in the parent, which then becomes the bottleneck on N cores.

An article longer than the pipeline's ``max_length`` is read in pieces of at most
:data:`PIECE_CHARS` characters cut at paragraph breaks (else sentence ends, else spaces); each
piece is extracted on its own, its evidence offsets shifted back into the whole article's text,
and the pieces' facts merged into one :class:`ArticleFacts`, so memory stays bounded however
long the article. Names are resolved within a piece only ("Mr X" in piece 3 does not see the
full name in piece 1); articles within ``max_length`` are read whole, as before.
"""
from __future__ import annotations

import re
import threading
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from kg.model import Article, ArticleFacts, Evidence

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int], None]

PIPE_BATCH = 32        # Docs per nlp.pipe minibatch
MAX_TASK = 32          # articles per task sent to a worker
MIN_PER_WORKER = 8     # below workers * this many articles, run in-process
MIN_TASK = 4           # the last tasks shrink to this many articles
PIECE_CHARS = 50_000   # an article longer than nlp.max_length is read in pieces of at most this
PIECE_BATCH = 2        # pieces per nlp.pipe minibatch (the parser's memory grows with the text)

_RUN_LOCK = threading.Lock()
_PIPELINES: dict[str, "Language"] = {}
_LOAD_LOCK = threading.Lock()


def load_pipeline(model: str | None) -> "Language":
    """The project's pipeline on ``model``, loaded once per process and cached (workers reuse it)."""
    key = model or ""
    with _LOAD_LOCK:
        if key not in _PIPELINES:
            from kg.nlp import create

            _PIPELINES[key] = create(model)
        return _PIPELINES[key]


def docs_to_facts(nlp: "Language", articles: Iterable[Article]) -> Iterator[ArticleFacts]:
    """Facts of each article in order; articles beyond ``nlp.max_length`` are read in pieces."""
    from kg.extract import extract

    normal: list[Article] = []
    for art in articles:
        if len(art.text) <= nlp.max_length:
            normal.append(art)
            continue
        for doc, a in nlp.pipe(((a.text, a) for a in normal), as_tuples=True, batch_size=PIPE_BATCH):
            yield extract(doc, a)
        normal = []
        yield _extract_in_pieces(nlp, art)
    for doc, a in nlp.pipe(((a.text, a) for a in normal), as_tuples=True, batch_size=PIPE_BATCH):
        yield extract(doc, a)


_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"”’')\]]*\s"), re.compile(r"\s"))


def pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) ranges covering ``text``, each at most ``size`` characters.

    Each cut is the last paragraph break in the window, else line break, else sentence end,
    else space, else (one unbroken run of characters) exactly ``size`` characters in.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, size // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or size
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def _shift(obj: Any, by: int) -> Any:
    """``obj`` with every :class:`Evidence` inside it moved ``by`` characters (dataclasses changed in place)."""
    if isinstance(obj, Evidence):
        return replace(obj, start=obj.start + by, end=obj.end + by,
                       sent_start=obj.sent_start + by, sent_end=obj.sent_end + by)
    if isinstance(obj, list):
        return [_shift(x, by) for x in obj]
    if is_dataclass(obj) and not isinstance(obj, (type, Article)):
        for f in fields(obj):
            setattr(obj, f.name, _shift(getattr(obj, f.name), by))
    return obj


def _extract_in_pieces(nlp: "Language", art: Article) -> ArticleFacts:
    """One article longer than ``nlp.max_length``, read piece by piece and merged (offsets into the whole text)."""
    from kg.extract import extract

    spans = pieces(art.text, min(PIECE_CHARS, nlp.max_length))
    merged = ArticleFacts(article=art)
    parts = ((art.text[s:e], s) for s, e in spans)
    for doc, offset in nlp.pipe(parts, as_tuples=True, batch_size=PIECE_BATCH):
        facts = extract(doc, replace(art, text=doc.text))
        for f in fields(ArticleFacts):
            if f.name != "article":
                getattr(merged, f.name).extend(_shift(getattr(facts, f.name), offset))
    return merged


def extract_batch(articles: list[Article], model: str | None) -> list[ArticleFacts]:
    """Facts of one batch of articles, in order: the task every engine runs."""
    nlp = load_pipeline(model)
    with _RUN_LOCK:  # one pipeline per process: threads of one worker take turns
        return list(docs_to_facts(nlp, articles))


def batches(articles: list[Article], workers: int, size: int = MAX_TASK) -> list[list[Article]]:
    """Cut ``articles`` into consecutive tasks: at most ``size`` each, at least ~4 per worker, and
    smaller toward the end (guided scheduling: each at most half of what remains per worker, down
    to :data:`MIN_TASK`), so the workers finish together instead of one idling while another reads
    a last full task (up to 2 s at 32 articles)."""
    workers = max(1, workers)
    per = max(1, min(size, -(-len(articles) // (4 * workers))))
    out, i = [], 0
    while i < len(articles):
        left = len(articles) - i
        n = min(left, max(min(MIN_TASK, per), min(per, -(-left // (2 * workers)))))
        out.append(articles[i:i + n])
        i += n
    return out


