"""Export formats behind one registry: RDF serialisations and network files for Gephi and friends.

Every exporter takes a :class:`Source` (the build's quads: one named graph per article plus the
entities graph) and returns bytes. Turtle, N-Triples, N-Quads and TriG are written by Oxigraph
from sorted quads (fast, and the same graph always gives the same bytes, so diffs are
meaningful); JSON-LD (sorted too) and the network formats go through rdflib and networkx.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from kg import errors
from kg.rdf import union_graph
from kg.domain.vocab import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# No 'id:' prefix: entity IRIs have slashes, which Turtle would have to escape as 'id:person\/x'.
TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}


class Source:
    """A build to export: its quads (pyoxigraph, fast) and, made when first asked for, an rdflib Dataset."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.quads = sorted(set(quads), key=_quad_key)
        self._triples: list[ox.Triple] | None = None

    @classmethod
    def from_store(cls, path: str | Path) -> "Source":
        """A build folder's store, or an RDF file (its triples in the default graph)."""
        from kg.store import data_quads, open_store

        return cls(data_quads(open_store(path)))

    @classmethod
    def from_dataset(cls, ds: Dataset) -> "Source":
        return cls(ox.parse(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS))

    def triples(self) -> list[ox.Triple]:
        """The union of all graphs, each triple once, sorted (computed once)."""
        if self._triples is None:
            self._triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in self.quads}, key=_triple_key)
        return self._triples

    @cached_property
    def dataset(self) -> Dataset:
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        if self.quads:
            ds.parse(data=ox.serialize(self.quads, format=ox.RdfFormat.N_QUADS), format="nquads")
        return ds


def _triple_key(t: ox.Triple | ox.Quad) -> tuple[str, bool, str, str]:
    """Subject, then rdf:type first, then predicate and object: the order of every sorted export."""
    return (str(t.subject), t.predicate.value != RDF_TYPE, str(t.predicate), str(t.object))


def triple_sort_key(t: ox.Triple | ox.Quad) -> str:
    """:func:`_triple_key` as one string (its parts joined by NUL, which no term's text holds):
    the same order, a fraction of the memory when sorting the triples of a large build."""
    return f"{t.subject}\0{'0' if t.predicate.value == RDF_TYPE else '1'}{t.predicate}\0{t.object}"


def union_in_turtle_order(st: ox.Store, scratch: Path) -> list[str]:
    """The default graph of ``st`` as one string per triple, sorted in the order of every sorted
    export (that of :func:`_triple_key`): ``subject NUL 0|1 predicate NUL object`` in N-Triples
    terms. Read from Oxigraph's own dump (so literal forms are the store's) through the file
    ``scratch``; no term object is made."""
    st.dump(output=str(scratch), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    rdf_type = f"<{RDF_TYPE}>"
    keys = []
    with open(scratch, encoding="utf-8", newline="\n") as fh:
        for line in fh:  # "S P O .\n"; subject and predicate hold no space
            s, p, o = line[:-3].split(" ", 2)
            keys.append(f"{s}\0{'0' if p == rdf_type else '1'}{p}\0{o}")
    keys.sort()
    return keys


def union_keys_of_text(nt: Path) -> list[str]:
    """The keys :func:`union_in_turtle_order` gives for a store loaded with the N-Triples file
    ``nt`` (each triple perhaps several times), read from the file itself, so they can be sorted
    while the store is still loading. A term's text is the store's: IRIs and strings are written
    as Oxigraph writes them (:data:`kg.rdf.terms._ESCAPES`), and typed literals, which the store
    keeps by value ("007" is given back as "7"), are put in the store's form by loading each
    distinct one into a small store in memory."""
    rdf_type = f"<{RDF_TYPE}>"
    typed: dict[str, str] = {}
    with open(nt, encoding="utf-8", newline="\n") as fh:
        for line in fh:  # "S P O .\n"; subject and predicate hold no space
            if line[-4] == ">" and '"^^<' in line:
                o = line[:-3].split(" ", 2)[2]
                if o[0] == '"':
                    typed[o] = o
    if typed:
        forms = list(typed)
        mem = ox.Store()
        mem.bulk_load(input="".join(f"<urn:kg:{i}> <urn:kg:p> {o} .\n" for i, o in enumerate(forms)).encode("utf-8"),
                      format=ox.RdfFormat.N_TRIPLES)
        for q in mem:
            typed[forms[int(q.subject.value[7:])]] = str(q.object)
    keys = []
    with open(nt, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            s, p, o = line[:-3].split(" ", 2)
            keys.append(f"{s}\0{'0' if p == rdf_type else '1'}{p}\0{typed.get(o, o)}")
    keys.sort()  # then each triple once (a triple in several graphs came several times), in place
    w, prev = 0, None
    for k in keys:
        if k != prev:
            keys[w] = prev = k
            w += 1
    del keys[w:]
    return keys


def write_turtle_of_keys(keys: list[str], scratch: Path, out: BinaryIO) -> None:
    """Turtle of the triples :func:`union_in_turtle_order` gave, in that order (as :func:`to_turtle`
    writes them), through the N-Triples file ``scratch``."""
    with open(scratch, "w", encoding="utf-8", newline="\n") as fh:
        for k in keys:
            s, p, o = k.split("\0", 2)
            fh.write(f"{s} {p[1:]} {o} .\n")
    write_turtle(ox.parse(path=str(scratch), format=ox.RdfFormat.N_TRIPLES), out)


def _quad_key(q: ox.Quad) -> tuple[str, tuple[str, bool, str, str]]:
    return ("" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name), _triple_key(q))


@dataclass(frozen=True)
class Exporter:
    """A named output format: its file suffix, media type and writer."""

    name: str
    suffix: str
    media_type: str
    write: Callable[[Source], bytes]
    help: str


EXPORTERS: dict[str, Exporter] = {}


def register(name: str, suffix: str, media_type: str, help: str) -> Callable[[Callable[[Source], bytes]], Callable[[Source], bytes]]:
    """Decorator: add a writer to :data:`EXPORTERS` under ``name``."""
    def deco(fn: Callable[[Source], bytes]) -> Callable[[Source], bytes]:
        EXPORTERS[name] = Exporter(name, suffix, media_type, fn, help)
        return fn
    return deco


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


@register("turtle", ".ttl", "text/turtle", "Turtle, the union of all graphs, sorted by subject")
def to_turtle(src: Source) -> bytes:
    buf = io.BytesIO()
    write_turtle(src.triples(), buf)
    return buf.getvalue()


def write_turtle(triples: Iterable[ox.Triple], out: BinaryIO) -> None:
    """Turtle of ``triples`` (sorted as :meth:`Source.triples` sorts them) written to ``out`` as
    Oxigraph serialises it, with a blank line before each subject: the bytes of ``kg export
    --format turtle``, without holding the text in memory."""
    writer = _BlankLineBeforeSubject(out)
    ox.serialize(triples, output=writer, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
    writer.close()


class _BlankLineBeforeSubject:
    """A binary writer that passes Turtle on, adding a blank line before each line that starts a
    subject (one that starts with neither whitespace nor "@", as "@prefix" lines do). Oxigraph
    writes each literal on one line (it escapes line breaks), so a line break in its output
    always ends a line of Turtle. Works on bytes, a chunk at a time."""

    _SUBJECT = re.compile(rb"\n(?=[^\s@])")

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.tail = b"\n"  # as if a line ended just before the output: the first line is judged too
        self.first = True

    def write(self, data: bytes) -> int:
        buf = self.tail + bytes(data)
        cut = buf.rfind(b"\n")  # the last line break stays behind until what follows it is known
        if cut > 0:
            self._emit(buf[:cut])
            buf = buf[cut:]
        self.tail = buf
        return len(data)

    def flush(self) -> None:
        pass

    def _emit(self, chunk: bytes) -> None:
        chunk = self._SUBJECT.sub(b"\n\n", chunk)
        if self.first:
            chunk, self.first = chunk[1:], False  # the line break assumed before the output
        if chunk:
            self.out.write(chunk)

    def close(self) -> None:
        if self.tail:
            self._emit(self.tail)
            self.tail = b""


@register("ntriples", ".nt", "application/n-triples", "N-Triples, the union of all graphs, lines sorted")
def to_ntriples(src: Source) -> bytes:
    return _sorted_lines(ox.serialize(src.triples(), format=ox.RdfFormat.N_TRIPLES))


@register("nquads", ".nq", "application/n-quads", "N-Quads with the per-article graphs, lines sorted")
def to_nquads(src: Source) -> bytes:
    return _sorted_lines(ox.serialize(src.quads, format=ox.RdfFormat.N_QUADS))


def named_graphs(ds: Dataset) -> list[tuple[URIRef | None, Graph]]:
    """(graph name, triples) for every non-empty graph, sorted by name; None names the default graph."""
    parts: dict[URIRef | None, Graph] = {}
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        name = ctx if isinstance(ctx, URIRef) and ctx != URIRef("urn:x-rdflib:default") else None
        g = parts.get(name)
        if g is None:
            g = parts[name] = Graph()
            for prefix, ns in PREFIXES.items():
                g.bind(prefix, ns)
        g.add((s, p, o))
    return sorted(parts.items(), key=lambda kv: "" if kv[0] is None else str(kv[0]))


@register("trig", ".trig", "application/trig", "TriG with the per-article graphs, graphs and subjects sorted")
def to_trig(src: Source) -> bytes:
    return ox.serialize(src.quads, format=ox.RdfFormat.TRIG, prefixes=TURTLE_PREFIXES)


def _canonical(value: Any) -> Any:
    """JSON with every list sorted (nodes by @id), so the same graph always prints the same."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: (v.get("@id", "") if isinstance(v, dict) else "",
                                            json.dumps(v, sort_keys=True, ensure_ascii=False)))
    return value


@register("jsonld", ".jsonld", "application/ld+json", "JSON-LD, the union of all graphs, with a compact context of prefixes")
def to_jsonld(src: Source) -> bytes:
    text = union_graph(src.dataset).serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    doc = _canonical(json.loads(text))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def to_network(src: Source) -> Any:
    """The graph as networkx (see :mod:`kg.network`) with every attribute a plain string or number."""
    from kg.formats.network import to_networkx

    nxg = to_networkx(union_graph(src.dataset))
    for _n, attrs in nxg.nodes(data=True):
        _flatten(attrs)
    for _u, _v, attrs in nxg.edges(data=True):
        _flatten(attrs)
    return nxg


def _flatten(attrs: dict[str, Any]) -> None:
    for k, v in list(attrs.items()):
        if v is None:
            attrs[k] = ""
        elif isinstance(v, (list, tuple, set, frozenset)):
            attrs[k] = "; ".join(sorted(map(str, v)) if isinstance(v, (set, frozenset)) else map(str, v))
        elif isinstance(v, dict):
            attrs[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
        elif not isinstance(v, (str, int, float, bool)):
            attrs[k] = str(v)


@register("graphml", ".graphml", "application/graphml+xml", "GraphML network (nodes: label, cls; edges: relation)")
def to_graphml(src: Source) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(to_network(src), buf, encoding="utf-8")
    return buf.getvalue()


@register("gexf", ".gexf", "application/gexf+xml", "GEXF network for Gephi (nodes: label, cls; edges: relation)")
def to_gexf(src: Source) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_gexf(to_network(src), buf, encoding="utf-8")
    return buf.getvalue()


def format_for(fmt: str | None, path: Path | None = None) -> Exporter:
    """The exporter named ``fmt``, or the one whose suffix ``path`` has, or Turtle."""
    if fmt is None and path is not None:
        by_suffix = {e.suffix: e for e in EXPORTERS.values()}
        return by_suffix.get(path.suffix.lower(), EXPORTERS["turtle"])
    if fmt is None:
        return EXPORTERS["turtle"]
    if fmt not in EXPORTERS:
        raise errors.UsageError(errors.BAD_FORMAT.format(value=fmt, choices=", ".join(EXPORTERS)))
    return EXPORTERS[fmt]


def export(store: str | Path, fmt: str | None = "turtle") -> bytes:
    """The build at ``store`` (a build folder or an RDF file) serialised as ``fmt``."""
    return format_for(fmt).write(Source.from_store(store))
