"""A block's records put back together: those worked out in columns and those the source's
own loop read (``loose``: its record lists), in file order, then fed to the bursts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from postmortems.evidence.collapse import Collapser, record_event
from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.shapes import DIGITS
from postmortems.evidence.sources._levels import LEVEL_RANK

from .bursts import BurstFeeder, Templates, micros_of, time_of

COLUMNS = ("line_no", "t", "service", "host", "tid", "rank", "row")
_LEVELS: tuple[Level | None, ...] = (None, *Level)


def feed(
    feeder: BurstFeeder,
    simple: pl.DataFrame,
    loose: list[tuple[list[Any], int]],
    path: str,
    message_of: Callable[[int], str],
) -> None:
    """``simple`` has ``COLUMNS`` (``row``: the line in its block, whose message
    ``message_of`` gives); ``loose`` records are (time, service, host, level, message bytes,
    line number, attrs[, template]) as ``Collapser.add_records`` takes them, each with its
    template's number."""
    records = simple.select(
        pl.col("line_no").cast(pl.Int64),
        "t",
        "service",
        "host",
        "tid",
        pl.col("rank").cast(pl.Int64),
        pl.col("row").cast(pl.Int64),
    )
    by_line: dict[int, list[Any]] = {}
    if loose:
        by_line = {record[5]: record for record, _ in loose}
        extra = pl.DataFrame(
            {
                "line_no": [record[5] for record, _ in loose],
                "t": [micros_of(record[0]) for record, _ in loose],
                "service": [record[1] for record, _ in loose],
                "host": [record[2] for record, _ in loose],
                "tid": [tid for _, tid in loose],
                "rank": [LEVEL_RANK[record[3]] for record, _ in loose],
                "row": [None for _ in loose],
            },
            schema=records.schema,
        )
        records = pl.concat([records, extra]).sort("line_no")
    source = feeder.source

    def sample(row: int) -> Event:
        line_no, t, service, host, _, rank, line = records.row(row)
        if line is None:
            return record_event(by_line[line_no], source, path)
        message = message_of(line)
        event = Event(time_of(t), source, EventKind.LOG, message, _LEVELS[rank + 1], service, host)
        event.ref = f"{path}:{line_no}"
        return event

    feeder.feed(records, sample)


def messages_by_row(simple: pl.DataFrame) -> Callable[[int], str]:
    """``message_of`` for a frame with ``row`` (in order) and ``message``."""
    rows, messages = simple["row"], simple["message"]

    def message_of(row: int) -> str:
        found: str = messages[int(rows.search_sorted(row))]
        return found

    return message_of


def template_id(record: list[Any], collapser: Collapser, templates: Templates) -> int:
    template = record[7] if len(record) > 7 else None
    if template is None:  # as Collapser.add_records works it out
        message = record[4]
        digitless = message.translate(None, DIGITS)
        shapes = collapser._shapes
        template = (shapes.known.get(digitless) or shapes.shape(message, digitless))[1]
    return templates.id_of(template)


def runs(simple: pl.Series) -> list[tuple[int, int]]:
    """(start, end) of each stretch of lines that are not simple."""
    found: list[tuple[int, int]] = []
    for index in (~simple).arg_true().to_list():
        if found and found[-1][1] == index:
            found[-1] = (found[-1][0], index + 1)
        else:
            found.append((index, index + 1))
    return found


def last_start(startable: pl.Series) -> int:
    """The last line after the first that certainly starts a record (0: none)."""
    starts = startable.arg_true()
    starts = starts.filter(starts > 0)
    return int(starts[-1]) if len(starts) else 0


def cut_at_last_start(frame: pl.DataFrame, at_end: bool) -> tuple[int, pl.DataFrame | None]:
    """The lines of a block read now (up to its last record start, all of them at the end of
    the file), numbered, with ``simple`` marking a record that starts and ends on its line;
    (0, None) when no line can be cut at."""
    used = frame.height if at_end else last_start(frame["startable"])
    if not used:
        return 0, None
    next_ok = pl.col("startable").shift(-1, fill_value=True)
    frame = frame.head(used).with_columns(simple=pl.col("startable") & next_ok)
    return used, frame.with_row_index("row")
