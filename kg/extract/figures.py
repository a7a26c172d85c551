"""Figures: reported quantities ("more than 35 children", "43 per cent of staff", "£65m of
cuts", "between 30 and 50 children") with what they count. Years, dates and ages in
brackets are not figures; spelled-out numbers are left alone (too often not a statistic)."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Article, ArticleFacts, Figure
from .context import lex
from .entities import EntityIndex, evidence, text_of

MONEY = r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:bn|billion|m|million|k)?"
NUMBER = r"\d[\d,]*(?:\.\d+)?"


@lru_cache(maxsize=1)
def figure_pattern() -> re.Pattern[str]:
    quals = "|".join(re.escape(q) for q in sorted(lex()["figure_qualifiers"], key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?P<qual>{quals})\s+)?(?:(?P<between>between)\s+)?"
        rf"(?P<num>{MONEY}|{NUMBER})(?:\s*(?:and|to|-|–)\s*(?P<num2>{MONEY}|{NUMBER}))?"
        rf"(?P<unit>\s?(?:per\s?cent|percent|%))?", re.I)


def extract_figures(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """Every quantity written in digits, with the noun phrase after it as its measure."""
    text = text_of(doc)
    for m in figure_pattern().finditer(text):
        if _not_a_figure(text, m):
            continue
        value, number, unit = _value(m)
        measure = _measure(doc, m.end())
        if not measure:
            continue
        facts.figures.append(Figure(value, measure, number, (m.group("qual") or "").lower(), unit,
                                    evidence(doc, article.id, m.start(), m.end()), f"figure.digits.{unit.lower()}"))


def _not_a_figure(text: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    digits = re.sub(r"\D", "", num)
    if not num.startswith("£") and not m.group("unit") and re.fullmatch(r"(?:19|20)\d{2}", digits):
        return True  # a year
    after = text[m.end():m.end() + 14].lower()
    before = text[max(0, m.start() - 14):m.start()].lower()
    if m.start("num") > 0 and text[m.start("num") - 1].isalpha():
        return True  # a road or a code: "A14", "M1", "B2B"
    prev_word = re.findall(r"[\w.]+", before)[-1:] or [""]
    if prev_word[0] in lex()["figure_not_after"]:
        return True  # "section 114", "page 3", "A14"
    if re.match(r"\s*(?:st|nd|rd|th)\b|\s*(?:january|february|march|april|may|june|july|august|september|october|"
                r"november|december)|\s*(?:am|pm)\b|:\d", after):
        return True
    if re.search(r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\s*$", before):
        return True
    if re.match(r"\s*(?:and|-|–)\s*\d+\s*(?:st|nd|rd|th)?\s*(?:january|february|march|april|may|june|july|august|"
                r"september|october|november|december)", text[m.start("num"):m.start("num") + 30].lower()[len(m.group("num")):]):
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
        if (tok.pos_ in STOP_POS or tok.is_punct or tok.is_space or tok.lower_ in stop or len(words) >= 7
                or (tok.pos_ == "ADP" and nxt is not None and (nxt.like_num or nxt.ent_type_ == "DATE"))):
            break
        if not words and tok.lower_ == "of":
            continue
        words.append(tok.text)
    while words and words[-1].lower() in ("of", "in", "for", "a", "the", "at", "with", "per"):
        words.pop()
    return " ".join(words)
