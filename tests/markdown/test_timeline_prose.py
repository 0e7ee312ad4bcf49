"""Timelines written as prose, as unbulleted lines, with emoji, and as tables Markdown does
not see: each document here was labelled by hand before the reader ran on it."""

from __future__ import annotations

import datetime as dt

from postmortems import metrics
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.model import Phase, Postmortem, SectionKind


def _notes(pm: Postmortem) -> str:
    return "\n".join(s.notes for s in pm.sections_of(SectionKind.TIMELINE))


PDT = dt.timezone(dt.timedelta(hours=-7), "PDT")

BLOG = """\
# Why uploads stalled on 12 June 2024

We are sorry: for most of a morning, photos you uploaded did not appear.

## Timeline

All times are Pacific Daylight Time (PDT).

At 07:40 PDT, we rolled out a new thumbnail worker image.

Shortly after 07:52 PDT, the upload queue started to back up as workers crashed on start.

The on-call engineer was paged at 08:05 PDT by the queue-age alert and acknowledged it \
three minutes later, at 08:08 PDT.

For the next half hour we looked in the wrong place. At 08:41 PDT, we rolled the worker \
image back. By 08:50 PDT the queue had drained and new uploads appeared within seconds.

Around 10:00 PDT, we closed the incident.

We will share more about the worker change in a follow-up post.
"""


def test_a_prose_timeline_gives_one_entry_per_timed_sentence() -> None:
    pm = parse_text(BLOG)
    day = dt.date(2024, 6, 12)
    expected = [
        ((7, 40), "At 07:40 PDT, we rolled out"),
        ((7, 52), "Shortly after 07:52 PDT, the upload queue"),
        ((8, 5), "The on-call engineer was paged at 08:05 PDT"),
        ((8, 41), "For the next half hour we looked in the wrong place. At 08:41 PDT"),
        ((8, 50), "By 08:50 PDT the queue had drained"),
        ((10, 0), "we closed the incident."),  # "Around 10:00 PDT" is the time as written
    ]
    assert len(pm.timeline) == len(expected)
    for event, ((hour, minute), words) in zip(pm.timeline, expected, strict=True):
        assert event.at == dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PDT)
        assert event.text.startswith(words), event.text
    assert pm.timeline[-1].approximate
    assert "All times are Pacific Daylight Time (PDT)." in _notes(pm)
    assert "follow-up post" in _notes(pm)  # after the last entry: a note


def test_a_prose_timeline_gives_its_lifecycle() -> None:
    pm = parse_text(BLOG)
    life = pm.lifecycle
    day = dt.date(2024, 6, 12)
    assert life.started_at == dt.datetime.combine(day, dt.time(7, 52), tzinfo=PDT)
    assert life.detected_at == dt.datetime.combine(day, dt.time(8, 5), tzinfo=PDT)
    # "acknowledged it three minutes later, at 08:08": the time said after the clause
    assert life.acknowledged_at == dt.datetime.combine(day, dt.time(8, 8), tzinfo=PDT)
    assert life.mitigated_at == dt.datetime.combine(day, dt.time(8, 50), tzinfo=PDT)
    assert life.resolved_at == dt.datetime.combine(day, dt.time(10, 0), tzinfo=PDT)
    assert metrics.ttm(pm) == dt.timedelta(minutes=58)


def test_a_prose_timeline_formats_to_a_fixed_point() -> None:
    once = format_text(BLOG)
    assert format_text(once) == once
    assert "we rolled the worker image back" in once


UNTIMED_BETWEEN = """\
# Outage

## Timeline

At 10:00 UTC on 3 May 2024, the deploy went out.

We spent the next hour on the wrong lead.

At 11:05 UTC, the cause was found and the deploy rolled back.

Thanks to everyone who helped.
"""


def test_an_untimed_paragraph_between_prose_entries_is_an_entry() -> None:
    pm = parse_text(UNTIMED_BETWEEN)
    assert [e.text.split(",")[0] for e in pm.timeline] == [
        "At 10:00 UTC on 3 May 2024",
        "We spent the next hour on the wrong lead.",
        "At 11:05 UTC",
    ]
    assert pm.timeline[1].at is None and pm.timeline[1].elapsed_s is None
    assert "Thanks to everyone" in _notes(pm)


NOT_PROSE_ENTRIES = """\
# Outage

## Timeline

The times below are approximate and in UTC.

- 10:00 Deploy
- 10:20 Rollback

At the time, nobody knew the cache was cold. In hindsight, 10 minutes of warm-up would do.
"""


def test_prose_beside_a_list_stays_a_note() -> None:
    pm = parse_text(NOT_PROSE_ENTRIES)
    assert [e.text for e in pm.timeline] == ["Deploy", "Rollback"]
    assert "nobody knew" in _notes(pm)


UNBULLETED = """\
# Login failures

## Timeline

Issue detected - 9:12 AM: dashboard showed logins failing for 40% of users.
Escalation: 9:40 AM - escalated to the identity team
✅ **10:05** — identity provider certificate renewed
🟢 10:20 — logins normal again
→ 10:45 incident closed
At the time the team was small.
"""


def test_unbulleted_labelled_and_emoji_lines_are_entries() -> None:
    pm = parse_text(UNBULLETED)
    events = pm.timeline
    assert [e.time_as_written for e in events] == ["9:12 AM", "9:40 AM", "10:05", "10:20", "10:45"]
    assert [e.elapsed_s for e in events] == [0, 28 * 60, 53 * 60, 68 * 60, 93 * 60]
    assert events[0].text.startswith("Issue detected - dashboard showed")
    assert events[2].text == "✅ identity provider certificate renewed"
    # a line that starts with "At the" and no time continues the entry before it
    assert events[4].text.endswith("At the time the team was small.")
    assert pm.lifecycle.elapsed_s[Phase.MITIGATE] == 68 * 60


def test_unbulleted_lines_format_to_a_fixed_point() -> None:
    once = format_text(UNBULLETED)
    assert "✅ identity provider certificate renewed" in once
    assert format_text(once) == once


JIRA = """\
# Duplicate invoices

## Timeline

||Time (UTC)||Event||
|2024-04-02 08:10|Billing job started twice after the scheduler failover|
|2024-04-02 08:40|Customer reports two invoices for one month|
|2024-04-02 09:15|Second scheduler stopped, duplicates stop|
"""


def test_a_jira_wiki_table_gives_its_rows_and_is_written_back_as_it_was() -> None:
    pm = parse_text(JIRA)
    assert [e.at for e in pm.timeline] == [
        dt.datetime(2024, 4, 2, 8, 10, tzinfo=dt.UTC),
        dt.datetime(2024, 4, 2, 8, 40, tzinfo=dt.UTC),
        dt.datetime(2024, 4, 2, 9, 15, tzinfo=dt.UTC),
    ]
    assert pm.timeline[1].text == "Customer reports two invoices for one month"
    once = format_text(JIRA)
    assert "||Time (UTC)||Event||" in once
    assert "|2024-04-02 08:40|Customer reports two invoices for one month|" in once
    assert format_text(once) == once


HTML_TABLE = """\
# Stale prices

## Timeline

<table>
<tr><th>When</th><th>What</th></tr>
<tr><td>14:02</td><td>Price feed &amp; cache fall out of sync</td></tr>
<tr><td>14:30</td><td>Seller <b>reports</b> stale prices</td></tr>
</table>

## Root cause

A lost message.
"""


def test_an_html_table_in_a_timeline_gives_its_rows() -> None:
    pm = parse_text(HTML_TABLE)
    assert [e.elapsed_s for e in pm.timeline] == [0, 28 * 60]
    assert [e.text for e in pm.timeline] == [
        "Price feed & cache fall out of sync",
        "Seller reports stale prices",
    ]
    once = format_text(HTML_TABLE)
    assert "<tr><td>14:30</td><td>Seller <b>reports</b> stale prices</td></tr>" in once
    assert format_text(once) == once


def test_a_paragraph_of_pipes_that_is_no_table_stays_a_note() -> None:
    pm = parse_text("# X\n\n## Timeline\n\n| not a table\n\n- 10:00 deploy\n")
    assert [e.text for e in pm.timeline] == ["deploy"]


NARRATIVE = """\
# The evening the search index went stale

Posted 2025-02-03 by the platform team

## What happened

On the evening of 30 January 2025, search returned week-old results for 40 minutes. \
At 21:10 UTC a reindex job swapped in an empty index, and searches started to fail.

We were alerted at 21:18 UTC by the empty-results alarm. The on-call engineer \
acknowledged the page at 21:21 UTC. At 21:35 UTC she pointed the alias back to the \
previous index, and results were back to normal at 21:50 UTC.

We closed the incident at 22:30 UTC after the new index was rebuilt.

## What we learned

An index swap needs a size check.
"""


def test_a_what_happened_narrative_gives_the_lifecycle_when_there_is_no_timeline() -> None:
    pm = parse_text(NARRATIVE)
    assert pm.timeline == []  # the narrative's sentences are not timeline entries
    life = pm.lifecycle

    def at(hour: int, minute: int) -> dt.datetime:
        return dt.datetime(2025, 1, 30, hour, minute, tzinfo=dt.UTC)

    assert life.started_at == at(21, 10)
    assert life.detected_at == at(21, 18)
    assert life.acknowledged_at == at(21, 21)
    assert life.mitigated_at == at(21, 50)
    assert life.resolved_at == at(22, 30)
    assert format_text(NARRATIVE).count("21:18 UTC") == 1  # the prose is written as it was


def test_a_narrative_beside_a_timeline_is_left_to_the_timeline() -> None:
    text = NARRATIVE.replace(
        "## What we learned", "## Timeline\n\n- 2025-01-30 21:12 UTC: errors started\n\n## Lessons"
    )
    pm = parse_text(text)
    assert len(pm.timeline) == 1
    assert pm.lifecycle.started_at == dt.datetime(2025, 1, 30, 21, 12, tzinfo=dt.UTC)
    assert pm.lifecycle.detected_at is None
