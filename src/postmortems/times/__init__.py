"""Timestamp parsing and normalisation shared by documents and evidence.

Recognition is done by anchored, precompiled regexes (``grammar.py``): a number
is a time only when it looks like one (``14:51``, ``6pm``, ``14h51``, ``1451Z``),
so "3 pods", "500 errors", "v1.2.3" and "2.5 hours" are never timestamps.
Arithmetic is left to :mod:`datetime` and :mod:`zoneinfo`.

Decisions
---------
Numeric dates
    ``13/04/2024`` can only be day-first. When both readings are valid
    (``03/04/2024``) and the caller did not decide (``dayfirst=None``), the
    match is flagged ``ambiguous_day_month`` with both readings: dates with
    slashes or dashes read month-first (US style), dates with dots day-first.
    :class:`TimelineClock` then prefers the reading closer to the document's
    date, and warns either way. Two-digit years are read only with slashes.
Zones
    Abbreviations are fixed offsets (``CET`` is +01:00 even in July; ``BST`` is
    British Summer Time, ``IST`` India, ``CST`` US Central). Generic names
    (``PT``, "Pacific Time", "UK time") are the IANA zone, DST included.
    :func:`find_timezone` only reports a zone that is *stated* ("All times in
    UTC", "Time (UTC)", "(EAT)"), not one written after a time in prose.
Resolving a timeline (:class:`TimelineClock`)
    - A time with no date anywhere (no entry date, date heading or document
      date) gives ``at=None``, and runs on the document's clock all the same: it
      gets ``elapsed_s`` (seconds since the first timed entry), rolls past midnight
      and gives durations. The reader warns once per document. A date written on a
      later entry places the undated entries just before it.
    - A token shaped like a zone that names none ("GMT-25", "America/Nowhere")
      leaves the entry without a time, with a warning, rather than in another zone.
    - A time the calendar cannot hold (past 9999-12-31) is a warning, not a crash.
    - A date and time with no zone anywhere is read as UTC with a warning; the
      entry counts as resolved.
    - A date written on an entry (or in a heading) becomes the current date for
      the entries that follow. A ``month_day`` without a year takes the clock's
      year, or the next year when that would put it more than 180 days before
      the current date.
    - A zone written on an entry applies to it; when the document stated no
      zone, it also carries to the entries that follow.
    - A time written without a date that goes back more than 12 hours from the
      previous entry rolls to the next day (23:50 then 00:10). A smaller step
      back (10:15 then 10:05) stays on the same day: an out-of-order entry is for
      the linter to report. No roll happens right after a date was set explicitly.
    - A weekday without a date ("Tuesday 14:00") moves the current date forward
      to that weekday.
    - An entry with a date and no time of day ("2021-12-10 | …") gives
      ``at=None`` with a warning, and sets the current date.
Ranges and approximations
    "09:00 - 11:00" reads as 09:00 with ``range_end`` 11:00; ``~``, ``±``,
    "around", "approx", "ca." and a trailing ``~`` set ``approximate``.
Canonical form
    :func:`format_timestamp` writes ``YYYY-MM-DD HH:MM[:SS[.ffffff]] UTC`` or
    ``… +02:00``; :func:`match_leading_timestamp` reads it back exactly.
"""

from __future__ import annotations

from postmortems.times.clock import ROLLOVER_THRESHOLD, Resolved, TimelineClock
from postmortems.times.dates import find_date, infer_dayfirst, match_date_heading
from postmortems.times.leading import (
    TimeMatch,
    find_timestamp_in_text,
    match_leading_timestamp,
)
from postmortems.times.values import format_timestamp, parse_datetime
from postmortems.times.zones import find_timezone, is_utc, tz_from_name, zone_name

__all__ = [
    "ROLLOVER_THRESHOLD",
    "Resolved",
    "TimeMatch",
    "TimelineClock",
    "find_date",
    "find_timestamp_in_text",
    "find_timezone",
    "format_timestamp",
    "infer_dayfirst",
    "is_utc",
    "match_date_heading",
    "match_leading_timestamp",
    "parse_datetime",
    "tz_from_name",
    "zone_name",
]
