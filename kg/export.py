"""Write a build's outputs: graph.ttl, the embedded store, graph.html. Each replaced atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .graph import build_dataset, union_graph
from .model import ArticleFacts
from .resolve import Resolution
from .store import TURTLE, write_store

HTML = "graph.html"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_outputs(facts: list[ArticleFacts], res: Resolution, out: Path, html: bool = True) -> int:
    """Write graph.ttl, store/ and (optionally) graph.html into ``out``; returns the triple count."""
    from .render import render_html

    out.mkdir(parents=True, exist_ok=True)
    ds = build_dataset(facts, res)
    union = union_graph(ds)
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    write_store(nquads, out)
    atomic_write(out / TURTLE, union.serialize(format="turtle", encoding="utf-8"))
    if html:
        atomic_write(out / HTML, render_html(union).encode("utf-8"))
    return len(union)
