"""Helpers shared by the tests: the optional third-party corpus, and running `pm`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The folder with third-party material for evaluation (absent on most machines)."""
    configured = os.environ.get("POSTMORTEMS_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def corpus(*parts: str) -> Path:
    """A path under the shared corpus; the test is skipped when it is not there."""
    folder = shared_dir().joinpath("corpus", *parts)
    if not folder.exists():
        pytest.skip("shared corpus not available")
    return folder


def evidence_corpus(*parts: str) -> Path:
    return corpus("evidence", *parts)


def run_pm(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`pm` in a real process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-c", "from postmortems.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )
