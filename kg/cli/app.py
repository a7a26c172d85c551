"""The typer app and the options every command shares, defined once (sqlite-utils style).

Command modules import only this module and the library; they register their commands on ``app``.
"""
from __future__ import annotations

import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Build, query and explore a knowledge graph of news articles.\n\n"
                       "Example: kg build seeds --out output && kg query --named people --store output")
log = logging.getLogger("kg")


class Rows(str, Enum):
    """How rows are printed: an aligned table, CSV, a JSON list, or one JSON object a line."""

    table = "table"
    csv = "csv"
    json = "json"
    ndjson = "ndjson"


class Report(str, Enum):
    """How a report is printed: text for people, JSON for programs."""

    table = "table"
    json = "json"


class Serialisation(str, Enum):
    """The export formats (kg.formats.EXPORTERS)."""

    turtle = "turtle"
    ntriples = "ntriples"
    nquads = "nquads"
    trig = "trig"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"


StoreOpt: Any = typer.Option(..., "--store", "-s", help="A build folder (from 'kg build') or a Turtle file.")
RowsOpt: Any = typer.Option(Rows.table, "--format", "-f", help="Output format.")
ReportOpt: Any = typer.Option(Report.table, "--format", "-f", help="Output format.")
HtmlOutOpt: Any = typer.Option(..., "--out", "-o", help="HTML file to write (- for stdout).")


def write_out(data: bytes, out: Path) -> bool:
    """Write ``data`` to ``out`` atomically, or to stdout when ``out`` is ``-``; True when a file was written."""
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return False
    from kg.store.atomic import atomic_write

    atomic_write(out, data)
    return True


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s: %(message)s" if verbose else "Warning: %(message)s",
                        force=True)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log details to stderr.")) -> None:
    _setup_logging(verbose)
