"""Fuzzing the reader and the command line with generated Markdown: no exception escapes.

Documents are assembled from fragments people (and attackers) write: front matter, headings
of every form, timelines, tables, HTML, control characters, byte-order marks. The parser
either reads them or refuses with a PostmortemError; the commands end with 0, 1 or 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.cli.app import main
from postmortems.errors import PostmortemError
from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown

FRAGMENTS = [
    "---",
    "...",
    "title: Outage",
    "date: 2026-02-30",
    "a: &a [*a]",
    "b: &b [1, 2]",
    "c: *b",
    "timezone: GMT-25",
    "# Checkout errors",
    "## Timeline",
    "## Action Items",
    "## Impact",
    "Summary",
    "=======",
    "-------",
    "**Root cause**: a bad config",
    "- 10:00 start [detected]",
    "- 2026-03-14 23:59 UTC late",
    "- 00:05 after midnight (resolved)",
    "- [ ] fix it @ana due 2026-13-45",
    "| time | event |",
    "|---|---|",
    "| 10:00 | page |",
    "<script>alert(1)</script>",
    "<div>",
    "```",
    "> quoted",
    "    indented code",
    "[ref]: https://example.com",
    "\x1b[2J\x1b]0;x\x07",
    "\u009b31m",
    "\ufeff",
    "\r",
    "",
    "  - nested",
    "1. first",
    "Z\u0300\u0301",
]

documents = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map(
    "\n".join
)


@settings(max_examples=150, deadline=None)
@given(documents)
def test_the_reader_reads_or_refuses(text: str) -> None:
    try:
        pm = parse_text(text, "fuzz.md")
    except PostmortemError:
        return
    render_markdown(pm)


COMMANDS = [
    ("show", "doc.md"),
    ("lint", "doc.md"),
    ("fmt", "--check", "doc.md"),
    ("render", "doc.md", "--format", "json"),
    ("render", "doc.md", "--format", "html"),
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=documents, command=st.sampled_from(COMMANDS))
def test_commands_end_with_a_known_exit_code(
    text: str,
    command: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "doc.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["pm", *command])
    with pytest.raises(SystemExit) as ended:
        main()
    captured = capsys.readouterr()
    assert ended.value.code in (0, 1, 2, None), captured.err
    assert "internal error" not in captured.err
