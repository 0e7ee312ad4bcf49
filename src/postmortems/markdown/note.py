"""`pm note`: add one timestamped entry to a postmortem's timeline during an incident.

The entry is inserted as a line after the timeline's last line, so the rest of the
document is left exactly as written. Several people may note at once: each holds an
exclusive lock on the document's folder while it reads, inserts and atomically replaces.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from postmortems import times
from postmortems.control_chars import escape_controls
from postmortems.errors import InputError
from postmortems.files import folder_lock, write_atomic
from postmortems.markdown.parse import parse_text, read_text
from postmortems.markdown.phases import CANONICAL_TAG
from postmortems.markdown.render import display_zone
from postmortems.model import Phase, SectionKind

_LINE_END = re.compile(r"\r\n|\r|\n")
_LIST_LINE = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s")


def entry_line(text: str, when: dt.datetime, phase: Phase | None, zone: dt.tzinfo) -> str:
    words = escape_controls(" ".join(text.split()))
    if not words:
        raise InputError("the note is empty")
    tag = f"[{CANONICAL_TAG[phase]}] " if phase else ""
    return f"- **{times.format_timestamp(when, zone)}**: {tag}{words}"


def append_note(path: Path, text: str, when: dt.datetime, phase: Phase | None = None) -> int:
    """Insert the entry; returns its 1-based line number in the file."""
    if not path.exists():
        raise InputError("no such file (start one with `pm new`)", str(path))
    with folder_lock(path):
        original = read_text(path)
        pm = parse_text(original, str(path))
        zone = display_zone(pm) or dt.UTC
        entry = entry_line(text, when, phase, zone)
        # Lines as the parser counts them (CRLF, CR and LF all end one), each with its own
        # end kept, so a Windows-edited document stays CRLF and nothing else changes.
        lines = _LINE_END.split(original)
        ends = _LINE_END.findall(original)
        newline = ends[0] if ends else "\n"
        if lines and lines[-1] == "":
            lines.pop()
        ends += [newline] * (len(lines) - len(ends))
        timeline = pm.section(SectionKind.TIMELINE)
        if timeline is None:
            insert_at = len(lines)
            new = ["", "## Timeline", "", entry] if lines else ["## Timeline", "", entry]
        elif timeline.body_line is None:
            insert_at = (timeline.line or len(lines)) if timeline.line else len(lines)
            new = ["", entry]
        else:
            insert_at = timeline.body_line - 1 + timeline.body.count("\n") + 1
            last = lines[insert_at - 1] if insert_at else ""
            new = [entry] if _LIST_LINE.match(last) else ["", entry]
        lines[insert_at:insert_at] = new
        ends[insert_at:insert_at] = [newline] * len(new)
        write_atomic(path, "".join(map(str.__add__, lines, ends)), overwrite=True)
        return insert_at + len(new)
