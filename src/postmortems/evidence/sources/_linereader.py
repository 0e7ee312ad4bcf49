"""The loop shared by line-based sources: parse each line into an event, join continuation
lines (stack traces, indented lines) to the entry above, count what is not understood."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from postmortems.evidence.events import Event
from postmortems.evidence.sources import _multiline
from postmortems.evidence.sources._io import decode, numbered_lines
from postmortems.evidence.sources.base import ReadStats

# A line parser: the event of a line (without ``ref``), or None when it is not a record.
LineParser = Callable[[str], Event | None]


def read_lines(
    path: str, stats: ReadStats, parse: LineParser, skip: Callable[[str], bool] | None = None
) -> Iterator[Event]:
    """Events of the lines of ``path``; ``skip`` marks lines to ignore silently (banners)."""
    pending: Event | None = None
    for line_no, raw in numbered_lines(path, stats):
        text = decode(raw)
        if not text.strip() or (skip is not None and skip(text)):
            continue
        event = parse(text)
        if event is None:
            if pending is not None and _multiline.continues(pending.text, text):
                _multiline.join(pending, text)
            else:
                stats.unparsed(line_no, text)
            continue
        event.ref = f"{path}:{line_no}"
        stats.events += 1
        if pending is not None:
            yield pending
        pending = event
    if pending is not None:
        yield pending
