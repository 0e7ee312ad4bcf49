"""Time forms of real timelines: military ranges, Jira's dates, "Hrs", and offsets that
cannot be offsets. Each case was written down before the grammar was changed."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from postmortems.markdown.parse import parse_text
from postmortems.times import find_timestamp_in_text, match_leading_timestamp, tz_from_name


@pytest.mark.parametrize(
    ("text", "start", "end", "rest"),
    [
        ("1405-1418hrs | vans retry", time(14, 5), time(14, 18), "vans retry"),
        ("1430 - 1440 hrs trust store fixed", time(14, 30), time(14, 40), "trust store fixed"),
        ("14:05–14:18 retries", time(14, 5), time(14, 18), "retries"),
        ("6:45 AM – 7:05 AM | reboots", time(6, 45), time(7, 5), "reboots"),
    ],
)
def test_ranges_keep_their_start(text: str, start: time, end: time, rest: str) -> None:
    found = match_leading_timestamp(text)
    assert found is not None
    assert (found.time, found.range_end, found.rest) == (start, end, rest)


@pytest.mark.parametrize(
    "text", ["1405-1418 boxes shipped", "1405 pods restarted", "2024-2025 budget"]
)
def test_four_digit_numbers_without_hrs_are_not_times(text: str) -> None:
    found = match_leading_timestamp(text)
    assert found is None or found.time is None


def test_jira_dates() -> None:
    found = match_leading_timestamp("20/Feb/25 11:00 AM — ticket resolved")
    assert found is not None
    assert (found.date, found.time, found.rest) == (date(2025, 2, 20), time(11), "ticket resolved")
    long_year = match_leading_timestamp("3/Mar/2024 09:15 deploy")
    assert long_year is not None and long_year.date == date(2024, 3, 3)
    assert match_leading_timestamp("31/Feb/25 10:00 x") is None


def test_hours_word_after_a_clock_time_and_the_zone_after_it() -> None:
    found = match_leading_timestamp("19:02 Hrs (+05:30) : campaign sent")
    assert found is not None
    assert found.time == time(19, 2)
    assert found.tz is not None and found.tz.utcoffset(None) == timedelta(hours=5, minutes=30)
    assert found.rest == "campaign sent"


@pytest.mark.parametrize("name", ["-2024", "+15:00", "-14:30", "UTC+15", "GMT-1630"])
def test_offsets_past_fourteen_hours_are_no_zones(name: str) -> None:
    assert tz_from_name(name) is None


@pytest.mark.parametrize(("name", "hours"), [("+14:00", 14), ("-12:00", -12), ("UTC+13", 13)])
def test_real_extreme_offsets_are_zones(name: str, hours: int) -> None:
    zone = tz_from_name(name)
    assert zone is not None and zone.utcoffset(None) == timedelta(hours=hours)


def test_a_day_first_date_in_prose_is_not_a_zone() -> None:
    text = """\
# Collect requests failing

**Date of Incident :** 21-11-2024

Kindly note that on 21-11-2024, collect requests were failing.

## Timeline

- 19:14 Hrs : Timeouts started towards the bank switch
- 19:21 Hrs : Alert received in the NOC
"""
    pm = parse_text(text)
    assert pm.timezone is None or "20:24" not in pm.timezone
    first = pm.timeline[0]
    assert first.at is not None and (first.at.hour, first.at.minute) == (19, 14)
    assert first.at.date() == date(2024, 11, 21)


def test_a_sentence_time_with_hrs() -> None:
    found = find_timestamp_in_text("Vans reconnected by 1445hrs, positions live")
    assert found is not None and found.time == time(14, 45)
