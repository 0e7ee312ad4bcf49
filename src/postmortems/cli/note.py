"""`pm note`: add one line to a postmortem's timeline while the incident is on.

Kept apart from the evidence commands so that it starts fast: many people may note at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from postmortems import times
from postmortems.control_chars import count_controls, escape_for_display
from postmortems.errors import InputError
from postmortems.markdown.note import append_note
from postmortems.model import Phase


def note(
    text: str = typer.Argument(..., help="What happened, in a sentence."),
    file: Path = typer.Option(Path("postmortem.md"), "--file", help="The postmortem to add to."),
    old_file: Path | None = typer.Option(None, "-f", hidden=True, help="Old name of --file."),
    at: str | None = typer.Option(
        None, "--at", help="When (default: now). ISO 8601, or HH:MM in UTC today."
    ),
    phase: Phase | None = typer.Option(None, "--phase", help="Mark a lifecycle phase."),
) -> None:
    """Append a timestamped entry to a postmortem's timeline, safely even when others do too.

    Example: pm note "Rolled back config release 2026.03.14-2" --phase mitigate --file incident.md
    """
    if old_file is not None:
        # -f means --format in every other command; it is kept here only for old scripts.
        typer.echo("pm: warning: -f is deprecated in `pm note`; use --file", err=True)
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
        typer.echo("pm: warning: control characters in the note are written as symbols", err=True)
    line = append_note(file, text, when, phase)
    typer.echo(escape_for_display(f"added to {file}:{line}"), err=True)
