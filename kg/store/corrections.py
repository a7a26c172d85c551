"""corrections.toml: the user's corrections kept in the build folder, a file people read, edit,
diff and keep in git. Read with :mod:`tomllib`, written here (flat string and integer fields only,
so the writer is small); every problem is one coded line naming the file and the line.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path

from kg import errors
from kg.resolve.corrections import KINDS, Correction, entity_classes, is_entity_key
from kg.resolve.corrections import FACT_PREFIXES

CORRECTIONS = "corrections.toml"
HEADER = """\
# Corrections to the knowledge graph of this folder, applied by every 'kg build' into it
# (and by 'kg build ... --corrections FILE'). Written by 'kg correct'; you may edit it by hand.
# Each [[correction]] has an id, a kind (merge, distinct, reject or set), the target as it was
# typed and the normalised key it is matched by (a fact's key is its IRI path), 'other' and
# 'other_key' for merge and distinct, 'label' and/or 'type' for set, a reason and a date.
"""
FIELDS = ("id", "kind", "target", "key", "other", "other_key", "label", "type", "reason", "date")
_HEAD = re.compile(r"^\s*\[\[\s*correction\s*\]\]")


def read_corrections(path: Path) -> list[Correction]:
    """The corrections in ``path`` (none when it does not exist), in file order; KGError when broken."""
    return parse_corrections(path.read_bytes() if path.is_file() else None, path)


def parse_corrections(raw: bytes | None, path: Path) -> list[Correction]:
    """The corrections in ``raw`` (the bytes of ``path``; None: no file), checked; KGError when broken."""
    if raw is None:
        return []
    try:
        text = raw.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise errors.KGError(errors.CORRECTIONS_SYNTAX.format(path=path, line=line, detail="not UTF-8")) from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", str(e))
        line = m.group(1) if m else len(text.splitlines()) or 1
        raise errors.KGError(errors.CORRECTIONS_SYNTAX.format(path=path, line=line, detail=detail)) from None
    heads = [i + 1 for i, ln in enumerate(text.splitlines()) if _HEAD.match(ln)]
    extra = sorted(set(doc) - {"correction"})
    if extra:
        line = next((i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip().startswith(extra[0])), 1)
        raise _invalid(path, line, f"unknown table or key '{extra[0]}' (only [[correction]] tables)")
    items = doc.get("correction", [])
    if not isinstance(items, list):
        raise _invalid(path, heads[0] if heads else 1, "'correction' must be [[correction]] tables")
    out: list[Correction] = []
    for n, item in enumerate(items):
        line = heads[n] if n < len(heads) else 1
        out.append(_correction(path, line, item))
        if out[-1].id in {c.id for c in out[:-1]}:
            raise _invalid(path, line, f"id {out[-1].id} is used twice")
    return out


def _invalid(path: Path, line: int, detail: str) -> errors.KGError:
    return errors.KGError(errors.CORRECTIONS_INVALID.format(path=path, line=line, detail=detail))


def _correction(path: Path, line: int, item: object) -> Correction:
    """One [[correction]] table, checked field by field."""
    if not isinstance(item, dict):
        raise _invalid(path, line, "a correction must be a table")
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise _invalid(path, line, f"unknown field '{unknown[0]}' (fields: {', '.join(FIELDS)})")
    cid = item.get("id")
    if not isinstance(cid, int) or isinstance(cid, bool) or cid < 1:
        raise _invalid(path, line, "'id' must be a whole number from 1")
    for name in FIELDS[1:]:
        if not isinstance(item.get(name, ""), str):
            raise _invalid(path, line, f"'{name}' must be a string")
    c = Correction(**{k: v for k, v in item.items()})
    if c.kind not in KINDS:
        raise _invalid(path, line, f"'kind' must be one of {', '.join(KINDS)}, not '{c.kind}'")
    if not c.target or not c.key:
        raise _invalid(path, line, "'target' and 'key' are required")
    if not (is_entity_key(c.key) or (c.kind == "reject" and c.key.startswith(FACT_PREFIXES))):
        raise _invalid(path, line, f"'key' = '{c.key}' is not the key of an entity"
                                   + (" or fact" if c.kind == "reject" else ""))
    if c.kind in ("merge", "distinct") and not (c.other and is_entity_key(c.other_key)):
        raise _invalid(path, line, f"a {c.kind} needs 'other' and the entity key 'other_key'")
    if c.kind == "set" and not (c.label or c.type):
        raise _invalid(path, line, "a set needs 'label' or 'type'")
    if c.type and c.type not in entity_classes():
        raise _invalid(path, line, f"'type' = '{c.type}' is not a person, organisation or place class")
    try:
        datetime.date.fromisoformat(c.date)
    except ValueError:
        raise _invalid(path, line, f"'date' = '{c.date}' is not a date (YYYY-MM-DD)") from None
    return c


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dump_corrections(corrections: list[Correction]) -> bytes:
    """The file's text: a header, then one [[correction]] table each, empty fields left out."""
    parts = [HEADER]
    for c in corrections:
        lines = ["", "[[correction]]", f"id = {c.id}"]
        for name in FIELDS[1:]:
            value = getattr(c, name)
            if value:
                lines.append(f"{name} = {_string(value)}")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts).encode("utf-8")
