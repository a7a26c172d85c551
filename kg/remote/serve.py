"""Serve: a real SPARQL 1.1 endpoint over a build's store, by running the ``oxigraph`` server.

The server (from the PyPI ``oxigraph`` package) answers SPARQL 1.1 Query (``/query``),
Update (``/update``, only with ``writable``) and the Graph Store Protocol (``/store``), and
serves a query page at ``/``. Its default graph is the union of the named graphs (materialised in
the store when it is written), as in
``kg query``. The server runs as a child process that dies with us: signals are forwarded,
and on Linux the kernel kills it if this process dies first.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from types import FrameType
from typing import Callable, TextIO

from kg import errors
from kg.store import STORE_DIR



def oxigraph_binary() -> str:
    """The ``oxigraph`` executable: beside this Python (a venv's bin/) or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise errors.KGError(errors.SERVER_MISSING)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def store_location(store: str | Path) -> Path:
    p = Path(store)
    if p.is_dir() and (p / STORE_DIR).is_dir():
        return p / STORE_DIR
    if p.is_dir() and p.name == STORE_DIR and any(p.iterdir()):
        return p
    raise errors.KGError(errors.NO_STORE_DIR.format(path=p))


def command(store: str | Path, host: str, port: int, writable: bool = False) -> list[str]:
    """The oxigraph command line for serving ``store``."""
    mode = "serve" if writable else "serve-read-only"
    # Read-only: the store's default graph already holds the union (materialised at build time).
    # Writable: writes land in named graphs, so the default graph must be the live union.
    union = ["--union-default-graph"] if writable else []
    return [oxigraph_binary(), mode, "--location", str(store_location(store)),
            "--bind", f"{host}:{port}", *union]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: ask the kernel to SIGTERM the server when the process that started it dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """A running oxigraph server; a context manager that always stops it."""

    def __init__(self, store: str | Path, host: str = "127.0.0.1", port: int = 7878,
                 writable: bool = False, log: TextIO | None = None) -> None:
        self.host, self.writable = host, writable
        self.port = free_port(host if host not in ("0.0.0.0", "::") else "127.0.0.1") if port == 0 else port
        self.argv = command(store, host, self.port, writable)
        self.log = log
        self.proc: subprocess.Popen[str] | None = None
        self._tail: deque[str] = deque(maxlen=20)
        self._reader: threading.Thread | None = None
        self._listening = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self, timeout: float = 30.0) -> "Server":
        """Start the server and wait until it accepts connections; KGError if it exits instead."""
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True,
                                     preexec_fn=_die_with_parent,
                                     env={**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"})
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()
        probe = "127.0.0.1" if self.host in ("0.0.0.0", "") else ("::1" if self.host == "::" else self.host)
        t0 = time.monotonic()
        connected_at: float | None = None
        while time.monotonic() < t0 + timeout:
            if self.proc.poll() is not None:
                self._reader.join(2)
                detail = self._error() or f"exit code {self.proc.returncode}"
                raise errors.KGError(errors.SERVER_NOT_STARTED.format(host=self.host, port=self.port, detail=detail))
            if self._listening.wait(0.05):
                return self
            # Fallback for a server that does not say so: the port answers and it has stayed up a while
            # (someone else on the port answers too, but then our server exits at once).
            try:
                with socket.create_connection((probe, self.port), timeout=0.5):
                    connected_at = connected_at or time.monotonic()
            except OSError:
                connected_at = None
            if connected_at is not None and time.monotonic() - connected_at > 2.0:
                return self
        self.stop()
        raise errors.KGError(errors.SERVER_SILENT.format(host=self.host, port=self.port, timeout=timeout))

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self._tail.append(line.strip())
            if line.startswith("Listening for requests"):
                self._listening.set()
            elif self.log is not None and self._listening.is_set():  # before that, errors go in KGError
                self.log.write(line)
                self.log.flush()

    def _error(self) -> str:
        """The server's own error line, without its backtrace."""
        lines = [line for line in self._tail if line and not line.startswith("Listening")]
        first = next((line for line in lines if line.lower().startswith("error")), lines[0] if lines else "")
        return first.removeprefix("Error: ").strip()

    def stop(self, grace: float = 5.0) -> int | None:
        """SIGTERM the server, then SIGKILL after ``grace`` seconds; returns its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._reader is not None:
            self._reader.join(2)
        return self.proc.returncode

    def wait(self) -> int:
        assert self.proc is not None
        return self.proc.wait()

    def __enter__(self) -> "Server":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_until_stopped(server: Server, on_ready: Callable[[Server], None] | None = None) -> int:
    """Run ``server`` until it exits or we get SIGINT/SIGTERM (forwarded to it); returns 0 on a clean stop."""
    stopping = threading.Event()

    def forward(signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        if server.proc is not None and server.proc.poll() is None:
            server.proc.terminate()

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        if on_ready:
            on_ready(server)
        code = server.wait()
    finally:
        server.stop()
        for s, h in old.items():
            signal.signal(s, h)
    if stopping.is_set():
        return 0
    detail = server._error()
    raise errors.KGError(errors.SERVER_STOPPED.format(code=code, detail=": " + detail if detail else ""))
