"""Explain: every fact about one entity, each with the sentence and article it was read from."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import errors
from kg.views.query import Result, run
from kg.store import open_store

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
"""

FIND = PREFIXES + """SELECT DISTINCT ?e ?label WHERE {
  VALUES ?q { %s }
  ?e rdfs:label ?label .
  { ?e a kg:Person } UNION { ?e a kg:Organisation } UNION { ?e a kg:Place }
  { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n }
  FILTER(LCASE(STR(?n)) = LCASE(?q) || CONTAINS(LCASE(STR(?n)), LCASE(?q)))
} ORDER BY ?label"""

# One query: each fact node that points at the entity, one row per fact and evidence sentence.
FACTS = PREFIXES + """SELECT ?kind ?fact ?detail (GROUP_CONCAT(DISTINCT STR(?d); separator=" ") AS ?date) ?article ?sentence
WHERE {
  VALUES ?e { %s }
  {
    { ?f org:member ?e } UNION { ?f org:organization ?e }
    ?f a kg:Post ; org:member/rdfs:label ?pl ; org:role/rdfs:label ?role .
    OPTIONAL { ?f org:organization/rdfs:label ?ol }
    BIND("post" AS ?kind) BIND(CONCAT(?pl, ", ", ?role, IF(BOUND(?ol), CONCAT(", ", ?ol), "")) AS ?detail)
  } UNION {
    ?f ?role ?e ; a kg:Event, ?cls .
    FILTER(?role IN (kg:agent, kg:affected, kg:appointee, kg:victim, kg:perpetrator))
    FILTER(?cls != kg:Event && STRSTARTS(STR(?cls), STR(kg:)))
    BIND("event" AS ?kind) BIND(CONCAT(REPLACE(STR(?role), "^.*#", ""), " of ", REPLACE(STR(?cls), "^.*#", "")) AS ?detail)
  } UNION {
    { ?f kg:subject ?e } UNION { ?f kg:inspector ?e }
    ?f a kg:Rating ; kg:level/rdfs:label ?lv ; kg:subject/rdfs:label ?sl .
    BIND("rating" AS ?kind) BIND(CONCAT(?sl, " rated ", ?lv) AS ?detail)
  } UNION {
    ?f kg:speaker ?e ; a kg:Quote ; kg:quoteText ?qt .
    BIND("quote" AS ?kind) BIND(CONCAT("\u201c", ?qt, "\u201d") AS ?detail)
  } UNION {
    { ?f kg:successor ?e } UNION { ?f kg:predecessor ?e }
    ?f a kg:Succession ; kg:successor/rdfs:label ?a ; kg:predecessor/rdfs:label ?b .
    BIND("succession" AS ?kind) BIND(CONCAT(?a, " replaced ", ?b) AS ?detail)
  }
  OPTIONAL { ?f kg:date ?d }
  ?f kg:evidence ?x .
  ?x kg:sentence ?sentence ; kg:article/schema:identifier ?article .
  BIND(STR(?f) AS ?fact)
}
GROUP BY ?kind ?fact ?detail ?article ?sentence
ORDER BY ?kind ?date ?detail ?article"""

# The user's corrections that changed the entity (kg correct), as rows of the same shape.
CORRECTIONS = PREFIXES + """SELECT ?kind ?fact ?detail ?date ?article ?sentence WHERE {
  VALUES ?e { %s }
  ?e kg:correctedBy ?c .
  ?c rdfs:label ?detail ; kg:correctionDate ?d .
  OPTIONAL { ?c kg:reason ?r }
  BIND("correction" AS ?kind) BIND(STR(?c) AS ?fact) BIND(STR(?d) AS ?date)
  BIND("corrections.toml" AS ?article) BIND(IF(BOUND(?r), CONCAT("reason: ", ?r), "") AS ?sentence)
} ORDER BY ?date ?fact"""


@dataclass
class Explanation:
    iri: str
    label: str
    facts: Result


def find_entity(st: ox.Store, name_or_iri: str) -> tuple[str, str]:
    """The entity an IRI or a name (label or alias, exact first, then partial) designates."""
    if name_or_iri.startswith(("http://", "https://")):
        try:
            node = ox.NamedNode(name_or_iri)
        except ValueError as e:
            raise errors.KGError(errors.BAD_IRI.format(name=name_or_iri, detail=e)) from e
        res = run(st, PREFIXES + f"SELECT ?label WHERE {{ {node} rdfs:label ?label }}")
        if res.rows:
            return name_or_iri, res.rows[0][0]
        raise errors.KGError(errors.ENTITY_NOT_FOUND.format(name=name_or_iri))
    found = [tuple(r) for r in run(st, FIND % ox.Literal(name_or_iri)).rows]
    exact = [f for f in found if f[1].lower() == name_or_iri.lower()]
    if exact or len({f[0] for f in found}) == 1:
        return (exact or found)[0]
    if not found:
        raise errors.KGError(errors.ENTITY_NOT_FOUND.format(name=name_or_iri))
    names = "; ".join(sorted({f[1] for f in found})[:8])
    raise errors.KGError(errors.ENTITY_AMBIGUOUS.format(name=name_or_iri, names=names))


def explain(store: str | Path | ox.Store, name_or_iri: str) -> Explanation:
    """Every post, event, rating, quote and succession the entity takes part in, with evidence,
    then the corrections that changed it."""
    st = store if isinstance(store, ox.Store) else open_store(store)
    iri, label = find_entity(st, name_or_iri)
    facts = run(st, FACTS % ox.NamedNode(iri))
    facts.rows.extend(run(st, CORRECTIONS % ox.NamedNode(iri)).rows)
    return Explanation(iri, label, facts)
