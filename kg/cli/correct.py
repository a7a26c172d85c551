"""The 'kg correct' commands: merge, distinct, reject, set, list, undo. Thin: :mod:`kg.correct` does the work."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from kg.cli.app import Rows, RowsOpt, app

correct_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=(
    "Fix the graph: merge, keep apart, reject or relabel entities, reject facts. Each command "
    "rewrites the build at once and records the correction in DIR/corrections.toml, which every "
    "later 'kg build' into DIR applies.\n\n"
    "Example: kg correct merge \"Malcolm Newsam\" \"Andrew Christie\" --store output --reason \"same person\""))
app.add_typer(correct_app, name="correct")

FolderOpt: Any = typer.Option(..., "--store", "-s", help="A build folder (from 'kg build').")
ReasonOpt: Any = typer.Option("", "--reason", "-r", help="Why: kept with the correction and shown in the graph.")


def _done(result: Any) -> None:
    c = result.correction
    typer.echo(str(c.id))
    stale = " (it matches nothing: stale)" if c.id in result.report.stale else ""
    typer.echo(f"Correction {c.id}: {c.describe()}{stale}", err=True)
    typer.echo(result.report.summary(), err=True)


@correct_app.command()
def merge(
    target: str = typer.Argument(..., help="The entity that stays (name, alias or IRI); it keeps its label."),
    other: str = typer.Argument(..., help="The same person or body under another name: its names become aliases, its facts move."),
    store: Path = FolderOpt,
    reason: str = ReasonOpt,
) -> None:
    """OTHER is the same person or body as TARGET: one entity, TARGET's label, all facts.

    Example: kg correct merge "Malcolm Newsam" "Andrew Christie" --store output --reason "same commissioner"
    """
    from kg.correct import correct

    _done(correct(store, "merge", target, other=other, reason=reason))


@correct_app.command()
def distinct(
    a: str = typer.Argument(..., help="An entity (name, alias or IRI)."),
    b: str = typer.Argument(..., help="Another entity that resolution must never merge with A."),
    store: Path = FolderOpt,
    reason: str = ReasonOpt,
) -> None:
    """A and B are different: resolution never makes them one (an acronym or surname that led one to the other is split off).

    Example: kg correct distinct NSCB "Northamptonshire Safeguarding Children Board" --store output
    """
    from kg.correct import correct

    _done(correct(store, "distinct", a, other=b, reason=reason))


@correct_app.command()
def reject(
    target: str = typer.Argument(..., help="An entity (name, alias or IRI: it goes with its facts and mentions) "
                                           "or the IRI of a post, event, rating, quote, figure or succession."),
    store: Path = FolderOpt,
    reason: str = ReasonOpt,
) -> None:
    """TARGET is wrong: take it out of the graph, and keep it out of every later build.

    Example: kg correct reject "Social Work Academy" --store output --reason "a team, not a body"
    """
    from kg.correct import correct

    _done(correct(store, "reject", target, reason=reason))


@correct_app.command("set")
def set_(
    target: str = typer.Argument(..., help="An entity (name, alias or IRI)."),
    store: Path = FolderOpt,
    label: str = typer.Option("", "--label", "-l", help="Its new label (the old one becomes an alias)."),
    type_: str = typer.Option("", "--type", "-t", help="Its class: Person, Organisation, Place or an organisation "
                                                       "class such as Regulator, LocalAuthority, Hospital."),
    reason: str = ReasonOpt,
) -> None:
    """Relabel or retype an entity.

    Example: kg correct set "Sally Keeble" --label "Sally Keeble MP" --store output
    """
    from kg.correct import correct

    _done(correct(store, "set", target, label=label, type_=type_, reason=reason))


@correct_app.command("list")
def list_(
    store: Path = FolderOpt,
    fmt: Rows = RowsOpt,
) -> None:
    """Every correction: id, kind, what it targets, reason, date, and whether it still matches something.

    Example: kg correct list --store output --format json
    """
    from kg.correct import status
    from kg.views.query import Result, render

    records = []
    for c, matches in status(store):
        change = "; ".join(filter(None, [f"label {c.label}" if c.label else "", f"type {c.type}" if c.type else ""]))
        records.append({"id": c.id, "kind": c.kind, "target": c.target, "key": c.key, "other": c.other,
                        "other_key": c.other_key, "change": change, "reason": c.reason, "date": c.date,
                        "status": "applied" if matches else "stale", "matches": matches})
    if fmt in (Rows.json, Rows.ndjson):
        if fmt is Rows.json:
            sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return
    cols = ["id", "kind", "target", "other", "change", "reason", "date", "status"]
    sys.stdout.write(render(Result(cols, [[str(r[k]) for k in cols] for r in records]), fmt.value))


@correct_app.command()
def undo(
    cid: int = typer.Argument(..., metavar="ID", help="The correction's id (see 'kg correct list')."),
    store: Path = FolderOpt,
) -> None:
    """Remove a correction and rewrite the build without it.

    Example: kg correct undo 2 --store output
    """
    from kg.correct import undo as run_undo

    result = run_undo(store, cid)
    typer.echo(f"Undid correction {cid}: {result.correction.describe()}", err=True)
    typer.echo(result.report.summary(), err=True)
