"""``kg render`` and ``kg timeline``: the built graph as self-contained HTML pages."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg import errors
from kg.cli.app import HtmlOutOpt, StoreOpt, app, write_out
from kg.store import rdflib_graph


def _write(text: str, out: Path) -> None:
    if str(out) != "-" and out.parent and not out.parent.exists():
        raise errors.KGError(errors.PATH_MISSING.format(path=out.parent))
    if write_out(text.encode("utf-8"), out):
        typer.echo(f"Wrote {out}", err=True)


@app.command()
def render(
    store: Path = StoreOpt,
    out: Path = HtmlOutOpt,
    focus: Optional[str] = typer.Option(None, "--focus", help="Draw only the neighbourhood of this name or alias."),
    hops: int = typer.Option(1, "--hops", min=0, help="How many links from --focus to include."),
    max_nodes: int = typer.Option(300, "--max-nodes", min=1, help="Draw at most N nodes, most-mentioned first."),
    all_: bool = typer.Option(False, "--all", help="Draw every node (no cap)."),
) -> None:
    """Write the graph as an interactive, self-contained HTML page (opens offline).

    Example: kg render --store output -o graph.html --focus "Malcolm Newsam" --hops 2
    """
    from kg.views.render import render_html

    g = rdflib_graph(store)
    html = render_html(g, max_nodes=None if all_ else max_nodes, focus=focus, hops=hops,
                       store=str(store) if store.is_dir() else "")
    _write(html, out)


@app.command()
def timeline(
    store: Path = StoreOpt,
    out: Path = HtmlOutOpt,
) -> None:
    """Write a timeline of events and ratings, grouped by organisation, as self-contained HTML.

    Example: kg timeline --store output -o timeline.html
    """
    from kg.views.timeline import render_timeline

    html = render_timeline(rdflib_graph(store))
    _write(html, out)
