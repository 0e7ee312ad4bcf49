"""Lifecycle durations, each defined once.

- TTD, time to detect      = detected − started
- TTA, time to acknowledge = acknowledged − detected
- TTM, time to mitigate    = mitigated − started
- TTR, time to resolve     = resolved − started
- impact duration          = ended − started (impact over for everyone, "OUTAGE ENDS"),
                             or mitigated − started when no end of impact is marked

Each is taken from the two datetimes when both are known, else from the two phases'
places on the document's clock (``Lifecycle.elapsed_s``): a timeline of times of day
without a date still has its durations.

A metric is None when either timestamp is missing. Peers disagree on these (some
measure TTR from detection); ``start`` lets a configuration choose another start point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from postmortems import plugins_off
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Phase, Postmortem

StartPoint = Literal["started", "detected"]


def _between(pm: Postmortem, first: Phase, then: Phase) -> dt.timedelta | None:
    """``then`` − ``first``: from their datetimes, else from their places on the document's
    clock (a timeline whose times of day have no date still gives durations)."""
    life = pm.lifecycle
    a: dt.datetime | None = getattr(life, LIFECYCLE_FIELD_BY_PHASE[first])
    b: dt.datetime | None = getattr(life, LIFECYCLE_FIELD_BY_PHASE[then])
    if a is not None and b is not None:
        return b - a
    a_s, b_s = life.elapsed_s.get(first), life.elapsed_s.get(then)
    if a_s is not None and b_s is not None:
        return dt.timedelta(seconds=b_s - a_s)
    return None


def _start(start: StartPoint) -> Phase:
    return Phase.DETECT if start == "detected" else Phase.START


def ttd(pm: Postmortem) -> dt.timedelta | None:
    return _between(pm, Phase.START, Phase.DETECT)


def tta(pm: Postmortem) -> dt.timedelta | None:
    return _between(pm, Phase.DETECT, Phase.ACKNOWLEDGE)


def ttm(pm: Postmortem, start: StartPoint = "started") -> dt.timedelta | None:
    return _between(pm, _start(start), Phase.MITIGATE)


def ttr(pm: Postmortem, start: StartPoint = "started") -> dt.timedelta | None:
    return _between(pm, _start(start), Phase.RESOLVE)


def impact_duration(pm: Postmortem) -> dt.timedelta | None:
    """To the end of impact when the document marks it after mitigation, else to mitigation."""
    ended = _between(pm, Phase.START, Phase.END)
    return ended if ended is not None else _between(pm, Phase.START, Phase.MITIGATE)


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    value: dt.timedelta | None


def all_metrics(pm: Postmortem, start: StartPoint = "started") -> list[Metric]:
    return [
        Metric("TTD", "time to detect", ttd(pm)),
        Metric("TTA", "time to acknowledge", tta(pm)),
        Metric("TTM", "time to mitigate", ttm(pm, start)),
        Metric("TTR", "time to resolve", ttr(pm, start)),
        Metric("impact", "impact duration", impact_duration(pm)),
    ]


_plugins_setting = plugins_off.switch_off()


class Metrics(BaseModel):
    """The lifecycle durations in seconds, as machine output carries them (null: unknown)."""

    model_config = ConfigDict(extra="forbid")

    ttd_s: float | None = Field(description="Time to detect: detected − started.")
    tta_s: float | None = Field(description="Time to acknowledge: acknowledged − detected.")
    ttm_s: float | None = Field(description="Time to mitigate: mitigated − started.")
    ttr_s: float | None = Field(description="Time to resolve: resolved − started.")
    impact_s: float | None = Field(
        description="Impact duration: ended − started, or mitigated − started when no end "
        "of impact is marked."
    )


plugins_off.restore(_plugins_setting)


def _seconds(value: dt.timedelta | None) -> float | None:
    return value.total_seconds() if value is not None else None


def metrics_of(pm: Postmortem, start: StartPoint = "started") -> Metrics:
    return Metrics(
        ttd_s=_seconds(ttd(pm)),
        tta_s=_seconds(tta(pm)),
        ttm_s=_seconds(ttm(pm, start)),
        ttr_s=_seconds(ttr(pm, start)),
        impact_s=_seconds(impact_duration(pm)),
    )


def format_duration(value: dt.timedelta | None) -> str:
    """``1h 30m``, ``45m``, ``2d 3h``; ``—`` when unknown; negative durations keep their sign."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if seconds and not days:
        parts.append(f"{seconds}s")
    return sign + (" ".join(parts) or "0m")


def format_elapsed(seconds: float) -> str:
    """A place on a timeline without a date: ``start``, ``+1h 5m`` after the first timed entry."""
    if seconds == 0:
        return "start"
    shown = format_duration(dt.timedelta(seconds=seconds))
    return shown if shown.startswith("-") else f"+{shown}"


def spell_duration(value: dt.timedelta) -> str:
    """Words for prose: '30 minutes', '1 hour 30 minutes', '2 days 3 hours' (to the minute)."""
    total = round(value.total_seconds() / 60)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
