"""Fifty people noting at once, by the file's name and through a link, and formatting while
others note: no line is lost."""

from __future__ import annotations

import contextlib
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from postmortems.errors import ChangedMeanwhileError
from postmortems.files import rewrite_in_place
from postmortems.markdown.format import format_text
from postmortems.markdown.note import append_note
from postmortems.markdown.parse import parse_file, read_text


def test_fifty_notes_at_once_are_all_kept(tmp_path: Path) -> None:
    doc = tmp_path / "live.md"
    doc.write_text("# Live\n\n## Timeline\n\n- **2026-01-05 10:00 UTC**: start\n")
    (tmp_path / "shared").mkdir()
    link = tmp_path / "shared" / "live.md"  # the same document, from another folder
    link.symlink_to(Path("..") / doc.name)
    when = dt.datetime(2026, 1, 5, 10, 5, tzinfo=dt.UTC)

    def note(i: int) -> int:
        return append_note(link if i % 2 else doc, f"note number {i}", when)

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(note, range(50)))
    texts = [e.text for e in parse_file(doc).timeline]
    assert sorted(texts[1:]) == sorted(f"note number {i}" for i in range(50))
    assert link.is_symlink()


def test_a_note_added_while_formatting_is_kept_and_the_format_refused(tmp_path: Path) -> None:
    doc = tmp_path / "live.md"
    doc.write_text("# Live\n\n## Timeline\n\n*   **2026-01-05 10:00 UTC**: start\n")
    was = read_text(doc)
    formatted = format_text(was, str(doc))
    assert formatted != was
    # Someone notes between fmt's read and its write.
    append_note(doc, "paged the database team", dt.datetime(2026, 1, 5, 10, 5, tzinfo=dt.UTC))
    with pytest.raises(ChangedMeanwhileError, match="changed while"):
        rewrite_in_place(doc, was, formatted, read_text, "it was being formatted")
    assert "paged the database team" in doc.read_text()


def test_notes_and_formatting_at_once_lose_no_note(tmp_path: Path) -> None:
    doc = tmp_path / "live.md"
    doc.write_text("# Live\n\n## Timeline\n\n*   **2026-01-05 10:00 UTC**: start\n")
    when = dt.datetime(2026, 1, 5, 10, 5, tzinfo=dt.UTC)

    def note(i: int) -> None:
        append_note(doc, f"note number {i}", when)

    def fmt(_: int) -> None:
        was = read_text(doc)
        with contextlib.suppress(ChangedMeanwhileError):  # refused: a note came first
            rewrite_in_place(doc, was, format_text(was, str(doc)), read_text, "formatting")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: (note if i % 2 else fmt)(i), range(60)))
    texts = [e.text for e in parse_file(doc).timeline]
    assert sorted(texts[1:]) == sorted(f"note number {i}" for i in range(1, 60, 2))
