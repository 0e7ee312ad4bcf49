"""`pm note` read without Typer: whatever the plain reader accepts, Typer reads the same
way; whatever it declines, Typer reads (help, mistakes and unusual spellings stay Typer's)."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.cli.app import COMMANDS, QUICK_COMMANDS
from postmortems.cli.quick import NOTE_FLAGS, QUICK, note_arguments
from postmortems.cli.typer_app import _SETTINGS
from support import run_pm

EXAMPLE = Path(__file__).parents[2] / "examples" / "checkout-outage.md"


def typer_arguments(name: str, args: list[str]) -> dict[str, Any] | None:
    """What the Typer command passes to its function for ``args``; None if it refuses."""
    module, attribute, _summary = COMMANDS[name]
    original = getattr(importlib.import_module(module), attribute)
    seen: dict[str, Any] = {}

    @functools.wraps(original)
    def capture(**kwargs: Any) -> None:
        seen.update(kwargs)

    single = typer.Typer(**_SETTINGS)
    single.command(name)(capture)
    command = typer.main.get_command(single)
    try:
        command.main(args, prog_name="pm note", standalone_mode=False)
    except Exception:  # Typer's refusals (usage errors, Exit, Abort) all count as one
        return None
    return seen


def quick_arguments(args: list[str]) -> dict[str, Any] | None:
    values = NOTE_FLAGS.read(args)
    return note_arguments(values) if values is not None else None


def _typer_note(args: list[str]) -> dict[str, Any] | None:
    seen = typer_arguments("note", args)
    if seen is None:
        return None
    # The Typer function hands these on to add_note under the same names.
    return {k: seen[k] for k in ("text", "file", "old_file", "at", "phase")}


@pytest.mark.parametrize(
    "args",
    [
        ["Paged the on-call"],
        ["Rolled back", "--phase", "mitigate", "--file", "incident.md"],
        ["--file=incident.md", "--at=14:05", "Restarted the pool"],
        ["-f", "old.md", "Scaled up"],
        ["Page sent", "--at", "2026-03-14T09:02:00+01:00"],
    ],
)
def test_plain_flags_are_read_as_typer_reads_them(args: list[str]) -> None:
    quick = quick_arguments(args)
    assert quick is not None
    assert quick == _typer_note(args)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        [],
        ["one", "two"],
        ["x", "--phase", "Mitigate"],
        ["x", "--phase", "over"],
        ["x", "--file"],
        ["x", "--file", "a.md", "--file", "b.md"],
        ["x", "--fil", "a.md"],
        ["--", "-dash first"],
        ["x", "--at", "-5"],
        ["x", "-fa.md"],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_arguments(args) is None


TOKENS = st.sampled_from(
    [
        *["--file", "-f", "--at", "--phase", "--help", "--", "-", "--file=", "--at=10:00", "-x"],
        *["--phase=detect", "--phase=DETECT", "mitigate", "resolve", "end", "a.md", "x y", ""],
        *["14:05", "-1", "--fil", "=", "é", "note text"],
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS | st.text(max_size=8), max_size=6))
def test_generated_command_lines_read_alike(args: list[str]) -> None:
    quick = quick_arguments(args)
    if quick is not None:
        assert quick == _typer_note(args)


def test_note_with_plain_flags_behaves_as_before(tmp_path: Path) -> None:
    document = tmp_path / "incident.md"
    document.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_pm("note", "Paged the database on-call", "--at", "09:40", "--file", str(document))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"added to {document}:")
    assert "09:40 UTC**: Paged the database on-call" in document.read_text(encoding="utf-8")
    missing = run_pm("note", "x", "--file", str(tmp_path / "absent.md"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("pm: error:") and "no such file" in missing.stderr


VALUES = st.sampled_from(["a.md", "dir/b.md", "é.md", "10:00", "mitigate", "detect", "x y"])
PAIRS = st.tuples(
    st.sampled_from(["--file", "-f", "--at", "--phase"]), VALUES | st.text(max_size=6)
)


@settings(max_examples=100, deadline=None)
@given(st.lists(PAIRS, max_size=3), st.text(max_size=10), st.integers(0, 3), st.booleans())
def test_generated_plain_command_lines_read_alike(
    pairs: list[tuple[str, str]], text: str, where: int, joined: bool
) -> None:
    args: list[str] = []
    for flag, value in pairs:
        args += [f"{flag}={value}"] if joined and flag.startswith("--") else [flag, value]
    args.insert(min(where, len(args)), text)
    quick = quick_arguments(args)
    if quick is not None:
        assert quick == _typer_note(args)


def test_every_quick_command_is_routed_to_the_quick_reader() -> None:
    assert set(QUICK) == QUICK_COMMANDS
