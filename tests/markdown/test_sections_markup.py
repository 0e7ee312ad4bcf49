"""Headings of documents exported from other tools: wiki markup and HTML pages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.markdown.parse import parse_text
from postmortems.markdown.reading import headings_view
from postmortems.markdown.sections import match_heading
from postmortems.model import SectionKind as K


def kinds_of(text: str) -> list[list[K]]:
    return [s.kinds for s in parse_text(text).sections]


WIKI = """h1. Postmortem: Stale prices in the basket

h2. Overview

Prices in the basket lagged the catalogue by up to an hour on 2025-02-03.

h2. Timeline

* 08:10 price feed consumer stalls
* 09:05 stale prices reported by a shopper

h3. Detection

A shopper wrote to support.

h2. Follow-up actions

# Alert on consumer lag (owner: Pia)
## Page after ten minutes
# Replay tool for the feed (owner: Rui)
"""


def test_wiki_markup_headings_open_sections() -> None:
    pm = parse_text(WIKI)
    assert pm.title == "Postmortem: Stale prices in the basket"
    assert [s.kinds for s in pm.sections] == [
        [K.SUMMARY],
        [K.TIMELINE],
        [K.DETECTION],
        [K.ACTION_ITEMS],
    ]
    assert any("wiki markup" in w.message for w in pm.warnings)


def test_wiki_numbered_items_are_action_items_not_headings() -> None:
    pm = parse_text(WIKI)
    items = pm.section(K.ACTION_ITEMS)
    assert items is not None
    assert [i.text.split("\n")[0] for i in items.items] == [
        "Alert on consumer lag (owner: Pia)",
        "Replay tool for the feed (owner: Rui)",
    ]


def test_a_lone_h1_dot_line_in_markdown_is_left_alone() -> None:
    text = "# Outage\n\n## Summary\n\nh1. was the label of the first row in the sheet.\n"
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections] == [[K.SUMMARY]]
    assert "h1. was the label" in pm.sections[0].body


def test_wiki_markup_inside_a_code_block_is_code() -> None:
    text = "# Outage\n\n## Summary\n\nWe pasted the ticket:\n\n```\nh2. Impact\nh2. Timeline\n```\n"
    assert kinds_of(text) == [[K.SUMMARY]]


GDOCS = (
    '<html><head><meta charset="utf-8"><title>x</title></head><body class="c4">\n'
    '<h1 class="c2"><span class="c7">Postmortem &ndash; Search index lag</span></h1>\n'
    '<p class="c1"><span class="c0">Author: Noor &middot; Reviewed</span></p>\n'
    '<h2 class="c2"><span class="c7">Overview</span></h2>\n'
    '<p class="c1"><span class="c0">New products were missing from search for 3 hours.</span></p>\n'
    '<p class="c5"><span class="c9">Impact</span></p>\n'
    '<p class="c1"><span class="c0">About 1,400 products could not be found.</span></p>\n'
    '<h2 class="c2"><span class="c7">Timeline</span></h2>\n'
    '<ul class="c3">\n'
    '<li class="c6"><span class="c0">07:00 &ndash; indexer queue stops draining</span></li>\n'
    '<li class="c6"><span class="c0">10:00 &ndash; queue drained after a restart</span></li>\n'
    "</ul>\n"
    '<p class="c5"><span class="c9">Root cause</span></p>\n'
    '<p class="c1"><span class="c0">A poisoned message blocked the consumer.</span></p>\n'
    "</body></html>\n"
)


def test_a_google_docs_export_reads_its_sections() -> None:
    pm = parse_text(GDOCS)
    assert pm.title == "Postmortem – Search index lag"
    assert [s.kinds for s in pm.sections] == [
        [K.SUMMARY],
        [K.IMPACT],
        [K.TIMELINE],
        [K.ROOT_CAUSE],
    ]
    impact = pm.section(K.IMPACT)
    assert impact is not None and "1,400 products" in impact.body
    assert [e.text for e in pm.timeline] == [
        "indexer queue stops draining",
        "queue drained after a restart",
    ]


def test_a_word_export_reads_its_bold_paragraph_headings() -> None:
    text = (
        "<html>\n<body lang=EN-GB>\n"
        "<p class=MsoTitle><span lang=EN-GB>Printer queue outage</span></p>\n"
        '<h1><a name="_Toc1"></a><span lang=EN-GB>Summary</span></h1>\n'
        "<p class=MsoNormal><span lang=EN-GB>Printing stopped for a morning.<o:p></o:p></span></p>\n"
        "<p class=MsoNormal><b><span lang=EN-GB>Root Cause<o:p></o:p></span></b></p>\n"
        "<p class=MsoNormal><span lang=EN-GB>The spooler disk was full.<o:p></o:p></span></p>\n"
        "</body>\n</html>\n"
    )
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections if s.kinds] == [[K.SUMMARY], [K.ROOT_CAUSE]]
    cause = pm.section(K.ROOT_CAUSE)
    assert cause is not None and cause.body == "The spooler disk was full."


def test_a_paragraph_that_only_mentions_a_name_in_a_sentence_is_text() -> None:
    text = (
        "<h2>Summary</h2>\n"
        "<p>The timeline below was written by the on-call engineer.</p>\n"
        "<p>Impact was small.</p>\n"
    )
    assert kinds_of(text) == [[K.SUMMARY]]


def test_html_bold_labels_in_paragraphs_open_sections() -> None:
    text = (
        "<h2>Report: invoices sent twice</h2>\n\n"
        "<p><strong>Date:</strong> 2025-04-02</p>\n\n"
        "<p><strong>Summary:</strong> Invoices went out twice for one run.</p>\n\n"
        "<p><strong>Impact:</strong> 310 customers got two invoices.</p>\n\n"
        "<h2>Root cause</h2>\n<p>The job was retried after it had finished.</p>\n"
    )
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections if s.kinds] == [[K.SUMMARY], [K.IMPACT], [K.ROOT_CAUSE]]
    summary = pm.section(K.SUMMARY)
    assert summary is not None and summary.body == "Invoices went out twice for one run."
    assert pm.date is not None and pm.date.isoformat() == "2025-04-02"


def test_a_bold_html_label_paragraph_without_text_is_a_heading() -> None:
    text = (
        "<p><strong>Timeline</strong></p>\n\n- 10:02 UTC alerts fired\n\n"
        "<p><b>Root cause:</b></p>\n\n<p>A full disk.</p>\n"
    )
    pm = parse_text(text)
    assert [s.kinds for s in pm.sections] == [[K.TIMELINE], [K.ROOT_CAUSE]]
    assert [e.text for e in pm.timeline] == ["alerts fired"]


_NAMES = ["Summary", "Impact", "Timeline", "Root cause", "Action items", "Lessons learned"]
_words = st.lists(
    st.sampled_from(["the", "queue", "stalled", "for", "an", "hour", "we", "restarted", "it"]),
    min_size=2,
    max_size=8,
).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(_NAMES), min_size=2, max_size=5, unique=True),
    st.lists(_words, min_size=5, max_size=5),
    st.integers(2, 4),
    st.booleans(),
)
def test_exported_headings_open_their_sections(
    names: list[str], bodies: list[str], level: int, html_page: bool
) -> None:
    """Whatever the names and bodies, each exported heading opens its section, the
    body under it is its text, and no line moves."""
    parts = list(zip(names, bodies, strict=False))
    if html_page:
        lines = [
            f'<h{level} class="c1"><span>{name}</span></h{level}>\n<p class="c2">{body}.</p>'
            for name, body in parts
        ]
        text = "<html><body>\n" + "\n".join(lines) + "\n</body></html>\n"
    else:
        text = "\n".join(f"h{level}. {name}\n\n{body}.\n" for name, body in parts)
    pm = parse_text(text)
    expected = [list(match_heading(name).kinds) for name, _ in parts]  # type: ignore[union-attr]
    assert [s.kinds for s in pm.sections] == expected
    assert [s.body for s in pm.sections] == [f"{body}." for _, body in parts]
    view, _ = headings_view(text, 1)
    assert view.text.count("\n") == text.count("\n")
