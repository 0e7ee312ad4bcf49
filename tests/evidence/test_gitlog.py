"""git log output in its documented formats becomes commit and tag events."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.gitlog import SOURCE
from support import evidence_corpus as corpus

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"
SHA = "3f9c2a7d1e0b4c5a6f7e8d9c0b1a2f3e4d5c6b7a"


def read(path: Path) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), ReadOptions(), stats)), stats


def test_documented_tsv_format() -> None:
    events, stats = read(PAYLOADS / "git_log_iso.tsv")

    assert [(e.time, e.actor, e.attrs["subject"]) for e in events] == [
        (
            datetime(2024, 3, 1, 12, 52, 30, tzinfo=UTC),
            "Mei Chen",
            "Lower connection pool timeout to 200ms",
        ),
        (datetime(2024, 3, 1, 12, 40, tzinfo=UTC), "Mei Chen", "Cache tax rates per region"),
        (
            datetime(2024, 3, 1, 2, 5, 11, tzinfo=UTC),
            "Sam O'Neil",
            "Merge pull request #77 from shop/fix-retries",
        ),
    ]
    assert events[0].kind is EventKind.COMMIT
    assert events[0].attrs["sha"] == SHA
    assert events[0].text == "3f9c2a7 Lower connection pool timeout to 200ms"
    assert events[0].ref is not None and events[0].ref.endswith("git_log_iso.tsv:1")
    assert stats.events == 3 and stats.lines_unparsed == 0


def test_tag_list_gives_change_events() -> None:
    events, _ = read(PAYLOADS / "git_tags.tsv")
    assert [(e.time, e.kind, e.attrs["tag"]) for e in events] == [
        (datetime(2024, 3, 1, 14, 0, 30, tzinfo=UTC), EventKind.CHANGE, "v2024.03.01-2"),
        (datetime(2024, 3, 1, 9, 12, tzinfo=UTC), EventKind.CHANGE, "v2024.03.01-1"),
    ]
    assert events[0].attrs["sha"] == SHA


def test_default_format_with_stat_merge_and_decorations() -> None:
    events, stats = read(PAYLOADS / "git_log_default.txt")

    assert [(e.time, e.actor) for e in events] == [
        (datetime(2024, 3, 1, 12, 52, 30, tzinfo=UTC), "Mei Chen"),
        (datetime(2024, 3, 1, 2, 5, 11, tzinfo=UTC), "Sam O'Neil"),
        (datetime(2024, 2, 28, 9, 0, tzinfo=UTC), "dependabot[bot]"),
    ]
    change, merge, bump = events
    assert change.attrs["subject"] == "Lower connection pool timeout to 200ms"
    assert change.attrs["files"] == ["config/pool.yaml", "src/checkout/db.py"]
    assert (
        change.attrs["files_changed"],
        change.attrs["insertions"],
        change.attrs["deletions"],
    ) == (2, 8, 3)
    assert "tag: v2024.03.01-2" in change.attrs["refs"]  # type: ignore[operator]
    assert change.ref is not None and change.ref.endswith("git_log_default.txt:1")
    assert merge.attrs["merge"] is True
    assert merge.attrs["parents"] == ["1a2b3c4", "5d6e7f8"]
    assert merge.kind is EventKind.COMMIT
    assert bump.attrs["author_email"] == "49699333+dependabot[bot]@users.noreply.github.com"
    assert stats.lines_unparsed == 0


def test_a_commit_with_an_unreadable_date_is_counted(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("commit " + SHA + "\nAuthor: A <a@b.c>\nDate:   someday\n\n    x\n")
    events, stats = read(log)
    assert events == []
    assert stats.lines_unparsed == 1


def test_sniff() -> None:
    for name in ("git_log_iso.tsv", "git_tags.tsv", "git_log_default.txt"):
        assert SOURCE.sniff((PAYLOADS / name).read_bytes(), name) >= 0.9, name
    assert SOURCE.sniff((PAYLOADS / "incident_notes.csv").read_bytes(), "n.csv") == 0
    assert SOURCE.sniff(b"commit message: fixed", "x.txt") == 0


@pytest.mark.parametrize(
    ("name", "count", "first", "last"),
    [
        (
            "prometheus-msteams_git_log_200.tsv",
            200,
            datetime(2026, 7, 2, 3, 19, tzinfo=UTC),
            datetime(2018, 12, 7, 20, 58, 41, tzinfo=UTC),
        ),
        (
            "prometheus-msteams_git_log_default_20.txt",
            20,
            datetime(2026, 7, 2, 3, 19, tzinfo=UTC),
            datetime(2025, 12, 9, 6, 48, 51, tzinfo=UTC),
        ),
        (
            "prometheus-msteams_git_log_stat_30.txt",
            30,
            datetime(2026, 7, 2, 3, 19, tzinfo=UTC),
            datetime(2025, 12, 3, 14, 18, 9, tzinfo=UTC),
        ),
        (
            "prometheus-msteams_tags.tsv",
            50,
            datetime(2018, 4, 30, 4, 56, 21, tzinfo=UTC),
            datetime(2026, 5, 13, 8, 16, 16, tzinfo=UTC),
        ),
    ],
)
def test_corpus_git_logs(name: str, count: int, first: datetime, last: datetime) -> None:
    path = corpus("git-log") / name
    assert SOURCE.sniff(path.read_bytes()[:65536], str(path)) >= 0.9
    events, stats = read(path)
    assert len(events) == count
    assert (events[0].time, events[-1].time) == (first, last)
    assert stats.lines_unparsed == 0
    assert all(e.attrs["sha"] and len(str(e.attrs["sha"])) == 40 for e in events)
