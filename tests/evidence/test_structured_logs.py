"""JSON-lines, logfmt and journald sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from postmortems.evidence.events import Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.journald import SOURCE as JOURNALD
from postmortems.evidence.sources.jsonlines import SOURCE as JSONLINES
from postmortems.evidence.sources.logfmt import SOURCE as LOGFMT

LOGS = Path(__file__).parents[1] / "fixtures" / "evidence" / "logs"
UTC = dt.UTC


def read(source, name: str, **opts: object):  # type: ignore[no-untyped-def]
    path = str(LOGS / name)
    stats = ReadStats(path, source.name)
    return list(source.read(path, ReadOptions(**opts), stats)), stats  # type: ignore[arg-type]


def test_jsonlines_keys_epochs_and_nesting() -> None:
    events, stats = read(JSONLINES, "app.jsonl", default_tz=ZoneInfo("Europe/Paris"))
    assert [e.time for e in events] == [
        dt.datetime(2024, 3, 14, 10, 2, 11, 120000, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 2, 12, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 2, 13, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 2, 14, 123000, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 9, 2, 15, tzinfo=UTC),  # naive, read in Paris time
    ]
    assert [e.level for e in events[:4]] == [Level.ERROR, Level.WARNING, Level.ERROR, Level.INFO]
    assert events[0].service == "checkout" and events[0].host == "web-1"
    assert events[0].attrs == {"order": 5521}
    assert events[2].service == "checkout" and events[3].text == "order placed"
    assert events[2].text.splitlines()[1:] == [
        "Traceback (most recent call last):",
        '  File "/srv/checkout/pay.py", line 88, in charge',
        "TimeoutError: gateway",
    ]
    assert events[1].ref and events[1].ref.endswith("app.jsonl:2")
    assert stats.lines_unparsed == 2  # no time at all, truncated JSON


def test_logfmt_quotes_and_continuations() -> None:
    events, stats = read(LOGFMT, "app.logfmt")
    assert events[0].text == 'charge failed: "gateway" said no'
    assert events[0].level is Level.ERROR and events[0].host == "web-1"
    assert events[1].time == dt.datetime(2024, 3, 14, 10, 2, 12, 500000, tzinfo=UTC)
    assert events[1].text.endswith("at com.example.Pay.charge(Pay.java:88)")
    assert events[1].attrs == {"attempt": "2", "lines": 2}
    assert stats.lines_unparsed == 1


def test_journald_json() -> None:
    events, stats = read(JOURNALD, "journal.json")
    assert events[0].time == dt.datetime(2024, 3, 14, 10, 2, 11, tzinfo=UTC)
    assert (events[0].level, events[0].service, events[0].host) == (
        Level.ERROR,
        "checkout",
        "web-1",
    )
    assert events[1].text == "hi\xff" and events[1].service == "nginx.service"
    assert stats.lines_unparsed == 1


def test_journald_short_iso_skips_banners() -> None:
    events, stats = read(JOURNALD, "journal_short_iso.log")
    assert [e.time for e in events] == [
        dt.datetime(2024, 3, 14, 10, 2, 11, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 2, 12, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 5, tzinfo=UTC),
    ]
    assert {e.source for e in events} == {"journald"}
    assert stats.lines_unparsed == 0


def test_sniffers_claim_their_own_format() -> None:
    jsonl = (LOGS / "app.jsonl").read_bytes()
    journal = (LOGS / "journal.json").read_bytes()
    logfmt = (LOGS / "app.logfmt").read_bytes()
    assert JOURNALD.sniff(journal, "j") > JSONLINES.sniff(journal, "j")
    assert JSONLINES.sniff(jsonl, "a") > max(LOGFMT.sniff(jsonl, "a"), JOURNALD.sniff(jsonl, "a"))
    assert LOGFMT.sniff(logfmt, "l") > JSONLINES.sniff(logfmt, "l")
