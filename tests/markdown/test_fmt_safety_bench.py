"""bench/fmt_safety.py on a sample: it finds files, checks them, and reports no loss."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "fmt_safety.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bench_checks_a_sample_and_finds_no_loss(tmp_path: Path) -> None:
    (tmp_path / "defs.md").write_text(
        "# Outage\n\n## Summary\nThe [change][c] broke it.\n\n[c]: https://example.org/c\n"
    )
    (tmp_path / "table.md").write_text(
        "# Outage\n\n## Action Items\n\n| Action | Notes |\n|---|---|\n| Alert | page |\n"
    )
    (tmp_path / "deep.md").write_text(
        "# Deep\n\n## Summary\n\n" + "- " * 500 + "x\n\n## Impact\n\nY.\n"
    )
    docs = REPO / "docs"
    result = run_bench(str(tmp_path), str(docs), "--show", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    figures = {
        match.group(1): int(match.group(2))
        for match in re.finditer(r"^(\S.*?)\s{2,}(\d+)\b", result.stdout, re.MULTILINE)
    }
    assert (figures["files checked"]) >= 3 + len(list(docs.glob("*.md"))) - 1
    assert (figures["written with content lost"]) == 0
    assert (figures["written with raw words lost"]) == 0
    assert (figures["would be written (reformatted)"]) >= 2


def test_bench_reads_compressed_documentation(tmp_path: Path) -> None:
    (tmp_path / "x.md.gz").write_bytes(gzip.compress(b"# T\n\n## Summary\nWords here.\n"))
    result = run_bench(str(tmp_path))
    assert "files checked                     1" in result.stdout
    assert "would be written (reformatted)    1" in result.stdout
