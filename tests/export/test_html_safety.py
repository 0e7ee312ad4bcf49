"""The HTML page carries the whole document, and nothing executable."""

from __future__ import annotations

import re

import pytest

from postmortems.errors import ExportSafetyError
from postmortems.export.html import markdown_to_safe_html, render_html
from postmortems.markdown import content
from postmortems.markdown.parse import parse_text


def page(text: str) -> str:
    return render_html(parse_text(text))


def test_reference_links_resolve() -> None:
    html = page(
        "# Outage\n\n## Summary\n\nThe [proxy change][proxy-pr] and [docs].\n\n"
        "[proxy-pr]: https://git.example.org/pull/41\n[docs]: https://docs.example.org/\n"
        "\n## Impact\n\nLogins failed.\n"
    )
    assert '<a href="https://git.example.org/pull/41"' in html
    assert '<a href="https://docs.example.org/"' in html
    assert "[proxy-pr]" not in html and "[docs]" not in html


def test_footnotes_render_with_their_text() -> None:
    html = page("# Outage\n\n## Summary\n\nA claim.[^src]\n\n[^src]: Where it comes from.\n")
    assert "Where it comes from." in html
    assert "[^src]" not in html


def test_table_columns_the_model_does_not_know_are_shown() -> None:
    html = page(
        "# Cache\n\n## Action Items\n\n| Action | Owner | Notes | Better |\n| --- | --- | --- | --- |\n"
        "| Add an alert | @sam | page on 5xx only | yes |\n"
    )
    assert "<th>Notes</th>" in html and "<th>Better</th>" in html
    assert "<td>page on 5xx only</td>" in html


@pytest.mark.parametrize(
    "mention",
    [
        "Prose mentions <script> tags and <style> blocks inline.",
        "<script> tags were injected into the page.",
        "<style> and <SCRIPT src=x> at a line start",
        "A <textarea> and an <iframe src=//evil> and a <noscript>.",
        "<!-- an unclosed comment hides nothing",
        '<script>alert("x")</script>',
    ],
)
def test_script_and_style_mentions_do_not_end_the_page(mention: str) -> None:
    html = page(f"# XSS\n\n## Summary\n\n{mention}\n\n## Impact\n\nEvery word after it.\n")
    assert "Every word after it." in html
    main = html[html.index("<main>") :]
    assert not re.search(r"<\s*(script|style|iframe|textarea|noscript)", main, re.IGNORECASE)
    assert "&lt;" in main


def test_deep_nesting_keeps_later_sections() -> None:
    for body in (
        "- " * 10_000 + "x",
        ">" * 10_000 + " q",
        "\n".join("  " * i + "- l" for i in range(12)),
    ):
        html = page(f"# Deep\n\n## Summary\n\n{body}\n\n## Impact\n\nAfter the list.\n")
        assert "<h2>Impact</h2>" in html and "After the list." in html


def test_every_word_and_link_reaches_the_page() -> None:
    markdown = (
        "Words, `code`, [a link](https://a.example/x?q=1&r=2), ![an image](https://i.example/c.png)"
        "\n\n```\nblock code\n```\n\n<details><summary>More</summary>hidden detail</details>\n"
    )
    html = markdown_to_safe_html(markdown)
    assert content.missing_from_html(markdown, html, {"http", "https"}) == []


def test_a_page_that_would_lack_words_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import nh3

    from postmortems.export import html as module

    monkeypatch.setattr(
        module,
        "nh3",
        type("N", (), {"clean": staticmethod(lambda raw, **_: raw.split("<h2>Impact")[0])}),
    )
    assert nh3  # the real one is untouched
    with pytest.raises(ExportSafetyError, match="the HTML page would lack the word 'Impact'"):
        page("# T\n\n## Summary\n\nBefore.\n\n## Impact\n\nAfter.\n")
