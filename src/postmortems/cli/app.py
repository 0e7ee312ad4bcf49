"""The `pm` command: a thin layer that parses flags, calls the library and prints."""

from __future__ import annotations

import os
import sys

import typer

from postmortems import __version__
from postmortems.cli import document, gather, lint, new
from postmortems.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PostmortemError,
)
from postmortems.markdown.format import FormatSafetyError
from postmortems.terminal import stderr_console

app = typer.Typer(
    name="pm",
    help="Blameless incident postmortems: gather evidence, draft, lint and share.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: flags show as flags (not `--force <bool>`) and paragraphs are wrapped
    # to the terminal instead of breaking where the source lines break.
    rich_markup_mode=None,
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


_errors = stderr_console()


def main() -> None:
    try:
        app()
    except FormatSafetyError as exc:
        # A refusal, not a crash: the file is left exactly as it was.
        _errors.print(f"pm: error: {exc}", markup=False)
        sys.exit(EXIT_FINDINGS)
    except PostmortemError as exc:
        _errors.print(f"pm: error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except OSError as exc:
        # The environment refused (a name too long, a full disk, no permission): not a bug.
        where = f"{exc.filename}: " if exc.filename else ""
        _errors.print(f"pm: error: {where}{exc.strerror or exc}", markup=False)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _errors.print("pm: interrupted", markup=False)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug of ours: say so in one line; PM_DEBUG=1 shows the traceback
        if os.environ.get("PM_DEBUG"):
            raise
        _errors.print(
            f"pm: internal error: {type(exc).__name__}: {exc} (set PM_DEBUG=1 for details)",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)
