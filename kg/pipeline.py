"""Run the NLP pipeline and the extractors over many articles, streaming facts out.

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
"""
from __future__ import annotations

import importlib.util
import multiprocessing as mp
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import errors
from .model import Article, ArticleFacts

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int], None]

PIPE_BATCH = 32        # Docs per nlp.pipe minibatch
MAX_TASK = 32          # articles per task sent to a worker
MIN_PER_WORKER = 8     # below workers * this many articles, run in-process

_PIPELINES: dict[str, "Language"] = {}
_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pipeline(model: str | None) -> "Language":
    """The project's pipeline on ``model``, loaded once per process and cached."""
    key = model or ""
    with _LOAD_LOCK:
        if key not in _PIPELINES:
            from . import nlp as nlp_mod

            _PIPELINES[key] = nlp_mod.build(model)
        return _PIPELINES[key]


def check_model(model: str | None) -> None:
    """Fail fast, without importing spaCy, when ``model`` is neither an installed package nor a path."""
    if model and importlib.util.find_spec(model) is None and not Path(model).exists():
        raise errors.KGError(errors.MODEL_MISSING.format(model=model))


def _docs_to_facts(nlp: "Language", articles: Iterable[Article]) -> Iterator[ArticleFacts]:
    from .extract import extract

    for doc, art in nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=PIPE_BATCH):
        yield extract(doc, art)


def extract_batch(articles: list[Article], model: str | None) -> list[ArticleFacts]:
    """Facts of one batch of articles, in order: the task every engine runs."""
    nlp = pipeline(model)
    with _RUN_LOCK:  # one pipeline per process: threads of one worker take turns
        return list(_docs_to_facts(nlp, articles))


def batches(articles: list[Article], workers: int, size: int = MAX_TASK) -> list[list[Article]]:
    """Cut ``articles`` into consecutive tasks: at most ``size`` each, and at least ~4 per worker."""
    per = max(1, min(size, -(-len(articles) // (4 * max(1, workers)))))
    return [articles[i:i + per] for i in range(0, len(articles), per)]


def _in_process(articles: list[Article], model: str | None, progress: Progress | None) -> Iterator[ArticleFacts]:
    for facts in _docs_to_facts(pipeline(model), articles):
        yield facts
        if progress:
            progress(1)


def _pool(articles: list[Article], model: str | None, workers: int,
          progress: Progress | None) -> Iterator[ArticleFacts]:
    # spawn, not fork: the parent may hold BLAS or Dask threads, which fork can deadlock. An
    # executor, not a Pool: a worker that dies raises BrokenProcessPool instead of respawning.
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        for facts in pool.map(partial(extract_batch, model=model), batches(articles, workers)):
            yield from facts
            if progress:
                progress(len(facts))


def extract_all(articles: list[Article], model: str | None, workers: int = 1,
                progress: Progress | None = None, scheduler: object | None = None) -> Iterator[ArticleFacts]:
    """One ArticleFacts per article, in input order; only the facts are kept, never the Docs.

    ``workers`` processes on this machine, or, given ``scheduler`` (a Dask scheduler address such
    as ``tcp://host:8786``, or a ``dask.distributed.Client``), the workers of a Dask cluster.
    """
    check_model(model)
    if scheduler is not None:
        from .distributed import extract_on_cluster

        yield from extract_on_cluster(articles, model, scheduler, progress)
    elif workers <= 1 or len(articles) < workers * MIN_PER_WORKER:
        yield from _in_process(articles, model, progress)
    else:
        yield from _pool(articles, model, workers, progress)
