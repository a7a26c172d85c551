"""Shared context for fact extractors: the article's anchor date, date phrases, modality, clauses."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.domain import dates
from kg.domain import load_json
from kg.extract.entities import span_text
from kg.model import Article

DATE_PHRASE = re.compile(
    r"\b(?:(?:between|on|in|from|since|during|by|until|of)\s+)?(?:(?:early|mid|late|the end of|the start of)\s+)?(?:"
    r"\d{4}-\d{2}-\d{2}"
    r"|(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"  # "Friday 18 January": one date
    r"\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:and|-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?)?\s+(?:of\s+)?" + dates.MONTH + r"(?:,?\s+(?:19|20)\d{2})?"
    r"|" + dates.MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{2})?"
    r"|(?:" + dates.MONTH + r"\s+)?(?:that|the\s+same|the\s+following|the\s+next)\s+year"
    r"|(?:last|this|next)\s+" + dates.MONTH +
    r"|" + dates.MONTH + r"(?:,?\s+(?:19|20)\d{2}|\s+last\s+year|\s+this\s+year)?"
    r"|(?:19|20)\d{2}"
    r"|(?:last|this|next)\s+(?:year|month|week|spring|summer|autumn|winter)|a\s+week\s+ago"
    r"|earlier\s+this\s+(?:month|year)|later\s+this\s+(?:month|year)"
    r"|(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:\w+|\d+)\s+(?:years?|months?|weeks?|days?)\s+ago|yesterday|today"
    r")\b", re.I)
RANGE_END = re.compile(r"\s+(?:to|and|until|-|–)\s+" + dates.MONTH + r"\s+((?:19|20)\d{2})\b", re.I)
THAT_YEAR_AFTER = re.compile(r"\s+(that|the\s+same|the\s+following|the\s+next)\s+year\b", re.I)
YEARS_AFTER = re.compile(r"\b(\w+)\s+years?\s+(?:after|later|since)\b", re.I)
ROUGHLY_BEFORE = re.compile(r"\b(?:just\s+over|over|more\s+than|almost|nearly|about|around|some|roughly|under|"
                            r"less\s+than|just\s+under)\s+$", re.I)
LAW_BEFORE = re.compile(r"\b(?:Act|Acts|Regulations|Order|Rules|Measure|Code)\s+(?:\(\w+\)\s+)?$")
MONTH_MAY = re.compile(r"\b(?:(?:in|since|from|until|by|of|during|last|next|this|early|mid|late|\d{1,2}(?:st|nd|rd|th)?)\s+may\b"
                       r"|\bmay\s+(?:19|20)\d{2}\b)", re.I)  # the month, not the modal verb
NUM = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
CLAUSE_SPLIT = re.compile(r"\s+and\s+(?=(?:in|on|by|during|after|since|then|last)\b)|;|,\s+(?:while|but|whereas|with)\s+|\s+and\s+after\s+|\s+–\s+|\s+-\s+", re.I)


@lru_cache(maxsize=1)
def lex() -> dict:
    """The fact lexicons (``data/facts.json``)."""
    return load_json("facts.json")


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str
    iso: str


def anchor_date(doc: Doc, article: Article) -> str:
    """The article's date, from its metadata, dateline, byline or "Published"/"date" line.

    Never inferred from years inside the text ("Education Act 2005" is no publication date):
    without it, relative dates stay unresolved.
    """
    return article.published


def date_phrases(text: str, offset: int, anchor: str) -> list[DatePhrase]:
    """Date phrases in ``text`` (starting at ``offset`` in the article) resolved against ``anchor``
    (memoised: several extractors ask for the same article's phrases)."""
    return list(_date_phrases(text, offset, anchor))


@lru_cache(maxsize=8)
def _date_phrases(text: str, offset: int, anchor: str) -> tuple[DatePhrase, ...]:
    out = []
    for m in DATE_PHRASE.finditer(text):
        phrase = m.group(0)
        rng = RANGE_END.match(text, m.end())
        if rng and re.fullmatch(r"(?:from|between)\s+" + dates.MONTH, phrase, re.I):
            phrase = f"{phrase} {rng.group(rng.lastindex)}"  # "from January" in "from January to September 2023"
        if re.fullmatch(r"(?:may|march)", phrase, re.I) or re.fullmatch(r"(?:of|by)\s+(?:may|march)", phrase, re.I):
            continue  # the modal verb, the verb and a surname, far more often than the months
        if re.fullmatch(r"(?:19|20)\d{2}", phrase) and LAW_BEFORE.search(text, 0, m.start()):
            continue  # "the Criminal Justice Act 1991": a law's name, not a date
        if re.search(r"\bago$", phrase, re.I) and ROUGHLY_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # "just over two years ago": roughly, and maybe the year before; no date rather than a wrong one
        tail = THAT_YEAR_AFTER.match(text, m.end())
        if that := re.search(r"(that|the\s+same|the\s+following|the\s+next)\s+year$", phrase, re.I):
            iso = _that_year(phrase, that.group(1).lower(), out, text, offset + m.start(), offset)
        elif tail and not re.search(r"\b(?:19|20)\d{2}\b", phrase) and (day := dates.resolve(phrase, "2000-12-31")):
            # "on 14 and 15 October that year": the day and month, in the year given before
            year = _that_year(phrase + " that year", tail.group(1).lower(), out, text, offset + m.start(), offset)[:4]
            iso = f"{year}{day[4:]}" if year else ""
        else:
            iso = resolve_phrase(phrase, anchor)
        if iso:
            out.append(DatePhrase(offset + m.start(), offset + m.end(), phrase, iso))
    return tuple(out)


def _that_year(phrase: str, which: str, before: list[DatePhrase], text: str, at: int, offset: int) -> str:
    """"in November that year", "the following year": the year of the last date given before it
    in the same paragraph (plus one for "following"/"next"), at the month when one is named."""
    prior = [p for p in before if "\n\n" not in text[p.end - offset:at - offset]]
    if not prior:
        return ""
    year = int(prior[-1].iso[:4]) + (1 if which in ("the following", "the next") else 0)
    m = re.search(dates.MONTH, phrase, re.I)
    month = dates.MONTHS.get(m.group(1).lower(), 0) if m else 0
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def resolve_phrase(phrase: str, anchor: str) -> str:
    """Resolve a date phrase; relative ones need the anchor at the precision they depend on."""
    t = phrase.lower()
    if m := re.search(r"(\w+)\s+years?\s+ago", t):
        n = NUM.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        return f"{int(anchor[:4]) - n:04d}" if anchor and n else ""
    iso = dates.resolve(phrase, anchor)
    if iso or not anchor:
        return iso
    if re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|this week|this month|"
                 r"earlier this month|today|yesterday|last month)\b", t):
        return anchor[:7] if len(anchor) >= 7 and "last month" not in t else anchor[:4]
    return ""


FUTURE = re.compile(r"\b(?:will|shall)\b|\b(?:is|are)\s+(?:(?:now|also|then|due|set|expected|scheduled)\s+)?to\b|\bplans?\s+to\b",
                    re.I)
FUTURE_TRIGGER = re.compile(r"(?:will|shall|is to|are to)\b", re.I)


def future(before: str, trigger: str) -> bool:
    """Whether an event is told in the future ("will replace", "is to be appointed", a trigger "will join",
    "announced that she would step down")."""
    return bool(FUTURE.search(before) or FUTURE_TRIGGER.match(trigger) or reported_plan(before))


@lru_cache(maxsize=1)
def _reported_plan_pattern() -> re.Pattern[str]:
    verbs = "|".join(map(re.escape, lex()["modality"]["reported_plan_verbs"]))
    return re.compile(rf"\b(?:{verbs})\b[^.;]{{0,60}}?\bthat\s+(?:he|she|they|it|the\s+\w+|\w+)\s+would\s*$")


def reported_plan(before: str) -> bool:
    """"X announced (earlier this year) that he would …": a plan reported by a verb of saying or deciding."""
    return bool(_reported_plan_pattern().search(before.lower()))


def forward(iso: str, phrases: list[DatePhrase], anchor: str) -> str:
    """The date of a scheduled event ("will join the trust on 14 January", "is to be published by
    the end of March"): a phrase without its own year is the next such day or month after the
    article's date, not the last one."""
    if not iso or not anchor:
        return iso
    phrase = next((p for p in phrases if p.iso == iso and not re.search(r"\b(?:19|20)\d{2}\b", p.text)), None)
    if phrase is None:
        return iso
    return dates.resolve(re.sub(r"^(?:by|until|on|in|from|since|during|of)\s+", "", phrase.text, flags=re.I), anchor, past=False) or iso


def clause_of(sent: Span, start: int, end: int) -> tuple[int, int]:
    """The character range of the clause of ``sent`` containing [start, end)."""
    cuts = [sent.start_char] + [sent.start_char + m.end() for m in CLAUSE_SPLIT.finditer(span_text(sent))] + [sent.end_char]
    for a, b in zip(cuts, cuts[1:]):
        if a <= start < b:
            return a, b
    return sent.start_char, sent.end_char


def nearest_date(phrases: list[DatePhrase], start: int, end: int, lo: int, hi: int) -> str:
    """The date phrase inside [lo, hi) nearest to [start, end), preferring one after it."""
    inside = [p for p in phrases if lo <= p.start and p.end <= hi]
    if not inside:
        return ""
    best = min(inside, key=lambda p: (p.start - end if p.start >= end else (start - p.end) + 0.5))
    return best.iso


TIME_AFTER = re.compile(r"\b(\w+)\s+(year|month|week)s?\s+(?:after|since)\b", re.I)
PRESENT_NEWS = re.compile(r"\b(?:has|have)\s+(?:\w+\s+)?(?:been\s+)?\w+(?:ed|en|t)\b|\btoday\b|\bthis week\b", re.I)


def time_after(text: str, sent_start: int, pos: int, phrases: list[DatePhrase], anchor: str) -> str:
    """"X has named a new chief, three months after the trust was put into special measures": the
    event after "after" is dated back from the main clause's date (a date phrase it gives, else the
    article's date when it is told as today's news), at the unit's precision (weeks give a month)."""
    found = list(TIME_AFTER.finditer(text, sent_start, pos))
    if not found:
        return ""
    m = found[-1]
    word = m.group(1).lower()
    n = NUM.get(word) or {"a": 1, "an": 1}.get(word) or (int(word) if word.isdigit() else 0)
    if not n:
        return ""
    ref = [p.iso for p in phrases if sent_start <= p.start and p.end <= m.start()]
    ref_iso = ref[-1] if ref else (anchor if PRESENT_NEWS.search(text, sent_start, m.start()) else "")
    unit = m.group(2).lower()
    parts = [int(x) for x in ref_iso.split("-")] if ref_iso else []
    if unit == "year" and parts:
        return f"{parts[0] - n:04d}"
    if unit == "month" and len(parts) >= 2:
        k = parts[0] * 12 + parts[1] - 1 - n
        return f"{k // 12:04d}-{k % 12 + 1:02d}"
    if unit == "week" and len(parts) == 3:
        d = dt.date(*parts) - dt.timedelta(weeks=n)
        return f"{d.year:04d}-{d.month:02d}"
    return ""


def generic_mention(doc: Doc, s: int, e: int) -> bool:
    """Whether the trigger or rating level at [s, e) speaks of a kind of event, read from the parse:
    its predicate is introduced by "when"/"if" ("when a school is judged inadequate"), or is in the
    present tense with an indefinite subject ("an urgent notification obliges the minister …")."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    tok = span.root
    verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    if any(c.dep_ == "mark" and c.lower_ in lex()["generic_marks"] for c in verb.children):
        return True
    present = verb.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                                                 for c in verb.children)
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return present and bool(subj) and any(d.dep_ == "det" and d.lower_ in lex()["generic_determiners"]
                                          for d in subj[0].children)


def modality(text: str) -> str:
    """asserted, planned or proposed, from modal cues in the text before an event's trigger."""
    low = " " + MONTH_MAY.sub(" ", text.lower()) + " "
    tail = re.sub(r"\s+", " ", low).rstrip()
    if any(cue in low for cue in lex()["modality"]["immediate"]):
        return "asserted"  # "is to be replaced with immediate effect": done, not planned
    if any(tail.endswith(" " + cue) for cue in lex()["modality"]["planned_right_before"]) and not tail.endswith("used to"):
        return "planned"
    if reported_plan(low):
        return "planned"  # "announced that he would step down this summer": a decision told, not a possibility
    for mode in ("generic", "proposed", "planned"):
        if _cue_pattern(mode).search(low):
            return mode
    return "asserted"


@lru_cache(maxsize=None)
def _cue_pattern(mode: str) -> re.Pattern[str]:
    """Any of the modality lexicon's ``mode`` cues as a whole word or phrase."""
    return re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in lex()["modality"][mode]) + r")\b")
