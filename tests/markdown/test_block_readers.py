"""The compiled block reader (pulldown-cmark) and markdown-it give the same blocks.

Documents read by pulldown-cmark must come out exactly as markdown-it reads them (kinds,
line ranges, list items, heading text, table cells), or the model would change with the
reader; documents where the two disagree by design go to markdown-it.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.markdown.blocks import Block, _with_definitions, parse_blocks_markdown_it
from postmortems.markdown.parse import decode_document
from postmortems.markdown.pulldown import read_blocks
from support import corpus

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted((REPO / "tests" / "fixtures").rglob("*.md")) + sorted(
    (REPO / "examples").rglob("*.md")
)
EXAMPLES = int(os.environ.get("PM_HYPOTHESIS_EXAMPLES", "150"))


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _both(text: str) -> tuple[list[dict[str, object]], list[dict[str, object]] | None]:
    fast = read_blocks(text)
    old = [asdict(b) for b in parse_blocks_markdown_it(text)]
    if fast is None:
        return old, None
    return old, [asdict(b) for b in _with_definitions(fast, text.split("\n"))]


def test_every_fixture_reads_the_same_with_both_readers() -> None:
    read_fast = 0
    for path in FIXTURES:
        text = _normal(decode_document(path.read_bytes(), str(path)))
        old, new = _both(text)
        if new is not None:
            read_fast += 1
            assert new == old, path
    assert read_fast >= len(FIXTURES) * 0.8  # the compiled reader is the usual path


def test_every_corpus_document_reads_the_same_with_both_readers() -> None:
    folder = corpus("postmortems")
    paths = sorted(folder.rglob("*.md")) + sorted(corpus("templates").rglob("*.md"))
    assert paths
    for path in paths:
        text = _normal(path.read_text(encoding="utf-8-sig"))
        old, new = _both(text)
        assert new is None or new == old, path


def test_documents_the_readers_disagree_on_go_to_markdown_it() -> None:
    assert read_blocks("## Notes\n\n<script>\n\nlater words\n") is None
    assert read_blocks("- a\n\t- b\n") is None
    deep = "".join("  " * level + "- item\n" for level in range(30))
    assert read_blocks(deep) is None
    assert read_blocks("- a\n  - b\n") is not None


def test_table_cells_keep_escaped_pipes_and_header_width() -> None:
    text = "| a | b |\n|---|---|\n| x \\| y |\n| 1 | 2 | 3 |\n"
    old, new = _both(text)
    assert new == old
    table = Block(**{k: v for k, v in old[0].items() if k != "rows"})  # type: ignore[arg-type]
    assert table.header == ["a", "b"]
    assert [row["cells"] for row in old[0]["rows"]] == [["x | y", ""], ["1", "2"]]  # type: ignore[index]


_word = st.sampled_from(["alpha", "beta", "10:00", "**bold**", "`code`", "[x]", "é", "|", "#"])
_text = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_line = st.one_of(
    st.just(""),
    _text,
    _text.map(lambda t: f"# {t}"),
    _text.map(lambda t: f"### {t} ##"),
    st.just("==="),
    st.just("---"),
    _text.map(lambda t: f"- {t}"),
    _text.map(lambda t: f"  - {t}"),
    _text.map(lambda t: f"    {t}"),
    _text.map(lambda t: f"1. {t}"),
    _text.map(lambda t: f"2) {t}"),
    _text.map(lambda t: f"> {t}"),
    _text.map(lambda t: f"| {t} | {t} |"),
    st.just("|---|---|"),
    st.just("| --- |"),
    st.just("```"),
    st.just("~~~ info"),
    st.just("[ref]: https://example.org/x"),
    st.just('  [ref2]: https://example.org/y "t"'),
    st.just("<div>"),
    st.just("</div>"),
    st.just("<!-- note -->"),
    st.just("- [ ] task"),
    st.just("*"),
    st.just("   "),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, min_size=1, max_size=25).map("\n".join), st.booleans())
def test_generated_markdown_reads_the_same_with_both_readers(text: str, newline: bool) -> None:
    text = text + "\n" if newline else text
    old, new = _both(text)
    if new is not None:
        assert new == old


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "#", "- ", "|a|\n|-|\n"])
def test_degenerate_documents_read_the_same(text: str) -> None:
    old, new = _both(text)
    assert new is None or new == old
