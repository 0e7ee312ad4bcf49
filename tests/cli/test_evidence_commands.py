"""`pm gather`, `pm draft` and `pm note` as a user runs them."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from postmortems.markdown.parse import parse_file
from support import run_pm

INCIDENT = Path(__file__).parents[2] / "examples" / "incident"


pm = run_pm


def test_draft_then_show_and_fmt_check(tmp_path: Path) -> None:
    out = tmp_path / "pm.md"
    result = pm("draft", str(INCIDENT), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "access_log" in result.stderr and "window" in result.stderr
    assert pm("fmt", "--check", str(out)).returncode == 0
    shown = pm("show", str(out))
    assert shown.returncode == 0 and "TTD" in shown.stdout
    assert pm("draft", str(INCIDENT), "-o", str(out)).returncode == 2  # exists, no --force


def test_gather_ndjson_is_sorted_and_redacted(tmp_path: Path) -> None:
    result = pm("gather", str(INCIDENT), "--format", "ndjson")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    times = [e["time"] for e in events]
    assert times == sorted(times)
    assert {"alert", "page", "deploy", "chat", "log"} <= {e["kind"] for e in events}
    assert "@shop.example" not in result.stdout
    assert "Redacted: " in result.stderr


def test_gather_nothing_usable_exits_non_zero(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    result = pm("gather", str(junk))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nothing usable" in result.stderr


def test_gather_rejects_bad_since(tmp_path: Path) -> None:
    result = pm("gather", str(INCIDENT), "--since", "yesterday-ish")
    assert result.returncode == 2 and "--since" in result.stderr


def test_note_appends_to_the_timeline_and_keeps_the_rest(tmp_path: Path) -> None:
    doc = tmp_path / "live.md"
    doc.write_text(
        "# Live\n\n## Timeline\n\n- **2026-01-05 10:00 UTC**: first\n\n## Impact\n\nTBD, *as written*.\n"
    )
    result = pm(
        "note",
        "Rolled back the deploy",
        "-f",
        str(doc),
        "--at",
        "2026-01-05T10:20Z",
        "--phase",
        "mitigate",
    )
    assert result.returncode == 0, result.stderr
    text = doc.read_text()
    assert "- **2026-01-05 10:20 UTC**: [mitigated] Rolled back the deploy\n\n## Impact" in text
    assert text.endswith("TBD, *as written*.\n")
    assert parse_file(doc).lifecycle.mitigated_at is not None


def test_notes_from_many_people_at_once_are_all_kept(tmp_path: Path) -> None:
    doc = tmp_path / "live.md"
    doc.write_text("# Live\n\n## Timeline\n\n- **2026-01-05 10:00 UTC**: start\n")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda i: pm("note", f"note number {i}", "-f", str(doc)), range(12))
        )
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    texts = [e.text for e in parse_file(doc).timeline]
    assert sorted(texts[1:]) == sorted(f"note number {i}" for i in range(12))


def test_note_on_missing_file(tmp_path: Path) -> None:
    result = pm("note", "x", "-f", str(tmp_path / "nope.md"))
    assert result.returncode == 2 and "pm new" in result.stderr


def _bad_evidence(folder: Path) -> None:
    folder.mkdir()
    (folder / "empty.log").write_text("")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "wrong.json").write_text('{"hello": "not a webhook", "items": [1, 2, 3]}\n')
    (folder / "truncated.json").write_text(
        '{"receiver": "x", "status": "firing", "alerts": [{"labels": '
    )
    mixed = (
        b"Mar 14 14:02:01 web-1 api[12]: ERROR upstream timed out\n"
        b"Mar 14 14:02:0\x00\x01garbage\n"
        b"no time on this line at all\n"
        b"Mar 14 14:01:59 web-1 api[12]: ERROR upstream timed out\n"  # out of order
    ) + "Mar 14 14:02:03 web-2 api[9]: caf\xe9 latin-1 line\n".encode("latin-1")
    (folder / "syslog").write_bytes(mixed)


def test_bad_evidence_is_reported_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    _bad_evidence(folder)
    result = pm("gather", str(folder), "--format", "ndjson", "--year", "2026")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert any("café" in e["text"] for e in events)
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    summary = result.stderr
    assert "syslog" in summary and "not understood" in summary
    for name in ("empty.log", "binary.bin", "wrong.json"):
        assert name in summary, name


def test_only_bad_evidence_exits_non_zero(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    _bad_evidence(folder)
    (folder / "syslog").unlink()
    result = pm("gather", str(folder))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nothing usable" in result.stderr


def test_gather_reads_standard_input_and_gzip(tmp_path: Path) -> None:
    syslog = (INCIDENT / "syslog").read_bytes()
    piped = subprocess.run(
        [
            sys.executable,
            "-c",
            "from postmortems.cli.app import main; main()",
            "gather",
            "-",
            "--format",
            "ndjson",
        ],
        input=syslog,
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.count(b"\n") > 5
    packed = tmp_path / "app.jsonl.gz"
    packed.write_bytes(gzip.compress((INCIDENT / "app.jsonl").read_bytes()))
    result = pm("gather", str(packed), "--format", "ndjson")
    assert result.returncode == 0 and "checkout failed" in result.stdout


def test_exclude_skips_files_found_in_folders(tmp_path: Path) -> None:
    result = pm(
        "gather", str(INCIDENT), "--exclude", "*.md", "--exclude", "truth.json", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert "README.md" not in result.stderr and "truth.json" not in result.stderr
    sources = {s["path"] for s in json.loads(result.stdout)["sources"]}
    assert any(path.endswith("syslog") for path in sources)
