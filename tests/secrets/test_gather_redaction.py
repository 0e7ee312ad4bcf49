"""Redaction where gather writes: across records, in unparsed lines, on stderr, with --keep."""

from __future__ import annotations

import json
from pathlib import Path

from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.output import render_gathered
from support import run_pm

KEY = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACDqV7f3Zk9xW2pL0rT8nB4cY6uH1mJ5sA9dE2gK7oQ3vAAAAJi8Xk2mvF5N",
    "Jw==",
    "-----END OPENSSH PRIVATE KEY-----",
]
JWT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IjE4MmU0NTAifQ.eyJzdWIiOiJvcHMtYm90Iiwic2NvcGUiOiJhZG1pbiJ9"
    ".Tq3kR9vX2mZ8pL4nW7yB1cF6hJ0sD5gA3eK9uM2oP8r"
)


def windows(text: str, size: int = 12) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def write_syslog(path: Path) -> None:
    lines = ["Mar 14 10:00:01 web-1 app[311]: starting worker pool size=8"]
    lines += [f"Mar 14 10:00:03 web-1 app[311]: {line}" for line in KEY]
    lines += ["Mar 14 10:00:04 web-1 app[311]: ERROR request failed status=500 from 10.1.2.3"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_key_logged_one_record_per_line_is_gone_from_every_format(tmp_path: Path) -> None:
    write_syslog(tmp_path / "syslog")
    result = gather([str(tmp_path / "syslog")], GatherOptions(year=2026))
    written = "".join(render_gathered(result, fmt) for fmt in ("md", "json", "ndjson"))
    for body in KEY[1:-1]:
        leaked = windows(body) & windows(written) if len(body) > 12 else {body} & {written}
        assert not leaked, body
        assert body not in written
    assert "[REDACTED:private-key]" in written
    assert "starting worker pool size=8" in written  # the lines around it stay
    assert result.redactions["private-key"] >= 3


def test_unparsed_lines_are_redacted_in_json_and_on_stderr(tmp_path: Path) -> None:
    good = "".join(
        json.dumps({"ts": f"2026-03-14T10:00:{n:02d}Z", "level": "info", "msg": "ok"}) + "\n"
        for n in range(30)
    )
    bad = (
        f"{{broken [error] {'word ' * 60}{JWT}\n"
        f"{{broken {KEY[1]}\n"
        f"{{broken session={JWT} user=dana\n"
    )
    (tmp_path / "app.jsonl").write_text(good + bad, encoding="utf-8")
    done = run_pm("gather", str(tmp_path / "app.jsonl"), "--format", "json")
    assert done.returncode == 0, done.stderr
    examples = json.loads(done.stdout)["sources"][0]["unparsed_examples"]
    assert len(examples) == 3
    for text in (done.stdout, done.stderr):
        assert JWT[:30] not in text and JWT[-20:] not in text
        assert not windows(KEY[1]) & windows(text)
    assert "[REDACTED:jwt]" in done.stdout
    assert "not understood" in done.stderr
    assert "[error]" in done.stderr  # log text is shown as written, not read as markup


def test_keep_ip_and_email_keeps_them_and_says_so(tmp_path: Path) -> None:
    write_syslog(tmp_path / "syslog")
    done = run_pm(
        "gather", str(tmp_path / "syslog"), "--year", "2026", "--keep", "ip", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["kept"] == ["ip"]
    assert "10.1.2.3" in done.stdout
    assert "[REDACTED:private-key]" in done.stdout  # secrets are never kept
    assert "Kept: IP addresses kept as written (--keep ip)." in done.stderr

    plain = run_pm("gather", str(tmp_path / "syslog"), "--year", "2026")
    assert "10.1.2.3" not in plain.stdout and "[REDACTED:ip]" in plain.stdout
    assert "Kept:" not in plain.stderr


def test_draft_says_what_was_kept(tmp_path: Path) -> None:
    write_syslog(tmp_path / "syslog")
    out = tmp_path / "pm.md"
    done = run_pm(
        "draft", str(tmp_path / "syslog"), "--year", "2026", "--keep", "email,ip", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert "Kept on request: email addresses and IP addresses kept as written" in out.read_text()


def test_keeping_a_secret_is_refused_in_one_line(tmp_path: Path) -> None:
    write_syslog(tmp_path / "syslog")
    done = run_pm("gather", str(tmp_path / "syslog"), "--keep", "ip,password")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "pm: error: --keep: cannot keep password: --keep takes email, ip"
    ]
