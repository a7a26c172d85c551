"""Validate: a build checked with pySHACL against ``ontology/shapes.ttl``, with the ontology
(``ontology/kg.ttl``) for inference, so shapes on a class also check its subclasses.

The ontology's ``rdfs:subClassOf`` axioms are added to (a copy of) the data: SHACL follows them
when it matches ``sh:targetClass`` and ``sh:class``. That is the inference the shapes need, and
it is twice as fast as pySHACL's full RDFS closure (which would also type every object of a
property by the property's range, making ``sh:class`` checks on those properties vacuous).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from kg import errors
from kg.domain import ONTOLOGY, ontology_file as domain_ontology_file

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


def ontology_dir() -> Path:
    """The ontology folder shipped inside the package (``kg/domain/ontology``)."""
    return ONTOLOGY


def ontology_file(name: str) -> Path:
    return domain_ontology_file(name)


@dataclass
class Violation:
    """One SHACL result, with terms written compactly."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str
    constraint: str = ""


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    nodes: int = 0

    def text(self, show: int = 5) -> str:
        """A readable report: one block per kind of problem, a few example nodes each."""
        problems = "no violations" + (f", {len(self.violations)} warning(s)" if self.violations else "")
        head = (f"Conforms: {self.nodes} triples checked against {SHAPES_FILE}, {problems}." if self.conforms
                else f"Does not conform: {len(self.violations)} result(s)")
        if not self.violations:
            return head + "\n"
        groups: dict[tuple[str, str, str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.severity, v.shape, v.path, v.constraint)].append(v)
        lines = [head if self.conforms else f"{head} in {len(groups)} group(s)."]
        order = sorted(groups.items(), key=lambda kv: (kv[0][0] != "Violation", -len(kv[1]), kv[0]))
        for (sev, shape, path, constraint), vs in order:
            nodes = len({v.focus for v in vs})
            lines.append(f"\n{sev} of {shape} on {path or 'the node'} ({constraint}), {nodes} node(s), "
                         f"e.g. {vs[0].message}")
            for v in sorted(vs, key=lambda v: v.focus)[:show]:
                lines.append(f"  {v.focus}" + (f"  value {v.value}" if v.value else ""))
            if len(vs) > show:
                lines.append(f"  … and {len(vs) - show} more")
        return "\n".join(lines) + "\n"


def _short(g: Graph, term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            short = g.namespace_manager.normalizeUri(term)
        except (ValueError, KeyError):
            short = str(term)
        return short.strip("<>")
    return str(term)


def _shape_name(shapes: Graph, results: Graph, shape: Node | None) -> str:
    """A property shape is a blank node: name it by the node shape that holds it."""
    parent = shapes.value(predicate=SH.property, object=shape) if isinstance(shape, BNode) else None
    return _short(results, parent if parent is not None else shape)


def validate_graph(data: Graph) -> ValidationReport:
    """Check ``data`` against the shapes, with the ontology's class hierarchy."""
    try:
        from pyshacl import validate as shacl
    except ImportError:
        raise errors.KGError(errors.SHACL_MISSING) from None

    from kg.domain.vocab import PREFIXES

    shapes = Graph().parse(ontology_file(SHAPES_FILE), format="turtle")
    onto = Graph().parse(ontology_file(ONTOLOGY_FILE), format="turtle")
    mixed = Graph()
    for triple in data:
        mixed.add(triple)
    for triple in onto.triples((None, RDFS.subClassOf, None)):
        mixed.add(triple)
    conforms, results, _text = shacl(mixed, shacl_graph=shapes, inference="none",
                                     abort_on_first=False, allow_warnings=True, advanced=True)
    if not isinstance(results, Graph):  # pySHACL could not run the shapes at all
        raise errors.KGError(errors.SHAPES_UNUSABLE.format(path=ontology_file(SHAPES_FILE), detail=_text.strip()))
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns)
    results.bind("kgsh", "https://w3id.org/newskg/shapes#")
    report = ValidationReport(bool(conforms), nodes=len(data))
    for r in results.subjects(SH.resultSeverity, None):
        sev = results.value(r, SH.resultSeverity)
        report.violations.append(Violation(
            severity=str(sev).rsplit("#", 1)[-1],
            focus=_short(results, results.value(r, SH.focusNode)),
            path=_short(results, results.value(r, SH.resultPath)),
            value=_short(results, results.value(r, SH.value)),
            message=str(results.value(r, SH.resultMessage) or ""),
            shape=_shape_name(shapes, results, results.value(r, SH.sourceShape)),
            constraint=_short(results, results.value(r, SH.sourceConstraintComponent)).replace("sh:", ""),
        ))
    report.violations.sort(key=lambda v: (v.shape, v.path, v.focus))
    return report


def validate(store: str | Path) -> ValidationReport:
    """Validate a build folder (or an RDF file): the union of its graphs against the shapes."""
    from kg.rdf import union_graph
    from kg.store import load_dataset

    return validate_graph(union_graph(load_dataset(store)))
