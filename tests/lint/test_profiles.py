"""Which profile judges a document: --profile, the front matter's template, the layout
of its headings, else generic; and every report format says which one it was."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from postmortems.cli.lint import lint
from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.lint.profiles import layout_of

app = typer.Typer()
app.command()(lint)

GOOGLE_LAYOUT = """\
# Search results empty after an index rebuild

## Summary

On 2025-02-03 from 09:10 to 09:40 UTC (30 minutes) search returned no results for
everyone because a rebuilt index was published before it was filled.

## Impact

About 41,000 searches returned nothing; users saw an empty results page.

## Root Causes

The publish step did not check the document count of the new index. The rebuild job
and the publish job ran on separate schedules.

## Trigger

The nightly rebuild started late and overlapped the 09:10 publish.

## Resolution

The previous index was published again at 09:40 UTC.

## Detection

A customer report reached support at 09:22 UTC; no alert covered empty results.

## Action Items

- [ ] [prevent] Refuse to publish an index with fewer than 90% of the live document count. @ines (due 2025-03-01)
- [ ] [detect] Alert when the share of empty result pages exceeds 5% for 5 minutes. @ola (due 2025-03-01)

## Lessons Learned

- The rollback was quick because the previous index was kept.

## Timeline

- 09:10 UTC: The half-filled index is published; searches start returning nothing.
- 09:22 UTC: A customer report reaches support.
- 09:40 UTC: The previous index is published again; results are back.
"""

TEAM_FORMAT = """\
# Nightly export stuck

## What we saw

The export job stopped on 2025-04-01.

## Follow-ups

- Add a timeout to the export job.
"""


def profile_of(text: str, requested: str | None = None) -> tuple[str | None, str | None]:
    result = Linter(LintOptions(profile=requested)).lint_text(text, "doc.md")
    return result.profile, result.profile_source


def test_google_layout_is_judged_as_google_not_told_to_add_seed_sections() -> None:
    result = Linter().lint_text(GOOGLE_LAYOUT, "doc.md")
    assert (result.profile, result.profile_source) == ("google", "layout")
    assert not [f for f in result.findings if f.code == "PM101"]
    seeded = Linter(LintOptions(profile="seed")).lint_text(GOOGLE_LAYOUT, "doc.md")
    assert any("Corrective and Preventative" in f.message for f in seeded.findings)


def test_front_matter_template_wins_over_layout_and_option_over_both() -> None:
    text = "---\ntemplate: pagerduty\n---\n" + GOOGLE_LAYOUT
    assert profile_of(text) == ("pagerduty", "front matter")
    assert profile_of(text, "alx") == ("alx", "option")
    assert profile_of(text, "auto") == ("pagerduty", "front matter")


def test_a_team_format_gets_the_generic_profile() -> None:
    assert profile_of(TEAM_FORMAT) == ("generic", "no known layout")


def test_layouts_need_headings_of_their_own() -> None:
    assert layout_of(["Summary", "Timeline", "Action Items", "Lessons Learned"]) is None
    assert layout_of(["Overview", "What Happened", "Timeline"]) is None
    pagerduty = ["Overview", "What Happened", "Contributing Factors", "Resolution", "Impact"]
    assert layout_of(pagerduty) == "pagerduty"
    assert layout_of(["Issue Summary", "Timeline", "Root Cause and Resolution"]) == "alx"
    seed = ["Incident Summary", "Timeline", "Resolution and Recovery", "Impact"]
    assert layout_of(seed) == "seed"


def test_every_report_format_names_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(GOOGLE_LAYOUT.replace("## Detection", "## Detection\n\nIt was a disaster!!"))
    runner = CliRunner()

    def run(fmt: str) -> str:
        return runner.invoke(app, [str(path), "--format", fmt, "--no-color"]).stdout

    assert "Profile: google (layout)." in run("text")
    report = json.loads(run("json"))
    assert report["files"][0]["profile"] == "google"
    assert report["files"][0]["profile_source"] == "layout"
    sarif = json.loads(run("sarif"))["runs"][0]
    assert sarif["properties"]["profiles"][0]["profile"] == "google"
    assert all(r["properties"]["profile"] == "google" for r in sarif["results"])
    assert "(profile google)" in run("github")


def test_auto_is_accepted_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(TEAM_FORMAT)
    result = CliRunner().invoke(app, [str(path), "--profile", "auto", "--no-color"])
    assert "Profile: generic (no known layout)." in result.stdout


def test_template_lists_are_the_one_source_for_parser_and_profiles() -> None:
    from postmortems.lint.profiles import PROFILES
    from postmortems.markdown.sections import TEMPLATES, match_heading

    for name, template in TEMPLATES.items():
        for kind, heading in template.headings:
            found = match_heading(heading)
            assert found is not None and kind in found.kinds, (name, heading)
        assert PROFILES[name].required_sections == template.required
