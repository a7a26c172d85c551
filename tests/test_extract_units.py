"""Extractor unit tests on hand-made Docs: no statistical model, milliseconds each.

Words, sentence starts and entities are set by hand (and, where a rule reads the parse, heads,
dependency labels, lemmas and parts of speech), as spaCy's own tests build Docs, so each test pins
one rule's behaviour whatever the model would do. Every extractor has cases that must yield nothing.
"""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract import extract
from kg.model import Article, ArticleFacts

NLP = spacy.blank("en")


def make_doc(text: str, ents: list[tuple[str, str]] = (), parse: list[tuple] | None = None) -> Doc:
    """A Doc of ``text``: sentences start after . ! ?; ``ents`` (surface, label) marked at their first
    occurrence; ``parse`` one (head index, dep[, lemma[, pos]]) a token."""
    toks = NLP.tokenizer(text)
    words = [t.text for t in toks]
    labels = ["O"] * len(words)
    for surface, label in ents:
        span = [t.text for t in NLP.tokenizer(surface)]
        i = next(i for i in range(len(words)) if words[i:i + len(span)] == span)
        labels[i:i + len(span)] = ["B-" + label] + ["I-" + label] * (len(span) - 1)
    kw: dict = {}
    if parse is not None:
        assert len(parse) == len(words), list(enumerate(words))
        kw = {"heads": [p[0] for p in parse], "deps": [p[1] for p in parse],
              "lemmas": [p[2] if len(p) > 2 else w.lower() for p, w in zip(parse, words)],
              "pos": [p[3] if len(p) > 3 else "X" for p in parse]}
    return Doc(NLP.vocab, words=words, spaces=[bool(t.whitespace_) for t in toks],
               sent_starts=[i == 0 or words[i - 1] in ".!?" for i in range(len(words))], ents=labels, **kw)


def facts_of(text: str, ents: list[tuple[str, str]] = (), parse: list[tuple] | None = None,
             published: str = "2023-06-01") -> ArticleFacts:
    return extract(make_doc(text, ents, parse), Article(id="a", title="", text=text, published=published))


COUNCIL = ("Northfield Council", "ORG")
OFSTED = ("Ofsted", "ORG")
JANE = ("Jane Smith", "PERSON")
JOHN = ("John Brown", "PERSON")


# posts -----------------------------------------------------------------------------------------

def test_post_from_an_apposition_with_its_body() -> None:
    f = facts_of("Jane Smith, the director of children's services at Northfield Council, spoke.", [JANE, COUNCIL])
    assert [(p.person, p.title, p.organisation) for p in f.posts] == [
        ("Jane Smith", "director of children's services", "Northfield Council")]
    assert all(p.rule for p in f.posts)


@pytest.mark.parametrize("text,ents", [
    ("The director of children's services at Northfield Council spoke.", [COUNCIL]),  # nobody named
    ("Jane Smith spoke to the council.", [JANE]),                                        # no title
])
def test_no_post_without_a_named_person_and_a_title(text: str, ents) -> None:
    assert facts_of(text, ents).posts == []


def test_a_lone_word_never_named_in_full_holds_no_post() -> None:
    f = facts_of("Max Caller, a former chief executive of Hackney and Barnet, will lead.",
                 [("Max Caller", "PERSON"), ("Barnet", "PERSON")])
    assert {p.person for p in f.posts} <= {"Max Caller"}


def test_a_title_in_a_list_item_ending_in_a_semicolon() -> None:
    f = facts_of("Pam Parkes, executive director for people at Essex County Council;",
                 [("Pam Parkes", "PERSON"), ("Essex County Council", "ORG")])
    assert [(p.person, p.title, p.organisation) for p in f.posts] == [
        ("Pam Parkes", "executive director for people", "Essex County Council")]


def test_each_person_opening_a_line_of_a_list_holds_the_post_its_lead_in_names() -> None:
    text = ("Westbury Council will have five commissioners:\n\nJohn Coughlan, who ran Hampshire;\n\n"
            "Pam Parkes, from Essex;\n\nThe council welcomed them.")
    f = facts_of(text, [("Westbury Council", "ORG"), ("John Coughlan", "PERSON"), ("Pam Parkes", "PERSON")])
    assert sorted((p.person, p.title, p.organisation, p.rule) for p in f.posts if p.rule == "post.list-item") == [
        ("John Coughlan", "commissioner", "Westbury Council", "post.list-item"),
        ("Pam Parkes", "commissioner", "Westbury Council", "post.list-item")]


def test_a_body_after_the_titles_end_owns_no_post() -> None:
    f = facts_of("Peter Dwyer, the commissioner for children's services sent in after the Ofsted verdict, spoke.",
                 [("Peter Dwyer", "PERSON"), OFSTED])
    assert [(p.person, p.title, p.organisation) for p in f.posts] == [
        ("Peter Dwyer", "commissioner for children's services", "")]


@pytest.mark.parametrize("title,council", [
    ("lead commissioner", True), ("commissioner for children's services", True),
    ("police and crime commissioner", False), ("children's commissioner for england", False),
])
def test_a_commissioner_sent_into_a_council_works_there(title: str, council: bool) -> None:
    from kg.extract.posts import _commissioner

    assert _commissioner(title) is council


# events ----------------------------------------------------------------------------------------

def test_inspection_with_regulator_subject_and_month() -> None:
    f = facts_of("Ofsted inspected Northfield Council in March 2023.", [OFSTED, COUNCIL])
    assert [(e.type, e.date, sorted((p.name, p.role) for p in e.participants)) for e in f.events] == [
        ("inspection", "2023-03", [("Northfield Council", "affected"), ("Ofsted", "agent")])]


@pytest.mark.parametrize("text,ents", [
    ("The council said it would welcome a tougher inspection regime.", []),  # inspections in general
    ("Northfield Council held its annual meeting in March 2023.", [COUNCIL]),  # no trigger
])
def test_no_event_without_a_licensed_trigger(text: str, ents) -> None:
    assert facts_of(text, ents).events == []


def test_planned_event_is_not_asserted() -> None:
    f = facts_of("Ofsted will inspect Northfield Council in March 2024.", [OFSTED, COUNCIL])
    assert [(e.type, e.modality) for e in f.events] == [("inspection", "planned")]


# ratings ---------------------------------------------------------------------------------------

def test_rating_with_predicate_subject_and_date() -> None:
    f = facts_of("Northfield Council was rated inadequate by Ofsted in March 2023.", [OFSTED, COUNCIL])
    assert [(r.subject, r.level, r.date) for r in f.ratings] == [("Northfield Council", "inadequate", "2023-03")]
    assert f.ratings[0].rule


@pytest.mark.parametrize("text,ents", [
    ("Inspectors removed the inadequate rating of Northfield Council in March 2023.", [COUNCIL]),  # removed
    ("Northfield Council said its services were still not good enough.", [COUNCIL]),               # negated
    ("A third of services at Northfield Council were rated good.", [COUNCIL]),                     # quantified
    ("Northfield Council hopes to be rated good next year.", [COUNCIL]),                           # aspiration
])
def test_no_rating_that_was_never_given(text: str, ents) -> None:
    assert facts_of(text, ents).ratings == []


# quotes ----------------------------------------------------------------------------------------

SAID_JANE = [(6, "punct"), (3, "nsubj"), (3, "aux"), (6, "ccomp"), (3, "punct"), (6, "punct"),
             (6, "ROOT", "say", "VERB"), (8, "compound"), (6, "nsubj"), (6, "punct")]


def test_quote_speaker_is_the_subject_of_the_reporting_verb() -> None:
    f = facts_of('"We will improve," said Jane Smith.', [JANE], SAID_JANE)
    assert [(q.speaker, q.text) for q in f.quotes] == [("Jane Smith", "We will improve")]


def test_no_quote_from_a_heading_or_without_a_speaker() -> None:
    f = facts_of('"Lessons must be learned"\n\nThe report was published on Monday.', [])
    assert f.quotes == []


# successions -----------------------------------------------------------------------------------

REPLACED = [(1, "compound"), (2, "nsubj"), (2, "ROOT", "replace", "VERB"), (4, "compound"), (2, "dobj"),
            (2, "prep"), (7, "amod"), (5, "pobj"), (7, "prep"), (10, "compound"), (8, "pobj"), (2, "prep"),
            (11, "pobj"), (12, "nummod"), (2, "punct")]


def test_succession_from_subject_and_object_of_replace_and_the_post_is_inherited() -> None:
    f = facts_of("Jane Smith replaced John Brown as chief executive of Northfield Council in May 2023.",
                 [JANE, JOHN, COUNCIL], REPLACED)
    assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("Jane Smith", "John Brown", "chief executive")]
    assert ("Jane Smith", "chief executive", "2023-05") in {(p.person, p.title, p.start) for p in f.posts}


def test_no_succession_from_a_meeting() -> None:
    met = [(1, "compound"), (2, "nsubj"), (2, "ROOT", "meet", "VERB"), (4, "compound"), (2, "dobj"), (2, "prep"),
           (5, "pobj"), (6, "nummod"), (2, "punct")]
    f = facts_of("Jane Smith met John Brown in May 2023.", [JANE, JOHN], met)
    assert f.successions == []


# figures ---------------------------------------------------------------------------------------

def test_money_figure_keeps_its_value_as_written() -> None:
    f = facts_of("Northfield Council spent £5m on agency staff.", [COUNCIL])
    assert [(x.value, x.measure) for x in f.figures] == [("£5m", "agency staff")]


@pytest.mark.parametrize("text", [
    "The rules come from the Education Act 2005.",          # a year inside a name
    "The council issued a section 114 notice.",             # a section number
    "The 2023/24 budget was agreed on 6 March 2023.",       # a financial year and a date
])
def test_no_figure_from_years_dates_and_section_numbers(text: str) -> None:
    assert facts_of(text).figures == []


AGED = [(1, "compound"), (8, "nsubjpass"), (1, "punct"), (1, "amod"), (3, "npadvmod"), (1, "punct"), (8, "auxpass"),
        (8, "ROOT", "jail", "VERB"), (8, "punct")]


def test_durations_that_say_what_they_measure() -> None:
    f = facts_of("Kofi Mensah, aged 43, was jailed.", [("Kofi Mensah", "PERSON")], AGED)
    assert ("43", "age of Kofi Mensah") in {(x.value, x.measure) for x in f.figures}
    f = facts_of("The council ordered a three-month review.")
    assert [(x.value, x.measure, x.rule) for x in f.figures] == [("three-month", "review", "figure.duration.modifier")]
    f = facts_of("Frankie Smith was sentenced to eight years.", [("Frankie Smith", "PERSON")])
    assert [(x.value, x.measure) for x in f.figures] == [("eight years", "sentence")]
    f = facts_of("She had 28 years in policing.")
    assert [(x.value, x.measure) for x in f.figures] == [("28 years", "years in policing")]


@pytest.mark.parametrize("text,figure", [
    ("The home stayed open for six months.", ("six months", "months")),   # how long: the unit is the measure
    ("Inspectors returned within 28 days.", ("28 days", "days")),
    ("Some waited more than 42 minutes.", ("more than 42 minutes", "minutes")),
])
def test_a_bare_duration_measures_its_unit(text: str, figure: tuple[str, str]) -> None:
    assert [(x.value, x.measure, x.rule) for x in facts_of(text).figures] == [(*figure, "figure.duration.bare")]


def test_a_duration_after_aged_or_the_age_of_is_an_age() -> None:
    f = facts_of("Peter Connelly died in 2007 at the age of 17 months.", [("Peter Connelly", "PERSON")])
    assert [(x.value, x.measure, x.rule) for x in f.figures] == [("17 months", "age of Peter Connelly", "figure.age")]


def test_a_number_set_off_after_a_name_is_an_age() -> None:
    f = facts_of("It names Kofi Mensah, 43, a director.", [("Kofi Mensah", "PERSON")])
    assert [(x.value, x.measure, x.rule) for x in f.figures] == [("43", "age of Kofi Mensah", "figure.age")]


@pytest.mark.parametrize("text", [
    "The home opened three years ago.",             # a date
    "Two years later the council was inspected.",   # a date relative to another
    "The ward closed in 2019.",                     # a year
])
def test_no_duration_from_a_date(text: str) -> None:
    assert facts_of(text).figures == []


MURDERED = [(1, "compound"), (2, "nsubj"), (2, "ROOT", "murder", "VERB"), (4, "det"), (2, "dobj"), (2, "prep"),
            (5, "pobj"), (6, "nummod"), (2, "punct")]


def test_the_killer_is_no_victim() -> None:
    """Who murdered is the subject of the verb, read from the parse: no death event names them."""
    f = facts_of("Savannah Brockhill murdered the toddler in September 2020.", [("Savannah Brockhill", "PERSON")], MURDERED)
    assert not [e for e in f.events if e.type == "death" and any(p.name == "Savannah Brockhill" for p in e.participants)]


def test_a_sum_that_a_verb_takes_measures_what_the_verb_says() -> None:
    earning = [(2, "nsubj"), (2, "aux"), (2, "ROOT", "", "VERB"), (4, "nmod"), (2, "dobj", "", "NUM"), (6, "det"),
               (4, "npadvmod"), (2, "punct")]
    f = facts_of("She was earning £133,000 a year.", [], earning)
    assert [(x.value, x.measure) for x in f.figures] == [("£133,000", "annual pay")]


def test_from_to_gives_the_new_rating_and_keeps_the_old_one_undated() -> None:
    f = facts_of("Ofsted downgraded Hillside Primary School from good to inadequate in March 2023.",
                 [OFSTED, ("Hillside Primary School", "ORG")])
    got = {(r.subject, r.level, r.date, r.rule) for r in f.ratings}
    assert ("Hillside Primary School", "inadequate", "2023-03", "rating.from-to") in got
    assert ("Hillside Primary School", "good", "", "rating.from-to.previous") in got


def test_from_to_without_a_body_in_the_clause_rates_nobody() -> None:
    f = facts_of("Surgery slipped from good to requires improvement.", [])
    assert f.ratings == []


# entities (the kg_entities component on a hand-made Doc) ------------------------------------------

def _ents(text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    from kg.nlp import tidy_entities

    return [(e.text, e.label_) for e in tidy_entities(make_doc(text, ents)).ents]


def test_a_place_after_a_body_and_in() -> None:
    got = _ents("The regulator rated Whipps Cross University Hospital in Leytonstone inadequate.",
                [("Whipps Cross University Hospital", "ORG")])
    assert ("Leytonstone", "PLACE") in got
    got = _ents("The CQC downgraded Radcliffe Manor House, in Radcliffe on Trent, last year.",
                [("CQC", "ORG"), ("Radcliffe Manor House", "ORG"), ("Radcliffe", "GPE")])
    assert ("Radcliffe on Trent", "PLACE") in got


def test_a_street_is_no_place_but_the_town_after_it_is() -> None:
    got = _ents("Heycroft Primary School in Benvenue Avenue, Eastwood, has joined the trust.",
                [("Heycroft Primary School", "ORG")])
    assert ("Eastwood", "PLACE") in got and not any("Avenue" in t for t, _ in got)


def test_no_place_from_a_month_after_in() -> None:
    assert _ents("Ofsted inspected Northfield Council in March.", [OFSTED, COUNCIL]) == [
        ("Ofsted", "ORG"), ("Northfield Council", "ORG")]


def test_single_names_in_a_list_after_in_are_places() -> None:
    got = _ents("She worked at trusts in Leicester, Nottingham and Manchester.",
                [("Leicester", "GPE"), ("Nottingham", "PERSON"), ("Manchester", "PERSON")])
    assert got == [("Leicester", "PLACE"), ("Nottingham", "PLACE"), ("Manchester", "PLACE")]


def test_a_body_named_after_a_common_noun() -> None:
    got = _ents("The ministry took the jail from the security company G4S in 2018.", [])
    assert ("G4S", "ORG") in got
    assert _ents("The charity said it would help.", []) == []  # no name after it: nothing


@pytest.mark.parametrize("text,want", [
    ("Joanna Bell, who has been chief executive of Northfield Council since 2018, spoke.",
     ("Joanna Bell", "chief executive", "Northfield Council")),
    ("Jane Smith, by then the council leader, spoke.", ("Jane Smith", "council leader", "")),
    ("Jane Smith QPM, a former chief constable of Northfield Police and chief executive of the Northfield Trust, spoke.",
     ("Jane Smith", "chief constable", "Northfield Police")),
])
def test_post_title_after_the_name(text: str, want) -> None:
    ents = [(w, "ORG") for w in ("Northfield Council", "Northfield Police", "Northfield Trust") if w in text]
    f = facts_of(text, [(want[0], "PERSON"), *ents])
    assert want in {(p.person, p.title, p.organisation) for p in f.posts}


def test_two_titles_share_the_body_after_them() -> None:
    f = facts_of("Jane Smith, deputy chief executive and chief operating officer of Northfield Council, spoke.",
                 [JANE, COUNCIL])
    assert {(p.title, p.organisation) for p in f.posts} == {("deputy chief executive", "Northfield Council"),
                                                            ("chief operating officer", "Northfield Council")}


SAID_JOHN_THEN_MORE = "\"We will improve the service,\" said John Brown. \"The work starts now, and it will take time.\""


def test_the_quote_after_an_attribution_sentence_is_the_same_speakers() -> None:
    parse = [(8, "punct"), (3, "nsubj"), (3, "aux"), (8, "ccomp"), (5, "det"), (3, "dobj"), (3, "punct"), (8, "punct"),
             (8, "ROOT", "say", "VERB"), (10, "compound"), (8, "nsubj"), (8, "punct"),
             (15, "punct"), (14, "det"), (15, "nsubj"), (15, "ROOT", "start", "VERB"), (15, "advmod"), (15, "punct"),
             (15, "cc"), (21, "nsubj"), (21, "aux"), (15, "conj", "take", "VERB"), (21, "dobj"), (15, "punct"),
             (24, "ROOT")]
    f = facts_of(SAID_JOHN_THEN_MORE, [JOHN], parse)
    assert [(q.speaker, q.rule) for q in f.quotes] == [("John Brown", "quote.reporting-verb"),
                                                       ("John Brown", "quote.continuation")]


def test_hyphenated_measures_stay_whole_and_vague_ones_are_dropped() -> None:
    f = facts_of("More than 20 hard-working staff will lose their jobs.")
    assert ("more than 20", "hard-working staff") in {(x.value, x.measure) for x in f.figures}
    assert facts_of("The figure rose to 11 now.").figures == []


def test_a_succession_without_a_post_takes_the_post_the_story_leads_with() -> None:
    text = ("Northfield Hospital names new chief executive\n\nJane Smith will join the hospital in May.\n\n"
            "She replaces John Brown.")
    parse = [(1, "compound"), (2, "nsubj"), (2, "ROOT", "name", "VERB"), (5, "amod"), (5, "amod"), (2, "dobj"),
             (5, "dep"), (8, "compound"), (10, "nsubj"), (10, "aux"), (2, "conj", "join", "VERB"), (12, "det"),
             (10, "dobj"), (10, "prep"), (13, "pobj"), (10, "punct"),
             (18, "dep"), (18, "nsubj", "she", "PRON"), (18, "ROOT", "replace", "VERB"), (20, "compound"), (18, "dobj"),
             (18, "punct")]
    f = facts_of(text, [("Northfield Hospital", "ORG"), JANE, JOHN], parse)
    assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("Jane Smith", "John Brown", "chief executive")]


def test_the_home_is_the_home_named_in_its_paragraph() -> None:
    text = ("Ashdale Care Home was closed last year.\n\nBeechdene House cares for 20 people. "
            "The CQC inspected the home on 6 December 2023.")
    f = facts_of(text, [("Ashdale Care Home", "ORG"), ("Beechdene House", "ORG"), ("CQC", "ORG")])
    insp = [e for e in f.events if e.type == "inspection"]
    assert insp and {p.name for p in insp[0].participants if p.role == "affected"} == {"Beechdene House"}


def test_a_title_owned_by_a_described_body() -> None:
    f = facts_of("Northfield Trust was rated good. Jane Smith, the trust's chief executive, said she was proud.",
                 [("Northfield Trust", "ORG"), JANE])
    assert ("Jane Smith", "chief executive", "Northfield Trust") in {(p.person, p.title, p.organisation) for p in f.posts}


def test_a_place_that_begins_a_schools_or_homes_name_is_its_short_form() -> None:
    f = facts_of("Staff at Heycroft were told. Heycroft Primary School was inspected. Bradford met Bradford Council.",
                 [("Heycroft", "PLACE"), ("Heycroft Primary School", "ORG"), ("Bradford", "PLACE"), ("Bradford Council", "ORG")])
    kinds = {(m.evidence.text, m.kind, m.name) for m in f.mentions}
    assert ("Heycroft", "ORG", "Heycroft Primary School") in kinds
    assert ("Bradford", "PLACE", "Bradford") in kinds  # a council is named after its place


def test_a_persons_first_name_is_no_place() -> None:
    f = facts_of("Star was 16 months old. Star Hobson died in 2020.", [("Star", "PLACE"), ("Star Hobson", "PERSON")])
    assert {(m.kind, m.name) for m in f.mentions} == {("PERSON", "Star Hobson")}


def test_a_defined_acronym_is_the_body_wherever_it_is_used() -> None:
    trust = ("South East Essex Academy Trust", "ORG")
    f = facts_of("South East Essex Academy Trust (SEEAT) took over. Andrew Cooper, chief executive of SEEAT, spoke. "
                 "Newham PDU met.", [trust, ("Andrew Cooper", "PERSON"), ("Newham PDU", "ORG")])
    assert [(p.person, p.organisation) for p in f.posts] == [("Andrew Cooper", "South East Essex Academy Trust")]
    assert sum(1 for m in f.mentions if m.name == "South East Essex Academy Trust") == 2  # the definition is one


def test_a_kind_of_body_as_acronym_does_not_spread() -> None:
    f = facts_of("Lewisham Probation Delivery Unit (PDU) failed. Newham PDU passed.",
                 [("Lewisham Probation Delivery Unit", "ORG")])
    assert sum(1 for m in f.mentions if m.name == "Lewisham Probation Delivery Unit") == 1
