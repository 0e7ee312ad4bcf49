"""Timelines as people write them: phase markers, date lines, the SRE book's layout."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from postmortems import metrics
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.markdown.phases import marker_phase
from postmortems.model import Phase

UTC = dt.UTC


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2019, 4, 11, hour, minute, tzinfo=UTC)


def _sre_layout(documents: Path, *, plain_heading: bool) -> str:
    text = (documents / "sre-layout.md").read_text()
    if plain_heading:  # what this test is about is the timeline, not its decorated heading
        text = re.sub(r"^## Timeline \[\[4\]\]\(.*\)\n-+$", "## Timeline", text, flags=re.M)
    return text


@pytest.mark.parametrize("plain_heading", [True, False], ids=["plain", "footnote-setext"])
def test_sre_book_layout_gives_its_entries_and_lifecycle(
    documents: Path, plain_heading: bool
) -> None:
    pm = parse_text(_sre_layout(documents, plain_heading=plain_heading))
    assert len(pm.timeline) == 34
    assert all(e.at is not None for e in pm.timeline)
    life = pm.lifecycle
    assert life.started_at == _at(14, 54)
    assert life.detected_at == _at(14, 55)
    # "starts investigating" takes the incident on; "INCIDENT BEGINS" only declares it later.
    assert life.acknowledged_at == _at(14, 58)
    assert life.mitigated_at == _at(15, 36)
    assert life.ended_at == _at(16, 0)
    assert life.resolved_at == _at(16, 30)
    assert metrics.impact_duration(pm) == dt.timedelta(minutes=66)
    assert metrics.ttm(pm) == dt.timedelta(minutes=42)
    assert pm.date == dt.date(2019, 4, 11)
    assert pm.authors == ["ferrante", "ola", "jpike"]
    assert not pm.warnings


def test_sre_layout_formats_without_tags_added_to_markers(documents: Path) -> None:
    once = format_text(_sre_layout(documents, plain_heading=True))
    assert "**2019-04-11 16:00 UTC**: **OUTAGE ENDS**, all traffic" in once
    assert "[ended]" not in once and "[started]" not in once
    assert format_text(once) == once


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("OUTAGE BEGINS — backends fall over", Phase.START),
        ("**Outage begins** backends fall over", Phase.START),
        ("INCIDENT BEGINS on-call declares it", None),  # read with its words: see phases.py
        ("OUTAGE MITIGATED, index copied", Phase.MITIGATE),
        ("**OUTAGE ENDS**, all traffic back", Phase.END),
        ("IMPACT ENDS", Phase.END),
        ("INCIDENT ENDS, exit criterion reached", Phase.RESOLVE),
        ("Outage began when the cache expired", None),  # a sentence, not a marker
        ("Incident ends are hard to call", None),
    ],
)
def test_phase_markers(text: str, phase: Phase | None) -> None:
    assert marker_phase(text) is phase


def test_a_date_line_with_the_zone_stated_sets_both() -> None:
    pm = parse_text("# X\n\n## Timeline\n\n2024-06-02 (all times CEST)\n\n- 10:00 Errors began\n")
    assert pm.timeline[0].at == dt.datetime(
        2024, 6, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=2), "CEST")
    )
    assert len(pm.timeline) == 1


LABELLED = """\
# Slow pages

## Timeline (all times West African Time)

- Issue detected - 9:00 AM: An engineer noticed slow pages
- **Escalation:** 9:30 AM - escalated to the database team
- Incident resolution - 10:15 AM: the index was rebuilt
- The service was restored around 10:40 AM after a restart
- Restarted 3 pods on the spare nodes
"""


def test_labels_and_times_inside_sentences() -> None:
    pm = parse_text(LABELLED)
    events = pm.timeline
    assert [e.time_as_written for e in events] == [
        "9:00 AM",
        "9:30 AM",
        "10:15 AM",
        "around 10:40 AM",
        None,
    ]
    assert [e.elapsed_s for e in events] == [0, 1800, 4500, 6000, None]
    assert events[0].text == "Issue detected - An engineer noticed slow pages"
    assert events[1].text == "**Escalation:** escalated to the database team"
    assert events[3].approximate
    assert events[3].text == "The service was restored around 10:40 AM after a restart"
    assert events[4].text == "Restarted 3 pods on the spare nodes"
    assert pm.lifecycle.elapsed_s[Phase.DETECT] == 0
    assert pm.lifecycle.elapsed_s[Phase.MITIGATE] == 6000


def test_labels_and_sentence_times_format_to_a_fixed_point() -> None:
    once = format_text(LABELLED)
    assert "- **around 10:40 AM**: The service was restored around 10:40 AM" in once
    assert format_text(once) == once


DATE_GROUPS = """\
# Checkout errors

## Timeline

- March 3, 2024
  - 23:10 Errors started on checkout
  - 23:40 Alert fired
- March 4, 2024
  - 00:20 Service restored
  - 01:00 Incident resolved

**5 March 2024**

- 09:00 Review held
"""


def test_date_groups_nested_and_following() -> None:
    pm = parse_text(DATE_GROUPS)
    assert [e.at for e in pm.timeline] == [
        dt.datetime(2024, 3, 3, 23, 10, tzinfo=UTC),
        dt.datetime(2024, 3, 3, 23, 40, tzinfo=UTC),
        dt.datetime(2024, 3, 4, 0, 20, tzinfo=UTC),
        dt.datetime(2024, 3, 4, 1, 0, tzinfo=UTC),
        dt.datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
    ]
    assert [e.line for e in pm.timeline] == [6, 7, 9, 10, 14]
    assert metrics.ttr(pm) == dt.timedelta(minutes=110)
    once = format_text(DATE_GROUPS)
    assert format_text(once) == once


def test_a_table_with_date_and_time_columns() -> None:
    text = """\
# Backups skipped

## Timeline

| Date | Time (UTC) | Event |
| --- | --- | --- |
| 2024-09-20 | 01:00 | The nightly copy is skipped |
| 2024-09-21 | 09:30 | A restore drill finds no copy; issue detected |
| 2024-09-21 | 11:40 | The copy completes |
"""
    pm = parse_text(text)
    assert [e.at for e in pm.timeline] == [
        dt.datetime(2024, 9, 20, 1, 0, tzinfo=UTC),
        dt.datetime(2024, 9, 21, 9, 30, tzinfo=UTC),
        dt.datetime(2024, 9, 21, 11, 40, tzinfo=UTC),
    ]
    assert pm.timeline[0].text == "The nightly copy is skipped"
    once = format_text(text)
    assert format_text(once) == once


def test_impact_marked_over_without_a_mitigation_marker_is_mitigated_then() -> None:
    text = """\
# Empty results

## Timeline

- 08:01 OUTAGE BEGINS searches in one region return nothing
- 08:09 lee is paged by the empty results alert
- 08:41 OUTAGE ENDS empty result rate is normal
"""
    pm = parse_text(text)
    assert pm.lifecycle.elapsed_s[Phase.START] == 0
    assert pm.lifecycle.elapsed_s[Phase.DETECT] == 8 * 60
    assert pm.lifecycle.elapsed_s[Phase.END] == 40 * 60
    assert pm.lifecycle.elapsed_s[Phase.MITIGATE] == 40 * 60
    assert metrics.ttm(pm) == dt.timedelta(minutes=40)
    assert Phase.MITIGATE in pm.lifecycle_inferred


def test_repeated_plain_section_names_format_to_a_fixed_point() -> None:
    once = format_text("Timeline\nTimeline\nTimeline\nTimeline\n")
    assert once.count("## Timeline") == 4
    assert format_text(once) == once


def test_an_entry_of_dashes_stays_an_entry() -> None:
    once = format_text("Timeline\n* -----\n- # ")
    assert "* -----" in once  # "- -----" would read as a thematic break
    assert format_text(once) == once
