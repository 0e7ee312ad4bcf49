"""Section names as people phrase them: questions, sentences, synonyms and variants."""

from __future__ import annotations

import pytest

from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown
from postmortems.markdown.sections import match_heading
from postmortems.model import SectionKind as K


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        # Questions and sentences a blog post uses
        ("Why did this happen?", K.ROOT_CAUSE),
        ("Why it happened", K.ROOT_CAUSE),
        ("Why did the disk fill up?", K.ROOT_CAUSE),
        ("What caused the outage?", K.ROOT_CAUSE),
        ("How did this happen?", K.ROOT_CAUSE),
        ("Why didn't we catch it earlier?", K.DETECTION),
        ("Why our alerts stayed quiet", K.DETECTION),
        ("How we found out", K.DETECTION),
        ("Who was affected?", K.IMPACT),
        ("How were customers affected?", K.IMPACT),
        ("Impact on our merchants", K.IMPACT),
        ("Client impact", K.IMPACT),
        ("How we fixed it", K.RESOLUTION),
        ("How we recovered", K.RESOLUTION),
        ("What we did about it", K.RESOLUTION),
        ("What we're changing", K.CORRECTIVE_MEASURES),
        ("What we are doing about it", K.CORRECTIVE_MEASURES),
        ("What we'll do differently", K.CORRECTIVE_MEASURES),
        ("What's next?", K.CORRECTIVE_MEASURES),
        ("How we'll prevent this", K.CORRECTIVE_MEASURES),
        ("Preventing a repeat", K.CORRECTIVE_MEASURES),
        ("Steps to prevent recurrence", K.CORRECTIVE_MEASURES),
        ("Changes going forward", K.CORRECTIVE_MEASURES),
        ("Future improvements", K.CORRECTIVE_MEASURES),
        ("What we learned", K.LESSONS),
        ("What we learnt from it", K.LESSONS),
        ("Key takeaways", K.LESSONS),
        ("What worked, what didn't", K.LESSONS),
        ("What went well / what didn't", K.LESSONS),
        ("What could we have done better?", K.LESSONS),
        ("The short version", K.SUMMARY),
        ("Synopsis", K.SUMMARY),
        ("In brief", K.SUMMARY),
        ("So, what happened?", K.WHAT_HAPPENED),
        ("The night, hour by hour", K.TIMELINE),
        ("How the outage unfolded", K.TIMELINE),
        # Variants of known names: singular or plural, word order, words for the incident
        ("Corrective Action", K.CORRECTIVE_MEASURES),
        ("Preventive Action (PA)", K.CORRECTIVE_MEASURES),
        ("Cause root", K.ROOT_CAUSE),
        ("Impact of the outage", K.IMPACT),
        ("Brief of the issue", K.SUMMARY),
        ("Outage chronology", K.TIMELINE),
        ("Action points", K.ACTION_ITEMS),
        ("Impact analysis", K.IMPACT),
        ("Root cause details", K.ROOT_CAUSE),
        ("Mitigation steps", K.RESOLUTION),
        ("Actions taken", K.RESOLUTION),
        ("Long-term fixes", K.CORRECTIVE_MEASURES),
        ("Detection and alerting", K.DETECTION),
        ("Follow-up tasks", K.ACTION_ITEMS),
        ("Context", K.SUMMARY),
        ("What was the root cause?", K.ROOT_CAUSE),
        ("Which services were affected?", K.IMPACT),
        ("How was the incident resolved?", K.RESOLUTION),
        ("What are we doing about it?", K.CORRECTIVE_MEASURES),
        ("Blameless root cause", K.ROOT_CAUSE),
        ("Root cause identification: the five whys", K.ROOT_CAUSE),
        ("Post-incident actions", K.ACTION_ITEMS),
        # A known name joined to a word we do not know, in a heading marked up as one
        ("Detection and response", K.DETECTION),
        ("Impact & severity", K.IMPACT),
    ],
)
def test_phrasings_name_their_section(heading: str, kind: K) -> None:
    found = match_heading(heading)
    assert found is not None and found.kinds == (kind,)


@pytest.mark.parametrize(
    "heading",
    [
        "Why this matters",
        "What happened to the queue after the restart",
        "Why Northwind was unreachable for customers in Europe on 3 June",
        "Timeline of the migration project",
        "What is a postmortem",
        "How we use feature flags",
        "Our team",
        "Thanks",
        "What we know so far about the vendor",
        "Why did it take so long to fix?",
        "Sales, marketing and timeline",
    ],
)
def test_sentences_that_are_not_section_names(heading: str) -> None:
    assert match_heading(heading) is None


def test_a_blog_post_with_question_headings_reads_every_section() -> None:
    text = (
        "# How a config typo took down search\n\n"
        "Posted by the platform team.\n\n"
        "## So what happened?\n\nSearch returned nothing for 40 minutes.\n\n"
        "## Why did this happen?\n\nA typo in the index alias.\n\n"
        "## Who was affected?\n\nEveryone searching, about 9,000 people.\n\n"
        "## What we learned\n\nAliases need a check.\n\n"
        "## What we're doing about it\n\n- Validate aliases on deploy\n"
    )
    pm = parse_text(text)
    assert pm.title == "How a config typo took down search"
    assert [s.kinds for s in pm.sections] == [
        [K.WHAT_HAPPENED],
        [K.ROOT_CAUSE],
        [K.IMPACT],
        [K.LESSONS],
        [K.CORRECTIVE_MEASURES],
    ]


def test_a_title_written_as_a_question_stays_the_title() -> None:
    pm = parse_text("# Why did checkout fail on Friday?\n\n## Summary\n\nIt failed.\n")
    assert pm.title == "Why did checkout fail on Friday?"
    assert [s.kinds for s in pm.sections] == [[K.SUMMARY]]


def test_a_phrased_heading_is_rendered_as_written_under_a_template() -> None:
    text = "# Outage\n\n## Why did the disk fill up?\n\nLogs were never rotated.\n"
    rendered = render_markdown(parse_text(text), template="seed")
    assert "## Why did the disk fill up?" in rendered
    assert "## Root Cause\n" not in rendered


def test_a_question_inside_prose_is_not_a_heading() -> None:
    text = (
        "# Outage\n\n## Summary\n\nWe asked ourselves a question.\n"
        "Why did this happen? Nobody knew at first.\n"
    )
    assert [s.kinds for s in parse_text(text).sections] == [[K.SUMMARY]]


def test_a_plain_line_joining_a_name_and_other_words_is_not_a_heading() -> None:
    text = "# Outage\n\n## Notes\n\nWe talked it over.\n\nCause and effect\n\nThe end.\n"
    assert [s.title for s in parse_text(text).sections] == ["Notes"]


def test_a_heading_joining_a_name_and_a_word_keeps_its_title() -> None:
    text = "# Outage\n\n## Detection and response\n\nAn alert paged Ana.\n"
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections] == [[K.DETECTION]]
    assert "## Detection and response" in render_markdown(pm, template="google")


def test_status_page_updates_are_not_sections() -> None:
    text = (
        "# Slow logins\n\n"
        "**Resolved** - Logins are fast again.\n\n"
        "**Monitoring** - A fix is out and we are watching it.\n\n"
        "**Identified** - A cache node is failing.\n\n"
        "**Investigating** - Logins are slow for some users.\n\n"
        "## What happened\n\nA cache node ran out of memory.\n"
    )
    assert [s.kinds for s in parse_text(text).sections if s.kinds] == [[K.WHAT_HAPPENED]]
