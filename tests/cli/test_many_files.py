"""`pm lint DIR` and `pm fmt --check DIR` over many documents: on every core, with the same
output, in the same order, as one process gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from postmortems.parallel import map_in_order
from support import run_pm

REPO = Path(__file__).parents[2]
SOURCES = [
    *sorted((REPO / "tests" / "fixtures" / "documents").glob("*.md")),
    *sorted((REPO / "tests" / "fixtures" / "lint").glob("*.md")),
    REPO / "examples" / "checkout-outage.md",
]


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """40 documents in nested folders (and one hidden folder that must be left alone)."""
    root = tmp_path / "postmortems"
    for index in range(40):
        source = SOURCES[index % len(SOURCES)]
        target = root / f"team-{index % 3}" / f"{index:03d}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    hidden = root / ".drafts" / "scratch.md"
    hidden.parent.mkdir()
    hidden.write_text("not a postmortem\n")
    return root


def test_lint_dir_on_all_cores_equals_one_process(many: Path) -> None:
    parallel = run_pm("lint", str(many), "--format", "json", "--jobs", "2")
    serial = run_pm("lint", str(many), "--format", "json", "--jobs", "1")
    assert parallel.returncode == serial.returncode == 1, parallel.stderr
    assert parallel.stdout == serial.stdout
    report = json.loads(parallel.stdout)
    paths = [entry["path"] for entry in report["files"]]
    assert len(paths) == 40 and ".drafts" not in "".join(paths)
    assert paths == sorted(paths)  # in the order of the files, as one process reports them
    assert report["summary"]["error"] > 0


def test_lint_dir_reports_an_unreadable_file_among_many(many: Path) -> None:
    (many / "team-0" / "broken.md").write_bytes(b"\x00\x01binary\xff")
    result = run_pm("lint", str(many), "--jobs", "2")
    assert result.returncode == 2
    assert "broken.md" in result.stderr


def test_fmt_check_accepts_a_directory(many: Path) -> None:
    parallel = run_pm("fmt", "--check", str(many), "--jobs", "2")
    serial = run_pm("fmt", "--check", str(many), "--jobs", "1")
    assert parallel.returncode == serial.returncode == 1, parallel.stderr
    assert parallel.stdout == serial.stdout
    assert "would reformat" in parallel.stdout and "is a directory" not in parallel.stderr
    assert "40 unchanged" not in parallel.stderr and "unchanged" in parallel.stderr


def test_fmt_dir_then_check_is_clean(many: Path) -> None:
    assert run_pm("fmt", str(many)).returncode == 0
    again = run_pm("fmt", "--check", str(many))
    assert again.returncode == 0, again.stdout
    assert "0 files would be reformatted, 40 unchanged" in again.stderr


def test_fmt_refuses_a_pattern_that_matches_nothing(tmp_path: Path) -> None:
    result = run_pm("fmt", "--check", str(tmp_path / "nothing-*.md"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "matches no file" in result.stderr


def _square(number: int) -> int:
    return number * number


def test_map_in_order_keeps_order_and_raises_what_a_worker_raised() -> None:
    numbers = list(range(100))
    assert list(map_in_order(_square, numbers, jobs=2)) == [n * n for n in numbers]
    with pytest.raises(ZeroDivisionError):
        list(map_in_order(lambda n: 1 // (n - 50), numbers, jobs=2))
