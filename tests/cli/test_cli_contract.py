"""What every command promises: exit codes, one-line errors, the same flags everywhere,
outputs that go where asked, refusals before any work, nothing that drives the terminal."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from support import REPO, run_pm

pm = run_pm
EXAMPLE = REPO / "examples" / "checkout-outage.md"
INCIDENT = REPO / "examples" / "incident"


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("pm") and "error" in lines[0]
    assert "Traceback" not in stderr
    return lines[0]


def test_exit_codes_table(tmp_path: Path) -> None:
    """The table in docs/cli.md, row by row."""
    assert pm("show", str(EXAMPLE)).returncode == 0
    lint_findings = tmp_path / "thin.md"
    lint_findings.write_text("# Outage\n\n## Summary\n\nSomething broke.\n")
    assert pm("lint", str(lint_findings)).returncode == 1
    missing = pm("show", str(tmp_path / "missing.md"))
    assert missing.returncode == 2 and "no such file" in _one_error_line(missing.stderr)
    assert pm("render", str(EXAMPLE), "--format", "pdf").returncode == 2
    docs = (REPO / "docs" / "cli.md").read_text()
    for code in ("0", "1", "2", "3", "130", "143"):
        assert re.search(rf"^\| `{code}` \|", docs, re.MULTILINE), (
            f"exit code {code} not documented"
        )


def test_lint_of_a_missing_file_prints_the_error_alone(tmp_path: Path) -> None:
    result = pm("lint", "missing.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such file" in _one_error_line(result.stderr)
    assert result.stdout == ""  # not also "No findings in 0 files"


def test_fmt_refusal_is_not_an_internal_error(tmp_path: Path) -> None:
    """A document fmt cannot format without loss is refused with exit 1, left as it was."""
    tricky = tmp_path / "tricky.md"
    # Reference-style link definitions are content the canonical form may not keep.
    tricky.write_text("# T\n\n## Summary\n\nSee [the PR][pr].\n\n[pr]: https://example.com/pr/1\n")
    before = tricky.read_bytes()
    result = pm("fmt", str(tricky))
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    if result.returncode == 1:
        assert tricky.read_bytes() == before


def test_output_dash_and_dev_stdout_mean_standard_output(tmp_path: Path) -> None:
    for target in ("-", "/dev/stdout"):
        result = pm("render", str(EXAMPLE), "--format", "json", "-o", target, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("{") and '"lifecycle"' in result.stdout
    assert list(tmp_path.iterdir()) == []
    written = pm("new", "-", "--title", "Disk full")
    assert written.returncode == 0 and written.stdout.startswith("---\nid: ")


def test_existing_output_is_refused_before_the_work(tmp_path: Path) -> None:
    existing = tmp_path / "out.md"
    existing.write_text("mine\n")
    # The input does not exist: a refusal before the work names the output, not the input.
    for argv in (
        ["render", "nowhere.md", "-o", str(existing)],
        ["gather", "nowhere.log", "-o", str(existing)],
        ["draft", "nowhere.log", "-o", str(existing)],
        ["lint", "nowhere.md", "-o", str(existing)],
    ):
        result = pm(*argv, cwd=tmp_path)
        assert result.returncode == 2, argv
        line = _one_error_line(result.stderr)
        assert "out.md" in line and "--force" in line, argv
    assert existing.read_text() == "mine\n"
    forced = pm("lint", str(EXAMPLE), "-o", str(existing), "--force", "--format", "json")
    assert forced.returncode in (0, 1) and existing.read_text().startswith("{")


def test_one_flag_means_one_thing(tmp_path: Path) -> None:
    assert pm("render", str(EXAMPLE), "-f", "json").stdout.startswith("{")
    assert pm("render", str(EXAMPLE), "--to", "json").stdout.startswith("{")  # kept as an alias
    gathered = pm("gather", str(INCIDENT / "alertmanager.json"), "-f", "ndjson")
    assert gathered.returncode == 0 and gathered.stdout.startswith("{")
    doc = tmp_path / "pm.md"
    doc.write_text("# T\n\n## Timeline\n\n- 10:00 start\n")
    assert pm("note", "Paged", "--file", str(doc), "--at", "10:05").returncode == 0
    old = pm("note", "Acked", "-f", str(doc), "--at", "10:06")
    assert old.returncode == 0 and "deprecated" in old.stderr and "--file" in old.stderr
    assert "Paged" in doc.read_text() and "Acked" in doc.read_text()


def test_help_shows_flags_as_flags_and_whole_sentences() -> None:
    for command in ("render", "lint", "gather", "draft", "new", "fmt", "note", "show"):
        result = pm(command, "--help", cwd=None)
        assert result.returncode == 0
        assert "<bool>" not in result.stdout, command
        assert "Example:" in result.stdout, command
    lint_help = pm("lint", "--help").stdout
    # The exit-status sentence is wrapped as one paragraph, not cut where the source breaks.
    assert "1 error-level findings (or, with" in " ".join(lint_help.split())


def test_new_with_a_huge_title(tmp_path: Path) -> None:
    result = pm("new", "--title", "x" * 5000, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [created] = tmp_path.glob("*.md")
    assert len(created.name) < 100
    assert "x" * 5000 in created.read_text()


def test_no_control_characters_reach_the_terminal_or_the_draft(tmp_path: Path) -> None:
    doc = tmp_path / "pm.md"
    doc.write_text(
        "# Outage \x1b]0;owned\x07\n\n## Timeline\n\n- 10:00 start \x1b[2J\n\n"
        "## Action Items\n\n- [ ] fix \x9b31m @ana\n"
    )
    shown = pm("show", str(doc))
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\x9b" not in shown.stdout and "␛[2J" in shown.stdout
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for name in ("alertmanager.json", "access.log"):
        (evidence / name).write_bytes((INCIDENT / name).read_bytes())
    log = evidence / "syslog"
    log.write_text(
        "".join(
            f"Mar 14 14:{m:02d}:00 web1 app[7]: error \x1b[31mconnection refused\x1b[0m {m}\n"
            for m in range(0, 40)
        )
    )
    draft = tmp_path / "draft.md"
    drafted = pm("draft", str(evidence), "-o", str(draft), "--year", "2026")
    assert drafted.returncode == 0, drafted.stderr
    assert "\x1b" not in drafted.stderr and "\x1b" not in draft.read_text()
    gathered = pm("gather", str(log), "--year", "2026")
    assert "\x1b" not in gathered.stdout + gathered.stderr
    assert "␛[31mconnection refused" in gathered.stdout
    assert "control character" in gathered.stderr  # it says what it rewrote


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = pm("render", str(EXAMPLE), "-o", str(locked / "x.md"))
    assert result.returncode == 2 and "cannot write" in _one_error_line(result.stderr)
