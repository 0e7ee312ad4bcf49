"""`pm note`: add one line to a postmortem's timeline while the incident is on.

Kept apart from the evidence commands so that it starts fast: many people may note at once.
The work is in `cli/note_entry.py`, which `pm note` with plain flags runs without Typer.
"""

from __future__ import annotations

from pathlib import Path

import typer

from postmortems.cli.note_entry import DEFAULT_FILE, add_note
from postmortems.model import Phase


def note(
    text: str = typer.Argument(..., help="What happened, in a sentence."),
    file: Path = typer.Option(DEFAULT_FILE, "--file", help="The postmortem to add to."),
    old_file: Path | None = typer.Option(None, "-f", hidden=True, help="Old name of --file."),
    at: str | None = typer.Option(
        None, "--at", help="When (default: now). ISO 8601, or HH:MM in UTC today."
    ),
    phase: Phase | None = typer.Option(None, "--phase", help="Mark a lifecycle phase."),
) -> None:
    """Append a timestamped entry to a postmortem's timeline, safely even when others do too.

    Example: pm note "Rolled back config release 2026.03.14-2" --phase mitigate --file incident.md
    """
    add_note(text, file, old_file, at, phase)
