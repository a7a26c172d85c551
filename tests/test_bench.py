"""The benchmark corpus generator makes valid, varied articles; the benchmark runs end to end."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return corpus.generate(12, tmp_path_factory.mktemp("corpus"))


def test_templates_find_people_and_places_in_the_seeds() -> None:
    temps = corpus.templates()
    assert len(temps) == len(list((ROOT / "seeds").glob("*.txt")))
    assert sum(len(t.people) for t in temps) >= 5 and all(t.places for t in temps)


def test_articles_are_readable_and_distinct(generated: list[Path]) -> None:
    from kg import ingest

    articles, skipped = ingest.load(generated)
    assert not skipped and len(articles) == 12
    assert len({a.text for a in articles}) == 12
    assert len({a.title for a in articles}) >= 8  # titles carry swapped places and councils
    assert all(len(a.text.split()) > 100 for a in articles)


def test_no_seed_person_or_place_survives(generated: list[Path]) -> None:
    names = {w for t in corpus.templates() for p in t.people for w in p.split()}
    names |= {p for t in corpus.templates() for p in t.places}
    for path in generated:
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if corpus._word_re(n).search(text)], path.name


def test_generation_is_deterministic_and_prefix_stable(tmp_path: Path, generated: list[Path]) -> None:
    again = corpus.generate(5, tmp_path / "five")
    assert [p.read_text() for p in again] == [p.read_text() for p in generated[:5]]
    other = corpus.variant(3, seed=1)
    assert other != generated[3].read_text().rstrip("\n")


def test_years_shift_together_and_ordinals_stay_well_formed() -> None:
    import random
    import re

    out = corpus._numbers("in 2013 and 2016, 43 per cent, the 27th", random.Random(1), 3)
    assert out.startswith("in 2016 and 2019, ")
    n, suffix = re.search(r"the (\d+)(\w+)$", out).groups()
    assert 1 <= int(n) <= 28 and suffix == corpus._ordinal(int(n))


def test_benchmark_runs_end_to_end_at_tiny_n(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "6", "--workers", "2",
                          "--repeats", "1", "--no-single", "--rounds", "2", "--work", str(tmp_path / "w"),
                          "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    data = json.loads(out.read_text())
    size = data["sizes"]["6"]
    assert size["articles"] == 6 and size["words"] > 600
    assert size["bare_spacy"]["returncode"] == 0 and size["kg_build_w2"]["returncode"] == 0
    assert size["build_vs_spacy"] > 0 and size["store_mb"] > 0
    assert len(size["rounds"]["bare_spacy_w2"]) == len(size["rounds"]["kg_build_w2"]) == 2  # interleaved runs
    assert size["kg_build_w2"]["wall_s"] in size["rounds"]["kg_build_w2"]
    from kg.views.query import named_queries
    assert set(size["queries"]) == set(named_queries())
    assert data["machine"]["nproc"] >= 1 and {"build_vs_spacy", "first_page_ms", "cold_query_s", "add_one_share", "serial_tail_share"} <= set(data["targets"])
    assert json.loads(res.stdout) == data
    assert size["add_one"]["returncode"] == 0 and size["remove_one"]["returncode"] == 0
    assert all("first_page" in q for q in size["queries"].values())
    assert "kg_body_ruler" in data["components"]["seconds"]
    assert len(data["components"]["paired"]["ratio"]) == 3
