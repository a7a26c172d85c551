"""Write a build's outputs: graph.ttl, the embedded store, graph.html, each replaced whole.

Everything is first written aside (store.new, hidden temporary files), and only when all of it
is complete are the outputs swapped in, in three renames that take milliseconds: a build
interrupted at any moment before leaves the previous outputs untouched, and one interrupted
during the swap leaves each output complete, either the old or the new (and the next build,
which finds no outputs key, rewrites them all).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .graph import build_dataset, union_graph
from .model import ArticleFacts
from .resolve import Resolution
from .store import STAGED, TURTLE, commit_store, stage_store

HTML = "graph.html"


def stage_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` (flushed to disk); returns its path."""
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
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    tmp = stage_write(path, data)
    try:
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_outputs(facts: list[ArticleFacts], res: Resolution, out: Path, html: bool = True) -> int:
    """Write graph.ttl, store/ and (optionally) graph.html into ``out``; returns the triple count."""
    from .exporters import EXPORTERS, Source
    from .render import render_html

    out.mkdir(parents=True, exist_ok=True)
    ds = build_dataset(facts, res)
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    # graph.ttl is written from the store's own quads, so it says exactly what the store holds
    # (literal forms included) and is byte-identical to 'kg export --format turtle'
    staged: dict[Path, Path] = {}
    try:
        src = Source(stage_store(nquads, out))
        staged[out / TURTLE] = stage_write(out / TURTLE, EXPORTERS["turtle"].write(src))
        if html:
            staged[out / HTML] = stage_write(out / HTML, render_html(union_graph(ds)).encode("utf-8"))
        commit_store(out)
        for final, tmp in staged.items():
            os.replace(tmp, final)
    finally:  # on any error or interrupt: nothing half-written stays behind
        shutil.rmtree(out / STAGED, ignore_errors=True)
        for tmp in staged.values():
            if tmp.exists():
                tmp.unlink()
    return len(src.triples())
