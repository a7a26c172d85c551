"""Atomic files: written aside (flushed to disk), then renamed over the old one, so a reader or a
killed process never sees half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
