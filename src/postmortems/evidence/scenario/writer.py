"""The state shared while writing one scenario (seeded RNG, planted secrets, files
written) and the small helpers every writer uses."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from postmortems.evidence.scenario.spec import ScenarioSpec, _Moments


def _iso(time: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a Z, as payload senders write it."""
    return time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"


def _minute(time: datetime) -> datetime:
    return time.astimezone(UTC).replace(second=0, microsecond=0)


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _dump(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class _Writer:
    """Writes one scenario; holds the seeded RNG and what the truth needs to know."""

    spec: ScenarioSpec
    out: Path
    rng: random.Random = field(init=False)
    at: _Moments = field(init=False)
    zone: tzinfo = field(init=False)
    shas: dict[str, str] = field(default_factory=dict)
    planted: list[dict[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.spec.seed)
        self.at = _Moments.of(self.spec)
        self.zone = ZoneInfo(self.spec.local_tz)

    def failing(self, time: datetime) -> bool:
        return self.at.start <= time <= self.at.mitigated

    def host_clock(self, host: str, time: datetime) -> datetime:
        """What ``host``'s clock said at true ``time``."""
        return time + self.spec.skew if host == self.spec.skewed_host else time

    def plant(self, kind: str, value: str, where: str) -> str:
        if self.spec.plant_secrets and all(p["value"] != value for p in self.planted):
            self.planted.append({"kind": kind, "value": value, "where": where})
        return value

    def seconds(self, begin: datetime, end: datetime, mean_gap: float) -> Iterator[datetime]:
        """Random instants between ``begin`` and ``end``, ``mean_gap`` seconds apart on average."""
        time = begin
        while True:
            time += timedelta(seconds=self.rng.expovariate(1 / mean_gap))
            if time >= end:
                return
            yield time.replace(microsecond=self.rng.randrange(1000) * 1000)

    def record(self, name: str) -> Path:
        self.files.append(name)
        return self.out / name
