"""Evaluate: score a built graph's answers to the competency questions against gold answers.

Matching is lenient about form and strict about facts (the rules of the project's SPEC):
names compared without titles, "the", possessives and punctuation, a longer name matching a
shorter one only when the shorter has two or more words; roles and measures on word overlap;
dates when one is a prefix of the other; quotes when most of the gold words are present.
Gold rows marked ``optional`` neither count as misses nor, when matched, as false positives.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable

from kg import errors
from kg.views.query import named, run
from kg.store import open_store

QUESTIONS = ["people", "organisations", "places", "roles", "ratings", "events",
             "quotes", "succession", "mentions", "figures"]
TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "cllr", "councillor", "lord", "lady", "prof", "professor"}
STOP = {"of", "for", "the", "a", "an", "and", "in", "at", "to", "on", "s", "by", "with"}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"twice": 2, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})
RATINGS = {"require improvement": "requires improvement", "requiring improvement": "requires improvement",
           "requires improvement to be good": "requires improvement"}
MIN_QUOTE_WORDS = 4
Row = dict[str, str]


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return s.lower().strip()


def words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+(?:-[a-z0-9]+)*", re.sub(r"'s\b", "", fold(s)))


def name_key(s: str) -> list[str]:
    w = words(s)
    while w and (w[0] in TITLES or w[0] == "the"):
        w = w[1:]
    return w


def name_match(pred: str, gold: str) -> bool:
    if gold == "*":
        return True
    p = name_key(pred)
    for alt in gold.split("|"):
        g = name_key(alt)
        if not g and not p:
            return True
        if not g or not p:
            continue
        short, long_ = (p, g) if len(p) <= len(g) else (g, p)
        if p == g or (len(short) >= 2 and any(long_[i:i + len(short)] == short
                                              for i in range(len(long_) - len(short) + 1))):
            return True
    return False


def phrase_match(pred: str, gold: str) -> bool:
    if gold == "*":
        return True
    p = {w for w in words(pred) if w not in STOP}
    for alt in gold.split("|"):
        g = {w for w in words(alt) if w not in STOP}
        if (not g and not p) or (g and p and (g <= p or len(g & p) / len(g | p) >= 0.5)):
            return True
    return False


def date_match(pred: str, gold: str) -> bool:
    gold, pred = (gold or "").strip(), (pred or "").strip()
    if not gold or gold == "*":
        return True
    return bool(pred) and (pred.startswith(gold) or gold.startswith(pred))


def rating_key(s: str) -> str:
    s = " ".join(words(s)).replace("-", " ")
    return RATINGS.get(s, s)


def numbers(s: str) -> set[float]:
    out = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", s)}
    return out | {float(NUMBER_WORDS[w]) for w in words(s) if w in NUMBER_WORDS}


def row_match(q: str, p: Row, g: Row) -> bool:
    get = lambda k: p.get(k, "")  # noqa: E731
    if q in ("people", "organisations", "places"):
        return name_match(get("name"), g["name"])
    if q == "roles":
        return (name_match(get("person"), g["person"]) and phrase_match(get("role"), g["role"])
                and name_match(get("organisation"), g.get("organisation", "*")))
    if q == "ratings":
        return (name_match(get("subject"), g["subject"]) and rating_key(get("rating")) == rating_key(g["rating"])
                and date_match(get("date"), g.get("date", "")) and name_match(get("inspector"), g.get("inspector", "*")))
    if q == "succession":
        return (name_match(get("successor"), g["successor"]) and name_match(get("predecessor"), g["predecessor"])
                and phrase_match(get("post"), g.get("post", "*")))
    if q == "mentions":
        return name_match(get("entity"), g["entity"]) and Path(get("article")).stem == g["article"]
    if q == "figures":
        return numbers(get("value")) == numbers(g["value"]) and phrase_match(get("measure"), g["measure"])
    raise ValueError(q)


def max_matching(preds: list, golds: list, match: Callable[[Any, Any], bool]) -> dict[int, int]:
    """Maximum bipartite matching gold -> prediction (required gold rows first)."""
    edges = [[j for j, p in enumerate(preds) if match(p, g)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in sorted(range(len(golds)), key=lambda i: bool(golds[i].get("optional"))):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _dedupe(rows: list[Row]) -> list[Row]:
    seen, out = set(), []
    for r in rows:
        k = tuple(sorted((k, fold(v)) for k, v in r.items()))
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _score_matched(preds: list, golds: list[Row], match: Callable) -> tuple[dict, list, list]:
    m = max_matching(preds, golds, match)
    req = [i for i, g in enumerate(golds) if not g.get("optional")]
    matched_opt = sum(1 for i in m if golds[i].get("optional"))
    used = set(m.values())
    return (prf(sum(1 for i in req if i in m), len(preds) - matched_opt, len(req)),
            [golds[i] for i in req if i not in m], [p for j, p in enumerate(preds) if j not in used])


def score_rows(q: str, preds: list[Row], golds: list[Row]) -> tuple[dict, list, list]:
    return _score_matched(_dedupe(preds), golds, lambda p, g: row_match(q, p, g))


def _event_groups(rows: list[Row]) -> list[dict]:
    events: dict[str, dict] = {}
    for r in rows:
        e = events.setdefault(r.get("event", ""), {"type": fold(r.get("type", "")), "dates": set(), "participants": []})
        if r.get("date"):
            e["dates"].add(r["date"].strip())
        if r.get("participant"):
            e["participants"].append(r["participant"])
    return list(events.values())


def _event_match(e: dict, g: Row) -> bool:
    if e["type"] != fold(g["type"]):
        return False
    if g.get("date") and not any(date_match(d, g["date"]) for d in e["dates"]):
        return False
    return any(name_match(p, gp) for gp in (g.get("participants") or ["*"]) for p in (e["participants"] or [""]))


def score_events(preds: list[Row], golds: list[Row]) -> tuple[dict, list, list]:
    res, missed, wrong = _score_matched(_event_groups(preds), golds, _event_match)
    return res, missed, [{**w, "dates": sorted(w["dates"])} for w in wrong]


def score_quotes(preds: list[Row], golds: list[Row]) -> tuple[dict, list, list]:
    preds = [p for p in _dedupe(preds) if len(words(p.get("quote", ""))) >= MIN_QUOTE_WORDS]
    golds = [g for g in golds if len(words(g["quote"])) >= MIN_QUOTE_WORDS]
    found = [False] * len(golds)
    tp_pred, wrong = 0, []
    for p in preds:
        pw = set(words(p.get("quote", "")))
        hits = [i for i, g in enumerate(golds) if name_match(p.get("speaker", ""), g["speaker"])
                and len(set(words(g["quote"])) & pw) / len(set(words(g["quote"]))) >= 0.6]
        inside = set().union(*(set(words(golds[i]["quote"])) for i in hits)) if hits else set()
        if hits and len(pw & inside) / len(pw) >= 0.5:
            for i in hits:
                found[i] = True
            tp_pred += any(not golds[i].get("optional") for i in hits)
        else:
            wrong.append(p)
    req = [i for i, g in enumerate(golds) if not g.get("optional")]
    res = prf(sum(1 for i in req if found[i]), tp_pred + len(wrong), len(req))
    res["precision"] = round(tp_pred / (tp_pred + len(wrong)), 3) if tp_pred + len(wrong) else 0.0
    p, r = res["precision"], res["recall"]
    res["f1"] = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return res, [golds[i] for i in req if not found[i]], wrong


def load_gold(path: str | Path) -> dict[str, list[Row]]:
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise errors.KGError(errors.GOLD_UNREADABLE.format(path=path, detail=e)) from e
    if not isinstance(gold, dict) or not any(q in gold for q in QUESTIONS):
        raise errors.KGError(errors.GOLD_UNREADABLE.format(path=path, detail=f"no question among {QUESTIONS}"))
    return gold


def evaluate(gold_path: str | Path, store: str | Path) -> dict[str, Any]:
    """Score every question the gold file has; returns per-question results and the macro F1."""
    gold = load_gold(gold_path)
    st = open_store(store)
    out: dict[str, Any] = {"questions": {}, "missed": {}, "wrong": {}}
    for q in [q for q in QUESTIONS if q in gold]:
        rows = run(st, named(q)).records()
        scorer = score_events if q == "events" else score_quotes if q == "quotes" else (
            lambda p, g, q=q: score_rows(q, p, g))
        res, missed, wrong = scorer(rows, gold[q])
        out["questions"][q], out["missed"][q], out["wrong"][q] = res, missed, wrong
    f1s = [r["f1"] for r in out["questions"].values()]
    out["macro_f1"] = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    return out


def report_text(result: dict[str, Any], show: int = 3) -> str:
    lines = []
    for q, r in result["questions"].items():
        lines.append(f"{q:14s} P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f}"
                     f"  ({r['tp']}/{r['gold']} gold found, {r['predicted']} answers)")
        lines += ["    missed: " + json.dumps(m, ensure_ascii=False)[:160] for m in result["missed"][q][:show]]
        lines += ["    wrong:  " + json.dumps(w, ensure_ascii=False, default=list)[:160] for w in result["wrong"][q][:show]]
    lines.append(f"macro F1 = {result['macro_f1']:.3f}")
    return "\n".join(lines)


FACT_VAR = re.compile(r"^#\s*fact:\s*\?(\w+)", re.M)


def rule_query(sparql: str) -> str | None:
    """The named query with one more column, ``?rule``: the extraction rule of its fact node.

    A named query says which variable is its fact node in a ``# fact: ?var`` comment; queries
    without one (people, places, mentions) answer about entities, not facts, and give None.
    """
    m = FACT_VAR.search(sparql)
    if not m:
        return None
    var = m.group(1)
    sel = re.search(r"SELECT\s+(?:DISTINCT\s+)?((?:\?\w+\s*)+)WHERE\s*\{", sparql, re.I)
    order = re.search(r"\}\s*ORDER\s+BY", sparql, re.I)
    close = order.start() if order else sparql.rstrip().rfind("}")
    if not sel or close < 0:
        return None
    body = (sparql[:close] + f"  OPTIONAL {{ ?{var} <https://w3id.org/newskg/ns#extractionRule> ?rule }}\n"
            + sparql[close:])
    return body[:sel.end(1)] + "?rule " + body[sel.end(1):]


def _quote_match(p: Row, g: Row) -> bool:
    pw, gw = set(words(p.get("quote", ""))), set(words(g["quote"]))
    return bool(gw) and name_match(p.get("speaker", ""), g["speaker"]) and len(gw & pw) / len(gw) >= 0.6


def by_rule(gold_path: str | Path, store: str | Path) -> list[dict[str, Any]]:
    """Per extraction rule and question: answers produced and how many match a gold row
    (required or optional), so a rule that misfires is found in one command."""
    gold = load_gold(gold_path)
    st = open_store(store)
    out: list[dict[str, Any]] = []
    for q in [q for q in QUESTIONS if q in gold]:
        sparql = rule_query(named(q))
        if sparql is None:
            continue
        by: dict[str, list[Row]] = {}
        for r in run(st, sparql).records():
            rule = r.pop("rule", "") or "(none)"
            by.setdefault(rule, []).append(r)
        for rule, rows in sorted(by.items()):
            if q == "events":
                answers: list = _event_groups(rows)
                hit = lambda a: any(_event_match(a, g) for g in gold[q])  # noqa: E731
            elif q == "quotes":
                answers = [p for p in _dedupe(rows) if len(words(p.get("quote", ""))) >= MIN_QUOTE_WORDS]
                hit = lambda a: any(_quote_match(a, g) for g in gold[q])  # noqa: E731
            else:
                answers = _dedupe(rows)
                hit = lambda a, q=q: any(row_match(q, a, g) for g in gold[q])  # noqa: E731
            good = sum(1 for a in answers if hit(a))
            # events right but for a date the text did not give them (gold has one): not wrong, less specific
            undated = sum(1 for a in answers if q == "events" and not hit(a) and not a["dates"]
                          and any(_event_match(a, {**g, "date": ""}) for g in gold[q]))
            out.append({"rule": rule, "question": q, "answers": len(answers), "matched": good, "undated": undated,
                        "precision": round(good / len(answers), 3) if answers else 0.0})
    return out


def by_rule_text(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'rule':34s} {'question':11s} {'answers':>7s} {'matched':>7s} {'undated':>7s} {'precision':>9s}"]
    lines += [f"{r['rule']:34s} {r['question']:11s} {r['answers']:7d} {r['matched']:7d} {r['undated']:7d} {r['precision']:9.2f}"
              for r in sorted(rows, key=lambda r: (r["precision"], r["rule"]))]
    lines.append("undated: events that match a gold event but for the date, which their text does not give")
    return "\n".join(lines)
