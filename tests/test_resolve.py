"""Resolution and IRI minting on hand-made mentions (no NLP model needed)."""
from kg.rdf import entity_iri
from kg.model import Article, ArticleFacts, Evidence, Mention
from kg.resolve import key_of, resolve


def _m(name, kind, art="a", form="name", org_type="", acronym=""):
    ev = Evidence(art, 0, len(name), name, 0, len(name), name)
    return Mention(name, kind, ev, org_type, form, acronym)


def _facts(art, *ms):
    return ArticleFacts(Article(art, "t", "x"), list(ms))


def test_keys_are_normalised():
    assert key_of("Mr Malcolm Newsam", "PERSON") == "person/malcolm-newsam"
    assert key_of("Northamptonshire Safeguarding Children Board", "ORG") == key_of(
        "Northamptonshire Children Safeguarding Board", "ORG")
    assert key_of("Council’s", "ORG") == key_of("Council", "ORG")
    assert entity_iri(key_of("Ofsted", "ORG")).endswith("/org/ofsted>")


def test_surname_and_acronym_resolve_across_articles():
    res = resolve([
        _facts("a", _m("Malcolm Newsam", "PERSON"), _m("Safeguarding Board X", "ORG", acronym="SBX")),
        _facts("b", _m("Newsam", "PERSON", "b"), _m("SBX", "ORG", "b")),
    ])
    people = [e for e in res.entities.values() if e.kind == "PERSON"]
    assert [(p.label, sorted(p.articles)) for p in people] == [("Malcolm Newsam", ["a", "b"])]
    orgs = [e for e in res.entities.values() if e.kind == "ORG"]
    assert len(orgs) == 1 and "SBX" in orgs[0].aliases


def test_ambiguous_surname_is_not_guessed():
    res = resolve([_facts("a", _m("Anna Smith", "PERSON"), _m("Bob Smith", "PERSON")),
                   _facts("b", _m("Smith", "PERSON", "b"))])
    assert sorted(e.label for e in res.entities.values()) == ["Anna Smith", "Bob Smith"]
    assert all("b" not in e.articles for e in res.entities.values())


def _report(art, *parts):
    from kg.model import Event, Participant
    ev = Evidence(art, 0, 6, "report", 0, 6, "report")
    return Event("report", "published", "", [Participant(n, "ORG", r) for n, r in parts], "", "asserted", ev, "t")


def test_undated_events_about_no_one_stay_in_their_article():
    """Three articles' "the CQC published its report today" are three reports, even when one of them names its trust."""
    from kg.resolve.merge import merge_facts
    fa, fb, fc = _facts("a", _m("Care Quality Commission", "ORG")), _facts("b", _m("Care Quality Commission", "ORG", "b")), \
        _facts("c", _m("Care Quality Commission", "ORG", "c"), _m("Queen Elizabeth Hospital NHS Trust", "ORG", "c"))
    fa.events = [_report("a", ("Care Quality Commission", "agent"))]
    fb.events = [_report("b", ("Care Quality Commission", "agent"))]
    fc.events = [_report("c", ("Care Quality Commission", "agent"), ("Queen Elizabeth Hospital NHS Trust", "affected"))]
    res = resolve([fa, fb, fc])
    ids = merge_facts([fa, fb, fc], res)
    assert len({ids[("event", a, 0)] for a in "abc"}) == 3


def test_the_same_intervention_told_with_and_without_its_inspector_is_one_event():
    from kg.model import Event, Participant
    from kg.resolve.merge import merge_facts
    f = _facts("a", _m("HMP Nottingham", "ORG"), _m("Peter Clarke", "PERSON"))
    ev = Evidence("a", 0, 6, "notice", 0, 6, "notice")
    f.events = [Event("intervention", "urgent notification", "2018-01-17",
                      [Participant("Peter Clarke", "PERSON", "agent"), Participant("HMP Nottingham", "ORG", "affected")],
                      "", "asserted", ev, "t"),
                Event("intervention", "urgent notification", "2018-01-17",
                      [Participant("HMP Nottingham", "ORG", "affected")], "", "asserted", ev, "t")]
    ids = merge_facts([f], resolve([f]))
    assert ids[("event", "a", 0)] == ids[("event", "a", 1)]
