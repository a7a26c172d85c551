import json, html, re, sys
from pathlib import Path
D = Path("/work/main/tests/data/dev_c")
dev = json.loads(Path("/work/shared/eval/dev/gold.json").read_text())
g = json.loads((D / "gold.json").read_text())
ok = True
def err(*a):
    global ok; ok = False; print("ERROR", *a)
if list(g.keys()) != list(dev.keys()):
    err("top-level keys differ", list(g.keys()), list(dev.keys()))
for k, v in dev.items():
    if isinstance(v, list) and v and isinstance(v[0], dict):
        devf = set().union(*(set(r) for r in v))
        gf = set().union(*(set(r) for r in g[k])) if g[k] else set()
        if gf - devf: err(k, "extra fields", gf - devf)
        req = devf - {"optional"}
        for r in g[k]:
            if set(r) - {"optional"} != req: err(k, "row fields", r)
            if "optional" in r and r["optional"] is not True: err(k, "optional not true", r)
if g["corpus"] != "dev_c": err("corpus")
texts = {}
for a in g["articles"]:
    fs = list((D / "articles").glob(a + ".*"))
    if len(fs) != 1: err("article file", a, fs); continue
    t = fs[0].read_text(encoding="utf-8")
    if fs[0].suffix == ".html":
        t = html.unescape(re.sub(r"<[^>]+>", " ", t))
    texts[a] = t
allt = "\n".join(texts.values())
# quotes verbatim
for q in g["quotes"]:
    if not any(q["quote"] in t for t in texts.values()):
        err("quote not verbatim:", q["quote"][:80])
# mentions: at least one alias in that article
for m in g["mentions"]:
    t = texts[m["article"]].lower()
    if not any(al.strip() and al.lower() in t for al in m["entity"].split("|")):
        err("mention alias not in article", m)
# people / orgs / places: some alias somewhere
for k in ["people", "organisations", "places"]:
    for r in g[k]:
        if not any(al and al.lower() in allt.lower() for al in r["name"].split("|")):
            err(k, "not found in corpus", r["name"])
# figures: value verbatim somewhere
for f in g["figures"]:
    if f["value"] not in allt:
        err("figure value not in text", f["value"])
# ratings values
for r in g["ratings"]:
    if r["rating"] not in {"outstanding", "good", "requires improvement", "inadequate"}: err("rating", r)
TYPES = {"inspection","appointment","resignation","takeover","report","review","intervention","death","conviction","reorganisation","spending_control","other"}
for e in g["events"]:
    if e["type"] not in TYPES: err("event type", e)
    if e["date"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e["date"]): err("date", e)
for r in g["ratings"]:
    if r["date"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["date"]): err("date", r)
# every person in roles/quotes/succession is a gold person or org
names = [set(x.lower() for x in r["name"].split("|")) for r in g["people"] + g["organisations"]]
def known(cell):
    alts = set(x.lower() for x in cell.split("|"))
    return cell == "*" or any(alts & n for n in names)
for r in g["roles"]:
    if not known(r["person"]): err("role person unknown", r["person"])
for r in g["succession"]:
    for c in ("successor", "predecessor"):
        if not known(r[c]): err("succession unknown", r[c])
for a, t in texts.items():
    print(a, len(t.split()), "words")
for k, v in g.items():
    if isinstance(v, list) and v and isinstance(v[0], dict):
        print(f"{k:14s} required={sum(1 for r in v if not r.get('optional')):4d} optional={sum(1 for r in v if r.get('optional')):4d}")
print("OK" if ok else "FAILED")
