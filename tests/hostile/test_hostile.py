"""Every hostile case, as its own test: run under 20 s of CPU and 1 GiB, in a real process."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cases import Case, all_cases
from forkserver import ForkServer

RUN_ALL = os.environ.get("PM_HOSTILE") == "all"
CASES = [case for case in all_cases() if RUN_ALL or not case.slow]


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    running = ForkServer()
    yield running
    running.close()


def materialise(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content() if callable(content) else content)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_or_handled(
    case: Case, server: ForkServer, tmp_path: Path
) -> None:
    materialise(case, tmp_path)
    stdin = tmp_path / case.stdin if case.stdin else None
    # Judged on CPU time (20 s) and on blocking (no CPU at all for a while), never on the
    # wall clock, which other tests sharing the cores would stretch.
    outcome = server.run(list(case.argv), tmp_path, stdin)
    assert outcome.problems() == [], outcome.stderr[-2000:]
    assert outcome.exit_code in (0, 1, 2), outcome.stderr[-2000:]
    # Nothing from the input drives the terminal: standard error never carries an ESC, and
    # standard output only where a document is rendered as written.
    assert "\x1b" not in outcome.stderr and "\x9b" not in outcome.stderr
    if case.argv and case.argv[0] not in ("render",):
        assert "\x1b" not in outcome.stdout and "\x9b" not in outcome.stdout


def test_the_suite_is_big_enough() -> None:
    assert len(all_cases()) >= 100


def test_a_run_blocked_on_its_input_is_a_hang(server: ForkServer, tmp_path: Path) -> None:
    pipe = tmp_path / "never"
    os.mkfifo(pipe)
    writer = os.open(pipe, os.O_RDWR)  # an open writer that never writes: reads block
    try:
        outcome = server.run(["gather", "-", "--year", "2026"], tmp_path, pipe, idle=1.0)
    finally:
        os.close(writer)
    assert outcome.timed_out and outcome.wall_seconds < 30
    assert outcome.problems()[0].startswith("hang: killed after")


def test_cpu_time_of_a_busy_process_is_seen(tmp_path: Path) -> None:
    from forkserver import cpu_ticks

    before = cpu_ticks(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    after = cpu_ticks(os.getpid())
    assert before is not None and after is not None and after > before
