"""The ontology and the code use the same terms; the ontology and the shapes parse."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from conftest import ROOT
from kg.views.query import named_queries
from kg.domain.vocab import KG, KG_BASE

ONTOLOGY = ROOT / "kg" / "domain" / "ontology" / "kg.ttl"
SHAPES = ROOT / "kg" / "domain" / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def kg_terms_in(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(KG_BASE)}


def test_ontology_and_shapes_parse(onto):
    shapes = Graph().parse(SHAPES, format="turtle")
    assert len(onto) > 100 and (URIRef(KG_BASE.rstrip("#")), RDF.type, OWL.Ontology) in onto
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) >= 10


def test_every_vocab_term_is_declared_with_label_and_comment(onto):
    terms = [KG[name] for name in dir(KG) if not name.startswith("_")]
    assert len(terms) > 50
    missing = [t for t in terms if onto.value(t, RDF.type) is None]
    unlabelled = [t for t in terms if onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None]
    assert not missing, f"not declared in ontology/kg.ttl: {missing}"
    assert not unlabelled, f"no rdfs:label or rdfs:comment: {unlabelled}"


def test_every_declared_term_is_in_vocab(onto):
    """The closed namespace and the ontology list the same terms, so code cannot use an undeclared one."""
    in_vocab = {KG[name] for name in dir(KG) if not name.startswith("_")}
    in_onto = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KG_BASE)}
    assert in_onto <= in_vocab, f"declared but not in kg.domain.vocab: {sorted(in_onto - in_vocab)}"


def test_every_term_a_build_emits_is_declared(onto, seed_build):
    g = Graph().parse(seed_build / "graph.ttl", format="turtle")
    used = kg_terms_in(g)
    assert KG.Article in used and KG.evidence in used
    undeclared = sorted(t for t in used if onto.value(t, RDF.type) is None
                        or onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None)
    assert not undeclared, f"emitted but not declared with label and comment: {undeclared}"


def test_shapes_and_queries_use_declared_terms(onto):
    shapes = Graph().parse(SHAPES, format="turtle")
    used = kg_terms_in(shapes)
    for text in named_queries().values():
        used |= {URIRef(KG_BASE + m) for m in re.findall(r"\bkg:([A-Za-z_][\w-]*)", text)}
    assert len(used) > 30
    undeclared = sorted(t for t in used if onto.value(t, RDF.type) is None)
    assert not undeclared, f"used in shapes or queries but not declared: {undeclared}"


def test_shapes_target_every_class_a_build_uses(seed_build, onto):
    """Every kg: class in the data is covered by a shape on it or on one of its superclasses."""
    shapes = Graph().parse(SHAPES, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    g = Graph().parse(seed_build / "graph.ttl", format="turtle")
    classes = {c for c in g.objects(None, RDF.type) if str(c).startswith(KG_BASE)}
    uncovered = sorted(c for c in classes
                       if not set(onto.transitive_objects(c, RDFS.subClassOf)) & targeted)
    assert not uncovered, f"no shape covers {uncovered}"
