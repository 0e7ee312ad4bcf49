"""The `pm` command: a thin layer that parses flags, calls the library and prints.

Commands load on demand: `pm note` must not pay for importing the evidence readers, nor
`pm lint` for the draft code. Each command is named here with the module that holds it
and the one-line summary `pm --help` lists, so listing the commands imports none of them
(a test checks that each summary matches its command's own help).

The commands people run many times a minute (`pm note`, `pm lint FILE`) start without
Typer when their flags are plain (`cli/quick.py`); anything else (help, a mistake, an
unusual spelling of a flag) goes through the Typer app in `cli/typer_app.py`, which
gives the same result for plain flags and the only messages for everything else.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from postmortems.cli.stopping import Stopped, stop_on_signals
from postmortems.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ExportSafetyError,
    FormatSafetyError,
    PostmortemError,
)

if TYPE_CHECKING:
    from typer.core import TyperCommand

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


# Commands `cli/quick.py` may run without Typer (it is not even imported for the others).
QUICK_COMMANDS = frozenset({"note"})


def load_command(name: str) -> TyperCommand:
    """The full command ``name``: its module imported, its flags read from its signature."""
    from postmortems.cli.typer_app import load_command as load

    return load(name)


def __getattr__(name: str) -> Any:
    # `app`, the Typer application, is built only when something asks for it.
    if name == "app":
        from postmortems.cli.typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _say_error(message: str) -> None:
    # Rich is only imported when there is something to say; control characters in a file
    # name or a quoted input are shown as symbols, never sent to the terminal.
    from postmortems.control_chars import one_line
    from postmortems.terminal import stderr_console

    stderr_console().print(one_line(message), markup=False)


def main() -> None:
    stop_on_signals()
    try:
        ran = False
        if len(sys.argv) > 1 and sys.argv[1] in QUICK_COMMANDS:
            from postmortems.cli.quick import run_quickly

            ran = run_quickly(sys.argv[1:])
        if not ran:
            from postmortems.cli.typer_app import app

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
    except Stopped as exc:
        _say_error(f"pm: {exc.reason}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # a Ctrl-C before the handler was set
        _say_error("pm: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug of ours: say so in one line; PM_DEBUG=1 shows the traceback
        if os.environ.get("PM_DEBUG"):
            raise
        _say_error(f"pm: internal error: {type(exc).__name__}: {exc} (set PM_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)
