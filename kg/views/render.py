"""Render: the graph as one self-contained interactive HTML page (pyvis + vis-network, all inline).

The page makes no network request: vis-network's script and style are inlined from pyvis's
package, the UI (search, class filter, legend, details panel) is our own small template, and
every string read from articles travels as JSON inside ``<script type="application/json">``
and reaches the page only through ``textContent``, never as markup.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph

from kg import errors
from kg.formats.network import AGENT_GROUPS, details, to_networkx

DEFAULT_MAX_NODES = 300
TEMPLATES = Path(__file__).parent / "templates"
VIS_LIB = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

#: group -> (colour, vis-network shape, legend glyph)
STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("#d1495b", "dot", "\u25cf"),
    "Organisation": ("#00798c", "diamond", "\u25c6"),
    "Place": ("#5b9a4a", "triangle", "\u25b2"),
    "Event": ("#e8a33d", "star", "\u2605"),
    "Article": ("#9aa5b1", "square", "\u25a0"),
}
OTHER_STYLE = ("#8d6a9f", "dot", "\u25cf")
ARTICLE_LABEL_CHARS = 32
#: Labels kept readable at any zoom out: the most-mentioned entities (this many) and every event,
#: at no less than these on-screen pixel sizes (the page grows their font as the view zooms out).
READABLE_TOP = 15
READABLE_PX = {"agent": 13, "event": 12}


def find_node(nxg: nx.MultiDiGraph, name: str) -> str:
    """The node best matching ``name``: exact label, then alias, then a label containing it."""
    want = name.strip().casefold()
    if not want:
        raise errors.UsageError(errors.ENTITY_NOT_FOUND.format(name=name))

    def rank(n: str) -> tuple[int, int]:
        a = nxg.nodes[n]
        return (a["cls"] not in AGENT_GROUPS, -a.get("mentions", 0))

    for test in (lambda a: a["label"].casefold() == want,
                 lambda a: want in (x.strip().casefold() for x in a.get("aliases", "").split(";")),
                 lambda a: want in a["label"].casefold()):
        hits = sorted((n for n, a in nxg.nodes(data=True) if test(a)), key=lambda n: (rank(n), n))
        if hits:
            return hits[0]
    raise errors.KGError(errors.ENTITY_NOT_FOUND.format(name=name))


def select(nxg: nx.MultiDiGraph, max_nodes: int | None = DEFAULT_MAX_NODES,
           focus: str | None = None, hops: int = 1) -> nx.MultiDiGraph:
    """The subgraph to draw: ``focus``'s neighbourhood (if given), capped at ``max_nodes``.

    Under the cap, people, bodies and places are kept by how many articles mention them
    (closest to the focus first); events, then articles, fill up to a quarter of the cap,
    those linked to most kept entities first; any room left goes to further entities.
    """
    dist: dict[str, int] = {}
    root: str | None = None
    nodes = set(nxg)
    if focus is not None:
        root = find_node(nxg, focus)
        dist = nx.single_source_shortest_path_length(nxg.to_undirected(as_view=True), root, cutoff=hops)
        nodes = set(dist)
    if max_nodes is None or len(nodes) <= max_nodes:
        return nxg.subgraph(nodes).copy()
    attrs = nxg.nodes
    agents = sorted((n for n in nodes if attrs[n]["cls"] in AGENT_GROUPS),
                    key=lambda n: (dist.get(n, 0), -attrs[n]["mentions"], attrs[n]["label"], n))
    others = [n for n in nodes if attrs[n]["cls"] not in AGENT_GROUPS]
    reserve = min(len(others), max(max_nodes // 4, 1 if root in others else 0))
    kept = set(agents[:max_nodes - reserve])

    def links(n: str) -> int:
        return sum(1 for m in nx.all_neighbors(nxg, n) if m in kept)

    for n in sorted(others, key=lambda n: (dist.get(n, 0), attrs[n]["cls"] != "Event", -links(n), attrs[n]["label"], n)):
        if len(kept) >= max_nodes:
            break
        if n == root or links(n):
            kept.add(n)
    for n in agents:
        if len(kept) >= max_nodes:
            break
        kept.add(n)
    return nxg.subgraph(kept).copy()


def style_of(cls: str) -> tuple[str, str, str]:
    return STYLE.get(cls, OTHER_STYLE)


def node_size(mentions: int, most: int) -> float:
    """8 to 32 pixels, by the square root of the share of the most-mentioned entity."""
    return round(8 + 24 * math.sqrt(mentions / most), 1) if most else 10


def short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def display_label(attrs: dict[str, object]) -> str:
    """A node's label on the canvas: an organisation's acronym is added ("… Board (NSCB)")."""
    label = str(attrs["label"])
    if attrs["cls"] == "Organisation":
        acronyms = [a for a in str(attrs.get("aliases", "")).split("; ") if re.fullmatch(r"[A-Z]{2,6}", a)]
        if acronyms and acronyms[0] not in label:
            return f"{label} ({acronyms[0]})"
    return label


def edge_label(relations: list[str], limit: int = 36) -> str:
    """One label for the facts between two nodes: all of them if short, else the first and a count."""
    joined = "; ".join(relations)
    return joined if len(joined) <= limit else f"{short(relations[0], limit)} (+{len(relations) - 1})"


def to_pyvis(nxg: nx.MultiDiGraph) -> Network:
    """A pyvis network: colour and shape by class, size by mentions, labelled fact edges."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    most = max((a["mentions"] for _, a in nxg.nodes(data=True) if a["cls"] in AGENT_GROUPS), default=0)
    top = set(sorted((n for n, a in nxg.nodes(data=True) if a["cls"] in AGENT_GROUPS),
                     key=lambda n: (-nxg.nodes[n]["mentions"], nxg.nodes[n]["label"], n))[:READABLE_TOP])
    for n, a in nxg.nodes(data=True):
        color, shape, _ = style_of(a["cls"])
        opts: dict[str, object] = {"color": color, "shape": shape, "cls": a["cls"]}
        if a["cls"] == "Article":
            opts.update(size=7, font={"size": 13, "color": "#67727e"},
                        label=short(a["label"], ARTICLE_LABEL_CHARS))
        elif a["cls"] == "Event":
            opts.update(size=14, font={"size": 16, "color": "#6b4a10"}, label=a["label"], minPx=READABLE_PX["event"])
        else:
            opts.update(size=node_size(a["mentions"], most), label=display_label(a),
                        mass=round(1 + 2 * math.sqrt(a["mentions"] / most), 2) if most else 1,
                        font={"size": 22 + 2 * min(a["mentions"], 5), "color": "#1f2933"})
            if n in top:
                opts["minPx"] = READABLE_PX["agent"]
        net.add_node(n, **opts)
    merged: dict[tuple[str, str, str], list[str]] = {}
    for u, v, a in nxg.edges(data=True):
        merged.setdefault((u, v, a["kind"]), []).append(a["relation"])
    for (u, v, kind), relations in merged.items():
        if kind == "mention":
            net.add_edge(u, v, color={"color": "#cdd5dd", "highlight": "#7b8794"}, width=1,
                         dashes=True, arrows={"to": {"enabled": False}}, relation="; ".join(relations))
        else:
            net.add_edge(u, v, label=edge_label(relations), color={"color": "#52606d", "highlight": "#1f2933"},
                         width=min(2 + len(relations) - 1, 5), relation="\n".join(relations))
    return net


def vis_options(n_nodes: int) -> dict[str, object]:
    """vis-network options: physics that stabilises off-screen, then is switched off by the page."""
    big = n_nodes > 150
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "font": {"face": "system-ui, sans-serif", "strokeWidth": 4,
                                             "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 11, "color": "#3e4c59", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "align": "middle", "face": "system-ui, sans-serif"},
                  "smooth": False if big else {"type": "continuous"}},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 130,
                                         "springConstant": 0.04, "avoidOverlap": 1.0},
                    "stabilization": {"enabled": True, "iterations": 400 if not big else 200 if n_nodes <= 1000 else 100,
                                      "updateInterval": 20, "fit": True},
                    "minVelocity": 0.75},
    }


def name_counts(full: nx.MultiDiGraph) -> Counter[str]:
    """How many nodes go by each (case-folded) label or alias."""
    counts: Counter[str] = Counter()
    for _n, a in full.nodes(data=True):
        counts.update({str(a["label"]).casefold(), *(x.strip().casefold() for x in str(a.get("aliases", "")).split(";")
                                                     if x.strip())})
    return counts


def corrections_for(full: nx.MultiDiGraph, node: str, info: dict[str, object],
                    names: Counter[str]) -> list[dict[str, object]]:
    """The 'kg correct' commands that fit a node, as argument lists (the page adds --store and quotes them).

    An entity is named by its label when no other node goes by that name, else by its IRI."""
    a = full.nodes[node]
    if a["cls"] == "Event":
        return [{"what": "Reject this event", "args": ["reject", node]}]
    if a["cls"] not in AGENT_GROUPS:
        return []
    label = str(a["label"])
    name = node if names[label.casefold()] > 1 else label
    cmds: list[dict[str, object]] = [
        {"what": "Merge another entity into this one", "args": ["merge", name, "OTHER NAME"]},
        {"what": "Keep another entity apart from this one", "args": ["distinct", name, "OTHER NAME"]},
        {"what": "Relabel it", "args": ["set", name, "--label", label]},
        {"what": "Reject it, with its facts and mentions", "args": ["reject", name]},
    ]
    seen: set[str] = set()
    for fact in info.get("facts", []):  # type: ignore[union-attr]
        if fact["iri"] not in seen:
            seen.add(fact["iri"])
            cmds.append({"what": f"Reject the {fact['kind']}: {short(fact['text'], 80)}", "args": ["reject", fact["iri"]]})
    return cmds


def page_data(g: Graph, full: nx.MultiDiGraph, shown: nx.MultiDiGraph, net: Network,
              focus: str | None, hops: int, store: str = "") -> dict[str, object]:
    """Everything the page's script needs, as plain JSON-able data.

    ``store`` is the build folder its 'kg correct' commands name ("" : the page's own folder)."""
    info = details(g, list(shown))
    names = name_counts(full)
    records = {}
    for n, a in shown.nodes(data=True):
        rec = {"label": a["label"], "cls": a["cls"], "kind": a["kind"], "mentions": a["mentions"],
               "aliases": [x for x in a["aliases"].split("; ") if x], "date": a["date"]}
        rec.update(asdict(info[n]))
        rec["correct"] = corrections_for(full, n, rec, names)
        records[n] = rec
    counts = {cls: 0 for cls in STYLE}
    for _, a in full.nodes(data=True):
        counts[a["cls"]] = counts.get(a["cls"], 0) + 1
    shown_counts = {cls: 0 for cls in counts}
    for _, a in shown.nodes(data=True):
        shown_counts[a["cls"]] += 1
    legend = [{"cls": c, "color": style_of(c)[0], "glyph": style_of(c)[2], "total": counts[c],
               "shown": shown_counts[c]} for c in counts if counts[c]]
    return {"nodes": net.nodes, "edges": net.edges, "details": records, "legend": legend, "store": store,
            "options": vis_options(shown.number_of_nodes()),
            "summary": {"shown": shown.number_of_nodes(), "total": full.number_of_nodes(),
                        "edges": shown.number_of_edges(), "focus": focus or "",
                        "root": find_node(full, focus) if focus else "", "hops": hops}}


def _asset(name: str) -> Markup:
    text = re.sub(r"/[/*]# sourceMappingURL=\S+", "", (VIS_LIB / name).read_text(encoding="utf-8"))
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} cannot be inlined safely")
    return Markup(text)


def render_html(g: Graph, max_nodes: int | None = DEFAULT_MAX_NODES, focus: str | None = None,
                hops: int = 1, title: str = "newskg graph", store: str = "") -> str:
    """The whole page as a string; ``max_nodes=None`` draws every node. ``store`` is the build
    folder the panel's 'kg correct' commands name ("" : the folder the page is opened from)."""
    full = to_networkx(g)
    shown = select(full, max_nodes, focus, hops)
    net = to_pyvis(shown)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    data = page_data(g, full, shown, net, focus, hops, store)
    return env.get_template("graph.html").render(
        title=title, data=Markup(data_json(data)), summary=data["summary"], vis_js=_asset("vis-network.min.js"), vis_css=_asset("vis-network.css"))


def data_json(data: dict[str, object]) -> str:
    """JSON safe to place inside a script element (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
