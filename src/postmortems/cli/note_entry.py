"""What `pm note` does once its flags are read: find the time, add the line, say where.

Free of Typer, so that `pm note` with plain flags starts without it (`cli/quick.py`);
the Typer command in `cli/note.py` calls the same function.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from postmortems import times
from postmortems.control_chars import count_controls, escape_for_display
from postmortems.errors import InputError
from postmortems.markdown.note import append_note
from postmortems.model import Phase

DEFAULT_FILE = Path("postmortem.md")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_note(
    text: str,
    file: Path = DEFAULT_FILE,
    old_file: Path | None = None,
    at: str | None = None,
    phase: Phase | None = None,
) -> None:
    if old_file is not None:
        # -f means --format in every other command; it is kept here only for old scripts.
        _say("pm: warning: -f is deprecated in `pm note`; use --file")
        file = old_file
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if at is not None:
        parsed = times.parse_datetime(at, default_tz=dt.UTC)
        if parsed is None:
            match = times.match_leading_timestamp(at)
            if match is None or match.time is None or match.rest:
                raise InputError(f"--at: cannot read '{at}' as a time")
            parsed = dt.datetime.combine(when.date(), match.time, tzinfo=match.tz or dt.UTC)
        when = parsed
    if count_controls(text):
        _say("pm: warning: control characters in the note are written as symbols")
    line = append_note(file, text, when, phase)
    _say(escape_for_display(f"added to {file}:{line}"))
