"""Run: the same batch task (:func:`kg.run.batch.extract_batch`) in-process, on a pool of worker
processes, or on a Dask cluster (:mod:`kg.run.cluster`). All three give the same facts in input order,
and only facts cross process boundaries, so memory stays flat as the corpus grows.

Worker processes run the whole per-article path (parse *and* extract). spaCy's own
``nlp.pipe(n_process=N)`` would parse in workers but ship every Doc back to serialise,
deserialise and extract in the parent, which then becomes the bottleneck on N cores.
"""
from __future__ import annotations

import importlib.util
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Iterator

from kg import errors
from kg.model import Article, ArticleFacts
from kg.run.batch import MIN_PER_WORKER, Progress, batches, docs_to_facts, extract_batch, load_pipeline

__all__ = ["Progress", "Warm", "check_model", "default_workers", "extract_all"]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_model(model: str | None) -> None:
    """Fail fast, without importing spaCy, when ``model`` is neither an installed package nor a path."""
    if model and importlib.util.find_spec(model) is None and not Path(model).exists():
        raise errors.KGError(errors.MODEL_MISSING.format(model=model))


def _in_process(articles: list[Article], model: str | None, progress: Progress | None) -> Iterator[ArticleFacts]:
    for facts in docs_to_facts(load_pipeline(model), articles):
        yield facts
        if progress:
            progress(1)


def _spawn_pool(workers: int, model: str | None = None) -> ProcessPoolExecutor:
    # spawn, not fork: the parent may hold BLAS or Dask threads, which fork can deadlock. An
    # executor, not a Pool: a worker that dies raises BrokenProcessPool instead of respawning.
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_worker_start,
                               initargs=(os.getpid(), model))


def _worker_start(parent: int, model: str | None) -> None:
    """First thing in each worker process: end with the parent, then load the pipeline (if
    ``model`` is given, so the worker is ready before its first task)."""
    die_with_parent(parent)
    if model is not None:
        load_pipeline(model)


def die_with_parent(parent: int) -> None:
    """Have this process killed when process ``parent`` ends (Linux's parent-death signal). A
    build killed by a signal (``kill``, a job scheduler's timeout) runs no clean-up, and its
    workers would otherwise wait for work for ever, each holding a loaded model."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _pool(articles: list[Article], model: str | None, workers: int,
          progress: Progress | None, warm: "Warm | None" = None) -> Iterator[ArticleFacts]:
    pool = warm.take(model, workers) if warm is not None else None
    with pool or _spawn_pool(workers) as pool:
        for facts in pool.map(partial(extract_batch, model=model), batches(articles, workers)):
            yield from facts
            if progress:
                progress(len(facts))


def _nothing() -> None:
    return None


class Warm:
    """Worker processes started before the work is known: each imports spaCy and loads the model
    (2–3 s) while the parent reads its sources and plans the build. A build with enough to read
    passes this to :func:`extract_all`, whose pool then is these processes; :meth:`close` stops
    them if they were not needed (nothing new to read, or too little for a pool)."""

    def __init__(self, model: str | None, workers: int) -> None:
        self.model, self.workers = model, workers
        self.pool: ProcessPoolExecutor | None = _spawn_pool(workers, model)
        for _ in range(workers):  # a spawn-context executor starts a process per waiting task
            self.pool.submit(_nothing)

    def take(self, model: str | None, workers: int) -> ProcessPoolExecutor | None:
        """The warm pool, if it runs ``model`` on ``workers`` processes (once; None after)."""
        pool, self.pool = self.pool, None
        if pool is not None and (model, workers) != (self.model, self.workers):
            pool.shutdown(wait=False, cancel_futures=True)
            return None
        return pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


class _Background:
    """A few articles read in one spawned worker process, started at once: the worker's start,
    spaCy's import and the model's load take seconds, in which the parent reads its cache."""

    def __init__(self, articles: list[Article], model: str | None, progress: Progress | None) -> None:
        self.pool = _spawn_pool(1)
        self.future = self.pool.submit(extract_batch, articles, model)
        self.progress = progress

    def __iter__(self) -> Iterator[ArticleFacts]:
        try:
            facts = self.future.result()
        finally:
            self.pool.shutdown(cancel_futures=True)
        if self.progress:
            self.progress(len(facts))
        yield from facts


def extract_all(articles: list[Article], model: str | None, workers: int = 1,
                progress: Progress | None = None, scheduler: object | None = None,
                start_now: bool = False, warm: Warm | None = None) -> Iterator[ArticleFacts]:
    """One ArticleFacts per article, in input order; only the facts are kept, never the Docs.

    ``workers`` processes on this machine, or, given ``scheduler`` (a Dask scheduler address such
    as ``tcp://host:8786``, or a ``dask.distributed.Client``), the workers of a Dask cluster.
    With ``start_now`` and several workers allowed, a few articles (too few for the pool) are read
    in one worker process that starts before this returns, so the caller can do other work while
    it loads the model; otherwise the work starts when the facts are first asked for. ``warm``
    (processes already started, see :class:`Warm`) is used as the pool when one is needed.
    """
    check_model(model)
    if start_now and scheduler is None and workers > 1 and 0 < len(articles) < workers * MIN_PER_WORKER:
        return iter(_Background(articles, model, progress))
    return _extract(articles, model, workers, progress, scheduler, warm)


def _extract(articles: list[Article], model: str | None, workers: int, progress: Progress | None,
             scheduler: object | None, warm: Warm | None = None) -> Iterator[ArticleFacts]:
    if scheduler is not None:
        from kg.run.cluster import extract_on_cluster

        yield from extract_on_cluster(articles, model, scheduler, progress)
    elif workers <= 1 or len(articles) < workers * MIN_PER_WORKER:
        yield from _in_process(articles, model, progress)
    else:
        yield from _pool(articles, model, workers, progress, warm)
