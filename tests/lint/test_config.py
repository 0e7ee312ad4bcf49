"""Configuration files: found by walking up, validated with file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortems.errors import ConfigError
from postmortems.lint.config import find_config, load_config
from postmortems.lint.registry import REGISTRY
from postmortems.model import SectionKind


def test_pyproject_table_is_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.postmortems.lint]\nignore = ["PM4"]\nextra-blame-words = ["cowboy"]\n'
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    doc = nested / "pm.md"
    doc.write_text("# x\n")
    found = find_config(doc)
    assert found == (tmp_path / "pyproject.toml").resolve()
    options = load_config(found, REGISTRY)
    assert options.ignore == ("PM4",)
    assert options.words("blame") == (("cowboy",), ())


def test_own_config_file_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.postmortems.lint]\n")
    (tmp_path / ".postmortems.toml").write_text(
        '[lint]\nprofile = "google"\nduration-tolerance-minutes = 2\n'
        '[lint.required-sections]\nseed = ["summary", "Timeline"]\n'
    )
    options = load_config(find_config(tmp_path) or tmp_path, REGISTRY)
    assert options.profile == "google"
    assert options.thresholds == {"duration_tolerance_minutes": 2.0}
    assert options.required_sections["seed"] == (SectionKind.SUMMARY, SectionKind.TIMELINE)


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('[lint]\nselect = ["PM4"]\nsevrity = 1\n', "unknown key 'sevrity'", 3),
        ('[lint]\n\nignore = ["PM999"]\n', "unknown rule code 'PM999'", 3),
        ('[lint]\nprofile = "nasa"\n', "unknown profile", 2),
        ("[lint]\nselect = [\n", "invalid TOML", None),
        ('[lint.levels]\nPM401 = "loud"\n', "level for PM401", 2),
        ('[lint]\ntimeline-gap-minutes = "soon"\n', "non-negative number", 2),
    ],
)
def test_bad_config_is_a_config_error_with_file_and_line(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = tmp_path / ".postmortems.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path, REGISTRY)
    assert message in str(caught.value)
    assert str(path.resolve()) in str(caught.value)
    if line is not None:
        assert caught.value.line == line
    else:
        assert caught.value.line is not None
