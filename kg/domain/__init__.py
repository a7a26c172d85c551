"""The domain layer: every domain table, loaded and schema-checked once, with one owner.

Event types (their ontology class, the role a person plays in them, the roles that identify one
event across articles, their triggers), organisation types (class, whether a body of the type is
inspected and rated, whether it publishes reports), rating levels and cues, post titles, honorifics,
reporting verbs, figure words and boilerplate all live in ``data/*.json``; the ontology and shapes in
``ontology/``. Code asks this module; it never keeps its own copy.

Loading checks each file against :data:`SCHEMA` and that every code names a term the ontology
declares (an event class under ``kg:Event``, an organisation class under ``kg:Organisation``, a
participant role a declared property), so a bad data file is one coded line naming the file and
the key, never a ``KeyError`` halfway through a build. Adding an event type or an organisation type
is one data edit plus one ontology term.

``KG_DOMAIN_DIR`` (a folder with ``data/`` and/or ``ontology/``) overrides the packaged files of
the same name, so a project can extend the domain without editing the package.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg import errors

PACKAGED = Path(__file__).parent
DATA = PACKAGED / "data"
ONTOLOGY = PACKAGED / "ontology"  # kg.ttl and shapes.ttl, shipped inside the package
OVERRIDE_ENV = "KG_DOMAIN_DIR"
KG_BASE = "https://w3id.org/newskg/ns#"

# file -> required key -> expected JSON type (list, dict, str); keys starting with "_" are comments.
SCHEMA: dict[str, dict[str, type]] = {
    "facts.json": {
        "post_heads": list, "post_modifiers": list, "post_status": dict, "council_posts": list,
        "reporting_verbs": list, "report_nouns": list, "speaker_pronouns": dict, "rating_levels": dict,
        "rating_classes": dict, "rating_cues": list, "events": list, "event_roles": dict, "modality": dict,
        "modality_classes": dict, "succession": dict, "figure_qualifiers": list, "figure_stop": list,
        "role_synonyms": dict, "institutional_posts": list, "figure_not_after": list, "intervention_exits": list, "commissioner_posts": dict,
        "intervention_entries": dict,
        "rating_gates": dict, "figure_time_units": list, "figure_measure_not_first": list,
        "figure_number_words": dict, "figure_report_verbs": list, "figure_duration_verbs": list, "figure_money_nouns": list, "post_body_types": dict, "figure_capacity_nouns": list, "post_tail_stop": list, "post_copulas": list, "victim_words": list,
        "generic_marks": list, "generic_determiners": list, "event_anchors": dict, "event_kind_nouns": list,
        "figure_duration_units": list, "figure_duration_cues": dict, "figure_duration_links": list,
        "figure_verb_measures": dict, "figure_vague_measures": list,
    },
    "bodies.json": {
        "types": dict, "heads": list, "named": list, "generic": list, "descriptors": list,
        "inspector_nouns": list, "unnamed": list, "portfolio_words": list, "portfolios": dict,
        "not_body_heads": list, "title_heads": list, "of_name_leads": list, "prefixes": list,
        "antecedent_heads": list, "street_words": list, "named_after": list, "short_forms": dict, "pair_descriptors": dict,
    },
    "people.json": {"titles": list, "role_words": list, "postnominals": list, "name_stop_words": list,
                    "not_person_words": list, "place_words": list, "place_leads": list},
    "boilerplate.json": {"drop_line": list, "case_sensitive": list, "date_line": list, "copyright_year": str,
                         "publisher": str, "truncate_at": list, "inline_credit": str},
}
EVENT_KEYS = {"type": str, "class": str, "person_role": str, "primary": list, "triggers": list}
ORG_TYPE_KEYS = {"class": str, "subject": bool, "publisher": bool}


@dataclass(frozen=True)
class EventType:
    """One event type: its code (SPEC's ``type``), ontology class, the role a person participant
    plays, the roles whose participants identify one event across articles, and its triggers."""

    code: str
    cls: str
    person_role: str
    primary: tuple[str, ...]
    triggers: tuple[str, ...]

    @property
    def iri(self) -> str:
        return KG_BASE + self.cls


@dataclass(frozen=True)
class OrgType:
    """One organisation type: its code, ontology class, and how extraction treats its bodies."""

    code: str
    cls: str
    subject: bool      # inspected, rated, taken over: a body whose services events are about
    publisher: bool    # publishes reports and reviews: the agent of a report, not its subject

    @property
    def iri(self) -> str:
        return KG_BASE + self.cls


def _path(folder: str, name: str) -> Path:
    """``name`` in the override folder when it is there, else the packaged one."""
    override = os.environ.get(OVERRIDE_ENV)
    if override:
        p = Path(override) / folder / name
        if p.is_file():
            return p
    return PACKAGED / folder / name


def domain_files() -> list[Path]:
    """Every file the domain is read from (for the facts cache fingerprint)."""
    names = [("data", n) for n in SCHEMA] + [("ontology", "kg.ttl"), ("ontology", "shapes.ttl")]
    return [_path(folder, n) for folder, n in names]


def ontology_file(name: str) -> Path:
    """``kg.ttl`` or ``shapes.ttl`` (the override's, when it has one)."""
    p = _path("ontology", name)
    if not p.is_file():
        raise errors.KGError(errors.ONTOLOGY_MISSING.format(path=p))
    return p


def _bad(name: str, key: str, problem: str) -> errors.KGError:
    return errors.KGError(errors.DOMAIN_BAD.format(file=name, key=key, problem=problem))


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """The checked contents of data file ``name`` (``facts.json``, ``bodies.json`` ...)."""
    if name not in SCHEMA:
        raise _bad(name, "", "is not a domain file (known: " + ", ".join(SCHEMA) + ")")
    path = _path("data", name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise errors.KGError(errors.DOMAIN_UNREADABLE.format(path=path, detail=e.strerror or e)) from None
    except ValueError as e:
        raise errors.KGError(errors.DOMAIN_UNREADABLE.format(path=path, detail=e)) from None
    if not isinstance(data, dict):
        raise _bad(name, "", "must be a JSON object")
    for key, typ in SCHEMA[name].items():
        if key not in data:
            raise _bad(name, key, "is missing")
        if not isinstance(data[key], typ):
            raise _bad(name, key, "must be a JSON " + {list: "list", dict: "object", str: "string"}[typ])
    unknown = sorted(k for k in data if not k.startswith("_") and k not in SCHEMA[name])
    if unknown:
        raise _bad(name, unknown[0], "is not read by anything: remove it or fix its spelling")
    return data


@lru_cache(maxsize=1)
def declared_terms() -> dict[str, frozenset[str]]:
    """The ontology's terms by kind: 'event' and 'organisation' classes (transitive subclasses),
    'property' (object and datatype properties), 'individual' and 'any'."""
    import pyoxigraph as ox

    path = ontology_file("kg.ttl")
    try:
        quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as e:
        raise errors.KGError(errors.DOMAIN_UNREADABLE.format(path=path, detail=e)) from None
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    owl = "http://www.w3.org/2002/07/owl#"
    parents: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {"property": set(), "individual": set(), "any": set()}
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(KG_BASE):
            continue
        name = s.value[len(KG_BASE):]
        kinds["any"].add(name)
        if p.value == sub and isinstance(o, ox.NamedNode):
            parents.setdefault(name, set()).add(o.value)
        elif p.value == rdf_type and o.value in (owl + "ObjectProperty", owl + "DatatypeProperty"):
            kinds["property"].add(name)
        elif p.value == rdf_type and o.value == owl + "NamedIndividual":
            kinds["individual"].add(name)

    def under(root: str) -> frozenset[str]:
        out, changed = set(), True
        while changed:
            changed = False
            for n, ps in parents.items():
                if n not in out and (KG_BASE + root in ps or any(KG_BASE + o in ps for o in out)):
                    out.add(n)
                    changed = True
        return frozenset(out)

    return {"event": under("Event"), "organisation": under("Organisation"),
            **{k: frozenset(v) for k, v in kinds.items()}}


def _check_record(name: str, where: str, record: Any, keys: dict[str, type], not_object: str) -> None:
    """One entry of a table: an object with every key of ``keys`` at its JSON type."""
    if not isinstance(record, dict):
        raise _bad(name, where, not_object)
    for key, typ in keys.items():
        if not isinstance(record.get(key), typ):
            raise _bad(name, f"{where}.{key}", "is missing" if key not in record else f"must be a {typ.__name__}")


@lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    """Every event type by code, checked against the ontology."""
    facts = load_json("facts.json")
    roles = facts["event_roles"]
    terms = declared_terms()
    for role, prop in roles.items():
        if prop not in terms["property"]:
            raise _bad("facts.json", f"event_roles.{role}", f"names kg:{prop}, which the ontology does not declare")
    out: dict[str, EventType] = {}
    for i, e in enumerate(facts["events"]):
        where = f"events[{i}]"
        _check_record("facts.json", where, e, EVENT_KEYS, "must be an object")
        code = e["type"]
        if code in out:
            raise _bad("facts.json", f"{where}.type", f"'{code}' is declared twice")
        if e["class"] not in terms["event"]:
            raise _bad("facts.json", f"{where}.class",
                       f"kg:{e['class']} is not an event class of the ontology (declare it rdfs:subClassOf kg:Event)")
        for r in [e["person_role"], *e["primary"]]:
            if r not in roles:
                raise _bad("facts.json", f"{where}", f"role '{r}' is not in event_roles ({', '.join(roles)})")
        out[code] = EventType(code, e["class"], e["person_role"], tuple(e["primary"]), tuple(e["triggers"]))
    return out


@lru_cache(maxsize=1)
def org_types() -> dict[str, OrgType]:
    """Every organisation type by code, checked against the ontology; the heads and named bodies
    of bodies.json may only use these codes."""
    bodies = load_json("bodies.json")
    terms = declared_terms()
    out: dict[str, OrgType] = {}
    for code, spec in bodies["types"].items():
        where = f"types.{code}"
        _check_record("bodies.json", where, spec, ORG_TYPE_KEYS, "must be an object with class, subject and publisher")
        if spec["class"] not in terms["organisation"]:
            raise _bad("bodies.json", f"{where}.class", f"kg:{spec['class']} is not an organisation class of the "
                                                         "ontology (declare it rdfs:subClassOf kg:Organisation)")
        out[code] = OrgType(code, spec["class"], spec["subject"], spec["publisher"])
    for key in ("heads", "prefixes"):
        for i, row in enumerate(bodies[key]):
            if not (isinstance(row, list) and len(row) == 2 and row[1] in out):
                raise _bad("bodies.json", f"{key}[{i}]", "must be [text, type] with a type declared in 'types'")
    for i, row in enumerate(bodies["named"]):
        if not (isinstance(row, list) and len(row) == 3 and row[1] in out):
            raise _bad("bodies.json", f"named[{i}]", "must be [name, type, [aliases]] with a type declared in 'types'")
    return out


@lru_cache(maxsize=1)
def subject_types() -> frozenset[str]:
    """Organisation types whose bodies are inspected, rated and taken over ('' for an untyped body)."""
    return frozenset({c for c, t in org_types().items() if t.subject} | {""})


@lru_cache(maxsize=1)
def publisher_types() -> frozenset[str]:
    """Organisation types whose bodies publish reports and reviews."""
    return frozenset(c for c, t in org_types().items() if t.publisher)


@lru_cache(maxsize=None)
def class_map(table: str) -> dict[str, str]:
    """A facts.json code -> class table (``rating_classes``, ``modality_classes``) as full IRIs, checked."""
    terms = declared_terms()
    out = {}
    for code, name in load_json("facts.json")[table].items():
        if name not in terms["any"]:
            raise _bad("facts.json", f"{table}.{code}", f"names kg:{name}, which the ontology does not declare")
        out[code] = KG_BASE + name
    return out


def check() -> None:
    """Load and check every table now (``kg build`` calls this before reading any article)."""
    for name in SCHEMA:
        load_json(name)
    event_types()
    org_types()
    class_map("rating_classes")
    class_map("modality_classes")


def reset() -> None:
    """Forget what was loaded (after ``KG_DOMAIN_DIR`` changes, in tests)."""
    for f in (load_json, declared_terms, event_types, org_types, subject_types, publisher_types, class_map):
        f.cache_clear()
