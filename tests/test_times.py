"""Timestamps as people write them in postmortems: recognition, zones, dates, resolution."""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.times import (
    TimelineClock,
    TimeMatch,
    find_date,
    find_timestamp_in_text,
    find_timezone,
    format_timestamp,
    infer_dayfirst,
    match_date_heading,
    match_leading_timestamp,
    parse_datetime,
    tz_from_name,
    zone_name,
)
from support import shared_dir

FIXTURES = Path(__file__).parent / "fixtures" / "times"


def offset(hours: int, minutes: int = 0) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes))


def leading(text: str, **kwargs: bool | None) -> TimeMatch:
    found = match_leading_timestamp(text, **kwargs)
    assert found is not None, f"no timestamp read from {text!r}"
    return found


# --- match_leading_timestamp: what is read ----------------------------------------------

# text, date, time, zone offset (None: no zone written), rest
LEADING_CASES: list[tuple[str, date | None, time | None, timedelta | None, str]] = [
    ("**09:50 AM**: A config change went out", None, time(9, 50), None, "A config change went out"),
    ("09:50 AM - rollout paused", None, time(9, 50), None, "rollout paused"),
    ("14:51", None, time(14, 51), None, ""),
    ("14:51:07 first 502s", None, time(14, 51, 7), None, "first 502s"),
    ("2021-06-22 08:21 | pipeline ran", date(2021, 6, 22), time(8, 21), None, "pipeline ran"),
    (
        "2021-06-22T08:21:00+02:00 deploy",
        date(2021, 6, 22),
        time(8, 21),
        timedelta(hours=2),
        "deploy",
    ),
    (
        "2021-06-22T08:21:00-05:00 deploy",
        date(2021, 6, 22),
        time(8, 21),
        timedelta(hours=-5),
        "deploy",
    ),
    ("2024-08-01T10:00Z page sent", date(2024, 8, 1), time(10, 0), timedelta(0), "page sent"),
    ("27-05-2025 13:44 – cert renewed", date(2025, 5, 27), time(13, 44), None, "cert renewed"),
    ("11:10 6th Nov 2023 - queue drained", date(2023, 11, 6), time(11, 10), None, "queue drained"),
    ("July 14, 2025, 11:20 AM", date(2025, 7, 14), time(11, 20), None, ""),
    ("Aug 12, 2025 at 4:32PM UTC | probe", date(2025, 8, 12), time(16, 32), timedelta(0), "probe"),
    ("± 17:20 UTC: traffic shifted", None, time(17, 20), timedelta(0), "traffic shifted"),
    ("~17:20 traffic shifted", None, time(17, 20), None, "traffic shifted"),
    ("6:15pm paged", None, time(18, 15), None, "paged"),
    ("6:15 pm paged", None, time(18, 15), None, "paged"),
    ("6pm paged", None, time(18, 0), None, "paged"),
    ("6 a.m. paged", None, time(6, 0), None, "paged"),
    ("12:00 noon standup", None, time(12, 0), None, "standup"),
    ("12 midnight cutover", None, time(0, 0), None, "cutover"),
    ("12:30 AM batch", None, time(0, 30), None, "batch"),
    ("12:30 PM lunch deploy", None, time(12, 30), None, "lunch deploy"),
    ("14:51 UTC", None, time(14, 51), timedelta(0), ""),
    ("14:51 GMT: x", None, time(14, 51), timedelta(0), "x"),
    ("14:51 (EAT) x", None, time(14, 51), timedelta(hours=3), "x"),
    ("14:51 PST x", None, time(14, 51), timedelta(hours=-8), "x"),
    ("14:51 +05:30 x", None, time(14, 51), timedelta(hours=5, minutes=30), "x"),
    ("14:51 UTC+2 x", None, time(14, 51), timedelta(hours=2), "x"),
    ("14:51 utc x", None, time(14, 51), timedelta(0), "x"),
    ("2020-10-28 21:23 CET: x", date(2020, 10, 28), time(21, 23), timedelta(hours=1), "x"),
    ("[14:51] x", None, time(14, 51), None, "x"),
    ("`14:51` x", None, time(14, 51), None, "x"),
    ("__14:51__ - x", None, time(14, 51), None, "x"),
    ("**14:51** UTC: x", None, time(14, 51), timedelta(0), "x"),
    ("**14:51:** x", None, time(14, 51), None, "x"),
    ("14h51 x", None, time(14, 51), None, "x"),
    ("1451Z x", None, time(14, 51), timedelta(0), "x"),
    ("13/04/2024 10:00 x", date(2024, 4, 13), time(10, 0), None, "x"),
    ("5:00 PM", None, time(17, 0), None, ""),
    ("July 11, 2025, 12:42 PM", date(2025, 7, 11), time(12, 42), None, ""),
    ("2021-12-10   15:40 | x", date(2021, 12, 10), time(15, 40), None, "x"),
    ("2018-08-22, 03:26pm: x", date(2018, 8, 22), time(15, 26), None, "x"),
    ("2021-12-10 | published", date(2021, 12, 10), None, None, "published"),
    ("2019-12-03 --:-- | surge", date(2019, 12, 3), None, None, "surge"),
    ("Monday 6 Nov 2023 10:00 x", date(2023, 11, 6), time(10, 0), None, "x"),
    ("Sept. 18th, 2017: x", date(2017, 9, 18), None, None, "x"),
    ("14:51:07.250Z x", None, time(14, 51, 7, 250000), timedelta(0), "x"),
    ("### 11:39AM", None, time(11, 39), None, ""),
    ("10:05 Europe/Berlin x", None, time(10, 5), None, "x"),
]


@pytest.mark.parametrize(("text", "day", "clock", "zone", "rest"), LEADING_CASES)
def test_leading_timestamp_formats(
    text: str, day: date | None, clock: time | None, zone: timedelta | None, rest: str
) -> None:
    found = leading(text)
    assert found.date == day
    assert found.time == clock
    if zone is None and "Europe/Berlin" not in text:
        assert found.tz is None
    elif zone is not None:
        assert found.tz is not None and found.tz.utcoffset(None) == zone
    assert found.rest == rest
    assert found.text == text[found.start : found.end]


def test_iana_zone_after_a_time() -> None:
    assert leading("10:05 Europe/Berlin x").tz == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "text",
    [
        "3 pods restarted",
        "500 errors in five minutes",
        "v1.2.3 rolled out",
        "1.2.30 rolled out",
        "2.5 hours of degraded service",
        "100% of requests failed",
        "May 12 pods restarted",
        "Mayday called",
        "The deploy at 14:51 failed",
        "25:00 is not a time",
        "14:61 neither",
        "13 pm",
        "6 noon",
        "31/02/2024 no such day",
        "2021 was a hard year",
        "Tuesday: retro",
        "",
        "**Summary**: short",
        "20202-01-16 12:00 typo year",
        "20xx-MM-DD HH:mm",
        "14:51abc",
        "1451 no zone",
    ],
)
def test_numbers_that_are_not_timestamps(text: str) -> None:
    assert match_leading_timestamp(text) is None


def test_approximate_markers() -> None:
    for text in ("~17:20 x", "± 17:20 x", "around 17:20 x", "approx. 17:20 x", "ca. 17:20 x"):
        found = leading(text)
        assert found.approximate, text
        assert found.time == time(17, 20)
        assert found.rest == "x"
    assert leading("2020-11-17 10:45~ | x").approximate
    assert not leading("17:20 x").approximate


def test_approximate_marker_is_part_of_the_written_timestamp() -> None:
    found = leading("**~17:20**: x")
    assert found.text == "~17:20"


def test_yearless_dates_carry_month_and_day() -> None:
    found = leading("July 23 4:10 AM - confirmed")
    assert found.date is None
    assert found.month_day == (7, 23)
    assert found.time == time(4, 10)
    assert leading("15 May").month_day == (5, 15)


def test_weekday_without_date_is_kept() -> None:
    found = leading("Tuesday 14:00 - retro")
    assert (found.weekday, found.time, found.date) == (1, time(14, 0), None)
    assert leading("Monday 6 Nov 2023 10:00").weekday is None  # the date says it all


def test_a_range_keeps_its_start_and_end() -> None:
    found = leading("2020-10-06 09:00 - 11:00 | investigating")
    assert (found.time, found.range_end, found.rest) == (time(9), time(11), "investigating")
    compact = leading("09:00-11:00 UTC investigating")
    assert compact.range_end == time(11)
    assert compact.tz == UTC
    meridiem = leading("10 - 11:30am x")
    assert (meridiem.time, meridiem.range_end) == (time(10), time(11, 30))
    evening = leading("10 - 11:30pm x")
    assert (evening.time, evening.range_end) == (time(22), time(23, 30))


def test_ambiguous_numeric_date_keeps_both_readings() -> None:
    found = leading("03/04/2024 10:00 x")
    assert found.ambiguous_day_month
    assert {found.date, found.alternative_date} == {date(2024, 3, 4), date(2024, 4, 3)}
    assert found.date == date(2024, 3, 4)  # slashes read US style when nothing decides


def test_dots_read_day_first() -> None:
    found = leading("03.04.2024 10:00 x")
    assert found.date == date(2024, 4, 3)
    assert found.alternative_date == date(2024, 3, 4)


def test_document_decides_day_first() -> None:
    decided = leading("03/04/2024 10:00 x", dayfirst=True)
    assert decided.date == date(2024, 4, 3)
    # Still flagged, with the other reading, so the clock can say which it chose and why.
    assert decided.ambiguous_day_month
    assert decided.alternative_date == date(2024, 3, 4)
    us = leading("03/04/2024 10:00 x", dayfirst=False)
    assert us.date == date(2024, 3, 4)
    # A value only valid one way is read that way whatever the document says.
    assert leading("13/04/2024 x", dayfirst=False).date == date(2024, 4, 13)


def test_same_day_and_month_is_not_ambiguous() -> None:
    found = leading("04/04/2024 x")
    assert not found.ambiguous_day_month
    assert found.date == date(2024, 4, 4)


def test_infer_dayfirst_from_unambiguous_dates() -> None:
    assert infer_dayfirst(["| 03/04/2024 | a", "| 27/04/2024 | b"]) is True
    assert infer_dayfirst(["04/27/2024"]) is False
    assert infer_dayfirst(["03/04/2024"]) is None
    assert infer_dayfirst(["27/04/2024", "04/27/2024"]) is None


def test_emphasis_around_the_whole_entry() -> None:
    assert leading("**14:51 deploy started**").rest == "deploy started"


def test_heading_marks_are_skipped() -> None:
    found = leading("### 12:49 PM")
    assert found.time == time(12, 49)
    assert found.text == "12:49 PM"


# --- zones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("All times in UTC.", UTC),
        ("Timeline (times in BST)", offset(1)),
        ("_All times in EEST_", offset(3)),
        ("All times in UTC+1", offset(1)),
        ("Date and Time in CET", offset(1)),
        ("Time (UTC)", UTC),
        ("(EAT)", offset(3)),
        ("UTC+3", offset(3)),
        ("times are Pacific Time", ZoneInfo("America/Los_Angeles")),
        ("All times are in Europe/Copenhagen local time", ZoneInfo("Europe/Copenhagen")),
        ("Times are IST", offset(5, 30)),
    ],
)
def test_find_timezone(text: str, expected: tzinfo) -> None:
    assert find_timezone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Timeline",
        "The alert fired at 4:42PM UTC and nobody answered",
        "We ate lunch at the CAT cafe",
        "Impact on ICT services",
        "",
    ],
)
def test_find_timezone_ignores_zones_not_stated(text: str) -> None:
    assert find_timezone(text) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Europe/Copenhagen", ZoneInfo("Europe/Copenhagen")),
        ("UTC", UTC),
        ("utc", UTC),
        ("Z", UTC),
        ("GMT", UTC),
        ("+05:30", offset(5, 30)),
        ("-0700", offset(-7)),
        ("UTC+2", offset(2)),
        ("UTC-3:30", offset(-3, 30)),
        ("GMT-0700", offset(-7)),
        ("(EAT)", offset(3)),
        ("BST", offset(1)),
        ("IST", offset(5, 30)),
        ("CEST", offset(2)),
        ("EST", offset(-5)),
        ("PT", ZoneInfo("America/Los_Angeles")),
        ("Pacific Time", ZoneInfo("America/Los_Angeles")),
        ("Pacific Standard Time", offset(-8)),
        ("Eastern Time", ZoneInfo("America/New_York")),
        ("British Summer Time", offset(1)),
    ],
)
def test_tz_from_name(name: str, expected: tzinfo) -> None:
    assert tz_from_name(name) == expected


@pytest.mark.parametrize(
    "name", ["", "Europe", "../../etc/passwd", "Not/AZone", "+99:00", "local", "x" * 80]
)
def test_tz_from_name_unknown(name: str) -> None:
    assert tz_from_name(name) is None


def test_regional_zone_follows_daylight_saving() -> None:
    pacific = tz_from_name("Pacific Time")
    assert pacific is not None
    assert datetime(2024, 7, 1, tzinfo=pacific).utcoffset() == timedelta(hours=-7)
    assert datetime(2024, 1, 1, tzinfo=pacific).utcoffset() == timedelta(hours=-8)


def test_zone_name_round_trips() -> None:
    for zone in (UTC, offset(1), ZoneInfo("Europe/Copenhagen"), tz_from_name("CET"), offset(5, 30)):
        assert zone is not None
        assert tz_from_name(zone_name(zone)) == zone


# --- dates in prose and headings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On August 1st, 2024, from 10:00 AM to 11:30 AM UTC, checkout failed.", date(2024, 8, 1)),
        ("2021-06-22", date(2021, 6, 22)),
        ("Monday 6 Nov 2023", date(2023, 11, 6)),
        ("Resolved on July 11, 2025 after a rollback", date(2025, 7, 11)),
        ("Reported 11/06/2023 by support", date(2023, 11, 6)),
        ("Reported 13/06/2023 by support", date(2023, 6, 13)),
        ("Seen 11/06/2023, confirmed 2023-06-12", date(2023, 6, 12)),
        ("Late on Sept. 18th, 2017, the sites went down", date(2017, 9, 18)),
        ("Start: Wednesday, 2018-08-22", date(2018, 8, 22)),
        ("# Incident report May 12 2025 - disk pressure", date(2025, 5, 12)),
        ("On the 3rd of March 2024 we", date(2024, 3, 3)),
    ],
)
def test_find_date(text: str, expected: date) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["PM2020-002 follow-up", "release 0.2.119", "On May 12 we", "v2021-06-22-rc", "nothing here"],
)
def test_find_date_needs_a_complete_date(text: str) -> None:
    assert find_date(text) is None


def test_find_date_can_be_told_day_first() -> None:
    assert find_date("Reported 11/06/2023", dayfirst=True) == date(2023, 6, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 12", (None, (5, 12))),
        ("## 2021-06-22", (date(2021, 6, 22), None)),
        ("Tuesday, 12 March 2024", (date(2024, 3, 12), None)),
        ("July 14, 2025", (date(2025, 7, 14), None)),
        ("## 15 May", (None, (5, 15))),
        ("**July 22**", (None, (7, 22))),
        ("### May 13:", (None, (5, 13))),
    ],
)
def test_date_headings(text: str, expected: tuple[date | None, tuple[int, int] | None]) -> None:
    assert match_date_heading(text) == expected


@pytest.mark.parametrize(
    "text", ["July 11, 2025, 12:42 PM", "Timeline", "May 12 follow-up", "12:49 PM", "", "May 32"]
)
def test_not_date_headings(text: str) -> None:
    assert match_date_heading(text) is None


# --- standalone values and the canonical form -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-01T10:00:00Z", datetime(2024, 8, 1, 10, tzinfo=UTC)),
        ("2021-06-22T08:21:00+02:00", datetime(2021, 6, 22, 8, 21, tzinfo=offset(2))),
        ("2021-06-22 08:21", datetime(2021, 6, 22, 8, 21, tzinfo=offset(1))),
        ("2021-06-22", datetime(2021, 6, 22, tzinfo=offset(1))),
        ("27-05-2025 13:44", datetime(2025, 5, 27, 13, 44, tzinfo=offset(1))),
        ("July 14, 2025, 11:20 AM UTC", datetime(2025, 7, 14, 11, 20, tzinfo=UTC)),
        ("Thu, 01 Aug 2024 10:00:00 +0000", datetime(2024, 8, 1, 10, tzinfo=UTC)),
        ("  2024-08-01 10:00 UTC  ", datetime(2024, 8, 1, 10, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, default_tz=offset(1))
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


def test_parse_datetime_keeps_naive_without_default() -> None:
    parsed = parse_datetime("2021-06-22 08:21")
    assert parsed == datetime(2021, 6, 22, 8, 21)
    assert parsed is not None and parsed.tzinfo is None


@pytest.mark.parametrize(
    "text", ["", "soon", "5", "14:51", "May 12", "2024-13-45", "yesterday at noon"]
)
def test_parse_datetime_rejects(text: str) -> None:
    assert parse_datetime(text) is None


def test_format_timestamp() -> None:
    at = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
    assert format_timestamp(at, UTC) == "2024-08-01 10:00 UTC"
    assert format_timestamp(at, offset(2)) == "2024-08-01 12:00 +02:00"
    assert format_timestamp(at, ZoneInfo("America/New_York")) == "2024-08-01 06:00 -04:00"
    assert format_timestamp(at.replace(second=5), UTC) == "2024-08-01 10:00:05 UTC"
    # London in winter is at offset zero but is not UTC: say the offset.
    winter = datetime(2024, 1, 1, 9, 30, tzinfo=UTC)
    assert format_timestamp(winter, ZoneInfo("Europe/London")) == "2024-01-01 09:30 +00:00"


_FIXED_OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_ZONES = st.one_of(st.just(UTC), _FIXED_OFFSETS, st.timezones())


@settings(max_examples=300, deadline=None)
@given(
    at=st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30), timezones=_ZONES
    ),
    tz=_ZONES,
)
def test_format_round_trip(at: datetime, tz: tzinfo) -> None:
    written = format_timestamp(at, tz)
    found = match_leading_timestamp(f"{written}: entry text")
    assert found is not None, written
    assert found.date is not None and found.time is not None and found.tz is not None
    read = datetime.combine(found.date, found.time, tzinfo=found.tz)
    # Compare in UTC: PEP 495 makes times in a DST gap or fold unequal across zones.
    assert read.astimezone(UTC) == at.astimezone(UTC)
    assert read.utcoffset() == at.astimezone(tz).utcoffset()
    assert found.text == written
    assert found.rest == "entry text"
    assert not found.ambiguous_day_month


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_functions_never_raise_on_arbitrary_text(text: str) -> None:
    match_leading_timestamp(text)
    match_leading_timestamp(text, dayfirst=True)
    find_timezone(text)
    find_date(text)
    match_date_heading(text)
    parse_datetime(text)
    tz_from_name(text)


_TIMESTAMPISH = st.text(alphabet="0123456789:/-.,~± TtZzApPmM()[]*_`#+UCGESDamyJulNov", max_size=30)


@settings(max_examples=1000, deadline=None)
@given(_TIMESTAMPISH)
def test_never_raises_on_timestamp_like_text(text: str) -> None:
    found = match_leading_timestamp(text)
    if found is not None:
        assert text[found.start : found.end] == found.text
        assert found.date is not None or found.time is not None or found.month_day is not None
    parse_datetime(text)
    find_date(text)
    inside = find_timestamp_in_text(text)
    if inside is not None:
        assert text[inside.start : inside.end] == inside.text
        assert inside.time is not None
        assert inside.rest == text.strip()


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(["pods", "3", "v1.2.3", "500", "errors", "2.5", "hours", "at"])),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_a_time_inside_a_sentence_of_counts_is_the_only_one_found(
    words: list[str], hour: int, minute: int
) -> None:
    sentence = " ".join([*words, f"{hour:02d}:{minute:02d}", *words])
    found = find_timestamp_in_text(sentence)
    assert found is not None
    assert found.time == time(hour, minute)
    assert find_timestamp_in_text(" ".join(words)) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("9.05 AM", time(9, 5)),
        ("02:31 p.m", time(14, 31)),
        ("1400hrs", time(14, 0)),
        ("1400 hrs", time(14, 0)),
        ("14h05", time(14, 5)),
        ("12.30 PM", time(12, 30)),
    ],
)
def test_more_time_forms(written: str, expected: time) -> None:
    found = leading(f"{written}: the entry")
    assert found.time == expected
    assert found.text == written
    assert found.rest == "the entry"


@pytest.mark.parametrize("text", ["2.5 hours later", "1400 requests", "v1.05 am", "9.05 hours"])
def test_dotted_and_military_forms_need_their_cue(text: str) -> None:
    assert match_leading_timestamp(text) is None


@pytest.mark.parametrize(
    ("written", "offset_hours"),
    [
        ("10:00 AM West African Time", 1),
        ("10:00 AM East Africa Time", 3),
        ("10:00 Central European Summer Time", 2),
    ],
)
def test_zones_written_out(written: str, offset_hours: int) -> None:
    found = leading(f"{written}: x")
    assert found.tz is not None and found.tz.utcoffset(None) == timedelta(hours=offset_hours)
    assert found.text == written


def test_pacific_time_written_out_follows_daylight_saving() -> None:
    found = leading("9:00 AM Pacific Time - x")
    assert found.tz == ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("sentence", "written", "approximate"),
    [
        ("Detected at 14:00 GMT through alerts", "14:00 GMT", False),
        ("The service was restored around 6:15 PM after a restart", "around 6:15 PM", True),
        ("Rollback finished at ~3pm", "~3pm", True),
    ],
)
def test_time_inside_a_sentence(sentence: str, written: str, approximate: bool) -> None:
    found = find_timestamp_in_text(sentence)
    assert found is not None
    assert found.text == written
    assert found.approximate is approximate
    assert found.rest == sentence


@given(day=st.integers(1, 12), month=st.integers(1, 12), year=st.integers(1971, 2099))
def test_ambiguity_is_flagged_exactly_when_both_readings_differ(
    day: int, month: int, year: int
) -> None:
    found = leading(f"{day:02d}/{month:02d}/{year} 10:00 x")
    assert found.ambiguous_day_month == (day != month)
    readings = {found.date, found.alternative_date} - {None}
    assert date(year, month, day) in readings


# --- the timeline clock --------------------------------------------------------------------


def resolve_all(clock: TimelineClock, entries: list[str]) -> list[datetime | None]:
    return [clock.resolve(leading(entry)).at for entry in entries]


def test_clock_rolls_over_midnight() -> None:
    clock = TimelineClock(date=date(2024, 3, 9), tz=UTC)
    got = resolve_all(clock, ["23:50 x", "00:10 y", "00:20 z"])
    assert got == [
        datetime(2024, 3, 9, 23, 50, tzinfo=UTC),
        datetime(2024, 3, 10, 0, 10, tzinfo=UTC),
        datetime(2024, 3, 10, 0, 20, tzinfo=UTC),
    ]


def test_clock_keeps_small_backward_steps_on_the_same_day() -> None:
    clock = TimelineClock(date=date(2024, 3, 9), tz=UTC)
    got = resolve_all(clock, ["10:15 x", "10:05 y"])
    assert got[1] == datetime(2024, 3, 9, 10, 5, tzinfo=UTC)


def test_clock_does_not_roll_after_an_explicit_date() -> None:
    clock = TimelineClock(date=date(2024, 3, 9), tz=UTC)
    clock.resolve(leading("23:50 x"))
    clock.set_date(date(2024, 3, 9))
    assert clock.resolve(leading("08:00 y")).at == datetime(2024, 3, 9, 8, tzinfo=UTC)


def test_date_written_on_an_entry_carries_forward() -> None:
    clock = TimelineClock(date=None, tz=UTC)
    got = resolve_all(clock, ["2021-06-22 08:21 x", "08:29 y"])
    assert got[1] == datetime(2021, 6, 22, 8, 29, tzinfo=UTC)
    assert clock.date == date(2021, 6, 22)


def test_time_without_any_date_runs_on_the_document_clock() -> None:
    clock = TimelineClock(date=None, tz=UTC)
    got = [clock.resolve(leading(t)) for t in ("23:50 UTC x", "00:10 y", "01:05 z")]
    assert [r.at for r in got] == [None, None, None]
    assert [r.elapsed_s for r in got] == [0, 20 * 60, 75 * 60]
    assert all(r.undated and not r.warnings for r in got)
    assert clock.date is None and clock.epoch is None


def test_a_date_written_after_undated_times_places_them() -> None:
    clock = TimelineClock(date=None, tz=UTC)
    first = clock.resolve(leading("23:50 x"))
    dated = clock.resolve(leading("2024-03-10 00:10 y"))
    assert first.at is None and first.elapsed_s == 0
    assert dated.at == datetime(2024, 3, 10, 0, 10, tzinfo=UTC)
    assert dated.elapsed_s == 20 * 60
    assert clock.epoch == datetime(2024, 3, 9, 23, 50, tzinfo=UTC)
    assert any("placed just before it" in w for w in dated.warnings)


def test_missing_zone_is_assumed_utc_with_a_warning() -> None:
    clock = TimelineClock(date=date(2024, 3, 9), tz=None)
    resolved = clock.resolve(leading("14:51 x"))
    assert resolved.at == datetime(2024, 3, 9, 14, 51, tzinfo=UTC)
    assert resolved.warnings == [
        "no timezone for 14:51; assumed UTC, for it and every later time without one"
    ]
    # Said once per document, not once per entry.
    later = clock.resolve(leading("15:10 y"))
    assert later.at == datetime(2024, 3, 9, 15, 10, tzinfo=UTC) and later.warnings == []


def test_zone_written_on_an_entry_wins_and_carries() -> None:
    clock = TimelineClock(date=date(2024, 3, 9), tz=None)
    first = clock.resolve(leading("14:51 PST x"))
    second = clock.resolve(leading("15:00 y"))
    assert first.at == datetime(2024, 3, 9, 14, 51, tzinfo=offset(-8))
    assert second.at == datetime(2024, 3, 9, 15, 0, tzinfo=offset(-8))
    assert second.warnings == []
    stated = TimelineClock(date=date(2024, 3, 9), tz=UTC)
    stated.resolve(leading("14:51 PST x"))
    assert stated.resolve(leading("15:00 y")).at == datetime(2024, 3, 9, 15, tzinfo=UTC)


def test_yearless_date_takes_the_document_year() -> None:
    clock = TimelineClock(date=None, tz=UTC, year=2025)
    clock.set_date(None, (5, 12))
    assert clock.resolve(leading("20:15 x")).at == datetime(2025, 5, 12, 20, 15, tzinfo=UTC)
    assert clock.resolve(leading("July 23 4:10 AM y")).at == datetime(
        2025, 7, 23, 4, 10, tzinfo=UTC
    )


def test_yearless_date_crossing_new_year() -> None:
    clock = TimelineClock(date=date(2024, 12, 31), tz=UTC)
    assert clock.resolve(leading("Jan 1 00:30 x")).at == datetime(2025, 1, 1, 0, 30, tzinfo=UTC)


def test_yearless_date_without_any_year_still_gives_durations() -> None:
    clock = TimelineClock(date=None, tz=UTC)
    first = clock.resolve(leading("July 23 4:10 AM y"))
    second = clock.resolve(leading("July 24 4:10 AM y"))
    assert first.at is None and second.at is None
    assert second.elapsed_s == 86400


def test_date_only_entry_sets_the_date_but_has_no_time() -> None:
    clock = TimelineClock(date=None, tz=UTC)
    resolved = clock.resolve(leading("2021-12-10 | published"))
    assert resolved.at is None
    assert resolved.warnings == ["no time of day for 2021-12-10"]
    assert clock.resolve(leading("15:40 x")).at == datetime(2021, 12, 10, 15, 40, tzinfo=UTC)


def test_ambiguous_date_warns_and_prefers_the_reading_near_the_document_date() -> None:
    clock = TimelineClock(date=date(2024, 4, 2), tz=UTC)
    resolved = clock.resolve(leading("03/04/2024 10:00 x"))
    assert resolved.at == datetime(2024, 4, 3, 10, tzinfo=UTC)
    assert resolved.warnings == [
        "ambiguous date 03/04/2024 10:00 read as 3 April 2024, not 4 March 2024 (closer to 2024-04-02)"
    ]
    no_context = TimelineClock(date=None, tz=UTC).resolve(leading("03/04/2024 10:00 x"))
    assert no_context.at == datetime(2024, 3, 4, 10, tzinfo=UTC)
    assert "no context decided" in no_context.warnings[0]


def test_weekday_moves_the_date_forward() -> None:
    clock = TimelineClock(date=date(2024, 3, 11), tz=UTC)  # a Monday
    assert clock.resolve(leading("Wednesday 10:00 x")).at == datetime(2024, 3, 13, 10, tzinfo=UTC)


def test_iana_zone_is_daylight_saving_aware() -> None:
    clock = TimelineClock(date=date(2024, 7, 1), tz=ZoneInfo("Europe/Copenhagen"))
    at = clock.resolve(leading("12:00 x")).at
    assert at is not None and at.utcoffset() == timedelta(hours=2)


def _run_fixture(name: str) -> list[str]:
    """Resolve a small timeline the way the document parser drives the clock."""
    lines = (FIXTURES / f"{name}.md").read_text(encoding="utf-8").splitlines()
    clock = TimelineClock(date=None, tz=None)
    got: list[str] = []
    for line in lines:
        stated = find_timezone(line)
        if stated is not None and not line.startswith("- "):
            clock.set_timezone(stated)
        if line.startswith("#"):
            heading = match_date_heading(line)
            if heading is not None:
                clock.set_date(*heading)
            elif clock.date is None and (found := find_date(line)) is not None:
                clock.set_date(found)
        elif line.startswith("- "):
            resolved = clock.resolve(leading(line[2:]))
            assert resolved.at is not None, (line, resolved.warnings)
            got.append(resolved.at.isoformat())
    return got


@pytest.mark.parametrize("name", ["overnight", "pacific"])
def test_fixture_timelines(name: str) -> None:
    expected = (FIXTURES / f"{name}.expected").read_text(encoding="utf-8").split()
    assert _run_fixture(name) == expected


# --- speed ----------------------------------------------------------------------------------


def test_plain_lines_are_rejected_quickly() -> None:
    lines = [
        "Rolled back the deployment and confirmed error rates dropped",
        "**Root cause**: a missing index on the orders table",
        "3 pods restarted after the node drain",
        "| Service | Impact |",
    ] * 2500
    started = timer.perf_counter()
    for line in lines:
        match_leading_timestamp(line)
    elapsed = timer.perf_counter() - started
    # 10,000 lines is ~200 documents; the parser's budget is 500 documents a second.
    assert elapsed < 0.4, f"{elapsed:.3f}s for {len(lines)} lines"


# --- the shared corpus of real postmortems (skipped when absent) ------------------------------


CORPUS = shared_dir() / "corpus" / "postmortems"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_table_rows_are_read() -> None:
    rows: list[str] = []
    for path in sorted(CORPUS.rglob("*.md")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("| 20") and not line.startswith(("| 20202", "| 20xx")):
                rows.append(line.strip("| ").split("|")[0].strip())
    assert len(rows) > 150
    unread = [row for row in rows if match_leading_timestamp(row) is None]
    assert unread == []
    dated = [found for row in rows if (found := match_leading_timestamp(row)) and found.date]
    assert len(dated) == len(rows)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_time_headings_are_read() -> None:
    headings: list[str] = []
    for path in sorted(CORPUS.rglob("*.md")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("### ") and any(ch.isdigit() for ch in line[4:6]):
                headings.append(line[4:])
    assert len(headings) > 40
    assert [h for h in headings if match_leading_timestamp(h) is None] == []


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(st.integers(0, 11 * 60 + 59), min_size=1, max_size=20),
    first=st.integers(0, 1439),
)
def test_undated_times_advance_the_document_clock_by_their_step(
    steps: list[int], first: int
) -> None:
    """Times of day without a date, each less than 12 hours after the one before, are
    placed so that elapsed seconds grow by exactly that step, past midnight too."""
    clock = TimelineClock(date=None, tz=UTC)
    minute = first
    expected = 0
    assert clock.resolve(leading(f"{minute // 60:02d}:{minute % 60:02d} x")).elapsed_s == 0
    for step in steps:
        minute = (minute + step) % 1440
        expected += step * 60
        resolved = clock.resolve(leading(f"{minute // 60:02d}:{minute % 60:02d} x"))
        assert resolved.at is None and resolved.undated
        assert resolved.elapsed_s == expected
