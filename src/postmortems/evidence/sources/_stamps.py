"""The shapes a timestamp takes near the start of a log line, built from parts.

No list of whole layouts: a timestamp is a date shape (numeric in any order and separator,
compact, with a month name, without a year, or none at all), a joiner, a time of day (with
``:`` or ``.`` or nothing between its fields), then optionally a fraction of a second after
``.``, ``,`` or ``:``, AM/PM, a zone and (as ``ctime`` writes it) a year. Epoch seconds or
milliseconds standing as a word of their own are a shape too. ``_layout`` tries every shape
on a sample of a file and keeps the one that times most lines.

Each shape is one regular expression over bytes with named groups:

* ``t``: the part that identifies the second (the cache key of the reader), made of
  ``n1 n2 n3`` (a numeric date, order learned from the values), or ``Y``/``y``, ``m`` or
  ``b`` (month name), ``d``; ``H``, ``M``, ``S``; or ``E`` (epoch seconds), ``EM`` (epoch ms);
* ``f``: the fraction of a second; ``x``: what follows the time and changes its meaning
  (AM/PM, a zone, a trailing year), present only when the sample has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NUMBER = {name: number for number, name in enumerate(MONTH_NAMES, 1)}
_MONTH = rb"(?P<b>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?)"
_WEEKDAY = rb"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6},?\s+)"
# A timestamp starts a word (not inside a file name or number), or follows the one letter
# that starts a line: a level glued to the stamp ("E0314 10:00:00.123456").
_BEFORE = rb"(?:(?<![\w.:/+-])|(?<=^[A-Za-z]))"
_AFTER = rb"(?![\w])"

# Date shapes: (name, regex, has year, has date).
_DATES: tuple[tuple[str, bytes, bool, bool], ...] = (
    ("n-n-n", rb"(?P<n1>\d{1,4})(?P<ds>[-/.])(?P<n2>\d{1,2})(?P=ds)(?P<n3>\d{2,4})", True, True),
    ("YYYYMMDD", rb"(?P<Y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)", True, True),
    ("YYMMDD", rb"(?P<y>\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)", True, True),
    ("DD-Mon-YYYY", rb"(?P<d>\d{1,2})[-/ ]" + _MONTH + rb"[-/ ](?P<Y>\d{4})", True, True),
    (
        "Mon DD YYYY",
        _WEEKDAY + rb"?" + _MONTH + rb"[ -]+(?P<d>\d{1,2}),?[ -](?P<Y>\d{4})",
        True,
        True,
    ),
    ("YYYY-Mon-DD", rb"(?P<Y>\d{4})[-/ ]" + _MONTH + rb"[-/ ](?P<d>\d{1,2})", True, True),
    ("Mon DD", _WEEKDAY + rb"?" + _MONTH + rb" +(?P<d>\d{1,2})", False, True),
    ("MM-DD", rb"(?P<n1>\d{1,2})(?P<ds>[-/.])(?P<n2>\d{1,2})", False, True),
    # glog and klog: "I0314 10:00:00.123456"; taken only where a line starts with it.
    ("MMDD", rb"(?P<m>[01]\d)(?P<d>[0-3]\d)", False, True),
    ("", b"", False, False),
)
_JOINER = rb"(?:[T_:-]|::|,?\s+|\s*@\s*)"
# Time shapes: (name, regex).
_TIMES: tuple[tuple[str, bytes], ...] = (
    ("hh:mm:ss", rb"(?P<H>\d{1,2})(?P<ts>[:.])(?P<M>\d\d)(?P=ts)(?P<S>\d\d)"),
    ("hhmmss", rb"(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-6]\d)"),
    ("hh:mm", rb"(?P<H>\d{1,2}):(?P<M>\d\d)(?![:.]\d)"),
)
_FRACTION = rb"(?:[.,:](?P<f>\d{1,9}))?"
_EXTRA = rb"(?P<x>(?:\s?[AaPp]\.?[Mm]\.?|\s?(?:Z|[+-]\d\d:?\d\d|UTC|GMT))*)"
# ctime and Apache write the year after the time: "Sun Dec 04 04:47:44 2005".
_EXTRA_YEAR = (
    rb"(?P<x>(?:\s?[AaPp]\.?[Mm]\.?|\s?(?:Z|[+-]\d\d:?\d\d|UTC|GMT)|\s(?:19|20)\d\d(?=[\s\]]))*)"
)


@dataclass(frozen=True)
class Shape:
    """One timestamp shape: its name for people and its regex, with and without extras."""

    name: str
    body: bytes  # the ``t`` group and the fraction, without the boundaries
    has_year: bool
    has_date: bool
    at_start: bool = False  # only where a line starts with it: a bare "0314" is often no date

    def regex(self, extras: bool) -> bytes:
        if not extras:
            return self.body
        return self.body + (_EXTRA_YEAR if self.name.startswith("Mon DD ") else _EXTRA)

    def finder(self) -> re.Pattern[bytes]:
        """Finds the shape anywhere in a line, extras included (for learning)."""
        return re.compile(_BEFORE + self.regex(True) + _AFTER)


def _shapes() -> tuple[Shape, ...]:
    shapes = [
        Shape("epoch seconds", rb"(?P<t>(?P<E>[1-3]\d{9}))(?:\.(?P<f>\d{1,9}))?", True, True),
        Shape("epoch milliseconds", rb"(?P<t>(?P<EM>1\d{12}))", True, True),
    ]
    for date_name, date, has_year, has_date in _DATES:
        for time_name, time in _TIMES:
            if not has_date and time_name != "hh:mm:ss":
                continue  # a bare "1015" or "10:15" is too easily something else
            if time_name == "hhmmss" and date_name not in ("YYYYMMDD", "YYMMDD"):
                continue  # compact times go with compact dates
            if date_name == "MMDD" and time_name != "hh:mm:ss":
                continue
            joined = date + _JOINER + time if date else time
            name = f"{date_name} {time_name}".strip()
            fraction = _FRACTION if time_name != "hh:mm" else b""
            body = b"(?P<t>" + joined + b")" + fraction
            shapes.append(Shape(name, body, has_year, has_date, at_start=date_name == "MMDD"))
    return tuple(shapes)


SHAPES = _shapes()
