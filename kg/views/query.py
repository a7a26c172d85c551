"""Query: named competency questions (``queries/NAME.rq``) and free SPARQL, with formatters.

Read-only commands import this module only: it must not import spaCy.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

import pyoxigraph as ox

from kg import errors
from kg.store import OUTPUTS_KEY, has_union_default, open_store

QUERIES = Path(__file__).resolve().parents[1] / "queries"  # kg/queries: the competency questions
ANSWERS = "answers"  # DIR/answers/NAME.jsonl: each named question's answer, written with the outputs


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


@dataclass
class Stream:
    """A query's answer as it comes: column names and an iterator of rows (strings, "" for unbound)."""

    columns: list[str]
    rows: Iterator[list[str]]
    boolean: bool | None = None

    def result(self) -> Result:
        return Result(self.columns, list(self.rows), self.boolean)


def run(store: str | Path | ox.Store, sparql: str, limit: int | None = None, offset: int = 0) -> Result:
    """Run SPARQL on a build folder, an RDF file, or an open store (rows ``offset`` to ``offset + limit``)."""
    return stream(store, sparql, limit, offset).result()


_NOISE = re.compile(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*")
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_OWN_PAGE = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first form keyword outside IRIs, strings and comments."""
    m = _FORM.search(_NOISE.sub(" ", sparql))
    return m.group(1).upper() if m else ""


def paged(sparql: str, limit: int | None, offset: int = 0) -> str:
    """``sparql`` with LIMIT/OFFSET appended, so the engine stops after the page (SELECT only: the
    solution modifiers of a CONSTRUCT count solutions, not triples); the text unchanged otherwise."""
    if (limit is None and not offset) or query_form(sparql) != "SELECT" or _OWN_PAGE.search(_NOISE.sub(" ", sparql)):
        return sparql  # (a query with a LIMIT or OFFSET of its own is paged within its answer)
    return sparql.rstrip() + "\n" + (f"LIMIT {limit} " if limit is not None else "") + (f"OFFSET {offset}" if offset else "")


def stream(store: str | Path | ox.Store, sparql: str, limit: int | None = None, offset: int = 0) -> Stream:
    """Run SPARQL and return its rows as an iterator, paged in the query when it can be (else as
    the rows come): nothing holds the whole answer, and the first page of a big answer is quick."""
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and value < 0:
            raise errors.UsageError(errors.BAD_PAGE.format(option=name, value=value))
    st = store if isinstance(store, ox.Store) else open_store(store)
    union = not has_union_default(st)
    text = paged(sparql, limit, offset)
    try:
        res = st.query(text, use_default_graph_as_union=union)
        sliced = text != sparql
    except SyntaxError as e:
        if text == sparql:
            raise errors.KGError(errors.QUERY_SYNTAX.format(detail=" ".join(str(e).split()))) from e
        try:  # the query has solution modifiers of its own (LIMIT, VALUES …): page its answer here
            res = st.query(sparql, use_default_graph_as_union=union)
            sliced = False
        except SyntaxError as e2:
            raise errors.KGError(errors.QUERY_SYNTAX.format(detail=" ".join(str(e2).split()))) from e2
    if isinstance(res, ox.QueryBoolean):
        rows: Iterable[list[str]] = [["true" if bool(res) else "false"]]
        return Stream(["ask"], _page(iter(rows), limit, offset), bool(res))
    if isinstance(res, ox.QueryTriples):
        rows = ([_value(t.subject), _value(t.predicate), _value(t.object)] for t in res)
        return Stream(["subject", "predicate", "object"], _page(rows, limit, offset))
    cols = [v.value for v in res.variables]
    rows = ([_value(sol[c]) for c in cols] for sol in res)
    return Stream(cols, rows if sliced else _page(rows, limit, offset))


def stream_named(store: str | Path, name: str, limit: int | None = None, offset: int = 0) -> Stream:
    """A named question's rows: from the answer the build wrote beside the store when it is that of
    this store and this question's text (then a page costs a file read, however big the answer),
    else by running the SPARQL."""
    text = named(name)
    for option, value in (("limit", limit), ("offset", offset)):
        if value is not None and value < 0:
            raise errors.UsageError(errors.BAD_PAGE.format(option=option, value=value))
    cached = _saved_answer(Path(store), name, text)
    if cached is not None:
        columns, rows = cached
        return Stream(columns, _page(rows, limit, offset))
    return stream(store, text, limit, offset)


def _query_digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _saved_answer(folder: Path, name: str, text: str) -> tuple[list[str], Iterator[list[str]]] | None:
    """(columns, rows) of ``folder/answers/NAME.jsonl`` if it answers ``text`` on the outputs now
    in ``folder`` (its key is the one in facts/outputs.key, written last by every build)."""
    path = folder / ANSWERS / f"{name}.jsonl"
    try:
        key = json.loads((folder / OUTPUTS_KEY).read_text(encoding="utf-8"))["key"]
        fh = open(path, encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        head = json.loads(fh.readline())
        if head.get("key") != key or head.get("query") != _query_digest(text):
            fh.close()
            return None
    except (ValueError, AttributeError):
        fh.close()
        return None

    def rows() -> Iterator[list[str]]:
        with fh:
            for line in fh:
                yield json.loads(line)
    return list(head["columns"]), rows()


def answer_bytes(st: ox.Store, key: str, threads: int = 2) -> list[tuple[str, bytes]]:
    """Every named question's answer on store ``st`` as JSON lines (a header with ``key``, the
    outputs key they belong to, then one row a line), as (name, bytes) in name order. The
    questions run on ``threads`` threads (Oxigraph evaluates a query without holding the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(item: tuple[str, str]) -> tuple[str, bytes]:
        name, text = item
        s = stream(st, text)
        lines = [json.dumps({"key": key, "query": _query_digest(text), "columns": s.columns}, ensure_ascii=False)]
        lines += [json.dumps(row, ensure_ascii=False) for row in s.rows]
        return name, ("\n".join(lines) + "\n").encode("utf-8")

    items = list(named_queries().items())
    if threads <= 1:
        return [one(i) for i in items]
    with ThreadPoolExecutor(threads) as ex:
        return list(ex.map(one, items))


def write_answers(st: ox.Store, key: str, write: Callable[[str, bytes], None]) -> None:
    """Every named question's answer on store ``st`` (:func:`answer_bytes`), handed to ``write(name, data)``."""
    for name, data in answer_bytes(st, key):
        write(name, data)


def _page(rows: Iterator[list[str]], limit: int | None, offset: int) -> Iterator[list[str]]:
    if limit is None and not offset:
        return rows
    return itertools.islice(rows, offset, None if limit is None else offset + limit)


def write_stream(s: Stream, fmt: str, out: TextIO) -> int:
    """Write ``s`` to ``out`` in format ``fmt``; CSV and NDJSON row by row as the rows come (a
    table or a JSON list is laid out from the whole page). Returns the number of rows."""
    if fmt not in FORMATS:
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices=", ".join(FORMATS)))
    if fmt not in ("csv", "ndjson"):
        r = s.result()
        out.write(FORMATS[fmt](r))
        return len(r.rows)
    n = 0
    if fmt == "csv":
        plain = csv.writer(out, lineterminator="\n")
        quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        (quoted if any("\r" in c for c in s.columns) else plain).writerow(s.columns)
        for row in s.rows:
            # the csv module quotes a field with "\n" but not one with a lone "\r", which readers take as a line end
            (quoted if any("\r" in c for c in row) else plain).writerow(row)
            n += 1
        return n
    for row in s.rows:
        out.write(json.dumps(dict(zip(s.columns, row)), ensure_ascii=False) + "\n")
        n += 1
    return n


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
