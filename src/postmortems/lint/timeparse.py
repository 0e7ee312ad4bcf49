"""Durations and clock times as people write them in prose ("1.5 hours", "10:00 AM UTC").

The lint rules compare these with the timeline; anything not understood is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from postmortems.metrics import spell_duration
from postmortems.times.zones import ABBREVIATIONS

_NUMBER_WORDS = {
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
    "fifteen": 15.0,
    "twenty": 20.0,
    "thirty": 30.0,
    "forty": 40.0,
    "forty-five": 45.0,
    "ninety": 90.0,
}
_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}

_NUM = r"(?:\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?"
    r"|(?<=\d)s|(?<=\d)m|(?<=\d)h|(?<=\d)d)"
)
_PART = rf"{_NUM}[\s-]?{_UNIT}"
DURATION = re.compile(
    rf"(?<![\w:.])(?:(?P<half>half an hour)|(?P<parts>{_PART}(?:(?:\s*,?\s*(?:and\s+)?){_PART})*)"
    rf"(?P<andhalf>\s+and\s+a\s+half)?)(?![\w:])",
    re.IGNORECASE,
)
_PART_RE = re.compile(rf"(?P<n>{_NUM})[\s-]?(?P<u>{_UNIT})", re.IGNORECASE)

_ZONE = (
    r"(?:(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|"
    + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")"
)
_CLOCK = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:[ap]\.?m\.?))?|\d{1,2}\s?(?:[ap]\.?m\.?))"
CLOCK = re.compile(
    rf"(?<![\w:])(?P<clock>{_CLOCK})(?:\s?(?P<zone>{_ZONE}))?(?![\w:])", re.IGNORECASE
)
RANGE = re.compile(
    rf"(?:(?P<lead>from|between)\s+)?(?P<a>{_CLOCK})(?:\s?(?P<za>{_ZONE}))?"
    rf"\s*(?:to|until|till|and|through|-|–|—)\s*"
    rf"(?P<b>{_CLOCK})(?:\s?(?P<zb>{_ZONE}))?(?![\w:])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProseDuration:
    start: int
    end: int
    text: str
    minutes: float


def _minutes(match: re.Match[str]) -> float | None:
    if match.group("half"):
        return 30.0
    total = 0.0
    for part in _PART_RE.finditer(match.group("parts")):
        number = part.group("n").lower().replace(",", ".")
        value = _NUMBER_WORDS.get(number)
        if value is None:
            try:
                value = float(number)
            except ValueError:
                return None
        total += value * _UNIT_MINUTES[part.group("u")[0].lower()]
    if match.group("andhalf"):
        last_unit = _PART_RE.findall(match.group("parts"))[-1][1][0].lower()
        total += 0.5 * _UNIT_MINUTES[last_unit]
    return total


def find_durations(text: str) -> list[ProseDuration]:
    found = []
    for match in DURATION.finditer(text):
        minutes = _minutes(match)
        if minutes is not None:
            found.append(ProseDuration(match.start(), match.end(), match.group(0), minutes))
    return found


def clock_minutes(clock: str) -> int | None:
    """Minutes after midnight of a clock time such as '10:30', '9:05 PM' or '11am'."""
    match = re.fullmatch(
        r"(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s?(?:([ap])\.?m\.?)?", clock.strip(), re.IGNORECASE
    )
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem == "p" and hour != 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def minutes_of_day(moment: dt.datetime, zone: dt.tzinfo) -> int:
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute


def clock_difference(a: int, b: int) -> int:
    """Smallest distance in minutes between two times of day."""
    diff = abs(a - b) % 1440
    return min(diff, 1440 - diff)


def humanise(minutes: float) -> str:
    """'30 minutes', '1 hour 30 minutes', '2 days 3 hours'."""
    return spell_duration(dt.timedelta(minutes=round(minutes)))
