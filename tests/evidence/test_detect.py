from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from postmortems.errors import InputError
from postmortems.evidence import detect
from postmortems.evidence.sources import _io, all_sources, get_source
from postmortems.evidence.sources.base import ReadStats

LOGS = Path(__file__).parents[1] / "fixtures" / "evidence" / "logs"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("syslog_3164.log", "syslog"),
        ("syslog_3164.log.gz", "syslog"),
        ("syslog_5424.log", "syslog"),
        ("journal.json", "journald"),
        ("journal_short_iso.log", "journald"),
        ("app.jsonl", "jsonlines"),
        ("app.logfmt", "logfmt"),
        ("access.log", "access_log"),
        ("access_common.log", "access_log"),
    ],
)
def test_format_is_sniffed_from_content(name: str, expected: str) -> None:
    source = detect.detect(str(LOGS / name))
    assert source is not None and source.name == expected


def test_type_override_and_unknown_type() -> None:
    source = detect.detect(str(LOGS / "app.jsonl"), "logfmt")
    assert source is not None and source.name == "logfmt"
    with pytest.raises(InputError, match="unknown evidence type 'nope'"):
        get_source("nope")


def test_registry_lists_the_log_sources() -> None:
    assert {"syslog", "journald", "jsonlines", "logfmt", "access_log"} <= set(all_sources())


def test_a_folder_of_mixed_files(tmp_path: Path) -> None:
    for name in ("syslog_3164.log", "binary.bin", "empty.log", "access.log"):
        shutil.copy(LOGS / name, tmp_path / name)
    (tmp_path / ".hidden").write_text("x")
    inputs = {Path(i.path).name: i for i in detect.expand([str(tmp_path)])}
    assert set(inputs) == {"syslog_3164.log", "binary.bin", "empty.log", "access.log"}
    assert inputs["binary.bin"].source is None and inputs["binary.bin"].skipped
    assert "binary" in inputs["binary.bin"].skipped
    assert inputs["empty.log"].skipped == "empty"
    assert inputs["access.log"].source is not None


def test_a_slack_export_folder_is_one_input(tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "incident").mkdir(parents=True)
    (export / "channels.json").write_text("[]")
    (export / "users.json").write_text("[]")
    (export / "incident" / "2024-03-14.json").write_text("[]")
    inputs = detect.expand([str(tmp_path)])
    assert [i.path for i in inputs] == [str(export)]


def test_missing_path_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        detect.expand([str(LOGS / "absent.log")])


def test_stdin_is_sniffed_then_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (LOGS / "syslog_3164.log").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    source = detect.detect("-")
    assert source is not None and source.name == "syslog"
    lines = [raw for _, raw in _io.numbered_lines("-", ReadStats("-", "syslog"))]
    assert b"".join(lines) == data


def test_decode_never_raises() -> None:
    assert _io.decode(b"caf\xc3\xa9\r\n") == "café"
    assert _io.decode(b"caf\xe9\xff\n") == "café\xff"
