"""Records of a block, as columns, grouped into bursts and handed to a ``Collapser``.

The columns: ``line_no``, ``t`` (UTC microseconds), ``service``, ``host``, ``tid`` (the
template's number in ``Templates``) and ``rank`` (``LEVEL_RANK`` of the level), in the order
of the file. The grouping is the one ``Collapser.add_records`` does line by line: per
(service, template), a line more than ``gap`` after the latest line of its group before it
starts a new group; a group's sample is its first line of its most severe level.

``Collapser`` also closes groups on a time sweep, which can only matter for a line that
arrives more than ``gap`` later than lines written after it; such a file raises
``CannotCut`` and is read line by line instead.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import polars as pl

from postmortems.evidence.collapse import Collapser
from postmortems.evidence.events import Event
from postmortems.evidence.sources._timeparse import UTC

from .blocks import CannotCut

EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_KEYS = ["service", "tid"]
_SLOTS = 16  # more than the levels and "none"
SampleOf = Callable[[int], Event]  # the event of a record, by its row in the frame


_SUMMARY = {
    "count": pl.len(),
    "first": pl.col("t").min(),
    "last": pl.col("t").max(),
    "rank": pl.col("rank").max(),
    "sample": pl.col("row").get(pl.col("rank").arg_max()),  # the first line at the top rank
    "hosts": pl.col("host").unique(),
    "order": pl.col("row").first(),
}


class Templates:
    """Templates numbered in the order they are first seen."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._ids: dict[str, int] = {}

    def id_of(self, template: str) -> int:
        found = self._ids.get(template)
        if found is None:
            found = self._ids[template] = len(self.texts)
            self.texts.append(template)
        return found


def time_of(micros: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=micros)


def micros_of(when: dt.datetime) -> int:
    delta = when - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class BurstFeeder:
    """Feeds blocks of records to one collapser, keeping what spans blocks."""

    def __init__(self, collapser: Collapser, source: str, templates: Templates) -> None:
        self.collapser = collapser
        self.source = source
        self.templates = templates
        self.gap = micros_of(EPOCH + collapser.options.gap)
        self.latest: int | None = None  # the latest time seen so far
        self._minutes: dict[int, dt.datetime] = {}

    def feed(self, records: pl.DataFrame, sample_of: SampleOf) -> None:
        if records.height == 0:
            return
        self._check_order(records["t"])
        self._count_minutes(records)
        frame = records.select(*_KEYS, "t", "host", "rank").with_row_index("row")
        opened = self._open_frame()
        times = records["t"]
        if int(times.max()) - int(times.min()) <= self.gap:  # type: ignore[arg-type]
            # No two lines of the block are a gap apart: only a key's first line may start
            # a group, so the open groups are joined to the groups, not to every line (the
            # common case by far).
            grouped = frame.group_by(_KEYS).agg(start=pl.col("t").first(), **_SUMMARY)
            grouped = self._with_open_lasts(grouped, opened)
            starts = pl.col("open_last").is_null() | (
                pl.col("start") - pl.col("open_last") > self.gap
            )
            grouped = grouped.with_columns(burst=starts.cast(pl.Int64))
        else:
            frame = self._with_open_lasts(frame, opened)
            before = pl.max_horizontal(
                pl.col("t").cum_max().shift(1).over(_KEYS), pl.col("open_last")
            )
            starts = before.is_null() | ((pl.col("t") - before) > self.gap)
            frame = frame.with_columns(burst=starts.cum_sum().over(_KEYS))
            grouped = frame.group_by([*_KEYS, "burst"]).agg(**_SUMMARY)
        bursts = grouped.select(
            *_KEYS, "burst", "count", "first", "last", "rank", "sample", "hosts", "order"
        ).sort("order")
        add = self.collapser.add_burst
        texts = self.templates.texts
        for service, tid, burst, count, first, last, rank, sample, hosts, _ in bursts.iter_rows():
            add(
                self.source,
                service,
                texts[tid],
                burst == 0,
                count,
                time_of(first),
                time_of(last),
                set(hosts),
                rank,
                functools.partial(sample_of, sample),
            )

    @staticmethod
    def _with_open_lasts(frame: pl.DataFrame, opened: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with ``open_last``: the latest time of the open group of its key."""
        if not opened.height:
            return frame.with_columns(open_last=pl.lit(None, dtype=pl.Int64))
        return frame.join(opened, on=_KEYS, how="left", nulls_equal=True, maintain_order="left")

    def _check_order(self, times: pl.Series) -> None:
        latest = times.cum_max()
        before = latest.shift(1)
        if self.latest is not None:
            before = before.fill_null(self.latest)
        if ((before - times) > self.gap).any():
            raise CannotCut("lines out of order by more than the collapse gap")
        self.latest = int(latest[-1])

    def _open_frame(self) -> pl.DataFrame:
        rows = self.collapser.open_lasts(self.source)
        ids = self.templates.id_of
        return pl.DataFrame(
            {
                "service": [service for service, _, _ in rows],
                "tid": [ids(template) for _, template, _ in rows],
                "open_last": [micros_of(last) for _, _, last in rows],
            },
            schema={"service": pl.String, "tid": pl.Int64, "open_last": pl.Int64},
        )

    def _count_minutes(self, records: pl.DataFrame) -> None:
        # One integer key per (minute, level): counting one column is three times faster
        # than grouping by two.
        keys = (pl.col("t") // 60_000_000) * _SLOTS + pl.col("rank") + 1
        counts = records.select(key=keys)["key"].value_counts()
        minutes = self._minutes
        add = self.collapser.add_minute_count
        for key, count in counts.iter_rows():
            minute, slot = divmod(key, _SLOTS)
            when = minutes.get(minute)
            if when is None:
                when = minutes[minute] = time_of(minute * 60_000_000)
            add(when, slot, count)
