"""Build: the whole path, articles in -> graph.ttl, store/ and graph.html out. Returns data."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import errors, ingest
from .pipeline import Progress, extract_all

log = logging.getLogger(__name__)

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

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        return (f"Built {self.out}: {self.articles} articles{skipped}, {self.entities} entities, "
                f"{self.facts} facts, {self.triples} triples in {self.seconds:.1f}s")


def build(sources: Iterable[str | Path], out: str | Path, model: str | None = None,
          workers: int = 1, strict: bool = False, progress: Progress | None = None,
          html: bool = True) -> BuildReport:
    """Build the knowledge graph of ``sources`` into folder ``out``."""
    from . import nlp as nlp_mod
    from .export import write_outputs
    from .resolve import resolve

    t0 = time.perf_counter()
    sources = list(sources)
    out = Path(out)
    articles, skipped = ingest.load(sources)
    for path, reason in skipped:
        log.warning(errors.SKIPPED.format(path=path, reason=reason))
    if not articles:
        raise errors.KGError(errors.NO_INPUT.format(paths=", ".join(map(str, sources))))
    if strict and skipped:
        raise errors.KGError(errors.STRICT_SKIPS.format(count=len(skipped)))
    model = nlp_mod.DEFAULT_MODEL if model is None else model
    facts = list(extract_all(articles, model, workers, progress))
    res = resolve(facts)
    report = BuildReport(out=out, articles=len(articles), skipped=skipped)
    report.triples = write_outputs(facts, res, out, html=html)
    report.entities = len(res.entities)
    report.facts = sum(len(f.posts) + len(f.events) + len(f.ratings) + len(f.quotes)
                       + len(f.successions) + len(f.figures) for f in facts)
    report.seconds = time.perf_counter() - t0
    return report
