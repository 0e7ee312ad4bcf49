"""The `pm` command as a user runs it: a real process, real files, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support import run_pm

EXAMPLE = Path(__file__).parents[2] / "examples" / "checkout-outage.md"


pm = run_pm


def test_show_prints_lifecycle_timeline_and_actions() -> None:
    result = pm("show", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Checkout API errors after a connection pool change" in out
    assert "2026-03-14 14:02" in out and "47m" in out  # started, and the impact duration
    assert "Timeline (10 entries)" in out
    assert "tnowak" in out


def test_render_html_is_standalone_and_sanitised(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text(
        "# T\n\n## Summary\n\nHello <script>alert(1)</script> <b onclick='x()'>bold</b>\n"
    )
    out = tmp_path / "x.html"
    result = pm("render", str(source), "--to", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<script" not in html and "onclick" not in html and "<b>bold</b>" in html
    assert pm("render", str(source), "--to", "html", "-o", str(out)).returncode == 2  # no --force


def test_render_json_matches_schema_shape() -> None:
    result = pm("render", str(EXAMPLE), "--to", "json")
    data = json.loads(result.stdout)
    assert data["lifecycle"]["started_at"] == "2026-03-14T14:02:00Z"
    schema = json.loads(pm("schema").stdout)
    assert set(data) <= set(schema["properties"])


def test_fmt_check_then_fmt_then_check_again(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Title\n=====\n\nSummary\n-------\n\nText.\n\n## Timeline\n\n* 2024-01-02 10:00 UTC - start\n"
    )
    first = pm("fmt", "--check", str(doc))
    assert first.returncode == 1 and "would reformat" in first.stdout
    assert pm("fmt", str(doc)).returncode == 0
    assert doc.read_text().startswith("# Title\n\n## Summary\n\nText.\n")
    again = pm("fmt", "--check", str(doc))
    assert again.returncode == 0, again.stdout


def test_new_creates_then_refuses_to_overwrite(tmp_path: Path) -> None:
    result = pm("new", "--title", "Login failures after cert rotation", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [created] = list(tmp_path.glob("*.md"))
    assert created.name.endswith("-login-failures-cert-rotation.md")
    assert "TODO" in created.read_text()
    before = created.read_text()
    refused = pm("new", str(created), "--title", "Other")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert created.read_text() == before
    assert pm("show", str(created)).returncode == 0


@pytest.mark.parametrize("template", ["google", "pagerduty"])
def test_new_with_other_templates_parses_cleanly(tmp_path: Path, template: str) -> None:
    target = tmp_path / "pm.md"
    assert pm("new", str(target), "--template", template).returncode == 0
    assert pm("fmt", "--check", str(target)).returncode in (0, 1)
    assert pm("show", str(target)).returncode == 0


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bad_inputs_get_one_clear_line(tmp_path: Path) -> None:
    assert "no such file" in _one_clear_line(pm("show", str(tmp_path / "missing.md")))
    assert "directory" in _one_clear_line(pm("show", str(tmp_path)))
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x00\x01\x02binary")
    assert "binary" in _one_clear_line(pm("show", str(binary)))
    latin = tmp_path / "l.md"
    latin.write_bytes("# Caf\xe9\n\nok\n".encode("latin-1"))
    assert "UTF-8" in _one_clear_line(pm("show", str(latin)))
    broken = tmp_path / "f.md"
    broken.write_text("---\ntitle: x\nseverity: [unclosed\n---\n# T\n")
    line = _one_clear_line(pm("show", str(broken)))
    assert f"{broken}:" in line and "front matter" in line


def test_empty_file_shows_with_a_warning(tmp_path: Path) -> None:
    empty = tmp_path / "e.md"
    empty.write_text("")
    result = pm("show", str(empty))
    assert result.returncode == 0
    assert "empty" in result.stdout


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    entry = "- **2024-01-01 10:00 UTC**: something happened on a host with a long description\n"
    big.write_text("# Big\n\n## Timeline\n\n" + entry * (50 * 1024 * 1024 // len(entry)))
    assert "too large" in _one_clear_line(pm("show", str(big)))


def test_new_from_your_own_template_file(tmp_path: Path) -> None:
    template = tmp_path / "ours.md"
    template.write_text(
        "---\nid: {{ id }}\nteam: payments\n---\n\n# {{ title }}\n\n## Summary\n\nTODO\n"
    )
    target = tmp_path / "out.md"
    result = pm("new", str(target), "--template", str(template), "--title", "Card declines")
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert "# Card declines" in text and "team: payments" in text and "-card-declines" in text
    broken = tmp_path / "broken.md"
    broken.write_text("# {{ title }\n")
    assert "template" in _one_clear_line(
        pm("new", str(tmp_path / "x.md"), "--template", str(broken))
    )
    assert "no such template" in _one_clear_line(
        pm("new", str(tmp_path / "y.md"), "--template", "nope")
    )
