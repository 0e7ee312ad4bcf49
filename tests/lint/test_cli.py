"""`pm lint` as a user runs it: exit codes, acceptance on the seed and the alx rubric,
bad input, --explain, --fix and --diff, and the generated rule reference."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from postmortems.cli.lint import lint
from postmortems.lint.docs import rules_markdown
from support import shared_dir

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
SHARED = shared_dir().resolve()

app = typer.Typer()
app.command()(lint)
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--no-color"] if "--explain" not in args else list(args))
    return result.exit_code, result.stdout, result.stderr


def seed_example(tmp_path: Path) -> Path:
    seed = SHARED / "seed" / "postmortem-project.md"
    if not seed.is_file():
        pytest.skip("the shared seed document is absent")
    text = seed.read_text("utf-8")
    example = text.split("## Example\n", 1)[1].split("\n## Resources", 1)[0]
    example = example.split("\n", 3)[3]  # drop the sentence introducing the example
    path = tmp_path / "seed-example.md"
    path.write_text(example)
    return path


def test_seed_example_reports_the_contradiction_and_unowned_items(tmp_path: Path) -> None:
    code, out, _ = run(str(seed_example(tmp_path)))
    assert code == 1
    contradiction = next(line for line in out.splitlines() if " PM301 " in line)
    assert "'1.5 hours'" in contradiction
    assert re.search(r"10:30 UTC \(“Service was fully restored", contradiction)
    assert "30 minutes after it started at 10:00 UTC" in contradiction
    assert out.count(" PM501 ") == 3  # no owner
    assert out.count(" PM502 ") == 3  # no due date
    assert out.splitlines()[-1].startswith("Found ")


def test_well_written_example_has_no_error_level_findings() -> None:
    code, out, _ = run(str(FIXTURES / "good.md"))
    assert code == 0
    assert "No findings" in out


ALX = (FIXTURES / "alx.md").read_text("utf-8")


def test_alx_example_written_to_the_rubric_has_no_error_level_findings() -> None:
    code, out, _ = run("--profile", "alx", "--format", "json", str(FIXTURES / "alx.md"))
    assert code == 0
    assert json.loads(out)["summary"]["error"] == 0


RUBRIC_POINTS = [
    ("UTC (75 minutes)", "(75 minutes)", "PM113"),
    ("## Root Cause and Resolution", "## Discussion", "PM101"),
    ("Assuming a bad deploy, the", "The", "PM211"),
    (
        "is escalated to the platform team, who own",
        "is shared with the platform team, who own",
        "PM213",
    ),
    ("About 40% of users", "Many users", "PM117"),
]


@pytest.mark.parametrize(("old", "new", "code"), RUBRIC_POINTS)
def test_each_removed_rubric_point_has_its_own_finding(
    tmp_path: Path, old: str, new: str, code: str
) -> None:
    path = tmp_path / "alx.md"
    path.write_text(ALX.replace(old, new))
    _, out, _ = run("--profile", "alx", "--format", "json", str(path))
    assert {f["code"] for f in json.loads(out)["findings"]} == {code}


def test_alx_word_limits(tmp_path: Path) -> None:
    path = tmp_path / "alx.md"
    path.write_text(ALX + "\n## Notes\n\n" + "More words here. " * 100)
    _, out, _ = run("--profile", "alx", "--select", "PM704", "--format", "json", str(path))
    assert [f["code"] for f in json.loads(out)["findings"]] == ["PM704"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"---\ntitle: [unclosed\n---\n# T\n", "front matter"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    code, _, err = run(str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(path) in lines[0]
    assert "Traceback" not in err


def test_missing_file_and_unreadable_config(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.md"))
    assert code == 2 and "no such file" in err
    (tmp_path / ".postmortems.toml").write_text('[lint]\nignore = ["PM999"]\n')
    (tmp_path / "doc.md").write_text((FIXTURES / "good.md").read_text("utf-8"))
    code, _, err = run(str(tmp_path / "doc.md"))
    assert code == 2
    assert err.strip().count("\n") == 0 and ".postmortems.toml:2" in err and "PM999" in err
    (tmp_path / ".postmortems.toml").write_text("[lint\n")
    code, _, err = run(str(tmp_path / "doc.md"))
    assert code == 2 and "invalid TOML" in err


def test_usage_errors_exit_2() -> None:
    assert run()[0] == 2
    assert run("--select", "PM9X", str(FIXTURES / "good.md"))[0] == 2
    assert run("--format", "xml", str(FIXTURES / "good.md"))[0] == 2
    assert run("--explain", "PM999")[0] == 2


def test_directories_and_globs_lint_many_files(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text((FIXTURES / "good.md").read_text("utf-8"))
    code, out, _ = run(str(tmp_path))
    assert code == 0 and "in 2 files" in out
    code, out, _ = run(str(tmp_path / "*.md"))
    assert code == 0 and "in 2 files" in out


def test_explain_prints_the_rule_page() -> None:
    code, out, _ = run("--explain", "PM401")
    assert code == 0
    assert out.startswith("PM401 blame-language")
    assert "## Why is this bad?" in out and "## Use instead" in out


OUT_OF_ORDER = """---
title: Cache stampede
date: 2024-06-04
severity: SEV3
authors: [Ana Ruiz]
---

# Cache stampede

## Timeline

- 08:00: [start] Cache hit rate drops.
- 08:30: [mitigate] Cache warmed; latency normal.
- 08:05: [detect] Latency alert fires.
- 9:00 AM: [resolve] Incident closed.

## Stats

- Time to detection: TBD
"""


def test_diff_previews_and_fix_applies_safe_fixes(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(OUT_OF_ORDER)
    code, out, _ = run("--diff", str(path))
    assert code == 1
    assert "+- 08:05: [detect] Latency alert fires." in out
    assert "+- 09:00: [resolve] Incident closed." in out
    assert "+- Time to detection: 5 minutes" in out
    assert path.read_text() == OUT_OF_ORDER  # --diff changes nothing

    run("--fix", "--select", "PM2,PM106", str(path))
    fixed = path.read_text()
    assert fixed.index("08:05") < fixed.index("08:30")
    assert "- 09:00: [resolve]" in fixed and "Time to detection: 5 minutes" in fixed
    code, out, _ = run("--select", "PM201,PM205,PM106", str(path))
    assert code == 0 and "No findings" in out


def test_rules_reference_in_docs_is_up_to_date() -> None:
    written = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert written == rules_markdown(), "regenerate with: pm lint --rules-doc > docs/rules.md"


def test_every_rule_has_a_doc_entry() -> None:
    from postmortems.lint.registry import REGISTRY

    documented = set(re.findall(r"^### (PM\d{3}) ", rules_markdown(), re.MULTILINE))
    assert documented == {rule.code for rule in REGISTRY.all()}


def test_fix_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "doc.md"
    target.parent.mkdir()
    target.write_text(OUT_OF_ORDER)
    link = tmp_path / "doc.md"
    link.symlink_to(Path("docs") / "doc.md")
    run("--fix", "--select", "PM2,PM106", str(link))
    assert link.is_symlink()  # the link was replaced by a copy of the fixed file
    assert "- 08:05: [detect] Latency alert fires." in target.read_text()
