"""The engine: registry, select/ignore decisions, suppression comments, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortems.lint.config import LintOptions
from postmortems.lint.decision import DecisionEngine
from postmortems.lint.engine import Linter
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import REGISTRY, DuplicateRuleError, Registry

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
GOOD = (FIXTURES / "good.md").read_text("utf-8")


def _doc(check_doc: str = "Doc.") -> Registry:
    registry = Registry()

    @registry.rule("PM401", "first", Level.WARNING)
    def first(ctx: object) -> list[Hit]:
        """Doc."""
        return []

    return registry


def test_registry_refuses_a_duplicate_code() -> None:
    registry = _doc()
    with pytest.raises(DuplicateRuleError):

        @registry.rule("PM401", "second", Level.WARNING)
        def second(ctx: object) -> list[Hit]:
            """Doc."""
            return []


def test_registry_refuses_a_malformed_code() -> None:
    with pytest.raises(ValueError, match="malformed"):

        @Registry().rule("PMX1", "bad", Level.INFO)
        def bad(ctx: object) -> list[Hit]:
            """Doc."""
            return []


def test_every_rule_is_documented_in_the_ruff_shape() -> None:
    for rule in REGISTRY.all():
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert heading in rule.doc, f"{rule.code} lacks {heading!r}"


@pytest.mark.parametrize(
    ("select", "ignore", "code", "selected"),
    [
        (None, [], "PM401", True),
        (None, ["PM4"], "PM401", False),
        (["PM4"], [], "PM501", False),
        (["PM4"], ["PM40"], "PM401", False),
        (["PM401"], ["PM4"], "PM401", True),  # longer select wins
        (["PM4"], ["PM401"], "PM402", True),
        (["PM40"], ["PM40"], "PM401", False),  # a tie goes to ignore
    ],
)
def test_decision_engine_longest_prefix_wins(
    select: list[str] | None, ignore: list[str], code: str, selected: bool
) -> None:
    assert DecisionEngine(select, ignore).is_selected(code) is selected


def test_profile_only_rules_need_their_profile_or_their_exact_code() -> None:
    engine = DecisionEngine(["PM2"])
    assert not engine.is_selected("PM211", on_by_default=False)
    assert DecisionEngine(["PM211"]).is_selected("PM211", on_by_default=False)


def _codes(text: str, **options: object) -> list[str]:
    result = Linter(LintOptions(**options)).lint_text(text, "doc.md")  # type: ignore[arg-type]
    return [f.code for f in result.findings]


BLAMING = GOOD.replace(
    "Our load tests did not include a slow dependency.",
    "The reviewer should have asked for a load test.",
)


def test_blame_is_reported_without_suppression() -> None:
    assert "PM401" in _codes(BLAMING)


def test_section_suppression_silences_the_code_in_that_section_only() -> None:
    text = BLAMING.replace("## Root Cause\n", "## Root Cause\n<!-- pm-lint disable=PM401 -->\n")
    text = text.replace(
        "No payment data was lost.", "No payment data was lost; we should have known."
    )
    codes = _codes(text)
    assert codes.count("PM401") == 1  # the Impact one remains
    assert "PM002" not in codes


def test_next_line_suppression_and_family_prefix() -> None:
    text = BLAMING.replace(
        "The reviewer should have",
        "<!-- pm-lint disable-next-line=PM4 -->\nThe reviewer should have",
    )
    assert "PM401" not in _codes(text)


def test_unused_and_unknown_suppressions_are_reported() -> None:
    text = GOOD.replace("## Impact\n", "## Impact\n<!-- pm-lint disable=PM401,PM999 -->\n")
    messages = [f.message for f in Linter().lint_text(text, "doc.md").findings if f.code == "PM002"]
    assert any("PM999" in m and "unknown" in m for m in messages)
    assert any("PM401" in m and "silences nothing" in m for m in messages)


def test_configured_levels_and_off() -> None:
    options = LintOptions(levels={"PM401": "error", "PM5": "off"})
    result = Linter(options).lint_text(BLAMING.replace("@sam ", ""), "doc.md")
    assert {f.level for f in result.findings if f.code == "PM401"} == {Level.ERROR}
    assert not [f for f in result.findings if f.code.startswith("PM5")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"# T\n\xfa\xfb", "UTF-8")],
)
def test_unreadable_documents_are_one_pm001_finding(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "doc.md"
    path.write_bytes(content)
    result = Linter().lint_path(path)
    assert result.input_error is not None
    assert [f.code for f in result.findings] == ["PM001"]
    assert message in result.findings[0].message


def test_malformed_front_matter_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: ok\nseverity: [unclosed\n---\n# T\n")
    result = Linter().lint_path(path)
    assert result.input_error is not None
    assert result.findings[0].code == "PM001"
    assert result.findings[0].line >= 2


def test_a_crashing_rule_is_reported_not_raised() -> None:
    registry = Registry()
    for rule in REGISTRY.all():
        if rule.code == "PM000":
            registry.add(rule)

    @registry.rule("PM799", "explodes", Level.INFO)
    def explodes(ctx: object) -> list[Hit]:
        """Doc."""
        raise RuntimeError("boom")

    result = Linter(registry=registry).lint_text(GOOD, "doc.md")
    assert [f.code for f in result.findings] == ["PM000"]
    assert "PM799" in result.findings[0].message
