"""Evidence that is awkward to read: pipes, broken links, truncated archives, a plain log
next to syslog. Each once crashed, hung or was silently misread."""

from __future__ import annotations

import gzip
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortems.evidence.collapse import collapse
from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.output import render_gathered
from postmortems.evidence.sources import _io
from support import run_pm

INCIDENT = Path(__file__).parents[2] / "examples" / "incident"
PLAIN = (
    "2026-03-14T14:00:00Z ERROR upstream timed out after 30s\n"
    "2026-03-14T14:00:05Z INFO retrying request 42\n"
    "2026-03-14T14:00:09Z WARN pool exhausted\n"
)


def _messages(errors: list[object]) -> str:
    return "\n".join(str(e) for e in errors)


def test_a_plain_log_next_to_syslog_does_not_crash(tmp_path: Path) -> None:
    plain = tmp_path / "app.log"
    plain.write_text(PLAIN)
    untagged = tmp_path / "untagged.log"
    untagged.write_text(
        "".join(
            f"Mar 14 14:{n:02d}:01 web-1 line {word} without a program tag\n"
            for n, word in enumerate(
                ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
            )
        )
    )
    result = gather([str(plain), str(untagged), str(INCIDENT / "syslog")])
    assert result.exit_code() == 0
    assert not result.errors, _messages(result.errors)
    assert any(e.ref and e.ref.startswith(str(plain)) for e in result.events)


def test_a_plain_log_is_not_read_as_syslog_with_a_level_for_host(tmp_path: Path) -> None:
    plain = tmp_path / "app.log"
    plain.write_text(PLAIN)
    result = gather([str(plain)])
    assert [s.source for s in result.stats] == ["generic"]
    assert all(e.host != "ERROR" for e in result.events)
    assert {str(e.level) for e in result.events} == {"error", "info", "warning"}


def test_a_pipe_in_a_folder_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "app.log").write_text((INCIDENT / "syslog").read_text())
    os.mkfifo(tmp_path / "pipe")
    started = time.monotonic()
    result = gather([str(tmp_path)])
    assert time.monotonic() - started < 20
    assert result.exit_code() == 0
    assert "named pipe" in _messages(result.errors)


def test_a_pipe_named_directly_is_read_once_in_full(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    text = (INCIDENT / "syslog").read_text()

    def write() -> None:
        with open(pipe, "w") as stream:
            stream.write(text)

    writer = threading.Thread(target=write)
    writer.start()
    result = gather([str(pipe)])
    writer.join(timeout=10)
    assert result.exit_code() == 0, _messages(result.errors)
    assert result.stats[0].lines_read == len(text.splitlines())


def test_a_pipe_nobody_writes_to_is_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_io, "PIPE_WAIT_SECONDS", 0.2)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = gather([str(pipe)])
    assert result.exit_code() == 2
    assert "no writer" in _messages(result.errors)


@pytest.mark.parametrize(
    ("make_link", "reason"),
    [
        (lambda folder: (folder / "gone").symlink_to(folder / "missing.log"), "broken symbolic"),
        (lambda folder: (folder / "loop").symlink_to(folder / "loop"), "symbolic link loop"),
        (lambda folder: (folder / "up").symlink_to(folder), None),
    ],
)
def test_bad_links_in_a_folder_cost_only_themselves(
    tmp_path: Path, make_link: object, reason: str | None
) -> None:
    (tmp_path / "app.log").write_text((INCIDENT / "syslog").read_text())
    make_link(tmp_path)  # type: ignore[operator]
    result = gather([str(tmp_path)])
    assert result.exit_code() == 0
    assert len(result.stats) == 1  # the log, read once even through a link back up
    if reason:
        assert reason in _messages(result.errors)


def test_a_truncated_gzip_is_read_up_to_the_break_with_a_warning(tmp_path: Path) -> None:
    whole = gzip.compress((INCIDENT / "syslog").read_bytes())
    cut = tmp_path / "syslog.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    result = run_pm("gather", str(cut))
    assert result.returncode == 0, result.stderr
    assert "truncated gzip" in result.stderr and "warning" in result.stderr
    assert "Traceback" not in result.stderr


def test_collapsing_lines_with_and_without_a_program_does_not_crash() -> None:
    when = datetime(2026, 3, 14, 14, 0, tzinfo=UTC)
    events = [
        Event(when, "syslog", EventKind.LOG, "no program here", Level.INFO, service=None),
        Event(when, "syslog", EventKind.LOG, "from sshd", Level.INFO, service="sshd"),
        Event(when, "syslog", EventKind.LOG, "again no program", Level.INFO, service=None),
    ]
    assert sorted(e.text for e in collapse(events)) == sorted(e.text for e in events)


def test_syslog_variants_name_their_program_and_host(tmp_path: Path) -> None:
    log = tmp_path / "messages"
    log.write_text(
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=host-7\n"
        "Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: link state changed port 11\n"
        "Jul  1 09:01:05 calvisitor-10-105-160-95 Google Chrome Helper[361]: renderer hung\n"
        "Jul  1 09:01:07 LabSZ CRON: (root) CMD (run-parts /etc/cron.hourly)\n"
    )
    result = gather([str(log)], GatherOptions(year=2026))
    labels = sorted((e.host, e.service) for e in result.events)
    assert labels == [
        ("LabSZ", "CRON"),
        ("calvisitor-10-105-160-95", "Google Chrome Helper"),
        ("calvisitor-10-105-160-95", "kernel"),
        ("combo", "sshd(pam_unix)"),
    ]
    timeline = render_gathered(result, "md")
    assert "log combo sshd(pam_unix): authentication failure" in timeline
    assert "log LabSZ CRON: (root) CMD" in timeline
