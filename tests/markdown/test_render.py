from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_file, parse_text
from postmortems.markdown.render import render_markdown
from postmortems.markdown.sections import match_heading
from postmortems.model import ActionItem, Phase, Postmortem, Section, SectionKind, TimelineEvent
from support import corpus

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "documents").glob("*.md"))


def roundtrip(text: str, template: str | None = None) -> tuple[str, str]:
    first = render_markdown(parse_text(text), template)
    second = render_markdown(parse_text(first), template)
    return first, second


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("template", [None, "seed", "google", "pagerduty"])
def test_render_is_a_fixed_point(path: Path, template: str | None) -> None:
    first, second = roundtrip(path.read_text(), template)
    assert first == second


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_format_keeps_unknown_content_byte_for_byte(path: Path) -> None:
    original = parse_file(path)
    formatted = format_text(path.read_text(), str(path))
    for field in original.extra:
        assert field.raw in formatted
    for section in original.extra_sections:
        assert section.body in formatted
    assert format_text(formatted) == formatted


def test_canonical_timeline_form() -> None:
    text = render_markdown(
        parse_text(
            "---\ndate: 2025-11-02\ntimezone: Europe/Berlin\n---\n# Queue\n\n## Timeline\n\n"
            "- 23:40 [trigger] Consumer deploy finished\n- **00:10**: Workers scaled back up\n"
            "- Follow-up discussion scheduled\n"
        )
    )
    assert "- **2025-11-02 23:40 +01:00**: [trigger] Consumer deploy finished" in text
    assert "- **2025-11-03 00:10 +01:00**: Workers scaled back up" in text
    assert "- Follow-up discussion scheduled" in text


def test_tables_are_kept_with_every_column(documents: Path) -> None:
    text = render_markdown(parse_file(documents / "rich.md"))
    assert "| 23:40 | [trigger] Consumer deploy finished |" in text
    assert "| Alert when worker count drops below 4 | detect | @dana | 2025-11-20 | P1 |" in text
    again = parse_text(text)
    assert again.action_items[1].owner == "Lee Park"
    assert again.action_items[1].due == dt.date(2025, 12, 1)
    assert [e.at for e in again.timeline] == [
        e.at for e in parse_file(documents / "rich.md").timeline
    ]


def test_template_reorders_and_renames(documents: Path) -> None:
    text = render_markdown(parse_file(documents / "seed-style.md"), "google")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Summary", "## Impact", "## Root Causes"]
    assert headings.index("## Timeline") > headings.index("## Lessons Learned")


def test_front_matter_only_holds_what_was_written(documents: Path) -> None:
    text = render_markdown(parse_file(documents / "seed-style.md"))
    assert not text.startswith("---")  # date and zone came from the summary: not added
    text = render_markdown(parse_file(documents / "rich.md"))
    assert text.startswith(
        "---\nid: 2025-11-02-queue-backlog\ntitle: Queue backlog delayed notifications\n"
    )


# Generated postmortems: unicode, empty sections, unknown sections, odd timestamps.

_words = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="#*_`[]<>|\\!&-+=~:"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s[0].isalpha())
)
# A line that is only a section name reads as that section's heading, so a body is never one.
_prose = _words.filter(lambda s: match_heading(s, subtitles=False) is None)
_zones = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-7))]
)
_times = st.builds(
    lambda d, z: d.replace(tzinfo=z),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    _zones,
)
_events = st.lists(
    st.builds(
        TimelineEvent,
        at=st.one_of(st.none(), _times),
        text=_words,
        phase=st.one_of(st.none(), st.sampled_from(list(Phase))),
    ),
    max_size=6,
)
_items = st.lists(st.builds(ActionItem, text=_words, done=st.booleans()), max_size=4)


@st.composite
def postmortems(draw: st.DrawFn) -> Postmortem:
    sections = [
        Section(
            title="Summary", kinds=[SectionKind.SUMMARY], body=draw(st.one_of(st.just(""), _prose))
        ),
        Section(title="Timeline", kinds=[SectionKind.TIMELINE], events=draw(_events)),
        Section(title=draw(_words).title() + " Notes", kinds=[], body=draw(_prose)),
        Section(title="Impact", kinds=[SectionKind.IMPACT], body=""),
        Section(title="Action Items", kinds=[SectionKind.ACTION_ITEMS], items=draw(_items)),
    ]
    return Postmortem(title=draw(_words), sections=sections)


@settings(
    max_examples=int(__import__("os").environ.get("PM_HYPOTHESIS_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)
@given(postmortems())
def test_generated_postmortems_are_a_fixed_point(pm: Postmortem) -> None:
    first = render_markdown(pm)
    parsed = parse_text(first)
    assert render_markdown(parsed) == first
    assert [e.text for e in parsed.timeline] == [e.text for e in pm.timeline]
    assert [e.at for e in parsed.timeline] == [e.at for e in pm.timeline]
    assert [(i.text, i.done) for i in parsed.action_items] == [
        (i.text, i.done) for i in pm.action_items
    ]


def test_every_real_postmortem_formats_safely_and_stably() -> None:
    """Real documents in all their variety: fmt loses nothing and is a fixed point."""
    paths = sorted(corpus("postmortems").rglob("*.md")) + sorted(corpus("templates").rglob("*.md"))
    assert paths
    for path in paths:
        formatted = format_text(path.read_text("utf-8"), str(path))
        assert format_text(formatted, str(path)) == formatted, path.name
