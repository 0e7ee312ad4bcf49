"""What a rule sees: the parsed document, its text, the profile, and cheap shared helpers.

Everything expensive (masking code spans, compiling word lists, locating offsets) is
computed at most once per document and shared by all rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from postmortems import times
from postmortems.lint.config import LintOptions
from postmortems.lint.profiles import Profile, Source, Thresholds
from postmortems.lint.words import WordList, build_list
from postmortems.model import Postmortem, Section, SectionKind

# Text a prose rule must not read: fenced code, inline code, HTML comments, links' targets.
_UNREADABLE = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`|<!--.*?-->|\]\([^)\n]*\)|<https?://[^>\n]*>"
    r"|https?://\S+",
    re.DOTALL,
)


def mask_unreadable(text: str) -> str:
    """The text with code, comments and URLs blanked out, offsets unchanged."""
    return _UNREADABLE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


@dataclass
class LintContext:
    pm: Postmortem
    text: str
    path: str
    profile: Profile
    options: LintOptions
    profile_source: Source = Source.OPTION

    @property
    def profile_chosen_by_team(self) -> bool:
        """Whether the team asked for this profile (option, config or front matter) rather
        than the linter reading it from the document's headings."""
        return self.profile_source in (Source.OPTION, Source.FRONT_MATTER)

    @functools.cached_property
    def thresholds(self) -> Thresholds:
        return self.profile.thresholds.with_overrides(dict(self.options.thresholds))

    @functools.cached_property
    def required_sections(self) -> tuple[SectionKind, ...]:
        configured = self.options.required_sections.get(self.profile.name)
        return configured if configured is not None else self.profile.required_sections

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        return starts

    def offset_of(self, line: int, column: int = 1) -> int:
        """Offset in the document's text of a 1-based line and column."""
        starts = self._line_starts
        index = min(max(line - 1, 0), len(starts) - 1)
        return starts[index] + column - 1

    def line_text(self, line: int) -> str:
        starts = self._line_starts
        if line < 1 or line > len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end]

    @staticmethod
    def body_start(section: Section) -> int:
        if section.body_line is not None:
            return section.body_line
        return (section.line or 0) + 1

    def locate(self, section: Section, offset: int) -> tuple[int, int]:
        """Line and column of an offset into ``section.body``."""
        body = section.body
        line = self.body_start(section) + body.count("\n", 0, offset)
        column = offset - (body.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def heading_position(self, section: Section) -> tuple[int, int]:
        return (section.line or 1, 1)

    def masked(self, section: Section) -> str:
        return self._masked_bodies.setdefault(id(section), mask_unreadable(section.body))

    @functools.cached_property
    def _masked_bodies(self) -> dict[int, str]:
        return {}

    def words_in(self, section: Section) -> frozenset[str]:
        """Lower-case words of a section's masked body: a cheap filter before costly regexes."""
        found = self._word_sets.get(id(section))
        if found is None:
            found = frozenset(_TOKEN.findall(self.masked(section).lower()))
            self._word_sets[id(section)] = found
        return found

    @functools.cached_property
    def _word_sets(self) -> dict[int, frozenset[str]]:
        return {}

    def prose_sections(self) -> Iterator[tuple[Section, str]]:
        """Every section with content, with its body masked for prose rules."""
        for section in self.pm.sections:
            if section.body.strip():
                yield section, self.masked(section)

    def sections(self, kind: SectionKind) -> list[Section]:
        return self.pm.sections_of(kind)

    def word_list(self, name: str) -> WordList:
        extra, removed = self.options.words(name)
        return build_list(name, extra, removed)

    def field_position(self, key: str) -> tuple[int, int]:
        line = self.pm.field_lines.get(key) or self.pm.field_lines.get("title") or 1
        return line, 1

    @functools.cached_property
    def display_zone(self) -> dt.tzinfo:
        """The zone the document's times are written in (UTC when it does not say)."""
        return (times.tz_from_name(self.pm.timezone) if self.pm.timezone else None) or dt.UTC

    @functools.cached_property
    def word_count(self) -> int:
        return sum(len(_WORD.findall(mask_unreadable(s.body))) for s in self.pm.sections) + len(
            _WORD.findall(self.pm.preamble)
        )


_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_TOKEN = re.compile(r"[a-z0-9]+")
