"""Render: the graph as a self-contained interactive HTML page (pyvis, vis-network inline)."""
from __future__ import annotations

import re

import networkx as nx
from pyvis.network import Network
from rdflib import Graph

from .network import to_networkx

STYLE = {"Person": ("#e4572e", "dot"), "Organisation": ("#17bebb", "diamond"),
         "Place": ("#76b041", "triangle"), "Event": ("#ffc914", "star"), "Article": ("#9e9e9e", "square")}
_REMOTE = re.compile(r"<(link|script)\b[^>]*(?:href|src)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.I)


def tooltip(attrs: dict) -> str:
    """Plain-text tooltip (vis-network shows string titles as text, never as markup)."""
    lines = [attrs["label"], attrs["cls"] + (f" ({attrs['org_type']})" if attrs.get("org_type") else "")]
    if attrs.get("aliases"):
        lines.append("Also: " + "; ".join(attrs["aliases"][:8]))
    if attrs.get("mentions"):
        lines.append(f"Mentioned in {attrs['mentions']} article(s)")
    return "\n".join(lines)


def to_pyvis(nxg: nx.MultiDiGraph) -> Network:
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    for node, a in nxg.nodes(data=True):
        color, shape = STYLE.get(a["cls"], ("#607d8b", "dot"))
        net.add_node(node, label=a["label"], title=tooltip(a), color=color, shape=shape,
                     size=10 + 4 * min(a.get("mentions", 0), 10), group=a["cls"])
    for u, v, a in nxg.edges(data=True):
        net.add_edge(u, v, title=a["relation"], label="" if a["relation"] == "mentions" else a["relation"])
    net.toggle_physics(True)
    return net


def render_html(g: Graph) -> str:
    """The whole page as a string: vis-network inline, no request leaves the file."""
    html = to_pyvis(to_networkx(g)).generate_html(notebook=False)
    return _REMOTE.sub("", html)
