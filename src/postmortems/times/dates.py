"""Dates in prose and date headings: "On August 1st, 2024, …", "## May 12"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from postmortems.times.grammar import MONTH_PATTERN, NUMERIC_DATE_RE, WEEKDAY_RE, match_date

# Where a date may begin: a digit or a month name, not inside a longer token
# ("v2021-06-22", "PM2020-002", "0.2.119" are not dates).
_DATE_START_RE = re.compile(
    rf"(?<![\w./\-])(?=[0-9]|{MONTH_PATTERN})",
    re.ASCII | re.IGNORECASE,
)
_HEADING_DECORATION_RE = re.compile(r"^\s*#{0,6}\s*[*_`]*\s*|\s*[*_`]*\s*#*\s*[:.]?\s*$")


def find_date(text: str, *, dayfirst: bool | None = None) -> date | None:
    """The first complete date mentioned in prose or a heading, or None.

    An ambiguous numeric date (11/06/2023) gives way to a later ISO or textual
    date; when it is the only one, it reads month-first US style unless a number
    above 12 rules that out (dots read day-first), or ``dayfirst`` decides.
    """
    fallback: date | None = None
    for start in _DATE_START_RE.finditer(text):
        pos = start.start()
        found = match_date(text, pos, dayfirst=dayfirst)
        if found is None or found.date is None:
            continue
        if found.end < len(text) and (text[found.end].isalnum() or text[found.end] in "/-"):
            continue  # part of a longer token: a path, a version, an identifier
        if found.alternative is None:
            return found.date
        if fallback is None:
            fallback = found.date
    return fallback


def match_date_heading(
    text: str, *, dayfirst: bool | None = None
) -> tuple[date | None, tuple[int, int] | None] | None:
    """If a heading or line is only a date, (full date or None, (month, day) or None).

    "May 12" → (None, (5, 12)); "## 2021-06-22" → (date(2021, 6, 22), None);
    "Tuesday, 12 March 2024" → (date(2024, 3, 12), None). None when the text holds
    anything besides the date.
    """
    if len(text) > 120:
        return None  # a heading that long is not just a date
    core = _HEADING_DECORATION_RE.sub("", text)
    if not core or len(core) > 40:
        return None
    pos = 0
    weekday = WEEKDAY_RE.match(core)
    if weekday:
        pos = weekday.end()
    found = match_date(core, pos, dayfirst=dayfirst)
    if found is None or found.end != len(core):
        return None
    return found.date, found.month_day


def infer_dayfirst(texts: Iterable[str]) -> bool | None:
    """How a document writes numeric dates, from the ones that can only be read one way.

    True when some date is only valid day-first (13/04/2024), False when some date
    is only valid month-first (04/13/2024), None when none decides or they disagree.
    """
    seen: set[bool] = set()
    for text in texts:
        for found in NUMERIC_DATE_RE.finditer(text):
            first, second = int(found["a"]), int(found["b"])
            if first > 12 >= second >= 1:
                seen.add(True)
            elif second > 12 >= first >= 1:
                seen.add(False)
    return seen.pop() if len(seen) == 1 else None
