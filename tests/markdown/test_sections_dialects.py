"""Postmortems written in other plain-text markups: wiki markup, AsciiDoc,
reStructuredText."""

from __future__ import annotations

from postmortems.markdown.parse import parse_text
from postmortems.model import SectionKind as K

ASCIIDOC = """= Postmortem: nightly export missed

== Summary

The nightly export to the warehouse did not run on 2025-05-06.

== Timeline

* 01:00 export job skipped, scheduler paused
* 07:40 analysts report empty dashboards

== Action items

. Alert when the export has not run by 02:00
. Scheduler pause needs a reason and an expiry
"""


def test_asciidoc_sections_and_numbered_items() -> None:
    pm = parse_text(ASCIIDOC)
    assert pm.title == "Postmortem: nightly export missed"
    assert [s.kinds for s in pm.sections] == [[K.SUMMARY], [K.TIMELINE], [K.ACTION_ITEMS]]
    assert len(pm.timeline) == 2
    items = pm.section(K.ACTION_ITEMS)
    assert items is not None and len(items.items) == 2


RST = """==================================
Postmortem: certificate expired
==================================

Summary
~~~~~~~

The API certificate expired at 09:00 and clients refused to connect for 40 minutes.

Timeline
~~~~~~~~

- 09:00 certificate expires
- 09:40 new certificate installed

Root cause
~~~~~~~~~~

Renewal mails went to a list nobody reads.

Details
^^^^^^^

The list was archived in 2023.
"""


def test_restructuredtext_titles_with_tilde_underlines() -> None:
    pm = parse_text(RST)
    assert pm.title == "Postmortem: certificate expired"
    assert [s.kinds for s in pm.sections if s.kinds] == [
        [K.SUMMARY],
        [K.TIMELINE],
        [K.ROOT_CAUSE],
    ]
    assert len(pm.timeline) == 2
    cause = pm.section(K.ROOT_CAUSE)
    assert cause is not None and "archived in 2023" in cause.body  # a deeper title inside it


def test_a_markdown_tilde_fence_after_a_line_is_code() -> None:
    text = (
        "# Outage\n\n## Summary\n\nWe ran:\n\nExample\n~~~~~~~\nTimeline\n~~~~~~~\n\n"
        "## Impact\n\nNone.\n"
    )
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections] == [[K.SUMMARY], [K.IMPACT]]
    summary = pm.section(K.SUMMARY)
    assert summary is not None and "~~~~~~~\nTimeline\n~~~~~~~" in summary.body


def test_equals_lines_that_name_no_section_are_left_alone() -> None:
    text = "# Sums\n\n## Notes\n\n= 5 + 3\n\n== 8\n"
    pm = parse_text(text)
    assert [s.title for s in pm.sections] == ["Notes"]
    assert "== 8" in pm.sections[0].body
