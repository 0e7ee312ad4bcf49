"""Standalone date-time values (front matter, --since/--until, table cells) and the
canonical form the renderer writes."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from postmortems.times.leading import match_leading_timestamp
from postmortems.times.zones import format_offset, is_utc


def parse_datetime(text: str, *, default_tz: tzinfo | None = None) -> datetime | None:
    """A date-time written on its own, or None when it is not one.

    Reads ISO 8601 with or without offset ("2024-08-01T10:00:00Z",
    "2021-06-22 08:21"), the forms timeline entries use ("27-05-2025 13:44",
    "July 14, 2025, 11:20 AM UTC") and RFC 2822 ("Tue, 01 Aug 2024 10:00:00 +0000").
    A date alone means its midnight. Naive results get ``default_tz``.
    """
    value = text.strip()
    if not value or len(value) > 100:
        return None
    parsed = _parse_iso(value) or _parse_written(value) or _parse_rfc2822(value)
    if parsed is not None and parsed.tzinfo is None and default_tz is not None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed


def _parse_iso(value: str) -> datetime | None:
    if not value[:1].isdigit():
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parse_written(value: str) -> datetime | None:
    found = match_leading_timestamp(value)
    if found is None or found.rest or found.date is None:
        return None
    if value[: found.start].strip():
        return None  # emphasis or brackets around a value are not a value
    return datetime.combine(found.date, found.time or time(0), tzinfo=found.tz)


def _parse_rfc2822(value: str) -> datetime | None:
    if "," not in value and not value[:1].isdigit():
        return None
    # Imported here: the email package costs every command's start, and few values need it.
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def format_timestamp(at: datetime, tz: tzinfo) -> str:
    """The canonical form: ``2024-08-01 10:00 UTC`` or ``2024-08-01 12:00 +02:00``.

    Seconds appear only when they are not zero (and microseconds only when those
    are not). :func:`match_leading_timestamp` reads this form back exactly.
    """
    local = at.astimezone(tz)
    text = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
    if local.second or local.microsecond:
        text += f":{local.second:02d}"
    if local.microsecond:
        text += f".{local.microsecond:06d}"
    if is_utc(tz):
        return text + " UTC"
    offset = local.utcoffset()
    return f"{text} {format_offset(offset) if offset is not None else 'UTC'}"
