from __future__ import annotations

import datetime as dt

from postmortems.evidence.collapse import CollapseOptions, Collapser, collapse, template_of
from postmortems.evidence.events import Event, EventKind, Level

T0 = dt.datetime(2024, 3, 14, 10, 0, tzinfo=dt.UTC)


def log(seconds: float, text: str, level: Level = Level.ERROR, host: str = "web-1") -> Event:
    when = T0 + dt.timedelta(seconds=seconds)
    return Event(when, "syslog", EventKind.LOG, text, level, "nginx", host, ref=f"f:{seconds}")


def test_template_masks_variable_parts() -> None:
    text = (
        "upstream timed out after 30s client: 10.1.2.3:443 id=5f2c9a1e0b7d "
        'req 123e4567-e89b-12d3-a456-426614174000 path /var/lib/app/x.db "GET /a" 0xff 42'
    )
    assert template_of(text) == (
        "upstream timed out after <DUR> client: <IP> id=<HEX> "
        "req <UUID> path <PATH> <STR> <HEX> <NUM>"
    )


def test_ten_thousand_repeats_become_one_entry_that_says_so() -> None:
    events = [
        log(i * 0.1, f"upstream timed out, client: 10.0.{i % 250}.{i % 7}") for i in range(10_000)
    ]
    (entry,) = collapse(events)
    assert entry.count == 10_000
    assert entry.first == T0 and entry.last == T0 + dt.timedelta(seconds=999.9)
    assert entry.attrs["template"] == "upstream timed out, client: <IP>"
    assert "×10,000 similar lines from 10:00:00 to 10:16:39 UTC" in entry.text
    assert entry.text.startswith("upstream timed out, client: 10.0.0.0")
    assert entry.ref == "f:0.0"


def test_single_lines_are_kept_exactly() -> None:
    original = log(5, "disk /dev/sda1 failed")
    (kept,) = collapse([original])
    assert kept is original


def test_level_is_the_most_severe_and_sample_follows_it() -> None:
    events = [
        log(0, "retry 1", Level.WARNING),
        log(1, "retry 2", Level.CRITICAL),
        log(2, "retry 3"),
    ]
    (entry,) = collapse(events)
    assert entry.level is Level.CRITICAL
    assert entry.attrs["sample"] == "retry 2"


def test_a_long_silence_starts_a_new_entry() -> None:
    events = [
        log(0, "timeout 1"),
        log(30, "timeout 2"),
        log(7200, "timeout 3"),
        log(7201, "timeout 4"),
    ]
    entries = collapse(events, CollapseOptions(gap=dt.timedelta(minutes=10)))
    assert [(e.count, e.first) for e in entries] == [
        (2, T0),
        (2, T0 + dt.timedelta(seconds=7200)),
    ]


def test_out_of_order_lines_and_hosts_and_other_kinds() -> None:
    alert = Event(T0, "alertmanager", EventKind.ALERT, "HighErrorRate firing")
    events = [log(10, "x 1", host="web-1"), log(2, "x 2", host="web-2"), alert]
    entries = collapse(events)
    assert entries[0] is alert
    assert entries[1].first == T0 + dt.timedelta(seconds=2)
    assert entries[1].host is None and entries[1].attrs["hosts"] == ["web-1", "web-2"]


def test_per_minute_side_channel_and_merge() -> None:
    first, second = Collapser(), Collapser()
    first.add_all([log(0, "a 1"), log(61, "a 2", Level.INFO)])
    second.add(log(62, "a 3"))
    first.merge(second)
    minute = T0 + dt.timedelta(minutes=1)
    assert first.per_minute() == {T0: {Level.ERROR: 1}, minute: {Level.INFO: 1, Level.ERROR: 1}}
    (entry,) = first.result()
    assert entry.count == 3
