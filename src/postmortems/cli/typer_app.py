"""The Typer application behind `pm`: the group, its `--version`, and each command built
from its module's signature when it runs (the list lives in `cli/app.py`)."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from postmortems import __version__
from postmortems.cli.app import COMMANDS

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
