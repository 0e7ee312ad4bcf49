"""Bidirectional and C1 control characters in every output: nothing reorders what is shown.

A right-to-left override (U+202E) in a document or a log makes a reviewer read text in a
different order from the one stored. Each output decides once: JSON escapes them (valid
JSON that reads back the same), the terminal and HTML show them as ``<U+202E>``, `pm fmt`
keeps the author's bytes and `pm lint` warns (PM004).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from postmortems.cli.app import app
from postmortems.control_chars import (
    BIDI_CONTROLS,
    escape_bidi,
    escape_for_display,
    escape_hidden_in_json,
)
from postmortems.terminal import SafeConsole

RLO, LRI, PDI, NEL, CSI = "\u202e", "\u2066", "\u2069", "\u0085", "\u009b"
HIDDEN = re.compile(f"[\x80-\x9f\u2028\u2029{BIDI_CONTROLS}]")

DOCUMENT = (
    "# Disk full on db-2\n\n"
    "## Summary\n\n"
    f"The cleanup job ran as {RLO}user 01{PDI} and {LRI}deleted{PDI} logs{NEL} early {CSI}2J.\n\n"
    "## Timeline\n\n"
    f"- 10:00 UTC cron started {RLO}cleanup\n"
    "- 10:20 UTC disk alert fired\n"
)
SYSLOG = (
    f"Mar 14 10:00:01 db-2 cron[7]: started {RLO}cleanup{PDI} as root\n"
    f"Mar 14 10:00:02 db-2 cron[7]: deleted {NEL}old {CSI}logs\n"
)


def _pm(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _document(tmp_path: Path) -> Path:
    path = tmp_path / "doc.md"
    path.write_bytes(DOCUMENT.encode())
    return path


def _strings(value: object) -> str:
    """Every string inside a JSON value, joined: what a JSON reader gets back."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_strings(k) + " " + _strings(v) for k, v in value.items())
    if isinstance(value, list):
        return " ".join(map(_strings, value))
    return ""


def test_document_json_escapes_them_and_reads_back_the_same(tmp_path: Path) -> None:
    code, out, _ = _pm("render", str(_document(tmp_path)), "--to", "json")
    assert code == 0
    assert HIDDEN.search(out) is None
    assert "\\u202e" in out and "\\u0085" in out
    read_back = _strings(json.loads(out))
    assert f"{RLO}user 01{PDI}" in read_back and f"logs{NEL} early {CSI}2J" in read_back


def test_lint_json_and_sarif_escape_them(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    for fmt in ("json", "sarif"):
        code, out, _ = _pm("lint", str(doc), "--format", fmt)
        assert code == 1, fmt
        assert HIDDEN.search(out) is None, fmt
        json.loads(out)


def test_lint_warns_where_a_bidi_control_is(tmp_path: Path) -> None:
    code, out, _ = _pm("lint", str(_document(tmp_path)), "--select", "PM004")
    assert code == 0  # a warning
    found = re.findall(r"doc\.md:(\d+):(\d+) PM004 (.*)", out)
    assert [(line, column) for line, column, _ in found] == [("5", "24"), ("9", "26")]
    assert "4 invisible bidirectional controls (U+202E, U+2066, U+2069)" in found[0][2]


def test_lint_is_silent_without_them(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# T\n\n## Summary\n\nRight-to-left text: \u05e9\u05dc\u05d5\u05dd.\n")
    code, out, _ = _pm("lint", str(path), "--select", "PM004")
    assert code == 0 and "PM004" not in out


def test_fmt_keeps_the_authors_bytes(tmp_path: Path) -> None:
    doc = _document(tmp_path)
    code, _, err = _pm("fmt", str(doc))
    assert code == 0, err
    written = doc.read_text("utf-8")
    assert f"{RLO}user 01{PDI}" in written and f"{LRI}deleted{PDI}" in written
    assert f"logs{NEL} early {CSI}2J" in written


def test_html_shows_them_visibly(tmp_path: Path) -> None:
    code, out, _ = _pm("render", str(_document(tmp_path)), "--to", "html")
    assert code == 0
    assert HIDDEN.search(out) is None
    assert "&lt;U+202E&gt;user 01&lt;U+2069&gt;" in out


def test_gathered_evidence_shows_them_in_every_format(tmp_path: Path) -> None:
    log = tmp_path / "syslog"
    log.write_bytes(SYSLOG.encode())
    code, out, err = _pm("gather", str(log), "--year", "2026")
    assert code == 0, err
    assert HIDDEN.search(out) is None and "started <U+202E>cleanup<U+2069>" in out
    assert "2 bidirectional controls in the evidence" in err
    for fmt in ("json", "ndjson"):
        code, out, err = _pm("gather", str(log), "--year", "2026", "--format", fmt)
        assert code == 0, err
        assert HIDDEN.search(out) is None, fmt
        texts = [json.loads(line) for line in out.splitlines()] if fmt == "ndjson" else [out]
        read_back = " ".join(_strings(t if fmt == "ndjson" else json.loads(t)) for t in texts)
        assert f"{RLO}cleanup{PDI}" in read_back, fmt


def test_the_draft_shows_them(tmp_path: Path) -> None:
    log = tmp_path / "syslog"
    errors = [
        f"Mar 14 10:{m:02d}:00 db-2 app[9]: ERROR disk {RLO}full{PDI} {m}\n" for m in range(9)
    ]
    log.write_bytes("".join(errors).encode())
    draft = tmp_path / "draft.md"
    code, _, err = _pm("draft", str(log), "--year", "2026", "-o", str(draft))
    assert code == 0, err
    written = draft.read_text("utf-8")
    assert HIDDEN.search(written) is None and "ERROR disk <U+202E>full<U+2069>" in written


def test_terminal_shows_them_visibly() -> None:
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, force_terminal=True, width=200, highlight=False)
    console.print(f"ran as {RLO}user 01{PDI}", markup=False)
    assert buffer.getvalue().startswith("ran as <U+202E>user 01<U+2069>")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_json_escaping_is_lossless_and_hides_nothing(text: str) -> None:
    dumped = escape_hidden_in_json(json.dumps({text: [text]}, ensure_ascii=False))
    assert HIDDEN.search(dumped) is None
    assert json.loads(dumped) == {text: [text]}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_display_escaping_leaves_no_control_or_bidi(text: str) -> None:
    shown = escape_for_display(text)
    assert re.search(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]", shown) is None
    assert escape_bidi(text).count("<U+") - text.count("<U+") == sum(
        c in BIDI_CONTROLS for c in text
    )
