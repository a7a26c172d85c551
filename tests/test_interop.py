"""Interop: other parsers and engines read what we write, every export round-trips, the store can
be pushed to a real triple store over the Graph Store Protocol, and every build passes SHACL."""
from __future__ import annotations

import base64
import json
import random
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg.formats import EXPORTERS, Source, export, named_graphs
from kg.rdf import union_graph as union
from kg.views.query import named_queries
from kg.remote.serve import free_port, oxigraph_binary
from kg.store import load_dataset
from kg.domain.vocab import KG

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}
QUAD_FORMATS = {"nquads", "trig"}


# --------------------------------------------------------------------------------------------
# graph.ttl in three parsers; the named queries in a plain engine
# --------------------------------------------------------------------------------------------

def test_graph_ttl_same_triple_count_in_rdflib_pyoxigraph_and_rapper(seed_build):
    ttl = seed_build / "graph.ttl"
    n_rdflib = len(Graph().parse(ttl, format="turtle"))
    st_ = ox.Store()
    st_.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    rapper = shutil.which("rapper")
    assert rapper, "rapper (raptor2-utils) is needed: apt-get install raptor2-utils"
    proc = subprocess.run([rapper, "-i", "turtle", "-c", str(ttl)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    n_rapper = int(re.search(r"returned (\d+) triples", proc.stderr).group(1))
    assert n_rdflib == len(st_) == n_rapper > 500


def _plain_value(term: object) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else "_:" + term.value


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_runs_unchanged_on_graph_ttl(name, seed_build, run_cli):
    """The .rq text on graph.ttl in a plain in-memory pyoxigraph store (no union trick) gives the CLI's rows."""
    plain = ox.Store()
    plain.load(path=str(seed_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    res = plain.query(named_queries()[name])
    cols = [v.value for v in res.variables]
    rows = [tuple(_plain_value(sol[c]) for c in cols) for sol in res]
    code, out, err = run_cli("query", "--named", name, "--store", seed_build, "--format", "json")
    assert code == 0, err
    cli_rows = [tuple(rec[c] for c in cols) for rec in json.loads(out)]
    assert Counter(rows) == Counter(cli_rows)


def test_named_queries_answer_something(seed_build, run_cli):
    answered = [n for n in named_queries() if len(json.loads(run_cli("query", "--named", n, "--store", seed_build,
                                                                    "--format", "json")[1]))]
    assert len(answered) >= 8, answered


# --------------------------------------------------------------------------------------------
# exports
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_ds(seed_build) -> Dataset:
    return load_dataset(seed_build)


@pytest.fixture(scope="module")
def seed_src(seed_build) -> Source:
    return Source.from_store(seed_build)


def canon(g: Graph) -> Graph:
    """``g`` with xsd:decimal literals in one lexical form: Oxigraph writes 35, rdflib's Turtle 35.0."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            text = format(Decimal(str(o)).normalize(), "f")
            o = Literal(text if "." in text else text + ".0", datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def same_graph(a: Graph, b: Graph) -> bool:
    return isomorphic(canon(a), canon(b))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_round_trips(fmt, seed_ds, seed_src):
    data = EXPORTERS[fmt].write(seed_src)
    if fmt in QUAD_FORMATS:
        back = Dataset()
        back.parse(data=data, format=RDF_FORMATS[fmt])
        assert {name for name, _g in named_graphs(back)} == {name for name, _g in named_graphs(seed_ds)}
        for (name, g1), (_n, g2) in zip(named_graphs(back), named_graphs(seed_ds)):
            assert same_graph(g1, g2), name
        assert len(named_graphs(back)) >= 6
    else:
        back = Graph().parse(data=data, format=RDF_FORMATS[fmt])
        assert same_graph(back, union(seed_ds))
    assert len(union(seed_ds)) > 500


def _shuffled(ds: Dataset, seed: int) -> Dataset:
    quads = list(ds.quads())
    random.Random(seed).shuffle(quads)
    out = Dataset()
    for s, p, o, g in quads:
        out.add((s, p, o, g.identifier if hasattr(g, "identifier") else g))
    return out


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_exports_are_stable(fmt, seed_ds, seed_src):
    """The same graph, however it was put together, prints the same bytes."""
    one, two = (EXPORTERS[fmt].write(Source.from_dataset(_shuffled(seed_ds, i))) for i in (1, 2))
    assert one == two and one == EXPORTERS[fmt].write(seed_src)


def test_ntriples_and_nquads_are_sorted_and_turtle_is_graph_ttl(seed_build, seed_src):
    for fmt in ("ntriples", "nquads"):
        lines = EXPORTERS[fmt].write(seed_src).decode("utf-8").splitlines()
        assert lines == sorted(lines) and len(lines) > 500
    ttl = EXPORTERS["turtle"].write(seed_src)
    assert ttl == (seed_build / "graph.ttl").read_bytes()
    subjects = [line.split()[0] for line in ttl.decode("utf-8").splitlines() if line and not line[0].isspace()
                and not line.startswith("@prefix")]
    assert subjects == sorted(subjects) and len(subjects) == len(set(subjects)) > 100


def test_jsonld_has_a_compact_context(seed_src):
    doc = json.loads(EXPORTERS["jsonld"].write(seed_src))
    assert doc["@context"]["kg"] == str(KG) and doc["@context"]["schema"] == "https://schema.org/"
    types = {t for node in doc["@graph"] for t in ([node["@type"]] if isinstance(node.get("@type"), str)
                                                   else node.get("@type", []))}
    assert "kg:Person" in types and not any(t.startswith("http") and "newskg/ns#" in t for t in types)


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_keep_labels_classes_and_relations(fmt, reader, seed_ds, seed_src, tmp_path):
    from kg.formats.network import to_networkx

    path = tmp_path / f"g.{fmt}"
    path.write_bytes(EXPORTERS[fmt].write(seed_src))
    back = reader(str(path))
    want = to_networkx(union(seed_ds))
    assert set(back.nodes) == set(want.nodes) and len(want) > 10
    for node, attrs in want.nodes(data=True):
        assert back.nodes[node]["label"] == attrs["label"]
        assert back.nodes[node]["cls"] == attrs["cls"]
    rel = Counter((u, v, a["relation"]) for u, v, a in want.edges(data=True))
    assert Counter((u, v, a["relation"]) for u, v, a in back.edges(data=True)) == rel and rel


def test_export_cli_stdout_file_and_errors(run_cli, seed_build, tmp_path):
    code, out, _ = run_cli("export", "--store", seed_build, "--format", "ntriples")
    assert code == 0 and out.count("\n") == len(union(load_dataset(seed_build)))
    code, _, err = run_cli("export", "--store", seed_build, "-o", tmp_path / "g.trig")  # format from suffix
    assert code == 0 and "trig" in err
    back = Dataset()
    back.parse(tmp_path / "g.trig", format="trig")
    assert len(named_graphs(back)) >= 6
    code, _, err = run_cli("export", "--store", seed_build, "--format", "rdfxml")
    assert code == 2 and "'rdfxml' is not one of 'turtle'" in err
    code, _, err = run_cli("export", "--store", tmp_path / "missing")
    assert code == 1 and err.startswith("Error:")
    assert export(seed_build / "graph.ttl", "turtle") == (seed_build / "graph.ttl").read_bytes()


@pytest.mark.parametrize("cmd", ["export", "serve", "push", "validate", "stats", "remove"])
def test_command_help_has_example(run_cli, cmd):
    code, out, _ = run_cli(cmd, "--help")
    assert code == 0 and "Example:" in out


# --------------------------------------------------------------------------------------------
# stats
# --------------------------------------------------------------------------------------------

def _count(store: ox.Store, where: str) -> int:
    q = f"PREFIX kg: <{KG}> SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(store.query(q)))["n"].value)


def test_stats_counts(run_cli, seed_build):
    code, out, _ = run_cli("stats", "--store", seed_build, "--format", "json")
    assert code == 0
    got = {(r["group"], r["name"]): int(r["count"]) for r in json.loads(out)}
    plain = ox.Store()
    plain.load(path=str(seed_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert got[("total", "articles")] == 5 == got[("total", "sources")]
    assert got[("total", "triples")] == len(plain)
    assert got[("total", "named graphs")] == len(named_graphs(load_dataset(seed_build))) >= 6
    assert got[("entities", "Person")] == _count(plain, "?x a kg:Person")
    assert got[("facts", "Quote")] == _count(plain, "?x a kg:Quote") > 0
    assert got[("facts", "Post")] == _count(plain, "?x a kg:Post") > 0
    assert got[("total", "entities")] == _count(plain, "?m kg:refersTo ?x")
    code, out, _ = run_cli("stats", "--store", seed_build / "graph.ttl", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "group,name,count" and "entities,Person," in out
    assert run_cli("stats", "--store", seed_build, "--format", "xml")[0] == 2


# --------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------

def test_seed_build_conforms(run_cli, seed_build):
    code, out, _ = run_cli("validate", "--store", seed_build)
    assert code == 0 and out.startswith("Conforms")


def test_broken_graph_fails_with_a_readable_report(run_cli, seed_build, tmp_path):
    g = Graph().parse(seed_build / "graph.ttl")
    from rdflib.namespace import RDFS

    person = next(g.subjects(None, KG.Person))
    g.remove((person, RDFS.label, None))
    event = next(g.subjects(KG.date, None))
    g.add((event, KG.date, Literal("1901", datatype=XSD.gYear)))
    bad = tmp_path / "bad.ttl"
    g.serialize(bad, format="turtle")
    code, out, err = run_cli("validate", "--store", bad)
    assert code == 1 and "Traceback" not in out + err
    assert "Does not conform" in out and "EntityShape on rdfs:label" in out and str(person) in out
    assert "DatesAgree" in out and "1901" in out


def test_posts_with_disagreeing_dates_are_a_warning(run_cli, seed_build, tmp_path):
    from rdflib.namespace import XSD

    g = Graph().parse(seed_build / "graph.ttl")
    post = next(g.subjects(None, KG.Post))
    g.add((post, KG.startDate, Literal("1901", datatype=XSD.gYear)))
    g.add((post, KG.startDate, Literal("1902", datatype=XSD.gYear)))
    path = tmp_path / "warn.ttl"
    g.serialize(path, format="turtle")
    code, out, _ = run_cli("validate", "--store", path)
    assert code == 0 and out.startswith("Conforms") and "Warning of kgsh:PostDatesAgree" in out and str(post) in out


GEN_FIRST = ["Alice", "Priya", "Tomasz", "Grace", "Owen", "Fatima", "Liam", "Helen", "Marcus", "Zara"]
GEN_LAST = ["Whitfield", "Okafor", "Brennan", "Lindqvist", "Haddad", "Pemberton", "Castellano", "Moreau"]
GEN_PLACES = ["Ashford", "Barrowby", "Carlton", "Dunmere", "Elmstead", "Fenwick"]
GEN_POSTS = ["chief executive", "director of children's services", "leader", "chair"]
GEN_LEVELS = ["inadequate", "requires improvement", "good", "outstanding"]
GEN_MONTHS = ["January", "March", "May", "July", "September", "November"]


def generated_article(rng: random.Random) -> str:
    """A made-up local news story with posts, a rating, an inspection, quotes, a succession and figures."""
    p1, p2 = (f"{rng.choice(GEN_FIRST)} {rng.choice(GEN_LAST)}" for _ in range(2))
    place = rng.choice(GEN_PLACES)
    council = f"{place} County Council"
    year, month = rng.randint(2015, 2023), rng.choice(GEN_MONTHS)
    return "\n".join([
        f"{council} children's services rated {rng.choice(GEN_LEVELS)} by Ofsted", "",
        f"Children's services at {council} have been rated {rng.choice(GEN_LEVELS)} by Ofsted "
        f"following an inspection in {month} {year}.",
        f"Inspectors visited the authority in {month} {year} and found that leaders had made progress.",
        f"{p1}, the {rng.choice(GEN_POSTS)} of {council}, said: \"We are determined to improve services "
        f"for every child in {place}.\"",
        f"{p2} was appointed {rng.choice(GEN_POSTS)} of the council in {rng.choice(GEN_MONTHS)} {year - 1}, "
        f"replacing {p1}.",
        f"The council said it would spend £{rng.randint(2, 90)}m on children's services and that more than "
        f"{rng.randint(10, 500)} children were in its care.",
        f"\"There is much more to do,\" said {p2}.",
    ]) + "\n"


@pytest.mark.model
def test_generated_corpus_build_conforms(tmp_path, run_cli):
    from kg.build import build

    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(20240501)
    for i in range(10):
        (src / f"gen_{i:03d}.txt").write_text(generated_article(rng), encoding="utf-8")
    out = tmp_path / "out"
    build([src], out, html=False)
    code, stats_out, _ = run_cli("stats", "--store", out, "--format", "json")
    kinds = {r["name"] for r in json.loads(stats_out) if r["group"] == "facts"}
    assert {"Post", "Quote", "Rating", "Inspection", "Figure"} <= kinds, kinds  # not a vacuous pass
    code, report, _ = run_cli("validate", "--store", out)
    assert code == 0, report


# Facts made up directly (no NLP), so every emitter sees odd but well-formed input.
NAMES = {"PERSON": ["Ann Lee", "Bob Stone", "Cara Dunn", "Lee"], "ORG": ["Leeds City Council", "Ofsted", "NSCB"],
         "PLACE": ["Leeds", "Hull"]}
DATES = ["", "2019", "2019-06", "2019-06-17", "2020", "2021-03"]


@st.composite
def article_facts(draw: st.DrawFn, aid: str):
    from kg.model import (Article, ArticleFacts, Event, Evidence, Figure, Mention, Participant, Post,
                          Quote, Rating, Succession)

    sentence = "Some sentence of the article, long enough for any span."

    spans = iter(range(100, 10_000, 7))  # a fact is read from its own place in the text

    def ev() -> Evidence:
        start = next(spans)
        return Evidence(aid, start, start + draw(st.integers(1, 6)), "span", 0, len(sentence), sentence)

    def name(kind: str) -> str:
        return draw(st.sampled_from(NAMES[kind]))

    kind = st.sampled_from(["PERSON", "ORG", "PLACE"])
    names = [(k, n) for k in NAMES for n in NAMES[k] if draw(st.booleans())]
    # a span names one thing: mentions never share offsets
    mentions = [Mention(n, k, Evidence(aid, 5 * i, 5 * i + 4, "span", 0, len(sentence), sentence),
                        org_type="regulator" if n == "Ofsted" else "",
                        acronym="NSCB" if n == "Leeds City Council" and draw(st.booleans()) else "")
                for i, (k, n) in enumerate(names)]
    text = st.text("abc xyz", min_size=1, max_size=12).filter(str.strip)
    facts = ArticleFacts(
        article=Article(aid, draw(st.sampled_from(["", "A headline"])), sentence, draw(st.sampled_from(DATES)),
                        aid + ".txt", content_hash="0" * 64),
        mentions=mentions,
        posts=[Post(name("PERSON"), draw(st.sampled_from(["chief executive", "chair"])), name("ORG"),
                    draw(st.sampled_from(["", "current", "former"])), draw(st.sampled_from(DATES)), "", ev())
               for _ in range(draw(st.integers(0, 3)))],
        events=[Event(draw(st.sampled_from(["inspection", "appointment", "death", "other"])), "trigger",
                      draw(st.sampled_from(DATES)),
                      [Participant(name(k), k, draw(st.sampled_from(["agent", "affected"])))
                       for k in draw(st.lists(kind, min_size=1, max_size=3))],
                      modality=draw(st.sampled_from(["asserted", "planned", "proposed"])), evidence=ev())
                for _ in range(draw(st.integers(0, 3)))],
        ratings=[Rating(name("ORG"), draw(st.sampled_from(["good", "inadequate", "requires improvement"])),
                        draw(st.sampled_from(DATES)), "Ofsted", draw(st.sampled_from(["", "leadership"])), ev())
                 for _ in range(draw(st.integers(0, 3)))],
        quotes=[Quote(name("PERSON"), "PERSON", draw(text), ev()) for _ in range(draw(st.integers(0, 2)))],
        successions=[Succession(name("PERSON"), name("PERSON"), draw(st.sampled_from(["", "chair"])), evidence=ev())
                     for _ in range(draw(st.integers(0, 2)))],
        figures=[Figure(draw(text), draw(text), draw(st.one_of(st.none(), st.floats(0, 1e9))),
                        draw(st.sampled_from(["", "more than"])), draw(st.sampled_from(["", "GBP"])), ev())
                 for _ in range(draw(st.integers(0, 2)))],
    )
    return facts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: pySHACL makes it slow
@given(st.lists(st.sampled_from(["a1", "a2", "a3"]), min_size=1, max_size=3, unique=True).flatmap(
    lambda ids: st.tuples(*[article_facts(i) for i in ids])))
def test_generated_facts_conform(all_facts):
    from kg.rdf import build_dataset
    from kg.resolve import resolve
    from kg.views.validate import validate_graph

    all_facts = list(all_facts)
    report = validate_graph(union(build_dataset(all_facts, resolve(all_facts))))
    assert report.conforms, report.text()


# --------------------------------------------------------------------------------------------
# push over the Graph Store Protocol
# --------------------------------------------------------------------------------------------

def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.3):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("server did not start")


@pytest.fixture
def oxigraph_server(tmp_path) -> Iterator:
    """Start real oxigraph servers on free loopback ports; all are stopped at the end."""
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> str:
        port = free_port()
        proc = subprocess.Popen([oxigraph_binary(), *args, "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        _wait_port(port, proc)
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _remote_quads(base: str) -> Dataset:
    req = urllib.request.Request(base + "/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    return ds


def test_push_each_article_graph_to_a_real_server(run_cli, seed_build, oxigraph_server, seed_ds):
    base = oxigraph_server("serve", "--location", str(Path(seed_build).parent / f"remote-{free_port()}"))
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", base + "/store")
    assert code == 0, err
    local = [(n, g) for n, g in named_graphs(seed_ds) if n is not None]
    assert f"Pushed {len(local) + 1} graph(s)" in err  # every named graph, and the union as the default graph
    remote = _remote_quads(base)
    remote_graphs = named_graphs(remote)
    assert remote_graphs[0][0] is None and same_graph(remote_graphs[0][1], union(seed_ds))
    assert [n for n, _ in remote_graphs[1:]] == [n for n, _ in local]
    for (name, g1), (_n, g2) in zip(remote_graphs[1:], local):
        assert same_graph(g1, g2), name
    # the named queries answer on the server's default graph as they do locally
    from kg.views.query import named as named_query

    q = urllib.parse.urlencode({"query": named_query("people")})
    req = urllib.request.Request(base + "/query?" + q, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        remote_people = sorted(resp.read().decode("utf-8").splitlines()[1:])
    code, out, _ = run_cli("query", "--named", "people", "--store", seed_build, "--format", "csv")
    assert remote_people == sorted(line.rstrip("\r") for line in out.splitlines()[1:]) and remote_people
    # pushing again replaces (PUT), it does not duplicate
    assert run_cli("push", "--store", seed_build, "--endpoint", base + "/store")[0] == 0
    assert len(_remote_quads(base)) == len(remote)


def test_push_union_into_one_graph(run_cli, seed_build, oxigraph_server, seed_ds, tmp_path):
    base = oxigraph_server("serve", "--location", str(tmp_path / "remote"))
    iri = "https://example.org/graphs/news"
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", base + "/store", "--graph", iri)
    assert code == 0, err
    graphs = named_graphs(_remote_quads(base))
    assert [str(n) for n, _ in graphs] == [iri] and same_graph(graphs[0][1], union(seed_ds))


def test_push_without_default_graph(run_cli, seed_build, oxigraph_server, seed_ds, tmp_path):
    base = oxigraph_server("serve", "--location", str(tmp_path / "remote"))
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", base + "/store", "--no-default-graph")
    assert code == 0, err
    assert None not in [n for n, _ in named_graphs(_remote_quads(base))]


def test_push_errors_are_one_clear_line(run_cli, seed_build, oxigraph_server):
    base = oxigraph_server("serve-read-only", "--location", str(seed_build / "store"))
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", base + "/store")
    assert code == 1 and err.startswith("Error:") and "refused the upload (HTTP 403" in err
    assert "Traceback" not in err and err.count("\n") == 1
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert code == 1 and err.startswith("Error: [E054] cannot reach")
    code, _, err = run_cli("push", "--store", seed_build, "--endpoint", "ftp://example.org/")
    assert code == 2 and "http://" in err


class _AuthStore(BaseHTTPRequestHandler):
    """A Graph Store that wants basic auth alice:s3cret and records what it was sent."""

    received: list[tuple[str, str, str, int]] = []

    def do_PUT(self) -> None:  # noqa: N802 (http.server naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(b"alice:s3cret").decode()
        self.received.append((self.path, self.headers.get("Content-Type", ""), self.headers.get("Authorization", ""),
                              len(body)))
        self.send_response(204 if ok else 401)
        if not ok:
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_push_basic_auth_from_environment(run_cli, seed_build, seed_ds, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AuthStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/ds/data"
    try:
        _AuthStore.received.clear()
        monkeypatch.delenv("KG_PUSH_AUTH", raising=False)
        code, _, err = run_cli("push", "--store", seed_build, "--endpoint", url)
        assert code == 1 and "HTTP 401" in err and "KG_PUSH_AUTH" in err
        monkeypatch.setenv("MY_STORE_AUTH", "alice:s3cret")
        code, _, err = run_cli("push", "--store", seed_build, "--endpoint", url, "--auth-env", "MY_STORE_AUTH")
        assert code == 0, err
        sent = _AuthStore.received[1:]
        assert len(sent) == len(named_graphs(seed_ds)) + 1 and all(a.startswith("Basic ") and n > 0 for _p, _t, a, n in sent)
        assert sent[0][0] == "/ds/data?default"  # the union, so Fuseki's default graph answers the named queries
        assert all(p.startswith("/ds/data?graph=https%3A%2F%2Fw3id.org%2Fnewskg%2Fid%2Fgraph%2F") for p, *_ in sent[1:])
        assert {t for _p, t, *_ in sent} == {"text/turtle; charset=utf-8"}
        monkeypatch.delenv("MY_STORE_AUTH")
        code, _, err = run_cli("push", "--store", seed_build, "--endpoint", url, "--auth-env", "MY_STORE_AUTH")
        assert code == 2 and "MY_STORE_AUTH is not set" in err
    finally:
        server.shutdown()
        server.server_close()
