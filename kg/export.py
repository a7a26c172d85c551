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
    from .exporters import EXPORTERS, Source
    from .render import render_html

    out.mkdir(parents=True, exist_ok=True)
    ds = build_dataset(facts, res)
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    write_store(nquads, out)
    # graph.ttl is written from the store, so it says exactly what the store holds (literal forms
    # included) and is byte-identical to 'kg export --format turtle'
    src = Source.from_store(out)
    atomic_write(out / TURTLE, EXPORTERS["turtle"].write(src))
    if html:
        atomic_write(out / HTML, render_html(union_graph(ds)).encode("utf-8"))
    return len(src.triples())
