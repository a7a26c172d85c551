"""Ratings: a judgement on the four-point scale given to a body, with its date and inspector.

A level counts only when the text licenses a judgement (lexicons in ``data/facts.json``):

- ``rating.cue``: a rating predicate near the level ("rated", "judged", "remains" …);
- ``rating.quoted``: the level in quotation marks as a grade ("rated 'inadequate'");
- ``rating.list-item``: a judgement list, one "area: level" line each, after a lead-in
  ("Their judgements were:", "The report rated:"); "overall effectiveness" is the overall
  judgement, every other line a sub-area grade linked to it.

and never when the level is negated ("not good enough", "no longer inadequate"), taken away
("removed its 'inadequate' rating", "out of inadequate"), hoped for ("aiming for outstanding",
"on course to be good"), compared ("good enough", "as good as") or quantified ("a third of
services were rated good", "33 per cent of wards", "the rest rated requires improvement").
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.domain import dates, load_json, subject_types
from kg.model import Article, ArticleFacts, Rating
from kg.extract.dating import (DatePhrase, anchor_date, clause_of, date_phrases, generic_mention, lex, nearest_date,
                               time_after)
from kg.extract.entities import EntityIndex, evidence, span_text, text_of
from kg.extract.events import (PRESENT, main_body, mentions_in, timeline_date, main_subject,
                               subject_bodies)


@lru_cache(maxsize=1)
def level_pattern() -> re.Pattern[str]:
    levels = sorted(lex()["rating_levels"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(x) for x in levels) + r")\b", re.I)


def _words(key: str) -> str:
    items = sorted(lex()["rating_gates"][key], key=len, reverse=True)
    return "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in items)


@lru_cache(maxsize=1)
def gates() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(before the level, right after it, the clause's subject is a quantity)."""
    before = re.compile(rf"\b(?:{_words('negators')}|{_words('removals')}|{_words('aspirations')})\s+"
                        rf"(?:[\w'’]+\s+){{0,3}}[\"“‘']?$", re.I)
    after = re.compile(rf"^[\"”’']?\s*(?:{_words('after_level')})\b", re.I)
    quantity = re.compile(rf"(?:^|[\s,(])(?:(?:\d[\d,.]*\s*(?:%|per\s*cent)|{_words('quantifiers_of')})\s+of|"
                          rf"{_words('bare_quantifiers')})\s+"
                          rf"(?:the\s+|its\s+|their\s+)?[\w'’\s-]{{0,40}}?\b(?:were|was|are|is|been|being)?\s*"
                          rf"(?:rated|judged|graded|found|deemed|assessed)?\s*(?:as\s+)?[\"“‘']?$", re.I)
    return before, after, quantity


RATING_VERB = re.compile(r"\b(?:rate|rates|rated|judge|judges|judged|grade|grades|graded|found\s+to)\b", re.I)
LIST_ITEM = re.compile(r"^[ \t]*(?:[-•*–]|\d+[.)])?[ \t]*(?P<area>[^:\n]{3,160}?)\s*:\s*[\"“‘']?(?P<level>[A-Za-z][A-Za-z ]+?)"
                       r"[\"”’']?[ \t]*(?:\([^)\n]{0,80}\))?[ \t]*\.?[ \t]*$", re.M)
LEAD_WORDS = re.compile(r"\b(?:judgements?|judgments?|rated|grades?|graded|ratings?|found|verdicts?|as follows|scores?)\b", re.I)


def extract_ratings(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    anchor = anchor_date(doc, article)
    phrases = date_phrases(text_of(doc), 0, anchor)
    listed = _list_items(doc, article, idx, phrases, anchor)
    taken = {(r.evidence.start if r.evidence else -1) for r in listed}
    for sent in doc.sents:
        changes = _from_to(doc, article, idx, sent, phrases, anchor)
        taken |= {r.evidence.start for r in changes if r.evidence}
        facts.ratings += changes
        facts.ratings += [r for r in _ratings_in(doc, article, idx, sent, phrases, anchor, facts.events)
                          if r.evidence is None or r.evidence.start not in taken]
    facts.ratings += listed
    _date_current_ratings(facts.ratings, anchor, text_of(doc))


def licensed(text: str, s: int, e: int, sent_start: int) -> bool:
    """Whether the level at [s, e) is a judgement given, not negated, removed, hoped for, compared or quantified."""
    before_re, after_re, quantity_re = gates()
    while (m := re.search(r"(?:outstanding|good|requires? improvement|inadequate)[\"”’']?\s+(?:or|and)\s+[\"“‘']?$",
                          text[max(sent_start, s - 40):s], re.I)):
        s = max(sent_start, s - 40) + m.start()  # "good or outstanding": judge the pair from its first level
    before = text[max(sent_start, s - 60):s]
    if before_re.search(before) or after_re.match(text[e:e + 20]):
        return False
    ends = [i for i in (text.find(".", e), text.find("\n", e)) if i > 0]
    sentence = text[sent_start:min(ends) if ends else len(text)]  # a timeline line ends at its line break
    if len({m.group(1).lower() for m in level_pattern().finditer(sentence)}) >= 3 or re.search(r"\bscale\b", sentence, re.I):
        return False  # "on a four-point scale: outstanding, good, …": the scale, not a judgement
    return not quantity_re.search(text[max(sent_start, s - 90):s])


@lru_cache(maxsize=1)
def from_to_pattern() -> re.Pattern[str]:
    levels = "|".join(re.escape(x) for x in sorted(lex()["rating_levels"], key=len, reverse=True))
    q = "[\"“”‘’']?"
    return re.compile(rf"\bfrom\s+{q}(?P<old>{levels}){q}\s+to\s+{q}(?P<new>{levels})\b", re.I)


@lru_cache(maxsize=1)
def _change_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in lex()["rating_gates"]["change_words"]) + r")\b", re.I)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    """Any rating cue as a whole word or phrase."""
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in lex()["rating_cues"]) + r")\b")


def _from_to(doc: Doc, article: Article, idx: EntityIndex, sent: Span, phrases: list[DatePhrase],
             anchor: str) -> list[Rating]:
    """"The CQC downgraded X from requires improvement to inadequate": the level after "to" is the
    judgement given, dated like any other; the one after "from" is X's previous rating, undated."""
    text = text_of(doc)
    change = _change_pattern()
    out = []
    for m in from_to_pattern().finditer(span_text(sent)):
        s, e = sent.start_char + m.start("new"), sent.start_char + m.end("new")
        lo, hi = clause_of(sent, sent.start_char + m.start(), e)
        if not change.search(text[lo:s]) or generic_mention(doc, s, e):
            continue
        # the body must be named (or described: "the school") in the clause itself: "surgery slipped
        # from good to …" grades a service, "its rating" a body the clause does not name
        subj = [o for o in mentions_in(idx, lo, hi, "ORG") if o.org_type in subject_types() - {""}]
        if not subj:
            continue
        date = (nearest_date(phrases, s, e, lo, hi) or timeline_date(doc, s, phrases)
                or (article.published if PRESENT.search(text[lo:hi]) else ""))
        orgs = mentions_in(idx, lo, hi, "ORG")
        insp = [o for o in orgs if o.org_type == "regulator"] or main_body(idx, "regulator")
        area = _line_area(text, s)
        levels = lex()["rating_levels"]
        os_, oe = sent.start_char + m.start("old"), sent.start_char + m.end("old")
        for body in subj[:1]:
            out.append(Rating(body.name, levels[m.group("new").lower()], date, insp[0].name if insp else "", area,
                              evidence(doc, article.id, s, e), "rating.from-to"))
            out.append(Rating(body.name, levels[m.group("old").lower()], "", insp[0].name if insp else "", area,
                              evidence(doc, article.id, os_, oe), "rating.from-to.previous"))
    return out


def _describes_a_thing(doc: Doc, s: int, e: int) -> bool:
    """The level word is an adjective on a noun that is not a rating ("good character", "inadequate
    staffing"), read from the parse; "its inadequate rating" stays a judgement."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) != 1 or not doc.has_annotation("DEP"):
        return False
    tok = span[0]
    return tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.lower_ not in lex()["rating_gates"]["rating_nouns"]


def _ratings_in(doc: Doc, article: Article, idx: EntityIndex, sent: Span, phrases: list[DatePhrase],
                anchor: str, facts_events: list) -> list[Rating]:
    out = []
    text = text_of(doc)
    for m in level_pattern().finditer(span_text(sent)):
        s, e = sent.start_char + m.start(), sent.start_char + m.end()
        lo, hi = clause_of(sent, s, e)
        window = text[max(sent.start_char, s - 45):min(sent.end_char, e + 12)].lower()
        quoted = bool(re.fullmatch(r"\s*[\"“‘']", text[s - 1:s]) and re.match(r"[\"”’']", text[e:e + 1]))
        lo, hi = clause_of(sent, s, e)
        if not quoted and not _cue_pattern().search(window) and not RATING_VERB.search(text[lo:s]):
            continue
        if not licensed(text, s, e, sent.start_char) or generic_mention(doc, s, e) or _describes_a_thing(doc, s, e):
            continue
        level = lex()["rating_levels"][m.group(1).lower()]
        lo, hi = clause_of(sent, s, e)
        own = _outside_other_verbs(doc, s, e, phrases)
        date = (nearest_date(own, s, e, lo, hi) or timeline_date(doc, s, phrases)
                or time_after(text, sent.start_char, s, phrases, anchor))
        orgs = mentions_in(idx, lo, hi, "ORG")
        insp = [o for o in orgs if o.org_type == "regulator"] or main_body(idx, "regulator")
        if not date and insp:
            date = _report_date(facts_events, insp[0].name, sent.start_char)
        if not date and PRESENT.search(text[lo:hi]):
            date = article.published
        pair = _pair(idx, lo, hi)
        subj = pair or subject_bodies(idx, lo, hi)
        if not subj:
            continue
        area = _line_area(text, s) or _area(text[sent.start_char:s]) or _area_after(text[e:sent.end_char])
        dates_ = [date] + _and_dates(text, own, date, lo, hi)  # "after inspections in 2021 and 2022": a judgement each time
        for body in pair or _coordinated(text, subj, e):
            for when in dates_:
                out.append(Rating(body.name, level, when, insp[0].name if insp else "", area,
                                  evidence(doc, article.id, s, e), "rating.quoted" if quoted else "rating.cue"))
    return out


def _and_dates(text: str, phrases: list[DatePhrase], date: str, lo: int, hi: int) -> list[str]:
    """The dates coordinated with ``date`` in the clause ("in 2021 and 2022"), after it."""
    if not date:
        return []
    inside = sorted((p for p in phrases if lo <= p.start and p.end <= hi), key=lambda p: p.start)
    out = []
    for a, b in zip(inside, inside[1:]):
        if (a.iso == date or a.iso in out) and re.fullmatch(r",?\s+and\s+", text[a.end:b.start]) and b.iso != date:
            out.append(b.iso)
    return out


def _outside_other_verbs(doc: Doc, s: int, e: int, phrases: list[DatePhrase]) -> list[DatePhrase]:
    """The date phrases not inside what a verb coordinated with the rating's reports ("It rated the
    trust inadequate and found services had deteriorated since … 2015": 2015 is not the rating's),
    read from the parse; a date coordinated verbs share ("rated inadequate and placed in special
    measures in March 2023") stays."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span) or not doc.has_annotation("DEP"):
        return phrases
    tok = span.root
    verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return phrases
    holes = [(g.left_edge.idx, g.right_edge.idx + len(g.right_edge)) for c in verb.children
             if c.dep_ == "conj" and not (c.left_edge.i <= tok.i <= c.right_edge.i)
             for g in c.children if g.dep_ in ("ccomp", "csubj")]
    return [p for p in phrases if not any(a <= p.start < b for a, b in holes)]


def _report_date(events: list, inspector: str, sent_start: int) -> str:
    """"The CQC published its report on 13 September. It rated the trust inadequate": an undated
    judgement told right after its inspector's dated report (same or previous sentence) is that report's."""
    found = [ev for ev in events if ev.type == "report" and ev.date and ev.modality == "asserted" and ev.evidence
             and (any(p.name == inspector for p in ev.participants) or not any(p.role == "agent" for p in ev.participants))
             and (ev.evidence.sent_start == sent_start or -1 <= sent_start - ev.evidence.sent_end <= 2)]
    same = [ev for ev in found if ev.evidence.sent_start == sent_start]
    return (same or found)[-1].date if found else ""


def _pair(idx: EntityIndex, lo: int, hi: int) -> list:
    """"Maternity services at both hospitals were rated inadequate": the last two bodies of that kind
    named before the clause (a trust's hospitals, not the trust, for "both hospitals")."""
    pairs = {k: v for k, v in load_json("bodies.json")["pair_descriptors"].items() if not k.startswith("_")}
    m = re.search(rf"\b(?:both|the\s+two)\s+(?:of\s+the\s+)?({'|'.join(map(re.escape, pairs))})\b", idx.text[lo:hi], re.I)
    if m is None:
        return []
    kind, noun = pairs[m.group(1).lower()], m.group(1).lower()
    before = [o for o in idx.mentions if o.kind == "ORG" and o.org_type == kind and o.evidence.end <= lo + m.start()
              and (noun == "trusts" or o.name.split()[-1].lower() != "trust")]
    names: list = []
    for o in reversed(before):
        if o.name not in {n.name for n in names}:
            names.append(o)
        if len(names) == 2:
            return names[::-1]
    return []


def _coordinated(text: str, subj: list, level_end: int) -> list:
    """"X and Y were both found to require improvement": every body of a coordination before the
    level shares it; otherwise the first body is the subject."""
    before = [m for m in subj if m.evidence.end <= level_end]
    group = before[:1]
    for a, b in zip(before, before[1:]):
        if re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", text[a.evidence.end:b.evidence.start]):
            group.append(b)
        else:
            break
    return group if len(group) > 1 else subj[:1]


def _list_items(doc: Doc, article: Article, idx: EntityIndex, phrases: list[DatePhrase],
                anchor: str) -> list[Rating]:
    """Judgement lists: consecutive "area: level" lines after a lead-in line ending in a colon."""
    text = text_of(doc)
    levels = lex()["rating_levels"]
    overall_words = tuple(lex()["rating_gates"]["overall_areas"])
    out: list[Rating] = []
    subj = main_subject(idx)
    if not subj:
        return out
    insp = main_body(idx, "regulator")
    for m in LIST_ITEM.finditer(text):
        level = levels.get(re.sub(r"\s+", " ", m.group("level").strip().lower()))
        if not level:
            continue
        lead = _lead_in(text, m.start())
        if lead is None:
            continue
        lead_start, lead_end = lead
        lead_dates = [p for p in phrases if lead_start <= p.start and p.end <= lead_end]
        date = lead_dates[-1].iso if lead_dates else article.published
        area = re.sub(r"^(?:the\s+)", "", m.group("area").strip(), flags=re.I)
        is_overall = area.lower().startswith(overall_words)
        out.append(Rating(subj[0].name, level, date, insp[0].name if insp else "", "" if is_overall else area,
                          evidence(doc, article.id, m.start("level"), m.end("level")), "rating.list-item"))
    return out


def _lead_in(text: str, pos: int) -> tuple[int, int] | None:
    """The lead-in line of the list the line at ``pos`` belongs to: walking back over other
    "area: level" lines (and blank lines), the first other line must end in a colon."""
    i = pos
    while i > 0:
        j = text.rfind("\n", 0, i - 1) + 1
        line = text[j:i].strip()
        if not line:
            i = j
            if i == 0:
                return None
            continue
        if LIST_ITEM.fullmatch(line) and lex()["rating_levels"].get(
                re.sub(r"\s+", " ", LIST_ITEM.fullmatch(line).group("level").strip().lower())):
            i = j
            continue
        heading = len(line.split()) <= 8 and not re.search(r"[.!?]$", line)  # "The grades in full"
        return (j, i) if (line.endswith(":") or heading) and LEAD_WORDS.search(line) else None
    return None


def _date_current_ratings(ratings: list[Rating], anchor: str, text: str = "") -> None:
    """Undated judgements in an article about a current inspection take that inspection's date.

    "Current" means a rating the article dates in its own year; when there is exactly one
    such date, the article's undated ratings (typically sub-area grades) share it.
    """
    current = {r.date for r in ratings if r.date and anchor and r.date[:4] == anchor[:4]}
    if len(current) == 1:
        date = current.pop()
        for r in ratings:
            if not r.date and not r.rule.endswith(".previous") and not _older_paragraph(r, anchor, text):
                r.date = date


def _older_paragraph(r: Rating, anchor: str, text: str) -> bool:
    """Whether the rating's paragraph, up to it, tells of an earlier year ("In a report published
    in November 2015 … the service as a whole was judged inadequate"): not the current inspection."""
    if r.evidence is None or not anchor:
        return False
    para = max(text.rfind("\n\n", 0, r.evidence.start), 0)
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text[para:r.evidence.sent_end])}
    return any(y < int(anchor[:4]) for y in years)


def _line_area(text: str, pos: int) -> str:
    """"caring: still good": a level on a line that opens with "area:" grades that area."""
    line = text[text.rfind("\n", 0, pos) + 1:pos]
    m = re.match(r"\s*([A-Za-z][A-Za-z ,'’-]{2,80}?):\s", line)
    if not m or LEAD_WORDS.search(m.group(1)) or len(m.group(1).split()) > 8 or re.search(rf"\b{dates.MONTH}\b", m.group(1), re.I):
        return ""
    return m.group(1).strip()


AREA_AFTER = re.compile(r"\s+(?:for\s+(?:its\s+|the\s+)?(?P<for>[a-z][a-z' -]{2,40}?)"
                        r"|in\s+the\s+(?P<in>[a-z][a-z' ,-]{2,60}?)\s+(?:categor(?:y|ies)|domains?|key questions?))"
                        r"(?=\s*(?:[,.;]|\band\b|$))")


def _area_after(after: str) -> str:
    """"good for caring", "inadequate in the safe and well-led categories": the area graded."""
    m = AREA_AFTER.match(after)
    if not m:
        return ""
    area = (m.group("for") or m.group("in") or "").strip()
    if re.search(r"\b(?:the first time|years?|months?|now|the moment|example|instance|children|people|patients)\b", area):
        return ""
    return area


def _area(before: str) -> str:
    """A sub-area judged ('the impact of leaders …'), when the sentence names one."""
    if re.search(r"\boverall\b", before, re.I):
        return ""
    m = re.search(r"(?:“|\")([^”\"]{10,160})(?:”|\")\s+(?:was|were)\s+(?:graded|rated|judged)", before)
    if m:
        return m.group(1)
    m = re.search(r"\b(?:the\s+)?(experiences and progress of .+?)(?:\s+(?:was|were|is|are)\s+(?:\w+\s+)?$|,|$)",
                  before, re.I)
    return m.group(1).strip() if m and "overall" not in m.group(1).lower() else ""
