"""CSV tables with a time column."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.csv_source import SOURCE

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"


def read(path: Path, opts: ReadOptions | None = None) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), opts or ReadOptions(), stats)), stats


def test_header_names_pick_time_text_level_service_host_and_actor() -> None:
    events, stats = read(PAYLOADS / "incident_notes.csv")

    assert [(e.time, e.level, e.text) for e in events] == [
        (
            datetime(2024, 3, 1, 14, 2, tzinfo=UTC),
            Level.INFO,
            "Deploy 2024.03.01-2 finished, all pods healthy",
        ),
        (
            datetime(2024, 3, 1, 14, 6, 10, tzinfo=UTC),
            Level.ERROR,
            "Customers report failed payments",
        ),
        (
            datetime(2024, 3, 1, 14, 20, tzinfo=UTC),
            Level.NOTICE,
            "Rollback to 2024.03.01-1 started",
        ),
    ]
    assert (events[0].service, events[0].host, events[0].actor) == (
        "checkout-api",
        "web-3",
        "mchen",
    )
    assert events[1].actor is None
    assert events[2].ref is not None and events[2].ref.endswith("incident_notes.csv:5")
    assert stats.lines_unparsed == 1
    assert stats.unparsed_examples[0][0] == 4


def test_times_without_a_zone_use_the_default_zone() -> None:
    paris = timezone(timedelta(hours=1))
    events, _ = read(PAYLOADS / "incident_notes.csv", ReadOptions(default_tz=paris))
    assert events[1].time == datetime(2024, 3, 1, 13, 6, 10, tzinfo=UTC)
    assert events[0].time == datetime(2024, 3, 1, 14, 2, tzinfo=UTC)  # had its own zone


def test_semicolons_epoch_seconds_and_ms_and_a_kind_column() -> None:
    events, _ = read(PAYLOADS / "changes_semicolon.csv")
    assert [(e.time, e.kind, e.text) for e in events] == [
        (
            datetime(2024, 3, 1, 14, 2, tzinfo=UTC),
            EventKind.DEPLOY,
            "checkout-api 2024.03.01-2 rolled out",
        ),
        (datetime(2024, 3, 1, 14, 30, tzinfo=UTC), EventKind.CHANGE, "feature flag tax_cache off"),
    ]


def test_time_column_found_by_content_and_other_columns_joined(tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_text("id,seen,code\n7,2024-03-01T14:05:00Z,503\n8,2024-03-01T14:06:00Z,200\n")
    events, _ = read(table)
    assert [(e.time, e.text) for e in events] == [
        (datetime(2024, 3, 1, 14, 5, tzinfo=UTC), "id=7 code=503"),
        (datetime(2024, 3, 1, 14, 6, tzinfo=UTC), "id=8 code=200"),
    ]


def test_separate_date_and_time_columns_are_joined(tmp_path: Path) -> None:
    table = tmp_path / "log.csv"
    table.write_text("date,time,note\n2024-03-01,14:05:00,first page\n")
    events, _ = read(table)
    assert [(e.time, e.text) for e in events] == [
        (datetime(2024, 3, 1, 14, 5, tzinfo=UTC), "first page")
    ]


def test_a_table_without_any_time_is_reported_not_read(tmp_path: Path) -> None:
    table = tmp_path / "names.csv"
    table.write_text("name,team\nDana,payments\nRavi,platform\n")
    events, stats = read(table)
    assert events == []
    assert stats.notes == ["no time column found (by header or by content)"]
    assert SOURCE.sniff(table.read_bytes(), str(table)) == 0


def test_sniff_prefers_named_csv_with_headers_and_leaves_json_and_logs() -> None:
    notes = PAYLOADS / "incident_notes.csv"
    assert SOURCE.sniff(notes.read_bytes(), str(notes)) >= 0.8
    assert SOURCE.sniff((PAYLOADS / "git_log_iso.tsv").read_bytes(), "git.tsv") < 0.9
    assert SOURCE.sniff((PAYLOADS / "github_push.json").read_bytes(), "push.json") == 0
    assert SOURCE.sniff(b"Mar  1 14:05:00 web-3 nginx[12]: upstream timed out\n", "syslog") == 0
