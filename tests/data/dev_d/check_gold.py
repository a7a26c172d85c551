#!/usr/bin/env python3
"""Sanity checks for dev_d/gold.json against the shared dev gold (structure only)."""
import html, json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = Path("/work/shared/eval/dev/gold.json")
gold = json.loads((HERE / "gold.json").read_text())
dev = json.loads(DEV.read_text())
ok = True

def fail(msg):
    global ok
    ok = False
    print("FAIL:", msg)

if list(gold.keys()) != list(dev.keys()):
    fail(f"top-level keys differ: {list(gold.keys())} vs {list(dev.keys())}")
if gold.get("corpus") != "dev_d":
    fail("corpus is not dev_d")

for q, rows in dev.items():
    if not isinstance(rows, list) or q == "articles":
        continue
    dev_fields = set().union(*(set(r) for r in rows)) - {"optional"}
    for i, r in enumerate(gold[q]):
        extra = set(r) - dev_fields - {"optional"}
        missing = dev_fields - set(r)
        if extra or missing:
            fail(f"{q}[{i}] fields differ: extra={extra} missing={missing}")
        for k, v in r.items():
            if k == "optional" and v is not True:
                fail(f"{q}[{i}] optional is not true")
            elif k == "participants":
                if not (isinstance(v, list) and all(isinstance(x, str) and x for x in v)):
                    fail(f"{q}[{i}] participants malformed")
            elif k != "optional" and not isinstance(v, str):
                fail(f"{q}[{i}].{k} is not a string")

RATINGS = {"outstanding", "good", "requires improvement", "inadequate"}
for i, r in enumerate(gold["ratings"]):
    if r["rating"] not in RATINGS:
        fail(f"ratings[{i}] bad value {r['rating']}")
TYPES = {"inspection", "appointment", "resignation", "takeover", "report", "review", "intervention",
         "death", "conviction", "reorganisation", "spending_control", "other"}
for i, e in enumerate(gold["events"]):
    if e["type"] not in TYPES:
        fail(f"events[{i}] bad type {e['type']}")
    if e["date"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e["date"]):
        fail(f"events[{i}] bad date {e['date']}")
for i, r in enumerate(gold["ratings"]):
    if r["date"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["date"]):
        fail(f"ratings[{i}] bad date {r['date']}")

texts = {}
art_dir = HERE / "articles"
for name in gold["articles"]:
    files = [p for p in art_dir.iterdir() if p.stem == name]
    if len(files) != 1:
        fail(f"article {name}: {len(files)} files")
        continue
    t = files[0].read_text(encoding="utf-8")
    if files[0].suffix == ".html":
        t = html.unescape(t)
    texts[name] = t
    n = len(re.sub(r"<[^>]+>", " ", t).split())
    print(f"{name}{files[0].suffix}: {n} words (incl. page furniture)")
stems = {p.stem for p in art_dir.iterdir()}
if stems != set(gold["articles"]):
    fail(f"files without an articles entry: {stems - set(gold['articles'])}")

for i, m in enumerate(gold["mentions"]):
    if m["article"] not in gold["articles"]:
        fail(f"mentions[{i}] unknown article {m['article']}")

alltext = "\n".join(texts.values())
for i, qrow in enumerate(gold["quotes"]):
    if qrow["quote"] not in alltext:
        fail(f"quote[{i}] not verbatim in any article: {qrow['quote'][:70]}")

# every required mention's entity should literally occur (some alias) in its article
for i, m in enumerate(gold["mentions"]):
    t = texts.get(m["article"], "").replace("\u2019", "'")
    if not any(a and a in t for a in m["entity"].split("|")):
        fail(f"mentions[{i}] no alias of {m['entity'][:60]} in {m['article']}")

for q in ["people", "organisations", "places", "roles", "ratings", "events", "quotes", "succession", "mentions", "figures"]:
    rows = gold[q]
    req = sum(1 for r in rows if not r.get("optional"))
    print(f"{q:14s} required={req:4d} optional={len(rows)-req:4d}")
print("OK" if ok else "PROBLEMS FOUND")
sys.exit(0 if ok else 1)
