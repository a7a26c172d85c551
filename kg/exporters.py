"""Export formats behind one registry: RDF serialisations and network files for Gephi and friends.

Every exporter takes the build as an rdflib Dataset (one named graph per article plus the
entities graph) and returns bytes. Turtle, N-Triples, N-Quads, TriG and JSON-LD are written in a
stable order, so two exports of the same graph are byte-identical and diffs are meaningful.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from rdflib import Dataset, Graph, URIRef

from . import errors
from .vocab import PREFIXES


@dataclass(frozen=True)
class Exporter:
    """A named output format: its file suffix, media type and writer."""

    name: str
    suffix: str
    media_type: str
    write: Callable[[Dataset], bytes]
    help: str


EXPORTERS: dict[str, Exporter] = {}


def register(name: str, suffix: str, media_type: str, help: str) -> Callable[[Callable[[Dataset], bytes]], Callable[[Dataset], bytes]]:
    """Decorator: add a writer to :data:`EXPORTERS` under ``name``."""
    def deco(fn: Callable[[Dataset], bytes]) -> Callable[[Dataset], bytes]:
        EXPORTERS[name] = Exporter(name, suffix, media_type, fn, help)
        return fn
    return deco


def union(ds: Dataset) -> Graph:
    """Every triple of the dataset in one graph, with the project's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _g in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _sorted_lines(data: str) -> bytes:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


@register("turtle", ".ttl", "text/turtle", "Turtle, the union of all graphs, sorted by subject")
def to_turtle(ds: Dataset) -> bytes:
    return union(ds).serialize(format="turtle", encoding="utf-8")


@register("ntriples", ".nt", "application/n-triples", "N-Triples, the union of all graphs, lines sorted")
def to_ntriples(ds: Dataset) -> bytes:
    return _sorted_lines(union(ds).serialize(format="nt", encoding="utf-8").decode("utf-8"))


@register("nquads", ".nq", "application/n-quads", "N-Quads with the per-article graphs, lines sorted")
def to_nquads(ds: Dataset) -> bytes:
    return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8").decode("utf-8"))


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
def to_trig(ds: Dataset) -> bytes:
    prefixes: set[str] = set()
    blocks: list[str] = []
    for name, g in named_graphs(ds):
        text = g.serialize(format="turtle")
        head, _, rest = text.partition("\n\n")
        if all(line.startswith("@prefix") for line in head.splitlines()):
            prefixes.update(head.splitlines())
            text = rest
        text = text.strip("\n")  # no re-indenting: a multi-line literal must keep its exact text
        blocks.append(("{\n" if name is None else f"<{name}> {{\n") + text + "\n}\n")
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


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
def to_jsonld(ds: Dataset) -> bytes:
    text = union(ds).serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    doc = _canonical(json.loads(text))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def network(ds: Dataset) -> Any:
    """The graph as networkx (see :mod:`kg.network`) with every attribute a plain string or number."""
    from .network import to_networkx

    nxg = to_networkx(union(ds))
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
def to_graphml(ds: Dataset) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(network(ds), buf, encoding="utf-8")
    return buf.getvalue()


@register("gexf", ".gexf", "application/gexf+xml", "GEXF network for Gephi (nodes: label, cls; edges: relation)")
def to_gexf(ds: Dataset) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_gexf(network(ds), buf, encoding="utf-8")
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
    from .store import load_dataset

    return format_for(fmt).write(load_dataset(store))
