"""A Slack export read as the incident channel's conversation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.slack import SOURCE, slack_time
from support import evidence_corpus as corpus

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads" / "slack_export"


def read(path: Path, opts: ReadOptions | None = None) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), opts or ReadOptions(), stats)), stats


def by_channel(events: list[Event], channel: str) -> list[Event]:
    return [e for e in events if e.attrs["channel"] == channel]


def test_ts_keeps_its_microseconds() -> None:
    assert slack_time("1709302150.123456") == datetime(2024, 3, 1, 14, 9, 10, 123456, tzinfo=UTC)
    assert slack_time("1709302150") == datetime(2024, 3, 1, 14, 9, 10, tzinfo=UTC)
    assert slack_time("soon") is None


def test_export_folder_gives_people_messages_in_time_order_with_names() -> None:
    events, stats = read(EXPORT)
    incident = by_channel(events, "incident-812")

    assert [(e.time, e.actor) for e in incident] == [
        (datetime(2024, 3, 1, 14, 9, 10, 123456, tzinfo=UTC), "Dana Okafor"),
        (datetime(2024, 3, 1, 14, 10, 10, 200, tzinfo=UTC), "Mei Chen"),
        (datetime(2024, 3, 1, 14, 15, 0, 400, tzinfo=UTC), "ravi"),
        (datetime(2024, 3, 1, 14, 15, 10, 500, tzinfo=UTC), "ravi"),
        (datetime(2024, 3, 2, 0, 40, 0, 1, tzinfo=UTC), "Dana Okafor"),
    ]
    assert [e.time for e in events] == sorted(e.time for e in events)
    assert all(e.kind is EventKind.CHAT for e in events)
    assert len(by_channel(events, "general")) == 1
    assert stats.events == 6
    assert stats.lines_unparsed == 1  # the message whose ts is not a time
    assert "not-a-time" not in {e.text for e in events}


def test_mentions_links_and_entities_become_plain_text() -> None:
    events, _ = read(EXPORT)
    texts = [e.text for e in by_channel(events, "incident-812")]

    assert "@Mei Chen did the 14:01 deploy" in texts[0]
    assert texts[1] == (
        "yes, pool timeout went to 200ms & that's <below> p99. "
        "See the dashboard (https://grafana.example.internal/d/checkout)"
    )
    assert texts[2] == "Rolling back to 2024.03.01-1 now in #incident-812"
    assert texts[4].startswith("Resolved, error rate back to baseline. @here")


def test_threads_pins_and_reactions_are_kept() -> None:
    events, _ = read(EXPORT)
    first, reply, rollback, pin_notice, resolved = by_channel(events, "incident-812")

    assert first.ref == "incident-812/2024-03-01.json:9"
    assert first.attrs["pinned"] is True
    assert first.attrs["reactions"] == {"eyes": 2}
    assert first.attrs["reply_count"] == 1
    assert reply.attrs["reply"] is True
    assert reply.attrs["parent"] == first.ref
    assert rollback.attrs["pinned"] is True  # pinned later, by the pin notice
    assert pin_notice.attrs["pin_action"] == "pinned"
    assert resolved.attrs["edited"] is True


def test_joins_leaves_and_bots_only_with_include_noise() -> None:
    quiet, _ = read(EXPORT)
    noisy, _ = read(EXPORT, ReadOptions(include_noise=True))

    assert not any(
        e.attrs.get("subtype") in ("channel_join", "channel_leave", "bot_message") for e in quiet
    )
    extra = {e.attrs.get("subtype") for e in noisy} - {e.attrs.get("subtype") for e in quiet}
    assert extra == {"channel_join", "channel_leave", "bot_message"}
    bot = next(e for e in noisy if e.attrs.get("subtype") == "bot_message")
    assert bot.actor == "PagerDuty"
    assert bot.text == "Checkout 5xx ratio high Incident #812 acknowledged by Dana Okafor"


def test_a_single_day_file_reads_alone_with_names_from_the_export() -> None:
    events, _ = read(EXPORT / "incident-812" / "2024-03-02.json")
    assert [(e.time, e.actor, e.ref) for e in events] == [
        (
            datetime(2024, 3, 2, 0, 40, 0, 1, tzinfo=UTC),
            "Dana Okafor",
            "incident-812/2024-03-02.json:2",
        )
    ]


def test_sniff_knows_an_export_folder_and_a_day_file() -> None:
    assert SOURCE.sniff(b"", str(EXPORT)) >= 0.9
    day = EXPORT / "incident-812" / "2024-03-01.json"
    assert SOURCE.sniff(day.read_bytes(), str(day)) >= 0.9
    users = EXPORT / "users.json"
    assert SOURCE.sniff(users.read_bytes(), str(users)) == 0
    assert SOURCE.sniff(b'[{"ts": 1, "msg": "x"}]', "x.json") == 0


def test_corpus_export() -> None:
    export = corpus("slack-export", "export")
    events, stats = read(export)

    assert len(events) == 53  # 158 messages less joins, integration notices and bot posts
    assert events[0].time == datetime(2016, 1, 15, 5, 55, 52, 6, tzinfo=UTC)
    assert events[0].actor == "Hamza Faran"
    assert events[0].text.startswith("@Harry Potter: Created an issue")
    assert events[0].ref == "enrique/2016-01-14.json:33"
    assert events[-1].time == datetime(2016, 3, 28, 8, 52, 54, 25, tzinfo=UTC)
    assert stats.lines_unparsed == 0
    everything, _ = read(export, ReadOptions(include_noise=True))
    assert len(everything) == 158


def test_corpus_day_file_alone() -> None:
    day = corpus("slack-export", "export", "enrique") / "2016-01-15.json"
    events, _ = read(day)
    assert events[0].time == datetime(2016, 1, 15, 8, 17, 45, 8, tzinfo=UTC)
    assert events[0].actor == "Harry Potter"
    assert events[0].ref == "enrique/2016-01-15.json:2"
    assert len(events) == 6
