"""Events, ratings and successions, triggered by lexicon phrases (``data/facts.json``).

Participants are the entity mentions of the trigger's clause, given roles by event type;
the date is the nearest date phrase in the clause, resolved against the article's date;
modal cues before the trigger mark planned or proposed events.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.model import Article, ArticleFacts, Event, Mention, Participant
from kg.domain import event_types, load_json, publisher_types, subject_types
from kg.extract.dating import (DatePhrase, anchor_date, clause_of, date_phrases, forward, future, generic_mention, lex,
                               modality, nearest_date, time_after)
from kg.extract.entities import EntityIndex, evidence, folded, key_word, salient, text_of, span_text
from kg.nlp import bodies

PRESENT = re.compile(r"\b(?:has|have) (?:now )?been\b|\b(?:has|have) (?:seen|found|suggested|concluded|shown|revealed|"
                     r"rated|judged|graded)\b|\bis taking place\b|\bare being\b|\bthis week\b|\bis rated\b|\bstill\b|"
                     r"\bremains?\b|\blatest\b|\bthis\s+(?:\w+\s+){0,2}(?:inspection|report|visit)\b", re.I)
ANAPHOR = re.compile(r"\b(?:that|the same|the|this|its|their|these|those)\s+(?:(?:last|latest|previous|recent|"
                     r"earlier|full|most recent|first|\w+['’]s)\s+){0,3}$", re.I)


@lru_cache(maxsize=1)
def _trigger_keys() -> list[tuple[str, list[int]]]:
    """Each trigger's key word with the positions in :func:`_triggers` of the triggers that hold
    it: a sentence without the word cannot hold those triggers."""
    keys: dict[str, list[int]] = {}
    for i, (_pat, _typ, trig) in enumerate(_triggers()):
        keys.setdefault(key_word(trig), []).append(i)
    return list(keys.items())


@lru_cache(maxsize=1)
def _triggers() -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, event type, trigger phrase) of every trigger, in the order they claim text."""
    pats = []
    for spec in lex()["events"]:
        for trig in sorted(spec["triggers"], key=len, reverse=True):
            words = r"\s+".join(re.escape(w) for w in trig.split())
            pats.append((re.compile(rf"\b{words}\b", re.I), spec["type"], trig))
    return pats



def extract_events(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """Events of one article, one per trigger (the first trigger type to claim a span wins)."""
    anchor = anchor_date(doc, article)
    phrases = date_phrases(text_of(doc), 0, anchor)
    triggers, keys = _triggers(), _trigger_keys()
    for sent in doc.sents:
        taken: list[tuple[int, int]] = []
        stext = span_text(sent)
        low = folded(stext)
        candidates = sorted(i for key, at in keys if key in low for i in at)
        for i in candidates:
            pat, typ, _ = triggers[i]
            for m in pat.finditer(stext):
                s, e = sent.start_char + m.start(), sent.start_char + m.end()
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                new = _events_at(doc, article, idx, sent, typ, s, e, phrases, anchor)
                _resolve_anaphor(text_of(doc), new, facts.events, s)
                facts.events += new


@lru_cache(maxsize=1)
def _anchor_pattern() -> re.Pattern[str]:
    spec = lex()["event_anchors"]
    rel = "|".join(r"\s+".join(map(re.escape, r.split())) for r in sorted(spec["relations"], key=len, reverse=True))
    nouns = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(spec["nouns"], key=len, reverse=True))
    return re.compile(rf"\b(?P<rel>{rel})\s+(?:the|its|this|that|their|his|her|an?)\s+(?:[\w'’-]+\s+){{0,3}}?"
                      rf"(?P<noun>{nouns})\b", re.I)


PRECISION = {"day": 10, "month": 7, "year": 4}


def date_from_events(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """An undated event told relative to another of the article ("stepped down within weeks of the
    report", "resigned on the day the intervention was announced") takes that event's date, at the
    precision the relation keeps. It abstains when the article dates such events differently and
    none comes before, and when "after" a date late in a year could fall in the next one."""
    spec = lex()["event_anchors"]
    nouns = {" ".join(k.lower().split()): v for k, v in spec["nouns"].items()}
    relations = {" ".join(k.lower().split()): v for k, v in spec["relations"].items()}
    text = text_of(doc)
    for ev in facts.events:
        if ev.date or ev.evidence is None or ev.modality != "asserted":
            continue
        sent_start = ev.evidence.sent_start
        for m in _anchor_pattern().finditer(text, sent_start, ev.evidence.sent_end):
            if m.start("noun") < ev.evidence.end and ev.evidence.start < m.end("noun"):
                continue  # the event's own trigger
            types = nouns[" ".join(m.group("noun").lower().split())]
            keep = PRECISION[relations[" ".join(m.group("rel").lower().split())]]
            dated = [o for o in facts.events if o is not ev and o.type in types and o.type != ev.type and o.date
                     and o.modality == "asserted" and o.evidence is not None]
            if len({o.date[:keep] for o in dated}) > 1:
                dated = [o for o in dated if o.evidence.start < ev.evidence.start][-1:]
            if not dated:
                continue
            src = dated[0].date
            if keep == 4 and len(src) >= 7 and int(src[5:7]) >= 11:
                continue  # weeks after a November report may be the next January
            ev.date = src[:keep]
            break


def _from_person(idx: EntityIndex, e: int) -> bool:
    """The trigger is followed by "from" and a person's name."""
    m = re.match(r"\s+from\s+(?:(?:the\s+)?\w+\s+){0,2}?", idx.text[e:e + 40])
    if not m:
        return False
    return any(p.kind == "PERSON" and e + m.end() - 1 <= p.evidence.start <= e + m.end() + 1
               for p in idx.within(e, e + 60))


def _heading(sent: Span) -> bool:
    """A short line with no verb ("Special measures", "The urgent notification"): a section heading
    that names a topic, not an event that happened."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return False
    text = text_of(sent.doc)
    end = words[-1].idx + len(words[-1])
    return (len(words) <= 6 and sent.doc.has_annotation("POS") and not any(t.pos_ in ("VERB", "AUX") for t in words)
            and (end >= len(text.rstrip()) or "\n" in text[end:end + 2]))  # the line ends there (the sentence may hold its line break)


def _resolve_anaphor(text: str, new: list[Event], prior: list[Event], start: int) -> None:
    """"That inspection …" without a date of its own is the last dated one of its type just before."""
    if not ANAPHOR.search(text[max(0, start - 20):start]):
        return
    for ev in new:
        if ev.date:
            continue
        before = [p for p in prior if p.type == ev.type and p.date and p.evidence and p.evidence.end <= start]
        if before:
            ev.date = before[-1].date


def mentions_in(idx: EntityIndex, lo: int, hi: int, kind: str = "") -> list[Mention]:
    return [m for m in idx.within(lo, hi) if not kind or m.kind == kind]


def _events_at(doc: Doc, article: Article, idx: EntityIndex, sent: Span, typ: str, s: int, e: int,
               phrases: list[DatePhrase], anchor: str) -> list[Event]:
    if generic_mention(doc, s, e) or _heading(sent) or span_text(sent).rstrip().endswith("?") or _of_a_kind(doc, s, e):
        return []  # a question ("Was the school inspected in between?") asserts nothing
    lo, hi = clause_of(sent, s, e)
    if cut := re.search(r"\b(?:after|before|following)\b", text_of(doc)[e:hi]):
        hi = e + cut.start()
    date = (nearest_date(phrases, s, e, lo, hi) or timeline_date(doc, s, phrases)
            or time_after(text_of(doc), sent.start_char, s, phrases, anchor)
            or (_ongoing_date(text_of(doc)[lo:hi], anchor) if typ == "inspection" else _present_date(text_of(doc)[lo:hi], anchor))
            or same_day(text_of(doc), sent.start_char, sent.end_char, phrases))
    mlo = _own_clause_start(doc, s, e, lo)  # "said he was sad to be leaving the trust, which was placed …": not planned
    mode = modality(text_of(doc)[mlo:s])
    told_ahead = future(text_of(doc)[mlo:s], text_of(doc)[s:e])
    if mode == "asserted" and told_ahead:
        mode = "planned"  # the trigger itself is future ("will join")
    if mode == "planned" and told_ahead:
        date = forward(date, phrases, anchor)
    ev = evidence(doc, article.id, s, e)
    people = [m for m in mentions_in(idx, sent.start_char, sent.end_char, "PERSON")]
    orgs = mentions_in(idx, lo, hi, "ORG")
    parts: list[Participant] = []
    if typ == "inspection":
        if (_generic_mention(doc, s, e, orgs) and not date) or _counted(doc, s, e) or _valued(doc, s, e):
            return []
        reg = [o for o in orgs if o.org_type == "regulator"] or main_body(idx, "regulator")
        subj = subject_bodies(idx, lo, hi)
        parts = [Participant(o.name, "ORG", "agent") for o in reg] + [Participant(o.name, "ORG", "affected") for o in subj]
    elif typ == "takeover" and _person_subject(doc, idx, s, e):
        return _person_event(doc, article, idx, "appointment", s, e, phrases, mode, ev)
    elif typ == "takeover" and _from_person(idx, e):
        return []  # "taking over from Dorothy Hosein": a person succeeding a person (see succession)
    elif typ == "report" and _counted(doc, s, e):
        return []  # "the 41 councils whose judgments have been published": a tally, not a report
    elif typ == "report" and (t := _trigger_token(doc, s, e)) is not None and t.dep_ == "amod" and t.tag_ == "VBN":
        return []  # "Published figures showed …": a participle describing data, no publication told
    elif typ == "report" and not _publishes_a_report(doc, s, e):
        return []  # "a statement published by the trust": a statement, not a report
    elif typ in ("takeover", "report", "review", "spending_control", "reorganisation"):
        parts = [Participant(o.name, "ORG", _org_role(typ, o, s, text_of(doc))) for o in orgs]
        span = doc.char_span(s, e, alignment_mode="expand")
        if (typ == "spending_control" and not parts and mode == "asserted" and span is not None
                and any(t.tag_ in ("VBD", "VBN") for t in span)):  # "non-essential spending had been stopped": the article's council
            parts = [Participant(o.name, "ORG", "affected") for o in main_body(idx, "local_authority")]
        if typ == "takeover" and parts and not any(p.role == "affected" for p in parts):
            # "X takes over the running of the island's services": the body the story is about is taken over
            parts += [Participant(o.name, "ORG", "affected") for o in main_subject(idx) if o.name not in {p.name for p in parts}]
        if typ == "review":
            parts += [Participant(p.name, "PERSON", "victim") for p in people if _victim(doc, p)]
        if typ in ("reorganisation", "review"):  # "X launched a sweeping restructure": X leads it
            trig = _trigger_token(doc, s, e)
            verb = trig.head if trig is not None and trig.pos_ == "NOUN" and trig.dep_ == "dobj" else None
            subj = _subject_of(verb, ("nsubj",)) if verb is not None else None
            parts += [Participant(p.name, "PERSON", "agent") for p in (_persons_in(idx, [subj]) if subj is not None else [])]
        if typ == "report":
            parts = [Participant(p.name, "PERSON", "agent") for p in _report_author(doc, idx, s, e)] + parts
        if typ == "report" and not parts:
            parts = [Participant(o.name, "ORG", "agent") for o in main_body(idx, "regulator")]
    elif typ == "intervention" and text_of(doc)[s:e].lower() in REPEATS and _last_notice_was_s114(text_of(doc), s):
        # "A second notice followed later in the month" after a section 114 notice: another one of those
        subj = [o for o in orgs if o.org_type in subject_types()] or main_subject(idx)
        return [Event("spending_control", text_of(doc)[s:e], date, [Participant(o.name, "ORG", "affected") for o in subj[:1]],
                      "", mode, ev, "event.spending_control.repeat")] if subj else []
    elif typ == "intervention":
        return _intervention(doc, article, idx, sent, s, e, lo, hi, date, mode, ev)
    elif typ == "death":
        return _deaths(doc, article, idx, sent, s, phrases, mode)
    elif typ == "conviction":
        trig = _trigger_token(doc, s, e)
        subj = _subject_of(trig, ("nsubjpass", "nsubj")) if trig is not None and trig.pos_ == "VERB" else None
        persons = (_persons_in(idx, [subj]) if subj is not None else []) or [p for p in people if _role_person(doc, typ, p, s)]
        return [Event(typ, text_of(doc)[s:e], date, [Participant(p.name, "PERSON", event_types()[typ].person_role)], "", mode, ev,
                      f"event.{typ}.person")
                for p in _unique(persons)]
    elif typ in ("appointment", "resignation"):
        return _person_event(doc, article, idx, typ, s, e, phrases, mode, ev)
    else:  # a type declared in the data only: its people, else the bodies of its clause
        found = _person_event(doc, article, idx, typ, s, e, phrases, mode, ev)
        if found:
            return found
        parts = [Participant(o.name, "ORG", "agent" if o.evidence.end <= s else "affected") for o in orgs]
        return [Event(typ, text_of(doc)[s:e], date, _unique_parts(parts), "", mode, ev, f"event.{typ}.clause")] if parts else []
    if not parts:
        return []
    return [Event(typ, text_of(doc)[s:e], date, _unique_parts(parts), "", mode, ev, f"event.{typ}.bodies")]


def _person_event(doc: Doc, article: Article, idx: EntityIndex, typ: str, s: int, e: int,
                  phrases: list[DatePhrase], mode: str, ev) -> list[Event]:
    """Appointments and resignations read from the parse: who is appointed (object, passive
    subject, "the appointment of X", "X's resignation") or leaves (subject), and who appoints
    (the active subject); dated by the date phrases of the trigger's own clause."""
    trig = _trigger_token(doc, s, e)
    if trig is None:
        return []
    targets, agents = _person_roles(trig)
    people = _persons_in(idx, targets)
    if not people and targets and targets[0].dep_ == "appos":  # "X, the commissioner sent in after the verdict"
        named = idx.at(targets[0].head.idx, targets[0].head.idx + len(targets[0].head))
        people = [named] if named is not None and named.kind == "PERSON" else []
    if not people and trig.pos_ == "VERB":  # "sent in a commissioner, X": the parser's "in" is the trigger's particle
        inner = [g for c in trig.children if c.dep_ == "prep" and s <= c.idx < e for g in c.children if g.dep_ == "pobj"]
        if inner and _persons_in(idx, inner):
            people, agents = _persons_in(idx, inner), targets
    if not people and typ in ("appointment", "resignation") and agents and not (
            trig.lower_ in APPOINTING and _persons_in(idx, targets, kinds=("ORG",))):
        # ("He appointed Essex County Council as commissioner": a body is appointed, not "he"; but "X will join the trust")
        # "X took over responsibility for Y": X is appointed; "X left the council": X leaves
        people, agents = _persons_in(idx, agents), []
    if not people:
        return []
    date = clause_date(doc, trig, phrases) or (anchor_date(doc, article) if _present_perfect(trig) else "")
    if mode == "planned" and future(text_of(doc)[trig.sent.start_char:s], text_of(doc)[s:e]):
        date = forward(date, phrases, anchor_date(doc, article))
    parts = [Participant(p.name, "PERSON", event_types()[typ].person_role) for p in people]
    parts += [Participant(a.name, a.kind, "agent") for a in _persons_in(idx, agents, kinds=("PERSON", "ORG"))
              if a.name not in {p.name for p in people}]
    rule = f"event.{typ}.{'noun' if trig.pos_ == 'NOUN' else 'verb'}"
    return [Event(typ, text_of(doc)[s:e], date, _unique_parts([pt]) + [a for a in parts if a.role == "agent"],
                  "", mode, ev, rule) for pt in parts if pt.role != "agent"]


def _present_perfect(trig) -> bool:
    """"X has been named", "Y has resigned": news of the day, dated by the article (read from the parse)."""
    verb = _verb_of(trig)
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children)


def _report_author(doc: Doc, idx: EntityIndex, s: int, e: int) -> list[Mention]:
    """"Mr Caller's report, published on 24 March": the person whose report it is."""
    span = doc.char_span(s, e, alignment_mode="expand")
    noun = next((t for t in span if t.lower_ in ("report", "letter", "review")), None) if span is not None else None
    poss = next((c for c in noun.children if c.dep_ == "poss"), None) if noun is not None else None
    if poss is None:
        return []
    m = idx.at(poss.idx, poss.idx + len(poss))
    return [m] if m is not None and m.kind == "PERSON" else []


def _generic_mention(doc: Doc, s: int, e: int, orgs: list[Mention]) -> bool:
    """"the inspection framework", "prison inspections", "Ofsted has inspected 47 services": an
    inspection spoken of as a kind, a process or a count is no event."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[-1]
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        return True  # "inspection framework", "inspection report" (a report event of its own)
    plural = tok.tag_ == "NNS" or tok.lower_.endswith("ions")
    named = [o for o in orgs if o.org_type in subject_types() - {"", "public_body"}]
    counted = any(c.dep_ in ("dobj", "nsubjpass") and any(g.like_num for g in c.subtree if g.i < c.i)
                  for c in tok.children)
    return (plural and not named) or counted


QUANTIFIERS = frozenset({"third", "thirds", "half", "quarter", "quarters", "three-quarters", "most", "all", "many",
                         "several", "majority", "minority", "dozens", "hundreds", "%", "percent", "cent"})


def _quantified(tok) -> bool:
    """A noun counted or quantified: "47 children's services", "a third of all councils", "41 councils"."""
    return any(t.like_num or t.lower_ in QUANTIFIERS for t in tok.subtree if t.i <= tok.i) or (
        tok.head.lower_ == "of" and tok.head.head.i != tok.head.i
        and (tok.head.head.like_num or tok.head.head.lower_ in QUANTIFIERS or _quantified(tok.head.head)))


def _counted(doc: Doc, s: int, e: int) -> bool:
    """Inspections or reports told as a tally, read from the parse: "Ofsted has inspected 47
    services", "inspections of almost a third of councils", "three-quarters of councils inspected
    last year", "the 41 councils whose judgments have been published"."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span) or not doc.has_annotation("DEP"):
        return False
    tok = next((t for t in span if t.pos_ in ("VERB", "NOUN")), span.root)
    if tok.pos_ == "VERB":
        if (tok.tag_ == "VBN" and tok.i > 1 and (doc[tok.i - 1].lower_ in QUANTIFIERS or doc[tok.i - 1].like_num)
                and doc[tok.i - 2].lower_ not in ("the", "these", "those", "its", "their")):
            return True  # "with nearly half inspected so far"; "the six inspected" names a set
        if any(c.dep_ in ("dobj", "nsubjpass") and c.tag_ == "NNS" and _quantified(c)
               and not any(d.dep_ in ("det", "poss") and d.lower_ in ("the", "these", "those", "its", "their", "both")
                           for d in c.children) for c in tok.children):
            return True  # "inspected 47 services" counts; "inspect the other two hospitals" names them
        if tok.dep_ in ("acl", "relcl") and ((tok.head.tag_ == "NNS" and _quantified(tok.head))
                                            or tok.head.lower_ in QUANTIFIERS):
            return True  # "councils inspected so far", "nearly half inspected so far"
        if tok.dep_ == "relcl":  # "councils whose judgments have been published": the noun the clause is on
            return tok.head.tag_ == "NNS" and _quantified(tok.head)
        return False
    if tok.dep_ == "compound" and tok.head.lower_ in lex()["event_kind_nouns"]:
        return True  # "the single inspection framework", "the inspection regime": a kind of thing, dated or not
    if any(c.dep_ == "amod" and c.tag_ == "JJR" for c in tok.children):
        return True  # "the tougher Ofsted inspection": a kind compared with another
    verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is not None and any(c.dep_ == "nsubj" and _quantified(c) and (c.tag_ == "NNS" or c.lower_ in QUANTIFIERS)
                                for c in verb.children):
        return True  # "almost a third of authorities have undergone the inspection"
    of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return tok.tag_ == "NNS" and any(_quantified(g) for g in of)


def _person_subject(doc: Doc, idx: EntityIndex, s: int, e: int) -> bool:
    """"X took over (as director)": a person taking over a post is appointed, a body taking over a service is a takeover."""
    trig = _trigger_token(doc, s, e)
    subj = _subject_of(trig, ("nsubj",)) if trig is not None and trig.pos_ == "VERB" else None
    return bool(subj is not None and _persons_in(idx, [subj]))


def _trigger_token(doc: Doc, s: int, e: int):
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return next((t for t in span if t.pos_ in ("VERB", "NOUN")), span.root)


def _person_roles(trig) -> tuple[list, list]:
    """(tokens whose subtrees hold the people the event is about, tokens of who acts)."""
    kids = {c.dep_: c for c in trig.children}
    if trig.pos_ == "NOUN":
        poss = [c for c in trig.children if c.dep_ == "poss"]
        of = [g for c in trig.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        return poss + of, []
    if "nsubjpass" in kids or "auxpass" in kids:
        subj = _subject_of(trig, ("nsubjpass",))
        agent = [g for c in trig.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return ([subj] if subj is not None else []), agent
    obj = [c for c in trig.children if c.dep_ in ("dobj",)]
    subj = _subject_of(trig, ("nsubj",))
    if obj:
        return obj, ([subj] if subj is not None else [])
    return ([subj] if subj is not None else []), []


def _subject_of(tok, deps: tuple[str, ...]):
    """A verb's subject, through coordination and "to" complements; a relative pronoun is its noun."""
    head = tok
    for _ in range(3):
        subj = next((c for c in head.children if c.dep_ in deps), None)
        if subj is not None:
            if subj.lower_ in ("who", "that", "which") and head.dep_ == "relcl":
                return head.head
            return subj
        if head.dep_ in ("conj", "xcomp") and head.head.i != head.i:
            head = head.head
            deps = deps + ("nsubj", "nsubjpass")
        elif head.dep_ in ("relcl", "acl") and head.head.i != head.i:
            return head.head
        else:
            return None
    return None


def _persons_in(idx: EntityIndex, toks: list, kinds: tuple[str, ...] = ("PERSON",)) -> list[Mention]:
    """Mentions inside the subtrees of ``toks``, not inside a possessor of another noun nor in a
    clause hanging off the noun ("X, who took up the role after Y left": not Y)."""
    out: list[Mention] = []
    for tok in toks:
        sub = list(tok.subtree)
        lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1])
        holes = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in tok.children
                 if c.dep_ in ("relcl", "acl", "advcl", "ccomp")]
        for m in idx.within(lo, hi):
            if any(a <= m.evidence.start < b for a, b in holes):
                continue
            owner = idx.text[m.evidence.end:m.evidence.end + 2] in ("'s", "’s")  # "X's deputy" is not X …
            if m.kind in kinds and (not owner or tok.dep_ == "poss"):  # … unless X's is the target ("X's departure")
                out.append(m)
        if not out and tok.lower_ in ("he", "she"):
            prior = [m for m in idx.mentions if m.kind == "PERSON" and m.evidence.end <= tok.idx]
            out += prior[-1:]
    return _unique(out)


def clause_date(doc: Doc, trig, phrases: list[DatePhrase]) -> str:
    """The date phrase of the trigger's own clause (its verb's subtree, less subordinate clauses
    that do not hold the trigger), nearest the trigger; else a timeline line's leading date."""
    verb = _verb_of(trig)
    skip = [c for c in verb.children if c.dep_ in ("ccomp", "advcl", "relcl", "parataxis", "conj", "csubj")
            and not (c.left_edge.i <= trig.i <= c.right_edge.i)]
    # a clause on one of the verb's nouns ("X, who had joined in 2018, resigned on 18 January")
    skip += [t for t in verb.subtree if t.dep_ in ("relcl", "acl") and t.head.i != verb.i
             and not (t.left_edge.i <= trig.i <= t.right_edge.i)]
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
    holes = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in skip]
    if verb.dep_ == "conj":  # "In May 2016 the department issued a direction … and appointed X": the date is shared
        head = verb.head
        lo = min(lo, min((c.left_edge.idx for c in head.lefts if c.dep_ in ("prep", "npadvmod")), default=lo))
    inside = [p for p in phrases if lo <= p.start and p.end <= hi and not DEADLINE.match(p.text)
              and not any(a <= p.start < b for a, b in holes)]
    if inside:
        return min(inside, key=lambda p: abs(p.start - trig.idx)).iso
    return (_date_of_host(doc, verb, phrases) or timeline_date(doc, trig.idx, phrases)
            or same_day(text_of(doc), lo, hi, phrases))


def _date_of_host(doc: Doc, verb, phrases: list[DatePhrase]) -> str:
    """A clause with no date of its own that hangs off a dated one: a "when" clause right after a
    date ("since May 2017, when he succeeded X"), a relative clause on a date, or a participle
    clause of a dated verb ("joined the trust in 2017, taking over from X")."""
    if (verb.dep_ == "ccomp" and verb.head.lower_ in ANNOUNCING and verb.tag_ == "VBG"
            and any(c.dep_ == "aux" and c.lower_ in ("was", "were") for c in verb.children)):
        # "announced in October 2021 that he was stepping down": the decision is told as of the announcement
        return clause_date(doc, verb.head, phrases)
    if verb.dep_ not in ("advcl", "relcl") or verb.head.i == verb.i:
        return ""
    first = verb.left_edge
    if first.lower_ == "before" and verb.dep_ == "advcl":
        # "X stepped in from January to September 2023, before Y took over": Y took over as the span ended
        host = verb.head
        span = (host.left_edge.idx, host.right_edge.idx)
        text = text_of(doc)
        ends = [p for p in phrases if span[0] <= p.start < first.idx and re.match(r"\d{4}", p.iso)
                and re.search(r"\b(?:to|until|till|and)\s+$", text[max(0, p.start - 8):p.start], re.I)]
        return ends[-1].iso[:4] if ends else ""
    if first.lower_ == "when":
        text = text_of(doc)
        before = [p for p in phrases if p.end <= first.idx and not text[p.end:first.idx].strip(" ,")]
        if before:
            return before[-1].iso
    host = verb.head
    on_date = [p for p in phrases if p.start <= host.idx < p.end]
    if verb.dep_ == "relcl" and on_date:
        return on_date[0].iso
    if (verb.dep_ == "advcl" and verb.tag_ == "VBG" and host.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in verb.children)):
        return clause_date(doc, host, phrases)
    return ""


ANNOUNCING = frozenset({"announced", "confirmed", "revealed", "disclosed", "told", "said"})


SAME_DAY = re.compile(r"\b(?:the same (?:day|morning|afternoon|evening)|that (?:day|morning|afternoon|evening)|"
                      r"on the same day|the same week|that week|the same month|that month)\b", re.I)


def same_day(text: str, lo: int, hi: int, phrases: list[DatePhrase]) -> str:
    """"The same day, X stood down": the date the text gave just before (in this paragraph or the
    last), at its own precision; nothing when the text gave none."""
    m = SAME_DAY.search(text, lo, hi)
    if m is None:
        return ""
    para = text.rfind("\n\n", 0, text.rfind("\n\n", 0, lo))
    before = [p for p in phrases if max(para, 0) <= p.start and p.end <= lo + m.start() and not DEADLINE.match(p.text)]
    if not before:
        return ""
    iso = before[-1].iso
    return iso[:7] if "week" in m.group(0).lower() or "month" in m.group(0).lower() else iso


def timeline_date(doc: Doc, pos: int, phrases: list[DatePhrase]) -> str:
    """"1 December 2008: X resigns": a line that opens with a date and a colon dates its events."""
    text = text_of(doc)
    line = text.rfind("\n", 0, pos) + 1
    lead = next((p for p in phrases if p.start <= line + 3 and p.start >= line), None)
    if lead is not None and re.match(r"\s*[:–-]", text[lead.end:lead.end + 3]):
        return lead.iso
    return ""


ACTORS = {"regulator", "government_department", "parliament", "court"}
DEADLINE = re.compile(r"(?:until|by|till|before)\b", re.I)  # "installed until 31 December": an end, not the event


def _verb_of(tok):
    """The verb a token hangs from (itself when it is one)."""
    verb = tok
    while verb is not None and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _publishes_a_report(doc: Doc, s: int, e: int) -> bool:
    """A "published" trigger publishes a report, letter, review or findings: the noun it describes
    or its object or passive subject; true when the parse names no such thing."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return True
    if any(t.lower_ in REPORT_NOUNS for t in span):
        return True  # "report published", "published its report"
    verb = next((t for t in span if t.pos_ == "VERB"), None)
    if verb is None:
        return True
    things = [verb.head] if verb.dep_ == "acl" else [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return not things or any(t.lower_ in REPORT_NOUNS for t in things)


APPOINTING = frozenset({"appointed", "appoint", "appoints", "appointing", "named", "names", "hired", "hires", "installed",
                        "installs", "sent", "drafted", "sacked", "dismissed", "removed"})
REPORT_NOUNS = frozenset({"report", "reports", "letter", "letters", "review", "reviews", "findings", "results", "judgement",
                          "judgment", "judgements", "judgments", "rating", "ratings", "assessment", "audit", "study",
                          "analysis", "verdict", "inspection", "inspections", "evaluation", "appraisal"})
ATTITUDE_VERBS = frozenset({"value", "values", "valued", "welcome", "welcomes", "welcomed", "support", "supports",
                            "want", "wants", "need", "needs", "expect", "expects", "demand", "demands", "call", "calls"})


def _valued(doc: Doc, s: int, e: int) -> bool:
    """"Our members value the robust and effective inspection of our services": an inspection as
    something valued, wanted or called for is the practice, not an event."""
    trig = _trigger_token(doc, s, e)
    return (trig is not None and trig.pos_ == "NOUN" and trig.dep_ in ("dobj", "pobj")
            and (trig.head.lower_ in ATTITUDE_VERBS or trig.head.head.lower_ in ATTITUDE_VERBS))


def _own_clause_start(doc: Doc, s: int, e: int, lo: int) -> int:
    """Where the trigger's own relative clause begins, when it is in one (else ``lo``)."""
    verb = _verb_of(_trigger_token(doc, s, e))
    if verb is not None and verb.dep_ == "relcl" and verb.left_edge.idx > lo:
        return verb.left_edge.idx
    return lo


def _of_a_kind(doc: Doc, s: int, e: int) -> bool:
    """"other councils where we have intervened", "councils that have been inspected": a clause
    on a plural noun speaks of a kind of body, not of one event."""
    verb = _verb_of(_trigger_token(doc, s, e))
    if verb is None or verb.dep_ != "relcl" or verb.head.tag_ != "NNS" or verb.head.pos_ != "NOUN":
        return False
    noun = verb.head
    definite = any(d.dep_ in ("det", "poss") and d.lower_ in ("the", "these", "those", "its", "their", "both", "our")
                   for d in noun.children)
    named_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN" for c in verb.children)
    return not definite and not named_subject  # "the parents, whose daughter X died": one event


REPEATS = frozenset({"second notice", "further notice", "another notice"})


def _last_notice_was_s114(text: str, before: int) -> bool:
    """Whether the notice told last before ``before`` was a section 114 notice."""
    kinds = list(re.finditer(r"\b(section\s+114|s114|improvement|warning|enforcement)\s+notices?\b", text[:before], re.I))
    return bool(kinds) and kinds[-1].group(1).lower().replace(" ", "") in ("section114", "s114")


@lru_cache(maxsize=1)
def _exits_patterns() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Leaving, lifting or revoking measures: right before a trigger ("lifted out of special
    measures"), and said of it after ("the direction … was revoked")."""
    exits = "|".join(re.escape(x) for x in sorted(lex().get("intervention_exits", []), key=len, reverse=True))
    if not exits:
        return None
    return (re.compile(rf"\b(?:{exits})\s+(?:\w+\s+){{0,2}}$", re.I),
            re.compile(rf"(?:(?!\band\b)[^.;]){{0,40}}\b(?:was|were|is|has been|have been|had been)\s+(?:{exits})\b", re.I))


def _intervention(doc: Doc, article: Article, idx: EntityIndex, sent: Span, s: int, e: int, lo: int, hi: int,
                  date: str, mode: str, ev) -> list[Event]:
    """A body placed under formal measures: the regulator, department or minister acting (agent),
    the body under measures (affected). Leaving, lifting or revoking measures is not an intervention."""
    text = text_of(doc)
    exits = _exits_patterns()
    if exits and exits[0].search(text[max(lo, s - 40):s]):
        return []
    if re.search(r"\b(?:formerly|previously|once)\s+(?:known\s+as\s+|called\s+)?$", text[max(lo, s - 30):s], re.I):
        return []  # "the recovery support scheme, formerly special measures": a name for the regime, not an event
    if exits and exits[1].match(text[e:hi]) \
            and "issued" not in text[s:e].lower():  # "the direction it issued in 2019 was revoked": the issuing happened;
        # "a second notice followed on 19 April 2012 and was lifted …": so did the notice
        return []
    if _in_measures(doc, s, e):
        since = [p for p in date_phrases(text, 0, article.published)
                 if lo <= p.start and p.end <= hi and p.text.lower().startswith("since")]
        if not since:
            return []  # "the trust, already in special measures": a state, told as news elsewhere
        date = since[0].iso  # "in special measures since June 2016": the state's start is the event
    orgs = mentions_in(idx, lo, hi, "ORG")
    acting = [o for o in orgs if o.org_type in ACTORS]
    under = [o for o in orgs if o.org_type not in ACTORS and o.org_type in subject_types()]
    if not under:
        under = main_subject(idx)
    people = [p for p in _acting_people(doc, idx, s, e) if text[p.evidence.end:p.evidence.end + 2] not in ("'s", "’s")]
    parts = ([Participant(o.name, "ORG", "agent") for o in acting] + [Participant(p.name, "PERSON", "agent") for p in people[-1:]]
             + [Participant(o.name, "ORG", "affected") for o in under])
    if not under:
        return []
    return [Event("intervention", text[s:e], date, _unique_parts(parts), "", mode, ev, "event.intervention")]


def _acting_people(doc: Doc, idx: EntityIndex, s: int, e: int) -> list[Mention]:
    """Who puts a body under measures: the subject of the verb that governs the trigger ("the
    Education Secretary, Gavin Williamson, placed …"), or its "by" agent, read from the parse."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span) or not doc.has_annotation("DEP"):
        return []
    tok = span.root
    verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return []
    who = [c for c in verb.children if c.dep_ == "nsubj"]
    who += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return _persons_in(idx, who) if who else []


def _in_measures(doc: Doc, s: int, e: int) -> bool:
    """"in special measures", "under enhanced monitoring" with no verb putting the body there (read
    from the parse: the preposition's head is not a placing verb such as place, put, go, enter)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    root = span.root
    entries = lex()["intervention_entries"]
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ not in entries["preps"]:
        return False
    host = prep.head
    return not (host.pos_ in ("VERB", "AUX") and host.lower_ in entries["verbs"])


ONGOING = re.compile(r"\bis taking place\b|\bare being\b|\bis under way\b|\bthis week\b|\btoday\b|\bbegan on\b", re.I)


def _ongoing_date(clause: str, anchor: str) -> str:
    """An inspection is dated by the article while it is going on ("is taking place this week");
    one that "has found" ended earlier in the article's year at the latest, so only the year."""
    if ONGOING.search(clause):
        return anchor
    return anchor[:4] if PRESENT.search(clause) else ""


def _present_date(clause: str, anchor: str) -> str:
    """A clause about the present ("has seen", "is taking place") is dated by the article."""
    return anchor if PRESENT.search(clause) else ""


def subject_bodies(idx: EntityIndex, lo: int, hi: int) -> list[Mention]:
    """The inspectable bodies a clause is about: those it names; else the body of a place it
    names ("children's services on the Isle of Wight" -> the Isle of Wight's council); else
    the article's main body."""
    orgs = [o for o in mentions_in(idx, lo, hi, "ORG") if o.org_type in subject_types() and not _modifier(idx.text, o)]
    if orgs:
        return orgs
    for place in mentions_in(idx, lo, hi, "PLACE"):
        words = place.name.split()
        owners = sorted({m.name for m in idx.mentions if m.kind == "ORG" and m.org_type in subject_types()
                         and m.name.split()[:len(words)] == words})
        if len(owners) == 1:
            return [next(m for m in idx.mentions if m.name == owners[0] and m.kind == "ORG")]
    kind = _kind_named(idx, lo, hi)
    if kind and idx.main.get(kind):  # "a primary school that was rated inadequate": the article's school
        return main_body(idx, kind)
    return main_subject(idx)


def _kind_named(idx: EntityIndex, lo: int, hi: int) -> str:
    """The body type a clause names by its kind outside any named body ("an Eastwood primary school
    that was rated inadequate"), or ""."""
    text = idx.text[lo:hi].lower()
    for m in sorted(mentions_in(idx, lo, hi, "ORG"), key=lambda m: -m.evidence.start):
        a, b = m.evidence.start - lo, m.evidence.end - lo
        text = text[:max(0, a)] + " " * (b - max(0, a)) + text[b:]
    for head, typ in sorted(bodies()["heads"], key=lambda h: -len(h[0])):
        if typ in subject_types() and typ not in ("public_body", "local_authority", "") and re.search(rf"\b{re.escape(head)}\b", text):
            return typ
    return ""


@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    return frozenset(h for h, _ in load_json("bodies.json")["heads"])


def _modifier(text: str, m: Mention) -> bool:
    """A name that only modifies the body named after it ("NHS" in "England's largest NHS trust",
    the trust in "the trust's hospitals"): not the body the clause is about."""
    nxt = re.match(r"\s+([\w'’-]+)", text[m.evidence.end:m.evidence.end + 40])
    if nxt is None:
        return False
    word = nxt.group(1).lower()
    last = m.evidence.text.split()[-1].lower() if m.evidence.text.split() else ""
    return word in _head_words() or f"{last} {word}" in _head_words()


def _named_in_lede(idx: EntityIndex, council: str) -> bool:
    """The council, or the place it is named after, appears in the article's opening (after the
    headline): the body the story is about."""
    start = idx.text.find("\n\n") + 2 if "\n\n" in idx.text else 0
    lede = idx.text[start:start + 300].lower()
    place = re.sub(r"\s+(?:metropolitan\s+|county\s+|city\s+|borough\s+|district\s+)*council$", "", council, flags=re.I)
    return bool(place) and place.lower() in lede


def main_subject(idx: EntityIndex) -> list[Mention]:
    """The body the article is about: its council, else its most mentioned inspectable body."""
    if idx.main.get("local_authority"):
        councils = sorted({m.name for m in idx.mentions if m.kind == "ORG" and m.org_type == "local_authority"})
        local = [c for c in councils if _named_in_lede(idx, c)]
        if len(local) != 1:
            local = [c for c in councils if idx.place and c.split()[:len(idx.place.split())] == idx.place.split()]
        if len(local) == 1:  # several councils: the one of the place the article is about
            return [next(m for m in idx.mentions if m.name == local[0])]
        return main_body(idx, "local_authority")
    bodies = [m for m in idx.mentions if m.kind == "ORG" and m.org_type in subject_types() - {"", "public_body"}]
    if not bodies:
        return []
    best = salient(bodies)
    return [best] if sum(1 for m in bodies if m.name == best.name) >= 2 else []


def main_body(idx: EntityIndex, typ: str) -> list[Mention]:
    name = idx.main.get(typ)
    return [next(m for m in idx.mentions if m.name == name)] if name else []




def _org_role(typ: str, o: Mention, trig: int, text: str) -> str:
    """Agent or affected: a publisher or a body introduced by "by"/"from" acts; others are acted on."""
    before = text[max(0, o.evidence.start - 6):o.evidence.start].lower()
    if typ == "takeover":
        return "agent" if o.evidence.start < trig else "affected"
    if typ in ("report", "review") and (o.org_type in publisher_types() or re.search(r"\b(by|from)\s+(the\s+)?$", before)):
        return "agent"
    return "affected"


def _victim(doc: Doc, p: Mention) -> bool:
    window = text_of(doc)[max(p.evidence.sent_start, p.evidence.start - 60):p.evidence.start].lower()
    return any(w in window for w in lex()["victim_words"])


def _role_person(doc: Doc, typ: str, p: Mention, trig: int) -> bool:
    """Whether a person in the sentence is the appointee/resigner/convicted of a trigger."""
    after = text_of(doc)[p.evidence.end:p.evidence.end + 3]
    if after.startswith(("’s", "'s")):
        return False
    if typ == "conviction":
        return p.evidence.start < trig
    if typ == "resignation":
        return p.evidence.start < trig
    if p.evidence.start > trig:
        return p.evidence.start - trig < 120
    between = text_of(doc)[p.evidence.end:trig]
    aux = r"\b(?:is|was|were|been|be|being)\s+(?:\w+ly\s+)?"
    return len(between) < 40 and bool(re.search(aux + "$", between) or re.match(r"[\s,]*(?:who\s+)?" + aux, text_of(doc)[p.evidence.end:trig + 12]))


def _deaths(doc: Doc, article: Article, idx: EntityIndex, sent: Span, s: int,
            phrases: list[DatePhrase], mode: str) -> list[Event]:
    """One death event per victim; "X's death in A and Y's in B in D1 and D2" pairs in order."""
    people = mentions_in(idx, sent.start_char, sent.end_char, "PERSON")
    after = [p for p in people if p.evidence.start >= s - 40]
    poss = [p for p in after if text_of(doc)[p.evidence.end:p.evidence.end + 2] in ("’s", "'s")
            and re.match(r"\s*(death|murder|in\b)", text_of(doc)[p.evidence.end + 2:p.evidence.end + 12])]
    victims = _unique(poss) or _verb_victims(doc, idx, s) or [p for p in _unique(after) if _victim(doc, p)
                                                             and not _agent_or_speaker(doc, p)]
    dates = [d for d in phrases if d.start > s and d.end <= sent.end_char and len(d.iso) >= 4]
    merged = _merge_and(dates)
    ev = evidence(doc, article.id, s, s + 5)
    out = []
    for i, v in enumerate(victims):
        date = merged[i].iso if len(merged) == len(victims) else (merged[0].iso if len(merged) == 1 else "")
        out.append(Event("death", "death", date, [Participant(v.name, "PERSON", "victim")], "", mode, ev,
                         "event.death.victim"))
    return out


def _verb_victims(doc: Doc, idx: EntityIndex, s: int) -> list[Mention]:
    """"X was murdered by Y" (the passive subject), "Y killed X" (the object): read from the parse,
    so the killer named after "by" is never the victim, however the rest of the sentence parses."""
    tok = _trigger_token(doc, s, s + 1)
    if tok is None or tok.pos_ != "VERB":
        return []
    deps = ("nsubjpass", "dobj", "nsubj") if tok.lower_ in ("died", "dies", "die", "dying") else ("nsubjpass", "dobj")
    targets = [c for c in tok.children if c.dep_ in deps  # who died is the subject of "died" (a name, not "she")
               and not (c.dep_ == "nsubj" and c.pos_ == "PRON")]
    return _persons_in(idx, targets) if targets else []


def _agent_or_speaker(doc: Doc, p: Mention) -> bool:
    """A person who acts in the sentence: the subject of an active verb ("X murdered the toddler"),
    the "by" of a passive one ("was murdered by X"), or a speaker ("said X"), read from the parse;
    such a person is no victim."""
    span = doc.char_span(p.evidence.start, p.evidence.end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    tok = span.root
    while tok.dep_ in ("appos", "compound", "conj") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "nsubj":
        return True
    return tok.dep_ == "pobj" and tok.head.dep_ == "agent"


def _merge_and(dates: list[DatePhrase]) -> list[DatePhrase]:
    """Drop date phrases contained in a longer one (keep distinct ones in order)."""
    return [d for d in dates if not any(o is not d and o.start <= d.start and d.end <= o.end for o in dates)]


def _unique(ms: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in ms:
        if m.name not in seen:
            seen.add(m.name)
            out.append(m)
    return out


def _unique_parts(ps: list[Participant]) -> list[Participant]:
    seen, out = set(), []
    for p in ps:
        if (p.name, p.role) not in seen:
            seen.add((p.name, p.role))
            out.append(p)
    return out
