"""Interrupted builds: a build killed at any moment (SIGKILL, Ctrl-C) leaves the previous graph.ttl,
graph.html and store complete and usable, and the next build completes and cleans up."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
import pytest
import rdflib

from kg.store import ASIDE, STAGED

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Amara", "Bryn", "Carys", "Dalia", "Emrys", "Fenella", "Gideon", "Hester"]
LAST = ["Ashby", "Brook", "Calder", "Dunmore", "Ellery", "Fairley", "Garth", "Holm"]
TOWNS = ["Ashdown", "Wexmoor", "Kelsbury", "Marlow Vale", "Tenby Cross"]


def corpus(folder: Path, n: int, start: int = 0) -> Path:
    """``n`` small generated articles (quick to read with a blank pipeline)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        who, town = f"{FIRST[i % 8]} {LAST[(i // 8) % 8]}", TOWNS[i % 5]
        (folder / f"a{i:03d}.txt").write_text(
            f"{town} council names new chief\n\n{who} was appointed chief executive of {town} Borough "
            f"Council in March {2010 + i % 10}. Ofsted rated {town} children's services inadequate in "
            f"{2009 + i % 10}.\n\n\"We will do better,\" said {who}. The council has a £{i + 3}m overspend.\n",
            encoding="utf-8")
    return folder


def kg_build(src: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--model", "", "--workers", "1"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def snapshot(out: Path) -> tuple[bytes, int, frozenset]:
    """graph.ttl, graph.html's size and the store's quads, each read in full (so each must be complete).

    graph.html is compared by size: it is complete, but its evidence lists are not yet in a
    stable order (ties between articles of the same title), so its bytes can differ."""
    st = ox.Store.read_only(str(out / "store"))
    quads = frozenset(str(q) for q in st)
    html = (out / "graph.html").read_bytes()
    assert quads and html.rstrip().endswith(b"</html>")
    return (out / "graph.ttl").read_bytes(), len(html), quads


def usable(out: Path) -> None:
    """The build folder answers queries through the CLI and its Turtle parses."""
    articles = "SELECT ?a WHERE { ?a a <https://w3id.org/newskg/ns#Article> }"
    run = subprocess.run([sys.executable, "-m", "kg", "query", articles, "--store", str(out), "--format", "csv"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and len(run.stdout.splitlines()) > 20, run.stderr
    assert len(rdflib.Graph().parse(out / "graph.ttl", format="turtle")) > 100


def wait_for(proc: subprocess.Popen, seen: Callable[[], bool], limit: float = 60.0) -> bool:
    """Poll until ``seen()`` or the process ends; True if seen while it was still running."""
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        if seen():
            return True
        time.sleep(0.0005)
    return False


def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> int:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout=60)
    finally:
        proc.stdout.close()
        proc.stderr.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A previous build (20 articles), and the outputs a complete build after adding 20 more gives."""
    base = tmp_path_factory.mktemp("atomic")
    old_src = corpus(base / "old", 20)
    new_src = corpus(base / "new", 20, start=20)
    prev = base / "prev"
    assert kg_build(old_src, prev).wait() == 0
    full = base / "full"
    shutil.copytree(prev, full)
    t0 = time.monotonic()
    proc = kg_build(new_src, full)
    assert proc.wait() == 0, proc.stderr.read()
    return {"prev": prev, "new": new_src, "old": snapshot(prev), "full": snapshot(full),
            "seconds": time.monotonic() - t0}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name in (STAGED, ASIDE) or p.name.endswith(".tmp")) + \
        sorted(p.name for p in (out / "facts").iterdir() if p.name.endswith(".tmp"))


def check_then_finish(out: Path, builds: dict, status: int) -> None:
    """After a kill: each output is complete (the old one or the new one) and usable; the next build completes."""
    assert status in (-signal.SIGKILL, 0)
    ttl, html, quads = snapshot(out) if (out / "store").is_dir() else (None, None, None)
    if ttl is None:  # killed between the store's two renames: readers use store.old meanwhile
        assert (out / ASIDE).is_dir()
    else:
        assert ttl in (builds["old"][0], builds["full"][0])
        assert html in (builds["old"][1], builds["full"][1])
        assert quads in (builds["old"][2], builds["full"][2])
    usable(out)
    proc = kg_build(builds["new"], out)
    status = proc.wait(timeout=300)
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert status == 0 and "Traceback" not in err, err
    assert snapshot(out) == builds["full"]
    assert leftovers(out) == []


MOMENTS = {
    "store staged": lambda out: (out / STAGED).is_dir(),
    "graph.ttl staged": lambda out: any(out.glob(".graph.ttl*.tmp")),
    "graph.html staged": lambda out: any(out.glob(".graph.html*.tmp")),
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["store staged", "graph.ttl staged", "graph.html staged"])
def test_sigkill_at_a_moment_keeps_previous_outputs(builds, tmp_path: Path, moment: str) -> None:
    out = tmp_path / "b"
    shutil.copytree(builds["prev"], out)
    proc = kg_build(builds["new"], out)
    seen = wait_for(proc, lambda: MOMENTS[moment](out))
    status = kill(proc)
    if not seen:
        pytest.skip(f"the build finished before '{moment}' was seen")  # a fast machine; the delays below still run
    check_then_finish(out, builds, status)


@pytest.mark.slow
def test_sigkill_after_random_delays(builds, tmp_path: Path) -> None:
    rng = random.Random(8)
    span = float(builds["seconds"])  # type: ignore[arg-type]
    for n, delay in enumerate(sorted(rng.uniform(0.2, span) for _ in range(6))):
        out = tmp_path / f"b{n}"
        shutil.copytree(builds["prev"], out)
        proc = kg_build(builds["new"], out)
        time.sleep(delay)
        check_then_finish(out, builds, kill(proc))


@pytest.mark.slow
def test_ctrl_c_keeps_previous_outputs(builds, tmp_path: Path) -> None:
    out = tmp_path / "b"
    shutil.copytree(builds["prev"], out)
    proc = kg_build(builds["new"], out)
    assert wait_for(proc, lambda: (out / STAGED).is_dir()) or proc.returncode == 0
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    status = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert status in (130, 0) and "Traceback" not in err
    if status == 130:
        assert "Aborted." in err and not (out / STAGED).exists()  # an interrupt cleans up after itself
    check_then_finish(out, builds, 0)


def test_interrupted_between_renames_is_recovered(run_cli, tmp_path: Path, seed_build: Path) -> None:
    """The state a kill between the store's two renames leaves (store.old, a staged store.new, temp
    files) reads as the previous build, and the next build puts it back, says so, and completes."""
    out = tmp_path / "b"
    shutil.copytree(seed_build, out)
    before = snapshot(out)
    (out / "store").rename(out / ASIDE)
    (out / STAGED).mkdir()
    (out / STAGED / "CURRENT").write_text("half written")
    (out / ".graph.ttlx1y2.tmp").write_text("@prefix half")
    (out / "facts" / ".abc.json123.tmp").write_text("{")
    code, csv_out, err = run_cli("query", "--named", "people", "--store", out, "--format", "csv")
    assert code == 0 and "Malcolm Newsam" in csv_out
    from kg.build import writing

    with writing(out):
        pass
    assert snapshot(out) == before and leftovers(out) == []


def test_second_writer_is_refused(tmp_path: Path) -> None:
    from kg import errors
    from kg.build import writing

    with writing(tmp_path):
        with pytest.raises(errors.KGError, match="another 'kg build'"):
            with writing(tmp_path):
                pass
    with writing(tmp_path):  # released
        pass


def test_failed_write_leaves_previous_outputs(tmp_path: Path, seed_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while the new outputs are being written (here: rendering graph.html) changes nothing."""
    from kg import build as build_mod
    from kg.views import render

    out = tmp_path / "b"
    shutil.copytree(seed_build, out)
    before = snapshot(out)

    def broken(*_a: object, **_k: object) -> str:
        raise MemoryError("out of memory while rendering")

    monkeypatch.setattr(render, "render_html", broken)
    with pytest.raises(MemoryError):
        build_mod.build([corpus(tmp_path / "more", 2)], out, model="")
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith((".graph", STAGED))) == []


# ---------------------------------------------------------------- kg correct, killed on the way

def kg_correct(out: Path, *args: str, pause: str = "") -> subprocess.Popen:
    env = dict(os.environ, KG_TEST_PAUSE=pause) if pause else None
    cmd = [sys.executable, "-m", "kg", "correct", *args, "--store", str(out)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=env)


@pytest.fixture(scope="module")
def corrected(builds, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A build with one correction, and what adding a second one gives (corrections.toml and outputs)."""
    base = tmp_path_factory.mktemp("correct")
    prev = base / "prev"
    shutil.copytree(builds["prev"], prev)
    proc = kg_correct(prev, "reject", "Ofsted")
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    full = base / "full"
    shutil.copytree(prev, full)
    t0 = time.monotonic()
    proc = kg_correct(full, "set", "Ashdown Borough Council", "--label", "Ashdown council")
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    state = lambda out: ((out / "corrections.toml").read_bytes(), snapshot(out))  # noqa: E731
    return {"prev": prev, "old": state(prev), "new": state(full), "state": state,
            "seconds": time.monotonic() - t0}


def check_correct_then_finish(out: Path, corrected: dict, status: int) -> None:
    """After a kill: corrections.toml and each output are whole, the old or the new; the next command
    cleans up and completes."""
    assert status in (-signal.SIGKILL, 0)
    toml = (out / "corrections.toml").read_bytes()
    assert toml in (corrected["old"][0], corrected["new"][0])
    if (out / "store").is_dir():
        ttl, html, quads = snapshot(out)
        assert ttl in (corrected["old"][1][0], corrected["new"][1][0])
        assert quads in (corrected["old"][1][2], corrected["new"][1][2])
    usable(out)
    if toml == corrected["old"][0]:
        proc = kg_correct(out, "set", "Ashdown Borough Council", "--label", "Ashdown council")
    else:
        proc = kg_build(corpus(out.parent / f"src-{out.name}", 20), out)  # the same 20 articles: a rebuild
    status = proc.wait(timeout=300)
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert status == 0 and "Traceback" not in err, err
    assert corrected["state"](out) == corrected["new"]
    assert leftovers(out) == []


@pytest.mark.slow
def test_sigkill_during_kg_correct_with_everything_staged(corrected, tmp_path: Path) -> None:
    out = tmp_path / "b"
    shutil.copytree(corrected["prev"], out)
    proc = kg_correct(out, "set", "Ashdown Borough Council", "--label", "Ashdown council", pause="outputs staged:60")
    assert wait_for(proc, lambda: any(out.glob(".corrections.toml*.tmp")), limit=120)
    assert any(out.glob(".graph.ttl*.tmp")) and (out / STAGED).is_dir()
    status = kill(proc)
    assert corrected["state"](out) == corrected["old"]  # nothing committed yet: all old
    check_correct_then_finish(out, corrected, status)


@pytest.mark.slow
def test_sigkill_during_kg_correct_after_random_delays(corrected, tmp_path: Path) -> None:
    rng = random.Random(14)
    span = float(corrected["seconds"])  # type: ignore[arg-type]
    for n, delay in enumerate(sorted(rng.uniform(0.05, span) for _ in range(5))):
        out = tmp_path / f"b{n}"
        shutil.copytree(corrected["prev"], out)
        proc = kg_correct(out, "set", "Ashdown Borough Council", "--label", "Ashdown council")
        time.sleep(delay)
        check_correct_then_finish(out, corrected, kill(proc))
