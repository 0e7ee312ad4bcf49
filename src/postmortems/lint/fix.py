"""`pm lint --fix`: apply the safe, mechanical fixes the rules attach to their findings.

Fixes only reorder timeline lines, rewrite 12-hour times as 24-hour ones, and fill
durations the document leaves blank from its own timeline. After applying them we parse
the result again and require the same sections, the same timeline entries (as a set) and
the same action items; if anything else changed, the file is left alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from postmortems.errors import PostmortemError
from postmortems.lint.finding import Edit, Finding, Fix
from postmortems.model import Postmortem


@dataclass(frozen=True)
class FixOutcome:
    text: str
    applied: int
    skipped: int


class UnsafeFixError(PostmortemError):
    """Applying the fixes would change what the document says; nothing was written."""


def apply_fixes(text: str, findings: Iterable[Finding]) -> FixOutcome:
    """The text with every fix applied whose edits overlap no fix accepted before it."""
    fixes: list[Fix] = []
    for finding in findings:
        if finding.fix is not None and finding.fix not in fixes:
            fixes.append(finding.fix)
    fixes.sort(key=lambda fix: min(e.start for e in fix.edits))
    accepted: list[Edit] = []
    skipped = 0
    for fix in fixes:
        if any(e.start < a.end and a.start < e.end for e in fix.edits for a in accepted):
            skipped += 1
            continue
        accepted.extend(fix.edits)
    pieces = []
    position = 0
    for edit in sorted(accepted, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.text)
        position = edit.end
    pieces.append(text[position:])
    return FixOutcome("".join(pieces), len(fixes) - skipped, skipped)


def check_meaning_kept(before: Postmortem, after: Postmortem, path: str) -> None:
    """Raise UnsafeFixError unless sections, timeline entries and action items survived."""

    def sections(pm: Postmortem) -> list[tuple[str, tuple[str, ...]]]:
        return [(s.title, tuple(sorted(k.value for k in s.kinds))) for s in pm.sections]

    def events(pm: Postmortem) -> list[tuple[str, str]]:
        return sorted((str(e.at), e.text) for e in pm.timeline)

    def items(pm: Postmortem) -> list[tuple[str, str | None]]:
        return [(i.text, i.owner) for i in pm.action_items]

    if sections(before) != sections(after):
        raise UnsafeFixError("fixes would change the sections; nothing written", path)
    if events(before) != events(after):
        raise UnsafeFixError("fixes would change the timeline's entries; nothing written", path)
    if items(before) != items(after):
        raise UnsafeFixError("fixes would change the action items; nothing written", path)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
