"""Profiles: named rule sets with the sections they require and their thresholds.

A document is linted against the profile named by ``--profile`` or the config, else the
template named in its front matter, else ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from postmortems.model import SEED_SECTIONS
from postmortems.model import SectionKind as K


@dataclass(frozen=True)
class Thresholds:
    """Numbers rules compare against. Config keys are these names with dashes."""

    duration_tolerance_minutes: float = 5.0
    duration_tolerance_percent: float = 10.0
    timeline_gap_minutes: float = 60.0
    summary_max_grade: float = 14.0
    summary_min_words: int = 15
    summary_max_words: int = 200
    min_words: int = 0
    max_words: int = 0  # 0: no limit
    root_cause_min_sentences: int = 2
    resolution_min_sentences: int = 1
    timeline_entry_max_sentences: int = 0  # 0: no limit

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_overrides(self, overrides: dict[str, float]) -> Thresholds:
        typed: dict[str, float | int] = {}
        for name, value in overrides.items():
            current = getattr(self, name)
            typed[name] = int(value) if isinstance(current, int) else float(value)
        return replace(self, **typed)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    required_sections: tuple[K, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    # The summary must give an end time, not only a duration (the alx rubric).
    summary_requires_end_time: bool = False


PROFILES: dict[str, Profile] = {
    "seed": Profile("seed", "The seed's eight sections (default)", SEED_SECTIONS),
    "google": Profile(
        "google",
        "Google SRE book",
        (
            K.SUMMARY,
            K.IMPACT,
            K.ROOT_CAUSE,
            K.TRIGGER,
            K.RESOLUTION,
            K.DETECTION,
            K.ACTION_ITEMS,
            K.LESSONS,
            K.TIMELINE,
        ),
    ),
    "pagerduty": Profile(
        "pagerduty",
        "PagerDuty",
        (
            K.SUMMARY,
            K.WHAT_HAPPENED,
            K.ROOT_CAUSE,
            K.RESOLUTION,
            K.IMPACT,
            K.RESPONDERS,
            K.TIMELINE,
            K.LESSONS,
            K.ACTION_ITEMS,
        ),
    ),
    "alx": Profile(
        "alx",
        "The seed course's peer-review rubric",
        (K.SUMMARY, K.TIMELINE, K.ROOT_CAUSE, K.RESOLUTION, K.CORRECTIVE_MEASURES),
        Thresholds(
            min_words=400,
            max_words=600,
            root_cause_min_sentences=2,
            resolution_min_sentences=2,
            timeline_entry_max_sentences=2,
        ),
        summary_requires_end_time=True,
    ),
}

DEFAULT_PROFILE = "seed"


def choose_profile(requested: str | None, template: str | None) -> str:
    """The requested profile, else the document's template when it names one, else seed."""
    if requested:
        return requested
    if template:
        key = template.strip().lower()
        if key in PROFILES:
            return key
    return DEFAULT_PROFILE
