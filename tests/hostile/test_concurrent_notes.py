"""Fifty people noting at once, by the file's name and through a link: no line is lost."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from postmortems.markdown.note import append_note
from postmortems.markdown.parse import parse_file


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
