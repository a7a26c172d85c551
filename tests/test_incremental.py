"""Incremental writes (kg.update): a build that adds, changes or removes articles rewrites only what
they touch, and its outputs are byte for byte those of a fresh build of the same articles, even
when the change reaches other articles through resolution (a surname that now names someone
else, an event whose first report goes). No model: the articles' facts are made here."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build as build_mod
from kg import update
from kg.model import Article, ArticleFacts, Event, Evidence, Mention, Participant, Post, Quote, Rating
from kg.store import STORE_DIR, TURTLE


def ev(aid: str, start: int, text: str, sentence: str = "") -> Evidence:
    sentence = sentence or f"{text} was in the news."
    return Evidence(aid, start, start + len(text), text, start, start + len(sentence), sentence)


def article(aid: str, people: list[str] = (), orgs: list[str] = (), events: list[tuple] = (),
            posts: list[tuple] = (), ratings: list[tuple] = (), quotes: list[tuple] = ()) -> ArticleFacts:
    """One article's facts: mentions of ``people`` and ``orgs``; events (type, date, [people], [orgs]);
    posts (person, title, organisation); ratings (body, level, date); quotes (speaker, text)."""
    f = ArticleFacts(article=Article(aid, f"Title of {aid}", f"Text of {aid}.", "2021-03-01", f"{aid}.txt", "",
                                     "ab" * 32, ""))
    pos = 0
    for name in people:
        f.mentions.append(Mention(name, "PERSON", ev(aid, pos, name)))
        pos += 40
    for name in orgs:
        f.mentions.append(Mention(name, "ORG", ev(aid, pos, name), org_type="local_authority"))
        pos += 40
    for typ, date, who, bodies in events:
        parts = [Participant(p, "PERSON", "appointee") for p in who] + [Participant(o, "ORG", "agent") for o in bodies]
        f.events.append(Event(typ, "appointed", date, parts, evidence=ev(aid, pos, "appointed"), rule="t-event"))
        pos += 40
    for person, title, org in posts:
        f.posts.append(Post(person, title, org, "current", evidence=ev(aid, pos, title), rule="t-post"))
        pos += 40
    for body, level, date in ratings:
        f.ratings.append(Rating(body, level, date, "Ofsted", evidence=ev(aid, pos, level), rule="t-rating"))
        pos += 40
    for speaker, text in quotes:
        f.quotes.append(Quote(speaker, "PERSON", text, ev(aid, pos, text), rule="t-quote"))
        pos += 40
    return f


def write(out: Path, facts: list[ArticleFacts], new: list[str] = (), drop: list[str] = (), html: bool = False):
    report = build_mod.BuildReport(out=out)
    build_mod.finish(facts, out, report, html=html, write=set(new) if new else {f.article.id for f in facts},
                     fp="fp", drop=set(drop))
    return report


def quads(out: Path) -> set[tuple[str, str, str, str]]:
    st = ox.Store.read_only(str(out / STORE_DIR))
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in st}


def assert_same(a: Path, b: Path) -> None:
    assert (a / TURTLE).read_bytes() == (b / TURTLE).read_bytes()
    assert quads(a) == quads(b)
    sa, sb = ox.Store.read_only(str(a / STORE_DIR)), ox.Store.read_only(str(b / STORE_DIR))
    assert sorted(map(str, sa.named_graphs())) == sorted(map(str, sb.named_graphs()))
    answers = sorted(p.name for p in (a / "answers").glob("*.jsonl"))
    assert answers == sorted(p.name for p in (b / "answers").glob("*.jsonl")) and answers
    for name in answers:
        assert (a / "answers" / name).read_bytes() == (b / "answers" / name).read_bytes(), name
    ka, kb = (json.loads((x / "facts" / "outputs.key").read_text()) for x in (a, b))
    assert ka == kb


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records which way each write went: "changes" (in place) or "all" (from scratch)."""
    seen: list[str] = []
    changes, everything = update.write_changes, build_mod._write_all

    def spy_changes(*args, **kwargs):
        done = changes(*args, **kwargs)
        if done is not None:
            seen.append("changes")
        return done

    def spy_all(*args, **kwargs):
        seen.append("all")
        return everything(*args, **kwargs)

    monkeypatch.setattr(update, "MOST", 1.0)  # in place however many of these few articles change
    monkeypatch.setattr(update, "write_changes", spy_changes)
    monkeypatch.setattr(build_mod, "_write_all", spy_all)
    return seen


def corpus() -> list[ArticleFacts]:
    return [
        article("a1", people=["Malcolm Newsam", "Newsam"], orgs=["Sandwell Council"],
                events=[("appointment", "2021-03-01", ["Malcolm Newsam"], ["Sandwell Council"])],
                posts=[("Malcolm Newsam", "commissioner", "Sandwell Council")],
                ratings=[("Sandwell Council", "inadequate", "2019-05")],
                quotes=[("Newsam", "We will improve.")]),
        article("a2", people=["Newsam", "Jane Doe"], orgs=["Sandwell Council", "Leeds City Council"],
                events=[("appointment", "2021-03", ["Newsam"], ["Sandwell Council"])],
                posts=[("Newsam", "commissioner", ""), ("Jane Doe", "chief executive", "Leeds City Council")],
                ratings=[("Sandwell Council", "inadequate", "2019-05")]),
        article("a3", people=["Jane Doe", "Doe"], orgs=["Leeds City Council"],
                posts=[("Doe", "chief executive", "Leeds City Council")],
                quotes=[("Doe", "It is a fresh start.")]),
    ]


def fresh(tmp_path: Path, name: str, facts: list[ArticleFacts]) -> Path:
    out = tmp_path / name
    write(out, facts)
    return out


def test_add_change_and_remove_write_in_place_and_equal_a_fresh_build(tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2])
    assert paths == ["all"]  # no state yet
    write(out, [a1, a2, a3], new=["a3"])  # add
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f1", [a1, a2, a3]))
    a3b = article("a3", people=["Jane Doe"], orgs=["Leeds City Council"],
                  posts=[("Jane Doe", "interim chief executive", "Leeds City Council")])
    write(out, [a1, a2, a3b], new=["a3"])  # change
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f2", [a1, a2, a3b]))
    write(out, [a1, a3b], drop=["a2"], new=[])  # remove
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f3", [a1, a3b]))


def test_an_added_article_that_makes_a_surname_ambiguous_rewrites_the_articles_using_it(
        tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2, a3])
    before = (out / TURTLE).read_text()
    assert "person/malcolm-newsam" in before
    # "Peter Newsam" makes "Newsam" ambiguous: a1's and a2's "Newsam" no longer name Malcolm Newsam
    a4 = article("a4", people=["Peter Newsam"], quotes=[("Peter Newsam", "Hello.")])
    write(out, [a1, a2, a3, a4], new=["a4"])
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f1", [a1, a2, a3, a4]))
    # and taking it out again gives the first graph back
    write(out, [a1, a2, a3], drop=["a4"], new=[])
    assert paths[-1] == "changes"
    assert (out / TURTLE).read_text() == before
    assert_same(out, fresh(tmp_path, "f2", [a1, a2, a3]))


def test_an_added_article_that_merges_two_people_through_a_surname(tmp_path: Path, paths: list[str]) -> None:
    # "Mr Okafor" (read as the one word "Okafor") is nobody until an article names him in full;
    # the same added article's "Okafor Partners" post then joins the quote of the first article
    b1 = article("b1", people=["Okafor"], quotes=[("Okafor", "We are listening.")],
                 posts=[("Okafor", "leader", "Wexmoor Council")], orgs=["Wexmoor Council"])
    b2 = article("b2", people=["Ade Okafor"], orgs=["Wexmoor Council"],
                 posts=[("Ade Okafor", "council leader", "Wexmoor Council")])
    out = tmp_path / "inc"
    write(out, [b1])
    write(out, [b1, b2], new=["b2"])
    assert paths[-1] == "changes"
    assert "person/ade-okafor" in (out / TURTLE).read_text()
    assert_same(out, fresh(tmp_path, "f", [b1, b2]))


def test_removing_an_events_first_report_renames_the_event_in_the_others(tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2, a3])
    # a1 is the first report of the appointment a2 also reports, and of the rating: its removal
    # moves both facts' ids (minted from the first member) to a2's
    write(out, [a2, a3], drop=["a1"], new=[])
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f", [a2, a3]))


def test_an_unchanged_rewrite_and_a_lost_state_fall_back_or_stay_right(tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2])
    (out / update.STATE).unlink()
    write(out, [a1, a2, a3], new=["a3"])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f", [a1, a2, a3]))
    (out / update.STATE).write_bytes(b"not a pickle")
    write(out, [a1, a2], drop=["a3"], new=[])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f2", [a1, a2]))


def test_state_of_other_outputs_is_not_used(tmp_path: Path, paths: list[str]) -> None:
    """A state left from other outputs (here: an older build's, put back by hand) is ignored."""
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2])
    old = (out / update.STATE).read_bytes()
    write(out, [a1, a2, a3], new=["a3"])
    (out / update.STATE).write_bytes(old)
    write(out, [a1, a2], drop=["a3"], new=[])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f", [a1, a2]))


def test_corrections_take_the_full_path(tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2])
    fixes = b'[[correction]]\nid = 1\nkind = "reject"\ntarget = "Jane Doe"\nkey = "person/jane-doe"\ndate = "2024-01-01"\n'
    (out / "corrections.toml").write_bytes(fixes)
    write(out, [a1, a2, a3], new=["a3"])
    assert "changes" not in paths
    ref = tmp_path / "f"
    ref.mkdir()
    (ref / "corrections.toml").write_bytes(fixes)
    write(ref, [a1, a2, a3])
    assert_same(out, ref)
    assert not (out / update.STATE).exists()


def test_html_builds_write_in_place_too(tmp_path: Path, paths: list[str]) -> None:
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2], html=True)
    write(out, [a1, a2, a3], new=["a3"], html=True)
    assert paths[-1] == "changes"
    ref = tmp_path / "f"
    write(ref, [a1, a2, a3], html=True)
    assert_same(out, ref)
    assert (out / "graph.html").read_bytes() == (ref / "graph.html").read_bytes()


def test_many_changes_take_the_full_path(tmp_path: Path, paths: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update, "MOST", 0.5)
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1])
    write(out, [a1, a2, a3], new=["a2", "a3"])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f", [a1, a2, a3]))


def test_turtle_index_matches_blocks() -> None:
    data = b"@prefix a: <x:> .\n\n<x:s> a:p 1 .\n\n<x:t> a:p 2 ;\n\ta:q 3 .\n"
    assert update.turtle_index(data, ["<x:s>", "<x:t>"]) == [18, 33]
    assert update.turtle_index(data, ["<x:s>"]) is None


def test_unchanged_source_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from kg import ingest

    src = tmp_path / "src"
    src.mkdir()
    old = time.time() - 60
    for name, text in (("a.txt", "Alpha council news.\n\nJane Doe spoke."), ("b.txt", "Beta news.\n\nJohn Roe spoke.")):
        (src / name).write_text(text, encoding="utf-8")
        os.utime(src / name, (old, old))
    memo = ingest.Memo("code")
    first, _ = ingest.load([src], memo)
    assert memo.changed and len(memo.files) == 2
    memo = ingest.Memo.from_json(memo.to_json(), "code")
    reads: list[Path] = []
    real = ingest.read_file
    monkeypatch.setattr(ingest, "read_file", lambda p: reads.append(p) or real(p))
    again, _ = ingest.load([src], memo)
    assert again == first and reads == [] and not memo.changed
    # the same size, another modification time: read again
    (src / "a.txt").write_text("Gamma council news.\n\nJane Doe spoke.", encoding="utf-8")
    os.utime(src / "a.txt", (old + 5, old + 5))
    changed, _ = ingest.load([src], memo)
    assert reads == [src / "a.txt"] and changed[0].text.startswith("Gamma") and changed[1] == first[1]
    # a file modified just now is read, and not trusted to the memo until its time is past
    reads.clear()
    (src / "b.txt").write_text("Delta news.\n\nJohn Roe spoke.", encoding="utf-8")
    assert ingest.load([src], memo)[0][1].text.startswith("Delta") and reads == [src / "b.txt"]
    assert ingest.load([src], memo)[0][1].text.startswith("Delta") and reads == [src / "b.txt"] * 2
    # other cleaning code: nothing is reused
    assert ingest.Memo.from_json(memo.to_json(), "other code").files == {}


def test_turtle_keys_from_the_text_are_the_stores(tmp_path: Path) -> None:
    """graph.ttl is sorted from the N-Triples text the build wrote (while the store loads): its keys
    are those of the store's own dump, control characters and non-canonical numbers included."""
    from kg.formats import union_in_turtle_order, union_keys_of_text
    from kg.rdf.terms import XSD, Literal

    xsd_int, xsd_dec = XSD.integer, XSD.decimal
    objects = [Literal("tab\there"), Literal("bell\x07 and \x7f"), Literal('quote " and \\ slash'),
               Literal("line\nbreak\r"), Literal("\ufffe odd"), Literal("007", xsd_int), Literal("7", xsd_int),
               Literal("1.50", xsd_dec), Literal("2021-03-01", XSD.date), Literal("2021", XSD.gYear),
               Literal("not a date", XSD.date), "<https://example.org/o>", Literal("plain")]
    lines = [f"<https://example.org/s{i % 3}> <https://example.org/p> {o} .\n" for i, o in enumerate(objects)]
    nt = tmp_path / "union.nt"
    nt.write_text("".join(lines + lines[:4]), encoding="utf-8")
    st = ox.Store()
    st.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    assert union_keys_of_text(nt) == union_in_turtle_order(st, tmp_path / "dump.nt")


def test_outputs_changed_by_hand_are_written_again_whole(tmp_path: Path, paths: list[str]) -> None:
    """A graph.ttl or a store changed since the last build (by hand, 'kg serve --writable') is not
    patched: the next write makes them anew, as a fresh build would."""
    a1, a2, a3 = corpus()
    out = tmp_path / "inc"
    write(out, [a1, a2])
    with open(out / TURTLE, "a", encoding="utf-8") as fh:
        fh.write("\n# a note\n")
    write(out, [a1, a2, a3], new=["a3"])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f1", [a1, a2, a3]))
    st = ox.Store(str(out / STORE_DIR))
    st.update("INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }")
    del st
    write(out, [a1, a2], drop=["a3"], new=[])
    assert paths[-1] == "all"
    assert_same(out, fresh(tmp_path, "f2", [a1, a2]))
    write(out, [a1, a2, a3], new=["a3"])
    assert paths[-1] == "changes"


def test_removing_the_last_fact_leaves_no_empty_facts_graph(tmp_path: Path, paths: list[str]) -> None:
    a1 = article("a1", people=["Jane Doe"], orgs=["Leeds City Council"],
                 posts=[("Jane Doe", "chief executive", "Leeds City Council")])
    a2 = article("a2", people=["Jane Doe"], quotes=[("Jane Doe", "Hello.")])
    out = tmp_path / "inc"
    write(out, [a1, a2])
    write(out, [a2], drop=["a1"], new=[])
    assert paths[-1] == "changes"
    assert_same(out, fresh(tmp_path, "f", [a2]))
