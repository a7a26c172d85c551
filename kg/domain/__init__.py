"""Rules as data: lexicons and patterns in ``kg/data`` loaded once and cached."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent / "ontology"  # kg.ttl and shapes.ttl, shipped inside the package


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Parse ``kg/data/NAME`` (JSON)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple[dict, ...]:
    """Parse ``kg/data/NAME`` (one JSON object a line; blank lines and // comments skipped)."""
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            out.append(json.loads(line))
    return tuple(out)
