"""The `pm` command: a thin layer that parses flags, calls the library and prints.

Commands load on demand: `pm note` must not pay for importing the evidence readers, nor
`pm lint` for the draft code. Each command is named here with the module that holds it
and the one-line summary `pm --help` lists, so listing the commands imports none of them
(a test checks that each summary matches its command's own help).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from postmortems import __version__
from postmortems.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ExportSafetyError,
    FormatSafetyError,
    PostmortemError,
)

# In the order of the work: gather, draft, review, share.
# name: (module, function, summary shown by `pm --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "gather": (
        "postmortems.cli.gather",
        "gather",
        "Merge raw evidence into one sorted, collapsed, redacted timeline.",
    ),
    "draft": (
        "postmortems.cli.gather",
        "draft",
        "Draft a complete postmortem from raw evidence; only human judgement is left as TODO.",
    ),
    "note": (
        "postmortems.cli.note",
        "note",
        "Append a timestamped entry to a postmortem's timeline, safely even when others do too.",
    ),
    "new": (
        "postmortems.cli.new",
        "new",
        "Start a new postmortem with today's date and TODO placeholders.",
    ),
    "show": (
        "postmortems.cli.document",
        "show",
        "Show a postmortem in the terminal: lifecycle with durations, timeline, action items.",
    ),
    "lint": (
        "postmortems.cli.lint",
        "lint",
        "Lint postmortems: missing sections, durations that contradict the timeline, blame, "
        "vague action items, unquantified impact, shallow root causes.",
    ),
    "fmt": (
        "postmortems.cli.document",
        "fmt",
        "Rewrite postmortems in canonical form, like a code formatter.",
    ),
    "render": (
        "postmortems.cli.document",
        "render",
        "Render a postmortem as canonical Markdown, JSON, or a standalone HTML page.",
    ),
    "schema": (
        "postmortems.cli.document",
        "schema",
        "Print the JSON Schema of `pm render --to json`: the postmortem model and its metrics.",
    ),
}
_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    # Plain help: flags show as flags (not `--force <bool>`) and paragraphs are wrapped to
    # the terminal instead of breaking where the source lines break.
    "rich_markup_mode": None,
}


def load_command(name: str) -> typer.core.TyperCommand:
    """The full command ``name``: its module imported, its flags read from its signature."""
    module, attribute, _summary = COMMANDS[name]
    single = typer.Typer(**_SETTINGS)
    single.command(name)(getattr(importlib.import_module(module), attribute))
    command = typer.main.get_command(single)
    assert isinstance(command, TyperCommand)
    return command


class _LazyGroup(TyperGroup):
    """A group that imports a command's module only when that command runs or shows help."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # the group's help needs names and summaries only
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests close names from the loaded commands: make them all known first.
        if args and args[0] not in COMMANDS:
            self.commands.update({name: self.get_command(ctx, name) for name in COMMANDS})
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="pm",
    help="Blameless incident postmortems: gather evidence, draft, lint and share.",
    no_args_is_help=True,
    cls=_LazyGroup,
    **_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postmortems {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Blameless incident postmortems: gather evidence, draft, lint and share."""


def _say_error(message: str) -> None:
    # Rich is only imported when there is something to say; control characters in a file
    # name or a quoted input are shown as symbols, never sent to the terminal.
    from postmortems.control_chars import one_line
    from postmortems.terminal import stderr_console

    stderr_console().print(one_line(message), markup=False)


def main() -> None:
    try:
        app()
    except (FormatSafetyError, ExportSafetyError) as exc:
        # A refusal: writing would have lost content, so nothing was written.
        _say_error(f"pm: refused: {exc}")
        sys.exit(exc.exit_code)
    except PostmortemError as exc:
        _say_error(f"pm: error: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:
        # The environment refused (a name too long, a full disk, no permission): not a bug.
        where = f"{exc.filename}: " if exc.filename else ""
        _say_error(f"pm: error: {where}{exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _say_error("pm: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug of ours: say so in one line; PM_DEBUG=1 shows the traceback
        if os.environ.get("PM_DEBUG"):
            raise
        _say_error(f"pm: internal error: {type(exc).__name__}: {exc} (set PM_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)
