"""What every payload source shares: reading JSON in its many layouts, bad input, sniffing."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortems.errors import InputError
from postmortems.evidence.sources import (
    alertmanager,
    csv_source,
    github,
    gitlog,
    grafana,
    opsgenie,
    pagerduty,
    slack,
)
from postmortems.evidence.sources._payload import iter_documents, parse_time
from postmortems.evidence.sources._timeparse import from_epoch as epoch_to_utc
from postmortems.evidence.sources.base import ReadOptions, ReadStats, Source

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"
SOURCES: list[Source] = [
    alertmanager.SOURCE,
    grafana.SOURCE,
    pagerduty.SOURCE,
    opsgenie.SOURCE,
    slack.SOURCE,
    github.SOURCE,
    gitlog.SOURCE,
    csv_source.SOURCE,
]
OWNER = {
    "alertmanager_incident.ndjson": "alertmanager",
    "grafana_unified.json": "grafana",
    "grafana_legacy.ndjson": "grafana",
    "pagerduty_v2_lifecycle.json": "pagerduty",
    "pagerduty_v3_lifecycle.ndjson": "pagerduty",
    "pagerduty_log_entries.json": "pagerduty",
    "opsgenie_lifecycle.ndjson": "opsgenie",
    "github_deploys.ndjson": "github",
    "github_push.json": "github",
    "git_log_iso.tsv": "gitlog",
    "git_tags.tsv": "gitlog",
    "git_log_default.txt": "gitlog",
    "incident_notes.csv": "csv",
    "changes_semicolon.csv": "csv",
    "slack_export": "slack",
    "slack_export/incident-812/2024-03-01.json": "slack",
}


def read(source: Source, path: Path) -> tuple[list[object], ReadStats]:
    stats = ReadStats(path=str(path), source=source.name)
    return list(source.read(str(path), ReadOptions(), stats)), stats


@pytest.mark.parametrize("name", sorted(OWNER))
def test_detection_picks_the_right_source_for_every_fixture(name: str) -> None:
    path = PAYLOADS / name
    head = b"" if path.is_dir() else path.read_bytes()[:65536]
    scores = {source.name: source.sniff(head, str(path)) for source in SOURCES}
    best = max(scores, key=lambda key: scores[key])
    assert best == OWNER[name], scores
    assert scores[best] >= 0.8


def test_one_document_an_array_concatenated_documents_and_ndjson_all_read() -> None:
    stats = ReadStats(path="x", source="test")
    texts = {
        "one": '{"a": 1}',
        "array": '[\n  {"a": 1},\n  {"a": 2}\n]',
        "concatenated": '{\n "a": 1\n}\n{\n "a": 2\n}\n',
        "ndjson": '{"a": 1}\n{"a": 2}\n',
    }
    found = {name: list(iter_documents(text, stats)) for name, text in texts.items()}
    assert found["one"] == [(1, {"a": 1})]
    assert found["array"] == [(2, {"a": 1}), (3, {"a": 2})]
    assert found["concatenated"] == [(1, {"a": 1}), (4, {"a": 2})]
    assert found["ndjson"] == [(1, {"a": 1}), (2, {"a": 2})]
    assert stats.lines_unparsed == 0


def test_garbled_lines_in_ndjson_are_counted_and_the_rest_read() -> None:
    stats = ReadStats(path="x", source="test")
    documents = list(iter_documents('{"a": 1}\n{"a": \nnot json\n{"a": 3}\n', stats))
    assert documents == [(1, {"a": 1}), (4, {"a": 3})]
    assert stats.lines_unparsed == 2
    assert [line for line, _ in stats.unparsed_examples] == [2, 3]


def test_epoch_units_are_told_apart_by_magnitude() -> None:
    moment = datetime(2020, 6, 30, 0, 6, 4, 295000, tzinfo=UTC)
    assert epoch_to_utc(1593475564) == moment.replace(microsecond=0)
    assert epoch_to_utc(1593475564295) == moment
    assert epoch_to_utc(1593475564295000) == moment
    assert epoch_to_utc(1593475564295000000) == moment
    assert parse_time("1593475564295") == moment


def test_zero_time_and_nonsense_are_not_times() -> None:
    assert parse_time("0001-01-01T00:00:00Z") is None
    assert parse_time("soon") is None
    assert parse_time(None) is None
    assert parse_time(True) is None


PAYLOAD_SOURCES = [s for s in SOURCES if s.name not in ("slack",)]


@pytest.mark.parametrize("source", PAYLOAD_SOURCES, ids=lambda s: s.name)
@pytest.mark.parametrize(
    ("content", "note"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x00\x01\x02\xff\xfe binary \x00" * 50, "binary file: not read"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_empty_and_binary_files_yield_nothing_and_say_why(
    source: Source, content: bytes, note: str, tmp_path: Path
) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    events, stats = read(source, path)
    assert events == []
    assert note in stats.notes


@pytest.mark.parametrize("source", PAYLOAD_SOURCES, ids=lambda s: s.name)
def test_truncated_json_yields_nothing_and_is_counted(source: Source, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes((PAYLOADS / "pagerduty_log_entries.json").read_bytes()[:700])
    if source.name == "pagerduty":
        path.write_bytes((PAYLOADS / "grafana_unified.json").read_bytes()[:700])
    events, stats = read(source, path)
    assert events == []
    assert stats.lines_unparsed > 0


@pytest.mark.parametrize(
    "source",
    [alertmanager.SOURCE, grafana.SOURCE, pagerduty.SOURCE, opsgenie.SOURCE, github.SOURCE],
    ids=lambda s: s.name,
)
def test_json_that_is_not_the_expected_payload_is_counted(source: Source, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world", "items": [1, 2, 3]}\n[1, 2]\n')
    events, stats = read(source, path)
    assert events == []
    assert stats.lines_unparsed == 3  # the object and both array items


def test_gzip_files_are_read_like_plain_ones(tmp_path: Path) -> None:
    path = tmp_path / "bodies.json.gz"
    path.write_bytes(gzip.compress((PAYLOADS / "opsgenie_lifecycle.ndjson").read_bytes()))
    events, _ = read(opsgenie.SOURCE, path)
    assert len(events) == 3


def test_a_missing_file_is_a_typed_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError) as caught:
        read(pagerduty.SOURCE, missing)
    assert str(missing) in str(caught.value)


def test_slack_on_a_folder_without_channels_or_a_broken_day_file(tmp_path: Path) -> None:
    events, stats = read(slack.SOURCE, tmp_path)
    assert events == []
    assert stats.notes == ["no channel folders with YYYY-MM-DD.json files found"]
    channel = tmp_path / "incident"
    channel.mkdir()
    (channel / "2024-03-01.json").write_text(
        '[{"type": "message", "ts": "1709302150.0", "text": "cut'
    )
    events, stats = read(slack.SOURCE, tmp_path)
    assert events == []
    assert stats.lines_unparsed == 1
