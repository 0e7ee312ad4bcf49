"""Profiles: named rule sets with the sections they require and their thresholds.

A document is linted against the profile named by ``--profile`` or the config; with
``auto`` (the default), the template named in its front matter, else the template whose
layout its headings follow, else ``generic``: a team's own format is judged on what
every postmortem tells, not on another template's section names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from postmortems.markdown.sections import TEMPLATES, normalise
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


def _template_profile(name: str, title: str) -> Profile:
    """A template's profile: the sections its one list in `markdown/sections.py` requires."""
    return Profile(name, title, TEMPLATES[name].required)


PROFILES: dict[str, Profile] = {
    "seed": _template_profile("seed", "The seed's eight sections"),
    "google": _template_profile("google", "Google SRE book"),
    "pagerduty": _template_profile("pagerduty", "PagerDuty"),
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
    # A team's own format: what every postmortem tells, under whatever names it uses.
    "generic": Profile(
        "generic",
        "Any team's own format",
        (K.SUMMARY, K.TIMELINE, K.ROOT_CAUSE, K.RESOLUTION, K.IMPACT, K.ACTION_ITEMS),
    ),
}

AUTO = "auto"
# Without a template and a recognisable layout, the document is in its team's own format.
FALLBACK_PROFILE = "generic"


class Source(StrEnum):
    """How a document's profile was chosen; printed with the profile in every report."""

    OPTION = "option"  # --profile or the config's 'profile'
    FRONT_MATTER = "front matter"  # the document's 'template:'
    LAYOUT = "layout"  # the section headings the document is written with
    FALLBACK = "no known layout"


@dataclass(frozen=True)
class Choice:
    name: str
    source: Source

    def describe(self) -> str:
        return f"{self.name} ({self.source.value})"


# The headings that make a layout, each template's from its one list; the alx rubric's
# from the seed course's project page.
_LAYOUTS: dict[str, tuple[str, ...]] = {
    **{name: tuple(h for _, h in t.headings) for name, t in TEMPLATES.items()},
    "alx": (
        "Issue Summary",
        "Timeline",
        "Root Cause and Resolution",
        "Corrective and Preventative Measures",
    ),
}
# Names every format uses: they never tell one layout from another.
_COMMON = frozenset(
    ("summary", "timeline", "impact", "resolution", "root cause", "action items", "lessons learned")
)


def _distinctive() -> dict[str, frozenset[str]]:
    keys = {name: {normalise(h) for h in headings} for name, headings in _LAYOUTS.items()}
    return {
        name: frozenset(
            k
            for k in own - _COMMON
            if not any(k in other for n, other in keys.items() if n != name)
        )
        for name, own in keys.items()
    }


_DISTINCTIVE = _distinctive()


@functools.lru_cache(maxsize=4096)
def _key(heading: str) -> str:
    return normalise(heading)


def layout_of(headings: Iterable[str]) -> str | None:
    """The template whose headings the document is written with, or None.

    A layout is recognised when half of its headings are present, one of them its own
    ("Trigger" or "Detection" for Google's), or when three of its own are.
    """
    present = {_key(h) for h in headings}
    best: tuple[int, float, str] | None = None
    for name, layout in _LAYOUTS.items():
        keys = {normalise(h) for h in layout}
        own = len(_DISTINCTIVE[name] & present)
        share = len(keys & present) / len(keys)
        if own >= 3 or (own >= 1 and share >= 0.5):
            candidate = (own, share, name)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


def choose_profile(
    requested: str | None, template: str | None, headings: Iterable[str] = ()
) -> Choice:
    """The requested profile; else (auto) the document's template when it names one we
    know, else the layout of its headings, else the generic profile."""
    if requested and requested != AUTO:
        return Choice(requested, Source.OPTION)
    if template:
        key = template.strip().lower()
        if key in PROFILES:
            return Choice(key, Source.FRONT_MATTER)
    layout = layout_of(headings)
    if layout is not None:
        return Choice(layout, Source.LAYOUT)
    return Choice(FALLBACK_PROFILE, Source.FALLBACK)
