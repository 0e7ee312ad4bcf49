"""`pm note` and `pm lint` started without Typer when their flags are plain.

Typer builds a whole command (and a pydantic validator per flag) before it runs it:
more than `pm note` itself takes. The commands people run many times a minute are read
here instead when every flag is spelled plainly: ``--name value``, ``--name=value`` or a
short ``-x value``, each single-valued flag at most once, no value that starts with ``-``,
and only names and choices the command has. Anything else (``--help``, a typo, ``--``, a
missing value) returns None and the Typer command reads it, so help and usage errors are
always Typer's own. A test checks, on generated command lines, that what is read here is
exactly what the Typer command would pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlainFlags:
    """What a command accepts, in the subset read without Typer."""

    positional: str  # the parameter the positional arguments go to
    one_positional: bool  # exactly one (`pm note TEXT`), else any number (`pm lint PATH…`)
    values: dict[str, str]  # flag -> parameter taking one value

    def read(self, args: Sequence[str]) -> dict[str, object] | None:
        """The parameters named on the command line, or None when it is not plain."""
        if any("\x00" in arg for arg in args):
            return None  # Typer's path checks refuse a NUL: its message, not ours
        found: dict[str, object] = {}
        positionals: list[str] = []
        index = 0
        while index < len(args):
            token = args[index]
            if not token or token == "-" or token == "--":
                return None
            if not token.startswith("-"):
                positionals.append(token)
                index += 1
                continue
            flag, equals, value = token.partition("=")
            if flag.startswith("--") and equals:
                index += 1
            elif equals or index + 1 >= len(args):
                return None  # `-x=v`, or a flag with its value missing
            else:
                value = args[index + 1]
                index += 2
            name = self.values.get(flag)
            if name is None or name in found or not value or value.startswith("-"):
                return None
            found[name] = value
        if self.one_positional and len(positionals) != 1:
            return None
        found[self.positional] = positionals[0] if self.one_positional else positionals
        return found


NOTE_FLAGS = PlainFlags(
    positional="text",
    one_positional=True,
    values={"--file": "file", "-f": "old_file", "--at": "at", "--phase": "phase"},
)


def note_arguments(values: dict[str, object]) -> dict[str, object] | None:
    """The arguments of `add_note` for plainly read flags; None for a phase it lacks."""
    from postmortems.cli.note_entry import DEFAULT_FILE
    from postmortems.model import Phase

    phase = values.get("phase")
    if phase is not None and phase not in set(Phase):
        return None
    return {
        "text": values["text"],
        "file": Path(str(values["file"])) if "file" in values else DEFAULT_FILE,
        "old_file": Path(str(values["old_file"])) if "old_file" in values else None,
        "at": values.get("at"),
        "phase": Phase(str(phase)) if phase is not None else None,
    }


def _note(arguments: dict[str, object]) -> None:
    from postmortems.cli.note_entry import add_note

    add_note(**arguments)  # type: ignore[arg-type]


Arguments = Callable[[dict[str, object]], dict[str, object] | None]
QUICK: dict[str, tuple[PlainFlags, Arguments, Callable[[dict[str, object]], None]]] = {
    "note": (NOTE_FLAGS, note_arguments, _note),
}


def run_quickly(args: Sequence[str]) -> bool:
    """Run ``pm ARGS`` here if its flags are plain (then exit as Typer would); False if not."""
    if not args or args[0] not in QUICK:
        return False
    flags, arguments_of, run = QUICK[args[0]]
    values = flags.read(args[1:])
    arguments = arguments_of(values) if values is not None else None
    if arguments is None:
        return False
    run(arguments)  # a signal that stops it is reported by `cli.app.main`, as for Typer's
    sys.exit(0)
