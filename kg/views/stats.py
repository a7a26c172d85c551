"""Stats: what a build holds, counted with SPARQL so it works on a store or any RDF file.

Entities are counted by class (``kg:Person``, ``kg:Regulator`` …), facts by kind (every
``kg:`` class of a node with ``kg:evidence``), plus articles, source files, publishers,
mentions, named graphs and triples. Nothing here is hard-coded to today's fact types.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.views.query import Result, run
from kg.store import open_store
from kg.domain.vocab import KG_BASE

PREFIX = f"PREFIX kg: <{KG_BASE}>\nPREFIX schema: <https://schema.org/>\n"
BY_CLASS = PREFIX + """SELECT ?cls (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {pattern}
  ?x a ?cls . FILTER(STRSTARTS(STR(?cls), STR(kg:)))
}} GROUP BY ?cls ORDER BY ?cls"""
ENTITIES = "{ ?m kg:refersTo ?x } UNION { ?x kg:mentionCount ?c }"
FACTS = "?x kg:evidence ?ev ."
COUNTS = {
    "articles": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kg:Article }",
    "sources": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?a a kg:Article ; kg:sourceFile ?x }",
    "publishers": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?a a kg:Article ; schema:publisher ?x }",
    "entities": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {ENTITIES} }}",
    "facts": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {FACTS} }}",
    "mentions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kg:Mention }",
    "evidence": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?f kg:evidence ?x }",
}


def _local(iri: str) -> str:
    return iri[len(KG_BASE):] if iri.startswith(KG_BASE) else iri


def stats(store: str | Path | ox.Store) -> Result:
    """Rows of (group, name, count): totals, entities by class, facts by kind.

    Triples are counted once however many article graphs hold them (as in ``graph.ttl``).
    """
    st = store if isinstance(store, ox.Store) else open_store(store)
    rows: list[list[str]] = []
    for name, q in COUNTS.items():
        rows.append(["total", name, run(st, PREFIX + q).rows[0][0] or "0"])
    rows.append(["total", "named graphs", str(sum(1 for _ in st.named_graphs()))])
    rows.append(["total", "triples", run(st, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows[0][0]])
    for group, pattern in (("entities", ENTITIES), ("facts", FACTS)):
        for cls, n in run(st, BY_CLASS.format(pattern=pattern)).rows:
            rows.append([group, _local(cls), n])
    return Result(["group", "name", "count"], rows)
