"""``kg render`` and ``kg timeline``: the built graph as self-contained HTML pages."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from . import errors
from .cli import StoreOpt, app


def load_graph(store: Path):  # -> rdflib.Graph (imported lazily: rdflib is slow to import)
    """The union of every graph in a build folder or RDF file, as an rdflib Graph."""
    import pyoxigraph as ox
    from rdflib import Graph

    from .store import has_union_default, open_store

    st = open_store(store)
    triples = st.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=not has_union_default(st))
    g = Graph()
    g.parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def _write(text: str, out: Path) -> None:
    if str(out) == "-":
        sys.stdout.write(text)
        return
    from .export import atomic_write

    if out.parent and not out.parent.exists():
        raise errors.KGError(errors.PATH_MISSING.format(path=out.parent))
    atomic_write(out, text.encode("utf-8"))


@app.command()
def render(
    store: Path = StoreOpt,
    out: Path = typer.Option(..., "--out", "-o", help="HTML file to write (- for stdout)."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Draw only the neighbourhood of this name or alias."),
    hops: int = typer.Option(1, "--hops", min=0, help="How many links from --focus to include."),
    max_nodes: int = typer.Option(300, "--max-nodes", min=1, help="Draw at most N nodes, most-mentioned first."),
    all_: bool = typer.Option(False, "--all", help="Draw every node (no cap)."),
) -> None:
    """Write the graph as an interactive, self-contained HTML page (opens offline).

    Example: kg render --store output -o graph.html --focus "Malcolm Newsam" --hops 2
    """
    from .render import render_html

    g = load_graph(store)
    html = render_html(g, max_nodes=None if all_ else max_nodes, focus=focus, hops=hops)
    _write(html, out)
    if str(out) != "-":
        typer.echo(f"Wrote {out}", err=True)


@app.command()
def timeline(
    store: Path = StoreOpt,
    out: Path = typer.Option(..., "--out", "-o", help="HTML file to write (- for stdout)."),
) -> None:
    """Write a timeline of events and ratings, grouped by organisation, as self-contained HTML.

    Example: kg timeline --store output -o timeline.html
    """
    from .timeline import render_timeline

    html = render_timeline(load_graph(store))
    _write(html, out)
    if str(out) != "-":
        typer.echo(f"Wrote {out}", err=True)
