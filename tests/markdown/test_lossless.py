"""`pm fmt` loses nothing: each kind of content that was once lost, and the guard itself."""

from __future__ import annotations

import pytest

from postmortems.markdown import content, format
from postmortems.markdown.format import FormatSafetyError, format_text
from postmortems.markdown.parse import parse_text
from postmortems.model import SectionKind

DEFINITIONS = """# Login outage

## Summary

The [proxy change][proxy-pr] broke logins; see [the runbook] and the note[^why].

[proxy-pr]: https://git.example.org/infra/proxy/pull/41
[the runbook]: <https://wiki.example.org/runbooks/login> "Login runbook"

## Impact

Logins failed for twenty minutes.

[unused]: https://example.org/kept-anyway
[^why]: The proxy dropped a header.
"""


def test_fmt_keeps_link_and_footnote_definitions() -> None:
    formatted = format_text(DEFINITIONS)
    for line in DEFINITIONS.splitlines():
        if line.startswith("["):
            assert line in formatted
    assert format_text(formatted) == formatted


def test_fmt_keeps_definitions_in_timelines_and_action_items() -> None:
    text = (
        "# Outage\n\n## Timeline\n\n- 10:00 Deploy of [the change][c]\n\n"
        "[c]: https://example.org/c\n\n## Action Items\n\n- [ ] Revert [it][c]\n\n"
        "[d]: https://example.org/d\n"
    )
    formatted = format_text(text)
    assert "[c]: https://example.org/c" in formatted
    assert "[d]: https://example.org/d" in formatted


ACTION_TABLE = """# Cache outage

## Action Items

| Action | Owner | Notes | Better |
| --- | --- | --- | --- |
| Add an alert on evictions | @sam | page on 5xx only | yes |
| Document the flush | Kim | ✅ linked from runbook | no |
"""


def test_fmt_keeps_table_columns_the_model_does_not_know() -> None:
    formatted = format_text(ACTION_TABLE)
    assert "| Action | Owner | Notes | Better |" in formatted
    assert "| Add an alert on evictions | @sam | page on 5xx only | yes |" in formatted
    items = parse_text(formatted).action_items
    assert [(i.text, i.owner) for i in items] == [
        ("Add an alert on evictions", "sam"),
        ("Document the flush", "Kim"),
    ]


def _deep_list(levels: int) -> str:
    return "\n".join("  " * i + f"- level {i}" for i in range(levels))


DEEP = {
    "list of 10 levels": _deep_list(10),
    "list of 300 levels": _deep_list(300),
    "10k markers on one line": "- " * 10_000 + "bottom",
    "10k quotes": ">" * 10_000 + " quoted",
    "10k quote lines": "\n".join("> " * 40 + f"line {i}" for i in range(10_000)),
}


@pytest.mark.parametrize("body", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_keeps_later_sections(body: str) -> None:
    text = f"# Deep\n\n## Summary\n\n{body}\n\n## Impact\n\nAfter the list.\n\n## Lessons Learned\n\nMore.\n"
    pm = parse_text(text)
    assert [s.title for s in pm.sections] == ["Summary", "Impact", "Lessons Learned"]
    assert pm.section(SectionKind.IMPACT) is not None
    assert pm.impact == "After the list."
    formatted = format_text(text)
    assert "\n## Impact\n\nAfter the list.\n" in formatted  # not indented into the list
    assert body in formatted


def test_nesting_past_the_limit_is_reported() -> None:
    pm = parse_text("# Deep\n\n## Summary\n\n" + "- " * 100 + "x\n")
    assert any("nested deeper than" in w.message and w.line == 5 for w in pm.warnings)
    assert not parse_text("# Shallow\n\n## Summary\n\n" + _deep_list(10)).warnings


def test_script_at_line_start_does_not_hide_later_sections() -> None:
    text = "# XSS\n\n## Summary\n\n<script> tags were injected\n\n## Impact\n\nSome users.\n"
    pm = parse_text(text)
    assert pm.impact == "Some users."
    assert format_text(text).endswith("## Impact\n\nSome users.\n")


# The guard itself: whatever the renderer does, a loss is refused.


def test_guard_refuses_a_renderer_that_drops_a_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    real = format.render_markdown

    def lossy(pm: object, template: str | None = None) -> str:
        text = real(pm, template)  # type: ignore[arg-type]
        return "\n".join(line for line in text.split("\n") if not line.startswith("[proxy-pr]:"))

    monkeypatch.setattr(format, "render_markdown", lossy)
    with pytest.raises(FormatSafetyError) as caught:
        format_text(DEFINITIONS, "login.md")
    message = str(caught.value)
    assert "link definition '[proxy-pr]: https://git.example.org/infra/proxy/pull/41'" in message
    assert message.startswith("login.md:7: formatting would lose")


@pytest.mark.parametrize(
    ("before", "after", "lost"),
    [
        ("a `x  y` b", "a `x y` b", "code"),
        ("see <https://a.example/>", "see https://a.example/", "url"),
        ("![chart](c.png)", "chart", "url"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "| a |\n|---|\n| 1 |", "word"),
        ("<div>raw</div>", "raw", "html"),
        ("x[^1]\n\n[^1]: note", "x\n\nnote", "footnote"),
        ("[a]: /u\n", "", "definition"),
        ("Ünïcode wörds ✅", "Ünïcode wörds", "word"),
    ],
)
def test_content_notices_each_kind_of_loss(before: str, after: str, lost: str) -> None:
    missing = content.lost(content.document_content(before), content.document_content(after))
    assert lost in {piece.kind for piece in missing}


def test_content_ignores_layout() -> None:
    before = "Some *emphasis* and\n**strong** words.\n\n* one\n* two\n"
    after = "Some _emphasis_ and **strong** words.\n\n- one\n- two\n"
    assert content.lost(content.document_content(before), content.document_content(after)) == []
