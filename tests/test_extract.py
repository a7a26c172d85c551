"""Extractors on small hand-written texts, through the real pipeline (marked: loads the model)."""
import pytest

from kg import ingest, nlp
from kg.extract import extract

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipeline():
    return nlp.create()


def run(pipeline, text, published=""):
    art = ingest.from_text(text, "t")
    if published:
        from dataclasses import replace
        art = replace(art, published=published)
    return extract(pipeline(art.text), art)


def test_title_before_name_makes_a_post(pipeline):
    f = run(pipeline, "Headline\n\nChief executive Jane Doe of Exampleshire County Council said the plan was sound.")
    assert [(p.person, p.title) for p in f.posts] == [("Jane Doe", "chief executive")]


def test_quote_attributed_and_continued(pipeline):
    f = run(pipeline, 'Headline\n\nCouncil leader Sarah Williams said: "We have a lot to do and we will do it.\n\n'
                      '"Nobody should doubt our resolve to improve."')
    assert [q.speaker for q in f.quotes] == ["Sarah Williams", "Sarah Williams"]


def test_scare_quote_is_not_a_quote(pipeline):
    f = run(pipeline, "Headline\n\nThe service was called ‘failing’ by Tom Brown.")
    assert f.quotes == []


def test_rating_with_date_and_inspector(pipeline):
    f = run(pipeline, "Headline\n\nOfsted rated Exampleshire County Council inadequate in July 2019.")
    assert [(r.level, r.date, r.inspector) for r in f.ratings] == [("inadequate", "2019-07", "Ofsted")]


def test_hypothetical_appointment_is_proposed(pipeline):
    f = run(pipeline, "Headline\n\nThe minister may appoint Ann Lee as commissioner in 2020.")
    assert f.events and all(e.modality == "proposed" for e in f.events if e.type == "appointment")


def test_unanchored_relative_date_is_empty(pipeline):
    f = run(pipeline, "Headline\n\nJohn Smith resigned last month.")
    assert [(e.type, e.date) for e in f.events] == [("resignation", "")]


def test_figure_with_qualifier(pipeline):
    f = run(pipeline, "Headline\n\nSocial workers had more than 35 children each in 2019.")
    assert [(x.value, x.measure) for x in f.figures] == [("more than 35", "children each")]


def test_post_dates_from_appointment_and_resignation(pipeline):
    f = run(pipeline, "Headline\n\nCommissioner Tom Baxter was appointed in March 2017. "
                      "Commissioner Tom Baxter resigned in May 2019.")
    post = next(p for p in f.posts if p.person == "Tom Baxter")
    assert (post.start, post.end, post.status) == ("2017-03", "2019-05", "former")
