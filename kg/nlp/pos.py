"""The attribute ruler's part-of-speech rules, without its cost.

A trained English pipeline maps fine tags to coarse parts of speech with an ``attribute_ruler``:
179 Matcher patterns in en_core_web_sm, each match turned into a Span and its attributes written
through a retokenizer, which costs about 7 ms per article — more than the parser's tagger. The
extractors read only what those rules say of ``pos``, ``tag`` and ``dep`` (never ``morph`` or
``lemma``; the lemmatizer is not loaded), so :class:`FastPos` compiles the ruler's own patterns
for those three attributes into lookups and applies them with the ruler's semantics: every
pattern is matched against the annotation as it was before the ruler ran, and for each token and
attribute the last matching pattern wins (the ruler sorts its matches by pattern order and writes
them in turn). The answer for one token's attributes (lower form, tag, dependency, ...) is
cached, so a token costs one dictionary lookup.

:func:`compile_rules` returns None for a pattern it cannot read exactly (an operator, an
attribute it has no getter for); the pipeline then keeps the real ruler.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token

#: Attributes the extractors read that an attribute ruler may set.
SET = ("POS", "TAG", "DEP")

_GETTERS: dict[str, Callable[[Token], Any]] = {
    "ORTH": lambda t: t.text, "TEXT": lambda t: t.text, "LOWER": lambda t: t.lower_,
    "NORM": lambda t: t.norm_, "SHAPE": lambda t: t.shape_, "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_, "POS": lambda t: t.pos_, "ENT_TYPE": lambda t: t.ent_type_,
    "IS_SPACE": lambda t: t.is_space, "IS_PUNCT": lambda t: t.is_punct, "IS_ALPHA": lambda t: t.is_alpha,
    "IS_DIGIT": lambda t: t.is_digit, "IS_LOWER": lambda t: t.is_lower, "IS_UPPER": lambda t: t.is_upper,
    "IS_TITLE": lambda t: t.is_title, "LIKE_NUM": lambda t: t.like_num, "IS_STOP": lambda t: t.is_stop,
}


def _test(value: Any) -> tuple[Callable[[Any], bool], frozenset | None] | None:
    """The Matcher's test of one attribute's value and, if it can only be true for a finite set of
    values, that set; None if it is not a test this module reads."""
    if not isinstance(value, dict):
        return (lambda v: v == value), frozenset([value])
    if len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        members = frozenset(arg)
        return (lambda v: v in members), members
    if op == "NOT_IN":
        others = frozenset(arg)
        return (lambda v: v not in others), None
    if op == "REGEX":
        rx = re.compile(arg)
        return (lambda v: isinstance(v, str) and rx.search(v) is not None), None
    return None


class Rules:
    """Compiled rules: single-token ones keyed on the attributes they read, and the rest."""

    def __init__(self, keys: tuple[str, ...], single: list, multi: list, finite: dict[int, frozenset]):
        self.keys = keys
        self.getters = tuple(_GETTERS[k] for k in keys)
        # an attribute every test of which is true only for listed values: any other value is as
        # good as None, so the cache holds one entry per listed value (not one per word)
        self.finite = finite
        self.single = single  # (order, {key position: test}, {attr: value})
        self.multi = multi    # (order, [{key: test}...], index, {attr: value})
        self.cache: dict[tuple, tuple[tuple[str, int, str], ...]] = {}

    def key(self, tok: Token) -> tuple:
        """What the single-token rules can tell apart about ``tok``."""
        values = [g(tok) for g in self.getters]
        for i, listed in self.finite.items():
            if values[i] not in listed:
                values[i] = None
        return tuple(values)

    def for_token(self, key: tuple) -> tuple[tuple[str, int, str], ...]:
        """(attribute, order of the winning rule, value) for each attribute the single-token rules
        set on a token whose read attributes are ``key``."""
        got = self.cache.get(key)
        if got is None:
            won: dict[str, tuple[int, str]] = {}
            for order, tests, attrs in self.single:
                if all(test(key[i]) for i, test in tests.items()):
                    for attr, value in attrs.items():
                        won[attr] = (order, value)  # rules are in order: the last match wins
            got = self.cache[key] = tuple((a, o, v) for a, (o, v) in sorted(won.items()))
        return got


def compile_rules(patterns: Iterable[dict]) -> Rules | None:
    """The rules of an attribute ruler's ``patterns`` (as ``AttributeRuler.patterns`` lists them)
    for the attributes in :data:`SET`, or None if one of them cannot be compiled exactly."""
    singles: list[tuple[int, dict[str, Any], dict[str, str]]] = []
    multi = []
    keys: list[str] = []
    finite: dict[str, frozenset | None] = {}
    for order, entry in enumerate(patterns):
        attrs = {a: v for a, v in entry["attrs"].items() if a in SET}
        if not attrs:
            continue
        if not all(isinstance(v, str) for v in attrs.values()) or ("POS" in attrs and attrs["POS"] not in POS_IDS):
            return None
        for pattern in entry["patterns"]:
            if not isinstance(pattern, list) or not pattern:
                return None
            specs = []
            for spec in pattern:
                tests = {}
                for key, value in spec.items():
                    test = _test(value)
                    if key not in _GETTERS or test is None:
                        return None
                    tests[key] = test
                specs.append(tests)
            if len(specs) == 1:
                for key, (_, listed) in specs[0].items():
                    known = finite.get(key, frozenset())
                    finite[key] = None if listed is None or known is None else known | listed
            index = entry.get("index", 0)
            if not -len(specs) <= index < len(specs):
                return None
            specs = [{k: test for k, (test, _) in tests.items()} for tests in specs]
            if len(specs) == 1:
                keys += [k for k in specs[0] if k not in keys]
                singles.append((order, specs[0], attrs))
            else:
                multi.append((order, specs, index % len(specs), attrs))
    at = {k: i for i, k in enumerate(keys)}
    single = [(order, {at[k]: t for k, t in tests.items()}, attrs) for order, tests, attrs in singles]
    return Rules(tuple(keys), single, multi, {at[k]: v for k, v in finite.items() if v is not None and k in at})


class FastPos:
    """Sets ``pos``, ``tag`` and ``dep`` as the attribute ruler's rules would."""

    def __init__(self, rules: Rules):
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        rules = self.rules
        toks = list(doc)
        sets: list = [rules.for_token(rules.key(t)) for t in toks]
        for order, specs, index, attrs in rules.multi:  # matched on the annotation before any write
            n = len(specs)
            for start in range(len(toks) - n + 1):
                if all(all(test(_GETTERS[k](toks[start + j])) for k, test in spec.items())
                       for j, spec in enumerate(specs)):
                    i = start + index
                    won = {a: (o, v) for a, o, v in sets[i]}
                    for attr, value in attrs.items():
                        if attr not in won or won[attr][0] < order:
                            won[attr] = (order, value)
                    sets[i] = tuple((a, o, v) for a, (o, v) in won.items())
        for tok, attrs in zip(toks, sets):
            for attr, _, value in attrs:
                if attr == "POS":
                    tok.pos_ = value
                elif attr == "TAG":
                    tok.tag_ = value
                else:
                    tok.dep_ = value
        return doc


@Language.factory("kg_pos", assigns=["token.pos", "token.tag", "token.dep"], requires=["token.tag", "token.dep"])
def make_fast_pos(nlp: Language, name: str, source: str = "attribute_ruler") -> FastPos:
    rules = compile_rules(nlp.get_pipe(source).patterns)
    if rules is None:
        raise ValueError(f"{source}'s patterns cannot be compiled; keep the attribute ruler")
    return FastPos(rules)


def replace_attribute_ruler(nlp: Language) -> bool:
    """Put ``kg_pos`` in the attribute ruler's place and disable the ruler, if its patterns can be
    compiled exactly. Returns whether it did."""
    if "attribute_ruler" not in nlp.pipe_names or compile_rules(nlp.get_pipe("attribute_ruler").patterns) is None:
        return False
    nlp.add_pipe("kg_pos", after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    return True
