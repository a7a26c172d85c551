"""Extraction on a Dask cluster: the same per-batch task as a local build, run by Dask workers.

Each task is :func:`kg.run.batch.extract_batch` on a batch of articles; a worker process loads
the pipeline on its first task and keeps it (cached in :mod:`kg.run.batch`). Only articles go
out and only :class:`ArticleFacts` come back; corpus-level resolution and graph writing then
run locally, so the graph equals that of a local build. Tasks are submitted through a bounded
window, so neither the scheduler nor this process holds the whole corpus in flight.

Workers need this package and the spaCy model installed. Run them with one thread each
(``dask worker tcp://HOST:8786 --nthreads 1 --nworkers N``): the parse holds the GIL, so a
worker's threads take turns on its one cached pipeline.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Iterator

from kg import errors
from kg.model import Article, ArticleFacts
from kg.run.batch import Progress, batches, extract_batch

if TYPE_CHECKING:
    from dask.distributed import Client

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = "10s"


def connect(scheduler: Any) -> tuple["Client", bool]:
    """A Client for an address, a cluster object or a Client; the flag says whether we own it."""
    try:
        from dask.distributed import Client
    except ImportError as e:
        raise errors.KGError(errors.DISTRIBUTED_MISSING) from e
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as e:
        raise errors.KGError(errors.SCHEDULER_UNREACHABLE.format(address=address)) from e


def extract_on_cluster(articles: list[Article], model: str | None, scheduler: Any,
                       progress: Progress | None = None) -> Iterator[ArticleFacts]:
    """One ArticleFacts per article, in input order, computed by the cluster's workers."""
    from dask.distributed import as_completed

    client, owned = connect(scheduler)
    try:
        threads = max(1, sum(client.nthreads().values()))
        log.info("Dask: %d worker thread(s) at %s", threads, client.scheduler.address)
        todo = batches(articles, threads)
        window = max(4, 2 * threads)
        pending = iter(enumerate(todo))
        index: dict[str, int] = {}

        def submit() -> Any:
            i, batch = next(pending)
            fut = client.submit(extract_batch, batch, model, pure=False)
            index[fut.key] = i
            return fut

        running = as_completed([submit() for _ in range(min(window, len(todo)))], loop=client.loop)
        done: dict[int, list[ArticleFacts]] = {}
        nxt = 0
        for fut in running:
            facts = fut.result()
            done[index.pop(fut.key)] = facts
            fut.release()
            if progress:
                progress(len(facts))
            if nxt + len(done) + len(index) < len(todo):
                running.add(submit())
            while nxt in done:
                yield from done.pop(nxt)
                nxt += 1
    finally:
        if owned:
            client.close()
