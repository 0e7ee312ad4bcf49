"""Every hostile case, as its own test: run under 20 s of CPU and 1 GiB, in a real process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cases import Case, all_cases
from forkserver import ForkServer

RUN_ALL = os.environ.get("PM_HOSTILE") == "all"
# CPU time is capped at 20 s in the child; the wall clock only catches runs that block
# (a FIFO, a lock), so it is generous here, where other tests share the cores.
WALL_SECONDS = 90.0
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
    outcome = server.run(list(case.argv), tmp_path, stdin, timeout=WALL_SECONDS)
    assert outcome.problems() == [], outcome.stderr[-2000:]
    assert outcome.exit_code in (0, 1, 2), outcome.stderr[-2000:]
    # Nothing from the input drives the terminal: standard error never carries an ESC, and
    # standard output only where a document is rendered as written.
    assert "\x1b" not in outcome.stderr and "\x9b" not in outcome.stderr
    if case.argv and case.argv[0] not in ("render",):
        assert "\x1b" not in outcome.stdout and "\x9b" not in outcome.stdout


def test_the_suite_is_big_enough() -> None:
    assert len(all_cases()) >= 100
