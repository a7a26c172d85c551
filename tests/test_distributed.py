"""Extraction on a Dask cluster gives exactly the graph of a local build."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")
from dask.distributed import Client, LocalCluster  # noqa: E402

from kg import errors, run as pipeline
from kg.run import cluster as distributed  # noqa: E402
from kg.model import Article  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def cluster():
    """Two in-process workers of one thread each: they share one cached pipeline, taking turns."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def _articles(n: int) -> list[Article]:
    return [Article(id=f"d{i:03d}", title="t", text=f"Ms Carys Ashdown joined Wexmoor Borough Council in 20{i:02d}.")
            for i in range(n)]


def test_cluster_returns_facts_in_input_order(cluster) -> None:
    arts = _articles(23)
    seen: list[int] = []
    got = list(pipeline.extract_all(arts, "", scheduler=cluster.scheduler_address, progress=seen.append))
    assert got == list(pipeline.extract_all(arts, "", workers=1))
    assert sum(seen) == 23


def test_an_open_client_is_used_and_left_open(cluster) -> None:
    with Client(cluster, set_as_default=False) as client:
        got = list(pipeline.extract_all(_articles(3), "", scheduler=client))
        assert [f.article.id for f in got] == ["d000", "d001", "d002"]
        assert client.status == "running"


@pytest.mark.model
def test_cluster_build_equals_local_build(cluster, seed_build: Path, tmp_path: Path) -> None:
    from kg.build import build

    out = tmp_path / "dask"
    report = build([SEEDS], out, scheduler=cluster.scheduler_address)
    assert report.articles == 5
    assert (out / "graph.ttl").read_bytes() == (seed_build / "graph.ttl").read_bytes()


def test_unreachable_scheduler_is_a_one_line_error(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", "1s")
    code, out, err = run_cli("build", str(SEEDS / "000_50cded4d27f82e36.txt"), "--out", str(tmp_path / "o"),
                             "--model", "", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("Error: [E043] cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in err


def test_missing_dask_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name.startswith("dask"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(errors.KGError, match=r"pip install 'newskg\[distributed\]'"):
        distributed.connect("tcp://127.0.0.1:9")
