"""Section headings as people write them: plain lines, HTML, emphasis, decorations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.errors import FormatSafetyError
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.markdown.reading import headings_view, unwrap
from postmortems.markdown.sections import match_heading
from postmortems.model import SectionKind as K


def kinds_of(text: str) -> list[list[str]]:
    return [[k.value for k in s.kinds] for s in parse_text(text).sections]


@pytest.mark.parametrize(
    "heading",
    [
        "Timeline",
        "Timeline:",
        "TIMELINE",
        "timeline:",
        "## 2. Timeline",
        "## IV. Timeline",
        "## Section 3: Timeline",
        "## Part B - Timeline",
        "## 🕒 Timeline",
        "## :clock1: Timeline",
        "## Timeline [[12]](https://example.org/notes#12)",
        "## Timeline ^[3](https://example.org/ref)^",
        "## Timeline (all in PST)",
        "## Timeline: a long Tuesday",
        "## Timeline — minute by minute",
        "#### **Timeline**",
        "<h2>Timeline</h2>",
        "<h3 id='tl'>Timeline:</h3>",
        "*Timeline:*",
        "***Timeline***",
        "_Timeline_",
        "**Timeline**",
        "3. Timeline:",
        "II. Timeline",
        "Timeline (UTC)",
    ],
)
def test_heading_styles_open_the_section(heading: str) -> None:
    text = f"# Checkout outage\n\nCarts could not be paid.\n\n{heading}\n- 10:02 UTC alerts fired\n"
    pm = parse_text(text)
    assert [[k.value for k in s.kinds] for s in pm.sections] == [["timeline"]]
    assert [e.text for e in pm.timeline] == ["alerts fired"]


def test_setext_heading_with_a_footnote_link() -> None:
    text = (
        "Notes\n=====\n\nWe wrote these on the day.\n\n"
        "Timeline [[98]](https://example.org/book/notes#98)\n"
        "--------------------------------------------------\n\n"
        "- 14:51 first reports of slow searches\n- 14:54 searches fail\n"
    )
    pm = parse_text(text)
    timeline = pm.section(K.TIMELINE)
    assert timeline is not None and len(timeline.events) == 2
    assert timeline.title.startswith("Timeline [[98]]")


@pytest.mark.parametrize(
    "prose",
    [
        "Timeline of the migration was tight.",
        "Timeline pressure made us skip the canary",
        "Impact on users was small: about 30 people.",
        "Resolution came after the second restart.",
        "Summary statistics were wrong for an hour",
    ],
)
def test_a_sentence_starting_with_a_name_is_not_a_heading(prose: str) -> None:
    text = f"## Summary\n\nWe lost writes for an hour.\n\n{prose}\nThe rest of the story.\n"
    assert kinds_of(text) == [["summary"]]


def test_a_wrapped_sentence_ending_in_a_name_is_not_a_heading() -> None:
    text = "## Summary\n\nThe outage had a large\nimpact\non the team's week.\n"
    assert kinds_of(text) == [["summary"]]


def test_numbered_list_of_one_line_names_stays_a_list() -> None:
    text = "## Lessons Learned\n\nWhat we practised:\n\n1. Detection\n2. Resolution\n"
    assert kinds_of(text) == [["lessons"]]


def test_numbered_heading_holding_its_text() -> None:
    text = "1. Issue Summary\n   Logins failed for an hour.\n\n2. Root Cause\n   A stale certificate.\n"
    assert kinds_of(text) == [["summary"], ["root_cause"]]


def test_tasks_under_corrective_measures_stay_in_that_section() -> None:
    text = (
        "## Corrective and Preventative Measures\n\nWatch renewals.\n\nTasks:\n\n"
        "- Alert on expiry\n- Fix the renewal job\n"
    )
    assert kinds_of(text) == [["corrective_measures"]]


def test_an_empty_field_among_fields_is_not_a_heading() -> None:
    text = "# Metadata\n\nOwner: @ana\n\nInvolved:\n\nMeeting: Friday\n\n# Overview\n\nText.\n"
    assert kinds_of(text) == [[], ["summary"]]


def test_a_template_field_with_its_hint_indented_under_it_is_not_a_heading() -> None:
    text = (
        "# Metadata\n\nOwner: <your name>\n\nInvolved:\n  - name everyone who helped\n  \n"
        "Meeting: <date and time>\n\n# Overview\n\nText.\n"
    )
    assert kinds_of(text) == [[], ["summary"]]


def test_html_strong_line_is_a_pseudo_heading() -> None:
    pm = parse_text("<strong>Impact:</strong> 40% of sign-ins failed.\n")
    impact = pm.section(K.IMPACT)
    assert impact is not None and impact.body == "40% of sign-ins failed."


def test_unknown_html_heading_opening_its_block_is_a_section() -> None:
    pm = parse_text("<h2>Summary</h2>\nShort.\n\n<h2>Customer letters</h2>\nWe wrote to 12.\n")
    assert [s.title for s in pm.sections] == ["Summary", "Customer letters"]
    assert pm.sections[1].body == "We wrote to 12."


def test_deep_sibling_sections_each_open_a_section() -> None:
    text = "#### **Summary**\nShort.\n\n#### **Timeline**\n- 09:00 UTC began\n\n#### **Root Cause**\nA bug.\n"
    assert kinds_of(text) == [["summary"], ["timeline"], ["root_cause"]]


def test_several_pseudo_headings_in_one_paragraph() -> None:
    text = "**Summary**: short.\n**Impact**: all users.\n*Root Cause:*\nA bug.\n"
    assert kinds_of(text) == [["summary"], ["impact"], ["root_cause"]]


def test_indented_prose_under_a_plain_heading_is_prose() -> None:
    text = (
        "Issue Summary:\n    Payments failed from 10:00 to 10:40 UTC on 2024-05-02.\n\n"
        "Timeline:\n\n    10:00 UTC - error rate alert fired\n    10:40 UTC - rollback finished\n"
    )
    pm = parse_text(text)
    assert kinds_of(text) == [["summary"], ["timeline"]]
    assert pm.summary.startswith("Payments failed")
    assert [e.text for e in pm.timeline] == ["error rate alert fired", "rollback finished"]
    assert [w.line for w in pm.warnings if "indented text" in w.message] == [2, 6]


def test_indented_code_under_a_plain_heading_stays_code() -> None:
    text = "Root Cause:\n\n    if (ready) {\n        start();\n    }\n"
    pm = parse_text(text)
    assert pm.root_cause == "    if (ready) {\n        start();\n    }"


@pytest.mark.parametrize(
    ("wrapped", "wrapper", "entry_line"),
    [
        (
            'echo "Summary:\nIt broke.\n\nTimeline:\n- 10:00 UTC it broke\n" > README.md\n',
            "echo",
            5,
        ),
        (
            "cat > README.md <<'EOF'\nSummary:\nIt broke.\n\nTimeline:\n- 10:00 UTC it broke\nEOF\n",
            "heredoc",
            6,
        ),
        (
            "```markdown\nSummary:\nIt broke.\n\nTimeline:\n- 10:00 UTC it broke\n```\n",
            "code fence",
            6,
        ),
    ],
)
def test_wrapped_documents_are_read_inside(wrapped: str, wrapper: str, entry_line: int) -> None:
    pm = parse_text(wrapped)
    assert kinds_of(wrapped) == [["summary"], ["timeline"]]
    assert pm.timeline[0].line == entry_line
    assert any(wrapper in w.message and w.line == 1 for w in pm.warnings)


def test_a_document_with_code_samples_is_not_unwrapped() -> None:
    text = "```\nnot wrapped\n```\n\nSummary:\nText.\n\n```\ncode\n```\n"
    assert not unwrap(text).warnings


DOCUMENT = """\
echo "Postmortem: the checkout outage

Issue Summary:
    From 10:00 AM to 10:45 AM UTC on 2024-06-03, checkout failed for every user.

<h2>Timeline</h2>
- **10:00 AM UTC**: deploy of the payments client
- **10:05 AM UTC**: error alert fired

ROOT CAUSE AND RESOLUTION
A timeout was set in seconds where milliseconds were meant; we rolled back.

*Lessons Learned:*
Canaries would have caught it.

1. Corrective and Preventative Measures:
   Review units in configuration.

Tasks:
- Add a unit to every timeout setting
" > 0-README.md
"""


def test_fmt_is_lossless_and_a_fixed_point_on_informal_headings() -> None:
    before = parse_text(DOCUMENT)
    assert [[k.value for k in s.kinds] for s in before.sections] == [
        ["summary"],
        ["timeline"],
        ["root_cause", "resolution"],
        ["lessons"],
        ["corrective_measures"],
    ]
    formatted = format_text(DOCUMENT)
    assert format_text(formatted) == formatted
    after = parse_text(formatted)
    assert [s.kinds for s in after.sections] == [s.kinds for s in before.sections]
    assert "Tasks:\n- Add a unit to every timeout setting" in formatted


# Properties

_NAMES = ["Timeline", "Issue Summary", "Root Cause", "Impact", "Lessons Learned", "Action Items"]
_DECORATIONS = st.sampled_from(["{}", "{}:", "1. {}", "II. {}", "{} (UTC)", "{}:", "🔥 {}"])
_words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9), min_size=3, max_size=9
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), _DECORATIONS, _words), min_size=1, max_size=6))
def test_plain_headings_are_found_and_their_prose_kept(
    parts: list[tuple[str, str, str]],
) -> None:
    text = "\n".join(f"{decoration.format(name)}\n{prose}.\n" for name, decoration, prose in parts)
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections] == [
        list(match_heading(name).kinds)  # type: ignore[union-attr]
        for name, _, _ in parts
    ]
    assert [s.body for s in pm.sections] == [f"{prose}." for _, _, prose in parts]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_NAMES), _words, _words)
def test_a_name_followed_by_words_is_never_a_heading(name: str, tail: str, more: str) -> None:
    text = f"## Notes\n\n{name} {tail}\n{more}\n"
    assert [s.title for s in parse_text(text).sections] == ["Notes"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_the_reading_view_keeps_every_line_number(text: str) -> None:
    text = text.replace("\r", "")
    assert unwrap(text).text.count("\n") == text.count("\n")
    view, _ = headings_view(text, 1)
    assert view.text.count("\n") == text.count("\n")


def test_phase_labels_inside_a_timeline_group_its_entries() -> None:
    text = (
        "## Timeline\n\n**Detection:**\n- Detected at 14:06 UTC by an alert.\n\n"
        "Recovery:\n- Service restored at 14:45 UTC.\n\n## Resolution\n\nWe rolled back.\n"
    )
    pm = parse_text(text)
    assert kinds_of(text) == [["timeline"], ["resolution"]]
    assert len(pm.timeline) == 2


def test_a_section_after_the_timeline_is_still_a_section() -> None:
    text = "## Timeline\n\n- 14:06 UTC alert\n\n**Resolution:**\nWe rolled back at once.\n"
    assert kinds_of(text) == [["timeline"], ["resolution"]]


def test_an_html_list_of_entries_is_read_as_a_list() -> None:
    text = (
        "<h2>Timeline</h2>\n<ul>\n<li>11:00 UTC - quota reached</li>\n"
        "<li>11:15 UTC - alert fires</li>\n</ul>\n"
    )
    pm = parse_text(text)
    assert [e.text for e in pm.timeline] == ["quota reached", "alert fires"]
    assert [w.line for w in pm.warnings if "HTML list" in w.message] == [2]


def test_other_html_is_left_as_written() -> None:
    text = "## Summary\n\n<div>\n<ul>\n<li>one</li>\n</ul>\n</div>\n"
    assert parse_text(text).summary == "<div>\n<ul>\n<li>one</li>\n</ul>\n</div>"


def test_bold_fields_of_a_summary_stay_in_it() -> None:
    text = (
        "## Issue Summary\n\n**Duration:** 10:00 to 11:00 UTC\n**Impact:** 40% of users\n"
        "**Root Cause:** an expired certificate\n\n## Timeline\n\n- 10:00 UTC began\n"
    )
    pm = parse_text(text)
    assert kinds_of(text) == [["summary"], ["timeline"]]
    assert "**Impact:** 40% of users" in pm.summary


def test_bold_sections_after_summary_prose_are_sections() -> None:
    text = "## Summary\n\nShort.\n\n**Root Cause**: a bug.\n\n**Resolution**: a fix.\n"
    assert kinds_of(text) == [["summary"], ["root_cause"], ["resolution"]]


def test_numbered_bold_headings() -> None:
    text = "1. **Issue Summary**\n   Short.\n\n2. **Timeline**\n   - 10:00 UTC began\n"
    assert kinds_of(text) == [["summary"], ["timeline"]]


def test_a_plain_name_of_the_section_it_is_in_stays_inside() -> None:
    text = "## Root Cause\n\nA bad default.\n\nContributing factors:\n\n- no canary\n"
    pm = parse_text(text)
    assert kinds_of(text) == [["root_cause"]]
    assert "Contributing factors:" in pm.root_cause


def test_a_first_line_naming_the_report_is_its_title() -> None:
    pm = parse_text("Postmortem: the checkout outage\n\nIssue Summary:\nCarts failed.\n")
    assert pm.title == "Postmortem: the checkout outage"
    assert kinds_of("Postmortem: the checkout outage\n\nIssue Summary:\nCarts failed.\n") == [
        ["summary"]
    ]
    assert any("read as the title" in w.message and w.line == 1 for w in pm.warnings)


@pytest.mark.parametrize(
    "first",
    [
        "On Tuesday we had an outage that lasted an hour.",
        "![Outage report](header.png)",
        "We wrote this incident up together",
    ],
)
def test_other_first_lines_are_not_titles(first: str) -> None:
    assert parse_text(f"{first}\n\n## Summary\n\nText.\n").title is None


def test_front_matter_title_wins_over_a_first_line() -> None:
    text = "---\ntitle: Checkout outage\n---\nIncident notes from the call\n\n## Summary\nText.\n"
    pm = parse_text(text)
    assert pm.title == "Checkout outage" and "Incident notes" in pm.preamble


def test_a_time_glued_to_a_letter_is_not_a_time() -> None:
    pm = parse_text("## Timeline\n\n- À0PM\n- at 3pm the alert fired\n")
    assert [e.time_as_written for e in pm.timeline] == [None, "3pm"]


_HTML_DOCUMENT = """<h1>Queue consumers stalled</h1>
<h2>Summary</h2>
<p>Order emails were late by up to half an hour.</p>
<h2>Timeline</h2>
<ul>
<li>09:10 UTC consumers stop acknowledging messages</li>
<li>09:25 UTC lag alert pages the on-call engineer</li>
<li>09:41 UTC consumers restarted, lag falls</li>
</ul>
<h2>Root Cause</h2>
<p>A client upgrade halved the prefetch window.</p>
"""


def test_a_document_written_in_html_without_blank_lines_keeps_every_section() -> None:
    pm = parse_text(_HTML_DOCUMENT)
    assert [s.title for s in pm.sections] == ["Summary", "Timeline", "Root Cause"]
    assert pm.timeline[0].text.endswith("consumers stop acknowledging messages")
    assert len(pm.timeline) == 3
    assert pm.text_of(K.ROOT_CAUSE) == "A client upgrade halved the prefetch window."
    assert any("HTML paragraphs" in w.message for w in pm.warnings)


def test_formatting_an_html_document_loses_nothing_or_refuses() -> None:
    try:
        formatted = format_text(_HTML_DOCUMENT)
    except FormatSafetyError:
        return
    for word in ("prefetch", "acknowledging", "Order", "restarted"):
        assert word in formatted
