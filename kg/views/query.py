"""Query: named competency questions (``queries/NAME.rq``) and free SPARQL, with formatters.

Read-only commands import this module only: it must not import spaCy.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kg import errors
from kg.store import has_union_default, open_store

QUERIES = Path(__file__).resolve().parents[1] / "queries"  # kg/queries: the competency questions


@dataclass
class Result:
    """Rows of strings ("" for unbound), with column names; ``boolean`` set for ASK."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    boolean: bool | None = None

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


def named_queries() -> dict[str, str]:
    """Every named query shipped with the package: name -> SPARQL text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}


def named(name: str) -> str:
    qs = named_queries()
    if name not in qs:
        raise errors.UsageError(errors.UNKNOWN_QUERY.format(name=name, names=", ".join(qs)))
    return qs[name]


def _value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def run(store: str | Path | ox.Store, sparql: str) -> Result:
    """Run SPARQL on a build folder, an RDF file, or an open store."""
    st = store if isinstance(store, ox.Store) else open_store(store)
    try:
        res = st.query(sparql, use_default_graph_as_union=not has_union_default(st))
    except SyntaxError as e:
        raise errors.KGError(errors.QUERY_SYNTAX.format(detail=" ".join(str(e).split()))) from e
    if isinstance(res, ox.QueryBoolean):
        return Result(["ask"], [["true" if bool(res) else "false"]], bool(res))
    if isinstance(res, ox.QueryTriples):
        return Result(["subject", "predicate", "object"],
                      [[_value(t.subject), _value(t.predicate), _value(t.object)] for t in res])
    cols = [v.value for v in res.variables]
    return Result(cols, [[_value(sol[c]) for c in cols] for sol in res])


def to_csv(r: Result) -> str:
    buf = io.StringIO()
    # the csv module quotes a field with "\n" but not one with a lone "\r", which readers take as a line end
    cr = any("\r" in c for row in r.rows for c in row) or any("\r" in c for c in r.columns)
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if cr else csv.QUOTE_MINIMAL)
    w.writerow(r.columns)
    w.writerows(r.rows)
    return buf.getvalue()


def to_json(r: Result) -> str:
    return json.dumps(r.records(), ensure_ascii=False, indent=2) + "\n"


def to_ndjson(r: Result) -> str:
    return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in r.records())


def to_table(r: Result, width: int = 60) -> str:
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in r.rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(r.columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(r.columns), line(["-" * w for w in widths])] + [line(row) for row in cells]
    return "\n".join(out) + f"\n({len(r.rows)} row{'s' if len(r.rows) != 1 else ''})\n"


FORMATS: dict[str, Callable[[Result], str]] = {
    "table": to_table, "csv": to_csv, "json": to_json, "ndjson": to_ndjson,
}


def render(r: Result, fmt: str) -> str:
    if fmt not in FORMATS:
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices=", ".join(FORMATS)))
    return FORMATS[fmt](r)
