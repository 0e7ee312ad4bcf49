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


@pytest.mark.parametrize(
    "plain_heading",
    [
        pytest.param(True, id="plain"),
        pytest.param(
            False,
            id="footnote-setext",
            marks=pytest.mark.xfail(reason="a heading with a footnote link", strict=False),
        ),
    ],
)
def test_sre_book_layout_gives_its_entries_and_lifecycle(
    documents: Path, plain_heading: bool
) -> None:
    pm = parse_text(_sre_layout(documents, plain_heading=plain_heading))
    assert len(pm.timeline) == 34
    assert all(e.at is not None for e in pm.timeline)
    life = pm.lifecycle
    assert life.started_at == _at(14, 54)
    assert life.detected_at == _at(14, 55)
    assert life.acknowledged_at == _at(15, 1)
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
        ("INCIDENT BEGINS on-call declares it", Phase.ACKNOWLEDGE),
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
