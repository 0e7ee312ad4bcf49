"""`pm draft --template NAME` writes that template's sections, and the draft passes the
template's own lint profile apart from what is left as TODO for people to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortems.analysis.draft import DraftOptions, build_draft
from postmortems.evidence.gather import GatherOptions, GatherResult, gather
from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown
from postmortems.markdown.sections import TEMPLATES

INCIDENT = Path(__file__).parents[2] / "examples" / "incident"


@pytest.fixture(scope="module")
def gathered() -> GatherResult:
    return gather([str(INCIDENT)], GatherOptions(exclude=("*.md", "truth.json")))


@pytest.mark.parametrize("template", ["seed", "google", "pagerduty"])
def test_draft_has_the_templates_sections_in_its_order(
    gathered: GatherResult, template: str
) -> None:
    drafted = build_draft(gathered, DraftOptions(template=template))
    text = render_markdown(drafted.postmortem, template)
    titles = [s.title for s in parse_text(text, "draft.md").sections]
    wanted = [heading for _, heading in TEMPLATES[template].headings]
    assert titles[: len(wanted)] == wanted


@pytest.mark.parametrize("template", ["seed", "google", "pagerduty"])
def test_draft_passes_its_own_profile_apart_from_todos(
    gathered: GatherResult, template: str
) -> None:
    drafted = build_draft(gathered, DraftOptions(template=template))
    text = render_markdown(drafted.postmortem, template)
    result = Linter(LintOptions(profile=template)).lint_text(text, "draft.md")
    assert result.profile == template
    lines = text.splitlines()
    sections = result.postmortem.sections if result.postmortem else []

    def left_to_people(line: int) -> bool:
        """The finding's line, or the section it is in, is still a TODO."""
        if "TODO" in lines[line - 1]:
            return True
        for section in sections:
            start = section.line or 0
            end = start + section.body.count("\n") + 2
            if start <= line <= end and "TODO" in section.body:
                return True
        return False

    unexpected = [
        f"{f.code} {f.line}: {f.message}" for f in result.findings if not left_to_people(f.line)
    ]
    assert not unexpected
    assert not [f for f in result.findings if f.code in ("PM101", "PM102")]


@pytest.mark.parametrize("template", ["seed", "google", "pagerduty"])
def test_pm_new_writes_the_templates_sections(tmp_path: Path, template: str) -> None:
    import typer
    from typer.testing import CliRunner

    from postmortems.cli.new import new

    app = typer.Typer()
    app.command()(new)
    target = tmp_path / "new.md"
    assert CliRunner().invoke(app, [str(target), "--template", template]).exit_code == 0
    text = target.read_text("utf-8")
    titles = [s.title for s in parse_text(text, "new.md").sections]
    assert titles == [heading for _, heading in TEMPLATES[template].headings]
    result = Linter().lint_text(text, "new.md")
    assert (result.profile, result.profile_source) == (template, "front matter")
    assert not [f for f in result.findings if f.code in ("PM101", "PM102")]
