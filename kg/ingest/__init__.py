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
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from kg import errors
from kg.domain.dates import MONTHS, parse_absolute
from kg.domain import load_json
from kg.model import Article

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
    inline_credit: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The boilerplate rules, compiled once."""
    d = load_json("boilerplate.json")
    drop = [re.compile(p, re.I) for p in d["drop_line"]]
    drop += [re.compile(p) for p in d.get("case_sensitive", [])]
    return Rules(tuple(drop), tuple(re.compile(p, re.I) for p in d["date_line"]),
                 re.compile(d["copyright_year"], re.I), re.compile(d["publisher"], re.I),
                 re.compile(d["inline_credit"], re.I))


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
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every
    other byte is NUL), else cp1252 with a warning. A few stray NUL or control bytes are text
    (cleaning drops them); many are binary data, which raises :class:`SkipFile`."""
    if not data.strip(b" \t\r\n\x0b\x0c\x00"):
        raise SkipFile("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    if len(head) >= 8 and (odd := _utf16_without_bom(head)):
        log.warning("%s has no byte-order mark; decoded as %s", path, odd)
        return data.decode(odd, errors="replace")
    if _binary_ratio(head) > 0.1:
        raise SkipFile("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8; decoded as cp1252", path)
        return data.decode("cp1252", errors="replace")


def _utf16_without_bom(head: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when the odd or even bytes of ``head`` are (nearly) all NUL, else ""."""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return ""


def _binary_ratio(chunk: bytes) -> float:
    bad = sum(1 for b in chunk if b < 32 and b not in (9, 10, 12, 13))
    return bad / max(1, len(chunk))


def read_path(path: Path) -> list[Article]:
    """Read one file into articles (a .jsonl file holds many). Raises :class:`SkipFile`."""
    return read_file(path)[0]


def read_file(path: Path) -> tuple[list[Article], list[tuple[str, str]]]:
    """Articles of one file, and the (``file:line``, reason) of JSON lines that had to be skipped.

    Raises :class:`SkipFile` when the file gives no article at all."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SkipFile(f"cannot read ({e.strerror or e})") from e
    text = decode(data, str(path))
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".jsonl":
        arts, bad = _jsonl_articles(text, path, digest)
        if not arts:
            raise SkipFile("no JSON line with article text" + (f" ({bad[0][1]})" if bad else ""))
        return arts, bad
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    art = clean(text, article_id=path.stem, source=path.name)
    art = replace(art, content_hash=digest)
    art = _apply_sidecar(art, path)
    if not art.text.strip():
        raise SkipFile("no article text left after removing boilerplate")
    return [art], []


def _jsonl_articles(text: str, path: Path, digest: str) -> tuple[list[Article], list[tuple[str, str]]]:
    arts: list[Article] = []
    bad: list[tuple[str, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            body = rec["text"]
        except (json.JSONDecodeError, KeyError, TypeError, IndexError) as e:
            bad.append((f"{path}:{n}", f"not a JSON object with a 'text' field ({e})"))
            continue
        if not isinstance(body, str) or not isinstance(rec, dict):
            bad.append((f"{path}:{n}", "'text' is not a string"))
            continue
        aid = str(rec.get("id") or f"{path.stem}-{n}")
        title = rec.get("title")
        art = clean(body if not title else f"{title}\n{body}", aid, path.name)
        if not art.text.strip():
            bad.append((f"{path}:{n}", "no article text left after removing boilerplate"))
            continue
        line_hash = hashlib.sha256(f"{digest}:{n}".encode()).hexdigest()
        published = iso_date(str(rec["published"])) if rec.get("published") else ""
        arts.append(replace(art, published=published or art.published, url=one_line(str(rec.get("url") or "")),
                            content_hash=line_hash))
    return arts, bad


def _apply_sidecar(art: Article, path: Path) -> Article:
    side = path.with_suffix(".json")
    if not side.exists():
        return art
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        log.warning("ignored sidecar %s: %s", side, e)
        return art
    fields = {k: one_line(str(meta[k])) for k in ("title", "published", "url", "publisher") if meta.get(k)}
    if "published" in fields:
        fields["published"] = iso_date(fields["published"]) or art.published
    return replace(art, **fields)


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def iso_date(value: str) -> str:
    """A metadata date as ISO at its precision ("2019", "2019-07", "2019-07-15"), "" if it is no valid date."""
    value = value.strip()
    m = _ISO.fullmatch(value)
    iso = "-".join(g for g in m.groups() if g) if m else parse_absolute(value)
    parts = [int(x) for x in iso.split("-")] if iso else []
    try:
        if parts:
            date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        log.warning("ignored invalid date %r", value)
        return ""
    return iso


class _TextExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "blockquote", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.title: list[str] | None = None  # the <title>'s text while inside it

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self.title = []
        if tag in self.SKIP:
            self.depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.parts.append(_headline("".join(self.title)))
            self.title = None
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
        elif not self.depth:
            self.parts.append(data)


def _headline(title: str) -> str:
    """A page title without the section and site names after it ("Council loses control | News | Local News")."""
    segments = [s.strip() for s in re.split(r"\s+[|–—-]\s+|\s+::\s+", title) if s.strip()]
    while len(segments) > 1 and len(segments[-1].split()) <= 4:
        segments.pop()
    return " - ".join(segments)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block a line; scripts, styles and navigation dropped."""
    p = _TextExtractor()
    p.feed(markup)
    p.close()
    text = html.unescape("".join(p.parts))
    return "\n".join(re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in text.splitlines())


# Control characters (C0 but tab and newline, DEL, C1) and Unicode line separators: some parsers
# (rdflib's Turtle reader among them) take the separators for line ends inside a literal.
CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: str) -> str:
    """Metadata (an id, a URL, a name) as one line: controls, NUL and line breaks become spaces."""
    return re.sub(r"\s*[\n\r\t]\s*", " ", CONTROLS.sub(" ", value.replace("\x00", ""))).strip()


def clean(raw: str, article_id: str, source: str = "") -> Article:
    """Clean raw article text: title, date, boilerplate, broken wraps, repeated sentences."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    raw = raw.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x85", "\n")
    raw = CONTROLS.sub(" ", raw)
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
        ln = r.inline_credit.sub("", ln) or ln  # "… since November 2013. Picture: Phil Adams"
        ln = _plain(ln)
        item = re.match(r"^[-•*–]\s+", ln)
        kept.append((ITEM if item else "") + ln[item.end():] if item else ln)  # a list item is its own paragraph
    paragraphs = _join_wraps(kept)
    paragraphs = _dedupe_sentences(paragraphs)
    title = paragraphs[0] if paragraphs else ""
    text = "\n\n".join(paragraphs)
    return Article(id=one_line(article_id), title=title, text=text, published=published, source=one_line(source),
                   publisher=publisher)


def _plain(line: str) -> str:
    """Markdown's markup off a line: "## Heading", "**bold**", "__bold__", "*italic*"."""
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", line)
    return re.sub(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])", r"\1", line)


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


ITEM = "\x00"  # marks a list item while lines are joined (NULs are gone from the text by then)


def _join_wraps(lines: list[str]) -> list[str]:
    """Paragraphs from lines: a line that does not end a sentence joins a lower-case next line."""
    paras: list[str] = []
    pending = False
    for ln in lines:
        if not ln or ln == ITEM:
            continue
        if ln.startswith(ITEM):
            paras.append(ln[len(ITEM):])
        elif paras and pending and (ln[0].islower() or ln[0] in ",;") and not paras[-1].endswith(":"):
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


def load(paths: Iterable[str | Path], memo: "Memo | None" = None) -> tuple[list[Article], list[tuple[str, str]]]:
    """Read every article under ``paths``; returns (articles, [(file, reason skipped)]).

    With ``memo`` (what an earlier build read), a file whose size, modification time, inode and
    sidecar are those it had then is not read again: its articles are the memo's. Every file read
    whole goes into the memo."""
    files = discover(paths)
    articles: list[Article] = []
    skipped: list[tuple[str, str]] = []
    for f in files:
        sig = memo.signature(f) if memo is not None else None
        if sig is not None and (known := memo.get(f, sig)) is not None:
            articles.extend(known)
            continue
        try:
            arts, bad = read_file(f)
        except SkipFile as e:
            skipped.append((str(f), str(e)))
            continue
        articles.extend(arts)
        skipped.extend(bad)
        if memo is not None and sig is not None and not bad:
            memo.put(f, sig, arts)
    return articles, skipped


class Memo:
    """Articles read from files, by each file's signature (size, modification time in ns, inode,
    and the same of its sidecar), for one version of the cleaning code (``code``).

    A file modified less than ``RACY`` seconds before it was looked at may change again within
    the clock's granularity without its signature changing, so it is not trusted next time."""

    RACY = 2.0

    def __init__(self, code: str, files: dict[str, list] | None = None) -> None:
        self.code = code
        self.files: dict[str, list] = files or {}
        self.changed = False

    @staticmethod
    def signature(path: Path) -> list[int] | None:
        import time

        try:
            st = path.stat()
            side = path.with_suffix(".json")
            sst = side.stat() if side != path and side.exists() else None
        except OSError:
            return None
        now = time.time_ns()
        if now - st.st_mtime_ns < Memo.RACY * 1e9 or (sst is not None and now - sst.st_mtime_ns < Memo.RACY * 1e9):
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ino] + (
            [sst.st_size, sst.st_mtime_ns, sst.st_ino] if sst is not None else [])

    def get(self, path: Path, sig: list[int]) -> list[Article] | None:
        entry = self.files.get(str(path.resolve()))
        if entry is None or entry[0] != sig:
            return None
        return [Article(**a) for a in entry[1]]

    def put(self, path: Path, sig: list[int], arts: list[Article]) -> None:
        from dataclasses import asdict

        self.files[str(path.resolve())] = [sig, [asdict(a) for a in arts]]
        self.changed = True

    def to_json(self) -> str:
        return json.dumps({"code": self.code, "files": self.files}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, code: str) -> "Memo":
        try:
            doc = json.loads(text)
            if doc.get("code") == code and isinstance(doc.get("files"), dict):
                return cls(code, doc["files"])
        except (ValueError, AttributeError):
            pass
        return cls(code)


def from_text(text: str, article_id: str = "stdin") -> Article:
    """An article from a string (stdin, notebooks, tests)."""
    art = clean(text, article_id, source=article_id)
    return replace(art, content_hash=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest())


__all__ = ["Article", "Memo", "SkipFile", "clean", "discover", "load", "read_path", "from_text",
           "html_to_text", "decode", "MONTHS"]
