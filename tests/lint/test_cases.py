"""The labelled examples: each case file states the codes `pm lint` must report."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.lint.expectations import read_expectation
from postmortems.lint.registry import REGISTRY

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*.md"))
# Written later, without reading the rules' code or the cases above: kept as regression tests.
HELDOUT_FILES = sorted((Path(__file__).parent / "heldout").glob("*.md"))


def lint_case(path: Path) -> tuple[set[str], set[str]]:
    text = path.read_text("utf-8")
    expectation = read_expectation(text)
    assert expectation is not None, f"{path.name} states no expected codes"
    options = LintOptions(select=expectation.select, profile=expectation.profile)
    result = Linter(options).lint_text(text, str(path))
    return set(expectation.codes), {f.code for f in result.findings}


def test_there_are_enough_cases() -> None:
    assert len(CASE_FILES) >= 60


@pytest.mark.parametrize(
    "path", CASE_FILES + HELDOUT_FILES, ids=[p.stem for p in CASE_FILES + HELDOUT_FILES]
)
def test_case_reports_exactly_its_expected_codes(path: Path) -> None:
    expected, found = lint_case(path)
    assert found == expected, (
        f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
    )


def test_every_rule_code_fires_in_some_case() -> None:
    fired: set[str] = set()
    for path in CASE_FILES:
        expected, _ = lint_case(path)
        fired |= expected
    untested = {r.code for r in REGISTRY.all()} - fired - {"PM000", "PM001", "PM003"}
    assert not untested, f"no case expects {sorted(untested)}"
