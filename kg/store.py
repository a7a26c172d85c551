"""Store: the embedded on-disk SPARQL store (pyoxigraph) and reading a built graph back.

A build folder holds ``graph.ttl`` (the union of all graphs) and ``store/`` (an Oxigraph
database with one named graph per article). Queries see the union of all graphs as the
default graph, so the same SPARQL runs unchanged on ``graph.ttl`` in any other engine.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from . import errors

STORE_DIR = "store"
TURTLE = "graph.ttl"


def write_store(nquads: bytes, out: Path) -> Path:
    """Replace ``out/store`` by a new store holding ``nquads``; written aside, then swapped in."""
    final = out / STORE_DIR
    tmp = out / (STORE_DIR + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    st = ox.Store(str(tmp))
    st.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    st.flush()
    del st
    old = out / (STORE_DIR + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def open_store(path: str | Path) -> ox.Store:
    """Open a build folder's store read-only, or load a Turtle/N-Triples/N-Quads/TriG file in memory."""
    p = Path(path)
    if p.is_dir() and (p / STORE_DIR).is_dir():
        try:
            return ox.Store.read_only(str(p / STORE_DIR))
        except OSError as e:
            raise errors.KGError(errors.STORE_LOCKED.format(path=p)) from e
    if p.is_dir() and (p / TURTLE).is_file():
        p = p / TURTLE
    if p.is_file():
        fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG}.get(p.suffix.lower())
        if fmt is None:
            raise errors.KGError(errors.STORE_MISSING.format(path=p))
        st = ox.Store()
        try:
            st.bulk_load(path=str(p), format=fmt)
        except SyntaxError as e:
            raise errors.KGError(f"{p} is not valid RDF: {e}") from e
        return st
    raise errors.KGError(errors.STORE_MISSING.format(path=p))
