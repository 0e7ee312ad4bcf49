"""Every source reads arbitrary bytes without raising: bad input is counted, never fatal.

The one refusal: a file that cannot be read from its first byte (a gzip cut short in its
header) raises `InputError`, which `pm gather` reports as the file skipped, in one line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from postmortems.errors import InputError
from postmortems.evidence.gather import gather
from postmortems.evidence.sources import all_sources
from postmortems.evidence.sources.base import ReadOptions, ReadStats

SOURCES = all_sources()

# Text that looks a little like evidence, so the parsers get past their first checks.
_fragments = st.sampled_from(
    [
        "Mar 14 14:02:01 web-1 api[12]: ",
        "<34>1 2026-03-14T14:02:01Z host app - - - ",
        '{"ts": "2026-03-14T14:02:01Z", "level": "error", "msg": ',
        'level=error ts=2026-03-14T14:02:01Z msg="',
        '10.0.0.1 - - [14/Mar/2026:14:02:01 +0000] "GET / HTTP/1.1" 503 12 "-" "-"',
        '{"receiver": "x", "status": "firing", "alerts": [',
        '{"event": {"event_type": "incident.triggered", "occurred_at": ',
        "commit 3f9c2a7d1e0b4c5a6f7e8d9c0b1a2f3e4d5c6b7a\nAuthor: A <a@b>\nDate: ",
        "time,level,message\n",
        "\n",
        "\x00",
        "é",
    ]
)
_documents = st.lists(st.one_of(_fragments, st.text(max_size=40)), max_size=30).map("".join)


@settings(
    max_examples=int(__import__("os").environ.get("PM_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(document=_documents, raw=st.binary(max_size=200))
@example(document="", raw=b"\x1f\x8b")  # a gzip header cut short
def test_every_source_reads_anything_without_raising(document: str, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(document.encode("utf-8", "surrogatepass") + raw)
        for name, source in SOURCES.items():
            stats = ReadStats(path=str(path), source=name)
            source.sniff(path.read_bytes()[:65536], str(path))
            try:
                for event in source.read(str(path), ReadOptions(), stats):
                    assert event.time.tzinfo is not None
            except InputError as refused:
                assert "cannot read: truncated gzip" in str(refused)
        result = gather([str(path)])
        assert result.exit_code() in (0, 2)
