"""Typed errors carrying where the problem is; the CLI turns them into one line."""

from __future__ import annotations

# Exit codes of `pm`, the same for every command (docs/cli.md has the table).
EXIT_OK = 0
EXIT_FINDINGS = 1  # lint errors, `fmt --check` would change a file, fmt refused to format
EXIT_USAGE = 2  # bad usage, unreadable input, an output that would be overwritten
EXIT_INTERNAL = 3  # a bug in pm: please report it
EXIT_INTERRUPTED = 130


class PostmortemError(Exception):
    """A problem with a user's input, reported as ``path:line: message``."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[type[PostmortemError], tuple[str, str | None, int | None]]:
        # Sent back from worker processes whole, not as the bare message.
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(PostmortemError):
    """A file could not be read: missing, a directory, binary, bad encoding."""


class FrontMatterError(PostmortemError):
    """The YAML front matter could not be read."""


class ConfigError(PostmortemError):
    """A configuration file is invalid."""


class OutputError(PostmortemError):
    """An output could not be written, or would overwrite a file without --force."""


class FormatSafetyError(PostmortemError):
    """Formatting would have changed the document's content: nothing is written."""

    exit_code = EXIT_FINDINGS  # a refusal, like `fmt --check` finding work: not a usage error


class ChangedMeanwhileError(PostmortemError):
    """A file changed between reading and rewriting it (a note was added): nothing is written."""

    exit_code = EXIT_FINDINGS  # a refusal: running the command again does the work


class ExportSafetyError(PostmortemError):
    """An export would not carry the whole document: nothing is written."""

    exit_code = EXIT_FINDINGS
