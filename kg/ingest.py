"""Ingest: files in, cleaned :class:`Article` objects out.

Cleaning drops news boilerplate (rules in ``data/boilerplate.json``), joins lines broken inside
a sentence, removes repeated sentences, and reads the title and the publication date.
"""
from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from . import errors
from .dates import MONTHS, parse_absolute
from .lexicon import load_json
from .model import Article

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl", ".text"}
SENT_END = re.compile(r"[.!?:;\"”’'\)\]]\s*$")
MAX_BOILER_LINE = 250


class SkipFile(Exception):
    """A file that cannot be read as an article; the message is the reason."""


@dataclass(frozen=True)
class Rules:
    drop: tuple[re.Pattern[str], ...]
    date_line: tuple[re.Pattern[str], ...]
    copyright_year: re.Pattern[str]
    publisher: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The boilerplate rules, compiled once."""
    d = load_json("boilerplate.json")
    drop = [re.compile(p, re.I) for p in d["drop_line"]]
    drop += [re.compile(p) for p in d.get("case_sensitive", [])]
    return Rules(tuple(drop), tuple(re.compile(p, re.I) for p in d["date_line"]),
                 re.compile(d["copyright_year"], re.I), re.compile(d["publisher"], re.I))


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Article files under ``paths`` (files, or folders searched recursively), sorted, unique."""
    found: set[Path] = set()
    for p in map(Path, paths):
        if not p.exists():
            raise errors.KGError(errors.PATH_MISSING.format(path=p))
        if p.is_dir():
            found.update(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                         and not f.name.startswith("."))
        else:
            found.add(p)
    return sorted(found, key=lambda f: (f.name, str(f)))


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 with a warning."""
    if not data.strip():
        raise SkipFile("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:4096] or _binary_ratio(data[:4096]) > 0.1:
        raise SkipFile("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8; decoded as cp1252", path)
        return data.decode("cp1252", errors="replace")


def _binary_ratio(chunk: bytes) -> float:
    bad = sum(1 for b in chunk if b < 32 and b not in (9, 10, 12, 13))
    return bad / max(1, len(chunk))


def read_path(path: Path) -> list[Article]:
    """Read one file into articles (a .jsonl file holds many). Raises :class:`SkipFile`."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SkipFile(f"cannot read ({e.strerror or e})") from e
    text = decode(data, str(path))
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".jsonl":
        return list(_jsonl_articles(text, path, digest))
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    art = clean(text, article_id=path.stem, source=path.name)
    art = replace(art, content_hash=digest)
    art = _apply_sidecar(art, path)
    if not art.text.strip():
        raise SkipFile("no article text left after removing boilerplate")
    return [art]


def _jsonl_articles(text: str, path: Path, digest: str) -> Iterator[Article]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            body = rec["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise SkipFile(f"line {n} is not a JSON object with a 'text' field ({e})") from e
        aid = str(rec.get("id") or f"{path.stem}-{n}")
        art = clean(body if not rec.get("title") else f"{rec['title']}\n{body}", aid, path.name)
        line_hash = hashlib.sha256(f"{digest}:{n}".encode()).hexdigest()
        yield replace(art, published=str(rec.get("published") or art.published),
                      url=str(rec.get("url") or ""), content_hash=line_hash)


def _apply_sidecar(art: Article, path: Path) -> Article:
    side = path.with_suffix(".json")
    if not side.exists():
        return art
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        log.warning("ignored sidecar %s: %s", side, e)
        return art
    fields = {k: str(meta[k]) for k in ("title", "published", "url", "publisher") if meta.get(k)}
    if "published" in fields:
        fields["published"] = parse_absolute(fields["published"]) or art.published
    return replace(art, **fields)


class _TextExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "blockquote", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block a line; scripts, styles and navigation dropped."""
    p = _TextExtractor()
    p.feed(markup)
    p.close()
    text = html.unescape("".join(p.parts))
    return "\n".join(re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in text.splitlines())


def clean(raw: str, article_id: str, source: str = "") -> Article:
    """Clean raw article text: title, date, boilerplate, broken wraps, repeated sentences."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    raw = re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", raw)
    lines = _truncate_end_matter([re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.split("\n")])
    r = rules()
    published, publisher, kept = "", "", []
    for ln in lines:
        if not ln:
            kept.append("")
            continue
        if len(ln) <= MAX_BOILER_LINE and any(p.fullmatch(ln) for p in r.date_line):
            published = published or _line_date(ln)
            continue
        if len(ln) <= MAX_BOILER_LINE:
            if m := r.copyright_year.search(ln):
                cy = m.group(1)
                publisher = publisher or _publisher(ln)
                if any(p.fullmatch(ln) for p in r.drop):
                    published = published or cy
                    continue
            if any(p.fullmatch(ln) for p in r.drop):
                continue
        kept.append(re.sub(r"^[-•*–]\s+", "", ln))
    paragraphs = _join_wraps(kept)
    paragraphs = _dedupe_sentences(paragraphs)
    title = paragraphs[0] if paragraphs else ""
    text = "\n\n".join(paragraphs)
    return Article(id=article_id, title=title, text=text, published=published, source=source,
                   publisher=publisher)


def _truncate_end_matter(lines: list[str]) -> list[str]:
    """Cut at a "Related Topics" / "More on this story" marker in the second half of the page.

    A dated line before the cut survives (it may be the article's own date line)."""
    markers = set(load_json("boilerplate.json")["truncate_at"])
    half = len(lines) // 2
    for i, ln in enumerate(lines):
        if i >= half and ln.lower().rstrip(":") in markers:
            return lines[:i]
    return lines


def _line_date(line: str) -> str:
    return parse_absolute(line) or ""


def _publisher(line: str) -> str:
    m = rules().publisher.search(line)
    return m.group(1).strip() if m else ""


def _join_wraps(lines: list[str]) -> list[str]:
    """Paragraphs from lines: a line that does not end a sentence joins a lower-case next line."""
    paras: list[str] = []
    pending = False
    for ln in lines:
        if not ln:
            continue
        if paras and pending and (ln[0].islower() or ln[0] in ",;"):
            paras[-1] = paras[-1] + " " + ln
        else:
            paras.append(ln)
        pending = not SENT_END.search(paras[-1])
    return paras


_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))(?=\s+[A-Z“\"‘]|[A-Z])")


def _dedupe_sentences(paras: list[str]) -> list[str]:
    """Drop sentences already seen verbatim (scraped pages often repeat a line)."""
    seen: set[str] = set()
    out: list[str] = []
    for para in paras:
        kept = []
        for sent in _SENT_SPLIT.split(para):
            key = re.sub(r"\W+", " ", sent).strip().lower()
            if len(key) > 25 and key in seen:
                continue
            seen.add(key)
            kept.append(sent.strip())
        joined = " ".join(s for s in kept if s)
        if joined:
            out.append(joined)
    return out


def load(paths: Iterable[str | Path]) -> tuple[list[Article], list[tuple[str, str]]]:
    """Read every article under ``paths``; returns (articles, [(file, reason skipped)])."""
    files = discover(paths)
    articles: list[Article] = []
    skipped: list[tuple[str, str]] = []
    for f in files:
        try:
            articles.extend(read_path(f))
        except SkipFile as e:
            skipped.append((str(f), str(e)))
    return articles, skipped


def from_text(text: str, article_id: str = "stdin") -> Article:
    """An article from a string (stdin, notebooks, tests)."""
    art = clean(text, article_id, source=article_id)
    return replace(art, content_hash=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest())


__all__ = ["Article", "SkipFile", "clean", "discover", "load", "read_path", "from_text",
           "html_to_text", "decode", "MONTHS"]
