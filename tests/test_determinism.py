"""Repeatable output: the same articles give a byte-identical graph.ttl and the same store, whatever
order the files are listed in, however many workers read them, and whatever the hash seed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import SEEDS
from kg import run as pipeline
from kg.build import build

ROOT = Path(__file__).resolve().parent.parent
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def quads(out: Path) -> list[str]:
    st = ox.Store.read_only(str(out / "store"))
    return sorted(str(q) for q in st)


def assert_identical(a: Path, b: Path) -> None:
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes()
    qa = quads(a)
    assert qa == quads(b) and len(qa) > 1000


def test_order_and_workers_do_not_change_the_graph(seed_build: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PER_WORKER", 1)  # five articles are enough to start the pool
    build(list(reversed(SEED_FILES)), tmp_path / "two", workers=2)
    assert_identical(seed_build, tmp_path / "two")


@pytest.mark.slow
def test_separate_processes_and_hash_seeds_give_the_same_bytes(seed_build: Path, tmp_path: Path) -> None:
    """Builds in fresh processes with different PYTHONHASHSEEDs (set and dict order of strings)."""
    orders = [[str(f) for f in SEED_FILES[::-1]], [str(f) for f in SEED_FILES[2:] + SEED_FILES[:2]]]
    for n, (files, seed) in enumerate(zip(orders, ("1", "2"))):
        out = tmp_path / f"b{n}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-m", "kg", "build", *files, "--out", str(out), "--workers", "1",
                              "--no-html"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        assert_identical(seed_build, out)


def test_rebuild_into_the_same_folder_changes_nothing(tmp_path: Path) -> None:
    """A second build of the same input (blank pipeline: quick) leaves every output byte as it was."""
    src = tmp_path / "in"
    src.mkdir()
    for f in SEED_FILES:
        (src / f.name).write_bytes(f.read_bytes())
    build([src], tmp_path / "a", model="")
    first = (tmp_path / "a" / "graph.ttl").read_bytes(), quads(tmp_path / "a")
    build([src], tmp_path / "b", model="")
    (tmp_path / "a" / "facts" / "outputs.key").unlink()  # make the second build rewrite everything
    build([src], tmp_path / "a", model="")
    assert ((tmp_path / "a" / "graph.ttl").read_bytes(), quads(tmp_path / "a")) == first
    assert_identical(tmp_path / "a", tmp_path / "b")


def test_graph_html_is_byte_identical(tmp_path):
    """The page's evidence lists have a total order, so two builds write the same bytes."""
    from kg.build import build

    from conftest import SEEDS

    a, b = tmp_path / "a", tmp_path / "b"
    build([SEEDS], a, model="")
    build([SEEDS], b, model="")
    assert (a / "graph.html").read_bytes() == (b / "graph.html").read_bytes()
