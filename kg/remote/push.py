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
            raise errors.UsageError(f"environment variable {auth_env} is not set: export {auth_env}=user:password")
        return None
    if ":" not in value:
        raise errors.UsageError(f"environment variable {name} must be user:password")
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
            raise errors.KGError(f"{where} refused the upload (HTTP {e.code} {e.reason}): {hint}"
                                 + (f" [{detail}]" if detail else "")) from e
        raise errors.KGError(f"{where} answered HTTP {e.code} {e.reason}"
                             + (f": {detail}" if detail else "")) from e
    except urllib.error.URLError as e:
        raise errors.KGError(f"cannot reach {where}: {e.reason}: check the URL and that the server is running") from e
    except (socket.timeout, TimeoutError) as e:
        raise errors.KGError(f"{where} did not answer within {timeout:.0f}s: check the URL and the server") from e
    except ConnectionError as e:
        raise errors.KGError(f"cannot reach {where}: {e}: check the URL and that the server is running") from e


def parts(ds: Dataset, graph: str | None) -> list[tuple[str, Graph]]:
    """What to upload: (graph IRI or "" for default, triples) pairs."""
    from kg.formats import named_graphs
    from kg.rdf import union_graph

    if graph:
        return [(graph, union_graph(ds))]
    return [("" if name is None else str(name), g) for name, g in named_graphs(ds)]


def push(store: str | Path, endpoint: str, graph: str | None = None, append: bool = False,
         auth_env: str | None = None, timeout: float = 60.0) -> PushReport:
    """Upload the build at ``store`` to the Graph Store endpoint; returns what was sent."""
    from kg.store import load_dataset

    scheme = urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        raise errors.UsageError(f"--endpoint must be an http:// or https:// URL, not '{endpoint}'")
    if graph is not None and not urlsplit(graph).scheme:
        raise errors.UsageError(f"--graph must be an absolute IRI (such as https://example.org/news), not '{graph}'")
    auth = credentials(auth_env)
    report = PushReport(endpoint)
    method = "POST" if append else "PUT"
    for iri, g in parts(load_dataset(store), graph):
        status = send(graph_url(endpoint, iri or None), _body(g), method, auth, timeout)
        report.uploads.append(Upload(iri, len(g), status))
    return report


__all__ = ["push", "PushReport", "Upload", "graph_url", "AUTH_ENV"]
