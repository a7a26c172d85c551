"""Hostile input never crashes a build: odd encodings, binary data, empty files, huge articles and
lines, control characters, HTML, names full of quotes and markup. Skips are named with a reason,
--strict makes them fail, and every command answers a mistake with one line and an exit code."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from conftest import SEEDS
from kg import ingest, run as pipeline
from kg.run import batch
from kg.extract import extract
from kg.model import Article, Evidence
from kg.store import read_facts

PLAIN = ("Jane O'Neil & Sons <Ltd> was appointed chief executive of Ashdown Borough Council in March 2019. "
         "\"We will do better,\" said Jane O'Neil.")
BODY = PLAIN + " \U0001F600"
ODD_NAME = 'names "<&>" \U0001F600.txt'


def hostile_files(d: Path) -> dict[str, str]:
    """Write one file of every hostile kind into ``d``; returns {file name: reason} of those to be skipped."""
    d.mkdir(parents=True, exist_ok=True)
    esc = BODY.replace('"', '\\"')
    files: dict[str, bytes] = {
        "cp1252.txt": ("Caf\u00e9 headline \u2014 \u201cquoted\u201d\n\n" + PLAIN).encode("cp1252"),
        "latin1.txt": ("Se\u00f1or headline \u00bd\n\n" + PLAIN).encode("latin-1"),
        "utf16le.txt": ("UTF16 headline\n\n" + BODY).encode("utf-16"),  # with BOM
        "utf16be.txt": b"\xfe\xff" + ("UTF16BE headline\n\n" + BODY).encode("utf-16-be"),
        "nobom16.txt": ("No BOM headline\n\n" + PLAIN).encode("utf-16-le"),
        "bom8.txt": b"\xef\xbb\xbf" + ("BOM headline\n\n" + BODY).encode(),
        "binary.txt": bytes(range(256)) * 20,
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n \r\n",
        "longline.txt": ("Long line headline\n\n" + "word " * 40_000 + BODY).encode(),
        "onetoken.txt": ("Token headline\n\n" + "x" * 200_000 + " " + BODY).encode(),
        "controls.txt": ("Ctl head\x07line\n\n" + BODY.replace(" ", " \x00", 3) + "\x1b[31m red \x7f\x0b").encode(),
        "page.html": ("<html><head><title>Page title</title><script>alert('x<b>')</script><style>p{}</style>"
                      "</head><body><nav>Menu</nav><p>" + BODY.replace("&", "&amp;").replace("<", "&lt;")
                      .replace(">", "&gt;") + "</p><svg><text>svgtext</text></svg></body></html>").encode(),
        "bad.html": ("<p>Unclosed <b>tags & stray &bogus; entities " + BODY + "<script>never closed").encode(),
        ODD_NAME: ("Odd file name\n\n" + BODY).encode(),
        "lines.jsonl": ('{"id": "j<1>", "text": "' + esc + '"}\n{"text": 5}\n[1, 2]\nnot json\n').encode(),
        "meta.jsonl": ('{"id": "j \\"2\\" & <x>", "title": "T & <t>", "text": "' + esc
                       + '", "published": "2019-13-45", "url": "javascript:alert(1)"}\n').encode(),
        "broken.jsonl": b'{"text": \n',
        "sidecar.txt": ("Sidecar head\n\n" + BODY).encode(),
        "sidecar.json": b'{"title": "<b>x</b> & \\"y\\"", "published": "2019-02-30", "url": "http://x/<a b>"}',
        "crlf.md": ("# CRLF\r\n\r\n" + BODY + "\r\nmore text\rold mac").encode(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    return {"binary.txt": "binary data", "empty.txt": "empty file", "blank.txt": "empty file",
            "lines.jsonl:2": "'text' is not a string", "lines.jsonl:3": "not a JSON object",
            "lines.jsonl:4": "not a JSON object", "broken.jsonl": "no JSON line"}


def test_ingest_decodes_cleans_and_skips(tmp_path: Path) -> None:
    skip = hostile_files(tmp_path)
    arts, skipped = ingest.load([tmp_path])
    by_id = {a.id: a for a in arts}
    got = {Path(p).name: r for p, r in skipped}
    assert set(got) == set(skip) and all(skip[k] in got[k] for k in skip)
    assert by_id["cp1252"].title == "Caf\u00e9 headline \u2014 \u201cquoted\u201d"
    assert by_id["latin1"].title == "Se\u00f1or headline \u00bd"
    for aid in ("utf16le", "utf16be", "bom8"):
        assert by_id[aid].text.endswith("\U0001F600") and "\ufeff" not in by_id[aid].text
    assert by_id["nobom16"].title == "No BOM headline"
    assert "\x00" not in by_id["controls"].text and "\x07" not in by_id["controls"].text
    assert "\x1b" not in by_id["controls"].text and "Jane O'Neil" in by_id["controls"].text
    page = by_id["page"].text
    assert "Jane O'Neil & Sons <Ltd>" in page
    assert not any(s in page for s in ("alert", "Menu", "svgtext", "<p>", "p{}"))
    assert "Jane O'Neil" in by_id["bad"].text and "<b>" not in by_id["bad"].text
    assert by_id[Path(ODD_NAME).stem].source == ODD_NAME
    assert by_id['j "2" & <x>'].published == ""  # an invalid month is no date
    assert by_id["sidecar"].title == '<b>x</b> & "y"' and by_id["sidecar"].published == ""
    assert by_id["crlf"].title == "CRLF" and "\r" not in by_id["crlf"].text
    assert len(by_id["longline"].text) > 200_000 and len(by_id["onetoken"].text) > 200_000


def test_hostile_build_names_skips_and_writes_a_valid_graph(run_cli, tmp_path: Path) -> None:
    skip = hostile_files(tmp_path / "in")
    out = tmp_path / "out"
    code, _, err = run_cli("build", tmp_path / "in", "--out", out, "--model", "", "--workers", "1")
    assert code == 0, err
    assert "Traceback" not in err
    for name, reason in skip.items():
        assert any(f"skipped {tmp_path / 'in' / name}: " in ln and reason in ln for ln in err.splitlines()), name
    assert "cp1252.txt is not UTF-8" in err
    assert rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    rapper = shutil.which("rapper")
    if rapper:  # CI installs raptor2-utils
        run = subprocess.run([rapper, "-i", "turtle", "-c", str(out / "graph.ttl")], capture_output=True, text=True)
        assert run.returncode == 0 and "returned" in run.stderr, run.stderr
    ids = {f.article.id for f, _ in read_facts(out).values()}
    assert {"cp1252", "utf16be", "page", "controls", "j<1>", 'j "2" & <x>', Path(ODD_NAME).stem} <= ids
    code, out_csv, _ = run_cli("query", "SELECT ?id WHERE { ?a <https://schema.org/identifier> ?id }",
                               "--store", out, "--format", "json")
    assert code == 0 and {r["id"] for r in json.loads(out_csv)} == ids
    code, _, err = run_cli("build", tmp_path / "in", "--out", tmp_path / "strict", "--model", "", "--strict")
    assert code == 1 and err.strip().splitlines()[-1].startswith("Error: [E006] 7 file(s) skipped and --strict")
    assert not (tmp_path / "strict" / "graph.ttl").exists()


# --- articles longer than spaCy's max_length: read in pieces, offsets into the whole text --------

def _check_offsets(facts, text: str) -> int:
    """Every Evidence in ``facts`` points at its own text in ``text``; returns how many there are."""
    seen = 0
    stack: list = [facts]
    while stack:
        obj = stack.pop()
        if isinstance(obj, Evidence):
            assert text[obj.start:obj.end] == obj.text
            assert text[obj.sent_start:obj.sent_end].strip() == obj.sentence
            assert obj.sent_start <= obj.start <= obj.end <= obj.sent_end
            seen += 1
        elif isinstance(obj, list):
            stack.extend(obj)
        elif hasattr(obj, "__dataclass_fields__") and not isinstance(obj, Article):
            stack.extend(getattr(obj, f) for f in obj.__dataclass_fields__)
    return seen


def test_pieces_cover_the_text_and_cut_at_paragraphs() -> None:
    paras = [f"Paragraph {i} says something. And more." * (1 + i % 5) for i in range(200)]
    text = "\n\n".join(paras)
    spans = batch.pieces(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < e - s <= 1000 for s, e in spans)
    assert all(text[s:e].endswith("\n\n") for s, e in spans[:-1])
    solid = "x" * 2500  # no break at all: cut exactly at the size
    assert batch.pieces(solid, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]
    line = "word " * 500  # one long line: cut at spaces
    assert all(line[s:e].endswith(" ") for s, e in batch.pieces(line, 300)[:-1])


def test_long_article_in_pieces_keeps_offsets_and_facts(blank_nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    paras = [f"Jane Roe{i} was appointed chief executive of Ashdown Borough Council in March 2019. "
             f"Ofsted rated it inadequate. \"We will do better,\" said Jane Roe{i}." for i in range(60)]
    art = Article("long", "t", "\n\n".join(paras))
    whole = list(batch.docs_to_facts(blank_nlp, [art]))[0]
    monkeypatch.setattr(blank_nlp, "max_length", 2000)
    monkeypatch.setattr(batch, "PIECE_CHARS", 2000)
    cut = list(batch.docs_to_facts(blank_nlp, [art]))[0]
    assert len(batch.pieces(art.text, 2000)) >= 4
    assert cut.article == art
    assert _check_offsets(cut, art.text) > 100
    assert [(m.name, m.evidence) for m in cut.mentions] == [(m.name, m.evidence) for m in whole.mentions]
    assert [q.evidence for q in cut.quotes] == [q.evidence for q in whole.quotes]
    assert [e.evidence for e in cut.events] == [e.evidence for e in whole.events]


def test_normal_articles_are_read_whole(blank_nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    art = Article("a", "t", "Jane Roe was appointed chair of Ashdown Borough Council in 2019.")

    def boom(*_a: object) -> None:
        raise AssertionError("a normal-size article was cut into pieces")

    monkeypatch.setattr(batch, "_extract_in_pieces", boom)
    (facts,) = batch.docs_to_facts(blank_nlp, [art])
    assert facts == extract(blank_nlp(art.text), art)


@pytest.mark.slow
def test_five_megabyte_article_builds_with_offsets_right(tmp_path: Path) -> None:
    from kg.build import build

    rng = random.Random(5)
    words = ("the committee considered administration arrangements responsibilities consultation "
             "procedures improvement planning across neighbouring departments").split()

    def para(i: int) -> str:  # sentences all different, or cleaning drops them as repeats
        filler = " ".join(" ".join(rng.choice(words) for _ in range(14)) + "." for _ in range(12))
        return f"Jane Example{i % 7} was appointed chief executive of Ashdown Borough Council in March 2019. {filler}"

    paras, size = [], 0
    while size < 5_050_000:
        paras.append(para(len(paras)))
        size += len(paras[-1]) + 2
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("Big headline\n\n" + "\n\n".join(paras), encoding="utf-8")
    report = build([src], tmp_path / "out", model="")
    assert report.articles == 1 and report.entities >= 1
    ((facts, _fp),) = read_facts(tmp_path / "out").values()
    text = facts.article.text
    assert len(text) > 5_000_000
    assert _check_offsets(facts, text) > 1000
    assert max(m.evidence.end for m in facts.mentions) > len(text) - 3000  # the last piece was read too
    assert rdflib.Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")


# --- errors: one line, a hint, the right exit code, never a traceback ------------------------------

@pytest.fixture(scope="module")
def bad_places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    (d / "damaged" / "store").mkdir(parents=True)
    (d / "damaged" / "store" / "CURRENT").write_text("garbage")
    (d / "incomplete" / "store").mkdir(parents=True)
    (d / "empty").mkdir()
    (d / "bad.ttl").write_text("this is { not turtle")
    (d / "file.txt").write_text("a file")
    return {"damaged": d / "damaged", "incomplete": d / "incomplete", "empty": d / "empty",
            "bad.ttl": d / "bad.ttl", "missing": d / "missing", "file": d / "file.txt", "dir": d}


STORE_COMMANDS = [["query", "--named", "people"], ["explain", "Newsam"], ["stats"], ["validate"],
                  ["export", "--format", "turtle"], ["render", "-o", "-"], ["timeline", "-o", "-"],
                  ["evaluate", str(Path(__file__).parent / "data" / "seeds-gold.json")]]


@pytest.mark.parametrize("where", ["damaged", "incomplete", "empty", "bad.ttl", "missing", "file"])
@pytest.mark.parametrize("cmd", STORE_COMMANDS, ids=lambda c: c[0])
def test_unreadable_store_is_one_line(run_cli, bad_places, cmd: list[str], where: str) -> None:
    code, out, err = run_cli(*cmd, "--store", bad_places[where])
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), err
    assert str(bad_places[where]) in lines[0] and out == ""


def _one_line(code: int, err: str, expected: int) -> str:
    lines = err.strip().splitlines()
    assert code == expected and lines and lines[-1].startswith("Error: "), (code, err)
    assert "Traceback" not in err
    return lines[-1]


@pytest.mark.parametrize("args,expected,says", [
    (["nosuchcommand"], 2, "No such command"),
    (["query", "--store"], 2, "requires an argument"),
    (["build", "--bogus"], 2, "No such option"),
    (["build", "seeds", "--workers", "0"], 2, "--workers"),
    (["build", "{missing}", "--out", "{dir}/o"], 1, "does not exist"),
    (["build", str(SEEDS), "--out", "{file}"], 1, "is a file, not a folder"),
    (["build", "{empty}", "--out", "{dir}/o"], 1, "no articles"),
    (["build", str(SEEDS), "--out", "{dir}/o", "--model", "no_such_model"], 1, "not installed"),
    (["query", "--named", "people", "--store", "{seed}", "--format", "xml"], 2, "is not one of"),
    (["query", "--named", "nope", "--store", "{seed}"], 2, "no named query"),
    (["query", "SELECT ?x WHERE {{", "--store", "{seed}"], 1, "SPARQL syntax error"),
    (["query", "--store", "{seed}"], 2, "give a SPARQL query"),
    (["evaluate", "{missing}", "--store", "{seed}"], 1, "not a gold file"),
    (["evaluate", "{badttl}", "--store", "{seed}"], 1, "not a gold file"),
    (["evaluate", str(Path(__file__).parent / "data" / "seeds-gold.json"), "--store", "{seed}", "--format", "xml"],
     2, "is not one of"),
    (["explain", "Nobody Whatsoever", "--store", "{seed}"], 1, "no entity"),
    (["explain", "Newsam", "--store", "{seed}", "--format", "xml"], 2, "is not one of"),
    (["render", "--store", "{seed}", "-o", "{missing}/x.html"], 1, "does not exist"),
    (["render", "--store", "{seed}", "-o", "-", "--focus", "Nobody Whatsoever"], 1, "no entity"),
    (["timeline", "--store", "{seed}", "-o", "{missing}/t.html"], 1, "does not exist"),
    (["export", "--store", "{seed}", "--format", "docx"], 2, "is not one of"),
    (["stats", "--store", "{seed}", "--format", "xml"], 2, "is not one of"),
    (["serve", "--store", "{empty}", "--port", "0"], 1, "has no store"),
    (["push", "--store", "{seed}", "--endpoint", "not-a-url"], 2, "http"),
    (["push", "--store", "{seed}", "--endpoint", "http://127.0.0.1:9/store", "--timeout", "2"], 1, "cannot reach"),
    (["remove", "nope", "--store", "{seed}"], 1, "no article nope"),
    (["remove", "nope", "--store", "{empty}"], 1, "no facts cache"),
])
def test_mistakes_are_one_line_errors(run_cli, bad_places, seed_build, args, expected, says) -> None:
    fill = {**{k.replace(".", ""): str(v) for k, v in bad_places.items()}, "seed": str(seed_build)}
    line = _one_line(*run_cli(*[a.format(**fill) for a in args])[::2], expected)
    assert says in line


def test_verbose_gives_details(run_cli, bad_places) -> None:
    code, _, err = run_cli("--verbose", "query", "--named", "people", "--store", bad_places["damaged"])
    assert code == 1 and err.strip().splitlines()[-1].startswith("Error: [E012] the store in")
    assert "Traceback" in err and "RuntimeError" in err  # the cause, for the bug report
    code, _, quiet = run_cli("query", "--named", "people", "--store", bad_places["damaged"])
    assert "Traceback" not in quiet


def test_unexpected_error_is_one_line_and_exit_1(run_cli, monkeypatch: pytest.MonkeyPatch, seed_build) -> None:
    from kg.views import query

    def broken(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(query, "run", broken)
    monkeypatch.setattr(query, "stream", broken)
    monkeypatch.setattr(query, "stream_named", broken)
    line = _one_line(*run_cli("query", "--named", "people", "--store", seed_build)[::2], 1)
    assert "ZeroDivisionError" in line and "--verbose" in line


def test_store_between_renames_is_still_read(tmp_path: Path, seed_build: Path) -> None:
    """A build killed between its two renames leaves store.old and no store/: readers use store.old."""
    shutil.copytree(seed_build, tmp_path / "b")
    (tmp_path / "b" / "store").rename(tmp_path / "b" / "store.old")
    from kg.views.query import named, run

    assert len(run(tmp_path / "b", named("people")).rows) > 5
    assert isinstance(ox.Store.read_only(str(tmp_path / "b" / "store.old")), ox.Store)
