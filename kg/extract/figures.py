"""Figures: reported quantities ("more than 35 children", "43 per cent of staff", "£65m of
cuts", "between 30 and 50 children", "five members of staff", "one in five children") with
what they count.

Years, dates, financial years ("2023/24"), section numbers, codes, numbers inside names
("Radio 5 Live") and time phrases that are dates ("three years ago", "two years later") are not
figures; a duration measures what the text gives (an age, "a three-month review", "jailed
for eight years", "28 years in policing": see :func:`_durations`), else its unit ("for 18 months":
months, with the sentence as evidence); a measure must be a noun phrase, never a time phrase ("a year")
or a function word ("into more"). Spelled-out numbers count only as the number of a plural
noun ("five members of staff") or as a rate ("one in five children").
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from kg.domain import load_json
from kg.domain.dates import MONTHS
from kg.model import Article, ArticleFacts, Figure
from kg.extract.dating import lex
from kg.extract.entities import EntityIndex, evidence, text_of

MONEY = r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:billion|million|bn|m|k)\b)?"
NUMBER = r"\d[\d,]*(?:\.\d+)?"

MONTH_NAMES = "(?:" + "|".join(list(MONTHS)[:12]) + ")"  # the full names (MONTHS lists them first)


@lru_cache(maxsize=1)
def figure_pattern() -> re.Pattern[str]:
    quals = "|".join(re.escape(q) for q in sorted(lex()["figure_qualifiers"], key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?P<qual>{quals})\s+)?(?:(?P<between>between)\s+)?"
        rf"(?P<num>{MONEY}|{NUMBER})(?:\s*(?:and|to|-|–)\s*(?P<num2>{MONEY}|{NUMBER}))?"
        rf"(?P<unit>\s?(?:per\s?cent|percent|%))?", re.I)


def extract_figures(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """Every quantity written in digits, with the noun phrase after it as its measure; then
    spelled-out counts and rates."""
    text = text_of(doc)
    taken: list[tuple[int, int]] = []
    ages = _appositive_ages(doc, article, idx)
    scored = ""  # the measure of "a score of 46" in "a score of 46 out of 100"
    for m in figure_pattern().finditer(text):
        if _not_a_figure(text, m) or _inside_name(idx, m.start("num"), m.end()):
            continue
        if _duration(text, m.end()) or any(a.evidence.start == m.start() for a in ages):
            continue
        if AGED.search(text, max(0, m.start() - 30), m.start()):
            continue  # "aged four to 11": an age range, read below
        if SCORED_OUT_OF.match(text, m.end()):
            scored = _measure_of(doc, m.start("num"), m.end())
            continue  # the score is read with its maximum, next
        value, number, unit = _value(m)
        value = value.rstrip(",")
        score = OUT_OF.search(text[max(0, m.start() - 40):m.start()])
        if score:  # "zero out of a possible 27": one score, not two figures
            value = f"{score.group(0).strip()} {value}"
            taken.append((m.start() - len(score.group(0)), m.start()))
        measure = _measure_of(doc, m.start("num"), m.end())
        if score and scored and _good_measure(scored):
            measure = scored
        if unit == "count" and (m.group("qual") or "").lower() in ("up to", "as many as") and CAPACITY.search(
                text, max(0, m.start() - 40), m.start()) and measure.split()[-1:] and measure.split()[-1].lower() in lex()["figure_capacity_nouns"]:
            measure = f"capacity ({measure})"  # "a home for up to 26 people", "can hold up to 1,450 men"
        over = OVER.match(text, m.end())
        if unit == "GBP" and over:  # "£34.2m over budget"
            measure = "amount over " + over.group(1).lower()
        dist = DISTANCE.match(text, m.end())
        if dist and not m.group("num2") and unit == "count":  # "40 miles away": a distance, the unit with the number
            value, measure, unit = value + dist.group(1), "distance", "distance"
            taken.append((m.start(), m.end() + len(dist.group(1))))
        per = PER.match(text, m.end())
        if per and unit == "GBP" and _good_measure(measure) and not measure.lower().startswith(tuple(RATE_WORDS.values())):
            measure = f"{RATE_WORDS[per.group(1).lower()]} {measure}"  # "£1,100 a day": daily pay
        scored = ""
        if not _good_measure(measure):
            continue
        taken.append((m.start(), m.end()))
        facts.figures.append(Figure(value, measure, number, (m.group("qual") or "").lower(), unit,
                                    evidence(doc, article.id, m.start(), m.end()), f"figure.digits.{unit.lower()}"))
    facts.figures += _spelled(doc, article, idx, taken)
    facts.figures += _durations(doc, article, idx) + ages
    facts.figures[:] = _without_repeats(facts.figures)


def _without_repeats(figures: list[Figure]) -> list[Figure]:
    """Drop a figure that another already carries: a bare duration that is part of another
    figure's measure in its sentence ("96% of women were seen within 15 minutes": the 15 minutes
    qualifies the 96%), and a bare "age" when the article gives the same age with whose it is."""
    def nums(v: str) -> set[str]:
        return set(re.findall(r"\d+(?:\.\d+)?", v))

    out = []
    for f in figures:
        same_sentence = [g for g in figures if g is not f and g.evidence and f.evidence
                         and g.evidence.sent_start == f.evidence.sent_start]
        if f.rule == "figure.duration.bare" and any(f.value.lower() in g.measure.lower() for g in same_sentence):
            continue
        if f.unit == "age" and f.measure == "age" and any(
                g.unit == "age" and g.measure.startswith("age of ") and nums(g.value) == nums(f.value) for g in figures):
            continue
        if f.unit == "age" and any(g.unit == "age" and g.measure == f.measure and nums(g.value) == nums(f.value)
                                   for g in out):
            continue  # "17 months old" and later "at the age of 17 months": one age
        out.append(f)
    return out


AGED = re.compile(r"\baged\s+(?:(?:between|from)\s+)?(?:\w+\s*(?:to|and|-|–)\s*)?$", re.I)
CAPACITY = re.compile(r"\b(?:for|hold|holds|house|houses|accommodate|accommodates|sleeps)\s+$", re.I)
OVER = re.compile(r"\s+over\s+(budget|target)\b", re.I)
DISTANCE = re.compile(r"(\s?(?:miles?|kilometres?|km))\b(?=\s+(?:away|from|to|north|south|east|west)\b)", re.I)
PER = re.compile(r"\s+(?:a|an|per|each)\s+(day|week|month|year|annum|hour)\b", re.I)
RATE_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "annual", "annum": "annual", "hour": "hourly"}
SCORED_OUT_OF = re.compile(r"\s+out\s+of\s+(?:a\s+(?:possible|maximum)\s+)?\d", re.I)


def _appositive_ages(doc: Doc, article: Article, idx: EntityIndex) -> list[Figure]:
    """"Kofi Mensah, 43, a director": a number set off by commas right after a person's name is
    their age."""
    text = text_of(doc)
    out = []
    for m in idx.mentions:
        if m.kind != "PERSON":
            continue
        age = re.match(r",\s*(\d{1,3})\s*,", text[m.evidence.end:m.evidence.end + 8])
        if age and 10 <= int(age.group(1)) <= 110:
            start = m.evidence.end + age.start(1)
            out.append(Figure(age.group(1), "age of " + m.name, float(age.group(1)), "", "age",
                              evidence(doc, article.id, start, start + len(age.group(1))), "figure.age"))
    return out


OUT_OF = re.compile(r"\b(?:\d+|zero|nil|none|one|two|three|four|five|six|seven|eight|nine|ten)\s+out\s+of\s+(?:a\s+(?:possible|maximum)\s+)?$",
                    re.I)


def _measure_of(doc: Doc, start: int, end: int) -> str:
    """What a number counts: the noun right after it ("267 children"); else the noun it is
    "of" ("a funding gap of £469m"), the subject of the verb it completes ("her compensation
    could reach £1m", "the shortfall was put at £452m"); else the phrase after it without its
    leading preposition ("£50,000 in notice pay")."""
    after = _measure(doc, end)
    text = text_of(doc)
    nxt = doc.char_span(end, min(len(text), end + 40), alignment_mode="expand")
    first = next((t for t in nxt if t.idx >= end and not t.is_space), None) if nxt is not None else None
    if first is not None and first.lower_ == "of" and first.i + 1 < len(doc) and after:
        first = doc[first.i + 1]  # "£36m of income due from the company"
    if (first is not None and first.dep_ == "compound" and first.head.i == first.i + 1 and first.head.pos_ == "NOUN"
            and text[start:end].lstrip().startswith("£") and first.lower_ in lex()["figure_money_nouns"]
            and first.head.lower_ in _body_words()):
        return first.text  # "the £182m turnover trust": the sum is its turnover, not the trust
    if first is not None and first.pos_ in ("NOUN", "ADJ", "PROPN") and after:
        measure = _with_participle(doc, end, after)
        span = doc.char_span(start, end, alignment_mode="expand")
        owner = span.root.head.head if span is not None and len(span) and span.root.dep_ in ("nummod", "quantmod") else None
        noun = span.root.head if owner is not None else None
        if (noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN"
                and noun.head.head.lower_ not in lex()["figure_vague_measures"] + ["total", "average", "maximum", "minimum"]
                and not text[start:end].lstrip().startswith("£") and noun.head.head.i < noun.i):
            return f"{noun.head.head.text} of {measure}"  # "caseloads of more than 25 children": the caseloads
        return measure
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        root = span.root
        head = root.head
        if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
            return _noun_phrase(head.head, after=head.head.i - 10)
        verb = (head.head if root.dep_ == "pobj" and head.head.pos_ == "VERB"
                else head if root.dep_ in ("dobj", "attr") or (root.dep_ == "npadvmod" and head.pos_ == "VERB") else None)
        if verb is not None:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            actor = subj is not None and (subj.ent_type_ in ("ORG", "PERSON", "GPE") or subj.lower_ in _body_words()
                                          or subj.text[:1].isupper())  # "Thurrock borrowed £1bn": a name acts
            if (subj is not None and subj.dep_ == "nsubjpass" and subj.pos_ == "NOUN" and span.text.lstrip().startswith("£")
                    and verb.lower_ in lex()["figure_verb_measures"]):  # "the commissioners will be paid £1,100": their pay
                return _join([lex()["figure_verb_measures"][verb.lower_], "of", _noun_phrase(subj, after=subj.i - 10)])
            if (subj is not None and subj.pos_ == "NOUN" and not subj.ent_type_ and not subj.text[:1].isupper()
                    and not (actor and verb.lower_ in lex()["figure_verb_measures"])):
                return _noun_phrase(subj, after=subj.i - 10)
            if (root.dep_ in ("dobj", "npadvmod") and span.text.lstrip().startswith("£") and verb.lower_ in lex()["figure_verb_measures"]
                    and not re.match(r"\s*in\s+(?!total\b)[a-z]", text[end:end + 12])):  # "£50,000 in notice pay": what follows
                return _verb_measure(verb, root)
    words = after.split()
    while words and words[0].lower() in lex()["figure_measure_not_first"]:
        words = words[1:]
    return _with_participle(doc, end, " ".join(words)) if words else ""


def _with_participle(doc: Doc, end: int, measure: str) -> str:
    """The measure read after a number, with the participle clause on its last noun."""
    span = doc.char_span(end, min(len(text_of(doc)), end + 120), alignment_mode="expand")
    last = measure.split()[-1]
    noun = next((t for t in span if t.idx >= end and t.text == last), None) if span is not None else None
    extra = _participle(noun) if noun is not None and noun.pos_ in ("NOUN", "PROPN") else []
    if span is not None:  # the head of the measure read: "69% of prisoners surveyed" -> prisoners
        first = next((t for t in span if t.idx >= end and not t.is_space and t.lower_ != "of"), None)
        if first is not None:
            head = doc[first.i:first.i + len(measure.split())].root
            if _good_measure(measure):
                extra += _predicate(head, of_owner=first.i > 0 and doc[first.i - 1].lower_ == "of")
    return _join(measure.split() + extra) if extra else measure


def _inside_name(idx: EntityIndex, start: int, end: int) -> bool:
    """A number that is part of a name ("BBC Radio 5 Live", "Covid-19")."""
    return any(m.evidence.start <= start and end <= m.evidence.end and m.form == "name" for m in idx.mentions)


def _duration(text: str, end: int) -> bool:
    units = "|".join(lex()["figure_time_units"])
    return bool(re.match(rf"[\s-]*(?:{units})\b", text[end:end + 12], re.I))


def _good_measure(measure: str) -> bool:
    """A measure is a noun phrase: not empty, not a time phrase, not led by a function word."""
    if not measure or not re.search(r"[A-Za-z]{3}", measure):
        return False
    if len(measure.split()) == 1 and measure.lower() in lex()["figure_vague_measures"]:
        return False
    first = measure.split()[0].lower()
    if first in lex()["figure_measure_not_first"]:
        return False
    units = set(lex()["figure_time_units"])
    return not all(w.lower() in units | {"a", "an", "per", "each", "every", "old", "ago", "later", "earlier"}
                   for w in measure.split())


def _spelled(doc: Doc, article: Article, idx: EntityIndex, taken: list[tuple[int, int]]) -> list[Figure]:
    """"five members of staff" (a spelled-out number of a plural noun), "one in five children"."""
    words = lex()["figure_number_words"]
    units = set(lex()["figure_time_units"])
    out: list[Figure] = []
    for tok in doc:
        low = tok.lower_
        if low not in words or any(a <= tok.idx < b for a, b in taken) or _inside_name(idx, tok.idx, tok.idx + len(tok)):
            continue
        if tok.i > 1 and doc[tok.i - 1].lower_ == "in" and doc[tok.i - 2].lower_ in words:
            continue  # the "five" of "one in five"
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if tok.i > 1 and doc[tok.i - 1].text in ("-", "–") and doc[tok.i - 2].lower_ in words:
            continue  # the "two" of "thirty-two", read with its tens
        if nxt is not None and nxt.text in ("-", "–"):
            after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
            if after is not None and after.lower_ in FRACTIONS:  # "two-thirds of domestic abuse cases"
                fig = _fraction(doc, article, tok, after, written=doc[tok.i:after.i + 1].text)
                if fig is not None:
                    out.append(fig)
            elif after is not None and low in TENS and after.lower_ in UNITS and after.dep_ == "nummod":
                noun = after.head  # "Thirty-two officers"
                if noun.tag_ == "NNS" and noun.i > after.i and noun.lower_ not in units:
                    fig = _count(doc, article, tok, noun, doc[tok.i:after.i + 1].text, words[low] + words[after.lower_])
                    if fig is not None:
                        out.append(fig)
            continue  # "five-year", "two-year-old"
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1), None)
        if (of is not None and low not in ("one", "a") and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj")
                and (tok.i == 0 or doc[tok.i - 1].lower_ not in ("the", "these", "those", "all", "its", "their", "other"))):
            noun = next((c for c in of.children if c.dep_ == "pobj" and c.tag_ == "NNS"), None)
            if noun is not None:  # "Two of the five homes are rated inadequate"
                fig = _count(doc, article, tok, noun, tok.text, words[low], after=of.i)
                if fig is not None:
                    out.append(fig)
            continue
        rate = (nxt is not None and nxt.lower_ == "in" and tok.i + 2 < len(doc) and doc[tok.i + 2].lower_ in words)
        if nxt is not None and nxt.lower_ in FRACTIONS:
            fig = _fraction(doc, article, tok, nxt)
            if fig is not None:
                out.append(fig)
            continue
        if rate:
            head = doc[tok.i + 2]
            noun = head.head if head.dep_ == "nummod" else None
            if noun is None or noun.tag_ != "NNS":
                continue
            value, start, rule = f"{tok.text} in {head.text}", tok.idx, "figure.rate"
        elif low == "one":
            continue  # "one" alone is rarely a count ("one of the", "one nurse")
        else:
            noun = tok.head
            if (tok.dep_ != "nummod" or noun.tag_ != "NNS" or noun.i < tok.i or noun.lower_ in units
                    or noun.lower_ in lex()["figure_measure_not_first"] + ["ones", "others"]):
                continue
            if (tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "these", "those", "all", "its", "their", "his", "her")
                    and not any(c.dep_ in ("acl", "relcl") for c in noun.children)):
                continue  # "the five homes" refers back; "the nine PDUs inspected since …" counts
            if tok.i > 1 and doc[tok.i - 1].lower_ == "other" and doc[tok.i - 2].lower_ in ("the", "its", "their", "these"):
                continue  # "the other two sites" refers back too
            value, start, rule = tok.text, tok.idx, "figure.spelled"
        measure = _noun_phrase(noun, after=tok.i, predicate=True, of_owner=False)
        if not _good_measure(measure):
            continue
        owner = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        if (owner is not None and owner.pos_ == "NOUN" and owner.i < tok.i and not rate
                and owner.lower_ not in lex()["figure_vague_measures"] + ["total", "average", "maximum", "minimum"]
                and owner.lower_ not in FRACTIONS and not owner.like_num):
            measure = f"{owner.text} of {measure}"  # "the deaths of seven children": the deaths
        qual = _qualifier(doc, tok.i)
        if qual:
            value, start = f"{qual} {value}", doc[tok.i - len(qual.split())].idx
        out.append(Figure(value, measure, float(words[low]) if not rate else None, qual, "count" if not rate else "rate",
                          evidence(doc, article.id, start, tok.idx + len(tok)), rule))
    return out


FRACTIONS = {"third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"}
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
UNITS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def _count(doc: Doc, article: Article, tok, noun, written: str, number: float, after: int | None = None) -> Figure | None:
    """A spelled-out count of ``noun`` starting at ``tok`` ("Thirty-two officers", "Two of the homes")."""
    measure = _noun_phrase(noun, after=tok.i if after is None else after, predicate=True)
    if not _good_measure(measure) or noun.lower_ in lex()["figure_measure_not_first"] + ["ones", "others"]:
        return None
    qual = _qualifier(doc, tok.i)
    start = doc[tok.i - len(qual.split())].idx if qual else tok.idx
    return Figure(f"{qual} {written}".strip(), measure, number, qual, "count",
                  evidence(doc, article.id, start, tok.idx + len(written)), "figure.spelled")


def _fraction(doc: Doc, article: Article, num, frac, written: str = "") -> Figure | None:
    """"two thirds of the nine PDUs", "three quarters of departments": a share of what follows "of"."""
    of = doc[frac.i + 1] if frac.i + 1 < len(doc) else None
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None and of.lower_ == "of" else None
    if obj is None:
        return None
    measure = _noun_phrase(obj, after=of.i, predicate=True)
    if not _good_measure(measure):
        return None
    qual = _qualifier(doc, num.i)
    value = (f"{qual} " if qual else "") + (written or f"{num.text} {frac.text}")
    start = doc[num.i - len(qual.split())].idx if qual else num.idx
    return Figure(value, measure, None, qual, "share", evidence(doc, article.id, start, frac.idx + len(frac)),
                  "figure.fraction")


def _qualifier(doc: Doc, i: int) -> str:
    for q in sorted(lex()["figure_qualifiers"], key=lambda q: -len(q.split())):
        n = len(q.split())
        if i - n >= 0 and " ".join(t.lower_ for t in doc[i - n:i]) == q:
            return q
    return ""


@lru_cache(maxsize=1)
def _body_words() -> frozenset[str]:
    """Words that name a body by its kind ("the council spent £36m": the council acts, it is not counted)."""
    return frozenset(d[0].split()[-1] for d in load_json("bodies.json")["descriptors"])


def _verb_measure(verb, obj) -> str:
    """"She was earning £133,000" -> pay; "it provided £655m to companies" -> money provided to companies."""
    words = [lex()["figure_verb_measures"][verb.lower_]]
    prep = next((c for c in verb.rights if c.dep_ in ("prep", "dative") and c.i > obj.i
                 and c.lower_ in ("to", "into", "on", "for", "in")), None)
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if pobj is not None and not pobj.like_num:
        words += [prep.text] + _left_words(pobj, prep.i) + [pobj.text]
    purpose = next((c for c in verb.rights if c.dep_ in ("xcomp", "advcl") and c.i > obj.i
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
    if purpose is not None and pobj is None:  # "set aside £130m to cover interest"
        clause = [t for t in purpose.subtree]
        if len(clause) <= 5 and not any(t.is_punct or t.like_num for t in clause):
            words += [t.text for t in clause]
    return _join(words)


def _noun_phrase(noun, after: int, predicate: bool = False, of_owner: bool = True) -> str:
    """The counted noun with its modifiers after the number, and an "of" complement ("members of
    staff"); with ``predicate``, what the clause says of them ("homes rated inadequate")."""
    words = _left_words(noun, after) + [noun.text]
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("of", "in", "on")), None)
    if of is not None:
        obj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if obj is not None and not (obj.like_num or any(c.like_num for c in obj.children)):
            words += [of.text] + [t.text for t in obj.lefts if t.dep_ in ("amod", "compound", "poss", "case")] + [obj.text]
    if of is None:
        words += _participle(noun)
    if predicate and _good_measure(_join(words)):
        words += _predicate(noun, of_owner)
    return _join(words)


def _short(t, n: int, numbers: bool = False) -> list:
    """``t`` with its subtree when that is at most ``n`` tokens of one phrase; an object with a number
    in it is another figure's ("tortured two boys"), unless ``numbers`` ("seen within 15 minutes")."""
    sub = list(t.subtree)
    return sub if len(sub) <= n and not any(x.is_punct or x.is_space or x.like_num and not numbers for x in sub) else []


COPULAS = {"is", "are", "was", "were", "be", "been", "being", "remain", "remains", "remained"}


def _predicate(noun, of_owner: bool = True) -> list[str]:
    """What a clause says of the counted things when they are its subject: "two of the homes are
    rated inadequate" -> rated inadequate, "cases were not being prosecuted" -> not prosecuted,
    "residents were moved out" -> moved out, "relatives raised concerns" -> raised concerns,
    "96% of women … were seen within 15 minutes" -> seen within 15 minutes, "prisoners said they
    had felt unsafe" -> felt unsafe. The verb with its negation, particle, complement and a short
    object; a short prepositional phrase only when the verb has neither. Nothing when the counted
    noun is not the subject, or the clause is an infinitive. ``of_owner``: the number is the
    one before "of" ("69% of prisoners"), not a count inside it ("two thirds of the nine PDUs")."""
    subj = noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":  # "69% of prisoners", "two of the homes"
        if not of_owner:
            return []
        owner = noun.head.head
        if not (owner.like_num or owner.pos_ == "NUM" or owner.lower_ in FRACTIONS | {"%", "cent"}):
            return []  # "a panel of three councillors": the panel is the subject
        subj = owner.head if owner.dep_ in ("quantmod", "nummod", "compound") else owner
    elif noun.dep_ == "conj" and noun.head.dep_ in ("nsubj", "nsubjpass"):
        subj = noun.head
    if subj.dep_ not in ("nsubj", "nsubjpass") or subj.head.i < subj.i:
        return []
    verb = subj.head
    if verb.lower_ in lex()["figure_report_verbs"]:
        verb = next((c for c in verb.children if c.dep_ == "ccomp" and any(
            s.dep_ in ("nsubj", "nsubjpass") and s.pos_ == "PRON" for s in c.children)), None)
        if verb is None:
            return []
    if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return []

    copula = verb.lower_ in COPULAS
    picked = [] if copula else [verb]
    for c in verb.children:
        if c.i < verb.i and c.dep_ != "neg":
            continue
        if c.dep_ in ("neg", "prt"):
            picked.append(c)
        elif c.dep_ in ("acomp", "oprd", "attr", "dobj"):
            if not _short(c, 3):
                return []  # "a programme would improve living conditions, healthcare, …": half a predicate misleads
            picked += _short(c, 3)
    if picked == [verb] and any(c.dep_ == "xcomp" for c in verb.children):
        return []  # "commissioners want to …": the verb says nothing of them on its own
    if picked in ([], [verb]):
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.i > verb.i), None)
        picked += _short(prep, 4, numbers=True) if prep is not None else []  # "seen within 15 minutes"
    if copula and not picked:
        return []
    return [t.text for t in sorted(set(picked), key=lambda t: t.i)]


def _left_words(noun, after: int) -> list[str]:
    """The modifiers before a noun and after position ``after``; a compound with its own
    modifiers whole ("domestic abuse cases", "en-suite rooms", "social care posts")."""
    words = []
    for t in noun.lefts:
        if t.i > after and t.dep_ in ("amod", "compound", "nmod") and t.pos_ != "ADP":
            lo = max(t.left_edge.i, after + 1) if t.dep_ == "compound" else t.i
            words.append(t.doc[lo:t.i + 1].text)
    return words


def _participle(noun) -> list[str]:
    """The participle or relative clause that says which of the counted things: "PDUs inspected
    since unification", "women seen within 15 minutes", "children who died through neglect" (at
    most six words, up to a comma or clause)."""
    part = next((c for c in noun.rights if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG")), None)
    if part is None:  # "children who died through abuse", "homes that kept a good rating"
        part = next((c for c in noun.rights if c.dep_ == "relcl" and c.left_edge.i == noun.i + 1 and any(
            x.dep_ in ("nsubj", "nsubjpass") and x.lower_ in ("who", "that", "which") for x in c.children)), None)
    tail: list[str] = []
    for t in part.subtree if part is not None else []:
        if t is not part and (t.is_punct or t.dep_ in ("relcl", "advcl", "cc", "conj")) or len(tail) >= 6:
            break
        tail.append(t.text)
    if part is not None and part.dep_ == "relcl":
        clause = []
        for t in part.subtree:
            if t is not part and (t.is_punct or t.is_space or t.dep_ in ("relcl", "advcl", "acl")
                                  or t.dep_ in ("cc", "conj") and t.head is part):
                break
            if t.like_num:
                return []  # "which between them supervise 38,590 people": another figure's clause
            clause.append(t.text)
        while clause and clause[-1].lower() in ("of", "in", "for", "a", "the", "at", "with", "on", "by", "to"):
            clause.pop()
        return clause if len(clause) <= 7 else []  # a long relative clause is not a measure
    return tail


def _join(words: list[str]) -> str:
    """Words as written: "children's", not "children 's"."""
    return re.sub(r"\s+(['’]s|n['’]t)\b", r"\1", " ".join(words))


def _not_a_figure(text: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    digits = re.sub(r"\D", "", num)
    if not num.startswith("£") and not m.group("unit") and re.fullmatch(r"(?:19|20)\d{2}", digits):
        return True  # a year
    after = text[m.end():m.end() + 14].lower()
    before = text[max(0, m.start() - 14):m.start()].lower()
    if m.start("num") > 0 and (text[m.start("num") - 1].isalpha()
                               or text[m.start("num") - 1] in "-/" and m.start("num") > 1 and text[m.start("num") - 2].isalnum()):
        return True  # a road, a code or a name: "A14", "M1", "Covid-19", "2023/24"
    prev_word = re.findall(r"[\w.]+", before)[-1:] or [""]
    if prev_word[0] in lex()["figure_not_after"]:
        return True  # "section 114", "page 3", "A14"
    if re.match(r"\s*(?:st|nd|rd|th)\b|\s*" + MONTH_NAMES + r"|\s*(?:am|pm)\b|:\d", after):
        return True
    if re.search(MONTH_NAMES + r"\s*$", before):
        return True
    if re.match(r"\s*(?:and|-|–)\s*\d+\s*(?:st|nd|rd|th)?\s*" + MONTH_NAMES,
                text[m.start("num"):m.start("num") + 30].lower()[len(m.group("num")):]):
        return True
    return False


def _value(m: re.Match[str]) -> tuple[str, float | None, str]:
    num, num2 = m.group("num"), m.group("num2")
    unit = "GBP" if num.startswith("£") else "percent" if (m.group("unit") or "").strip() else "count"
    written = f"{num} to {num2}" if num2 else num
    if m.group("unit"):
        written += " per cent" if "cent" in m.group("unit").lower() else m.group("unit").strip()
    if m.group("qual") and not num2:
        written = f"{m.group('qual').lower()} {written}"
    return written.strip(), _number(num), unit


def _number(num: str) -> float | None:
    mult = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3}
    mm = re.match(r"£?\s?([\d,]*\.?\d+)\s?(bn|billion|m|million|k)?", num.replace(",", ""))
    if not mm:
        return None
    return float(mm.group(1)) * mult.get(mm.group(2) or "", 1)


STOP_POS = {"VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "PRON", "NUM", "SYM"}


def _measure(doc: Doc, end: int) -> str:
    """The counted thing: the tokens after the number up to a verb, a clause word or punctuation."""
    stop = set(lex()["figure_stop"])
    span = doc.char_span(end, min(len(text_of(doc)), end + 120), alignment_mode="expand")
    words: list[str] = []
    for tok in span if span is not None else []:
        if tok.idx < end:
            continue
        if words and tok.lower_ in ("each", "apiece"):
            words.append(tok.text)
            break
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if tok.text in ("-", "–") and words and not tok.whitespace_ and not doc[tok.i - 1].whitespace_ and nxt is not None:
            words[-1] += tok.text  # "hard-working", "self-contained": one word
            continue
        if words and words[-1].endswith(("-", "–")):
            words[-1] += tok.text
            continue
        if (tok.pos_ in STOP_POS or tok.is_punct or tok.is_space or tok.lower_ in stop or len(words) >= 7
                or (tok.pos_ == "ADP" and nxt is not None and (nxt.like_num or nxt.ent_type_ == "DATE"))):
            break
        if not words and tok.lower_ == "of":
            continue
        words.append(tok.text)
    while words and words[-1].lower() in ("of", "in", "for", "a", "the", "at", "with", "per", "during", "on", "by",
                                          "from", "to", "into", "since", "after", "before", "against", "under",
                                          "over", "across", "through", "within", "among"):
        words.pop()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return _join(words)


@lru_cache(maxsize=1)
def duration_pattern() -> re.Pattern[str]:
    """A number (digits or words) and a time unit: "six years", "16-month-old", "a three-month review"."""
    words = "|".join(sorted((w for w in lex()["figure_number_words"] if w != "a"), key=len, reverse=True))
    units = "|".join(sorted(lex()["figure_duration_units"], key=len, reverse=True))
    quals = "|".join(re.escape(q) for q in sorted(lex()["figure_qualifiers"], key=len, reverse=True))
    return re.compile(rf"(?:\b(?P<qual>{quals})\s+)?\b(?P<num>\d+(?:\.\d+)?|{words})(?P<hyph>-|\s)(?P<unit>{units})\b"
                      rf"(?P<old>-old|\s+old\b)?", re.I)


def _durations(doc: Doc, article: Article, idx: EntityIndex) -> list[Figure]:
    """Durations and ages whose measure the text gives: "16-month-old Star" (age of Star), "aged
    43", "a three-month review" (review), "sentenced to eight years" (sentence), "28 years in
    policing" (years in policing). A bare "for six months" measures its unit (months); "three
    years ago" and "two years later" are dates, not amounts of time."""
    text = text_of(doc)
    out: list[Figure] = []
    for m in duration_pattern().finditer(text):
        if _inside_name(idx, m.start("num"), m.end()):
            continue
        value = text[m.start():m.end("unit")] if not m.group("old") else text[m.start():m.end()]
        before = text[max(0, m.start() - 25):m.start()].lower()
        start = m.start()
        if m.group("old"):
            pair = re.search(r"\b(\d+|[a-z]+)-\s+(?:and|or|to)\s+$", before)  # "16- and 17-year-olds": both ages
            if pair:
                start = m.start() - (len(before) - pair.start())
                value = text[start:m.end()] + (text[m.end():m.end() + 1] if text[m.end():m.end() + 1] == "s" else "")
            person = _person_near(idx, m.end(), m.start())
            measure, rule = ("age of " + person) if person else "age", "figure.age"
        elif re.search(r"\b(?:aged|age\s+of)\s+$", before):  # "died … at the age of 17 months", "dies, aged 17 months"
            person = next((p.name for p in idx.mentions if p.kind == "PERSON" and p.evidence.sent_start <= m.start()
                           and p.evidence.end <= m.start() and m.start() <= p.evidence.sent_end), "")
            measure, rule = ("age of " + person) if person else "age", "figure.age"
        elif m.group("hyph") == "-":
            measure, rule = _measure(doc, m.end()), "figure.duration.modifier"
            if not _good_measure(measure) or re.match(r"\s*(?:-|old\b)", text[m.end():m.end() + 5]):
                continue
        elif cue := next((v for k, v in lex()["figure_duration_cues"].items() if before.rstrip().endswith(k)), None):
            measure, rule = cue, "figure.duration.sentence"
        else:
            link = re.match(r"\s+(?:(?:" + "|".join(re.escape(w) for w in lex()["figure_duration_links"]) +
                            r")\s+(?:the\s+|a\s+|an\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)", text[m.end():m.end() + 40])
            if not link or re.search(r"\d", link.group(0)) or m.group("unit").lower().rstrip("s") in ("minute", "hour", "day"):
                spent = re.search(r"\b(?:" + "|".join(lex()["figure_duration_verbs"]) + r")\s+$", before)
                if not spent and re.match(r"\s*(?:ago|old|earlier|later|before|after|since|previously)\b|['’]",
                                          text[m.end():m.end() + 14]):
                    continue  # "three years ago", "two years later": a date, not an amount of time ("waited 42 minutes after …" is)
                if re.search(r"\b(?:last|past|next|previous|coming|first|final)\s+$", before):
                    continue  # "in the last two years": a time frame, not an amount
                unit = m.group("unit").lower()
                measure, rule = unit if unit.endswith("s") else unit + "s", "figure.duration.bare"
                per = PER.match(text, m.end())
                if per:  # "23.5 hours a day"
                    measure += " a " + per.group(1).lower()
                measure = _join([measure] + _duration_context(doc, m.start("unit")))
                out.append(Figure(value.strip(), measure, None, (m.group("qual") or "").lower(), "duration",
                                  evidence(doc, article.id, start, m.end()), rule))
                continue
            tail = link.group(0).split()
            span = doc.char_span(m.end(), m.end() + len(link.group(0)), alignment_mode="expand")
            verbs = {t.text for t in span if t.pos_ in ("VERB", "AUX")} if span is not None else set()
            while tail and (tail[-1].lower() in ("the", "a", "an", "and", "but", "or", "to", "after", "before", "since")
                            or tail[-1] in verbs):
                tail.pop()  # "ten years of austerity have hit": the measure stops before the verb
            measure, rule = " ".join([m.group("unit").lower()] + tail), "figure.duration.phrase"
        out.append(Figure(value.strip(), measure, None, (m.group("qual") or "").lower(), "duration" if "age" not in rule else "age",
                          evidence(doc, article.id, start, m.end()), rule))
    words = "|".join(sorted((w for w in lex()["figure_number_words"] if w not in ("a", "hundreds", "dozens")), key=len, reverse=True))
    num = rf"(?:\d{{1,3}}|{words})"
    units = "|".join(lex()["figure_duration_units"])
    for m in re.finditer(rf"\baged\s+(?P<num>(?:between\s+|from\s+)?{num}(?:\s*(?:to|and|-|–)\s*{num})?)\b(?![-\w])(?!\s+(?:{units}))", text, re.I):
        person = _person_near(idx, m.start(), m.start() - 40, before=True)
        ranged = re.search(r"\s(?:to|and)\s|[-–]", m.group("num"))
        if not ranged and not m.group("num").isdigit():
            continue  # "aged five" alone: read as a duration or not at all
        if ranged:  # "children aged between eight and 13": the ages of the noun "aged" describes
            who = next((t for t in doc if t.idx == m.start()), None)
            noun = who.head if who is not None and who.dep_ == "acl" and who.head.pos_ in ("NOUN", "PROPN") else None
            whose = person or (" ".join(_left_words(noun, who.i - 10) + [noun.text]) if noun is not None else "")
            kind = "ages of " if re.search(r"\sand\s", m.group("num")) and not m.group("num").lower().startswith("between") else "age range of "
            measure = (kind + whose).strip().removesuffix(" of")  # "11 and 12": two ages; "four to 11": a range
        else:
            measure = ("age of " + person) if person else "age"
        out.append(Figure(m.group("num"), measure, None, "", "age",
                          evidence(doc, article.id, m.start("num"), m.end("num")), "figure.age"))
    return out


def _duration_context(doc: Doc, at: int) -> list[str]:
    """What a bare duration is the time of, from the parse: its own phrase ("three weeks between
    baths or showers"), else the verb it measures with that verb's object, particle and one short
    phrase ("waited 42 minutes after calling for help" -> waited after calling for help, "spent
    three years looking into the deals" -> spent looking into the deals). Nothing when it hangs
    on a noun or on nothing the parse can say."""
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    unit = span[0] if span is not None and len(span) and span[0].idx == at else None
    if unit is None:
        return []

    own = [x for c in unit.rights if c.dep_ == "prep" for x in _short(c, 5)]
    if own:
        return [t.text for t in own]
    via = unit.head if unit.dep_ == "pobj" and unit.head.dep_ == "prep" else None
    verb = via.head if via is not None else unit.head if unit.dep_ in ("npadvmod", "dobj") else None
    if verb is None or verb.pos_ != "VERB" or verb.i == unit.i:
        return []
    picked = [verb] + [c for c in verb.children if c.dep_ in ("prt", "neg") and c.i > verb.i]
    for c in verb.children:
        if c in (unit, via) or c.i < verb.i:
            continue
        if c.dep_ == "dobj":
            picked += _short(c, 3)
        elif c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG":
            picked += _short(c, 5)
    if len(picked) == 1:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c is not via), None)
        picked += _short(prep, 4) if prep is not None else []
    if len(picked) == 1:
        return []  # "for six months" on a verb alone says too little
    return [t.text for t in sorted(set(picked), key=lambda t: t.i)]


def _person_near(idx: EntityIndex, pos: int, lo: int, before: bool = False) -> str:
    """The person named right after an age ("16-month-old Star Hobson") or right before "aged"."""
    for m in idx.mentions:
        if m.kind != "PERSON":
            continue
        if not before and 0 <= m.evidence.start - pos <= 3:
            return m.name
        if before and lo <= m.evidence.end <= pos and pos - m.evidence.end <= 4:
            return m.name
    return ""
