"""The `pm` command: a thin layer that parses flags, calls the library and prints."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from postmortems import __version__
from postmortems.cli import document, gather, lint, new
from postmortems.errors import PostmortemError
from postmortems.export.html import ExportSafetyError
from postmortems.markdown.format import FormatSafetyError

app = typer.Typer(
    name="pm",
    help="Blameless incident postmortems: gather evidence, draft, lint and share.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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


# In the order of the work: gather, draft, review, share.
app.command("gather")(gather.gather)
app.command("draft")(gather.draft)
app.command("note")(gather.note)
app.command("new")(new.new)
app.command("show")(document.show)
app.command("lint")(lint.lint)
app.command("fmt")(document.fmt)
app.command("render")(document.render)
app.command("schema")(document.schema)


_errors = Console(stderr=True, highlight=False, soft_wrap=True)


def main() -> None:
    try:
        app()
    except (FormatSafetyError, ExportSafetyError) as exc:
        # A refusal: writing would have lost content, so nothing was written.
        _errors.print(f"pm: refused: {exc}", markup=False)
        sys.exit(1)
    except PostmortemError as exc:
        _errors.print(f"pm: error: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        _errors.print("pm: interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so in one line; PM_DEBUG=1 shows the traceback
        if os.environ.get("PM_DEBUG"):
            raise
        _errors.print(
            f"pm: internal error: {type(exc).__name__}: {exc} (set PM_DEBUG=1 for details)",
            markup=False,
        )
        sys.exit(3)
