"""Turning the timestamps of one timeline into full datetimes, with the date and
zone carried from context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from postmortems.times.leading import TimeMatch

# A time that goes backwards by more than this is read as the next day (23:50 then
# 00:10); smaller steps back (10:15 then 10:05) are out-of-order entries, kept on
# the same day for the linter to report.
ROLLOVER_THRESHOLD = timedelta(hours=12)
# A yearless date more than this far before the current date is in the next year
# (a timeline that runs from "Dec 31" into "Jan 1").
_YEAR_ROLLOVER_THRESHOLD = timedelta(days=180)


# The day an undated timeline is placed on, inside the clock only: never shown, never
# stored. A leap year, so that "Feb 29 10:00" without a year still has a day.
_UNDATED_DAY = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Resolved:
    """A timeline entry's time.

    ``at`` is aware when date, time and zone are known, else None. ``elapsed_s`` is the
    seconds since the timeline's first timed entry whenever the time of day is known,
    dated or not. ``undated``: the time of day was read but no date is known (yet).
    """

    at: datetime | None
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float | None = None
    undated: bool = False


def _spoken(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class TimelineClock:
    """Resolves successive TimeMatches of one timeline into full datetimes.

    It carries the current date and zone (from front matter, notes, date headings
    and dates written on entries) and the last resolved wall-clock time, so that
    a time passing midnight rolls to the next day. Times of day with no date
    anywhere run on the same clock, from a day only the clock knows, so they keep
    their order, roll past midnight and give durations; ``at`` stays None for them.
    See the package docstring for the rules.
    """

    def __init__(
        self,
        *,
        date: dt.date | None,
        tz: tzinfo | None,
        year: int | None = None,
        dayfirst: bool | None = None,
    ) -> None:
        self._date = date
        # How the document writes numeric dates, when its unambiguous ones tell (infer_dayfirst).
        self.dayfirst = dayfirst
        self._tz = tz
        self._year = year if year is not None else (date.year if date is not None else None)
        self._last: datetime | None = None
        # A date set since the last entry was written by the author: never roll past it.
        self._date_is_explicit = date is not None
        # False while the current date is the clock's own stand-in (_UNDATED_DAY onwards).
        self._dated = date is not None
        # The first timed entry, in UTC: what elapsed seconds count from.
        self._epoch: datetime | None = None
        self._epoch_dated = False
        # Said once: every later entry without a zone is read the same way.
        self._said_no_zone = False

    @property
    def date(self) -> dt.date | None:
        return self._date if self._dated else None

    @property
    def tz(self) -> tzinfo | None:
        return self._tz

    @property
    def epoch(self) -> datetime | None:
        """The first timed entry in UTC, once a date places the timeline; else None."""
        return self._epoch if self._epoch_dated else None

    def set_date(self, d: dt.date | None, month_day: tuple[int, int] | None = None) -> None:
        """A date heading ("## May 13") or a date written in a note."""
        if d is not None:
            self._date, self._year = d, d.year
            self._dated = True
        elif month_day is not None:
            full = self._with_year(month_day)
            if full is None:
                return
            self._date = full
            self._dated = self._year is not None
        self._date_is_explicit = True

    def set_timezone(self, tz: tzinfo) -> None:
        self._tz = tz

    def resolve(self, m: TimeMatch) -> Resolved:
        warnings: list[str] = []
        if m.unknown_zone is not None:
            warnings.append(
                f"unknown timezone '{m.unknown_zone}' in '{m.text}'; the entry is kept without a time"
            )
            return Resolved(None, warnings)
        written_date = m.date is not None or m.month_day is not None
        try:
            day = self._entry_date(m, warnings)
        except OverflowError:
            warnings.append(
                f"'{m.text}' falls outside the calendar; the entry is kept without a time"
            )
            return Resolved(None, warnings)
        if m.time is None:
            warnings.append(f"no time of day for {m.text}")
            return Resolved(None, warnings)
        if day is None:
            day = self._date = _UNDATED_DAY
        tz = m.tz or self._tz
        wall = datetime.combine(day, m.time)
        last = self._last
        may_roll = not written_date and not self._date_is_explicit and last is not None
        try:
            if may_roll and last is not None and wall < last - ROLLOVER_THRESHOLD:
                wall += timedelta(days=1)
            aware = wall.replace(tzinfo=tz or UTC)
            in_utc = aware.astimezone(UTC)
        except OverflowError:
            warnings.append(
                f"'{m.text}' falls outside the calendar; the entry is kept without a time"
            )
            return Resolved(None, warnings)
        if self._tz is None and m.tz is not None:
            self._tz = m.tz  # a zone written on one entry holds for those that follow
        if self._dated and not self._epoch_dated and self._epoch is not None and last is not None:
            self._place_undated(m, in_utc, last, warnings)
        self._date = wall.date()
        self._last = wall
        self._date_is_explicit = False
        if self._epoch is None:
            self._epoch, self._epoch_dated = in_utc, self._dated
        elapsed = (in_utc - self._epoch).total_seconds()
        if not self._dated:
            return Resolved(None, warnings, elapsed, undated=True)
        if tz is None and not self._said_no_zone:
            self._said_no_zone = True
            warnings.append(
                f"no timezone for {m.text}; assumed UTC, for it and every later time without one"
            )
        return Resolved(aware, warnings, elapsed)

    def _place_undated(
        self, m: TimeMatch, in_utc: datetime, last: datetime, warnings: list[str]
    ) -> None:
        """The first date written after undated entries places them: they came just before."""
        assert self._epoch is not None and m.time is not None
        follows = datetime.combine(last.date(), m.time)
        if follows < last - ROLLOVER_THRESHOLD:
            follows += timedelta(days=1)
        tz = m.tz or self._tz or UTC
        on_clock = follows.replace(tzinfo=tz).astimezone(UTC)
        self._epoch = in_utc - (on_clock - self._epoch)
        self._epoch_dated = True
        warnings.append(
            f"the entries before {m.text} had no date; placed just before it, in the order written"
        )

    def _entry_date(self, m: TimeMatch, warnings: list[str]) -> dt.date | None:
        """The entry's date, updating the current date when the entry wrote one."""
        if m.date is not None:
            chosen = self._reading(m, warnings)
            self._date, self._year = chosen, chosen.year
            self._date_is_explicit = True
            self._dated = True
            return chosen
        if m.month_day is not None:
            full = self._with_year(m.month_day)
            if full is None:
                return None
            self._date = full
            self._dated = self._year is not None
            self._date_is_explicit = True
            return full
        if m.weekday is not None and self._date is not None:
            ahead = (m.weekday - self._date.weekday()) % 7
            if ahead:
                self._date += timedelta(days=ahead)
                self._date_is_explicit = True
        return self._date

    def _reading(self, m: TimeMatch, warnings: list[str]) -> dt.date:
        assert m.date is not None
        chosen, other = m.date, m.alternative_date
        if not m.ambiguous_day_month or other is None:
            return chosen
        why = "no context decided"
        if self.dayfirst is not None:
            # The match already took the document's reading: say so, keep it.
            order = "day-first" if self.dayfirst else "month-first"
            why = f"{order}, as the document's other dates are written"
        elif self._date is not None and self._dated:
            if abs(other - self._date) < abs(chosen - self._date):
                chosen, other = other, chosen
            why = f"closer to {self._date.isoformat()}"
        warnings.append(
            f"ambiguous date {m.text} read as {_spoken(chosen)}, not {_spoken(other)} ({why})"
        )
        return chosen

    def _with_year(self, month_day: tuple[int, int]) -> dt.date | None:
        year = self._year if self._year is not None else _UNDATED_DAY.year
        month, day = month_day
        try:
            candidate = dt.date(year, month, day)
            if self._date is not None and candidate < self._date - _YEAR_ROLLOVER_THRESHOLD:
                candidate = dt.date(year + 1, month, day)
        except ValueError:  # 29 February in a common year
            return None
        return candidate
