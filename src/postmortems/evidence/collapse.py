"""Noise control: repeated log lines become one timeline entry that says how many and when.

A person reading an incident timeline wants "upstream timed out — 10,000 times between
14:02 and 14:31", not ten thousand lines. So log events are grouped by *message
template* — the text with its variable parts masked (numbers, hex, UUIDs, IP addresses,
durations, paths, quoted strings) — per source and program. A group is a *burst*: the
same template seen again after more than ``gap`` of silence starts a new entry, so a
message that fired at 02:00 and again at 14:00 shows up twice, at the right times.

A group of one is left exactly as it was read (its own text and ``file:line``); a group
of two or more becomes one event with ``count``, ``first`` and ``last``, the first line's
reference, the most severe level seen and a sample line (the first line at that level),
plus ``attrs["template"]``. Events that are not logs (alerts, pages, chat, deploys,
traffic) pass through untouched.

Use::

    collapser = Collapser()
    for event in source.read(path, opts, stats):   # the un-collapsed stream stays usable
        window_counter.add(event)
        collapser.add(event)
    timeline = collapser.result()                   # sorted by time

or ``collapse(events)`` for the same in one call. Collapsers built over parts of the same
input (e.g. byte ranges read in parallel) combine with ``merge``. ``per_minute`` is a
side channel with the number of log lines per minute and level seen by ``add``.

Cost: templates are worked out once per shape of message (``shapes.Shapes``), so a line
that repeats with different numbers costs one translation and a dictionary look-up, and a
line with an id that defeats that key one regex pass more. A line-based source that already
knows a line's template (syslog works it out with the level) hands it over in the record.
Lines that differ only in tokens holding digits share the first such line's template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.shapes import DIGITS, Shapes, template_of, text_of

__all__ = ["CollapseOptions", "Collapser", "collapse", "collapse_file", "template_of"]
from postmortems.evidence.sources._levels import LEVEL_RANK
from postmortems.evidence.sources.base import ReadOptions, ReadStats, Source

_MAX_HOSTS_LISTED = 20
_LEVEL_OF_SLOT: tuple[Level | None, ...] = (None, *Level)
_SLOT_BY_ID = {id(level): slot for slot, level in enumerate(_LEVEL_OF_SLOT)}
_SLOTS = len(_LEVEL_OF_SLOT)


@dataclass(frozen=True)
class CollapseOptions:
    """``gap``: the silence after which a repeated template starts a new timeline entry."""

    gap: dt.timedelta = dt.timedelta(minutes=10)


class _Group:
    """One burst of one template, growing as matching lines arrive."""

    __slots__ = ("count", "first", "hosts", "key", "last", "level_rank", "sample", "template")

    def __init__(self, key: tuple[str, str | None, str], template: str, event: Event) -> None:
        self.key = key
        self.template = template
        self.sample = event
        self.count = 1
        self.first = event.time
        self.last = event.time
        self.level_rank = LEVEL_RANK[event.level]
        self.hosts: set[str | None] = {event.host}

    def absorb(self, other: _Group) -> None:
        self.count += other.count
        if other.level_rank > self.level_rank or (
            other.level_rank == self.level_rank and other.first < self.first
        ):
            self.sample = other.sample
            self.level_rank = other.level_rank
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.hosts |= other.hosts

    def to_event(self) -> Event:
        sample = self.sample
        if self.count == 1:
            return sample
        hosts = sorted(host for host in self.hosts if host)
        attrs: dict[str, object] = dict(sample.attrs)
        attrs.update(template=self.template, sample=sample.text, collapsed=True)
        if len(hosts) > 1:
            attrs["hosts"] = hosts[:_MAX_HOSTS_LISTED]
            attrs["host_count"] = len(hosts)
        return Event(
            time=self.first,
            source=sample.source,
            kind=sample.kind,
            text=f"{sample.text} — {_repeat_note(self.count, self.first, self.last)}",
            level=sample.level,
            service=sample.service,
            host=hosts[0] if len(hosts) == 1 else None,
            actor=sample.actor,
            count=self.count,
            first=self.first,
            last=self.last,
            ref=sample.ref,
            attrs=attrs,
        )


def _repeat_note(count: int, first: dt.datetime, last: dt.datetime) -> str:
    span_format = "%H:%M:%S" if first.date() == last.date() else "%Y-%m-%d %H:%M:%S"
    return (
        f"×{count:,} similar lines from {first.strftime(span_format)} "
        f"to {last.strftime(span_format)} UTC"
    )


class Collapser:
    """Incremental collapsing: ``add`` each event, then ``result`` (see the module doc)."""

    def __init__(self, options: CollapseOptions | None = None) -> None:
        self.options = options or CollapseOptions()
        self._gap = self.options.gap
        self._shapes = Shapes()
        self._open: dict[tuple[str, str | None, str], _Group] = {}
        self._closed: list[_Group] = []
        self._passed: list[Event] = []
        self._sweep_after: dt.datetime | None = None
        self._per_minute: dict[dt.datetime, list[int]] = {}

    def __getstate__(self) -> dict[str, object]:
        # Sent between processes: the template caches are only worth keeping locally.
        state = dict(self.__dict__)
        state["_shapes"] = Shapes()
        return state

    def add(self, event: Event) -> None:
        """Take one event of the stream, in any order (logs are grouped, others kept)."""
        self.add_all((event,))

    def add_all(self, events: Iterable[Event]) -> None:
        """``add`` for each event; the loop of the hot path, with everything in locals."""
        log = EventKind.LOG
        gap = self._gap
        known = self._shapes.known
        open_groups = self._open
        per_minute = self._per_minute
        rank_of = LEVEL_RANK
        # Level is an enum, whose hash is a Python-level call: index by id() on the hot path.
        slot_of = _SLOT_BY_ID
        last_time: dt.datetime | None = None
        minute_row: list[int] = []
        sweep_after = self._sweep_after
        for event in events:
            if event.kind is not log:
                self._passed.append(event)
                continue
            when = event.time
            if when != last_time:
                last_time = when
                minute = when.replace(second=0, microsecond=0)
                minute_row = per_minute.get(minute) or per_minute.setdefault(minute, [0] * _SLOTS)
                if sweep_after is None or when > sweep_after:
                    sweep_after = self._sweep(when)
            minute_row[slot_of[id(event.level)]] += 1

            encoded = event.text.encode("utf-8", "surrogatepass")
            digitless = encoded.translate(None, DIGITS)
            template = (known.get(digitless) or self._shapes.shape(encoded, digitless))[1]
            key = (event.source, event.service, template)
            group = open_groups.get(key)
            if group is None:
                open_groups[key] = _Group(key, template, event)
                continue
            if when > group.last:
                if when - group.last > gap:
                    self._closed.append(group)
                    open_groups[key] = _Group(key, template, event)
                    continue
                group.last = when
            elif when < group.first:
                group.first = when
            group.count += 1
            if event.host not in group.hosts:
                group.hosts.add(event.host)
            if event.level is not group.sample.level:
                rank = rank_of[event.level]
                if rank > group.level_rank:
                    group.level_rank = rank
                    group.sample = event
        self._sweep_after = sweep_after

    def add_records(self, records: Iterable[Sequence[Any]], source: str, path: str) -> None:
        """The fast lane for a line-based log source: like ``add_all`` over its events, but
        taking (time, service, host, level, message bytes, line number, attrs or None[,
        template or None]) and building an ``Event`` only for the lines kept as samples."""
        gap = self._gap
        known = self._shapes.known
        open_groups = self._open
        per_minute = self._per_minute
        rank_of = LEVEL_RANK
        slot_of = _SLOT_BY_ID
        last_time: dt.datetime | None = None
        minute_row: list[int] = []
        sweep_after = self._sweep_after
        for record in records:
            when, service, host, level, message = record[:5]
            template = record[7] if len(record) > 7 else None
            if when != last_time:
                last_time = when
                minute = when.replace(second=0, microsecond=0)
                minute_row = per_minute.get(minute) or per_minute.setdefault(minute, [0] * _SLOTS)
                if sweep_after is None or when > sweep_after:
                    sweep_after = self._sweep(when)
            minute_row[slot_of[id(level)]] += 1

            if template is None:
                digitless = message.translate(None, DIGITS)
                template = (known.get(digitless) or self._shapes.shape(message, digitless))[1]
            key = (source, service, template)
            group = open_groups.get(key)
            if group is None:
                sample = record_event(record, source, path)
                open_groups[key] = _Group(key, template, sample)
                continue
            if when > group.last:
                if when - group.last > gap:
                    self._closed.append(group)
                    open_groups[key] = _Group(key, template, record_event(record, source, path))
                    continue
                group.last = when
            elif when < group.first:
                group.first = when
            group.count += 1
            if host not in group.hosts:
                group.hosts.add(host)
            if level is not group.sample.level:
                rank = rank_of[level]
                if rank > group.level_rank:
                    group.level_rank = rank
                    group.sample = record_event(record, source, path)
        self._sweep_after = sweep_after

    def open_lasts(self, source: str) -> list[tuple[str | None, str, dt.datetime]]:
        """(service, template, latest time) of each open group of ``source``."""
        return [
            (service, template, group.last)
            for (group_source, service, template), group in self._open.items()
            if group_source == source
        ]

    def add_burst(
        self,
        source: str,
        service: str | None,
        template: str,
        continues_open: bool,
        count: int,
        first: dt.datetime,
        last: dt.datetime,
        hosts: set[str | None],
        level_rank: int,
        sample: Callable[[], Event],
    ) -> None:
        """Take ``count`` lines of one template worked out elsewhere (the columnar engine):
        what ``add_records`` would have done with them, given that they either all continue
        the open group of their key (``continues_open``) or form a new group, whose sample is
        the first of its lines at ``level_rank`` (built only when it is kept)."""
        key = (source, service, template)
        group = self._open.get(key)
        if continues_open and group is not None:
            group.count += count
            group.first = min(group.first, first)
            group.last = max(group.last, last)
            group.hosts |= hosts
            if level_rank > group.level_rank:
                group.level_rank = level_rank
                group.sample = sample()
            return
        if group is not None:
            self._closed.append(group)
        group = _Group(key, template, sample())
        group.count, group.first, group.last = count, first, last
        group.hosts, group.level_rank = hosts, level_rank
        self._open[key] = group

    def add_minute_count(self, minute: dt.datetime, slot: int, count: int) -> None:
        """``count`` more lines in ``minute`` at the level of ``slot`` (0: none, then by rank)."""
        row = self._per_minute.get(minute)
        if row is None:
            row = self._per_minute[minute] = [0] * _SLOTS
        row[slot] += count

    def _sweep(self, now: dt.datetime) -> dt.datetime:
        """Close the groups silent for longer than the gap, so open groups stay few; returns
        when to sweep next."""
        stale = [key for key, group in self._open.items() if now - group.last > self._gap]
        for key in stale:
            self._closed.append(self._open.pop(key))
        return now + self._gap

    def merge(self, other: Collapser) -> None:
        """Fold in a collapser that read another part of the same input."""
        self._closed.extend(other._closed)
        self._closed.extend(other._open.values())
        self._passed.extend(other._passed)
        for minute, row in other._per_minute.items():
            mine = self._per_minute.setdefault(minute, [0] * _SLOTS)
            for slot, count in enumerate(row):
                mine[slot] += count

    def per_minute(self) -> dict[dt.datetime, dict[Level | None, int]]:
        """Log lines seen by ``add`` per minute (UTC) and level: a side channel for the
        incident window when the un-collapsed stream was not kept."""
        return {
            minute: {_LEVEL_OF_SLOT[slot]: count for slot, count in enumerate(row) if count}
            for minute, row in sorted(self._per_minute.items())
        }

    def adjust(self, shift: Callable[[dt.datetime], dt.datetime], line_offset: int = 0) -> None:
        """Move every time through ``shift`` and add ``line_offset`` to every ``file:line``.

        For a part of a file read on its own (in parallel) before it was known which year it
        starts in or how many lines come before it.
        """
        for group in [*self._closed, *self._open.values()]:
            group.first, group.last = shift(group.first), shift(group.last)
            _adjust_event(group.sample, shift, line_offset)
        for event in self._passed:
            _adjust_event(event, shift, line_offset)
        self._per_minute = {shift(minute): row for minute, row in self._per_minute.items()}
        self._sweep_after = None

    def result(self) -> list[Event]:
        """The collapsed timeline, sorted by time. The collapser can keep taking events."""
        groups = sorted([*self._closed, *self._open.values()], key=_burst_order)
        bursts: list[_Group] = []
        for group in groups:
            previous = bursts[-1] if bursts else None
            if (
                previous is not None
                and previous.key == group.key
                and group.first - previous.last <= self._gap
            ):
                merged = _copy(previous)
                merged.absorb(group)
                bursts[-1] = merged
            else:
                bursts.append(group)
        events: list[Event] = list(self._passed)
        events.extend(burst.to_event() for burst in bursts)
        events.sort(key=lambda event: event.time)
        return events


def _burst_order(group: _Group) -> tuple[str, bool, str, str, dt.datetime]:
    # A program name may be missing (None) on some lines of a source and not on others.
    source, service, template = group.key
    return (source, service is not None, service or "", template, group.first)


def record_event(record: Sequence[Any], source: str, path: str) -> Event:
    when, service, host, level, message, line_no, attrs = record[:7]
    return Event(
        when,
        source,
        EventKind.LOG,
        text_of(message),
        level,
        service,
        host,
        ref=f"{path}:{line_no}",
        attrs=attrs or {},
    )


def _adjust_event(
    event: Event, shift: Callable[[dt.datetime], dt.datetime], line_offset: int
) -> None:
    event.time = shift(event.time)
    if event.first is not None:
        event.first = shift(event.first)
    if event.last is not None:
        event.last = shift(event.last)
    if line_offset and event.ref:
        where, _, line = event.ref.rpartition(":")
        if line.isdigit():
            event.ref = f"{where}:{int(line) + line_offset}"


def _copy(group: _Group) -> _Group:
    clone = _Group(group.key, group.template, group.sample)
    clone.count, clone.first, clone.last = group.count, group.first, group.last
    clone.level_rank, clone.hosts = group.level_rank, set(group.hosts)
    return clone


def collapse_file(
    path: str,
    source: Source,
    opts: ReadOptions,
    stats: ReadStats,
    options: CollapseOptions | None = None,
) -> Collapser:
    """Read ``path`` with ``source`` and collapse it: what ``pm gather`` does per input.

    A source with a faster equivalent of collapsing its own events (``read_collapsed``, as
    syslog has) uses it; otherwise its event stream is collapsed here.
    """
    fast = getattr(source, "read_collapsed", None)
    if fast is not None:
        collapser: Collapser = fast(path, opts, stats, options)
        return collapser
    collapser = Collapser(options)
    collapser.add_all(source.read(path, opts, stats))
    return collapser


def collapse(events: Iterable[Event], options: CollapseOptions | None = None) -> list[Event]:
    """The collapsed, time-sorted timeline of ``events`` (see the module doc)."""
    collapser = Collapser(options)
    collapser.add_all(events)
    return collapser.result()
