"""The timestamp at the start of a timeline entry, as people write it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from datetime import tzinfo

from postmortems.times.grammar import (
    WEEKDAY_RE,
    DateParts,
    TimeParts,
    match_date,
    match_time,
    match_unknown_zone,
    match_zone,
    weekday_number,
)


@dataclass(frozen=True)
class TimeMatch:
    """A timestamp found at the start of a text, and what it said."""

    start: int  # span of the timestamp within the text given
    end: int
    date: dt.date | None  # a complete date written with it (year known)
    month_day: tuple[int, int] | None  # (month, day) of a date written without a year
    time: dt.time | None  # time of day, None if only a date was written
    tz: tzinfo | None  # zone written with it
    approximate: bool  # written with ~, ±, "around", "approx", "ca."
    ambiguous_day_month: bool  # 03/04/2024: both readings valid (``date`` follows ``dayfirst``)
    alternative_date: dt.date | None  # the reading not taken, when ambiguous
    rest: str  # the text after the timestamp, leading separators stripped
    text: str  # the timestamp as written (text[start:end])
    range_end: dt.time | None = None  # "09:00 - 11:00": the end of a written range
    weekday: int | None = None  # "Tuesday 14:00" (Monday is 0), when no date was written
    unknown_zone: str | None = None  # "14:00 GMT-25": a zone-shaped token naming no zone


_FLAGS = re.ASCII | re.IGNORECASE

# Cheap gate for the common "no timestamp here" path: what a timestamp can start with
# after optional Markdown heading marks, emphasis, brackets and an "about" word.
_COULD_START_RE = re.compile(
    r"[\s#*_`\[(]*(?:[0-9~\u2248\u00b1+]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|mon|tue|wed|thu|fri|sat|sun|around|about|approx|ca\.|circa|c\.)|\S{0,2}[0-9])",
    _FLAGS,
)
_HEADING_RE = re.compile(r"\s*(?:#{1,6}\s+)?")
_OPENERS: dict[str, str] = {
    "**": "**",
    "__": "__",
    "*": "*",
    "_": "_",
    "`": "`",
    "[": "]",
    "(": ")",
}
# A closer may follow a colon written inside the emphasis: "**09:50:** …".
_CLOSER_RES = {
    closer: re.compile(r"\s*[:.]?\s*" + re.escape(closer)) for closer in set(_OPENERS.values())
}
_OPENER_RE = re.compile(r"(\*\*|__|\*|_|`|\[|\()\s*")
_APPROX_PREFIX_RE = re.compile(
    r"(?:~|\u2248|\u00b1|\+/-|\+-|ca\.|c\.|circa\b|around\b|about\b|approx(?:imately\b|\.|\b))\s*",
    _FLAGS,
)
_APPROX_SUFFIX_RE = re.compile(
    r"\s?~|\s*\((?:approx(?:imately|\.)?|est(?:imated|\.)?|circa|roughly)\)|\s*-?ish\b", _FLAGS
)
_DATE_TIME_GLUE_RE = re.compile(
    r"T(?=[0-9])|\s*,\s*(?:at\s+|@\s*)?|\s+(?:at\s+|@\s*|on\s+)?", _FLAGS
)
_TIME_DATE_GLUE_RE = re.compile(r"\s*,?\s+(?:on\s+)?", _FLAGS)
_UNKNOWN_TIME_RE = re.compile(r"\s+(?:--|\?\?|xx):(?:--|\?\?|xx)", _FLAGS)
_RANGE_RE = re.compile(r"\s*(?:-|\u2013|\u2014|to\b|until\b|till\b)\s*", _FLAGS)
_BARE_HOUR_RANGE_RE = re.compile(
    r"(?P<h>[0-9]{1,2})(?=\s*(?:-|\u2013|\u2014|to\b)\s*[0-9]{1,2}(?::[0-5][0-9])?\s?[ap]\.?m(?![a-z]))",
    _FLAGS,
)
_BAD_END_RE = re.compile(r"[A-Za-z0-9]|[:./][0-9]")
_SEPARATORS = " \t:-\u2013\u2014|,"
_YEARLESS_END_RE = re.compile(r"\s*(?:$|[:\-\u2013\u2014|,.;)\]])")


@dataclass(slots=True)
class _Scan:
    """What has been read so far; turned into a TimeMatch at the end."""

    date: DateParts | None = None
    time: TimeParts | None = None
    tz: tzinfo | None = None
    approximate: bool = False
    weekday: int | None = None
    range_end: dt.time | None = None
    iso: bool = False
    unknown_zone: str | None = None


def match_leading_timestamp(text: str, *, dayfirst: bool | None = None) -> TimeMatch | None:
    """The timestamp at the START of a timeline entry, or None.

    ``text`` is the entry's first line without its list marker; Markdown emphasis,
    backticks, brackets and heading marks around the timestamp are allowed.
    ``dayfirst``: True/False when the document decided how to read 03/04/2024;
    None reads each value on its own (13/04 is day-first) and flags the ambiguous ones.
    """
    if not _COULD_START_RE.match(text):
        return None
    heading = _HEADING_RE.match(text)
    pos = heading.end() if heading else 0
    scan = _Scan()
    closers: list[str] = []
    start = pos
    for _ in range(3):
        opener = _OPENER_RE.match(text, pos)
        if opener:
            closers.append(_OPENERS[opener.group(1)])
            pos = start = opener.end()
            continue
        approx = _APPROX_PREFIX_RE.match(text, pos)
        if approx:
            scan.approximate = True
            pos = approx.end()
            continue
        break
    end = _read_core(text, pos, scan, dayfirst)
    if end is None:
        return None
    pos = end
    if scan.date is None and scan.time is None:
        return None
    if _BAD_END_RE.match(text, end):
        return None
    # Close the emphasis or brackets; a zone may follow them ("**14:51** UTC").
    for closer in reversed(closers):
        closing = _CLOSER_RES[closer].match(text, pos)
        if closing is None:
            break
        pos = closing.end()
    if scan.time is not None and scan.tz is None and scan.unknown_zone is None and pos != end:
        zone = match_zone(text, pos)
        if zone:
            scan.tz, pos = zone
            if _BAD_END_RE.match(text, pos):
                return None
        else:
            unknown = match_unknown_zone(text, pos)
            if unknown:
                scan.unknown_zone, pos = unknown
    bare_month_day = scan.time is None and scan.date is not None and scan.date.date is None
    if bare_month_day and not _YEARLESS_END_RE.match(text, pos):
        return None  # a bare "May 12" must stand alone: "May 12 pods restarted" is no date
    rest = text[pos:].lstrip(_SEPARATORS)
    if closers and pos == end and rest.endswith(closers[0]):
        rest = rest[: -len(closers[0])].rstrip()  # "**14:51 deploy started**"
    return _build(scan, start, end, text, rest)


def _read_core(text: str, pos: int, scan: _Scan, dayfirst: bool | None) -> int | None:
    """Read date, time, zone, approximation and range from ``pos``; the end, or None."""
    weekday = WEEKDAY_RE.match(text, pos)
    if weekday:
        scan.weekday = weekday_number(weekday["wd"])
        pos = weekday.end()
    found_date = match_date(text, pos, dayfirst=dayfirst)
    if found_date is not None:
        scan.date = found_date
        pos = found_date.end
        glue = _DATE_TIME_GLUE_RE.match(text, pos)
        found_time = match_time(text, glue.end()) if glue else None
        if found_time is not None:
            scan.iso = text[pos : pos + 1] in {"T", "t"}
            scan.time = found_time
            pos = found_time.end
        else:
            unknown = _UNKNOWN_TIME_RE.match(text, pos)
            if unknown:
                pos = unknown.end()
            return pos
    else:
        found_time = match_time(text, pos) or _bare_hour_before_range(text, pos)
        if found_time is None:
            return None
        scan.time = found_time
        pos = found_time.end
    pos = _read_zone(text, pos, scan)
    if scan.date is None:
        glue = _TIME_DATE_GLUE_RE.match(text, pos)
        if glue:
            after_weekday = glue.end()
            weekday = WEEKDAY_RE.match(text, after_weekday)
            if weekday:
                after_weekday = weekday.end()
            later_date = match_date(text, after_weekday, dayfirst=dayfirst)
            if later_date is not None:
                scan.date = later_date
                if weekday:
                    scan.weekday = weekday_number(weekday["wd"])
                pos = _read_zone(text, later_date.end, scan)
    suffix = _APPROX_SUFFIX_RE.match(text, pos)
    if suffix:
        scan.approximate = True
        pos = suffix.end()
    return _read_range(text, pos, scan)


def _bare_hour_before_range(text: str, pos: int) -> TimeParts | None:
    """The "8" of "8-9 PM": an hour alone is a time only when a range's end says so."""
    found = _BARE_HOUR_RANGE_RE.match(text, pos)
    if found is None or int(found["h"]) > 23:
        return None
    return TimeParts(found.end(), dt.time(int(found["h"])), has_meridiem=False)


def _read_zone(text: str, pos: int, scan: _Scan) -> int:
    if scan.tz is not None or scan.unknown_zone is not None:
        return pos
    zone = match_zone(text, pos, iso=scan.iso)
    if zone is None:
        unknown = match_unknown_zone(text, pos) if scan.time is not None else None
        if unknown is None:
            return pos
        scan.unknown_zone = unknown[0]
        return unknown[1]
    scan.tz = zone[0]
    return zone[1]


def _read_range(text: str, pos: int, scan: _Scan) -> int:
    """ "09:00 - 11:00 UTC": keep the end, and let a zone written after it cover both."""
    if scan.time is None:
        return pos
    dash = _RANGE_RE.match(text, pos)
    if dash is None:
        return pos
    until = match_time(text, dash.end())
    if until is None or _BAD_END_RE.match(text, until.end):
        return pos
    start = scan.time
    if until.has_meridiem and not start.has_meridiem and start.time.hour < 12:
        # "10 - 11:30am": the meridiem written once covers both ends.
        shifted = start.time.replace(hour=start.time.hour + 12)
        if until.time.hour >= 12 and shifted <= until.time:
            scan.time = TimeParts(start.end, shifted, True)
    scan.range_end = until.time
    end = until.end
    if scan.tz is None and scan.unknown_zone is None:
        end = _read_zone(text, end, scan)
    return end


def _build(scan: _Scan, start: int, end: int, text: str, rest: str) -> TimeMatch:
    parts = scan.date
    found_date = parts.date if parts else None
    return TimeMatch(
        start=start,
        end=end,
        date=found_date,
        month_day=parts.month_day if parts else None,
        time=scan.time.time if scan.time else None,
        tz=scan.tz,
        approximate=scan.approximate,
        ambiguous_day_month=bool(parts and parts.alternative),
        alternative_date=parts.alternative if parts else None,
        rest=rest,
        text=text[start:end],
        range_end=scan.range_end,
        unknown_zone=scan.unknown_zone,
        weekday=scan.weekday
        if found_date is None and (parts is None or parts.month_day is None)
        else None,
    )


# Where a time may start inside a sentence: a digit not inside a longer token.
# A time inside a sentence starts a word: after a space, a bracket, a quote, emphasis or
# "~", never glued to a letter or a sign ("À0PM", "A×0PM", "v2.10:00").
_SENTENCE_TIME_START_RE = re.compile(r"(?<![^\s(\[~\u2248\"'*_`])(?=[0-9])")
_APPROX_BEFORE_RE = re.compile(
    r"(?:~|\u2248|\bca\.|\bcirca|\baround|\babout|\broughly|\bapprox(?:imately|\.)?)\s*$",
    _FLAGS,
)
_MAX_SENTENCE = 2000  # an entry longer than this is not searched for a time


def find_timestamp_in_text(text: str, *, dayfirst: bool | None = None) -> TimeMatch | None:
    """The first time of day written inside a sentence ("Detected at 14:00 GMT through
    alerts", "service restored around 6:15 PM"), or None.

    Only times that cannot be counts qualify (14:00, 6:15 PM, 3pm, 14h05, 1400hrs): the
    same grammar as a leading timestamp. ``rest`` is the whole text, which stays the
    entry's words; ``approximate`` is set by "around", "about", "~" just before.
    """
    if len(text) > _MAX_SENTENCE:
        return None
    for start in _SENTENCE_TIME_START_RE.finditer(text):
        pos = start.start()
        found = match_leading_timestamp(text[pos:], dayfirst=dayfirst)
        if found is None or found.time is None or found.start != 0:
            continue
        before = _APPROX_BEFORE_RE.search(text, 0, pos)
        begin = before.start() if before else pos  # the written time keeps its "around"
        return dataclasses.replace(
            found,
            start=begin,
            end=pos + found.end,
            text=text[begin : pos + found.end],
            rest=text.strip(),
            approximate=found.approximate or before is not None,
        )
    return None
