"""Integration: build the five seed articles and score them against the gold answers."""
import pytest
import rdflib
import pyoxigraph as ox

from kg.views.evaluate import evaluate
from kg.views.query import named_queries, run

from conftest import GOLD

pytestmark = pytest.mark.model
ENTITY_QS = ("people", "organisations", "places", "mentions")


def test_seed_scores(seed_build):
    result = evaluate(GOLD, seed_build)
    q = result["questions"]
    for name in ENTITY_QS:
        assert q[name]["f1"] >= 0.9, (name, q[name])
    for name, r in q.items():
        assert r["f1"] >= 0.75, (name, r)
    assert result["macro_f1"] >= 0.85


def test_turtle_parses_to_same_count_in_rdflib_and_oxigraph(seed_build):
    g = rdflib.Graph().parse(seed_build / "graph.ttl")
    st = ox.Store()
    st.bulk_load(path=str(seed_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(g) == len(st) > 500


def test_named_queries_give_same_rows_on_turtle(seed_build):
    for name, text in named_queries().items():
        a = sorted(map(tuple, run(seed_build, text).rows))
        b = sorted(map(tuple, run(seed_build / "graph.ttl", text).rows))
        assert a == b, name


def test_html_has_no_remote_resources(seed_build):
    html = (seed_build / "graph.html").read_text()
    assert "https://" not in html.split("<body", 1)[0] and "network" in html


def test_unseen_domains_score(tmp_path):
    """Hand-written hospital, school, council and police articles: the rules must carry over."""
    from kg.build import build

    from conftest import ROOT

    build([ROOT / "tests" / "data" / "unseen"], tmp_path, html=False)
    result = evaluate(ROOT / "tests" / "data" / "unseen-gold.json", tmp_path)
    for name, r in result["questions"].items():
        assert r["f1"] >= 0.75, (name, r)
    assert result["macro_f1"] >= 0.9
