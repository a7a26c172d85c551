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
    "dev": (0.81, {"people": 0.95, "organisations": 0.93, "places": 0.80, "roles": 0.74, "ratings": 0.73, "events": 0.65, "quotes": 0.94, "succession": 0.81, "mentions": 0.94, "figures": 0.54}),
    "indep_a": (0.69, {"people": 0.90, "organisations": 0.82, "places": 0.71, "roles": 0.64, "ratings": 0.56, "events": 0.48, "quotes": 0.90, "succession": 0.44, "mentions": 0.89, "figures": 0.42}),
    "indep_b": (0.67, {"people": 0.82, "organisations": 0.85, "places": 0.77, "roles": 0.71, "ratings": 0.31, "events": 0.56, "quotes": 0.81, "succession": 0.25, "mentions": 0.90, "figures": 0.58}),
    "dev_c": (0.69, {"people": 0.94, "organisations": 0.80, "places": 0.73, "roles": 0.59, "ratings": 0.43, "events": 0.39, "quotes": 0.80, "succession": 0.66, "mentions": 0.90, "figures": 0.55}),
    "dev_d": (0.65, {"people": 0.90, "organisations": 0.84, "places": 0.60, "roles": 0.59, "ratings": 0.53, "events": 0.42, "quotes": 0.84, "succession": 0.30, "mentions": 0.90, "figures": 0.47}),
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_corpus_floors(corpus: str, tmp_path: Path) -> None:
    build([DATA / corpus / "articles"], tmp_path, html=False)
    result = evaluate(DATA / corpus / "gold.json", tmp_path)
    macro, floors = FLOORS[corpus]
    low = {q: (result["questions"][q]["f1"], f) for q, f in floors.items() if result["questions"][q]["f1"] < f}
    assert not low, low
    assert result["macro_f1"] >= macro, result["macro_f1"]
