"""Terse documents whose sections open with a label and its text on one line, and the
fields of a summary that are not sections."""

from __future__ import annotations

from postmortems.markdown.parse import parse_text
from postmortems.model import SectionKind as K


def kinds_of(text: str) -> list[list[K]]:
    return [s.kinds for s in parse_text(text).sections if s.kinds]


TERSE = """# disk full on build runner, 2025-03-14

summary: build runner 3 filled its disk, builds queued 50 min.

timeline
- 11:02 disk at 100%
- 11:20 builds stuck, dev complaint
- 11:52 old images pruned, builds run

cause: image cache never pruned since the runner was rebuilt.

todo
- [ ] nightly prune job (kai)
"""


def test_labels_with_their_text_open_sections_in_a_terse_document() -> None:
    pm = parse_text(TERSE)
    assert [s.kinds for s in pm.sections] == [
        [K.SUMMARY],
        [K.TIMELINE],
        [K.ROOT_CAUSE],
        [K.ACTION_ITEMS],
    ]
    cause = pm.section(K.ROOT_CAUSE)
    assert cause is not None
    assert cause.body == "image cache never pruned since the runner was rebuilt."
    assert len(pm.timeline) == 3


def test_labels_are_fields_when_the_document_has_markdown_headings() -> None:
    text = (
        "# Outage\n\n## Summary\n\nThe API was down.\n\n"
        "Impact: 40% of requests failed.\n\n## Timeline\n\n- 10:00 down\n"
    )
    assert kinds_of(text) == [[K.SUMMARY], [K.TIMELINE]]


def test_fields_under_a_plain_summary_heading_stay_in_the_summary() -> None:
    text = (
        "Issue Summary:\nDuration: 1 hour\nImpact: logins failed for 80% of users.\n"
        "Root cause: a wrong folder owner.\n\nTimeline:\n- 10:00 AM: logins fail\n"
    )
    assert kinds_of(text) == [[K.SUMMARY], [K.TIMELINE]]


def test_a_label_among_other_fields_is_a_field() -> None:
    text = "# Outage\n\nDate: 2025-01-02\nImpact: small\nOwner: ana\n\nThe cache was cold.\n"
    assert kinds_of(text) == []


def test_a_wrapped_sentence_is_not_a_label() -> None:
    text = "# Outage\n\nWe spent an hour finding the\ncause: a typo in the config.\n"
    assert kinds_of(text) == []


def test_an_entry_label_inside_a_timeline_stays_an_entry() -> None:
    text = (
        "# Outage\n\ntimeline\n- 10:00 disk fills\n\n"
        "Detection: 10:05 the alert fired\n\nroot cause: logs were not rotated.\n"
    )
    assert kinds_of(text) == [[K.TIMELINE], [K.ROOT_CAUSE]]


def test_a_duration_field_is_not_a_section() -> None:
    text = "# Outage\n\n## Summary\n\nThe API was down.\n\n**Duration:** 45 min\n"
    assert kinds_of(text) == [[K.SUMMARY]]


def test_bold_fields_one_per_paragraph_under_a_summary_are_fields() -> None:
    text = (
        "# Outage\n\n## Issue Summary\n\n**Duration:** 2 hours\n\n"
        "**Impact:** writes failed for every user.\n\n"
        "**Root cause:** the database disk was full.\n\n"
        "## Timeline\n\n- 21:30 writes fail\n\n## Root Cause\n\nBinary logs were kept.\n"
    )
    assert kinds_of(text) == [[K.SUMMARY], [K.TIMELINE], [K.ROOT_CAUSE]]


def test_bold_pseudo_headings_after_a_bold_summary_are_sections() -> None:
    text = (
        "# Outage\n\n**Summary:** The API was down.\n\n"
        "**Impact:** 40% of requests failed.\n\n**Root cause:** a full disk.\n"
    )
    assert kinds_of(text) == [[K.SUMMARY], [K.IMPACT], [K.ROOT_CAUSE]]


def test_fields_under_a_bold_summary_heading_stay_in_the_summary() -> None:
    text = (
        "# Postmortem\n\n**Issue Summary**\n\nDuration: 30 minutes.\n"
        "Impact: search was down for everyone.\nRoot cause: an expired certificate.\n\n"
        "**Timeline**\n\n- 9:00 AM: search fails\n"
    )
    assert kinds_of(text) == [[K.SUMMARY], [K.TIMELINE]]
