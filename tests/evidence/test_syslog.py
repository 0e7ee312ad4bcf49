from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from postmortems.evidence.collapse import Collapser, collapse_file
from postmortems.evidence.events import EventKind, Level
from postmortems.evidence.sources import _parallel
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.syslog import SOURCE

LOGS = Path(__file__).parents[1] / "fixtures" / "evidence" / "logs"
UTC = dt.UTC


def read(path: Path, **opts: object) -> tuple[list, ReadStats]:
    stats = ReadStats(str(path), "syslog")
    return list(SOURCE.read(str(path), ReadOptions(**opts), stats)), stats  # type: ignore[arg-type]


def test_rfc3164_fields_year_and_ref() -> None:
    events, _ = read(LOGS / "syslog_3164.log", year=2024)
    first = events[0]
    assert first.time == dt.datetime(2024, 3, 14, 9, 58, 2, tzinfo=UTC)
    assert (first.host, first.service, first.kind) == ("web-1", "systemd", EventKind.LOG)
    assert first.ref == f"{LOGS / 'syslog_3164.log'}:1"
    assert events[1].level is Level.ERROR  # "timed out" with no written level


def test_traceback_records_join_into_one_entry() -> None:
    events, _ = read(LOGS / "syslog_3164.log", year=2024)
    trace = next(e for e in events if e.text.startswith("Traceback"))
    assert trace.text.splitlines()[-1] == "GatewayTimeout: order 5521 timed out after 30s"
    assert len(trace.text.splitlines()) == 4


def test_bad_lines_are_counted_not_raised() -> None:
    events, stats = read(LOGS / "syslog_3164.log", year=2024)
    assert stats.lines_unparsed == 2  # the garbage line and the truncated last line
    assert stats.unparsed_examples[0] == (9, "this line is garbage without a timestamp")
    assert stats.lines_read == 13
    assert len(events) == 8


def test_default_timezone_applies_to_zoneless_times() -> None:
    events, _ = read(LOGS / "syslog_3164.log", year=2024, default_tz=ZoneInfo("Europe/Paris"))
    assert events[0].time == dt.datetime(2024, 3, 14, 8, 58, 2, tzinfo=UTC)


def test_december_to_january_turn_and_late_lines() -> None:
    events, _ = read(LOGS / "syslog_newyear.log", year=2023)
    years = [(e.time.year, e.time.month) for e in events]
    assert years == [(2023, 12), (2023, 12), (2024, 1), (2023, 12), (2024, 1)]


def test_year_from_mtime_december_file_modified_in_january(tmp_path: Path) -> None:
    path = tmp_path / "syslog.1"
    path.write_text("Dec 30 10:00:00 h app: one\nDec 31 10:00:00 h app: two\n")
    january = dt.datetime(2025, 1, 2, tzinfo=UTC).timestamp()
    os.utime(path, (january, january))
    events, _ = read(path)
    assert {e.time.year for e in events} == {2024}


def test_year_from_mtime_same_year(tmp_path: Path) -> None:
    path = tmp_path / "syslog"
    path.write_text("Mar  3 10:00:00 h app: one\n")
    april = dt.datetime(2025, 4, 2, tzinfo=UTC).timestamp()
    os.utime(path, (april, april))
    assert read(path)[0][0].time == dt.datetime(2025, 3, 3, 10, tzinfo=UTC)


def test_rfc5424_offsets_severity_and_structured_data() -> None:
    events, stats = read(LOGS / "syslog_5424.log")
    assert [e.time for e in events] == [
        dt.datetime(2024, 3, 14, 10, 2, 11, 3000, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 2, 11, 500000, tzinfo=UTC),
        dt.datetime(2024, 3, 14, 10, 5, tzinfo=UTC),
    ]
    assert events[0].level is Level.NOTICE and events[1].level is Level.ERROR
    assert events[0].service == "checkout" and events[0].attrs["msgid"] == "ID47"
    assert events[0].text == "payment gateway answered 502"
    assert "exampleSDID@32473" in str(events[0].attrs["structured_data"])
    assert events[2].host is None
    assert stats.lines_unparsed == 1


def test_gzip_and_mixed_encoding() -> None:
    plain, _ = read(LOGS / "syslog_3164.log", year=2024)
    gz, _ = read(LOGS / "syslog_3164.log.gz", year=2024)
    assert [e.text for e in gz] == [e.text for e in plain]
    mixed, stats = read(LOGS / "mixed_encoding.log", year=2024)
    assert [e.text for e in mixed] == ["café ok", "café latin"]
    assert stats.lines_unparsed == 0


def test_binary_and_empty_files_give_nothing_and_a_note() -> None:
    events, stats = read(LOGS / "binary.bin")
    assert events == [] and "binary" in stats.notes[0]
    assert read(LOGS / "empty.log")[0] == []


def test_sniff_prefers_syslog_lines() -> None:
    head = (LOGS / "syslog_3164.log").read_bytes()
    assert SOURCE.sniff(head, "x") > 0.8
    assert SOURCE.sniff(b'{"ts": 1}\n', "x") == 0.0


def test_fast_collapse_equals_event_stream_collapse(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    lines = [
        f"Mar 14 10:{m:02d}:{s:02d} web-{s % 3} nginx[1]: upstream timed out, client: 10.0.{m}.{s}\n"
        for m in range(40)
        for s in range(0, 60, 7)
    ]
    lines.insert(100, "Mar 14 10:11:00 web-1 app[2]: a unique line\n")
    path.write_text("".join(lines))
    slow = Collapser()
    slow.add_all(SOURCE.read(str(path), ReadOptions(year=2024), ReadStats(str(path), "syslog")))
    fast = collapse_file(str(path), SOURCE, ReadOptions(year=2024), ReadStats(str(path), "s"))
    as_tuples = [(e.time, e.count, e.ref, e.text, e.host) for e in fast.result()]
    assert as_tuples == [(e.time, e.count, e.ref, e.text, e.host) for e in slow.result()]
    assert len(as_tuples) == 2


def test_parallel_parts_merge_with_year_turn_and_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "turn.log"
    december = [f"Dec 31 23:{m:02d}:00 h app[1]: tick {m}\n" for m in range(60)]
    january = [f"Jan  1 00:{m:02d}:00 h app[1]: tick {m}\n" for m in range(60)]
    path.write_text("".join(december + january) + "Jan  1 01:00:00 h other[2]: last one\n")
    monkeypatch.setattr(_parallel, "ENABLED", True)
    monkeypatch.setattr(_parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(_parallel, "_workers", lambda: 2)
    stats = ReadStats(str(path), "syslog")
    merged = _parallel.collapse_syslog(str(path), ReadOptions(year=2023), stats, None)
    assert merged is not None
    events = merged.result()
    assert events[0].first == dt.datetime(2023, 12, 31, 23, 0, tzinfo=UTC)
    assert events[0].last == dt.datetime(2024, 1, 1, 0, 59, tzinfo=UTC)
    assert events[0].count == 120
    assert events[-1].ref == f"{path}:121"
    assert stats.lines_read == 121
