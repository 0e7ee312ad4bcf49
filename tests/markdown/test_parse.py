from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.errors import FrontMatterError, PostmortemError
from postmortems.markdown.parse import parse_file, parse_text
from postmortems.markdown.render import render_markdown
from postmortems.model import ActionType, Phase, SectionKind, Status

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_seed_style_document(documents: Path) -> None:
    pm = parse_file(documents / "seed-style.md")
    assert pm.title == "Search outage caused by an index rebuild"
    assert pm.date == dt.date(2025, 3, 3)
    assert pm.timezone == "UTC"
    kinds = [s.kinds[0] for s in pm.sections]
    assert kinds == [
        SectionKind.SUMMARY,
        SectionKind.TIMELINE,
        SectionKind.ROOT_CAUSE,
        SectionKind.RESOLUTION,
        SectionKind.CORRECTIVE_MEASURES,
        SectionKind.IMPACT,
        SectionKind.LESSONS,
        SectionKind.ACTION_ITEMS,
    ]
    assert all(s.body.strip() for s in pm.sections)
    times = [e.at for e in pm.timeline]
    assert times[0] == at("2025-03-03T14:05:00+00:00")
    assert times[-1] == at("2025-03-03T15:30:00+00:00")
    assert times == sorted(times)
    assert [e.text for e in pm.timeline][
        1
    ] == "The first reports of empty search results arrived from support."
    assert len(pm.action_items) == 2
    assert not any(item.done or item.owner for item in pm.action_items)


def test_lifecycle_inferred_from_wording(documents: Path) -> None:
    pm = parse_file(documents / "seed-style.md")
    life = pm.lifecycle
    # Nothing says what went wrong before the first reports: the change written before
    # them ("started by a scheduler change") is when impact began.
    assert life.started_at == at("2025-03-03T14:05:00+00:00")
    assert life.detected_at == at("2025-03-03T14:10:00+00:00")
    assert life.acknowledged_at == at("2025-03-03T14:20:00+00:00")
    assert life.mitigated_at == at("2025-03-03T15:05:00+00:00")
    assert life.resolved_at == at("2025-03-03T15:30:00+00:00")
    assert Phase.MITIGATE in pm.lifecycle_inferred
    restored = pm.timeline[4]
    assert restored.phase == Phase.MITIGATE and restored.phase_inferred


def test_front_matter_setext_and_tables(documents: Path) -> None:
    pm = parse_file(documents / "rich.md")
    assert pm.title == "Queue backlog delayed notifications"
    assert pm.status == Status.DRAFT
    assert pm.authors == ["Dana Ortiz", "Lee Park"]
    assert [f.key for f in pm.extra] == ["team_channel", "custom"]
    assert pm.extra[0].raw == 'team_channel: "#inc-queue"   # kept as written'
    assert pm.extra[1].value == {"nested": [1, 2, 3]}
    assert pm.preamble == "Prepared for the weekly operations review."
    summary = pm.section(SectionKind.SUMMARY)
    assert summary is not None and summary.title == "Overview"
    combined = pm.sections_of(SectionKind.ROOT_CAUSE)[0]
    assert combined.kinds == [SectionKind.ROOT_CAUSE, SectionKind.RESOLUTION]
    assert combined.keep_title
    unknown = pm.extra_sections
    assert [s.title for s in unknown] == ["Customer Communication"]
    assert "  * another   with   odd   spacing" in unknown[0].body


def test_table_timeline_rolls_past_midnight_in_document_zone(documents: Path) -> None:
    pm = parse_file(documents / "rich.md")
    events = pm.timeline
    assert len(events) == 5
    assert events[0].phase == Phase.TRIGGER and not events[0].phase_inferred
    assert events[0].at == at("2025-11-02T23:40:00+01:00")
    assert events[2].at == at("2025-11-03T00:10:00+01:00")
    assert events[4].at is None and events[4].text == "Follow-up discussion scheduled"


def test_action_item_table_columns(documents: Path) -> None:
    pm = parse_file(documents / "rich.md")
    first, second = pm.action_items
    assert first.owner == "dana" and first.due == dt.date(2025, 11, 20)
    assert first.type == ActionType.DETECT and first.priority == "P1"
    assert second.owner == "Lee Park" and second.type == ActionType.PREVENT


def test_time_headings_under_date_headings(documents: Path) -> None:
    pm = parse_file(documents / "headings-timeline.md")
    events = pm.timeline
    assert [e.at.isoformat() if e.at else None for e in events] == [
        "2025-05-09T23:48:00+01:00",
        "2025-05-09T23:59:00+01:00",
        "2025-05-10T00:20:00+01:00",
        "2025-05-10T01:00:00+01:00",
    ]
    assert "> Uploads are working again." in events[2].text
    assert pm.action_items[0].owner == "sam"
    assert pm.action_items[0].due == dt.date(2025, 6, 1)


def test_bold_pseudo_headings_start_sections() -> None:
    pm = parse_text(
        "**Summary**: The cache was cold.\n\n**Root Cause**: A restart.\n\n**Notes for later**: ignored name\n"
    )
    assert [s.kinds for s in pm.sections] == [[SectionKind.SUMMARY], [SectionKind.ROOT_CAUSE]]
    assert pm.sections[0].body == "The cache was cold."
    assert "**Notes for later**: ignored name" in pm.sections[1].body


def test_unknown_heading_is_its_own_section_not_merged() -> None:
    pm = parse_text(
        "# T\n\n## Summary\n\nShort.\n\n## Weather report\n\nSunny.\n\n## Impact\n\nNone.\n"
    )
    assert [s.title for s in pm.sections] == ["Summary", "Weather report", "Impact"]
    assert pm.sections[0].body == "Short."
    assert pm.sections[1].kinds == [] and pm.sections[1].body == "Sunny."


def test_subheadings_stay_in_their_section() -> None:
    pm = parse_text(
        "## Lessons Learned\n\n### What went well\n\n- fast rollback\n\n### Details\n\nMore.\n"
    )
    assert len(pm.sections) == 1
    assert "### What went well" in pm.sections[0].body and "More." in pm.sections[0].body


def test_entry_without_time_is_kept() -> None:
    pm = parse_text("## Timeline\n\n- 2024-01-02 10:00 UTC: start\n- sometime later, a meeting\n")
    assert [e.text for e in pm.timeline][1] == "sometime later, a meeting"
    assert pm.timeline[1].at is None


def test_malformed_front_matter_reports_its_line() -> None:
    with pytest.raises(FrontMatterError) as error:
        parse_text("---\ntitle: ok\nauthors: [a, b\n---\n# T\n", "x.md")
    assert error.value.path == "x.md"
    assert error.value.line is not None and error.value.line >= 3


def test_empty_document_warns() -> None:
    pm = parse_text("")
    assert pm.sections == [] and pm.warnings


def test_time_formats_real_documents_use(documents: Path) -> None:
    events = parse_file(documents / "formats.md").timeline
    got = {e.text: e.at.isoformat() if e.at else None for e in events}
    assert got == {
        "bold twelve-hour": "2023-11-06T09:50:00+00:00",
        "bare twenty-four hour": "2023-11-06T14:51:00+00:00",
        "full date": "2021-06-22T08:21:00+00:00",
        "day first with dash": "2025-05-27T13:44:00+00:00",
        "time then ordinal date": "2023-11-06T11:10:00+00:00",
        "long date": "2025-07-14T11:20:00+00:00",
        "approximate": "2025-07-14T17:20:00+00:00",
        "ISO with offset": "2024-08-01T10:00:00+02:00",
        "no space": "2024-08-01T18:15:00+00:00",
        "gmt": "2024-08-01T14:51:00+00:00",
        "parenthesised": "2024-08-01T14:51:00+03:00",
        "pacific": "2024-08-01T14:51:00-08:00",
        "offset": "2024-08-01T14:51:00+05:30",
    }
    assert [e.approximate for e in events].count(True) == 1


def test_ambiguous_day_month_is_decided_by_context_and_warned() -> None:
    pm = parse_text(
        "## Timeline\n\n- 25/03/2024 10:00 UTC: day first, clearly\n- 04/03/2024 11:00 UTC: which?\n"
    )
    assert pm.timeline[1].at is not None and pm.timeline[1].at.month == 3
    assert any("ambiguous" in w.message for w in pm.warnings)


_markdownish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "# ",
                "## ",
                "### ",
                "---\n",
                "- ",
                "* ",
                "1. ",
                "| a | b |\n|---|---|\n",
                "**",
                "`",
                "> ",
                "Timeline\n",
                "Summary\n",
                "Action Items\n",
                "- [ ] ",
                "10:00 ",
                "2024-01-02 ",
                "UTC",
                "\n",
                "\n\n",
                "=====\n",
                "-----\n",
                "<!-- x -->",
                "@dana ",
                "due 2024-09-01",
            ]
        ),
        st.text(max_size=15),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=int(os.environ.get("PM_HYPOTHESIS_EXAMPLES", "200")), deadline=None)
@given(_markdownish)
def test_parser_reads_any_text_or_says_why(text: str) -> None:
    try:
        pm = parse_text(text)
    except PostmortemError:
        return
    rendered = render_markdown(pm)
    assert render_markdown(parse_text(rendered)) == rendered
