"""Run the NLP pipeline and the extractors over many articles, streaming facts out."""
from __future__ import annotations

import os
from typing import Callable, Iterator

from .model import Article, ArticleFacts

Progress = Callable[[int], None]


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def extract_all(articles: list[Article], model: str | None, workers: int = 1,
                progress: Progress | None = None) -> Iterator[ArticleFacts]:
    """One ArticleFacts per article, in input order; only the facts are kept, never the Docs."""
    from . import nlp as nlp_mod
    from .extract import extract

    nlp = nlp_mod.build(model)
    n_process = max(1, min(workers, len(articles)))
    docs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16, n_process=n_process)
    for doc, art in docs:
        yield extract(doc, art)
        if progress:
            progress(1)
