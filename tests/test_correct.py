"""Corrections ('kg correct'): each kind checked through the named queries, 'kg explain', a rebuild
and a fresh build with --corrections; list, undo, stale, ambiguous and broken-file cases; no model."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from kg.model import Article, ArticleFacts, Evidence, Mention, Post

NEWSAM = "https://w3id.org/newskg/id/person/malcolm-newsam"


# ------------------------------------------------------------------ helpers

@pytest.fixture
def folder(seed_build: Path, tmp_path: Path) -> Path:
    """A private copy of the seed build (the session's build stays untouched)."""
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    return out


def names(run_cli, store: Path, question: str, column: int = 0) -> list[str]:
    code, out, err = run_cli("query", "--named", question, "--store", store, "--format", "json")
    assert code == 0, err
    return [list(r.values())[column] for r in json.loads(out)]


def quads(store: Path) -> bytes:
    from kg.store import store_nquads

    return b"\n".join(sorted(store_nquads(store).splitlines()))


def fresh_build_matches(run_cli, folder: Path, tmp_path: Path) -> None:
    """A rebuild of the corrected folder keeps every correction, and a fresh build of the same
    articles with its corrections.toml gives byte-identical graph.ttl and the same store."""
    before = (folder / "graph.ttl").read_bytes()
    (folder / "facts" / "outputs.key").unlink()  # make the rebuild rewrite everything
    code, _, err = run_cli("build", SEEDS, "--out", folder)
    assert code == 0, err
    assert (folder / "graph.ttl").read_bytes() == before
    other = tmp_path / "other"
    code, _, err = run_cli("build", SEEDS, "--out", other, "--corrections", folder / "corrections.toml")
    assert code == 0, err
    assert (other / "graph.ttl").read_bytes() == before
    assert quads(other) == quads(folder)
    assert (other / "corrections.toml").read_bytes() == (folder / "corrections.toml").read_bytes()


def evidence(aid: str, text: str) -> Evidence:
    return Evidence(aid, 0, len(text), text, 0, len(text), text)


def corpus(*mentions: tuple[str, str, str]) -> list[ArticleFacts]:
    """Hand-made facts: (article, name, kind) mentions, and a post for every person."""
    out: dict[str, ArticleFacts] = {}
    for aid, name, kind in mentions:
        f = out.setdefault(aid, ArticleFacts(Article(aid, aid, f"text of {aid}")))
        f.mentions.append(Mention(name, kind, evidence(aid, name)))
        if kind == "PERSON":
            f.posts.append(Post(name, "chief executive", evidence=evidence(aid, name)))
    return list(out.values())


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A build folder written from hand-made facts (no model): two bodies and a place that share a name."""
    from kg.build import BuildReport, finish
    from kg.store import write_facts

    facts = corpus(("a1", "Jo Bloggs", "PERSON"), ("a1", "Kelsbury", "PLACE"), ("a2", "Kelsbury", "ORG"),
                   ("a2", "Joanne Bloggs", "PERSON"), ("a2", "Wexmoor Borough Council", "ORG"))
    out = tmp_path / "small"
    finish(facts, out, BuildReport(out=out), html=False)
    for f in facts:
        write_facts(out, f, "")
    return out


# ------------------------------------------------------------------ help and errors

def test_help_of_every_subcommand(run_cli) -> None:
    code, out, _ = run_cli("correct", "--help")
    assert code == 0 and "Example: kg correct merge" in out
    for sub in ("merge", "distinct", "reject", "set", "list", "undo"):
        code, out, err = run_cli("correct", sub, "--help")
        assert code == 0, err
        assert "Example: kg correct " + sub in " ".join(out.split()), out
        assert "--store" in out
    code, out, _ = run_cli("build", "--help")
    assert "--corrections" in out


def test_errors_are_one_line_and_write_nothing(run_cli, small: Path) -> None:
    before = (small / "graph.ttl").read_bytes()
    cases = [
        (("correct", "reject", "Nobody Here"), 1, "[E062]"),
        (("correct", "reject", "Kelsbury"), 1, "[E063]"),
        (("correct", "merge", "Jo Bloggs", "Jo Bloggs"), 1, "[E064]"),
        (("correct", "merge", "Jo Bloggs", "Wexmoor Borough Council"), 1, "[E072]"),
        (("correct", "set", "Jo Bloggs", "--type", "Spaceship"), 2, "[E066]"),
        (("correct", "set", "Jo Bloggs"), 2, "[E067]"),
        (("correct", "undo", "7"), 1, "[E068]"),
        (("correct", "reject", "https://w3id.org/newskg/id/post/0000000000000000"), 1, "[E062]"),
        (("correct", "set", "https://w3id.org/newskg/id/post/0000000000000000", "--label", "x"), 2, "[E070]"),
    ]
    for args, want, text in cases:
        code, out, err = run_cli(*args, "--store", small)
        assert code == want, (args, err)
        assert err.startswith("Error: " + text) and err.count("\n") == 1, (args, err)
        assert out == ""
    code, _, err = run_cli("correct", "list", "--store", small.parent / "missing")
    assert code == 1 and "[E007]" in err
    assert (small / "graph.ttl").read_bytes() == before
    assert not (small / "corrections.toml").exists()


def test_ambiguous_name_lists_candidates_and_an_iri_settles_it(run_cli, small: Path) -> None:
    code, _, err = run_cli("correct", "reject", "Kelsbury", "--store", small)
    assert code == 1
    assert "<https://w3id.org/newskg/id/org/kelsbury>" in err and "<https://w3id.org/newskg/id/place/kelsbury>" in err
    code, out, err = run_cli("correct", "reject", "https://w3id.org/newskg/id/place/kelsbury", "--store", small)
    assert code == 0, err
    assert names(run_cli, small, "places") == []
    assert names(run_cli, small, "organisations") == ["Kelsbury", "Wexmoor Borough Council"]


def test_broken_corrections_file_is_one_line_naming_the_line(run_cli, small: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("correct", "reject", "Jo Bloggs", "--store", small)
    assert code == 0, err
    path = small / "corrections.toml"
    good, graph = path.read_text(encoding="utf-8"), (small / "graph.ttl").read_bytes()
    lines = good.splitlines()
    broken = {
        "syntax": (lines[:8] + ['kind = "reject'] + lines[9:], "[E060]", "line 9"),
        "kind": (good.replace('kind = "reject"', 'kind = "delete"'), "[E061]", "line 7"),
        "field": (good + 'colour = "red"\n', "[E061]", "line 7"),
        "date": (good.replace('date = "', 'date = "20x'), "[E061]", "line 7"),
        "key": (good.replace('key = "person/', 'key = "people/'), "[E061]", "line 7"),
    }
    for what, (text, code_, where) in broken.items():
        path.write_text("\n".join(text) + "\n" if isinstance(text, list) else text, encoding="utf-8")
        for args in (("correct", "list", "--store", small), ("correct", "reject", "Kelsbury", "--store", small),
                     ("build", tmp_path / "nothing-here", "--out", small)):
            if args[0] == "build":
                (tmp_path / "nothing-here").mkdir(exist_ok=True)
                (tmp_path / "nothing-here" / "a.txt").write_text("Some text about Kelsbury.", encoding="utf-8")
            code, _, err = run_cli(*args)
            assert code == 1, (what, args, err)
            assert err.startswith(f"Error: {code_} {path} {where}:") and err.count("\n") == 1, (what, err)
        assert (small / "graph.ttl").read_bytes() == graph


def test_kg_correct_never_loads_the_model(small: Path) -> None:
    script = ("import sys\nfrom kg.cli import main\nsys.argv = ['kg', 'correct', 'set', 'Jo Bloggs', '--label', 'Jo B',"
              f" '--store', {str(small)!r}]\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
              "print(code, 'spacy' in sys.modules, 'kg.nlp' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.stdout.split()[-3:] == ["0", "False", "False"], run.stdout + run.stderr


# ------------------------------------------------------------------ resolution on hand-made facts

def test_merge_moves_names_and_facts_and_target_keeps_its_label() -> None:
    from kg.resolve import Correction, resolve

    facts = corpus(("a1", "Jo Bloggs", "PERSON"), ("a2", "Joanne Bloggs", "PERSON"), ("a2", "Joanne Bloggs", "PERSON"))
    merge = Correction(1, "merge", "Jo Bloggs", "person/jo-bloggs", other="Joanne Bloggs",
                       other_key="person/joanne-bloggs", date="2024-01-01")
    res = resolve(facts, [merge])
    assert set(res.entities) == {"person/jo-bloggs"}
    ent = res.entities["person/jo-bloggs"]
    assert ent.label == "Jo Bloggs" and "Joanne Bloggs" in ent.aliases and ent.articles == {"a1", "a2"}
    assert res.lookup("Joanne Bloggs") == "person/jo-bloggs" and res.stale == set()
    stale = Correction(2, "merge", "Jo Bloggs", "person/jo-bloggs", other="Nobody", other_key="person/nobody",
                       date="2024-01-01")
    assert resolve(facts, [stale]).stale == {2}


def test_a_distinct_pair_is_never_merged() -> None:
    from kg.resolve import Correction, resolve

    facts = corpus(("a1", "Jo Bloggs", "PERSON"), ("a2", "Joanne Bloggs", "PERSON"))
    keep = Correction(1, "distinct", "Jo Bloggs", "person/jo-bloggs", other="Joanne Bloggs",
                      other_key="person/joanne-bloggs", date="2024-01-01")
    merge = Correction(2, "merge", "Jo Bloggs", "person/jo-bloggs", other="Joanne Bloggs",
                       other_key="person/joanne-bloggs", date="2024-01-01")
    res = resolve(facts, [keep, merge])
    assert set(res.entities) == {"person/jo-bloggs", "person/joanne-bloggs"} and res.stale == {2}


def test_corrections_file_round_trips_any_text(tmp_path: Path) -> None:
    from kg.resolve import Correction
    from kg.store.corrections import dump_corrections, read_corrections

    odd = 'quote " backslash \\ tab \t newline \n bell \x07 del \x7f ünïcödé \u2028 end'
    cs = [Correction(1, "set", odd, "person/x", label=odd, type="Person", reason=odd, date="2024-02-29"),
          Correction(3, "merge", "A", "org/a", other="B", other_key="org/b", date="2024-03-01")]
    path = tmp_path / "corrections.toml"
    path.write_bytes(dump_corrections(cs))
    assert read_corrections(path) == cs


# ------------------------------------------------------------------ the seeds, end to end

def test_reject_an_entity(run_cli, folder: Path, tmp_path: Path) -> None:
    assert "Social Work Academy" in names(run_cli, folder, "organisations")
    code, out, err = run_cli("correct", "reject", "Social Work Academy", "--store", folder, "--reason", "a team")
    assert code == 0 and out.strip() == "1", err
    assert "Social Work Academy" not in names(run_cli, folder, "organisations")
    for q in ("mentions", "events", "roles", "ratings", "quotes", "succession"):
        _, text, _ = run_cli("query", "--named", q, "--store", folder, "--format", "csv")
        assert "Social Work Academy" not in text, q
    code, _, err = run_cli("explain", "Social Work Academy", "--store", folder)
    assert code == 1 and "[E025]" in err
    code, _, err = run_cli("validate", "--store", folder)
    assert code == 0, err
    fresh_build_matches(run_cli, folder, tmp_path)


def test_merge_two_people(run_cli, folder: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("correct", "merge", "Malcolm Newsam", "Andrew Christie", "--store", folder,
                           "--reason", "same commissioner")
    assert code == 0, err
    people = names(run_cli, folder, "people")
    assert "Andrew Christie" not in people and "Malcolm Newsam" in people
    code, out, err = run_cli("explain", "Andrew Christie", "--store", folder, "--format", "json")
    assert code == 0 and f"<{NEWSAM}>" in err  # the old name is an alias of the merged person
    rows = json.loads(out)
    assert [r["detail"] for r in rows if r["kind"] == "correction"] == ["merge Andrew Christie into Malcolm Newsam"]
    assert any(r["kind"] == "correction" and r["sentence"] == "reason: same commissioner" for r in rows)
    code, _, err = run_cli("validate", "--store", folder)
    assert code == 0, err
    fresh_build_matches(run_cli, folder, tmp_path)


def test_set_a_label(run_cli, folder: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("correct", "set", "Sally Keeble", "--label", "Sally Keeble MP", "--store", folder)
    assert code == 0, err
    assert "Sally Keeble MP" in names(run_cli, folder, "people")
    assert "Sally Keeble MP" in names(run_cli, folder, "roles")
    code, _, err = run_cli("explain", "Sally Keeble", "--store", folder)  # the old label is now an alias
    assert code == 0 and "Sally Keeble MP" in err
    fresh_build_matches(run_cli, folder, tmp_path)


def test_set_a_type(run_cli, folder: Path) -> None:
    code, _, err = run_cli("correct", "set", "Northamptonshire County Council", "--type", "kg:PublicBody",
                           "--store", folder)
    assert code == 0, err
    code, out, _ = run_cli("query", "ASK { <https://w3id.org/newskg/id/org/council-county-northamptonshire> "
                                    "a <https://w3id.org/newskg/ns#PublicBody> }", "--store", folder)
    assert "true" in out
    code, _, err = run_cli("validate", "--store", folder)
    assert code == 0, err


def test_distinct_splits_an_acronym_and_blocks_a_merge(run_cli, folder: Path, tmp_path: Path) -> None:
    board = "Northamptonshire Safeguarding Children Board"
    assert "NSCB" not in names(run_cli, folder, "organisations")
    code, _, err = run_cli("correct", "distinct", "NSCB", board, "--store", folder)
    assert code == 0, err
    assert "NSCB" in names(run_cli, folder, "organisations")
    code, _, err = run_cli("correct", "merge", "NSCB", "https://w3id.org/newskg/id/org/board-children-northamptonshire-safeguarding",
                           "--store", folder)
    assert code == 1 and "[E065]" in err
    code, _, err = run_cli("validate", "--store", folder)
    assert code == 0, err
    fresh_build_matches(run_cli, folder, tmp_path)


def test_reject_a_fact(run_cli, folder: Path, tmp_path: Path) -> None:
    code, out, _ = run_cli("query", "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?p WHERE { ?p org:member "
                                    "<https://w3id.org/newskg/id/person/keith-makin> }", "--store", folder, "-f", "csv")
    post = out.splitlines()[1]
    assert "Keith Makin" in names(run_cli, folder, "roles")
    code, _, err = run_cli("correct", "reject", post, "--store", folder, "--reason", "not his post")
    assert code == 0, err
    assert "Keith Makin" not in names(run_cli, folder, "roles")
    assert "Keith Makin" in names(run_cli, folder, "people")  # the person stays
    code, out, _ = run_cli("explain", "Keith Makin", "--store", folder, "--format", "json")
    assert post not in out
    code, out, _ = run_cli("query", f"SELECT ?p ?o WHERE {{ <{post}> ?p ?o }}", "--store", folder, "-f", "csv")
    assert out.strip() == "p,o"  # gone from the default graph
    code, out, _ = run_cli("query", "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT ?c WHERE { GRAPH "
                                    "<https://w3id.org/newskg/id/graph/corrections> { ?c a kg:Correction ; "
                                    f"kg:correctionOf <{post}> ; kg:correctionKind \"reject\" }} }}", "--store", folder,
                           "-f", "csv")
    assert out.splitlines()[1:] == ["https://w3id.org/newskg/id/correction/1"]
    code, _, err = run_cli("validate", "--store", folder)
    assert code == 0, err
    fresh_build_matches(run_cli, folder, tmp_path)


def test_list_undo_and_stale(run_cli, folder: Path) -> None:
    for args in (("reject", "Social Work Academy"), ("merge", "Malcolm Newsam", "Andrew Christie"),
                 ("set", "Sally Keeble", "--label", "Sally Keeble MP")):
        code, _, err = run_cli("correct", *args, "--store", folder, "--reason", "r " + args[0])
        assert code == 0, err
    code, out, _ = run_cli("correct", "list", "--store", folder, "--format", "json")
    rows = json.loads(out)
    assert [(r["id"], r["kind"], r["target"], r["status"]) for r in rows] == [
        (1, "reject", "Social Work Academy", "applied"), (2, "merge", "Malcolm Newsam", "applied"),
        (3, "set", "Sally Keeble", "applied")]
    assert rows[1]["other"] == "Andrew Christie" and rows[0]["reason"] == "r reject" and rows[0]["date"]
    for fmt in ("table", "csv", "ndjson"):
        code, out, _ = run_cli("correct", "list", "--store", folder, "--format", fmt)
        assert code == 0 and "Social Work Academy" in out
    code, _, err = run_cli("correct", "undo", "2", "--store", folder)
    assert code == 0 and "Undid correction 2" in err
    assert "Andrew Christie" in names(run_cli, folder, "people")
    # a hand-written correction that matches nothing is kept and reported, never dropped
    with open(folder / "corrections.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[[correction]]\nid = 9\nkind = "reject"\ntarget = "Ghost"\nkey = "person/ghost"\ndate = "2024-01-01"\n')
    code, _, err = run_cli("build", SEEDS, "--out", folder)
    assert code == 0 and "[E071] correction 9 (reject Ghost)" in err
    code, out, _ = run_cli("correct", "list", "--store", folder, "--format", "json")
    assert [(r["id"], r["status"]) for r in json.loads(out)] == [(1, "applied"), (3, "applied"), (9, "stale")]
    code, out, _ = run_cli("query", "PREFIX kg: <https://w3id.org/newskg/ns#> ASK { "
                                    "<https://w3id.org/newskg/id/correction/9> kg:stale true }", "--store", folder)
    assert "true" in out
    code, _, err = run_cli("correct", "reject", "Ofsted", "--store", folder)
    assert code == 0 and "1 stale" in err


def test_corrections_option_refuses_to_replace_a_different_file(run_cli, folder: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("correct", "reject", "Social Work Academy", "--store", folder)
    assert code == 0, err
    mine = tmp_path / "mine.toml"
    mine.write_text('[[correction]]\nid = 1\nkind = "reject"\ntarget = "Ofsted"\nkey = "org/ofsted"\n'
                    'date = "2024-01-01"\n', encoding="utf-8")
    code, _, err = run_cli("build", SEEDS, "--out", folder, "--corrections", mine)
    assert code == 1 and "[E069]" in err
    code, _, err = run_cli("build", SEEDS, "--out", folder, "--corrections", tmp_path / "none.toml")
    assert code == 1 and "[E002]" in err
