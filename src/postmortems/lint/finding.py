"""What a rule reports: a finding at a place in a file, with an optional safe fix."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Level(enum.StrEnum):
    """How much a finding matters; only errors make `pm lint` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}[self]


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``start:end`` of the document's text with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A mechanical change that keeps the document's meaning (see `lint.fix`)."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Hit:
    """What a rule yields: where, what is wrong and what to do. The engine adds the rest."""

    line: int
    column: int
    message: str
    suggestion: str | None = None
    fix: Fix | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class Finding:
    """A hit with its rule's code, name and level, in a file."""

    path: str
    line: int
    column: int
    code: str
    name: str
    level: Level
    message: str
    suggestion: str | None = None
    fix: Fix | None = field(default=None, compare=False)
    end_line: int | None = None
    end_column: int | None = None

    @property
    def family(self) -> str:
        return self.code[:3]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)
