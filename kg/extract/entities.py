"""Entity mentions in one article, resolved within the article.

Names come from the pipeline's entities; this module adds what a reader resolves in their
head: "Mr Newsam" is the Malcolm Newsam named earlier, "NSCB" is the board whose name it
follows in brackets, "the watchdog" is the regulator the article is about, "the council" its
council, and "an independent trust … the trust" is one unnamed but definite body.
"""
from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.domain import load_json
from kg.model import Article, Evidence, Mention
from kg.nlp import bodies, normalise_apostrophes, org_type_of

ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,9}$")


@dataclass
class EntityIndex:
    """Mentions of one article and a lookup from character offsets to the entity there."""

    mentions: list[Mention] = field(default_factory=list)
    main: dict[str, str] = field(default_factory=dict)  # org type -> most mentioned name
    place: str = ""
    text: str = ""

    def at(self, start: int, end: int) -> Mention | None:
        """The mention overlapping [start, end), preferring the longest."""
        best = None
        for m in self.mentions:
            if m.evidence.start < end and start < m.evidence.end:
                if best is None or (m.evidence.end - m.evidence.start) > (best.evidence.end - best.evidence.start):
                    best = m
        return best

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions wholly inside [start, end), in text order."""
        return [m for m in self.mentions if start <= m.evidence.start and m.evidence.end <= end]

    def kind_of(self, name: str) -> str:
        for m in self.mentions:
            if m.name == name:
                return m.kind
        return ""


def text_of(doc: Doc) -> str:
    """The Doc's text, computed once (spaCy rebuilds ``Doc.text`` from its tokens on every access)."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


# The only characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter (İ ı ſ K):
# after this and ``str.lower``, an ASCII word a case-blind pattern matches is a substring.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def folded(text: str) -> str:
    """``text`` case-folded so that ``key in folded(text)`` is necessary for a case-blind match of
    a pattern holding the ASCII word ``key`` (a cheap test before running the pattern)."""
    return text.translate(_FOLD).lower()


def folded_text(doc: Doc) -> str:
    """:func:`folded` of the Doc's text, computed once."""
    low = doc.user_data.get("kg_folded")
    if low is None:
        low = doc.user_data["kg_folded"] = folded(text_of(doc))
    return low


def key_word(phrase: str) -> str:
    """The word of a literal lexicon phrase to look for before matching it: its longest plain
    ASCII word, lower-cased ("" when it has none, and then every text is a candidate)."""
    words = [w.lower() for w in phrase.split() if w.isascii() and w.isalnum()]
    return max(words, key=len, default="")


def span_text(span: Span) -> str:
    """A span's text sliced from the cached Doc text (``Span.text`` rebuilds it from tokens)."""
    return text_of(span.doc)[span.start_char:span.end_char]


def sentence_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character offsets of every sentence, computed once per Doc."""
    bounds = doc.user_data.get("kg_sents")
    if bounds is None:
        sents = list(doc.sents) if len(doc) else []
        bounds = doc.user_data["kg_sents"] = ([s.start_char for s in sents], [s.end_char for s in sents])
    return bounds


def evidence(span: Span | Doc, article: str, start: int | None = None, end: int | None = None) -> Evidence:
    """Evidence for a span (or explicit character offsets) with its sentence."""
    doc = span if isinstance(span, Doc) else span.doc
    text = text_of(doc)
    s = span.start_char if start is None else start
    e = span.end_char if end is None else end
    starts, ends = sentence_bounds(doc)
    i = bisect_right(starts, s) - 1
    ss, se = (starts[i], ends[i]) if i >= 0 else (s, e)
    return Evidence(article, s, e, text[s:e], ss, se, text[ss:se].strip())


def extract_mentions(doc: Doc, article: Article) -> EntityIndex:
    """All entity mentions in ``doc`` with names resolved inside the article."""
    idx = EntityIndex(text=text_of(doc))
    names = [_name_mention(ent, article) for ent in doc.ents]
    idx.mentions = _drop_headline_only([m for m in names if m is not None], idx.text)
    _resolve_acronyms(doc, idx)
    _resolve_partial_people(idx)
    _resolve_short_bodies(idx)
    _lone_words_as_places(idx)
    _places_from_context(doc, article, idx)
    _resolve_short_places(idx)
    idx.main = _main_bodies(idx)
    idx.place = _main_place(idx)
    _add_unnamed(doc, article, idx)
    _add_descriptors(doc, article, idx)
    idx.mentions.sort(key=lambda m: (m.evidence.start, m.evidence.end))
    return idx


def _drop_headline_only(mentions: list[Mention], text: str) -> list[Mention]:
    """In a headline in Title Case every word is capitalised, so the NER sees names everywhere
    ("Midlands Care Home Placed Under Special Measures"): keep a headline name only when the
    article's body names it too."""
    end = text.find("\n\n")
    if end < 0:
        return mentions
    words = re.findall(r"[A-Za-z][\w'’-]*", text[:end])
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return mentions
    body = text[end:].lower()
    return [m for m in mentions if m.evidence.start >= end or m.evidence.text.lower() in body]


def _name_mention(ent: Span, article: Article) -> Mention | None:
    text = " ".join(ent.text.split())
    if ent.label_ == "ORG":
        typ = org_type_of(text) or ent.kb_id_
        canon = _canonical_named(text)
        return Mention(canon or text, "ORG", evidence(ent, article.id), typ, "name" if not canon or canon == text else "alias")
    return Mention(text, ent.label_, evidence(ent, article.id))


def _canonical_named(text: str) -> str:
    low = normalise_apostrophes(text).lower()
    for name, _typ, aliases in bodies()["named"]:
        if low == name.lower() or low in {normalise_apostrophes(a).lower() for a in aliases}:
            return name
    return ""


def _resolve_acronyms(doc: Doc, idx: EntityIndex) -> None:
    """"Full Name (ACR)" makes ACR an alias of Full Name everywhere in the article."""
    defs: dict[str, Mention] = {}
    for m in idx.mentions:
        if m.kind != "ORG":
            continue
        after = text_of(doc)[m.evidence.end:m.evidence.end + 14]
        if a := re.match(r"\s*\(([A-Z][A-Za-z&]{1,9})\)", after):
            defs[a.group(1)] = m
            m.acronym = a.group(1)
    for acr, full in defs.items():
        canon = _canonical_named(acr)
        if canon and full.name != canon:
            old = full.name
            for m in idx.mentions:
                if m.kind == "ORG" and m.name == old:
                    m.name, m.org_type = canon, org_type_of(canon) or m.org_type
    for m in idx.mentions:
        if m.kind == "ORG" and m.name in defs and ACRONYM.match(m.name):
            full = defs[m.name]
            m.acronym, m.name, m.form = m.name, full.name, "acronym"
            m.org_type = m.org_type or full.org_type
    for m in idx.mentions:
        if m.kind != "ORG" and m.evidence.text in defs:  # the NER's person or place "SEEAT"
            full = defs[m.evidence.text]
            m.kind, m.name, m.org_type, m.form, m.acronym = "ORG", full.name, full.org_type, "acronym", m.evidence.text
    text = text_of(doc)
    heads = {h for h, _ in bodies()["heads"]}
    for acr, full in defs.items():  # the uses the NER missed ("chief executive of SEEAT")
        if acr.lower() in heads:
            continue  # "PDU": a kind of body, and the head of other names ("Newham PDU")
        for a in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
            if re.search(r"[A-Z][\w'’&-]*,?\s+$", text[max(0, a.start() - 30):a.start()]):
                continue  # the end of another name
            if a.start() - full.evidence.end <= 3:
                continue  # the definition itself: "Full Name (ACR)" is one mention
            if _free(idx, a.start(), a.end()):
                idx.mentions.append(Mention(full.name, "ORG", evidence(doc, full.evidence.article, a.start(), a.end()),
                                            full.org_type, "acronym", acronym=acr))


def _resolve_short_places(idx: EntityIndex) -> None:
    """A "place" that begins the name of a body named in the article is that body's short form
    when the body is not named after its place ("Heycroft" for "Heycroft Primary School",
    "Redlands" for "Redlands Care Home", "Barts Health" for "Barts Health NHS Trust"); a councils's
    or a force's place ("Bradford" in "Bradford Council") stays a place."""
    short = bodies()["short_forms"]
    bodies_here = {m.name: m.org_type for m in idx.mentions if m.kind == "ORG" and m.org_type and m.form == "name"}
    for m in idx.mentions:
        if m.kind != "PLACE":
            continue
        words = m.name.split()
        longer = sorted({n for n, t in bodies_here.items() if n.split()[:len(words)] == words and len(n.split()) > len(words)
                         and (t in short["types"] or words[-1].lower() in short["last_words"])})
        if len(longer) == 1:
            m.kind, m.name, m.org_type, m.form = "ORG", longer[0], bodies_here[longer[0]], "alias"


def _resolve_partial_people(idx: EntityIndex) -> None:
    """A one-word person mention takes the full name it shares a first or last name with."""
    full = [m.name for m in idx.mentions if m.kind == "PERSON" and len(m.name.split()) > 1]
    surnames = {f.split()[-1] for f in full} | {f.split()[0] for f in full}  # "Star" of "Star Hobson"
    for m in idx.mentions:
        if m.kind == "PLACE" and m.name in surnames:
            m.kind = "PERSON"
    gender: dict[str, str] = {}  # full name -> "m"/"f", learnt from "Mr X"/"Ms X" resolved to it
    for m in sorted(idx.mentions, key=lambda o: o.evidence.start):
        if m.kind != "PERSON" or len(m.name.split()) > 1:
            continue
        title = re.findall(r"(\w+)\.?\s*$", idx.text[max(0, m.evidence.start - 6):m.evidence.start])
        g = GENDERED.get(title[0].lower(), "") if title else ""
        last = [f for f in full if f.split()[-1] == m.name]
        first = [f for f in full if f.split()[0] == m.name]
        cands = sorted(set(last)) or sorted(set(first))
        if g and len(cands) > 1:
            cands = [c for c in cands if gender.get(c, g) == g]  # "Ms Anderson" is not the man called "Mr Anderson"
        if len(cands) == 1:
            m.name, m.form = cands[0], "alias"
        elif len(cands) > 1:
            # "Greg Clark … Sean Clark … Mr Clark said": the one named last before, outside this sentence
            before = [o for o in idx.mentions if o.kind == "PERSON" and o.name in cands
                      and o.evidence.end <= m.evidence.sent_start]
            if before:
                m.name, m.form = max(before, key=lambda o: o.evidence.start).name, "alias"
        if g and m.form == "alias":
            gender.setdefault(m.name, g)


LOCATIVE = re.compile(r"(?:\b(?:in|at|near|nearby|outside|around|across)\s+|^\s*Nearby\s+)$", re.I)


@lru_cache(maxsize=1)
def _facility_pattern() -> re.Pattern[str]:
    """The first word of a body's head ("hospital", "prison") right after a word."""
    heads = sorted({h[0].split()[0] for h in bodies()["heads"]}, key=len, reverse=True)
    return re.compile(r"\s+(?:" + "|".join(re.escape(h) for h in heads) + r")\b", re.I)


def _lone_words_as_places(idx: EntityIndex) -> None:
    """A one-word "person" the article never names in full is a place where the text uses it as
    one: after "in", "at", "near" ("Nearby Edlington was …", "a hospital in Whitechapel"), or as
    the place of a facility ("a Norwich hospital"). Every mention of that word follows."""
    names = {w for m in idx.mentions if m.kind == "PERSON" and len(m.name.split()) > 1 for w in m.name.split()}
    facility = _facility_pattern()
    places = set()
    for m in idx.mentions:
        if m.kind != "PERSON" or " " in m.name or m.form != "name" or m.name in names:
            continue
        before = idx.text[max(m.evidence.sent_start, m.evidence.start - 20):m.evidence.start]
        after = idx.text[m.evidence.end:m.evidence.end + 30]
        if re.match(r"['’]", after):
            continue  # "in Smith's view"
        if LOCATIVE.search(before) or (re.search(r"\b(?:a|an)\s+$", before, re.I) and facility.match(after)):
            places.add(m.name)
    for m in idx.mentions:
        if m.kind == "PERSON" and m.name in places and m.form == "name":
            m.kind = "PLACE"


PLACE_LOCATIVE = re.compile(r"\b(?:in|on|near|across|around|outside)\s+$", re.I)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Capitalised words that name no place however they are used ("in Good", "on Notice")."""
    return frozenset(w.lower() for w in load_json("facts.json")["rating_levels"]) | frozenset(
        {"notice", "force", "council", "government", "parliament", "court", "office", "school", "hospital"})


AREA_NOUNS = r"(?:area|district|estate|suburb|ward|neighbourhood|village|town|constituency)"
PLACE_OF = re.compile(r"\b(?:mayor|MP|member|councillor|bishop|people|residents|leader)\s+(?:of|for)\s+"
                      r"([A-Z][a-z]+(?:[- ](?:(?:and|upon|on|in|of|the)[- ])?[A-Z][a-z]+){0,4})\b")
AREA_OF = re.compile(r"\bthe\s+((?:[A-Z][a-z]+\s+){1,3})" + AREA_NOUNS + r"\b")


def _places_from_context(doc: Doc, article: Article, idx: EntityIndex) -> None:
    """Places the NER missed that the text marks as places: "the mayor of Tower Hamlets", "MP for
    South West Norfolk", "the Winson Green area of the city". Only capitalised words no mention
    already covers, and never a word that names a body or a person here."""
    text = idx.text
    known = {w for m in idx.mentions if m.kind in ("PERSON", "ORG") for w in m.name.split()}
    for pat in (PLACE_OF, AREA_OF):
        for m in pat.finditer(text):
            s, e = m.span(1)
            name = text[s:e].strip()
            e = s + len(name)
            if not name or any(w in known for w in name.split()) or not _free(idx, s, e) or \
                    any(w.lower() in _common_words() for w in name.split()):
                continue
            if re.search(r"[.!?]\s*$", text[max(0, s - 3):s]):
                continue
            idx.mentions.append(Mention(name, "PLACE", evidence(doc, article.id, s, e), "", "name"))


def _resolve_short_bodies(idx: EntityIndex) -> None:
    """A bare name the NER took for a body ("Torbay", "Nottingham") is the article's body whose
    name it begins when written as its possessor or with a service ("Torbay's children's
    services"), else the place; a lone surname of a person named in full is that person; any
    other single capitalised word with no body head and no acronym shape is dropped (a
    capitalised common word: "Good", "Notice", "Force")."""
    text = idx.text
    typed = sorted({m.name for m in idx.mentions if m.kind == "ORG" and m.org_type and m.form == "name"})
    people = {m.name.split()[-1]: m.name for m in idx.mentions if m.kind == "PERSON" and len(m.name.split()) > 1}
    keep = []
    names = {w for m in idx.mentions if m.kind == "PERSON" and len(m.name.split()) > 1 for w in m.name.split()}
    for m in idx.mentions:
        if m.kind == "PERSON" and " " not in m.name and m.name not in names and any(
                t.split()[0] == m.name and len(t.split()) > 1 for t in typed):
            m.kind = "ORG"  # "Avon", "Lambeth": the NER's person is the first word of a body named here
        if m.kind != "ORG" or m.org_type or m.form != "name" or _canonical_named(m.name):
            keep.append(m)
            continue
        words = m.name.split()
        longer = [t for t in typed if t.split()[:len(words)] == words and len(t.split()) > len(words)]
        after = text[m.evidence.end:m.evidence.end + 40].lower().replace("’", "'")
        if len(set(longer)) == 1 and re.match(r"(?:'s?\s|\s+(?:children's|council|social|adult|maternity|services?))", after):
            m.name, m.org_type, m.form = longer[0], next(o.org_type for o in idx.mentions if o.name == longer[0]), "alias"
        elif longer:
            m.kind = "PLACE"
        elif len(words) == 1 and m.name in people:
            m.kind, m.name, m.form = "PERSON", people[m.name], "alias"
        elif len(words) == 1 and not re.search(r"\d", m.name) and (
                not re.fullmatch(r"[A-Z][A-Z&]{1,9}s?", m.name) or len(m.name) <= 4 and not m.acronym):
            if PLACE_LOCATIVE.search(text[max(m.evidence.sent_start, m.evidence.start - 20):m.evidence.start]) \
                    and not re.match(r",\s+(?:the|its|our|their|a|an)\s", text[m.evidence.end:m.evidence.end + 8]) \
                    and not re.fullmatch(r"[A-Z][A-Z&]+s?", m.name) and m.name.lower() not in _common_words():
                m.kind = "PLACE"  # "served on Merseyside": the NER's body is a place
                keep.append(m)
            continue  # "Good", "Notice"; an undefined short acronym ("PCC", "GCSE", "USB")
        keep.append(m)
    idx.mentions = keep


GENDERED = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f"}


def _main_bodies(idx: EntityIndex) -> dict[str, str]:
    counts: dict[str, Counter[str]] = {}
    for m in idx.mentions:
        if m.kind == "ORG" and m.org_type:
            counts.setdefault(m.org_type, Counter())[m.name] += 1
    return {t: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t, c in counts.items()}


def _main_place(idx: EntityIndex) -> str:
    places = Counter(m.name for m in idx.mentions if m.kind == "PLACE")
    if places:
        return sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    council = idx.main.get("local_authority", "")
    return council.split()[0] if council else ""


def _phrase_regex(phrases: list[list[str]], lead: str) -> list[tuple[re.Pattern[str], str, str]]:
    out = []
    for phrase, typ in sorted(phrases, key=lambda p: -len(p[0])):
        words = r"\s+".join(re.escape(w).replace("'", "['’]") for w in phrase.split())
        out.append((re.compile(rf"\b{lead}\s+({words})\b", re.I), phrase, typ))
    return out


@lru_cache(maxsize=None)
def _phrase_patterns(name: str, lead: str) -> list[tuple[re.Pattern[str], str, str, str]]:
    """:func:`_phrase_regex` of the body lexicon's list ``name``, built once, each with its key word."""
    return [(p, ph, t, key_word(ph)) for p, ph, t in _phrase_regex(bodies()[name], lead)]


def _free(idx: EntityIndex, start: int, end: int) -> bool:
    return all(not (m.evidence.start < end and start < m.evidence.end) for m in idx.mentions)


def _add_unnamed(doc: Doc, article: Article, idx: EntityIndex) -> None:
    """"An independent trust took control" introduces a body with no name of its own."""
    low = folded_text(doc)
    for pat, phrase, typ, key in _phrase_patterns("unnamed", r"(?:an?|the\s+new)"):
        if key not in low:
            continue
        for m in pat.finditer(text_of(doc)):
            s, e = m.span(1)
            if not _free(idx, s, e):
                continue
            name = f"{phrase} ({idx.place})" if idx.place else phrase
            idx.mentions.append(Mention(name, "ORG", evidence(doc, article.id, s, e), typ, "unnamed"))


def _add_descriptors(doc: Doc, article: Article, idx: EntityIndex) -> None:
    """"The council", "the watchdog", "the trust", "inspectors" refer back to a body."""
    low = folded_text(doc)
    for pat, _phrase, typ, key in _descriptor_patterns():
        if key not in low:
            continue
        for m in pat.finditer(text_of(doc)):
            s, e = m.span(1)
            if not _free(idx, s, e) or _capitalised_name_follows(text_of(doc), e):
                continue
            target = _by_modifier(idx, typ, s, m.group(1).lower()) or _antecedent(idx, typ, s, m.group(1).lower().split()[-1])
            if target:
                idx.mentions.append(Mention(target.name, "ORG", evidence(doc, article.id, s, e),
                                            target.org_type, "descriptor"))


@lru_cache(maxsize=1)
def _descriptor_patterns() -> list[tuple[re.Pattern[str], str, str, str]]:
    """Descriptions of bodies ("the council", "its trust") and inspectors' nouns, each with its key word."""
    lex = bodies()
    inspectors = [(re.compile(rf"\b(?:the\s+)?({re.escape(w)})\b", re.I), w, "regulator", key_word(w))
                  for w in lex["inspector_nouns"] if " " not in w or w.startswith("ofsted")]
    return _phrase_patterns("descriptors", r"(?:the|its|this)") + inspectors


MODIFIER_WORDS = {"island": ("isle", "isles", "island", "islands"), "county": ("county",), "city": ("city",),
                  "borough": ("borough",), "district": ("district",)}


def _by_modifier(idx: EntityIndex, typ: str, before: int, phrase: str) -> Mention | None:
    """"The island council", "the county council": the one council named before whose name says so."""
    words = phrase.split()
    if len(words) < 2 or words[0] not in MODIFIER_WORDS or typ != "local_authority":
        return None
    marks = MODIFIER_WORDS[words[0]]
    named = [m for m in idx.mentions if m.kind == "ORG" and m.org_type == typ and m.form != "descriptor"
             and m.evidence.start < before and any(w in marks for w in m.name.lower().split())]
    return named[-1] if len({m.name for m in named}) == 1 else None


def _capitalised_name_follows(text: str, end: int) -> bool:
    """'the Trust Board' or 'the council's' are handled elsewhere; skip a following capital word."""
    return bool(re.match(r"\s+[A-Z][a-z]+\s+(?:Council|Trust|Board)", text[end:end + 30]))


def _antecedent(idx: EntityIndex, typ: str, before: int, head: str = "") -> Mention | None:
    """The body a description refers to: the latest named one whose name has the description's
    head word ("the trust" -> "… NHS Trust"), else the latest of its type, else the main one."""
    named = [m for m in idx.mentions if m.kind == "ORG" and m.evidence.start < before and m.form != "descriptor"]
    in_para = [m for m in named if "\n\n" not in idx.text[m.evidence.end:before]]
    if head in bodies()["antecedent_heads"] or head in ("home", "prison", "force"):
        by_head = [m for m in named if head in m.name.lower().split()]
        # one named in the description's own paragraph (by its head word or its type: "Beechdene …
        # the home"); else the article's most mentioned (a name and its shorter forms counted
        # together: "Queen Elizabeth Hospital" is the trust)
        near = [m for m in in_para if m in by_head or (typ and m.org_type == typ)]
        if near:
            return near[-1]
        if by_head:
            return salient(by_head, grouped=[m for m in named])
    prior = [m for m in named if m.org_type == typ]
    if typ in ("childrens_trust", "safeguarding_board", "hospital") and prior:
        return prior[-1]
    name = idx.main.get(typ)
    if not name:
        return None
    return next(m for m in idx.mentions if m.name == name and m.org_type == typ)


def salient(mentions: list[Mention], grouped: list[Mention] | None = None) -> Mention:
    """The most mentioned name among ``mentions``; ties go to the one introduced first. With
    ``grouped``, every mention there whose name is part of a candidate's name counts for it."""
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}
    for m in mentions:
        counts[m.name] = counts.get(m.name, 0) + 1
        first.setdefault(m.name, m)
    if grouped:
        for name in counts:
            low = name.lower()
            counts[name] += sum(1 for g in grouped if g.name != name and len(g.name) > 3 and g.name.lower() in low)
    best = sorted(counts, key=lambda n: (-counts[n], first[n].evidence.start))[0]
    return first[best]


def person_antecedent(tok: Token, idx: EntityIndex, fallback: Mention | None = None) -> Mention | None:
    """He/she: the last person named as a subject in this paragraph or the one before, else the
    last person named there, else ``fallback`` (the last speaker), else the last person named
    before; never a name inside a quotation."""
    quoted = quoted_spans(idx.text)
    doc = tok.doc
    para = idx.text.rfind("\n\n", 0, tok.idx)
    lo = idx.text.rfind("\n\n", 0, para) + 2 if para > 0 else 0
    prior = [m for m in idx.mentions if m.kind == "PERSON" and lo <= m.evidence.start and m.evidence.end <= tok.idx
             and not any(a <= m.evidence.start < b for a, b in quoted)]
    subjects = [m for m in prior if _is_subject(doc, m)]
    main = [m for m in subjects if _is_subject(doc, m, main_clause=True)]
    subjects = main or subjects
    if subjects or prior or fallback is not None:
        return (subjects or prior or [fallback])[-1]
    before = [m for m in idx.mentions if m.kind == "PERSON" and m.evidence.end <= tok.idx
              and not any(a <= m.evidence.start < b for a, b in quoted)]
    return before[-1] if before else None


def _is_subject(doc: Doc, m: Mention, main_clause: bool = False) -> bool:
    """Whether the mention is a subject (of its sentence's main verb, with ``main_clause``)."""
    span = doc.char_span(m.evidence.start, m.evidence.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    if root.dep_ == "appos":
        root = root.head
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head  # a main clause, or one coordinated with it ("X left, and Y stepped in")
    return not main_clause or verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside double quotation marks, paired within each paragraph (an unclosed quote runs
    to the paragraph's end, as a quote continued in the next paragraph does)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[\"“][^\"”\n]*(?:[\"”]|(?=\n)|$)", text)]
