"""Timestamps as log lines write them, turned into timezone-aware UTC datetimes.

Shared by the line-based sources. Nothing here raises on bad input: an unreadable
timestamp is ``None`` and the caller counts the line as not understood.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateutil import parser as dateutil_parser

UTC = dt.UTC

# Epoch numbers are told apart by magnitude: seconds until 5138, then ms, µs, ns.
_EPOCH_S_MAX = 1e11
_EPOCH_MS_MAX = 1e14
_EPOCH_US_MAX = 1e17

_EARLIEST = dt.datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = dt.datetime(2200, 1, 1, tzinfo=UTC)

_LOOKS_LIKE_DATE = re.compile(r"\d{1,4}[-/.:]\d{1,2}|\d{1,2}[ /-]?[A-Za-z]{3}|[A-Za-z]{3}[ /-]?\d")


def to_utc(value: dt.datetime, default_tz: dt.tzinfo | None) -> dt.datetime:
    """``value`` in UTC; a naive value is read in ``default_tz`` (UTC when not given)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz or UTC)
    return value.astimezone(UTC)


def from_epoch(number: float) -> dt.datetime | None:
    """A Unix time in seconds, milliseconds, microseconds or nanoseconds; None if implausible.

    Integers are divided exactly, so a nanosecond or millisecond stamp keeps its microseconds.
    """
    if number != number or number <= 0:  # NaN or not after 1970
        return None
    divisor = 10**9 if number >= _EPOCH_US_MAX else 10**6 if number >= _EPOCH_MS_MAX else 10**3
    try:
        if number < _EPOCH_S_MAX:
            when = dt.datetime.fromtimestamp(number, UTC)
        elif isinstance(number, int):
            whole, part = divmod(number, divisor)
            when = dt.datetime.fromtimestamp(whole, UTC).replace(
                microsecond=part * 1_000_000 // divisor
            )
        else:
            when = dt.datetime.fromtimestamp(number / divisor, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return when if _EARLIEST <= when < _LATEST else None


def parse_timestamp(text: str, default_tz: dt.tzinfo | None) -> dt.datetime | None:
    """A timestamp in ISO 8601 / RFC 3339, an epoch number, or another common written form."""
    text = text.strip()
    if not text:
        return None
    try:
        return to_utc(dt.datetime.fromisoformat(text), default_tz)
    except ValueError:
        pass
    try:
        return from_epoch(float(text))
    except ValueError:
        pass
    parsed = _parse_loose(text)
    if parsed is None:
        return None
    return to_utc(parsed, default_tz)


@lru_cache(maxsize=4096)
def _parse_loose(text: str) -> dt.datetime | None:
    """dateutil for the long tail of formats (slow, so cached; only when it looks like a date)."""
    if len(text) > 64 or not _LOOKS_LIKE_DATE.search(text):
        return None
    # "05/Jan/2024:14:02:11 +0000" (access logs) needs its date/time colon turned into a space.
    candidate = re.sub(r"^(\d{1,2}/\w{3}/\d{4}):", r"\1 ", text)
    try:
        parsed = dateutil_parser.parse(candidate, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    if parsed.year < _EARLIEST.year:
        return None
    return parsed
