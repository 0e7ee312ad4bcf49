"""Inputs that used to take quadratic time: the fast paths find exactly what the slow ones
did. (How fast they are is measured by bench/hostile.py, under a CPU-time limit.)"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.evidence.sources.generic import _DIGIT_TOKENS
from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.lint.rules.actions import content_words
from postmortems.lint.rules.clarity import _plain

WORDS = ["alert", "replication", "lag", "dashboard", "runbook", "timeout", "retry", "pool"]


def _duplicates_pair_by_pair(items: list[str]) -> list[int]:
    """Line offsets of items whose words overlap an earlier item's by 80% of their union."""
    found, seen = [], []
    for index, text in enumerate(items):
        words = content_words(text)
        if not words:
            continue
        if any(len(words & w) / len(words | w) >= 0.8 for w in seen):
            found.append(index)
        seen.append(words)
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), max_size=25))
def test_duplicate_action_items_are_the_pairs_a_full_comparison_finds(
    word_lists: list[list[str]],
) -> None:
    items = [" ".join(words) for words in word_lists]
    document = "# T\n\n## Action Items\n\n" + "".join(f"- [ ] {text}\n" for text in items)
    result = Linter(LintOptions(select=("PM505",))).lint_text(document, "doc.md")
    first_item_line = 5
    assert sorted(f.line - first_item_line for f in result.findings) == (
        _duplicates_pair_by_pair(items)
    )


def test_brackets_without_links_are_kept_as_written() -> None:
    assert _plain("[draft] (v2) [a [b] c]") == "[draft] (v2) [a [b] c]"
    assert re.fullmatch(r"\[+", _plain("[" * 50_000))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=60) | st.text("ab1.:/-_ @%+x", max_size=60).map(str.encode))
def test_digit_tokens_start_only_where_a_scan_from_every_byte_would(line: bytes) -> None:
    # The boundary-anchored pattern is linear on a long digitless word; the unanchored one
    # found the same tokens by rescanning the word from each of its bytes.
    unanchored = re.compile(rb"[\w.:/@%+-]*\d[\w.:/@%+-]*")
    assert _DIGIT_TOKENS.sub(b"#", line) == unanchored.sub(b"#", line)
