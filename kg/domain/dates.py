"""Dates: absolute ones normalised, relative ones resolved against an anchor, precision kept.

Every function returns an ISO string at the precision the text supports — "2019",
"2019-07" or "2019-07-15" — or "" when nothing anchors it (never a guess).
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d{2})"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?=\b|T)")),
    ("isom", re.compile(r"\b(\d{4})-(\d{2})\b(?!-\d)")),
    ("dmy", re.compile(rf"\b{_D}(?:\s*(?:and|-|–|to)\s*\d{{1,2}}(?:st|nd|rd|th)?)? (?:of )?{MONTH},? {_Y}\b", re.I)),
    ("mdy", re.compile(rf"\b{MONTH} {_D}(?:st|nd|rd|th)?,? {_Y}\b", re.I)),
    ("my", re.compile(rf"\b{MONTH},? {_Y}\b", re.I)),
    ("dm", re.compile(rf"\b{_D}(?:\s*(?:and|-|–|to)\s*\d{{1,2}}(?:st|nd|rd|th)?)? (?:of )?{MONTH}\b", re.I)),
    ("md", re.compile(rf"\b{MONTH} {_D}\b(?!,? \d)", re.I)),
    ("y", re.compile(rf"\b{_Y}\b")),
]
BY_KIND = dict(PATTERNS)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:3] if word.lower()[:4] != "sept" else "sept"]


def _fmt(y: int, m: int = 0, d: int = 0) -> str:
    if d:
        try:
            return dt.date(y, m, d).isoformat()
        except ValueError:
            return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}" if m else f"{y:04d}"


def parse_absolute(text: str) -> str:
    """The first date in ``text`` that carries its own year, as ISO; "" if none."""
    for kind, pat in PATTERNS:
        if kind in ("dm", "md"):
            continue
        m = pat.search(text)
        if not m:
            continue
        g = m.groups()
        if kind in ("iso", "isom"):
            y, mo, d = int(g[0]), int(g[1]), int(g[2]) if kind == "iso" else 0
            if not 1 <= mo <= 12 or (d and not _valid(y, mo, d)):
                continue  # "2019-13-45" is no date
            return _fmt(y, mo, d)
        if kind == "dmy":
            return _fmt(int(g[2]), _month(g[1]), int(g[0]))
        if kind == "mdy":
            return _fmt(int(g[2]), _month(g[0]), int(g[1]))
        if kind == "my":
            return _fmt(int(g[1]), _month(g[0]))
        return g[0]
    return ""


def _anchor(anchor: str) -> tuple[int, int, int]:
    parts = [int(p) for p in anchor.split("-")] if anchor else []
    return tuple(parts + [0] * (3 - len(parts)))[:3]  # type: ignore[return-value]


def _before(y: int, m: int, ay: int, am: int, inclusive: bool = True) -> int:
    """Year of the most recent month ``m`` at or before anchor (ay, am)."""
    if not am:
        return ay
    return ay if (m < am or (inclusive and m == am)) else ay - 1


def _day_before(m: int, d: int, ay: int, am: int, ad: int) -> int:
    """Year of the most recent day ``d`` of month ``m`` at or before the anchor: "19 January" told
    on 3 January 2024 is 19 January 2023 (at month precision, the anchor's month counts as before)."""
    if not am:
        return ay
    if m == am and ad:
        return ay if d <= ad else ay - 1
    return _before(0, m, ay, am)


def _after(m: int, d: int, ay: int, am: int, ad: int) -> int:
    """Year of the next day ``d`` of month ``m`` at or after anchor (ay, am, ad)."""
    if not am:
        return ay
    return ay if (m, d) >= (am, ad or 1) else ay + 1


def resolve(text: str, anchor: str = "", past: bool = True) -> str:
    """Resolve a date phrase against ``anchor`` (ISO, any precision); "" if unanchored.

    Absolute dates win; then month-day without year, named months, "last month", "last
    year", seasons and weekdays, each needing the anchor precision it depends on.
    """
    t = text.lower().strip()
    if absolute := parse_absolute(t):
        return absolute
    ay, am, ad = _anchor(anchor)
    if not ay:
        return ""
    if m := BY_KIND["dm"].search(t):  # "20 and 22 October", "17th June"
        mon, day = _month(m.group(2)), int(m.group(1))
        return _fmt(_day_before(mon, day, ay, am, ad) if past else _after(mon, day, ay, am, ad), mon, day)
    if m := BY_KIND["md"].search(t):  # "June 17"
        mon, day = _month(m.group(1)), int(m.group(2))
        return _fmt(_day_before(mon, day, ay, am, ad) if past else _after(mon, day, ay, am, ad), mon, day)
    return _relative(t, ay, am, ad, past)


COUNTS = {w: i for i, w in enumerate("a two three four five six seven eight nine ten eleven twelve".split(), 1)}
COUNTS["an"] = 1


def _ago(t: str, ay: int, am: int, ad: int) -> str:
    """"three months ago", "two weeks ago", "ten days ago": counted back from the anchor, at the
    precision the count allows (weeks give the month they fell in)."""
    m = re.search(r"\b(\d+|[a-z]+)\s+(day|week|month|year)s?\s+ago\b", t)
    if not m:
        return ""
    n = int(m.group(1)) if m.group(1).isdigit() else COUNTS.get(m.group(1), 0)
    unit = m.group(2)
    if not n or (unit in ("day", "week") and not ad) or (unit == "month" and not am):
        return ""
    if unit == "year":
        return _fmt(ay - n)
    if unit == "month":
        k = ay * 12 + (am - 1) - n
        return _fmt(k // 12, k % 12 + 1)
    d = dt.date(ay, am, ad) - dt.timedelta(n * (7 if unit == "week" else 1))
    return d.isoformat() if unit == "day" else _fmt(d.year, d.month)


def _relative(t: str, ay: int, am: int, ad: int, past: bool) -> str:
    if (ago := _ago(t, ay, am, ad)) and not re.search(r"\ba year ago\b", t):
        return ago
    if re.search(r"\blast year\b|\ba year ago\b", t):
        if m := re.search(MONTH + r" last year", t):
            return _fmt(ay - 1, _month(m.group(1)))
        return _fmt(ay - 1)
    if re.search(r"\bnext year\b", t):
        return _fmt(ay + 1)
    if re.search(r"\bthis year\b", t):
        return _fmt(ay)
    if m := re.search(r"\b(last|this|next)\s+(spring|summer|autumn|fall|winter)\b", t):
        off = {"last": -1, "this": 0, "next": 1}[m.group(1)]
        season = SEASONS[m.group(2)]
        year = ay + off if not am or off != -1 or am <= season + 2 else ay
        return _fmt(year)
    if re.search(r"\blast month\b|\ba month ago\b", t) and am:
        return _fmt(ay - 1, 12) if am == 1 else _fmt(ay, am - 1)
    if re.search(r"\b(this|earlier this|later this) month\b", t) and am:
        return _fmt(ay, am)
    if re.search(r"\bnext month\b", t) and am:
        return _fmt(ay + 1, 1) if am == 12 else _fmt(ay, am + 1)
    if m := re.search(r"\b(last|this|next)?\s*" + MONTH + r"\b", t):
        mon = _month(m.group(2))
        rel = m.group(1) or ""
        if rel == "last":
            return _fmt(_before(0, mon, ay, am, inclusive=False) if am else ay - 1, mon)
        if rel == "next" or (not rel and not past):
            return _fmt(ay if not am or mon > am else ay + 1, mon)
        return _fmt(_before(0, mon, ay, am), mon)
    if (m := re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", t)) and ad:
        return _weekday(ay, am, ad, WEEKDAYS[m.group(1)], past)
    if re.search(r"\blast week\b|\ba week ago\b", t) and ad:
        d = dt.date(ay, am, ad) - dt.timedelta(7)
        return _fmt(d.year, d.month)  # the week is not a day: the month it fell in
    if re.search(r"\b(today|this week|yesterday)\b", t) and ad:
        return _fmt(ay, am, ad) if "yesterday" not in t else (dt.date(ay, am, ad) - dt.timedelta(1)).isoformat()
    return ""


def _weekday(y: int, m: int, d: int, wd: int, past: bool) -> str:
    base = dt.date(y, m, d)
    delta = (base.weekday() - wd) % 7 if past else -((wd - base.weekday()) % 7)
    return (base - dt.timedelta(days=delta)).isoformat()


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def xsd_type(iso: str) -> str:
    """The XSD datatype local name for an ISO date of any precision."""
    return {4: "gYear", 7: "gYearMonth"}.get(len(iso), "date")
