"""The one shape every evidence source produces."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class EventKind(enum.StrEnum):
    LOG = "log"
    ALERT = "alert"
    PAGE = "page"
    CHAT = "chat"
    DEPLOY = "deploy"
    COMMIT = "commit"
    CHANGE = "change"
    TRAFFIC = "traffic"


class Level(enum.StrEnum):
    DEBUG = "debug"
    INFO = "info"
    NOTICE = "notice"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"


@dataclass(slots=True)
class Event:
    """Something that happened, with a timezone-aware UTC time and where it came from.

    A collapsed group of repeated lines is one Event with ``count`` > 1 and
    ``first``/``last`` set; ``time`` is then the first occurrence.
    """

    time: datetime
    source: str
    kind: EventKind
    text: str
    level: Level | None = None
    service: str | None = None
    host: str | None = None
    actor: str | None = None
    count: int = 1
    first: datetime | None = None
    last: datetime | None = None
    ref: str | None = None  # "file:line" of the evidence
    attrs: dict[str, object] = field(default_factory=dict)  # status, alert name, state, sha, ...
