"""Accuracy floors on the annotated corpora: a change that regresses a question fails here.

- ``dev``: the shared development corpus (15 articles), used while writing the rules;
- ``indep_a``, ``indep_b``: 9 articles each, written and annotated from real public events by
  people who never saw the extractor, and not used to write rules (held out);
- ``dev_c``, ``dev_d``: 8 articles each, written the same way; new development data.

The floors sit a little under the scores measured when they were set (README, "Accuracy");
raise them when extraction improves.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.views.evaluate import evaluate

from conftest import ROOT

pytestmark = pytest.mark.model
DATA = ROOT / "tests" / "data"

FLOORS = {
    "dev": (0.90, {"people": 0.96, "organisations": 0.94, "places": 0.87, "roles": 0.86, "ratings": 0.88, "events": 0.77, "quotes": 0.94, "succession": 0.92, "mentions": 0.95, "figures": 0.78}),
    "indep_a": (0.76, {"people": 0.90, "organisations": 0.84, "places": 0.78, "roles": 0.74, "ratings": 0.69, "events": 0.63, "quotes": 0.90, "succession": 0.53, "mentions": 0.91, "figures": 0.56}),
    "indep_b": (0.73, {"people": 0.86, "organisations": 0.88, "places": 0.84, "roles": 0.82, "ratings": 0.47, "events": 0.60, "quotes": 0.81, "succession": 0.39, "mentions": 0.91, "figures": 0.67}),
    "dev_c": (0.85, {"people": 0.94, "organisations": 0.87, "places": 0.88, "roles": 0.79, "ratings": 0.77, "events": 0.63, "quotes": 0.90, "succession": 0.85, "mentions": 0.92, "figures": 0.82}),
    "dev_d": (0.85, {"people": 0.94, "organisations": 0.88, "places": 0.81, "roles": 0.75, "ratings": 0.81, "events": 0.69, "quotes": 0.92, "succession": 0.89, "mentions": 0.92, "figures": 0.76}),
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_corpus_floors(corpus: str, tmp_path: Path) -> None:
    build([DATA / corpus / "articles"], tmp_path, html=False)
    result = evaluate(DATA / corpus / "gold.json", tmp_path)
    macro, floors = FLOORS[corpus]
    low = {q: (result["questions"][q]["f1"], f) for q, f in floors.items() if result["questions"][q]["f1"] < f}
    assert not low, low
    assert result["macro_f1"] >= macro, result["macro_f1"]
