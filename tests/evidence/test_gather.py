"""The gather pipeline, with small fake sources so each behaviour is pinned down."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postmortems.errors import InputError
from postmortems.evidence.collapse import Collapser
from postmortems.evidence.detect import Input
from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.gather import (
    GatherOptions,
    Pipeline,
    Progress,
    gather,
)
from postmortems.evidence.sources.base import ReadOptions, ReadStats, Source

T0 = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@dataclass
class JsonEventsSource:
    """Reads files whose lines are {"m": minute, "kind": ..., "text": ..., ...}."""

    name: str = "fake-json"
    description: str = "test events"

    def sniff(self, head: bytes, path: str) -> float:
        return 1.0 if head.startswith(b"{") else 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        for n, line in enumerate(Path(path).read_text().splitlines(), 1):
            stats.lines_read += 1
            try:
                raw = json.loads(line)
            except json.JSONDecodeError:
                stats.unparsed(n, line)
                continue
            attrs = {
                k: v for k, v in raw.items() if k not in {"m", "kind", "text", "level", "actor"}
            }
            for key in ("client_ids", "error_client_ids"):
                if key in attrs:
                    attrs[key] = frozenset(attrs[key])
            yield Event(
                time=T0 + raw["m"] * MIN,
                source=self.name,
                kind=EventKind(raw["kind"]),
                text=raw.get("text", ""),
                level=Level(raw["level"]) if "level" in raw else None,
                actor=raw.get("actor"),
                ref=f"{path}:{n}",
                attrs=attrs,
            )


@dataclass
class FolderSource:
    """Claims folders holding a marker file, like a Slack export."""

    name: str = "fake-folder"
    description: str = "a folder read as one"

    def sniff(self, head: bytes, path: str) -> float:
        return 1.0 if (Path(path) / "users.json").exists() else 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        yield Event(T0 + 30 * MIN, self.name, EventKind.CHAT, "pinned", attrs={"pinned": True})


FAKES: list[Source] = [JsonEventsSource(), FolderSource()]


def expand(path: str, forced: str | None) -> list[Input]:
    """Like detect.expand for one path, with the fake sources."""
    if not Path(path).exists():
        raise InputError("no such file or directory", path)
    if forced:
        return [Input(path, next((s for s in FAKES if s.name == forced), None), "unknown type")]
    if Path(path).is_dir():
        if FAKES[1].sniff(b"", path):
            return [Input(path, FAKES[1])]
        children = sorted(p for p in Path(path).iterdir() if not p.name.startswith("."))
        return [item for child in children for item in expand(str(child), forced)]
    head = Path(path).read_bytes()[:1024]
    source = next((s for s in FAKES if s.sniff(head, path) > 0.5), None)
    return [Input(path, source, None if source else "format not recognised")]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


class EmailRedactor:
    def __init__(self, options: GatherOptions) -> None:
        self.counts: dict[str, int] = {}

    def redact(self, text: str) -> str:
        clean, n = _EMAIL.subn("<email>", text)
        if n:
            self.counts["email"] = self.counts.get("email", 0) + n
        return clean

    def replace_whole(self, text: str, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"<{kind}>"


FAKE_PIPELINE = Pipeline(expand=expand, collapser_factory=Collapser, redactor_factory=EmailRedactor)


def write_events(path: Path, rows: list[dict[str, object]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def incident_rows() -> list[dict[str, object]]:
    """Two hours of traffic with an outage from minute 40 to 60, and the usual evidence."""
    rows: list[dict[str, object]] = []
    for m in range(120):
        bad = 40 <= m < 60
        rows.append(
            {
                "m": m,
                "kind": "traffic",
                "requests": 100,
                "errors": 30 if bad else (1 if m % 7 == 0 else 0),
                "client_ids": ["10.0.0.1", "10.0.0.2"],
                "error_client_ids": ["10.0.0.2"] if bad else [],
            }
        )
    for m in range(40, 60):
        for _ in range(5):
            rows.append(
                {"m": m, "kind": "log", "level": "error", "text": f"upstream timed out {m}"}
            )
    rows += [
        {"m": 35, "kind": "deploy", "text": "deploy checkout", "actor": "ops@example.com"},
        {"m": 42, "kind": "alert", "text": "HighErrorRate firing", "status": "firing"},
        {"m": 44, "kind": "page", "text": "triggered", "state": "triggered"},
        {"m": 30, "kind": "chat", "text": "near the incident", "pinned": False},
        {"m": 200, "kind": "chat", "text": "long after, pinned", "pinned": True},
        {"m": 230, "kind": "chat", "text": "long after, not pinned", "pinned": False},
    ]
    return rows


def test_pipeline_merges_sorts_collapses_and_finds_the_window(tmp_path: Path) -> None:
    path = write_events(tmp_path / "events.jsonl", incident_rows())
    result = gather([path], pipeline=FAKE_PIPELINE)

    assert (result.window.start, result.window.end) == (T0 + 40 * MIN, T0 + 60 * MIN)
    times = [e.time for e in result.events]
    assert times == sorted(times)
    logs = [e for e in result.events if e.kind is EventKind.LOG]
    assert len(logs) == 1 and logs[0].count == 100  # 100 "upstream timed out" lines, one entry
    kinds = {e.kind for e in result.events}
    assert {EventKind.DEPLOY, EventKind.ALERT, EventKind.PAGE, EventKind.CHAT} <= kinds
    assert EventKind.TRAFFIC not in kinds
    assert len(result.traffic) == 120
    chat = sorted(e.text for e in result.events if e.kind is EventKind.CHAT)
    assert chat == ["long after, pinned", "near the incident"]
    [stats] = result.stats
    assert (stats.source, stats.events) == ("fake-json", len(incident_rows()))
    assert result.exit_code() == 0


def test_redaction_reaches_actors_and_is_counted(tmp_path: Path) -> None:
    path = write_events(tmp_path / "e.jsonl", incident_rows())
    result = gather([path], pipeline=FAKE_PIPELINE)
    deploy = next(e for e in result.events if e.kind is EventKind.DEPLOY)
    assert deploy.actor == "<email>"
    assert result.redactions == {"email": 1}
    addresses = {i for e in result.traffic for i in e.attrs["client_ids"]}  # type: ignore[attr-defined]
    assert addresses == {"client-1", "client-2"}

    raw = gather([path], GatherOptions(redact=False), pipeline=FAKE_PIPELINE)
    assert next(e for e in raw.events if e.kind is EventKind.DEPLOY).actor == "ops@example.com"
    assert raw.redactions == {}


def test_unparsed_line_examples_are_redacted(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text('{"m": 1, "kind": "log", "text": "x"}\n{not json from bob@corp.example\n')
    result = gather([str(path)], pipeline=FAKE_PIPELINE)
    [stats] = result.stats
    assert stats.lines_unparsed == 1
    assert stats.unparsed_examples == [(2, "{not json from <email>")]


def test_since_and_until_cut_the_timeline_and_set_the_window(tmp_path: Path) -> None:
    path = write_events(tmp_path / "e.jsonl", incident_rows())
    since, until = T0 + 41 * MIN, T0 + 50 * MIN
    result = gather([path], GatherOptions(since=since, until=until), pipeline=FAKE_PIPELINE)
    assert (result.window.start, result.window.end) == (since, until)
    assert all(since <= e.time < until for e in result.traffic)
    assert [e.kind for e in result.events if e.kind is not EventKind.LOG] == [
        EventKind.ALERT,
        EventKind.PAGE,
    ]


def test_folders_are_walked_and_a_recognised_folder_is_one_input(tmp_path: Path) -> None:
    export = tmp_path / "evidence" / "slack"
    export.mkdir(parents=True)
    (export / "users.json").write_text("[]")
    write_events(tmp_path / "evidence" / "a.jsonl", incident_rows()[:3])
    (tmp_path / "evidence" / ".hidden").write_text("{}")
    (tmp_path / "evidence" / "notes.txt").write_text("not evidence")
    result = gather([str(tmp_path / "evidence")], pipeline=FAKE_PIPELINE)
    assert sorted(Path(s.path).name for s in result.stats) == ["a.jsonl", "slack"]
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'evidence' / 'notes.txt'}: format not recognised"
    ]


def test_nothing_usable_is_an_error_exit(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_text("hello\n")
    result = gather(
        [str(tmp_path / "junk.txt"), str(tmp_path / "missing.log")], pipeline=FAKE_PIPELINE
    )
    assert not result.usable
    assert result.exit_code() == 2
    assert all(isinstance(e, InputError) for e in result.errors)
    assert "no such file or directory" in str(result.errors[1])


def test_type_override_forces_the_source(tmp_path: Path) -> None:
    path = tmp_path / "events.txt"
    path.write_text('{"m": 3, "kind": "deploy", "text": "forced"}\n')
    result = gather([str(path)], GatherOptions(source_type="fake-json"), pipeline=FAKE_PIPELINE)
    assert [e.text for e in result.events] == ["forced"]


def test_progress_reports_each_finished_input(tmp_path: Path) -> None:
    a = write_events(tmp_path / "a.jsonl", incident_rows()[:10])
    b = write_events(tmp_path / "b.jsonl", incident_rows()[:5])
    seen: list[Progress] = []
    gather([a, b], progress=seen.append, pipeline=FAKE_PIPELINE)
    finished = [p for p in seen if p.finished_input]
    assert [(p.input_index, p.events) for p in finished] == [(0, 10), (1, 5)]
    total = Path(a).stat().st_size + Path(b).stat().st_size
    assert finished[-1].bytes_done == finished[-1].bytes_total == total


@pytest.mark.parametrize("bad", [b"\x00\x01\x02binary", b""])
def test_bad_inputs_never_raise(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(bad)
    result = gather([str(path)], pipeline=FAKE_PIPELINE)
    assert result.exit_code() == 2


def test_real_sources_read_a_folder_of_mixed_evidence(tmp_path: Path) -> None:
    """The default pipeline: detection, the real sources, collapsing and redaction."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "syslog").write_text(
        "".join(
            f"Feb  3 10:{m:02d}:{s:02d} app-1 api[7]: upstream request failed for bob@corp.example\n"
            for m in range(40, 45)
            for s in range(0, 60, 10)
        )
    )
    (folder / "empty.log").write_text("")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 4)
    result = gather([str(folder)], GatherOptions(year=2026))
    assert [Path(s.path).name for s in result.stats] == ["syslog"]
    assert sorted(Path(e.path or "").name for e in result.errors) == ["blob.bin", "empty.log"]
    [entry] = result.events  # thirty identical failures collapse into one entry
    assert entry.count == 30
    assert entry.time == datetime(2026, 2, 3, 10, 40, tzinfo=UTC)
    assert "bob@corp.example" not in entry.text
    assert result.redactions.get("email", 0) >= 1
    assert result.exit_code() == 0


FIXTURE_ACCESS_LOG = Path(__file__).resolve().parents[1] / "fixtures" / "analysis" / "access.log"


def test_gzipped_and_plain_inputs_give_the_same_result(tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "access.log.gz"
    packed.write_bytes(gzip.compress(FIXTURE_ACCESS_LOG.read_bytes()))
    plain = gather([str(FIXTURE_ACCESS_LOG)])
    unpacked = gather([str(packed)])
    assert [e.attrs["requests"] for e in unpacked.traffic] == [
        e.attrs["requests"] for e in plain.traffic
    ]
    assert (unpacked.window.start, unpacked.window.end) == (plain.window.start, plain.window.end)


def test_stdin_is_read_as_an_input(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = FIXTURE_ACCESS_LOG.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    seen: list[Progress] = []
    result = gather(["-"], progress=seen.append)
    assert result.stats[0].path == "-"
    assert sum(e.attrs["requests"] for e in result.traffic) == data.count(b"\n")  # type: ignore[misc]
    assert seen[-1].bytes_total is None  # size unknown: the bar shows events, not bytes


def test_unknown_type_is_reported_not_raised() -> None:
    result = gather([str(FIXTURE_ACCESS_LOG)], GatherOptions(source_type="no-such-format"))
    assert result.exit_code() == 2
    assert "unknown evidence type 'no-such-format'" in str(result.errors[0])


def test_a_reader_that_crashes_costs_only_its_own_input(tmp_path: Path) -> None:
    class Broken:
        name = "broken"
        description = "always fails"

        def sniff(self, head: bytes, path: str) -> float:
            return 1.0

        def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
            raise ValueError("unexpected byte")
            yield  # pragma: no cover

    good = write_events(tmp_path / "good.jsonl", incident_rows())
    bad = tmp_path / "bad.txt"
    bad.write_text("x\n")

    def expand_with_broken(path: str, forced: str | None) -> list[Input]:
        return [Input(path, Broken())] if path == str(bad) else expand(path, forced)

    pipeline = dataclasses.replace(FAKE_PIPELINE, expand=expand_with_broken)
    result = gather([str(bad), good], pipeline=pipeline)
    assert result.exit_code() == 0
    assert [str(e) for e in result.errors] == [
        f"{bad}: the broken reader failed: ValueError: unexpected byte"
    ]
