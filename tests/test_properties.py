"""Property tests: any text goes through ingest, extraction and graph writing without an
exception, and the graph always round-trips through Turtle."""
from __future__ import annotations

import rdflib
import rdflib.compare
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import ingest
from kg.extract import extract
from kg.rdf import build_dataset, union_graph
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


# --- output safety: IRIs minted from any text are valid, literals escaped, results never break ---

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pyoxigraph as ox  # noqa: E402

from kg.views import query as kgquery  # noqa: E402
from kg.build import write_outputs  # noqa: E402
from kg.rdf import article_graph, article_iri, entity_iri, fact_iri, safe  # noqa: E402
from kg.resolve.entities import KIND_PATH, key_of, slug, words  # noqa: E402

# RFC 3987: no spaces, controls, <>"{}|^`\ anywhere in an IRI
IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
ANY = st.text(max_size=80)


def assert_iri(iri: str) -> None:
    if iri.startswith("<") and iri.endswith(">"):  # a term from kg.rdf: the IRI in its N-Triples brackets
        iri = iri[1:-1]
    assert not IRI_BAD.search(iri), iri
    ox.NamedNode(iri)  # Oxigraph's IRI parser raises ValueError on an invalid IRI
    rdflib.Graph().parse(data=f"<{iri}> <http://x/p> \"1\" .", format="nt")


@SETTINGS
@given(ANY, st.sampled_from(sorted(KIND_PATH)), st.lists(ANY, max_size=4))
def test_every_minted_iri_is_valid(text, kind, parts):
    assert_iri(article_iri(text))
    assert_iri(article_graph(text))
    assert_iri(entity_iri(key_of(text, kind)))
    assert_iri(fact_iri("event", text, *parts))
    assert_iri("https://w3id.org/newskg/id/x/" + safe(text))
    assert_iri("https://w3id.org/newskg/id/x/" + slug(words(text)))


@given(ANY)
def test_entity_iri_is_valid_even_from_raw_text(text):
    """Keys are made of words() output, but an IRI stays valid whatever reaches entity_iri."""
    assert_iri(entity_iri("person/" + text))
    assert_iri(entity_iri(text))


def _parse_all(ttl: Path) -> int:
    """Parse ``ttl`` with rdflib, pyoxigraph and (when installed) rapper; return the triple count."""
    n = len(rdflib.Graph().parse(ttl, format="turtle"))
    assert len(list(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))) == n
    if shutil.which("rapper"):
        run = subprocess.run(["rapper", "-i", "turtle", "-c", str(ttl)], capture_output=True, text=True)
        assert run.returncode == 0 and f"returned {n} triple" in run.stderr, run.stderr
    return n


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ANY, TEXT, ANY, TEXT)
def test_graph_ttl_from_any_ids_and_text_parses_everywhere(blank_nlp, id_a, a, id_b, b):
    arts = [ingest.from_text(a, id_a or "a"), ingest.from_text(b, (id_b or "b") + "\x01")]
    if arts[0].id == arts[1].id:
        return
    facts = [extract(blank_nlp(x.text), x) for x in arts]
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        write_outputs(facts, resolve(facts), out, html=False)
        assert _parse_all(out / "graph.ttl") > 0
        g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
        ids = {str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/identifier"))}
        titles = {str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/headline"))}
    assert ids == {x.id for x in arts}  # literals escaped and read back exactly
    assert titles == {x.title for x in arts if x.title}


@SETTINGS
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_query_csv_and_json_round_trip_any_label(labels):
    st_ = ox.Store()
    for i, label in enumerate(labels):
        st_.add(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode("http://x/label"), ox.Literal(label)))
    res = kgquery.run(st_, "SELECT ?s ?label WHERE { ?s <http://x/label> ?label } ORDER BY ?s")
    want = [{"s": f"http://x/{i}", "label": label} for i, label in sorted(enumerate(labels), key=lambda p: f"http://x/{p[0]}")]
    rows = list(csv.DictReader(io.StringIO(kgquery.render(res, "csv"), newline="")))
    assert rows == want
    assert json.loads(kgquery.render(res, "json")) == want
    assert [json.loads(ln) for ln in kgquery.render(res, "ndjson").split("\n")[:-1]] == want  # U+2028 is not a break
    table = kgquery.render(res, "table")
    assert table.endswith(f"({len(labels)} row{'s' if len(labels) != 1 else ''})\n")
