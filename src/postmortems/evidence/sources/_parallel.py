"""Reading one big syslog file on every core: split at record starts, collapse each part in
its own process, then put the parts back together.

Big plain files go to the columnar engine first (``evidence.columnar``), which uses the
cores in one process; this split is for the big files that engine leaves to the per-line
reader (lines far out of order, a layout it does not take).

Two things are only known once the parts before are read: how many lines precede a part
(for ``file:line`` references) and which year a part starts in (a December → January
turn may happen in an earlier part). Each part is therefore read as if it started in the
file's first year and numbered from 1, and fixed up when merged, which is cheap because a
collapsed part is small.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import multiprocessing
import os
from collections.abc import Callable

from postmortems.evidence.collapse import CollapseOptions, Collapser
from postmortems.evidence.sources import syslog
from postmortems.evidence.sources._io import (
    STDIN,
    file_size,
    modification_year_month,
    read_head,
    record_boundaries,
    stored_as_read,
)
from postmortems.evidence.sources.base import ReadOptions, ReadStats

# Below this the cost of starting processes outweighs the second core.
MIN_PARALLEL_BYTES = 32 * 1024 * 1024
# On by default: with cores free, a big file is read in parts at the same time; how much
# that gains depends on the machine, so no figure is written here: bench/gather_bench.py
# prints it. On a machine whose cores are busy it gains nothing.
ENABLED = True


@dataclasses.dataclass
class _Part:
    collapser: Collapser
    stats: ReadStats
    first_month: int
    last_year: int
    last_month: int


def _collapse_part(
    task: tuple[str, ReadOptions, tuple[int, int], CollapseOptions | None],
) -> _Part:
    path, opts, byte_range, options = task
    stats = ReadStats(path, syslog.NAME)
    reader = syslog.SyslogReader(path, opts, stats, byte_range)
    collapser = Collapser(options)
    collapser.add_records(reader.records(), syslog.NAME, path)
    years = reader.years
    return _Part(collapser, stats, years.first_month, years.year, years.month)


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def collapse_syslog(
    path: str, opts: ReadOptions, stats: ReadStats, options: CollapseOptions | None
) -> Collapser | None:
    """The collapsed file read on all cores, or None when serial reading is the better choice."""
    workers = _workers()
    size = file_size(path) or 0
    if not ENABLED or path == STDIN or workers < 2 or size < MIN_PARALLEL_BYTES:
        return None
    head = read_head(path)
    forking = "fork" in multiprocessing.get_all_start_methods()
    if head[:2] == b"\x1f\x8b" or not stored_as_read(path) or not forking:
        return None
    start_year = opts.year
    month = syslog.first_month(head)
    if start_year is None and month is not None:
        written = (opts.reference.year, opts.reference.month) if opts.reference else None
        start_year = syslog.YearTracker(None, written or modification_year_month(path)).year_for(
            month
        )
    part_opts = dataclasses.replace(opts, year=start_year)
    bounds = record_boundaries(path, workers, syslog.is_record_start)
    tasks = [(path, part_opts, (start, end), options) for start, end in itertools.pairwise(bounds)]
    with multiprocessing.get_context("fork").Pool(len(tasks)) as pool:
        parts = pool.map(_collapse_part, tasks, chunksize=1)
    return _merge(parts, stats, start_year)


def _merge(parts: list[_Part], stats: ReadStats, start_year: int | None) -> Collapser:
    merged = parts[0].collapser
    lines_before = 0
    years = syslog.YearTracker(start_year, None)
    for index, part in enumerate(parts):
        shift_years = 0
        if part.first_month and start_year is not None:
            # The year this part really starts in, following the months of the parts before.
            shift_years = years.year_for(part.first_month) - start_year
            years.year, years.month = part.last_year + shift_years, part.last_month
        if index:
            part.collapser.adjust(_year_shifter(shift_years), lines_before)
            merged.merge(part.collapser)
        elif shift_years:
            merged.adjust(_year_shifter(shift_years))
        _add_stats(stats, part.stats, lines_before)
        lines_before += part.stats.lines_read
    return merged


def _year_shifter(years: int) -> Callable[[dt.datetime], dt.datetime]:
    def shift(when: dt.datetime) -> dt.datetime:
        if not years:
            return when
        try:
            return when.replace(year=when.year + years)
        except ValueError:  # 29 February in a year without one
            return when.replace(year=when.year + years, day=28)

    return shift


def _add_stats(total: ReadStats, part: ReadStats, lines_before: int) -> None:
    total.lines_read += part.lines_read
    total.bytes_read += part.bytes_read
    total.events += part.events
    total.lines_unparsed += part.lines_unparsed
    for line_no, text in part.unparsed_examples:
        if len(total.unparsed_examples) < 5:
            total.unparsed_examples.append((line_no + lines_before, text))
    total.notes.extend(note for note in part.notes if note not in total.notes)
