"""Render bench/results.json as the Markdown tables of bench/RESULTS.md.

    python bench/report.py [bench/results.json ...]   # several files: their sizes side by side
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cell(r: dict | None) -> str:
    """One query's median ms and rows, or why there is none."""
    if r is None:
        return "–"
    if r.get("median_ms") is None:
        return f"> {r['timeout_s']:.0f} s (timed out)" if "timeout_s" in r else "failed"
    return f"{r['median_ms']:.1f} ({r['rows']})"


def _page(r: dict | None, which: str = "first_page") -> str:
    """One query's first-page (or other) median ms, or why there is none."""
    page = (r or {}).get(which)
    return f"{page['median_ms']:.1f}" if page and page.get("median_ms") is not None else "–"


def tables(data: dict) -> str:
    """Machine, throughput, memory, store and query tables, then the target verdicts."""
    m = data["machine"]
    out = [f"Measured {m['date']} on {m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM, Python {m['python']}, "
           f"spaCy {m['spacy']}, commit {m['commit']}; load average {m['loadavg_at_start']:.2f} at start, "
           f"{m.get('loadavg_at_end', float('nan')):.2f} at end. graph.html {'written' if data['html'] else 'not written'}"
           " in the timed builds.", ""]
    out += ["| N | words | bare spaCy words/s | kg build words/s | ratio (wall) | ratio (CPU) | 1 worker words/s "
            "| speed-up | peak RSS tree MB | largest process MB | store MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, s in data["sizes"].items():
        w = s["workers"]
        b, k, one = s["bare_spacy"], s[f"kg_build_w{w}"], s.get("kg_build_w1")
        out.append(f"| {n} | {s['words']} | {b['words_per_s']:.0f} | {k['words_per_s']:.0f} | {s['build_vs_spacy']:.2f} "
                   f"| {s.get('build_vs_spacy_cpu') or 0:.2f} | {one['words_per_s'] if one and w > 1 else '–'} "
                   f"| {s.get('speedup_w_over_1', '–')} | {k['peak_rss_tree_mb']:.0f} | {k['peak_rss_process_mb']:.0f} "
                   f"| {s['store_mb']} |")
    out += ["", "Wall and CPU seconds, and the load average (1 min) before and after each timed command:", "",
            "| N | command | wall s | CPU s | load before → after |", "|---|---|---|---|---|"]
    for n, s in data["sizes"].items():
        for key in ["bare_spacy", *sorted(k for k in s if k.startswith("kg_build_w"))]:
            r = s[key]
            out.append(f"| {n} | {key} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['load_before']:.2f} → {r['load_after']:.2f} |")
    ratios = [(n, s) for n, s in data["sizes"].items() if "build_vs_spacy_w1" in s]
    for n, s in ratios:
        out += ["", f"N={n}, 1 worker: bare spaCy {s['bare_spacy_w1']['wall_s']:.1f} s, kg build "
                f"{s['kg_build_w1']['wall_s']:.1f} s: ratio {s['build_vs_spacy_w1']:.2f}; 2 workers over 1: kg build "
                f"{s['speedup_w_over_1']:.2f}×, bare spaCy {s['bare_speedup_w_over_1']:.2f}×."]
    for n, s in data["sizes"].items():
        if "rounds" in s:
            walls = "; ".join(f"{k.replace('_w', ' x')}: " + ", ".join(f"{w:.1f}" for w in v) + " s"
                              for k, v in s["rounds"].items())
            ratios = "; ".join(f"{k}: " + ", ".join(f"{r:.2f}" for r in v) for k, v in s["rounds_ratio"].items())
            out += ["", f"N={n}, each round (bare spaCy then kg build, interleaved; the tables give the median "
                    f"run): {walls}. Ratio per round: {ratios}."]
    inc = [(n, s) for n, s in data["sizes"].items() if "add_one" in s]
    if inc:
        out += ["", "Serial tail alone (the build again with its outputs key removed: read the cache, resolve, "
                "write every output; no parse), adding one article and removing it, against the full build:", "",
                "| N | full build s | serial tail s (share) | add 1 s (share) | remove 1 s (share) | tail peak RSS MB |",
                "|---|---|---|---|---|---|"]
        for n, s in inc:
            full = s[f"kg_build_w{s['workers']}"]["wall_s"]
            t, a, r = s["serial_tail"], s["add_one"], s["remove_one"]
            out.append(f"| {n} | {full:.1f} | {t['wall_s']:.1f} ({t['share']:.0%}) | {a['wall_s']:.1f} ({a['share']:.0%}) "
                       f"| {r['wall_s']:.1f} ({r['share']:.0%}) | {t['peak_rss_tree_mb']:.0f} |")
        steps = [(n, name, s[key]["timings"]) for n, s in inc for key, name in
                 (("serial_tail", "serial tail"), ("add_one", "add 1"), ("remove_one", "remove 1"))
                 if s[key].get("timings")]
        if steps:
            out += ["", "Where that time goes, as `kg` reports it (KG_TIMINGS=1; \"waited\": for a worker or "
                    "thread running beside the parent):", ""]
            out += [f"- N={n}, {name}: {t}" for n, name, t in steps]
    if data.get("memory_only"):
        out += ["", "Memory-only sizes (`kg build` alone, no graph.html):", "",
                "| N | words | wall s | peak RSS tree MB | largest process MB |", "|---|---|---|---|---|"]
        for n, m in data["memory_only"].items():
            b = m[f"kg_build_w{m['workers']}"]
            out.append(f"| {n} | {m['words']} | {b['wall_s']:.1f} | {b['peak_rss_tree_mb']:.0f} | {b['peak_rss_process_mb']:.0f} |")
    if "components" in data:
        c = data["components"]
        total = sum(c["seconds"].values())
        out += ["", f"Pipeline components, one process, {c['articles']} articles (bench/components.py):", "",
                "| component | s | ms/article | share |", "|---|---|---|---|"]
        for k, v in c["seconds"].items():
            out.append(f"| {k} | {v:.2f} | {1000 * v / c['articles']:.1f} | {v / total:.0%} |")
        if "paired" in c:
            p = c["paired"]
            out += ["", f"The same {c['articles']} articles in one process, bare spaCy (the model's whole pipeline) and "
                    f"kg's parse and extraction alternating: bare " + ", ".join(f"{x:.2f}" for x in p["bare_spacy"])
                    + " s; kg " + ", ".join(f"{x:.2f}" for x in p["kg_parse_extract"]) + " s; ratio "
                    + ", ".join(f"{x:.2f}" for x in p["ratio"]) + "."]
    names = sorted({q for s in data["sizes"].values() for q in s["queries"]})
    out += ["", "Named questions, median ms over repeated runs on one open build folder: as `kg query --named` "
            "answers them (from the answer the build saved: the first page, `--limit 100`, and the full answer "
            "streamed, with its rows), and as live SPARQL on the store (first page, full answer):", ""]
    for n, s in data["sizes"].items():
        out += [f"N={n}:", "", "| query | first page | full answer (rows) | live SPARQL first page | live SPARQL full |",
                "|---|---|---|---|---|"]
        for q in names:
            r = s["queries"].get(q)
            out.append(f"| {q} | {_page(r)} | {_cell(r)} | {_page(r, 'live_first_page')} | {_page(r, 'live')} |")
        out.append("")
    out += ["", "Cold `kg query --named people --format csv` (fresh process), median of 5: "
            + ", ".join(f"N={n}: {s['cold_query']['median_s']:.2f} s" for n, s in data["sizes"].items()), "",
            "| target | measured | bound | holds |", "|---|---|---|---|"]
    for k, v in data.get("targets", {}).items():
        if "target" in v:
            out.append(f"| {k} | {v['value']} | {v['target']} | {'yes' if v['ok'] else '**no**'} |")
        else:
            out.append(f"| {k} | × {v['value']} for × {v['corpus_growth']} words | well below linear | "
                       f"{'yes' if v['value'] < v['corpus_growth'] / 2 else '**no**'} |")
    return "\n".join(out) + "\n"


def merge(paths: list[Path]) -> dict:
    """Several result files as one: sizes side by side, targets judged again on the largest."""
    sys.path.insert(0, str(HERE))
    from run import verdict

    runs = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    data = {**runs[0], "sizes": {}}
    for r in runs:
        data["sizes"].update(r["sizes"])
    if len(runs) > 1:
        m = data["machine"]
        m["date"] = " and ".join(r["machine"]["date"] for r in runs)
        m["commit"] = ", ".join(dict.fromkeys(r["machine"]["commit"] for r in runs))
        m["loadavg_at_start"] = min(r["machine"]["loadavg_at_start"] for r in runs)
        m["loadavg_at_end"] = max(r["machine"].get("loadavg_at_end", 0.0) for r in runs)
    data["sizes"] = dict(sorted(data["sizes"].items(), key=lambda kv: int(kv[0])))
    data["targets"] = verdict(data)
    return data


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:]] or [HERE / "results.json"]
    sys.stdout.write(tables(merge(files)))
