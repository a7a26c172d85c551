"""Posts: who holds which post in which organisation ("chief executive Colin Foster",
"X, director of children's services at Y", "Former Northampton MP Z", "Its chief executive …")."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from kg.domain import dates, load_json
from kg.model import Article, ArticleFacts, Mention, Post
from kg.extract.dating import lex
from kg.extract.entities import EntityIndex, text_of

HONORIFIC = r"(?:(?:" + "|".join(sorted(load_json("people.json")["titles"], key=len, reverse=True)) + r")\.?\s+)?"


def _alt(words: list[str]) -> str:
    return _alternation(tuple(words))


@lru_cache(maxsize=64)
def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first, spaces and apostrophes loose (built once per list)."""
    return "|".join(re.escape(w).replace("\\ ", r"\s+").replace("'", "['’]")
                    for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def title_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(title right before a name, title right after a name in apposition)."""
    heads, mods = _alt(lex()["post_heads"]), _alt(lex()["post_modifiers"])
    title = (rf"(?P<title>(?P<mods>(?:(?:{mods}|(?-i:[A-Z][\w’'-]+))\s+){{0,4}}?)(?P<head>{heads})"
             rf"(?P<tail>\s+(?:of|for|at|in|to)\s+(?:the\s+)?[^.;:!?\"“”()]{{1,90}}?)?)")
    before = re.compile(rf"(?:\b(?P<its>its|their)\s+)?\b{title}\s*,?\s*{HONORIFIC}$", re.I)
    honours = "|".join(re.escape(p) for p in load_json("people.json")["postnominals"])
    lead = (r"(?:(?:who|which)\s+(?:as\s+|(?:has|had)\s+been\s+|is\s+|was\s+|became\s+|has\s+become\s+)"
            r"|(?:by\s+then|then|now|at\s+the\s+time|currently|previously|formerly)\s+)?")
    owner = r"(?:[a-z][\w-]*['’]s\s+)?"  # "the trust's chief executive": the possessor is the body
    after = re.compile(rf"^(?:\s+(?:{honours})\b\.?)*(?:\s*,\s*{lead}|\s+as\s+)(?:(?:the|a|an|its|their)\s+)?{owner}(?:new\s+)?{title}"
                       rf"\s*(?:,|\.|;|$|\s+(?:said|says|added|told|who|until|since|from|in \d|leads|led|runs|ran|"
                       rf"becomes|became|has|had|is|was|will|would)\b)", re.I)
    return before, after


def extract_posts(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """One Post per person mention introduced with a post title."""
    before, after = title_patterns()
    seen: set[tuple[str, str, str]] = set()
    for m in idx.mentions:
        if m.kind != "PERSON" or len(m.name.split()) < 2:
            continue  # a lone word the article never names in full ("Hackney and Barnet") holds no post
        ev = m.evidence
        pre = text_of(doc)[_clause_start(text_of(doc), ev.sent_start):ev.start]
        post_text = text_of(doc)[ev.end:ev.sent_end]
        clause = _clause_start(text_of(doc), ev.sent_start)
        match = _title_before(before, pre, clause, idx)
        base, rule = clause, "post.title-before-name"
        if match and match.group("head").lower() in load_json("people.json")["titles"] and not match.group("tail"):
            # "Councillor Roy Perry, Leader of Hampshire County Council": the honorific is no post when one follows
            later = after.match(post_text)
            if later and _head_ok(later):
                match = None
        posts: list[Post] = []
        shared = False
        if not match or not _head_ok(match):
            match, base, rule = after.match(post_text), ev.end, "post.title-after-name"
            if not match or not _head_ok(match):
                match, base, rule = _coordinated(after, post_text, ev.end, m, idx, posts)
                if match is None:
                    continue
                shared = True  # "deputy chief executive and chief operating officer of X": one body for both
        post = _post_from(match, base, m, idx)
        if post is None:
            continue
        post.rule = rule
        second = _second_title(match.group("title"))
        if second and rule == "post.title-after-name":  # "X, chief constable of A and chief executive of B": B's post too
            at = base + match.start("title") + second
            joint = re.match(r"\s+and\s+", text_of(doc)[at:])
            more = after.match(", " + text_of(doc)[at + joint.end():ev.sent_end]) if joint else None
            extra = _post_from(more, at + joint.end() - 2, m, idx) if more and _head_ok(more) else None
            if extra is not None:
                extra.rule = rule
                posts.append(extra)
        for p in [post, *posts]:
            if shared and posts and p is post and posts[0].organisation:
                p.organisation = posts[0].organisation  # "deputy chief executive and chief operating officer of X": X's both
            key = (p.person, p.title, p.organisation)
            if key not in seen:
                seen.add(key)
                facts.posts.append(p)
    _verb_posts(doc, idx, facts, after, seen)
    _list_posts(doc, idx, facts, seen)
    _drop_vaguer(facts.posts)


def _list_posts(doc: Doc, idx: EntityIndex, facts: ArticleFacts, seen: set[tuple[str, str, str]]) -> None:
    """"He will work alongside five other commissioners:" then one person per line: each person
    who opens a line of the list holds the post the lead-in names (at the body it names, else as
    the post's fallbacks say)."""
    text = text_of(doc)
    heads = _alt(lex()["post_heads"])
    for lead in re.finditer(rf"^[^\n]*\b(?P<head>{heads})s\b[^\n]*:[ \t]*$", text, re.I | re.M):
        title = lead.group("head").lower()
        owners = [o for o in idx.within(lead.start(), lead.end()) if o.kind == "ORG"]
        pos = lead.end()
        while True:
            m = re.match(r"\s*\n(?:[ \t]*\n)*[ \t]*(?:[-•*–][ \t]*)?", text[pos:])
            if not m:
                break
            start = pos + m.end()
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            person = next((p for p in idx.within(start, end) if p.kind == "PERSON" and p.evidence.start == start), None)
            if person is None or len(person.name.split()) < 2:
                break
            org = owners[-1].name if owners else ""
            if not org and (_council_post(title) or _commissioner(title)):
                org = idx.main.get("local_authority", "")
            if not org and title in lex()["institutional_posts"]:
                org = _nearby_body(idx, person, title)
            key = (person.name, title, org)
            if key not in seen:
                seen.add(key)
                facts.posts.append(Post(person=person.name, title=title, organisation=org, evidence=person.evidence,
                                        role=canonical_role(title), rule="post.list-item"))
            pos = end


def _verb_posts(doc: Doc, idx: EntityIndex, facts: ArticleFacts, after: re.Pattern[str],
                seen: set[tuple[str, str, str]]) -> None:
    """Posts the parse gives through a verb: "X retired as director of …", "X was appointed as …",
    "X became chief executive of …", "X is the council's leader" (the subject and its "as"
    phrase or complement)."""
    text = text_of(doc)
    for m in idx.mentions:
        if m.kind != "PERSON":
            continue
        span = doc.char_span(m.evidence.start, m.evidence.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.dep_ == "appos" and root.head.dep_ in ("nsubj", "nsubjpass"):
            root = root.head  # "the trust's medical director, Dr X, is acting chief executive": X is the subject
        verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") else []
        # "X, who retired as the county's director of children's services, …": the relative clause's verb
        verbs += [c for c in root.children if c.dep_ == "relcl" and any(
            w.dep_ in ("nsubj", "nsubjpass") and w.lower_ in ("who", "that") for w in c.children)]
        for verb in verbs:
            _verb_post(doc, idx, facts, after, seen, m, verb, text)


def _verb_post(doc: Doc, idx: EntityIndex, facts: ArticleFacts, after: re.Pattern[str],
               seen: set[tuple[str, str, str]], m: Mention, verb, text: str) -> None:
    """The post a verb gives its subject ``m`` (see :func:`_verb_posts`)."""
    comps = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
    if verb.lower_ in lex()["post_copulas"] or (verb.lower_ in NAMING_VERBS and any(
            c.dep_ == "auxpass" for c in verb.children)):  # "has been named the new chairman of …"
        comps += [c for c in verb.children if c.dep_ in ("attr", "oprd")]
    if verb.lower_ in POST_OBJECT_VERBS:  # "X left the post of chief constable", "took up the role of chair"
        comps += [g for c in verb.children if c.dep_ == "dobj" and c.lower_ in ("post", "role", "job", "position")
                  for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
    acting = verb.lower_ in ("acting", "acts", "acted") and not comps
    if acting:  # "X is acting chief executive": the verb's object is the post, held as acting
        comps += [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    for comp in comps:
        lo = comp.left_edge.idx
        # the title and the body it belongs to, not the time or place phrases after it
        # ("interim chief executive between March and June")
        kept = [c for c in comp.rights if not (c.dep_ == "prep" and c.lower_ not in ("of", "for", "at", "to"))]
        last = max((c.right_edge for c in kept), key=lambda t: t.i, default=comp)
        last = comp if last.i < comp.i else last
        hi = last.idx + len(last)
        if "(" in text[lo:hi]:  # "… Children Board (LSCB)": the name, not its acronym in brackets
            hi = lo + len(text[lo:hi].split("(")[0].rstrip())
        prefix = " as acting " if acting and not text[lo:hi].lower().startswith(("acting", "interim")) else " as "
        match = after.match(prefix + text[lo:hi])
        if not match or not _head_ok(match):
            continue
        post = _post_from(match, lo - len(prefix), m, idx)
        if post is None:
            continue
        post.rule = "post.verb-complement"
        key = (post.person, post.title, post.organisation)
        if key not in seen:
            seen.add(key)
            facts.posts.append(post)


NAMING_VERBS = frozenset({"named", "appointed", "made", "elected", "confirmed", "installed"})
POST_OBJECT_VERBS = frozenset({"left", "leaves", "leave", "leaving", "held", "holds", "hold", "holding", "quit", "quits",
                               "took", "takes", "take", "taking", "assumed", "assumes", "vacated", "vacates"})


def _drop_vaguer(posts: list[Post]) -> None:
    """"Leader" and "council leader" of the same body for the same person are one post: keep the fuller title."""
    def content(p: Post) -> set[str]:
        return set(re.findall(r"[a-z]+", (p.role or p.title).lower())) - {"of", "the", "for", "and"}

    drop = {i for i, p in enumerate(posts) for j, q in enumerate(posts)
            if i != j and p.person == q.person and p.organisation == q.organisation
            and (content(p) < content(q) or (content(p) == content(q) and i > j))}
    posts[:] = [p for i, p in enumerate(posts) if i not in drop]


def _title_before(before: re.Pattern[str], pre: str, base: int, idx: EntityIndex) -> re.Match[str] | None:
    """The title right before a name whose span holds no other person ("the leader of X, A, and
    the cabinet member for Y, B": B's title is the second one, not the first)."""
    pos = 0
    while pos < len(pre):
        m = before.search(pre, pos)
        if m is None:
            return None
        t0, t1 = base + m.start("title"), base + m.end("title")
        inner = [p for p in idx.within(t0, t1) if p.kind == "PERSON"]
        clause = re.search(r",\s+[a-z]", m.group("title"))  # "MP for X and a critic of Y, argued that": a clause, no title
        owned = re.search(r",\s*(?:then\s+|now\s+|currently\s+|formerly\s+)?(?:the\s+|a\s+|an\s+)?$", idx.text[max(0, t0 - 30):t0]) and any(
            p.kind == "PERSON" and t0 - 30 <= p.evidence.end <= t0 and not re.search(r"[.;:]", idx.text[p.evidence.end:t0])
            for p in idx.mentions)  # "Ms Haque, then the interim director, Helen Hirst, …": the title is Ms Haque's
        if not inner and not clause and not owned:
            return m
        if owned and not inner and not clause:
            return None  # the title before the name is the previous person's
        pos = inner[-1].evidence.end - base if inner else m.start("title") + clause.end()
    return None


def _clause_start(text: str, sent_start: int) -> int:
    """The sentence start, or the line start when the parser split a sentence mid-line."""
    if re.search(r"[.!?:\"”’]\s*$", text[:sent_start]) or not text[:sent_start].strip():
        return sent_start
    return max(text.rfind("\n", 0, sent_start) + 1, sent_start - 120)


def _head_ok(match: re.Match[str]) -> bool:
    """Reject titles that are only capitalised words (no real post head) or a bare 'head'."""
    return match.group("head").lower() not in ("head",) or bool(match.group("tail"))


def _post_from(match: re.Match[str], base: int, person: Mention, idx: EntityIndex) -> Post | None:
    t_start, t_end = base + match.start("title"), base + match.end("title")
    second = _second_title(match.group("title"))
    other = min((p.evidence.start for p in idx.within(t_start, t_end) if p.kind == "PERSON" and p.name != person.name),
                default=0)
    if other and (not second or other - t_start < second):  # "X, then the interim director, Y, chief officer of Z": X's title ends before Y
        second = len(idx.text[t_start:other].rstrip(" ,;"))
    if second:  # "chief constable of X and chief executive of Y": the first post is X's only
        t_end = t_start + second
    orgs = [o for o in idx.within(t_start, t_end) if o.kind == "ORG"]
    cut = max((o.evidence.end for o in idx.mentions if o.kind == "ORG" and o.evidence.start < t_start < o.evidence.end),
              default=0)
    title_text = match.group("title")[:second] if second else match.group("title")
    if cut:  # "… King's Lynn Foundation Trust chairman X": a body that began before the title owns it
        orgs = [o for o in idx.mentions if o.kind == "ORG" and o.evidence.end == cut][:1] + orgs
        title_text = idx.text[cut:t_end].strip()
        if not title_text:
            return None
    places = [p for p in idx.within(t_start, t_end) if p.kind == "PLACE"]
    kept = _cut_tail(title_text)
    tail_at = (cut or t_start) + len(kept)  # a body after the title's end ("… sent in after the Ofsted verdict") owns nothing
    orgs = [o for o in orgs if o.evidence.start < tail_at]
    places = [p for p in places if p.evidence.start < tail_at]
    words = kept.split()
    status = ""
    status_map = lex()["post_status"]
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    poss = [o for o in orgs if re.match(r"['’]s\b", idx_text(idx, o.evidence.end, o.evidence.end + 2))
            and o.evidence.start <= t_start + 6]
    if poss and words and re.search(r"['’]s$", words[0]):
        words, orgs = words[1:], poss  # "the CQC's deputy director": the possessor is the body
    elif poss and words:  # "Kent County Council's director of children's services"
        lead = re.match(re.escape(poss[0].evidence.text) + r"['’]s?\s+", " ".join(words), re.I)
        if lead:
            words, orgs = " ".join(words)[lead.end():].split(), poss
    while words and words[0].lower() in status_map:
        status = status or status_map[words[0].lower()]
        words = words[1:]
    title = " ".join(words)
    org_name = orgs[-1].name if orgs else ""
    title = _strip_names(title, orgs + places)
    owner = _possessor(idx, t_start)
    if owner and all(o.org_type == "political_party" for o in orgs):
        org_name = owner  # "the council's Conservative leader": the council's post, the party an adjective
    elif orgs and all(o.org_type == "political_party" for o in orgs) and re.search(
            r"\b(?:of|for)\s+the\s+[\w-]+-(?:run|led|controlled)\s+(?:council|authority)\b", kept, re.I):
        org_name = idx.main.get("local_authority", "")  # "leader of the Labour-run council": the council's leader
    if not org_name:
        org_name = owner or _portfolio_department(words)
    if match.groupdict().get("its") and not org_name:
        prior = [o for o in idx.mentions if o.kind == "ORG" and o.evidence.end <= t_start]
        org_name = prior[-1].name if prior else ""
    if not org_name and (_council_post(title) or _commissioner(title)):
        org_name = idx.main.get("local_authority", "")
    if not org_name and title.lower().replace("’", "'") in lex()["institutional_posts"]:
        org_name = _nearby_body(idx, person, title)
    title = _tidy_title(title)
    if not title or title.lower() in ("the",):
        return None
    return Post(person=person.name, title=title, organisation=org_name, status=status, evidence=person.evidence,
                role=canonical_role(title))


def _coordinated(after: re.Pattern[str], text: str, base: int, person: Mention, idx: EntityIndex,
                 more: list[Post]) -> tuple[re.Match[str] | None, int, str]:
    """"X, deputy chief executive and chief operating officer of Y, …": two titles sharing one body.
    Returns the first title's match (as if it ended the apposition) and adds the second post to ``more``."""
    heads = _alt(lex()["post_heads"])
    m = re.match(rf"^(\s*,\s*(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){{0,4}}?(?:{heads}))\s+and\s+", text, re.I)
    if not m:
        return None, base, ""
    first = after.match(m.group(1) + ",")
    rest_at = m.end()
    second = after.match(", " + text[rest_at:])
    if not first or not second or not _head_ok(first) or not _head_ok(second):
        return None, base, ""
    post = _post_from(second, base + rest_at - 2, person, idx)
    if post is not None:
        post.rule = "post.title-after-name"
        more.append(post)
    return first, base, "post.title-after-name"


def _second_title(title: str) -> int:
    """Where a second post begins in a title's tail ("… of Staffordshire Police and chief executive
    of the College of Policing"), or 0."""
    heads = _alt(lex()["post_heads"])
    m = re.search(rf"\s+(?:of|for|at)\s+.+?(\s+and\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:{heads})\b)", title, re.I)
    return m.start(1) if m else 0


def _cut_tail(title: str) -> str:
    """A title ends before a clause word ("commissioner for children's services sent in after …")
    and before a date ("chief executive in 2020")."""
    m = _tail_pattern().search(title)
    return title[:m.start()] if m else title


@lru_cache(maxsize=1)
def _tail_pattern() -> re.Pattern[str]:
    stop = "|".join(re.escape(w) for w in lex()["post_tail_stop"])
    return re.compile(rf"\s+(?:{stop})\b|\s+(?:in|on|from|since|until|by|during)\s+(?:\d|{dates.MONTH}\b)", re.I)


def _strip_names(title: str, names: list[Mention]) -> str:
    """Drop organisation and place names (and what links them) from a title: the role remains."""
    for m in names:
        surface = re.escape(m.evidence.text)
        title = re.sub(rf"\s+(?:of|for|at|in)\s+(?:the\s+)?(?:neighbouring\s+|nearby\s+|neighbour\s+)?{surface}.*$", "", title, flags=re.I)
        title = re.sub(rf"^{surface}\s+", "", title)
    return title.strip(" ,")


def _tidy_title(title: str) -> str:
    title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(), flags=re.I)
    title = title.replace("’", "'")
    return title.lower() if not re.fullmatch(r"[A-Z]{2,}", title) else title


def _possessor(idx: EntityIndex, t_start: int) -> str:
    """"The council's leader": the body whose possessive stands right before the title."""
    for m in idx.mentions:
        if m.kind == "ORG" and 0 <= t_start - m.evidence.end <= 14:
            gap = idx_text(idx, m.evidence.end, t_start)
            if re.fullmatch(r"['’]s?\s*(?:(?:then|now|former|current|acting|interim)\s+)?", gap, re.I):
                return m.name  # "the island council's then cabinet member for children"
    return ""


def idx_text(idx: EntityIndex, start: int, end: int) -> str:
    return idx.text[start:end] if idx.text else ""


def _portfolio_department(words: list[str]) -> str:
    """"Education Secretary" -> the Department for Education (lexicon of portfolios)."""
    from kg.nlp import bodies

    low = " ".join(words).lower()
    for portfolio, dept in sorted(bodies()["portfolios"].items(), key=lambda kv: -len(kv[0])):
        if re.match(rf"{re.escape(portfolio)}\s+(?:secretary|minister)\b", low):
            return dept
    return ""


def _nearby_body(idx: EntityIndex, person: Mention, title: str = "") -> str:
    """The inspectable body named in the person's sentence, else the article's main one; of a
    kind that has the post ("director of children's services": a council or children's trust,
    never the police force named beside it)."""
    from kg.domain import subject_types

    from kg.extract.events import main_subject

    kinds = lex()["post_body_types"].get(title.lower().replace("’", "'"))
    lo = person.evidence.sent_start
    near = [m for m in idx.mentions if m.kind == "ORG" and lo <= m.evidence.start < person.evidence.sent_end
            and m.org_type in subject_types() | {"childrens_trust"} and m.org_type and (not kinds or m.org_type in kinds)]
    if near:
        return near[-1].name
    main = [m for m in main_subject(idx) if not kinds or m.org_type in kinds]
    if not main and kinds:
        main = [m for k in kinds for m in idx.mentions if m.kind == "ORG" and m.name == idx.main.get(k)][:1]
    return main[0].name if main else ""


def canonical_role(title: str) -> str:
    """The role's canonical name from the synonym lexicon ("children's services director" -> "director of children's services")."""
    low = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", title.lower().replace("’", "'"))  # "vice-chair" is "vice chair"
    return lex()["role_synonyms"].get(low, low if low != title.lower() else title)


def _commissioner(title: str) -> bool:
    """A commissioner sent into a council ("lead commissioner", "commissioner for children's services"),
    not one of the national or police commissioners."""
    low = title.lower().replace("’", "'")
    spec = lex()["commissioner_posts"]
    return bool(re.fullmatch(r"(?:[a-z'-]+\s+){0,2}commissioner(?:\s+for\s+[a-z' ,-]+)?", low)) and not any(
        x in low for x in spec["not"])


def _council_post(title: str) -> bool:
    low = title.lower().replace("’", "'")
    return any(p.replace("’", "'") in low for p in lex()["council_posts"])


def date_posts(doc: Doc, article: Article, idx: EntityIndex, facts: ArticleFacts) -> None:
    """A post starts at its holder's appointment and ends at their resignation, when the article dates them.

    Runs after event extraction; only asserted events count (a proposed appointment starts nothing).
    """
    for post in facts.posts:
        mine = [e for e in facts.events if e.modality == "asserted" and e.date
                and any(p.name == post.person for p in e.participants)]
        starts = sorted(e.date for e in mine if e.type == "appointment")
        ends = sorted(e.date for e in mine if e.type == "resignation")
        if starts and not post.start:
            post.start = starts[0]
        if ends and not post.end:
            post.end = ends[-1]
            post.status = post.status or "former"
