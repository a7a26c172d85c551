"""Push: upload a build to any triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

Works with Fuseki (``http://host:3030/ds/data``), GraphDB (``…/repositories/ID/rdf-graphs/service``),
the Oxigraph server (``http://host:7878/store``) and others. Each named graph of the build
(every article and the entities graph) is PUT to ``ENDPOINT?graph=IRI`` so a push replaces
what an earlier push of the same graph left; with ``graph`` set, the union of all graphs goes
to that one graph instead. ``append`` POSTs (merges) instead of PUT (replaces).
"""
from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from rdflib import Dataset, Graph

from kg import errors

AUTH_ENV = "KG_PUSH_AUTH"
MEDIA_TYPE = "text/turtle; charset=utf-8"  # the body is N-Triples, which is valid Turtle


@dataclass
class Upload:
    graph: str  # the graph IRI, or "" for the default graph
    triples: int
    status: int


@dataclass
class PushReport:
    endpoint: str
    uploads: list[Upload] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.uploads)

    def summary(self) -> str:
        return f"Pushed {len(self.uploads)} graph(s), {self.triples} triples to {self.endpoint}"


def graph_url(endpoint: str, graph: str | None) -> str:
    """``endpoint?graph=IRI`` (or ``?default``), keeping any query the endpoint URL already has."""
    sep = "&" if "?" in endpoint else "?"
    return endpoint + sep + ("default" if not graph else "graph=" + quote(graph, safe=""))


def credentials(auth_env: str | None) -> str | None:
    """An ``Authorization`` header value from the environment variable (``user:password``), if set."""
    name = auth_env or AUTH_ENV
    value = os.environ.get(name)
    if not value:
        if auth_env:
            raise errors.UsageError(errors.AUTH_ENV_UNSET.format(name=auth_env))
        return None
    if ":" not in value:
        raise errors.UsageError(errors.AUTH_ENV_BAD.format(name=name))
    return "Basic " + base64.b64encode(value.encode("utf-8")).decode("ascii")


def _body(g: Graph) -> bytes:
    lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    return ("\n".join(lines) + "\n").encode("utf-8")


def send(url: str, body: bytes, method: str, auth: str | None, timeout: float) -> int:
    """One Graph Store request; KGError saying what to do if the endpoint is unreachable or refuses."""
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": MEDIA_TYPE})
    if auth:
        req.add_header("Authorization", auth)
    where = urlsplit(url)._replace(query="").geturl()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as e:
        detail = " ".join(e.read(300).decode("utf-8", "replace").split())
        if e.code in (401, 403, 405):
            hint = (f"set {AUTH_ENV}=user:password (or --auth-env NAME) if it needs credentials, "
                    "and check that it accepts writes (not read-only) at this URL")
            raise errors.KGError(errors.PUSH_REFUSED.format(where=where, code=e.code, reason=e.reason, hint=hint)
                                 + (f" [{detail}]" if detail else "")) from e
        raise errors.KGError(errors.PUSH_FAILED.format(where=where, code=e.code, reason=e.reason,
                                                       detail=f" ({detail})" if detail else "")) from e
    except urllib.error.URLError as e:
        raise errors.KGError(errors.PUSH_UNREACHABLE.format(where=where, reason=e.reason)) from e
    except (socket.timeout, TimeoutError) as e:
        raise errors.KGError(errors.PUSH_TIMEOUT.format(where=where, timeout=timeout)) from e
    except ConnectionError as e:
        raise errors.KGError(errors.PUSH_UNREACHABLE.format(where=where, reason=e)) from e


def parts(ds: Dataset, graph: str | None, default_graph: bool = True) -> list[tuple[str, Graph]]:
    """What to upload: (graph IRI or "" for default, triples) pairs.

    One graph per article (and the entities and facts graphs), and, unless ``default_graph`` is
    False, their union as the target's default graph: the named queries read the default graph, and
    Fuseki or an Oxigraph server does not make it the union of the named graphs unless told to."""
    from kg.formats import named_graphs
    from kg.rdf import union_graph

    if graph:
        return [(graph, union_graph(ds))]
    named = [(str(name), g) for name, g in named_graphs(ds) if name is not None]
    return ([("", union_graph(ds))] if default_graph else []) + named


def push(store: str | Path, endpoint: str, graph: str | None = None, append: bool = False,
         auth_env: str | None = None, timeout: float = 60.0, default_graph: bool = True) -> PushReport:
    """Upload the build at ``store`` to the Graph Store endpoint; returns what was sent."""
    from kg.store import load_dataset

    scheme = urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        raise errors.UsageError(errors.BAD_ENDPOINT.format(value=endpoint))
    if graph is not None and not urlsplit(graph).scheme:
        raise errors.UsageError(errors.BAD_GRAPH_IRI.format(value=graph))
    auth = credentials(auth_env)
    report = PushReport(endpoint)
    method = "POST" if append else "PUT"
    for iri, g in parts(load_dataset(store), graph, default_graph):
        status = send(graph_url(endpoint, iri or None), _body(g), method, auth, timeout)
        report.uploads.append(Upload(iri, len(g), status))
    return report


__all__ = ["push", "PushReport", "Upload", "graph_url", "AUTH_ENV"]
