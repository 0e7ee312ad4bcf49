"""Text as editors save it (byte-order marks, CRLF), titles of any length, control bytes."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.table import Table

from postmortems.control_chars import count_controls, escape_controls
from postmortems.errors import InputError
from postmortems.evidence.sources._io import open_binary
from postmortems.markdown.note import append_note
from postmortems.markdown.parse import parse_file
from postmortems.slug import MAX_SLUG_CHARS, incident_id, slugify
from postmortems.terminal import SafeConsole

DOC = "# Database failover — “quoted”\n\n## Summary\n\nThe primary failed at 14:02.\n"


@pytest.mark.parametrize(
    ("codec", "mark"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_documents_with_a_byte_order_mark_are_read(tmp_path: Path, codec: str, mark: bytes) -> None:
    path = tmp_path / "pm.md"
    path.write_bytes(mark + DOC.encode(codec))
    pm = parse_file(path)
    assert pm.title == "Database failover — “quoted”"
    assert "14:02" in pm.sections[0].body


def test_broken_utf16_says_so(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_bytes(codecs.BOM_UTF16_LE + "# T\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(InputError, match="not valid UTF-16"):
        parse_file(path)


def test_binary_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        parse_file(path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_evidence_with_a_byte_order_mark_reads_as_utf8(tmp_path: Path, codec: str) -> None:
    lines = "".join(f"Mar 14 14:{m:02d}:00 web1 app[1]: request {m} failed\n" for m in range(3000))
    path = tmp_path / "app.log"
    path.write_bytes(lines.encode(codec))
    with open_binary(str(path)) as stream:
        assert stream.read() == lines.encode("utf-8")


def test_note_keeps_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    original = "# T\r\n\r\n## Timeline\r\n\r\n- 10:00 start\r\n\r\n## Impact\r\n\r\nNone.\r\n"
    path.write_bytes(original.encode())
    when = dt.datetime(2026, 3, 14, 10, 5, tzinfo=dt.UTC)
    line = append_note(path, "Paged the on-call", when)
    written = path.read_bytes().decode()
    assert written.count("\r\n") == original.count("\r\n") + 1
    assert "\n" not in written.replace("\r\n", "")  # no bare LF anywhere
    assert written.split("\r\n")[line - 1].endswith("Paged the on-call")
    assert written.replace(written.split("\r\n")[line - 1] + "\r\n", "") == original


def test_note_keeps_lf_and_makes_controls_visible(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# T\n\n## Timeline\n\n- 10:00 start\n")
    append_note(path, "log said \x1b[2Jgone", dt.datetime(2026, 3, 14, 10, 5, tzinfo=dt.UTC))
    written = path.read_text()
    assert "\r" not in written and "\x1b" not in written and "␛[2Jgone" in written


def test_long_titles_give_short_ids() -> None:
    ident = incident_id(dt.date(2026, 3, 14), "x" * 5000)
    assert len(ident) == len("2026-03-14-") + MAX_SLUG_CHARS
    assert slugify("Checkout errors after the config deploy") == "checkout-errors-config-deploy"
    assert len(slugify(" ".join(["incident"] * 50), max_words=50)) <= MAX_SLUG_CHARS


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_slugs_are_short_safe_file_names(title: str) -> None:
    slug = slugify(title)
    assert 0 < len(slug) <= MAX_SLUG_CHARS
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x200)))
def test_escaped_text_has_no_controls_but_keeps_lines(text: str) -> None:
    escaped = escape_controls(text)
    assert count_controls(escaped) == 0
    assert escaped.count("\n") == text.count("\n") and escaped.count("\t") == text.count("\t")
    assert len(escaped) == len(text)  # one visible symbol per control character


def test_console_shows_control_characters_as_symbols() -> None:
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, force_terminal=True, width=80, highlight=False)
    table = Table()
    table.add_column("event")
    table.add_row("db \x1b]0;owned\x07 \x9b2J")
    console.print("title \x1b[31mred")
    console.print(table)
    shown = buffer.getvalue()
    assert "␛[31mred" in shown and "␛]0;owned␇" in shown and "\x9b" not in shown
    assert "\x1b]0" not in shown and "\x1b[31mred" not in shown
