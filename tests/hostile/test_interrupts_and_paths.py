"""Interrupted writes, full disks, odd file names: nothing half-written, nothing left
behind, every message on one line."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import run_pm

BIG = "# Outage\n\n## Summary\n\n" + "".join(
    f"Paragraph {i} of the story.\n\n" for i in range(4000)
)
# Imports first, then says so on stderr: the signal lands while `pm` works, not while
# Python starts. Exit 99: it landed in the instant between "ready" and `main()`.
READY_THEN_PM = """
import sys
from postmortems.cli.app import main
sys.stderr.write("ready\\n")
sys.stderr.flush()
try:
    main()
except KeyboardInterrupt:
    sys.exit(99)  # (SIGTERM before `main` ends the process with -15: the test fails)
"""


def _interrupted(argv: list[str], delay: float, signum: int = signal.SIGINT) -> tuple[int, str]:
    with subprocess.Popen(
        [sys.executable, "-c", READY_THEN_PM, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        time.sleep(delay)
        process.send_signal(signum)
        err = process.stderr.read()
        return process.wait(timeout=120), err


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


STOPPED = {signal.SIGINT: "pm: interrupted", signal.SIGTERM: "pm: terminated"}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5, 1.0])
def test_an_interrupted_render_leaves_the_whole_page_or_nothing(
    tmp_path: Path, delay: float, signum: int
) -> None:
    source = tmp_path / "doc.md"
    source.write_text(BIG)
    out = tmp_path / "page.html"
    argv = ["render", str(source), "--format", "html", "-o", str(out)]
    code, err = _interrupted(argv, delay, signum)
    assert "Traceback" not in err
    if code == 0:
        assert out.read_text("utf-8").rstrip().endswith("</html>")
    elif code != 99:  # 99: the signal landed before `main` started
        # The shell's convention (128 + the signal), and one line that says why.
        assert (code, err.strip()) == (128 + signum, STOPPED[signum])
        assert not out.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_gather_says_why_and_leaves_no_temporary(tmp_path: Path, signum: int) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        "".join(
            f"2026-03-14T14:{i // 6000 % 60:02d}:{i // 100 % 60:02d}Z ERROR request {i} failed\n"
            for i in range(300_000)
        )
    )
    out = tmp_path / "timeline.md"
    code, err = _interrupted(["gather", str(log), "-o", str(out)], 0.3, signum)
    assert code in (128 + signum, 99), err
    if code != 99:
        assert err.strip().splitlines()[-1] == STOPPED[signum]
    assert "Traceback" not in err and not out.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("delay", [0.05, 0.3])
def test_an_interrupted_note_keeps_the_document_whole(tmp_path: Path, delay: float) -> None:
    doc = tmp_path / "live.md"
    before = BIG + "## Timeline\n\n- 10:00 start\n"
    doc.write_text(before)
    code, err = _interrupted(["note", "paged", "--at", "10:05", "--file", str(doc)], delay)
    assert "Traceback" not in err
    after = doc.read_text("utf-8")
    assert after == before or (code == 0 and after.startswith(before) and "paged" in after)
    assert _leftovers(tmp_path) == []


def test_a_file_name_with_a_newline_cannot_fake_a_finding(tmp_path: Path) -> None:
    name = "a.md:1:1 PM000 all clear\nb.md"
    (tmp_path / name).write_text("# T\n\n## Summary\n\nShort.\n")
    result = run_pm("lint", name, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith("a.md:1:1 PM000 all clear␊b.md:") for line in lines[:-1])
    assert lines[-1].startswith("Found ")


def test_errors_about_odd_file_names_stay_on_one_line(tmp_path: Path) -> None:
    for args in (["show", "no\nsuch.md"], ["lint", "no\nsuch.md"], ["render", "x\n.md"]):
        result = run_pm(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "␊" in result.stderr


def test_dot_dot_paths_are_read_and_written_where_they_point(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "docs" / "doc.md").write_text("# T\n\n## Summary\n\nShort.\n")
    result = run_pm("render", "../docs/doc.md", "--format", "json", "-o", "../out/doc.json",
                    cwd=tmp_path / "out")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "doc.json").read_text().startswith("{")


@pytest.mark.skipif(not Path("/proc/mounts").exists(), reason="needs Linux")
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tiny)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        doc = tiny / "live.md"
        doc.write_text("# Live\n\n## Timeline\n\n- 10:00 start\n")
        before = doc.read_bytes()
        with contextlib.suppress(OSError):  # fills the disk to the last byte
            (tiny / "filler").write_bytes(b"\0" * (128 * 1024))
        noted = run_pm("note", "paged", "--at", "10:05", "--file", str(doc))
        rendered = run_pm("render", str(doc), "--format", "html", "-o", str(tiny / "p.html"))
        for result in (noted, rendered):
            assert result.returncode == 2
            assert "No space left on device" in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
        assert doc.read_bytes() == before
        assert sorted(p.name for p in tiny.iterdir()) == ["filler", "live.md"]
    finally:
        subprocess.run(["umount", str(tiny)], check=False)
