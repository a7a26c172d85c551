"""The package's shape: imports run one way, the top level stays small, messages live in the catalogue."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kg import errors

PACKAGE = Path(__file__).resolve().parent.parent / "kg"


def modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        parts = list(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def import_edges(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, at module level or inside functions."""

    def deepest(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        here = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - (node.level - 1)] if node.level else []
                stem = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{stem}.{a.name}" if stem else a.name for a in node.names]
            for t in targets:
                if t.split(".")[0] == "kg" and (r := deepest(t)) and r != mod:
                    edges[mod].add(r)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    found = circles(import_edges(modules()))
    assert found == [], "import circles: " + "; ".join(" <-> ".join(c) for c in found)


STAGES = ["domain", "ingest", "nlp", "extract", "run", "resolve", "rdf", "store", "formats", "views", "remote", "cli"]


def test_stages_import_only_stages_below_them() -> None:
    """The pipeline order of DESIGN.md: a stage never imports a later one (formats, views and remote
    may use each other's lower neighbours; the CLI may use everything)."""
    rank = {s: i for i, s in enumerate(STAGES)}
    rank.update({"views": rank["formats"] + 1, "remote": rank["views"] + 1})
    bad = []
    for mod, targets in import_edges(modules()).items():
        stage = mod.split(".")[1] if mod.count(".") else ""
        if stage not in rank:
            continue
        for t in targets:
            other = t.split(".")[1] if t.count(".") else ""
            if other in rank and other != stage and rank[other] > rank[stage]:
                bad.append(f"{mod} -> {t}")
    assert bad == []


def test_top_level_is_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} >= set(STAGES)


def test_error_codes_are_unique_and_every_message_says_what_to_do() -> None:
    cat = errors.catalogue()
    codes = [re.match(r"\[(E\d{3})\] ", m) for m in cat.values()]
    assert all(codes), [k for k, c in zip(cat, codes) if not c]
    assert len({c.group(1) for c in codes}) == len(cat)
    vague = [k for k, m in cat.items() if ":" not in m and not m[7:].startswith("give ")]
    assert vague == [], "messages that do not say what to do"


def test_no_module_raises_a_message_of_its_own() -> None:
    """KGError and UsageError are raised with a catalogue message, never an inline string."""
    bad = []
    for mod, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "KGError", "UsageError") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.BinOp):  # catalogue message + a detail
                    arg = arg.left
                uses_catalogue = any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                                     and n.value.id == "errors" for n in ast.walk(arg))
                if not uses_catalogue:
                    bad.append(f"{mod}:{node.lineno}")
    assert bad == []
