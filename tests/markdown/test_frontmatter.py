"""Front matter that is hostile: aliases that explode or contain themselves, sheer size."""

from __future__ import annotations

import pytest

from postmortems.errors import FrontMatterError
from postmortems.markdown.frontmatter import MAX_FRONT_MATTER_BYTES
from postmortems.markdown.parse import parse_text


def _laughs(levels: int) -> str:
    """The classic "billion laughs": each level is nine aliases of the level before."""
    names = "abcdefghij"
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(
            f"{names[level]}: &{names[level]} [" + ",".join([f"*{names[level - 1]}"] * 9) + "]"
        )
    return "\n".join([*lines, "---", "# Title", ""])


def test_billion_laughs_is_refused_with_its_line() -> None:
    text = _laughs(9)
    assert len(text) < 400  # a few hundred bytes that would expand to 387 million strings
    with pytest.raises(FrontMatterError, match="aliases expand") as caught:
        parse_text(text, "pm.md")
    assert caught.value.line is not None and 2 <= caught.value.line <= 10
    assert str(caught.value).startswith("pm.md:")


def test_modest_aliases_still_work() -> None:
    pm = parse_text(_laughs(3) + "\n## Summary\n\nText.\n", "pm.md")  # 9*9*9 values: fine
    assert pm.title == "Title"
    assert [f.key for f in pm.extra] == ["a", "b", "c"]


def test_a_value_containing_itself_is_refused() -> None:
    with pytest.raises(FrontMatterError, match="contains itself") as caught:
        parse_text("---\nservices: &s [*s]\n---\n# T\n", "pm.md")
    assert caught.value.line == 2


def test_mapping_containing_itself_is_refused() -> None:
    with pytest.raises(FrontMatterError, match="contains itself"):
        parse_text("---\nowner: &o\n  again: *o\n---\n# T\n", "pm.md")


def test_deep_nesting_is_one_clear_error() -> None:
    depth = 20_000
    with pytest.raises(FrontMatterError, match=r"nested too deeply|invalid YAML"):
        parse_text("---\nx: " + "[" * depth + "]" * depth + "\n---\n# T\n", "pm.md")


def test_oversized_front_matter_is_refused() -> None:
    body = "\n".join(f"key{i}: value" for i in range(MAX_FRONT_MATTER_BYTES // 10))
    with pytest.raises(FrontMatterError, match="too large"):
        parse_text(f"---\n{body}\n---\n# T\n", "pm.md")


def test_python_tags_are_not_executed() -> None:
    with pytest.raises(FrontMatterError, match="invalid YAML"):
        parse_text("---\nx: !!python/object/apply:os.system ['true']\n---\n# T\n", "pm.md")
