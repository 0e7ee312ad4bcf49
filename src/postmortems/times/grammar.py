"""The pieces a written timestamp is made of: dates, times of day, zones.

Each piece is an anchored regex tried at a position (``pattern.match(text, pos)``),
so callers compose them in whatever order people write them. Regexes are ASCII
and compiled once; validation (a 31 February, a 25 o'clock) happens in code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, time, tzinfo

from postmortems.times.zones import ABBREVIATIONS, offset_zone, tz_from_name

_FLAGS = re.ASCII | re.IGNORECASE

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

MONTH_PATTERN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
WEEKDAY_PATTERN = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![a-z])\.?"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])(?:st|nd|rd|th)?(?![a-z])"
_YEAR = r"[12][0-9]{3}(?![0-9])"

ISO_DATE_RE = re.compile(
    r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[01]?[0-9])(?P=sep)(?P<d>[0-3]?[0-9])(?![0-9])", _FLAGS
)
# Two-digit years only with slashes (checked in code): "1.2.30" is a version, "1/2/30" a date.
NUMERIC_DATE_RE = re.compile(
    r"(?P<a>[0-3]?[0-9])(?P<sep>[-/.])(?P<b>[0-3]?[0-9])(?P=sep)(?P<y>[12][0-9]{3}|[0-9]{2})(?![0-9])",
    _FLAGS,
)
TEXTUAL_DATE_RE = re.compile(
    rf"(?P<mon1>{MONTH_PATTERN})\s*(?P<day1>{_DAY})(?:,?\s*(?P<year1>{_YEAR}))?"
    rf"|(?P<day2>{_DAY})(?:\s+of)?[\s-]*(?P<mon2>{MONTH_PATTERN})(?:,?[\s-]*(?P<year2>{_YEAR}))?"
    # Jira's "20/Feb/25" and "20/Feb/2025"
    rf"|(?P<day3>{_DAY})/(?P<mon3>{MONTH_PATTERN})/(?P<year3>[12][0-9]{{3}}|[0-9]{{2}})(?![0-9])",
    _FLAGS,
)
WEEKDAY_RE = re.compile(rf"(?P<wd>{WEEKDAY_PATTERN}),?\s+", _FLAGS)

TIME_RE = re.compile(
    r"(?P<h>[0-9]{1,2})"
    r"(?:[:](?P<mi>[0-5][0-9])(?![0-9])(?::(?P<s>[0-5][0-9])(?:[.,](?P<f>[0-9]{1,9}))?(?![0-9]))?"
    r"(?:\s?(?:hrs|hr)(?![a-z]))?"  # "19:02 Hrs"
    r"|h(?P<mi2>[0-5][0-9])(?![0-9])"
    r"|[.](?P<dot>[0-5][0-9])(?![0-9])(?=\s?[ap]\.?m(?![a-z]))"  # "9.05 AM": only with AM/PM
    # 1400hrs, 1451Z, and the start of a range of them: "1405-1418hrs"
    r"|(?P<mil>[0-5][0-9])(?:(?=Z(?![a-z]))|(?P<hrs>\s?(?:hrs?|hours)(?![a-z]))"
    r"|(?=\s?[-\u2013\u2014]\s?[0-9]{4}\s?(?:hrs?|hours)(?![a-z]))))?"
    r"(?:\s?(?P<ampm>[ap])(?:\.m(?![a-z])\.?|m(?![a-z])))?"  # "a.m." keeps its dot, "AM." not
    r"(?:\s*(?P<word>noon|midnight)(?![a-z]))?",
    _FLAGS,
)
ZONE_RE = re.compile(
    r"(?P<z>Z)(?![a-z0-9])"
    r"|(?P<sp>\s*)(?:"
    r"\((?P<paren>[^()\n]{1,40})\)"
    r"|(?P<off>[+\-\u2212])(?P<oh>[0-9]{2})(?::?(?P<om>[0-9]{2})(?::(?P<os>[0-9]{2}))?)?(?!:?[0-9])"
    r"|(?P<name>(?:UTC|GMT|UT)\s?[+\-\u2212]\s?[0-9]{1,2}(?::?[0-9]{2})?(?!:?[0-9])"
    r"|[a-z]+/[a-z_\-]+(?:/[a-z_\-]+)?|[a-z]{3}[0-9]{1,2}[a-z]{3}(?![a-z0-9])"
    r"|[a-z]{2,5}(?![a-z0-9]))"
    r")",
    _FLAGS,
)
# A zone written out in words after a time: "14:00 West African Time", "9am Pacific Time".
LONG_ZONE_RE = re.compile(
    r"(?P<sp>\s+)(?P<long>(?:[A-Z][a-z]+\s+){0,3}Time(?:\s+[Zz]one)?)(?![A-Za-z0-9])", re.ASCII
)
# Tokens shaped like a zone that name none: "GMT-25", "UTC+30", "America/Nowhere", "+25:00".
# They are reported rather than skipped, so the entry does not silently take another zone.
_IANA_AREAS = (
    "Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Brazil|Canada|Chile|Etc|Europe"
    "|Indian|Mexico|Pacific|US"
)
UNKNOWN_ZONE_RE = re.compile(
    r"\s*(?P<token>(?:UTC|GMT|UT)\s?[+\-\u2212]\s?[0-9]{1,4}(?::?[0-9]{2})?"
    rf"|(?:{_IANA_AREAS})/[A-Za-z_\-]+(?:/[A-Za-z_\-]+)?"
    r"|[+\u2212][0-9]{2}:?[0-9]{2})(?![A-Za-z0-9])",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class DateParts:
    """A date as written: a full date, or a month and day without a year."""

    end: int
    date: dt.date | None
    month_day: tuple[int, int] | None
    alternative: dt.date | None = None  # the other reading of an ambiguous numeric date
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class TimeParts:
    end: int
    time: dt.time
    has_meridiem: bool


def _month(word: str) -> int:
    return MONTHS[word[:3].lower()]


def weekday_number(word: str) -> int:
    return WEEKDAYS[word[:3].lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_number(text: str) -> int:
    return int(text.rstrip("stndrhSTNDRH"))


def match_date(text: str, pos: int, *, dayfirst: bool | None) -> DateParts | None:
    """A date starting exactly at ``pos``; numeric ambiguity resolved as documented."""
    first = text[pos : pos + 1]
    if not first:
        return None
    if first.isdigit():
        iso = ISO_DATE_RE.match(text, pos)
        if iso:
            found = _safe_date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
            return DateParts(iso.end(), found, None) if found else None
        numeric = NUMERIC_DATE_RE.match(text, pos)
        if numeric:
            return _numeric_date(numeric, dayfirst)
    textual = TEXTUAL_DATE_RE.match(text, pos)
    if textual is None:
        return None
    if textual["mon1"]:
        month, day, year = _month(textual["mon1"]), _day_number(textual["day1"]), textual["year1"]
    elif textual["mon3"]:
        month, day, year = _month(textual["mon3"]), _day_number(textual["day3"]), textual["year3"]
        if len(year) == 2:
            year = str(2000 + int(year) if int(year) < 70 else 1900 + int(year))
    else:
        month, day, year = _month(textual["mon2"]), _day_number(textual["day2"]), textual["year2"]
    if year:
        found = _safe_date(int(year), month, day)
        return DateParts(textual.end(), found, None) if found else None
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 February passes
        return None
    return DateParts(textual.end(), None, (month, day))


def _numeric_date(match: re.Match[str], dayfirst: bool | None) -> DateParts | None:
    a, b, year_text = int(match["a"]), int(match["b"]), match["y"]
    year = int(year_text)
    if len(year_text) == 2:
        if match["sep"] != "/":
            return None
        year += 2000 if year < 70 else 1900
    day_first = _safe_date(year, b, a)
    month_first = _safe_date(year, a, b)
    if day_first is None and month_first is None:
        return None
    if day_first is None or month_first is None or day_first == month_first:
        only = day_first or month_first
        return DateParts(match.end(), only, None, numeric=True)
    if dayfirst is not None:  # the document decided; the other reading is kept for the warning
        chosen, other = (day_first, month_first) if dayfirst else (month_first, day_first)
        return DateParts(match.end(), chosen, None, other, numeric=True)
    # Undecided: dots are a day-first convention; slashes and dashes read US style.
    if match["sep"] == ".":
        return DateParts(match.end(), day_first, None, month_first, numeric=True)
    return DateParts(match.end(), month_first, None, day_first, numeric=True)


def match_time(text: str, pos: int) -> TimeParts | None:
    """A time of day starting exactly at ``pos``: 14:51, 14:51:07.5, 6pm, 14h51, 1451Z,
    1400hrs, 9.05 AM."""
    if not text[pos : pos + 1].isdigit():
        return None
    found = TIME_RE.match(text, pos)
    if found is None:
        return None
    hour = int(found["h"])
    minute_text = found["mi"] or found["mi2"] or found["dot"] or found["mil"]
    meridiem = found["ampm"]
    word = found["word"]
    if minute_text is None and meridiem is None and word is None:
        return None
    if found["mil"] is not None and (len(found["h"]) != 2 or (found["hrs"] and meridiem)):
        return None
    minute = int(minute_text or 0)
    second = int(found["s"] or 0)
    micro = int((found["f"] or "0")[:6].ljust(6, "0"))
    if meridiem:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    if word:
        # "12 noon", "12:00 midnight": only a twelve o'clock may carry the word.
        if hour % 12 != 0 or minute != 0:
            return None
        hour = 12 if word.lower() == "noon" else 0
    if hour > 23:
        return None
    return TimeParts(found.end(), time(hour, minute, second, micro), meridiem is not None)


def match_zone(text: str, pos: int, *, iso: bool = False) -> tuple[tzinfo, int] | None:
    """A zone written right after a time (optionally after spaces), and where it ends.

    ``iso``: the time was written ISO style (``2021-06-22T08:21``), so an attached
    ``-05:00`` is an offset; elsewhere "09:00-11:00" is a range, not a zone.
    """
    found = ZONE_RE.match(text, pos)
    if found is None:
        return _long_zone(text, pos)
    if found["off"] is not None and found["off"] != "+" and not found["sp"] and not iso:
        return None
    if found["z"]:
        return ABBREVIATIONS["Z"], found.end()
    zone: tzinfo | None
    if found["paren"] is not None:
        zone = tz_from_name(found["paren"])
    elif found["off"] is not None:
        zone = offset_zone(found["off"], found["oh"], found["om"], found["os"])
    else:
        name = found["name"]
        if "/" in name or any(c in name for c in "+-\u2212") or any(c.isdigit() for c in name):
            zone = tz_from_name(name)
        elif name.upper() in {"UTC", "GMT"} or (name.isupper() and name in ABBREVIATIONS):
            zone = ABBREVIATIONS[name.upper()]
        elif name in {"PT", "MT", "CT", "ET"}:
            zone = tz_from_name(name)
        else:
            zone = None
    if zone is None:
        return _long_zone(text, pos)
    return zone, found.end()


def _long_zone(text: str, pos: int) -> tuple[tzinfo, int] | None:
    found = LONG_ZONE_RE.match(text, pos)
    if found is None:
        return None
    zone = tz_from_name(found["long"])
    return (zone, found.end()) if zone is not None else None


def match_unknown_zone(text: str, pos: int) -> tuple[str, int] | None:
    """A token right after a time that is shaped like a zone but names none, and its end."""
    found = UNKNOWN_ZONE_RE.match(text, pos)
    if found is None or tz_from_name(found["token"]) is not None:
        return None
    return found["token"], found.end()
