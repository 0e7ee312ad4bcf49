"""Every reader of a user's file reads UTF-16 and UTF-32 with a byte-order mark (as Windows
tools save them) the same as UTF-8, or refuses with one line naming the file and line.

The readers: documents and templates (`markdown.parse.read_text`), the lint configuration
(`.postmortems.toml`, `pyproject.toml`), evidence files, standard input and named pipes,
and a Slack export's ``users.json`` and ``channels.json`` besides its day files.
"""

from __future__ import annotations

import codecs
import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postmortems.byte_order import utf8_head
from postmortems.cli.app import app
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.slack import SOURCE as SLACK

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads" / "slack_export"
WINDOWS_ENCODINGS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-8-bom": codecs.BOM_UTF8,
}
DOCUMENT = "# Checkout errors\n\n## Summary\n\nPayments failed.\n"
SYSLOG = "Mar 14 14:02:11 web1 nginx[12]: upstream timed out\n"


def encoded(text: str, name: str) -> bytes:
    codec = "utf-8" if name == "utf-8-bom" else name
    return WINDOWS_ENCODINGS[name] + text.encode(codec)


def _pm(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("encoding", WINDOWS_ENCODINGS)
def test_slack_export_saved_by_a_windows_tool_keeps_its_names(
    tmp_path: Path, encoding: str
) -> None:
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    for path in export.rglob("*.json"):
        path.write_bytes(encoded(path.read_text("utf-8"), encoding))
    stats = ReadStats(path=str(export), source=SLACK.name)
    events = list(SLACK.read(str(export), ReadOptions(), stats))
    actors = {e.actor for e in events if e.attrs["channel"] == "incident-812"}
    assert actors == {"Dana Okafor", "Mei Chen", "ravi"}
    assert stats.events == 6
    assert not [note for note in stats.notes if "users.json" in note]


def test_slack_users_file_that_is_not_text_is_noted(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    (export / "users.json").write_bytes(b'[{"id": "U01DANA", "real_name": "D\xffna"}]')
    stats = ReadStats(path=str(export), source=SLACK.name)
    events = list(SLACK.read(str(export), ReadOptions(), stats))
    assert "D\ufffdna" in {e.actor for e in events}
    assert any("not valid UTF-8" in note for note in stats.notes)


@pytest.mark.parametrize("encoding", WINDOWS_ENCODINGS)
def test_lint_config_saved_by_a_windows_editor_is_read(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "doc.md").write_text(DOCUMENT)
    (tmp_path / ".postmortems.toml").write_bytes(
        encoded('[lint]\nselect = ["PM1"]\nignore = ["PM101"]\n', encoding)
    )
    code, out, err = _pm("lint", str(tmp_path / "doc.md"))
    assert code in (0, 1) and "error" not in err
    codes = {line.split()[1] for line in out.splitlines() if ".md:" in line}
    assert codes and all(c.startswith("PM1") for c in codes) and "PM101" not in codes


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-8-bom"])
def test_pyproject_saved_by_a_windows_editor_is_found_and_read(
    tmp_path: Path, encoding: str
) -> None:
    (tmp_path / "doc.md").write_text(DOCUMENT)
    (tmp_path / "pyproject.toml").write_bytes(
        encoded('[tool.postmortems.lint]\nselect = ["PM1"]\n', encoding)
    )
    code, out, err = _pm("lint", str(tmp_path / "doc.md"))
    codes = {line.split()[1] for line in out.splitlines() if ".md:" in line}
    assert code in (0, 1) and codes and all(c.startswith("PM1") for c in codes), out + err


@pytest.mark.parametrize(
    ("content", "reason", "line"),
    [
        (b'[lint]\nselect = ["PM1"]\nignore = ["\xff"]\n', "is not valid UTF-8 (byte 35)", 3),
        (codecs.BOM_UTF16_LE + "[lint]\n".encode("utf-16-le") + b"\x00\xd8", "UTF-16-LE", 1),
    ],
)
def test_lint_config_that_is_not_text_is_refused_in_one_line(
    tmp_path: Path, content: bytes, reason: str, line: int
) -> None:
    (tmp_path / "doc.md").write_text(DOCUMENT)
    config = tmp_path / ".postmortems.toml"
    config.write_bytes(content)
    code, _, err = _pm("lint", str(tmp_path / "doc.md"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"{config}:{line}:" in lines[0] and reason in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("encoding", WINDOWS_ENCODINGS)
def test_documents_and_templates_read_alike(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "doc.md").write_bytes(encoded(DOCUMENT, encoding))
    code, out, _ = _pm("render", str(tmp_path / "doc.md"), "--format", "md")
    assert code == 0 and "Payments failed." in out
    (tmp_path / "tpl.md").write_bytes(encoded("# {{ title }}\n\n## Summary\n", encoding))
    code, _, err = _pm("new", str(tmp_path / "new.md"), "--title", "Ünïcode", "--template",
                       str(tmp_path / "tpl.md"))  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "new.md").read_text("utf-8").startswith("# Ünïcode")


@pytest.mark.parametrize("encoding", WINDOWS_ENCODINGS)
def test_evidence_on_standard_input_reads_alike(encoding: str) -> None:
    code, out, err = _pm("gather", "-", "--year", "2026", stdin=encoded(SYSLOG, encoding))
    assert code == 0, err
    assert "upstream timed out" in out


def test_evidence_from_a_named_pipe_reads_alike(tmp_path: Path) -> None:
    pipe = tmp_path / "live.log"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("wb") as stream:
            stream.write(encoded(SYSLOG, "utf-16-le"))

    writer = threading.Thread(target=write)
    writer.start()
    code, out, err = _pm("gather", str(pipe), "--year", "2026")
    writer.join(timeout=10)
    assert code == 0, err
    assert "upstream timed out" in out


def test_a_head_cut_inside_a_utf16_unit_is_cut_cleanly() -> None:
    head = encoded("abc", "utf-16-le")[:-1]
    assert utf8_head(head) == b"ab"
    assert utf8_head(codecs.BOM_UTF8 + b"x") == b"x"
    assert utf8_head(b"plain") == b"plain"
