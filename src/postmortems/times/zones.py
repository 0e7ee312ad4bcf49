"""Timezone names as people write them: abbreviations, offsets, IANA keys and long names.

Abbreviations are fixed offsets (``CET`` is +01:00 even in July: the writer chose
the abbreviation, and reading it as Europe/Paris would silently shift summer
times by an hour). Generic names without a season (``PT``, ``Pacific Time``,
``UK time``) mean the region's clock, so they map to the IANA zone and follow DST.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _fixed(hours: int, minutes: int, name: str) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes), name)


# Abbreviation -> (hours, minutes). Ambiguous abbreviations take the reading most
# common in English-language incident reports: IST is India, CST/CDT are US Central,
# BST is British Summer Time, AST is Atlantic.
_ABBREVIATION_OFFSETS: dict[str, tuple[int, int]] = {
    "WET": (0, 0),
    "WEST": (1, 0),
    "BST": (1, 0),
    "IST": (5, 30),
    "CET": (1, 0),
    "CEST": (2, 0),
    "EET": (2, 0),
    "EEST": (3, 0),
    "MSK": (3, 0),
    "TRT": (3, 0),
    "IDT": (3, 0),
    "EAT": (3, 0),
    "WAT": (1, 0),
    "CAT": (2, 0),
    "SAST": (2, 0),
    "GST": (4, 0),
    "PKT": (5, 0),
    "NPT": (5, 45),
    "ICT": (7, 0),
    "WIB": (7, 0),
    "SGT": (8, 0),
    "HKT": (8, 0),
    "PHT": (8, 0),
    "AWST": (8, 0),
    "JST": (9, 0),
    "KST": (9, 0),
    "ACST": (9, 30),
    "ACDT": (10, 30),
    "AEST": (10, 0),
    "AEDT": (11, 0),
    "NZST": (12, 0),
    "NZDT": (13, 0),
    "NST": (-3, 30),
    "NDT": (-2, 30),
    "AST": (-4, 0),
    "ADT": (-3, 0),
    "EST": (-5, 0),
    "EDT": (-4, 0),
    "CST": (-6, 0),
    "CDT": (-5, 0),
    "MST": (-7, 0),
    "MDT": (-6, 0),
    "PST": (-8, 0),
    "PDT": (-7, 0),
    "AKST": (-9, 0),
    "AKDT": (-8, 0),
    "HST": (-10, 0),
    "BRT": (-3, 0),
    "ART": (-3, 0),
    "CLT": (-4, 0),
    "COT": (-5, 0),
}

ABBREVIATIONS: dict[str, tzinfo] = {
    name: _fixed(hours, minutes, name) for name, (hours, minutes) in _ABBREVIATION_OFFSETS.items()
}
for _utc_name in ("UTC", "GMT", "Z", "UT", "ZULU"):
    ABBREVIATIONS[_utc_name] = UTC

# Names that mean "the clock on the wall there", DST included.
_REGIONAL_ZONES: dict[str, str] = {
    "PT": "America/Los_Angeles",
    "MT": "America/Denver",
    "CT": "America/Chicago",
    "ET": "America/New_York",
    "PACIFIC": "America/Los_Angeles",
    "MOUNTAIN": "America/Denver",
    "CENTRAL": "America/Chicago",
    "EASTERN": "America/New_York",
    "UK": "Europe/London",
    "LONDON": "Europe/London",
    "BRITISH": "Europe/London",
}

# Long names with a season are fixed offsets, like their abbreviations.
_LONG_NAMES: dict[str, str] = {
    "COORDINATED UNIVERSAL": "UTC",
    "UNIVERSAL": "UTC",
    "GREENWICH MEAN": "GMT",
    "BRITISH SUMMER": "BST",
    "WESTERN EUROPEAN": "WET",
    "WESTERN EUROPEAN SUMMER": "WEST",
    "CENTRAL EUROPEAN": "CET",
    "CENTRAL EUROPEAN SUMMER": "CEST",
    "EASTERN EUROPEAN": "EET",
    "EASTERN EUROPEAN SUMMER": "EEST",
    "EAST AFRICA": "EAT",
    "WEST AFRICA": "WAT",
    "WEST AFRICAN": "WAT",
    "EAST AFRICAN": "EAT",
    "CENTRAL AFRICAN": "CAT",
    "CENTRAL AFRICA": "CAT",
    "INDIA STANDARD": "IST",
    "INDIAN STANDARD": "IST",
    "JAPAN STANDARD": "JST",
    "KOREA STANDARD": "KST",
    "SINGAPORE": "SGT",
    "HONG KONG": "HKT",
    "PACIFIC STANDARD": "PST",
    "PACIFIC DAYLIGHT": "PDT",
    "MOUNTAIN STANDARD": "MST",
    "MOUNTAIN DAYLIGHT": "MDT",
    "CENTRAL STANDARD": "CST",
    "CENTRAL DAYLIGHT": "CDT",
    "EASTERN STANDARD": "EST",
    "EASTERN DAYLIGHT": "EDT",
}

_OFFSET_RE = re.compile(
    r"(?:(?:UTC|GMT|UT)\s*)?(?P<sign>[+\-\u2212])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2})(?::(?P<s>\d{2}))?)?",
    re.ASCII | re.IGNORECASE,
)
_LONG_NAME_RE = re.compile(
    r"(?P<name>[a-z]+(?: [a-z]+){0,2}?)(?: (?:standard|daylight|summer|mean))? time(?: zone)?",
    re.ASCII | re.IGNORECASE,
)


_MAX_OFFSET = timedelta(hours=14)


def offset_zone(
    sign: str, hours: str, minutes: str | None, seconds: str | None = None
) -> tzinfo | None:
    """A fixed-offset zone from parsed parts, or None when out of range."""
    h, m, s = int(hours), int(minutes or 0), int(seconds or 0)
    # No zone is further than 14 hours from UTC: "-2024" after "21-11" is a year.
    if m > 59 or s > 59 or timedelta(hours=h, minutes=m, seconds=s) > _MAX_OFFSET:
        return None
    delta = timedelta(hours=h, minutes=m, seconds=s)
    if delta == timedelta(0):
        return UTC
    return timezone(-delta if sign in "-\u2212" else delta)


# The tz database's POSIX-style names: PST8PDT, EST5EDT, CST6CDT, MST7MDT (DST included).
_POSIX_ZONE_RE = re.compile(r"[A-Z]{3}[0-9]{1,2}[A-Z]{3}", re.ASCII)


@lru_cache(maxsize=512)
def _iana(key: str) -> tzinfo | None:
    if "/" not in key and key.upper() not in {"UTC", "GMT"} and not _POSIX_ZONE_RE.fullmatch(key):
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a key naming a directory of the tz database ("Europe").
        return None


def _long_name(words: str) -> tzinfo | None:
    key = " ".join(words.upper().split())
    full = key.removesuffix(" ZONE").removesuffix(" TIME")
    if full in _LONG_NAMES:
        return ABBREVIATIONS[_LONG_NAMES[full]]
    if full in _REGIONAL_ZONES:
        return _iana(_REGIONAL_ZONES[full])
    return None


@lru_cache(maxsize=1024)
def tz_from_name(name: str) -> tzinfo | None:
    """The zone a name denotes, or None when it is not one we know.

    Accepts IANA names (``Europe/Copenhagen``), ``UTC``/``GMT``/``Z``, offsets
    (``+05:30``, ``UTC+2``, ``GMT-0700``), abbreviations from a fixed table and
    long names ("Pacific Time", "British Summer Time").
    """
    text = name.strip().strip("()[]").strip()
    if not text or len(text) > 60:
        return None
    upper = text.upper()
    if upper in ABBREVIATIONS:
        return ABBREVIATIONS[upper]
    if upper in _REGIONAL_ZONES:
        return _iana(_REGIONAL_ZONES[upper])
    offset = _OFFSET_RE.fullmatch(text)
    if offset:
        return offset_zone(offset["sign"], offset["h"], offset["m"], offset["s"])
    if "/" in text or _POSIX_ZONE_RE.fullmatch(upper):
        return _iana(text if "/" in text else upper)
    long = _LONG_NAME_RE.fullmatch(text)
    if long:
        return _long_name(text)
    return None


def is_utc(tz: tzinfo) -> bool:
    """Whether a zone is UTC itself (not merely a zone at offset zero today)."""
    if tz is UTC:
        return True
    if isinstance(tz, ZoneInfo):
        return tz.key in {"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"}
    if isinstance(tz, timezone):
        return tz.utcoffset(None) == timedelta(0) and tz.tzname(None) in {"UTC", "UTC+00:00"}
    return False


def zone_name(tz: tzinfo) -> str:
    """A name that :func:`tz_from_name` reads back to an equivalent zone."""
    if is_utc(tz):
        return "UTC"
    if isinstance(tz, ZoneInfo):
        return tz.key
    name = tz.tzname(None)
    if name and tz_from_name(name) == tz:
        return name
    offset = tz.utcoffset(None)
    if offset is None:
        return "UTC"
    return format_offset(offset)


def format_offset(offset: timedelta) -> str:
    """``+02:00``, ``-03:30``; seconds only when the offset has them."""
    sign = "-" if offset < timedelta(0) else "+"
    total = abs(int(offset.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


# --- zones stated in notes and headings -------------------------------------------------

_ABBREVIATION_ALTERNATION = "|".join(
    sorted(
        (re.escape(a) for a in ABBREVIATIONS if a not in {"Z", "UT", "ZULU"}), key=len, reverse=True
    )
)
_STATED_ZONE_RE = re.compile(
    r"(?P<offset>\b(?:UTC|GMT)\s?[+\-\u2212]\s?\d{1,2}(?::?\d{2})?(?![\d:]))"
    r"|(?P<iana>\b[A-Z][A-Za-z]+(?:_[A-Z][A-Za-z]+)*/[A-Z][A-Za-z_\-]+(?:/[A-Z][A-Za-z_\-]+)?)"
    r"|(?P<long>\b(?i:(?:(?:coordinated\s+)?universal|greenwich\s+mean|british\s+summer|"
    r"(?:western|central|eastern)\s+european(?:\s+summer)?|(?:east|west|central)\s+african?|"
    r"indian?\s+standard|japan\s+standard|korea\s+standard|singapore|hong\s+kong|"
    r"(?:pacific|mountain|central|eastern)(?:\s+(?:standard|daylight))?|uk|london)\s+time)(?![A-Za-z0-9]))"
    rf"|(?P<abbr>(?<![A-Za-z0-9])(?:{_ABBREVIATION_ALTERNATION}|PT|MT|CT|ET|utc|gmt)(?![A-Za-z0-9]))",
    re.ASCII,
)
# A zone counts as *stated* when the text is about times ("All times in CET",
# "Time (UTC)") or is only the zone ("(EAT)"); a zone written after a time
# ("at 4:42PM UTC") belongs to that time, not to the document.
_TIME_WORD_RE = re.compile(r"\b(?:times?|timezone|zone|tz|timeline)\b", re.ASCII | re.IGNORECASE)
_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:in|are|is|as|using|times?|zone|timezone|tz)\s*[:=]?\s*|[(\[]\s*)$",
    re.ASCII | re.IGNORECASE,
)
_CUE_AFTER_RE = re.compile(
    r"\s*[)\]]|\s+(?:time\b|timezone\b|time\s+zone\b|times\b)|[\W_]*$",
    re.ASCII | re.IGNORECASE,
)
_ONLY_PUNCTUATION_RE = re.compile(r"[\W_]*", re.ASCII)
_AFTER_TIME_RE = re.compile(r"\d(?:\s*[ap]\.?m\.?)?\s*$", re.ASCII | re.IGNORECASE)


def _is_statement(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 40) : match.start()]
    if _AFTER_TIME_RE.search(before):
        return False
    if _ONLY_PUNCTUATION_RE.fullmatch(text, 0, match.start()) and _ONLY_PUNCTUATION_RE.fullmatch(
        text, match.end()
    ):
        return True
    in_brackets = before.rstrip().endswith(("(", "[")) and text[match.end() :].lstrip()[:1] in ")]"
    if in_brackets:
        return True
    has_cue = bool(_CUE_BEFORE_RE.search(before) or _CUE_AFTER_RE.match(text, match.end()))
    return has_cue and bool(_TIME_WORD_RE.search(text))


def _stated(match: re.Match[str]) -> tzinfo | None:
    kind = match.lastgroup
    value = match.group()
    if kind == "long":
        return _long_name(value)
    if kind == "iana":
        return _iana(value)
    return tz_from_name(value)


def find_timezone(text: str) -> tzinfo | None:
    """A timezone stated in a heading or note, or None when none is stated.

    Reads "All times in UTC", "Timeline (times in BST)", "times are Pacific Time",
    "(EAT)", "UTC+3", "Date and Time in CET", "Time (UTC)".
    """
    for match in _STATED_ZONE_RE.finditer(text):
        if match.lastgroup in {"abbr", "offset"} and not _is_statement(text, match):
            continue
        zone = _stated(match)
        if zone is not None:
            return zone
    return None
