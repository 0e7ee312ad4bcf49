"""The one domain model every door of the toolkit reads or writes.

A postmortem is an ordered list of sections (so that the author's order and
unknown sections survive), plus metadata and a lifecycle. The seed's eight
sections are reached through properties; the timeline and the action items are
structured, everything else is Markdown kept as written.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from postmortems import plugins_off

_plugins_setting = plugins_off.switch_off()  # given back at the end of the module


class Status(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"


class Phase(enum.StrEnum):
    """A point in an incident's lifecycle that a timeline entry can mark."""

    TRIGGER = "trigger"
    START = "start"
    DETECT = "detect"
    ACKNOWLEDGE = "acknowledge"
    MITIGATE = "mitigate"
    END = "end"  # impact over for everyone ("OUTAGE ENDS"), when later than mitigation
    RESOLVE = "resolve"


class ActionType(enum.StrEnum):
    PREVENT = "prevent"
    MITIGATE = "mitigate"
    DETECT = "detect"
    REPAIR = "repair"
    PROCESS = "process"
    INVESTIGATE = "investigate"


class SectionKind(enum.StrEnum):
    """What a section is about. The first eight are the seed's sections."""

    SUMMARY = "summary"
    TIMELINE = "timeline"
    ROOT_CAUSE = "root_cause"
    RESOLUTION = "resolution"
    CORRECTIVE_MEASURES = "corrective_measures"
    IMPACT = "impact"
    LESSONS = "lessons"
    ACTION_ITEMS = "action_items"
    # Recognised sections of other templates, outside the seed's eight.
    TRIGGER = "trigger"
    DETECTION = "detection"
    WHAT_HAPPENED = "what_happened"
    RESPONDERS = "responders"
    MESSAGING = "messaging"
    SUPPORTING_INFORMATION = "supporting_information"
    ATTENDEES = "attendees"
    STATS = "stats"


SEED_SECTIONS: tuple[SectionKind, ...] = (
    SectionKind.SUMMARY,
    SectionKind.TIMELINE,
    SectionKind.ROOT_CAUSE,
    SectionKind.RESOLUTION,
    SectionKind.CORRECTIVE_MEASURES,
    SectionKind.IMPACT,
    SectionKind.LESSONS,
    SectionKind.ACTION_ITEMS,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class TimelineEvent(_Model):
    """One entry of the timeline.

    ``at`` is timezone-aware, or None when the entry gave no usable time or no date is
    known; the entry's words are always kept in ``text``. ``elapsed_s`` places every
    entry whose time of day was read on the document's clock, dated or not.
    """

    at: dt.datetime | None = None
    elapsed_s: float | None = Field(
        default=None,
        description="Seconds since the timeline's first timed entry; set whenever the time of "
        "day was read, even when the date is unknown (then 'at' is null).",
    )
    text: str
    phase: Phase | None = None
    phase_inferred: bool = Field(
        default=False, description="True when the phase was guessed from the wording."
    )
    approximate: bool = Field(
        default=False,
        description="The time was written as approximate (~, ±, around, approx.).",
    )
    time_as_written: str | None = Field(
        default=None, description="The timestamp exactly as the document wrote it."
    )
    source: str | None = None
    actor: str | None = None
    evidence: str | None = Field(
        default=None, description="Reference back to the evidence, as file:line."
    )
    line: int | None = Field(default=None, description="1-based line in the Markdown document.")


class ActionItem(_Model):
    text: str
    done: bool = False
    owner: str | None = None
    due: dt.date | None = None
    due_as_written: str | None = None
    type: ActionType | None = None
    priority: str | None = None
    status: str | None = None
    link: str | None = None
    line: int | None = None


class Lifecycle(_Model):
    """When impact began, was noticed, acknowledged, mitigated, over, and the incident closed.

    ``elapsed_s`` holds each phase's place on the document's clock (seconds since the
    timeline's first timed entry), so that a timeline whose times of day have no date
    still has its durations.
    """

    started_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    mitigated_at: dt.datetime | None = None
    ended_at: dt.datetime | None = Field(
        default=None,
        description="Impact over for everyone, when a document says so after mitigation "
        "('OUTAGE ENDS'); impact duration runs to it.",
    )
    resolved_at: dt.datetime | None = None
    elapsed_s: dict[Phase, float] = Field(
        default_factory=dict,
        description="Seconds since the timeline's first timed entry, per phase, whenever the "
        "time of day is known (dated or not).",
    )


LIFECYCLE_FIELD_BY_PHASE: dict[Phase, str] = {
    Phase.START: "started_at",
    Phase.DETECT: "detected_at",
    Phase.ACKNOWLEDGE: "acknowledged_at",
    Phase.MITIGATE: "mitigated_at",
    Phase.END: "ended_at",
    Phase.RESOLVE: "resolved_at",
}


class Section(_Model):
    """A section as written: its heading, what it is about, and its content.

    ``kinds`` is empty for a section whose heading was not recognised; such a
    section is rendered back byte-for-byte. A heading naming two sections
    ("Root Cause and Resolution") has two kinds.
    """

    title: str
    kinds: list[SectionKind] = Field(default_factory=list)
    body: str = Field(
        default="",
        description="The section's content exactly as written, starting at body_line "
        "(for timelines and action items too, entries included).",
    )
    notes: str = Field(
        default="",
        description="For timeline and action-item sections: the Markdown that is not an entry "
        "(e.g. 'All times in UTC.'), rendered before the entries.",
    )
    events: list[TimelineEvent] = Field(default_factory=list)
    items: list[ActionItem] = Field(default_factory=list)
    line: int | None = None
    body_line: int | None = Field(default=None, description="Line of the first line of body.")
    level: int = 2
    keep_title: bool = Field(
        default=False, description="Render the heading as written rather than the template's name."
    )


class FrontMatterField(_Model):
    """A front-matter key the model does not know, kept verbatim."""

    key: str
    value: Any = None
    raw: str = Field(description="The YAML lines of this key exactly as written.")


class Warning_(_Model):
    """Something the parser noticed and a person may want to check."""

    message: str
    line: int | None = None
    code: str = "parse"


class Postmortem(_Model):
    id: str | None = None
    title: str | None = None
    status: Status | None = None
    severity: str | None = None
    date: dt.date | None = None
    timezone: str | None = Field(
        default=None, description="IANA name or UTC offset the document's times are shown in."
    )
    template: str | None = None
    authors: list[str] = Field(default_factory=list)
    reviewers: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    lifecycle_inferred: list[Phase] = Field(
        default_factory=list,
        description="Phases whose time was inferred from the timeline's wording.",
    )
    sections: list[Section] = Field(default_factory=list)
    extra: list[FrontMatterField] = Field(default_factory=list)
    preamble: str = Field(
        default="", description="Markdown between the title and the first section."
    )
    warnings: list[Warning_] = Field(default_factory=list)
    derived: list[str] = Field(
        default_factory=list,
        description="Metadata read from the document's body (title from the H1, date from the "
        "summary, lifecycle from the timeline) rather than its front matter.",
    )
    field_lines: dict[str, int] = Field(
        default_factory=dict, description="Line of each front-matter key, and 'title'."
    )
    source_path: str | None = None

    # The seed's sections, read through the ordered list.

    def sections_of(self, kind: SectionKind) -> list[Section]:
        return [s for s in self.sections if kind in s.kinds]

    def section(self, kind: SectionKind) -> Section | None:
        found = self.sections_of(kind)
        return found[0] if found else None

    def text_of(self, kind: SectionKind) -> str:
        """All Markdown written under sections of this kind, joined."""
        return "\n\n".join(s.body for s in self.sections_of(kind) if s.body.strip())

    @property
    def timeline(self) -> list[TimelineEvent]:
        return [e for s in self.sections_of(SectionKind.TIMELINE) for e in s.events]

    @property
    def action_items(self) -> list[ActionItem]:
        return [i for s in self.sections_of(SectionKind.ACTION_ITEMS) for i in s.items]

    @property
    def extra_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.kinds]

    @property
    def summary(self) -> str:
        return self.text_of(SectionKind.SUMMARY)

    @property
    def root_cause(self) -> str:
        return self.text_of(SectionKind.ROOT_CAUSE)

    @property
    def resolution(self) -> str:
        return self.text_of(SectionKind.RESOLUTION)

    @property
    def corrective_measures(self) -> str:
        return self.text_of(SectionKind.CORRECTIVE_MEASURES)

    @property
    def impact(self) -> str:
        return self.text_of(SectionKind.IMPACT)

    @property
    def lessons(self) -> str:
        return self.text_of(SectionKind.LESSONS)


plugins_off.restore(_plugins_setting)
