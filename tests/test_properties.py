"""Property tests: any text goes through ingest, extraction and graph writing without an
exception, and the graph always round-trips through Turtle."""
from __future__ import annotations

import rdflib
import rdflib.compare
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import ingest
from kg.extract import extract
from kg.graph import build_dataset, union_graph
from kg.resolve import resolve

# Text with the characters that break naive code: quotes, brackets, markup, controls, emoji.
ALPHABET = st.sampled_from(list("abcXYZ .,;:!?'\"“”‘’()[]<>&/\\-–\n\t\x00\x07\u200b\ufeffé中🙂£%0123456789"))
WORDS = st.sampled_from(["Council", "Ofsted", "said", "Mr", "Smith", "rated", "inadequate", "in", "2019",
                         "“", "”", "'", "the", "trust", "£5m", "per cent", "<script>", "&amp;", "\n\n"])
TEXT = st.one_of(st.text(alphabet=ALPHABET, max_size=300), st.lists(WORDS, max_size=60).map(" ".join),
                 st.text(max_size=200))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(TEXT)
def test_clean_never_raises_and_keeps_no_nul(text):
    art = ingest.clean(text, "a")
    assert "\x00" not in art.text
    assert art.title == (art.text.split("\n\n")[0] if art.text else "")


@SETTINGS
@given(TEXT, TEXT)
def test_extract_and_graph_round_trip(blank_nlp, a, b):
    arts = [ingest.from_text(a, "one"), ingest.from_text(b, "two<&>\"")]
    facts = [extract(blank_nlp(x.text), x) for x in arts]
    g = union_graph(build_dataset(facts, resolve(facts)))
    data = g.serialize(format="turtle")
    again = rdflib.Graph().parse(data=data, format="turtle")
    assert len(again) == len(g)
    assert rdflib.compare.isomorphic(again, g)


@SETTINGS
@given(st.binary(max_size=300))
def test_decode_any_bytes(data):
    try:
        text = ingest.decode(data, "x")
    except ingest.SkipFile as e:
        assert str(e)
    else:
        assert isinstance(text, str)
