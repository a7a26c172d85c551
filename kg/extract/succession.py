"""Successions read from the dependency parse: who replaced whom, in which post.

Forms (verbs and nouns are data in ``data/facts.json`` under ``succession``):

- passive: "X was replaced (as leader) by Y", "X retired … and was replaced by Y";
- active: "Y replaced X", "Y, who succeeded X as mayor", "she chose Y as deputy, replacing X";
- phrasal: "Y took over from X", "Y was appointed in place of X";
- nouns: "appoint Y as X's replacement", "Y, X's successor".

Both sides must be people (or bodies) the article names; a pronoun stands for the last person
named before its sentence, outside quotations. The post is the "as …" phrase of the clause,
else the predecessor's post in the article, else the successor's; the successor inherits the
predecessor's post (same title and organisation).
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from kg.model import Article, ArticleFacts, Event, Mention, Participant, Post, Succession
from kg.domain import load_json
from kg.extract.dating import anchor_date, date_phrases, forward, future, lex, modality
from kg.extract.events import clause_date
from kg.extract.entities import EntityIndex, evidence, person_antecedent, text_of
from kg.extract.posts import canonical_role

RELATIVE = {"who", "that", "which", "whom"}
PRONOUNS = {"he", "she", "him", "her", "himself", "herself"}


def extract_successions(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """Every succession the parse licenses: both sides found in syntactic roles, never by proximity."""
    spec = lex()["succession"]
    verbs, nouns = set(spec["verbs"]), set(spec["nouns"])
    seen: set[tuple[str, str]] = set()
    for sent in doc.sents:
        for tok in sent:
            low = tok.lower_
            found = None
            if low in verbs and tok.pos_ in ("VERB", "AUX"):
                found = _verb(tok, idx, sent)
            elif low in spec["phrasal_verbs"]:
                found = _phrasal(tok, idx, sent, spec["phrasal_verbs"][low])
            elif low in nouns and tok.pos_ == "NOUN":
                found = _noun(tok, idx, sent)
            elif low == "place" and tok.head.lower_ == "in":
                found = _in_place_of(tok, idx, sent)
            elif low in ("after", "following", "since") and tok.dep_ in ("mark", "prep"):
                found = _after_departure(tok, idx, sent, spec)
            elif low in spec["departures"] and tok.pos_ == "VERB":
                found = _left_and_replaced(tok, idx, sent, spec)
            if not found:
                continue
            succ, pred, rule = found[:3]
            anchor = found[3] if len(found) > 3 else tok  # the verb that carries the post ("became acting head")
            if succ.name == pred.name or succ.kind != pred.kind or (succ.name, pred.name) in seen:
                continue
            if low in ("followed", "follows") and succ.kind != "PERSON":
                continue  # "X followed Y" is a succession between people only
            seen.add((succ.name, pred.name))
            _add(doc, article, facts, anchor, succ, pred, rule)
    _next_sentence(doc, article, idx, facts, seen)
    _chains(doc, article, facts, seen)
    _post_from_lead(doc, facts)


TAKE_OVER = re.compile(r"^(?:took|takes|take|taking)\s+(?:over|charge)$|^(?:stepped|steps|step|stepping)\s+in$", re.I)


def _next_sentence(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts, seen: set[tuple[str, str]]) -> None:
    """"The chairman, X, stepped down. The vice chairman, Y, took over until …": a bare "took
    over" or "stepped in" in the sentence right after one person's departure, in the same
    paragraph, succeeds that person (the post is the leaver's)."""
    text = text_of(doc)
    leaving = [e for e in facts.events if e.type == "resignation" and e.modality == "asserted" and e.evidence
               and len(e.participants) == 1 and e.participants[0].kind == "PERSON"]
    for ev in facts.events:
        if ev.type != "appointment" or ev.modality != "asserted" or not ev.evidence or not TAKE_OVER.match(ev.trigger):
            continue
        who = [p for p in ev.participants if p.kind == "PERSON" and p.role != "agent"]
        others = {m.name for m in idx.mentions if m.kind == "PERSON"
                  and ev.evidence.sent_start <= m.evidence.start < ev.evidence.sent_end}
        if others - {p.name for p in who}:
            continue  # another person in the sentence: read from the parse or not at all
        if len(who) != 1 or re.search(r"\b(?:from|as)\b", text[ev.evidence.end:ev.evidence.sent_end].split(",")[0]):
            continue  # "took over from X" and "took over as …" are read from the parse
        before = [e for e in leaving if e.evidence.sent_end <= ev.evidence.sent_start
                  and not text[e.evidence.sent_end:ev.evidence.sent_start].strip()]
        if len(before) != 1 or text.rfind("\n\n", 0, ev.evidence.start) > before[0].evidence.start or \
                len({e.participants[0].name for e in leaving if e.evidence.sent_start == before[0].evidence.sent_start}) != 1:
            continue
        succ = next((m for m in idx.mentions if m.name == who[0].name and m.kind == "PERSON"
                     and ev.evidence.sent_start <= m.evidence.start < ev.evidence.sent_end), None)
        if any(e.type == "appointment" and e.evidence and e.evidence.sent_start == before[0].evidence.sent_start
               for e in facts.events) or any(x.predecessor == before[0].participants[0].name for x in facts.successions):
            continue  # the leaver's successor is already told ("X retired and was replaced by Y")
        pred = next((m for m in idx.mentions if m.name == before[0].participants[0].name and m.kind == "PERSON"), None)
        tok = next((t for t in doc if t.idx == ev.evidence.start), None)
        if succ is None or pred is None or tok is None or succ.name == pred.name or (succ.name, pred.name) in seen:
            continue
        seen.add((succ.name, pred.name))
        _add(doc, article, facts, tok, succ, pred, "succession.next-sentence")


@lru_cache(maxsize=1)
def _new_post_pattern() -> re.Pattern[str]:
    """"new/interim/acting/permanent" and a post's head word ("the new director")."""
    heads = "|".join(re.escape(h) for h in sorted(lex()["post_heads"], key=len, reverse=True))
    return re.compile(rf"\b(?:new|interim|acting|permanent)\s+((?:deputy\s+|executive\s+|strategic\s+)?(?:{heads}))\b", re.I)


def _post_from_lead(doc: Doc, facts: ArticleFacts) -> None:
    """A succession the text gives no post for takes the post its story leads with ("… names new
    chief executive"): the first "new/interim/acting <post>" in the headline or first paragraph."""
    if all(s.post for s in facts.successions):
        return
    text = text_of(doc)
    lead_end = text.find("\n\n", text.find("\n\n") + 2)
    lead = text[:lead_end if lead_end > 0 else len(text)]
    m = _new_post_pattern().search(lead)
    if not m:
        return
    # the appointee the story leads with is named in its headline or first three paragraphs
    named = {p.name for p in facts.mentions if p.kind == "PERSON" and p.evidence.start < len(_first_paragraphs(text, 4))}
    for s in facts.successions:
        if not s.post and s.successor_kind == "PERSON" and s.successor in named:
            s.post = m.group(1).lower()


def _first_paragraphs(text: str, n: int) -> str:
    """The text up to the end of its ``n``-th paragraph."""
    end = -2
    for _ in range(n):
        end = text.find("\n\n", end + 2)
        if end < 0:
            return text
    return text[:end]

CHAIN_CUE = re.compile(r"\b(?:then|before|after|later|subsequently|followed|interim|acting|in turn|next|returned)\b", re.I)


def _chains(doc: Doc, article: Article, facts: ArticleFacts, seen: set[tuple[str, str]]) -> None:
    """A run of holders of one post told in one paragraph: "X retired as director … and was
    replaced by Y. Z then stepped in on an interim basis …, before W took over." After a stated
    succession, each later appointment in the same paragraph, marked as following on ("then",
    "before", "interim" …) and naming no other post, succeeds the holder before it."""
    text = text_of(doc)
    for first in list(facts.successions):
        if first.evidence is None or not first.post or first.rule == "succession.chain":
            continue
        if re.search(r"\bhad\s+(?:\w+\s+)?$", text[max(0, first.evidence.start - 20):first.evidence.start]):
            continue  # "X had himself followed Y, who …": told backwards, the next holder is not after X
        para_end = text.find("\n\n", first.evidence.start)
        para_end = len(text) if para_end < 0 else para_end
        holder = first.successor
        later = sorted((e for e in facts.events if e.type == "appointment" and e.modality == "asserted" and e.evidence
                        and first.evidence.start < e.evidence.start < para_end), key=lambda e: e.evidence.start)
        for ev in later:
            who = ev.participants[0].name if ev.participants else ""
            sentence = ev.evidence.sentence
            if not who or who == holder or (who, holder) in seen or not CHAIN_CUE.search(sentence):
                continue
            own = [p.title for p in facts.posts if p.person == who and p.evidence and p.evidence.sent_start == ev.evidence.sent_start]
            own += [m.group(1) for m in re.finditer(r"\bas\s+(?:its|their|the|a|an)\s+([a-z][a-z' -]{2,40})", sentence)]
            if any(not _same_post(t, first.post) for t in own):
                break  # another post: the run has ended
            seen.add((who, holder))
            facts.successions.append(Succession(who, holder, first.post, "PERSON", "PERSON", ev.evidence, "succession.chain"))
            base = next((p for p in facts.posts if p.person in (first.predecessor, first.successor)
                         and _same_post(p.title, first.post)), None)
            if base is not None and not any(p.person == who and _same_post(p.title, first.post) for p in facts.posts):
                facts.posts.append(Post(who, base.title, base.organisation, "", "", "", ev.evidence, base.role,
                                        "post.successor-inherits"))
            holder = who


def _add(doc: Doc, article: Article, facts: ArticleFacts, tok: Token, succ: Mention, pred: Mention, rule: str) -> None:
    """The succession, the successor's appointment (unless the article states it) and inherited post."""
    as_title = _as_post(tok)
    here = tok.sent.start_char  # a post given in the succession's own sentence comes first ("…'s section 151 officer, had replaced Y")
    mine = sorted((p for p in facts.posts if p.evidence is not None), key=lambda p: p.evidence.sent_start != here)
    pred_post = next((p for p in mine if p.person == pred.name and not EARLIER.search(p.evidence.sentence)), None)
    succ_post = next((p for p in mine if p.person == succ.name and not FORMER.search(p.evidence.sentence)), None)
    title = as_title or (pred_post.title if pred_post else succ_post.title if succ_post else "")
    where = pred_post.organisation if pred_post else ""
    if not pred_post and title:  # the post is held where the change happens: the article's main body of its kind
        like = next((p for p in mine if p.person == succ.name and p.organisation and _same_title(p.title, title)
                     and not FORMER.search(p.evidence.sentence)), None) if succ_post else None
        where = _main_of_kind(facts, like.organisation) if like is not None else ""
        if not as_title and succ_post is not None and where and succ_post.organisation != where and (
                set(succ_post.title.lower().split()) & NOT_TAKEN_OVER):
            title, where = "", ""  # "X, deputy chief executive of A, replaces Y": Y's post is not X's old one
    ev = evidence(doc, article.id, tok.idx, tok.idx + len(tok))
    facts.successions.append(Succession(succ.name, pred.name, title, succ.kind, pred.kind, ev, rule))
    if succ.kind == "PERSON" and not any(e.type == "appointment" and any(p.name == succ.name for p in e.participants)
                                         for e in facts.events):
        phrases = date_phrases(text_of(doc), 0, anchor_date(doc, article))
        sentence = text_of(doc)[tok.sent.start_char:tok.sent.end_char].lower()
        now = any(cue in sentence for cue in lex()["modality"]["immediate"])
        mode = "asserted" if now else modality(text_of(doc)[tok.sent.start_char:tok.idx])
        date = clause_date(doc, tok, phrases) or (article.published if now else "")
        if mode == "planned" and future(text_of(doc)[tok.sent.start_char:tok.idx], tok.text):
            date = forward(date, phrases, article.published)
        facts.events.append(Event("appointment", tok.text, date,
                                  [Participant(succ.name, "PERSON", "appointee")], "", mode, ev,
                                  "event.appointment.succession"))
    if pred_post and succ.kind == "PERSON" and (not as_title or _same_post(as_title, pred_post.title)):
        if not any(p.person == succ.name and p.title == pred_post.title for p in facts.posts):
            facts.posts.append(Post(succ.name, pred_post.title, pred_post.organisation, "", "", "", ev,
                                    pred_post.role, "post.successor-inherits"))
    elif not pred_post and title and where and succ.kind == pred.kind == "PERSON":
        # "Lee Freeman, chief constable of Humberside Police, took over from Mr Veale" in an article about
        # Cleveland Police: Veale held the post there, and Freeman now holds it there
        role = canonical_role(title)
        facts.posts.append(Post(pred.name, title, where, "former", "", "", ev, role, "post.predecessor-held"))
        if not any(p.person == succ.name and _same_title(p.title, title) and p.organisation == where for p in facts.posts):
            facts.posts.append(Post(succ.name, title, where, "", "", "", ev, role, "post.successor-inherits"))


NOT_TAKEN_OVER = {"deputy", "assistant", "vice", "associate"}
EARLIER = re.compile(r"\bwho\s+(?:had\s+(?:been|served|worked)|was\s+previously|was\s+formerly|used\s+to)\b|"
                     r"\b(?:formerly|previously)\b", re.I)  # an earlier career; "the former director, X" is the post X left
FORMER = re.compile(r"\bwho\s+(?:had\s+(?:been|served|worked)|was\s+previously|was\s+formerly|used\s+to)\b|\b(?:former|formerly|previously)\b", re.I)


def _same_title(a: str, b: str) -> bool:
    return canonical_role(a).lower() == canonical_role(b).lower()


def _main_of_kind(facts: ArticleFacts, organisation: str) -> str:
    """The body the article is most about among those of ``organisation``'s kind."""
    kind = next((m.org_type for m in facts.mentions if m.kind == "ORG" and m.name == organisation and m.org_type), "")
    if not kind:
        return ""
    counts: dict[str, int] = {}
    for m in facts.mentions:
        if m.kind == "ORG" and m.org_type == kind:
            counts[m.name] = counts.get(m.name, 0) + 1
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if ranked[0][0] != organisation and ranked[0][1] <= counts.get(organisation, 0):
        return ""  # no body of that kind stands out from the one named with the successor
    return ranked[0][0]


def _same_post(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa & wb)


def _as_post(tok: Token) -> str:
    """The "as <post>" phrase on the trigger's clause ("succeeded X as mayor"), or the post a
    verb names ("was appointed interim chief executive", "became acting chief constable")."""
    for c in tok.children:
        if c.dep_ in ("oprd", "attr") and c.pos_ == "NOUN" and c.ent_type_ != "PERSON":
            return " ".join(t.text for t in c.subtree if t.dep_ not in ("det",) and t.i <= c.i).strip()
    for head in (tok, tok.head if tok.dep_ in ("conj", "advcl", "relcl", "acl", "xcomp") else tok):
        # "led the department as interim director": the parser may hang the "as" on the object
        objects = [c for c in head.children if c.dep_ == "dobj" and c.ent_type_ != "PERSON"]
        for c in list(head.children) + [g for o in objects for g in o.children]:
            if c.dep_ == "prep" and c.lower_ == "as":
                obj = [g for g in c.children if g.dep_ == "pobj"]
                if obj and obj[0].pos_ in ("NOUN", "PROPN") and obj[0].ent_type_ not in ("PERSON",):
                    head = obj[0]
                    keep = [t for t in head.subtree if t.i <= head.i]
                    keep += [t for c in head.rights if _post_part(c) for t in c.subtree]
                    named = {t.i for t in keep if t.dep_ == "poss" and (t.pos_ in ("PROPN", "PRON") or t.ent_type_)}
                    words = [t for t in sorted(keep, key=lambda t: t.i)  # "as X's deputy" drops X; "children's services" stays
                             if not (t.i in named or t.head.i in named and t.dep_ == "case")]
                    phrase = re.sub(r"\s+(['’]s)\b", r"\1", " ".join(t.text for t in words if t.dep_ not in ("det",)))
                    if obj[0].lower_ not in set(lex()["succession"]["nouns"]):
                        return phrase.replace(" 's", "'s").strip()
    return ""


def _post_part(c: Token) -> bool:
    """A right-hand part of a post's phrase: its "of"/"for"/"at" body or a coordinated title,
    never a date ("in October"), an agent ("by Y") or a clause."""
    if c.dep_ in ("relcl", "acl", "punct", "appos", "advcl"):
        return False
    if c.dep_ == "prep":
        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        return c.lower_ not in ("by", "after", "before", "since", "until", "from") and (
            obj is None or obj.ent_type_ not in ("DATE", "TIME", "PERSON"))
    return True


def _entity(tok: Token | None, idx: EntityIndex, sent: Span) -> Mention | None:
    """The person or body a token stands for: its mention, a relative pronoun's noun, a he/she antecedent."""
    if tok is None:
        return None
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl",):
        tok = tok.head.head
    if tok.lower_ in PRONOUNS:
        return person_antecedent(tok, idx)
    m = idx.at(tok.idx, tok.idx + len(tok))
    if m is not None and m.kind in ("PERSON", "ORG"):
        return m
    for c in tok.children:  # "the centre's director, Ralph Marchant, …": the name in apposition
        if c.dep_ == "appos":
            m = idx.at(c.idx, c.idx + len(c))
            if m is not None and m.kind == "PERSON":
                return m
    if tok.text.strip(".").lower() in load_json("people.json")["postnominals"]:
        # "Alwen Williams CBE will replace …": the parser heads the name with its honour
        for c in tok.lefts:
            if c.dep_ == "compound":
                m = idx.at(c.idx, c.idx + len(c))
                if m is not None and m.kind == "PERSON":
                    return m
    return None


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _subject(tok: Token, *deps: str) -> Token | None:
    """The subject of a verb, through coordinated verbs ("X retired … and was replaced")."""
    head = tok
    for _ in range(3):
        s = _child(head, *deps)
        if s is not None:
            return s
        if head.dep_ in ("conj", "xcomp", "advcl"):
            # "X retired … and was replaced", "X is to be replaced", "X resigned to be replaced"
            head = head.head
            deps = deps + ("nsubj", "nsubjpass")
        else:
            return None
    return None


def _verb(tok: Token, idx: EntityIndex, sent: Span) -> tuple[Mention, Mention, str] | None:
    passive = _child(tok, "auxpass") is not None or _child(tok, "agent") is not None
    if passive:
        by = _by_object(tok)
        pred, succ = _entity(_subject(tok, "nsubjpass"), idx, sent), _entity(by, idx, sent)
        return (succ, pred, "succession.passive") if succ and pred else None
    pred = _entity(_child(tok, "dobj"), idx, sent)
    subj = _child(tok, "nsubj")
    if subj is None and tok.dep_ in ("advcl", "xcomp") and tok.tag_ == "VBG":
        # "she chose Y as deputy, replacing X": the governing verb's object, else its subject
        obj = _child(tok.head, "dobj")
        subj = obj if obj is not None and _entity(obj, idx, sent) else _child(tok.head, "nsubj")
    elif subj is None and tok.dep_ == "acl":
        subj = tok.head
    if subj is None:
        subj = _subject(tok, "nsubj")
    succ = _entity(subj, idx, sent) or _fronted_person(subj, idx, sent)
    return (succ, pred, "succession.active") if succ and pred else None


def _fronted_person(subj: Token | None, idx: EntityIndex, sent: Span) -> Mention | None:
    """"Ms Greenway, the council's section 151 officer, had replaced X": when the parser takes the
    title in apposition for the subject, the person named first, set off by a comma right before
    that title, is the subject."""
    if subj is None:
        return None
    first = next((m for m in idx.within(sent.start_char, subj.idx) if m.kind == "PERSON"), None)
    lead = idx.text[sent.start_char:first.evidence.start].strip().rstrip(".").lower() if first is not None else "x"
    if first is None or (lead and lead not in load_json("people.json")["titles"]):
        return None  # only a title ("Ms", "Dr") may come before the name
    gap = idx.text[first.evidence.end:subj.left_edge.idx]
    return first if re.fullmatch(r"\s*,\s*", gap) else None


def _by_object(verb: Token) -> Token | None:
    """The "by" phrase of a passive verb, also when the parser hung it on a nearer noun
    ("replaced with immediate effect by Y"); never inside another clause."""
    agent = _child(verb, "agent")
    if agent is not None:
        return _child(agent, "pobj")
    for t in verb.subtree:
        if t.i > verb.i and t.lower_ == "by" and t.dep_ in ("prep", "agent"):
            h = t.head
            while h.i != verb.i and h.head.i != h.i and h.dep_ not in ("relcl", "ccomp", "advcl", "conj", "acl"):
                h = h.head
            if h.i == verb.i:
                return _child(t, "pobj")
    return None


def _phrasal(tok: Token, idx: EntityIndex, sent: Span, spec: dict) -> tuple[Mention, Mention, str] | None:
    """"Y took over from X": the verb with its particle, and the predecessor after the preposition."""
    if spec.get("particle") and not any(c.dep_ == "prt" and c.lower_ == spec["particle"] for c in tok.children):
        return None
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == spec["prep"]), None)
    if prep is None:
        return None
    pred = _entity(_child(prep, "pobj"), idx, sent)
    succ = _entity(_subject(tok, "nsubj"), idx, sent)
    return (succ, pred, "succession.phrasal") if succ and pred else None


def _noun(tok: Token, idx: EntityIndex, sent: Span) -> tuple[Mention, Mention, str] | None:
    """"appoint Y as X's replacement", "Y, X's successor", "Y is X's successor"."""
    poss = _child(tok, "poss")
    to = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "for") for g in c.children if g.dep_ == "pobj"]
    pred = _entity(poss, idx, sent) or (_entity(to[0], idx, sent) if to else None)
    if pred is None:
        return None
    succ_tok = None
    if tok.dep_ == "pobj" and tok.head.lower_ == "as":
        verb = tok.head.head
        succ_tok = _child(verb, "dobj") or (_child(verb, "nsubjpass") if _child(verb, "auxpass") else None)
        first = _entity(succ_tok, idx, sent)
        if first is None or first.kind != pred.kind:  # "directed the council to appoint Y as X's replacement"
            # "directed the council to appoint Y … as X's replacement": the object of the complement verb
            inner = [_child(c, "dobj") for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
            succ_tok = next((t for t in inner if t is not None and _entity(t, idx, sent)), succ_tok)
            if _entity(succ_tok, idx, sent) is not None and _entity(succ_tok, idx, sent).kind != pred.kind:
                return None
    elif tok.dep_ == "appos":
        succ_tok = tok.head
    elif tok.dep_ == "attr":
        succ_tok = _child(tok.head, "nsubj")
    succ = _entity(succ_tok, idx, sent)
    return (succ, pred, "succession.noun") if succ else None


def _after_departure(tok: Token, idx: EntityIndex, sent: Span, spec: dict) -> tuple[Mention, Mention, str] | None:
    """"Y was appointed interim chief executive after X left", "Y became acting chief constable
    following the retirement of X", "Y took over as acting head after X's departure"."""
    if tok.dep_ == "mark":
        leave, main = tok.head, tok.head.head
        if leave.lower_ not in spec["departures"] or leave.i == main.i:
            return None
        pred = _entity(_subject(leave, "nsubj"), idx, sent)
    else:
        leave = _child(tok, "pobj")
        main = tok.head
        if leave is None or leave.lower_ not in spec["departures"]:
            return None
        of = [g for c in leave.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        pred = _entity(_child(leave, "poss") or (of[0] if of else None), idx, sent)
    while main.pos_ != "VERB" and main.head.i != main.i:
        main = main.head
    holding = main.lower_ in spec["holding_verbs"] and bool(_as_post(main))  # "has led it as interim director since"
    if main.lower_ not in spec["appointments"] and not holding:
        return None
    if tok.lower_ == "since" and not holding:
        return None
    if _child(main, "nsubjpass") is not None:
        succ = _entity(_child(main, "nsubjpass"), idx, sent)
    elif holding:  # "Y has led the department as interim director since X left": Y holds it
        succ = _entity(_subject(main, "nsubj"), idx, sent)
    elif _child(main, "dobj") is not None and main.lower_ not in ("took", "takes", "take", "taken"):
        succ = _entity(_child(main, "dobj"), idx, sent)
    else:
        succ = _entity(_subject(main, "nsubj"), idx, sent)
    return (succ, pred, "succession.after-departure", main) if succ and pred else None


def _left_and_replaced(tok: Token, idx: EntityIndex, sent: Span, spec: dict) -> tuple | None:
    """"X left the council shortly after, and Y stepped in as interim director": a departure and an
    appointment coordinated in one sentence, the appointment naming its post or taking over."""
    pred = _entity(_subject(tok, "nsubj"), idx, sent)
    if pred is None or pred.kind != "PERSON":
        return None
    for verb in tok.children:
        if verb.dep_ != "conj" or verb.lower_ not in spec["appointments"]:
            continue
        takes = _as_post(verb) or any(c.dep_ == "prt" and c.lower_ in ("in", "over") for c in verb.children)
        succ = _entity(_child(verb, "nsubjpass") or _child(verb, "nsubj"), idx, sent)
        if takes and succ is not None and succ.kind == "PERSON":
            return succ, pred, "succession.left-and-replaced", verb
    return None


def _in_place_of(tok: Token, idx: EntityIndex, sent: Span) -> tuple[Mention, Mention, str] | None:
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pred = _entity(_child(of, "pobj"), idx, sent) if of is not None else None
    verb = tok.head.head
    succ = _entity(_child(verb, "dobj") or _child(verb, "nsubjpass") or _child(verb, "nsubj"), idx, sent)
    return (succ, pred, "succession.in-place-of") if succ and pred else None
