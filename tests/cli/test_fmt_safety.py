"""`pm fmt` and `pm render` as a user runs them: links, refusals, nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postmortems.cli.app import app
from postmortems.markdown import format
from support import run_pm

UNTIDY = "# Outage\n\n## Summary\nWords.\n\n[ref]: https://example.org/r\n"


def test_fmt_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "outage.md"
    target.parent.mkdir()
    target.write_text(UNTIDY)
    link = tmp_path / "outage.md"
    link.symlink_to(Path("docs") / "outage.md")
    result = run_pm("fmt", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("docs") / "outage.md")
    assert (
        target.read_text() == "# Outage\n\n## Summary\n\nWords.\n\n[ref]: https://example.org/r\n"
    )


def test_render_output_through_a_symlink_keeps_it(tmp_path: Path) -> None:
    source = tmp_path / "outage.md"
    source.write_text(UNTIDY)
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "out.html"
    link.symlink_to(target)
    result = run_pm("render", str(source), "--to", "html", "-o", str(link), "--force")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and "https://example.org/r" not in target.read_text()
    assert "Words." in target.read_text()


def test_fmt_refuses_with_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = format.render_markdown
    monkeypatch.setattr(
        format,
        "render_markdown",
        lambda pm, template=None: real(pm, template).replace("ref]", "x]"),
    )
    path = tmp_path / "outage.md"
    path.write_text(UNTIDY)
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## Summary\nFine.\n")
    result = CliRunner().invoke(app, ["fmt", str(path), str(other)])
    assert result.exit_code == 1
    refusals = [line for line in result.stderr.splitlines() if line.startswith("pm: refused:")]
    assert refusals == [
        f"pm: refused: {path}:6: formatting would lose the link definition "
        "'[ref]: https://example.org/r'; left unchanged"
    ]
    assert path.read_text() == UNTIDY  # untouched
    assert other.read_text() == "# Other\n\n## Summary\n\nFine.\n"  # the others go on


def test_render_md_refuses_what_fmt_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = format.render_markdown
    monkeypatch.setattr(
        format, "render_markdown", lambda pm, template=None: real(pm, template).replace("Words", "")
    )
    path = tmp_path / "outage.md"
    path.write_text(UNTIDY)
    out = tmp_path / "out.md"
    result = CliRunner().invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code != 0 and not out.exists()


def test_html_needs_no_loss_only_not_a_fixed_point(tmp_path: Path) -> None:
    """An H1 section with ## headings inside: fmt refuses (its inner headings would move a
    level), yet nothing would be lost, so the HTML page is made."""
    path = tmp_path / "tool.md"
    path.write_text(
        "# Widget Tool\n\nA tool.\n\n# Library\n\n## Install\n\nRun it.\n\n## Usage\n\nCall it.\n"
    )
    assert run_pm("fmt", "--check", str(path)).returncode == 1
    result = run_pm("render", str(path), "--to", "html")
    assert result.returncode == 0, result.stderr
    assert "Install" in result.stdout and "Call it." in result.stdout
