"""kg serve: a real SPARQL endpoint over the store, which answers like kg query, refuses writes
unless told, and never outlives the command."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from kg.views.query import named_queries
from kg.remote.serve import Server, command, free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for child processes")


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        kids.extend(int(k) for k in text)
    return kids


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def sparql(url: str, query: str) -> list[dict[str, str]]:
    req = urllib.request.Request(url + "query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        doc = json.load(resp)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


@pytest.fixture
def kg_serve(seed_build):
    """Start `kg serve` as a real process; yields (process, url, oxigraph pid); kills both at the end."""
    started: list[subprocess.Popen] = []

    def start(*extra: str) -> tuple[subprocess.Popen, str, int]:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(seed_build), "--port", "0", *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(proc)
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.poll() is not None else url
        kids = children(proc.pid)
        assert len(kids) == 1
        return proc, url, kids[0]

    yield start
    for proc in started:
        kids = children(proc.pid) if alive(proc.pid) else []
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for k in kids:
            if alive(k):
                os.kill(k, signal.SIGKILL)


def test_endpoint_answers_every_named_query_like_kg_query(kg_serve, seed_build, run_cli):
    proc, url, _ = kg_serve()
    for name, text in named_queries().items():
        code, out, _ = run_cli("query", "--named", name, "--store", seed_build, "--format", "json")
        want = json.loads(out)
        got = sparql(url, text)
        cols = list(want[0]) if want else []
        assert Counter(tuple(r.get(c, "") for c in cols) for r in got) == \
            Counter(tuple(r[c] for c in cols) for r in want), name
    with urllib.request.urlopen(url, timeout=10) as resp:  # the query page
        assert resp.status == 200 and b"<html" in resp.read().lower()


def test_read_only_unless_writable(kg_serve):
    _, url, _ = kg_serve()
    req = urllib.request.Request(url + "update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                 headers={"Content-Type": "application/sparql-update"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=10)
    assert exc.value.code in (403, 405)


def test_writable_accepts_updates(seed_build, tmp_path):
    import shutil

    shutil.copytree(seed_build / "store", tmp_path / "store")
    with Server(tmp_path, port=0, writable=True) as server:
        req = urllib.request.Request(server.url + "update", data=b"INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
                                     headers={"Content-Type": "application/sparql-update"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status in (200, 204)
        rows = sparql(server.url, "SELECT ?o WHERE { <urn:a> <urn:b> ?o }")
        assert rows == [{"o": "urn:c"}]
    assert server.proc is not None and server.proc.poll() is not None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_server_and_child(kg_serve, sig):
    proc, url, child = kg_serve()
    assert sparql(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] != "0"
    proc.send_signal(sig)
    assert proc.wait(15) == 0
    assert "Stopped." in proc.stderr.read()
    assert wait_gone(child), "oxigraph outlived kg serve"


def test_killed_command_takes_server_with_it(kg_serve):
    proc, _url, child = kg_serve()
    proc.kill()  # no chance to clean up: the kernel must stop the child
    proc.wait()
    assert wait_gone(child), "oxigraph outlived a killed kg serve"


def test_port_in_use_is_a_clear_error(seed_build, run_cli):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, out, err = run_cli("serve", "--store", seed_build, "--port", str(port))
    assert code == 1 and out == "" and "Error: [E044] the SPARQL server did not start" in err


def test_binds_loopback_by_default_default_graph_is_union(seed_build):
    argv = command(seed_build, "127.0.0.1", 7878)
    # read-only: the store's default graph is the materialised union, so no live-union flag
    assert argv[1] == "serve-read-only" and "127.0.0.1:7878" in argv and "--union-default-graph" not in argv
    writable = command(seed_build, "127.0.0.1", 7878, writable=True)
    assert writable[1] == "serve" and "--union-default-graph" in writable


def test_read_only_server_answers_named_queries_like_the_cli(kg_serve, seed_build):
    from kg.views.query import named, run

    proc, url, _child = kg_serve()
    served = sparql(url, named("people"))
    assert sorted(r["name"] for r in served) == sorted(r[0] for r in run(seed_build, named("people")).rows)


def test_not_a_build_folder(run_cli, tmp_path):
    code, _, err = run_cli("serve", "--store", tmp_path)
    assert code == 1 and err.startswith("Error:") and "kg build" in err
