"""Quotes: text inside quotation marks, attributed to the person or body who said it.

The speaker is the subject of a reporting verb (lexicon) in the quote's sentence, read from
the dependency parse and mapped to an entity mention: a name, an alias ("Mr Foster"), a
description ("the council", "the Government watchdog", "inspectors"), "a spokesman for X"
(X), "the report" (the article's regulator), or a pronoun (the last person, or the last
speaking body). A paragraph that opens with a quotation mark and has no attribution of its
own continues the previous quote. Scare quotes of one or two words are not quotations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.model import Article, ArticleFacts, Mention, Quote
from kg.extract.dating import lex
from kg.extract.entities import EntityIndex, evidence, person_antecedent, text_of

MIN_WORDS = 3
PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'"}


@dataclass
class RawQuote:
    start: int  # offsets of the text inside the marks
    end: int
    para_start: int
    opens_para: bool
    closed: bool = True


def find_quotes(text: str) -> list[RawQuote]:
    """Quoted spans, paragraph by paragraph; an unclosed quote runs to the paragraph's end."""
    out: list[RawQuote] = []
    pos = 0
    for para in text.split("\n\n"):
        out += _quotes_in(para, pos)
        pos += len(para) + 2
    return out


def _quotes_in(para: str, base: int) -> list[RawQuote]:
    out, i = [], 0
    while i < len(para):
        ch = para[i]
        if ch in "“\"" or (ch in "‘'" and _opens_single(para, i)):
            close = _closing(para, i + 1, PAIRS[ch])
            end = close if close >= 0 else len(para)
            out.append(RawQuote(base + i + 1, base + end, base, para[:i].strip() == "", close >= 0))
            i = end + 1
        else:
            i += 1
    return out


def _opens_single(para: str, i: int) -> bool:
    return (i == 0 or not para[i - 1].isalnum()) and i + 1 < len(para) and para[i + 1].isalnum()


def _closing(para: str, j: int, mark: str) -> int:
    while j < len(para):
        if para[j] == mark and (mark in "”\"" or j + 1 == len(para) or not para[j + 1].isalnum()):
            return j
        if mark == "”" and para[j] == "“":
            return -1
        j += 1
    return -1


def extract_quotes(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """Attribute every quotation of three or more words; continuation paragraphs inherit."""
    state = _Speakers(doc, idx)
    prev: Quote | None = None
    prev_para = -1
    pending: list[tuple[RawQuote, str]] = []  # unattributed paragraphs of a quote still running
    for rq in find_quotes(text_of(doc)):
        body = text_of(doc)[rq.start:rq.end].strip().rstrip(",")
        words = re.findall(r"\w+", body)
        if _is_heading(text_of(doc), rq):
            continue
        speaker, rule = state.speaker_for(rq), "quote.reporting-verb"
        if speaker is None and rq.opens_para and prev is not None and _adjacent(text_of(doc), prev_para, rq.para_start):
            speaker, rule = (prev.speaker, prev.speaker_kind), "quote.continuation"
        if speaker is None and prev is not None and rq.para_start == prev_para and _attribution_between(idx, prev, rq):
            speaker, rule = (prev.speaker, prev.speaker_kind), "quote.continuation"
        if speaker is None and rq.opens_para:
            speaker, rule = state.introducer(rq), "quote.after-introduction"
        if len(words) < MIN_WORDS:
            continue
        if speaker is None:
            if rq.opens_para and not rq.closed:
                pending.append((rq, body))
            continue
        for p_rq, p_body in pending:
            if _adjacent(text_of(doc), p_rq.para_start, rq.para_start) and rq.opens_para:
                facts.quotes.append(Quote(speaker=speaker[0], speaker_kind=speaker[1], text=p_body,
                                          evidence=evidence(doc, article.id, p_rq.start, p_rq.end),
                                          rule="quote.continuation-before"))
        pending = []
        q = Quote(speaker=speaker[0], speaker_kind=speaker[1], text=body,
                  evidence=evidence(doc, article.id, rq.start, rq.end), rule=rule)
        facts.quotes.append(q)
        prev, prev_para = q, rq.para_start
        state.last_body = speaker if speaker[1] == "ORG" else state.last_body
        if speaker[1] == "PERSON":
            state.last_person = next((m for m in idx.mentions if m.name == speaker[0]), state.last_person)


def _attribution_between(idx: EntityIndex, prev: Quote, rq: RawQuote) -> bool:
    """'"A," said Mr Lewis. "B."': the next quotation in the paragraph, after nothing but the
    attribution sentence of the one before, is the same speaker's."""
    if prev.evidence is None:
        return False
    gap = idx.text[prev.evidence.end:rq.start]
    if len(gap) > 140 or not re.search(r"[.!?][\s\"“”‘’']*$", gap):
        return False
    others = [m for m in idx.within(prev.evidence.end, rq.start) if m.kind == "PERSON" and m.name != prev.speaker]
    return not others


def _is_heading(text: str, rq: RawQuote) -> bool:
    """A paragraph that is nothing but a short quotation with no full stop is a subheading."""
    para_end = text.find("\n\n", rq.para_start)
    para = text[rq.para_start:para_end if para_end >= 0 else len(text)].strip()
    inner = text[rq.start:rq.end].strip()
    return (rq.opens_para and rq.closed and len(para) <= len(inner) + 3
            and len(inner.split()) <= 8 and not re.search(r"[.!?,]$", inner))


def _adjacent(text: str, prev_para: int, para: int) -> bool:
    """The paragraph at ``para`` directly follows the one at ``prev_para`` (or is it)."""
    if para == prev_para:
        return True
    between = text[prev_para:para].split("\n\n")
    return len([p for p in between if p.strip()]) <= 1


def _sent_at(doc: Doc, char: int) -> Span | None:
    span = doc.char_span(char, min(char + 1, len(text_of(doc))), alignment_mode="expand")
    return doc[span.start].sent if span is not None and len(span) else None


class _Speakers:
    """Finds the speaker of a quote, remembering the last person and body that spoke."""

    def __init__(self, doc: Doc, idx: EntityIndex) -> None:
        self.doc, self.idx = doc, idx
        self.verbs = set(lex()["reporting_verbs"])
        self.last_body: tuple[str, str] | None = None
        self.last_person: Mention | None = None
        self.quoted: list[tuple[int, int]] = [(q.start, q.end) for q in find_quotes(text_of(doc))]

    def _outside(self, tok: Token) -> bool:
        return not any(a <= tok.idx < b for a, b in self.quoted)

    def introducer(self, rq: RawQuote) -> tuple[str, str] | None:
        """"Mayor X welcomed the decision." followed by a quotation paragraph: the quote is X's.

        The paragraph before must be one short sentence without quotation marks whose main verb's
        subject is a named person or body."""
        text = text_of(self.doc)
        end = text.rfind("\n\n", 0, rq.para_start)
        if end < 0:
            return None
        start = text.rfind("\n\n", 0, end)
        start = 0 if start < 0 else start + 2
        para = text[start:end]
        if not para.strip() or re.search(r"[\"“”]", para) or len(para) > 300 or para.rstrip().endswith("?"):
            return None
        sent = _sent_at(self.doc, start)
        if sent is None or sent.end_char < end - 2:
            return None
        subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return self._entity_of(subj) if subj is not None and subj.lower_ not in lex()["speaker_pronouns"] else None

    def _sentences(self, rq: RawQuote) -> list[Span]:
        """The sentences the quote spans, and the one its closing mark ends in ("…," she said)."""
        text = text_of(self.doc)
        para_end = text.find("\n\n", rq.start)
        hi = min(rq.end + 2, len(text), para_end if para_end >= 0 else len(text))
        out: list[Span] = []
        for char in (rq.start, max(rq.start, rq.end - 1), hi - 1):
            sent = _sent_at(self.doc, char)
            if sent is not None and all(sent.start != s.start for s in out):
                out.append(sent)
        return out

    def speaker_for(self, rq: RawQuote) -> tuple[str, str] | None:
        """The speaker of quote ``rq``: the subject of the nearest reporting verb outside quotes
        in the sentences the quote spans or closes in."""
        verbs = [t for sent in self._sentences(rq) for t in sent if t.lower_ in self.verbs and self._outside(t)]
        verbs.sort(key=lambda t: min(abs(t.idx - rq.start), abs(t.idx - rq.end)))
        for verb in verbs:
            who = self._subject(verb)
            if who:
                if who[1] == "ORG":
                    self.last_body = who
                return who
        return None

    def _subject(self, verb: Token) -> tuple[str, str] | None:
        if verb.lower_ == "according":
            pobj = [t for t in verb.subtree if t.dep_ == "pobj"]
            return self._entity_of(pobj[0]) if pobj else None
        head = verb
        for _ in range(4):
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return self._entity_of(subj[0])
            if head.dep_ in ("conj", "advcl", "xcomp", "ccomp", "relcl") and head.head is not head:
                head = head.head
            else:
                break
        return None

    def _entity_of(self, tok: Token) -> tuple[str, str] | None:
        """An entity for a subject token: its mention, a mention in its phrase, a pronoun's antecedent."""
        low = tok.lower_
        pron = lex()["speaker_pronouns"]
        if low in pron:
            return self._antecedent(tok, pron[low])
        m = self.idx.at(tok.idx, tok.idx + len(tok))
        if m is not None and m.kind in ("PERSON", "ORG"):
            return (m.name, m.kind)
        inside = [self.idx.at(t.idx, t.idx + len(t)) for t in tok.subtree]
        inside = [m for m in inside if m is not None and m.kind in ("PERSON", "ORG")]
        people = [m for m in inside if m.kind == "PERSON"]
        if people or inside:
            m = (people or inside)[0]
            return (m.name, m.kind)
        if low in lex()["report_nouns"] and self.idx.main.get("regulator"):
            return (self.idx.main["regulator"], "ORG")
        return None

    def _antecedent(self, tok: Token, kind: str) -> tuple[str, str] | None:
        if kind == "ORG":
            if self.last_body:
                return self.last_body
            reg = self.idx.main.get("regulator")
            return (reg, "ORG") if reg else None
        m = person_antecedent(tok, self.idx, self.last_person)
        return (m.name, "PERSON") if m is not None else None

