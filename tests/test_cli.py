"""CLI: help for every command, the happy path and the error paths."""

import csv
import json
import pytest

from conftest import SEEDS


def test_help_lists_commands(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and "build" in out and "query" in out and "evaluate" in out


@pytest.mark.parametrize("cmd", ["build", "query", "evaluate", "explain"])
def test_command_help_has_example(run_cli, cmd):
    code, out, _ = run_cli(cmd, "--help")
    assert code == 0 and "Example:" in out


def test_query_named_csv(run_cli, seed_build):
    code, out, _ = run_cli("query", "--named", "people", "--store", seed_build, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "name" and "Malcolm Newsam" in out


def test_query_syntax_error_is_one_line(run_cli, seed_build):
    code, out, err = run_cli("query", "SELECT WHERE {", "--store", seed_build)
    assert code == 1 and err.startswith("Error: [E021] SPARQL syntax error") and "Traceback" not in err


def test_unknown_named_query_and_format(run_cli, seed_build):
    assert run_cli("query", "--named", "nope", "--store", seed_build)[0] == 2
    assert run_cli("query", "--named", "people", "--store", seed_build, "--format", "xml")[0] == 2


@pytest.mark.parametrize("name", ["people", "events", "mentions"])
def test_query_limit_offset_pages_the_whole_answer(run_cli, seed_build, name):
    _, full, _ = run_cli("query", "--named", name, "--store", seed_build, "--format", "csv")
    head, *rows = full.splitlines()
    pages = []
    for offset in range(0, len(rows) + 7, 7):
        code, out, _ = run_cli("query", "--named", name, "--store", seed_build, "--format", "csv",
                               "--limit", "7", "--offset", str(offset))
        assert code == 0 and out.splitlines()[0] == head
        pages += out.splitlines()[1:]
    assert pages == rows
    code, out, _ = run_cli("query", "--named", name, "--store", seed_build, "--format", "ndjson", "--limit", "3")
    assert code == 0 and [list(json.loads(x).values()) for x in out.splitlines()] == [r for r in csv.reader(rows[:3])]
    code, out, _ = run_cli("query", "--named", name, "--store", seed_build, "--limit", "2")
    assert code == 0 and "(2 rows)" in out


def test_query_limit_offset_on_free_queries(run_cli, seed_build):
    select = "SELECT ?s WHERE { ?s a <https://w3id.org/newskg/ns#Person> } ORDER BY ?s"
    _, full, _ = run_cli("query", select, "--store", seed_build, "--format", "csv")
    code, out, _ = run_cli("query", select, "--store", seed_build, "--format", "csv", "--limit", "2", "--offset", "3")
    assert code == 0 and out.splitlines()[1:] == full.splitlines()[4:6]
    # a query with its own LIMIT is paged within its answer
    code, out, _ = run_cli("query", select + " LIMIT 4", "--store", seed_build, "--format", "csv", "--offset", "3")
    assert code == 0 and out.splitlines()[1:] == full.splitlines()[4:5]
    # CONSTRUCT: the limit counts triples
    code, out, _ = run_cli("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--store", seed_build,
                           "--format", "json", "--limit", "3")
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = run_cli("query", select, "--store", seed_build, "--format", "csv", "--limit", "0")
    assert code == 0 and out.splitlines() == ["s"]


def test_named_query_pages_the_answer_the_build_saved(run_cli, seed_build, tmp_path):
    """The build saves each named answer beside the store; 'kg query --named' pages it from there
    while it belongs to the outputs in the folder, and runs the SPARQL otherwise."""
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(seed_build, out)
    _, live, _ = run_cli("query", "--named", "people", "--store", out / "graph.ttl", "--format", "csv")
    code, saved, _ = run_cli("query", "--named", "people", "--store", out, "--format", "csv")
    assert code == 0 and saved == live
    answer = out / "answers" / "people.jsonl"
    head, *rows = answer.read_text(encoding="utf-8").splitlines()
    answer.write_text("\n".join([head, json.dumps(["Somebody Saved"]), *rows]) + "\n", encoding="utf-8")
    _, out1, _ = run_cli("query", "--named", "people", "--store", out, "--format", "csv", "--limit", "1")
    assert out1.splitlines() == ["name", "Somebody Saved"]  # read from the saved answer
    (out / "facts" / "outputs.key").write_text('{"key": "another build"}', encoding="utf-8")
    _, out2, _ = run_cli("query", "--named", "people", "--store", out, "--format", "csv")
    assert out2 == live  # not this build's answer: the query runs


@pytest.mark.parametrize("option", ["--limit", "--offset"])
def test_query_negative_page_is_a_coded_usage_error(run_cli, seed_build, option):
    code, out, err = run_cli("query", "--named", "people", "--store", seed_build, option, "-5")
    assert code == 2 and out == "" and err.startswith("Error: [E029] " + option) and len(err.strip().splitlines()) == 1


def test_missing_store(run_cli, tmp_path):
    code, _, err = run_cli("query", "--named", "people", "--store", tmp_path / "nothing")
    assert code == 1 and "Error:" in err and str(tmp_path / "nothing") in err


def test_build_skips_bad_files_and_strict_fails(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text((SEEDS / "000_50cded4d27f82e36.txt").read_text())
    (src / "bad.txt").write_bytes(b"\x00\x00binary")
    code, _, err = run_cli("build", src, "--out", tmp_path / "o", "--no-html", "--model", "")
    assert code == 0 and "bad.txt" in err and "binary" in err
    code, _, err = run_cli("build", src, "--out", tmp_path / "o2", "--strict", "--no-html", "--model", "")
    assert code == 1 and "Error:" in err


def test_build_nothing_to_read(run_cli, tmp_path):
    code, _, err = run_cli("build", tmp_path, "--out", tmp_path / "o")
    assert code == 1 and "no articles" in err


def test_evaluate_bad_gold(run_cli, tmp_path, seed_build):
    bad = tmp_path / "g.json"
    bad.write_text("{nope")
    code, _, err = run_cli("evaluate", bad, "--store", seed_build)
    assert code == 1 and "not a gold file" in err


def test_explain_lists_facts_with_evidence(run_cli, seed_build):
    code, out, err = run_cli("explain", "Newsam", "--store", seed_build, "--format", "csv")
    assert code == 0 and "Malcolm Newsam" in err
    rows = out.splitlines()
    assert rows[0] == "kind,fact,detail,date,article,sentence"
    assert any(r.startswith("event,") and "Resignation" in r and "2019-09" in r and "resigned" in r for r in rows)
    assert any(r.startswith("succession,") and "Andrew Christie replaced Malcolm Newsam" in r for r in rows)


def test_explain_ambiguous_and_unknown(run_cli, seed_build):
    code, _, err = run_cli("explain", "Sally", "--store", seed_build)
    assert code == 1 and "Sally Hodges" in err and "Sally Keeble" in err
    code, _, err = run_cli("explain", 'No "such" } person', "--store", seed_build)
    assert code == 1 and err.startswith("Error: [E025] no entity")


@pytest.mark.model
def test_build_summary_and_stats_count_facts_the_same_way(run_cli, tmp_path):
    """The build's "N facts" is the graph's distinct fact nodes, as 'kg stats' counts them (a fact
    reported by two articles is one fact)."""
    import json
    import re

    code, _, err = run_cli("build", SEEDS, "--out", tmp_path / "o", "--no-html")
    assert code == 0, err
    built = int(re.search(r"(\d+) facts", err).group(1))
    code, out, _ = run_cli("stats", "--store", tmp_path / "o", "--format", "json")
    rows = {(r["group"], r["name"]): int(r["count"]) for r in json.loads(out)}
    assert built == rows[("total", "facts")] > 0
    code, _, err = run_cli("build", SEEDS, "--out", tmp_path / "o", "--no-html")  # nothing changed: from the key
    assert int(re.search(r"(\d+) facts", err).group(1)) == built
