"""Commands start fast because they import only what they use: checked on `sys.modules` of
a real `pm` process (timings themselves are measured by bench/startup.py, not here)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postmortems.cli.app import COMMANDS, load_command
from support import run_pm

EXAMPLE = Path(__file__).parents[2] / "examples" / "checkout-outage.md"

_REPORT_MODULES = """
import atexit, json, sys
from postmortems.cli.app import main
report = sys.argv.pop(1)
atexit.register(lambda: open(report, "w").write(json.dumps(sorted(sys.modules))))
main()
"""


def _modules_after(tmp_path: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _REPORT_MODULES, str(report), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    return set(json.loads(report.read_text())), done


def _loaded(modules: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


HEAVY_ELSEWHERE = ("postmortems.evidence", "postmortems.analysis", "postmortems.export", "jinja2")


def test_help_imports_no_command(tmp_path: Path) -> None:
    modules, done = _modules_after(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in COMMANDS)
    assert _loaded(modules, *HEAVY_ELSEWHERE, "postmortems.lint", "postmortems.markdown") == []
    assert _loaded(modules, "textstat", "nltk", "pydantic", "yaml") == []


def test_lint_one_file_keeps_evidence_templates_and_nltk_away(tmp_path: Path) -> None:
    document = tmp_path / "one.md"
    shutil.copyfile(EXAMPLE, document)
    modules, done = _modules_after(tmp_path, "lint", str(document))
    assert done.returncode in (0, 1), done.stderr
    assert "postmortems.lint.engine" in modules  # it did lint
    assert "textstat" in modules  # the summary of the example is graded
    assert "postmortems.lint.hyphenation" in modules  # ... with hyphenation read as needed
    # One file and no config file: no worker processes and no TOML reader to load; a
    # document the compiled reader reads does not load markdown-it either.
    assert _loaded(modules, "multiprocessing", "tomllib", "markdown_it") == []
    assert _loaded(modules, *HEAVY_ELSEWHERE, "nltk") == []


def test_note_loads_neither_linter_nor_evidence(tmp_path: Path) -> None:
    document = tmp_path / "incident.md"
    shutil.copyfile(EXAMPLE, document)
    modules, done = _modules_after(
        tmp_path, "note", "Paged the database on-call", "-f", "incident.md"
    )
    assert done.returncode == 0, done.stderr
    assert "Paged the database on-call" in document.read_text()
    assert _loaded(modules, *HEAVY_ELSEWHERE, "postmortems.lint", "textstat", "nltk") == []
    # Plain flags are read without Typer (and so without its pydantic validators) or Rich,
    # and the compiled Markdown reader reads the example without markdown-it.
    assert _loaded(modules, "typer", "click", "rich", "markdown_it") == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_summary_is_the_commands_own(name: str) -> None:
    """`pm --help` lists summaries without loading commands: they must say what each does."""
    command = load_command(name)
    first_paragraph = (command.help or "").strip().split("\n\n")[0]
    listed = COMMANDS[name][2]
    assert " ".join(first_paragraph.split()) == listed, "update its summary in cli/app.py"


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = run_pm("lnt", "x.md")
    assert result.returncode == 2
    assert "No such command" in result.stderr and "'lint'" in result.stderr
