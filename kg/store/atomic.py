"""Atomic files: written aside (flushed to disk), then renamed over the old one, so a reader or a
killed process never sees half a file."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator


def stage_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` (flushed to disk); returns its path."""
    with staged_file(path) as (tmp, f):
        f.write(data)
    return tmp


@contextlib.contextmanager
def staged_file(path: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A hidden temporary file beside ``path`` to write into (streamed), flushed to disk on leaving;
    removed again if the writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield Path(tmp), f
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        os.unlink(tmp)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    tmp = stage_write(path, data)
    try:
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
