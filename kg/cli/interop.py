"""Interop commands: export, serve, push, validate, stats, remove. Thin: the library does the work."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import Rows, RowsOpt, Serialisation, StoreOpt, app, write_out


@app.command()
def export(
    store: Path = StoreOpt,
    fmt: Optional[Serialisation] = typer.Option(None, "--format", "-f",
                                                help="Output format (default: from -o's suffix, else turtle)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default stdout; - for stdout)."),
) -> None:
    """Export the graph as RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD) or a network (GraphML, GEXF).

    N-Quads and TriG keep one named graph per article; the others hold the union of all graphs.
    Turtle, N-Triples and N-Quads are sorted, so two exports diff cleanly.

    Example: kg export --store output --format jsonld -o graph.jsonld
    """
    from kg.formats import Source, format_for

    to_file = output is not None and str(output) != "-"
    exporter = format_for(fmt.value if fmt else None, output if to_file else None)
    data = exporter.write(Source.from_store(store))
    if write_out(data, output if to_file else Path("-")):
        typer.echo(f"Wrote {output} ({exporter.name}, {len(data)} bytes)", err=True)


@app.command()
def serve(
    store: Path = StoreOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless you say otherwise)."),
    port: int = typer.Option(7878, "--port", "-p", min=0, max=65535, help="TCP port (0 picks a free one)."),
    writable: bool = typer.Option(False, "--writable", help="Accept SPARQL Update and Graph Store writes (default read-only)."),
) -> None:
    """Run a SPARQL 1.1 endpoint (the Oxigraph server) over a build's store until Ctrl-C.

    Prints the URL (query page at /, SPARQL at /query, Graph Store at /store). The default
    graph is the union of the per-article graphs. Writes made with --writable are lost when
    'kg build' next rewrites the store.

    Example: kg serve --store output --port 7878
    """
    from kg.remote.serve import Server, serve_until_stopped

    server = Server(store, host=host, port=port, writable=writable, log=sys.stderr)

    def ready(s: Server) -> None:
        typer.echo(s.url)
        sys.stdout.flush()
        mode = "read-write" if writable else "read-only"
        typer.echo(f"Serving {store} ({mode}): SPARQL endpoint {s.url}query; Ctrl-C to stop", err=True)

    serve_until_stopped(server, ready)
    typer.echo("Stopped.", err=True)


@app.command()
def push(
    store: Path = StoreOpt,
    endpoint: str = typer.Option(..., "--endpoint", "-e", help="Graph Store Protocol URL (Fuseki .../ds/data, Oxigraph .../store)."),
    graph: Optional[str] = typer.Option(None, "--graph", "-g", help="Put the union of all graphs into this one graph IRI instead of one graph per article."),
    append: bool = typer.Option(False, "--append", help="POST (merge into) instead of PUT (replace) each graph."),
    auth_env: Optional[str] = typer.Option(None, "--auth-env", help="Environment variable holding user:password for basic auth (default KG_PUSH_AUTH, if set)."),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Seconds to wait for each request."),
    no_default_graph: bool = typer.Option(False, "--no-default-graph",
                                          help="Do not also put the union of all graphs into the target's default graph."),
) -> None:
    """Upload the graph to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

    Example: KG_PUSH_AUTH=admin:secret kg push --store output --endpoint http://localhost:3030/news/data
    """
    from kg.remote.push import push as run_push

    report = run_push(store, endpoint, graph=graph, append=append, auth_env=auth_env, timeout=timeout,
                      default_graph=not no_default_graph)
    typer.echo(report.summary(), err=True)


@app.command()
def validate(
    store: Path = StoreOpt,
    show: int = typer.Option(5, "--show", min=0, help="Example nodes to list per kind of violation."),
) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl; exit 1 if it does not conform.

    Example: kg validate --store output
    """
    from kg.views.validate import validate as run_validate

    report = run_validate(store)
    typer.echo(report.text(show), nl=False)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def stats(
    store: Path = StoreOpt,
    fmt: Rows = RowsOpt,
) -> None:
    """Count articles, sources, entities by class and facts by kind.

    Example: kg stats --store output --format json
    """
    from kg.views.query import render
    from kg.views.stats import stats as run_stats

    sys.stdout.write(render(run_stats(store), fmt.value))


@app.command()
def remove(
    articles: list[str] = typer.Argument(..., help="Article ids (file names without extension) to take out."),
    store: Path = StoreOpt,
    no_html: bool = typer.Option(False, "--no-html", help="Do not rewrite graph.html."),
) -> None:
    """Take articles out of a build and rewrite graph.ttl, the store and graph.html.

    Example: kg remove 003_a0549dc7a9b094fe --store output
    """
    from kg.build import remove as run_remove

    report = run_remove(articles, store, html=False if no_html else None)
    typer.echo(report.summary(), err=True)
