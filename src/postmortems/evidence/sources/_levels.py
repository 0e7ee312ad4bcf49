"""Log levels as programs write them, and a guess from the words when no level is written."""

from __future__ import annotations

import re

from postmortems.evidence.events import Level

_BY_NAME: dict[str, Level] = {}
for _level, _names in {
    Level.DEBUG: (
        *("debug", "dbg", "trace", "trc", "d", "t", "v", "verbose"),
        *("fine", "finer", "finest", "config"),
    ),
    Level.INFO: ("info", "inf", "i", "information", "informational", "ok"),
    Level.NOTICE: ("notice", "note", "n"),
    Level.WARNING: ("warning", "warn", "wrn", "w"),
    Level.ERROR: ("error", "err", "e", "eror", "severe", "fail", "failure"),
    Level.CRITICAL: (
        *("critical", "crit", "c", "fatal", "ftl", "f", "fault"),
        *("panic", "emerg", "emergency", "alert", "dpanic"),
    ),
}.items():
    for _name in _names:
        _BY_NAME[_name] = _level

# Syslog severities 0..7 (RFC 5424 section 6.2.1).
SYSLOG_SEVERITY: tuple[Level, ...] = (
    Level.CRITICAL,
    Level.CRITICAL,
    Level.CRITICAL,
    Level.ERROR,
    Level.WARNING,
    Level.NOTICE,
    Level.INFO,
    Level.DEBUG,
)

# bunyan/pino numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
_NUMERIC = {10: Level.DEBUG, 20: Level.DEBUG, 30: Level.INFO, 40: Level.WARNING}
_NUMERIC |= {50: Level.ERROR, 60: Level.CRITICAL}

LEVEL_RANK: dict[Level | None, int] = {None: -1} | {level: rank for rank, level in enumerate(Level)}

_CRITICAL_WORDS = re.compile(
    rb"\b(?:fatal|panic|critical|emerg(?:ency)?|out of memory|oom-kill|segfault)"
)
_ERROR_WORDS = re.compile(
    rb"\b(?:errors?|exception|fail(?:ed|ure|s)?|timed out|timeout|refused|unreachable|"
    rb"denied|traceback|crash(?:ed)?|abort(?:ed)?|unavailable|cannot|could not)"
)
_WARNING_WORDS = re.compile(rb"\b(?:warn(?:ing)?|deprecated|retry(?:ing)?|slow|degraded)")


# Words that name a level only in a column already holding level names: PostgreSQL's "LOG",
# macOS's "Default". Elsewhere they are ordinary words.
COLUMN_ONLY: dict[str, Level] = {"log": Level.INFO, "default": Level.NOTICE}


def level_from_name(value: object) -> Level | None:
    """A level from a field value: a name in any case ("WARN", "Err"), or a bunyan number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = int(value)
        if 0 <= number <= 7:
            return SYSLOG_SEVERITY[number]
        return _NUMERIC.get(number - number % 10)
    if isinstance(value, str):
        text = value.strip().lower()
        found = _BY_NAME.get(text)
        if found is None and text.isdigit():
            return level_from_name(int(text))
        if found is None and text[-1:].isdigit() and text[:1].isalpha():
            # A level and its verbosity: "DEBUG1".."DEBUG5" (PostgreSQL), "D2" (MongoDB).
            return _BY_NAME.get(text.rstrip("0123456789"))
        return found
    return None


def level_from_words(message: bytes) -> Level:
    """A guess from the words of a message without a written level; INFO when nothing stands out."""
    lowered = message.lower()
    if _CRITICAL_WORDS.search(lowered):
        return Level.CRITICAL
    if _ERROR_WORDS.search(lowered):
        return Level.ERROR
    if _WARNING_WORDS.search(lowered):
        return Level.WARNING
    return Level.INFO
