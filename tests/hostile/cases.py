"""Hostile inputs, written here: documents, evidence and command lines meant to break `pm`.

Each case is files to create and a command line to run on them. The promise tested for all
of them: no traceback, no hang, no internal error, within 20 s of CPU and 1 GiB of memory.
Cases marked ``slow`` (inputs of megabytes, and the same input through more commands) run
in ``bench/hostile.py`` and with ``PM_HOSTILE=all``; the others run in every test run.
"""

from __future__ import annotations

import codecs
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field

Content = bytes | Callable[[], bytes]


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    files: dict[str, Content] = field(default_factory=dict)
    slow: bool = False
    stdin: str | None = None  # a file name among ``files`` fed to standard input


def _doc(body: str, title: str = "Checkout errors") -> bytes:
    return f"# {title}\n\n## Summary\n\nThe checkout failed.\n\n{body}".encode()


def _laughs() -> bytes:
    names = "abcdefghi"
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        lines.append(
            f"{names[level]}: &{names[level]} [" + ",".join([f"*{names[level - 1]}"] * 9) + "]"
        )
    return "\n".join([*lines, "---", "# T", ""]).encode()


def _timeline(entries: int) -> bytes:
    lines = [
        f"- {h:02d}:{m:02d} step {i} of the rollback"
        for i in range(entries)
        for h, m in [divmod(i % 1440, 60)]
    ]
    return _doc("## Timeline\n\n" + "\n".join(lines) + "\n")


def _big_timeline() -> bytes:
    """Just under the 512 KiB limit: 7,000 dated entries."""
    lines = [
        f"- 2026-03-{1 + i // 4000:02d} {(i // 60) % 24:02d}:{i % 60:02d} UTC: worker {i} restarted after the pool ran dry"
        for i in range(7_000)
    ]
    return _doc("## Timeline\n\n" + "\n".join(lines) + "\n")


def _headings(count: int) -> bytes:
    return _doc("".join(f"## Finding {i}\n\nText {i}.\n\n" for i in range(count)))


DOCUMENTS: dict[str, Content] = {
    "empty": b"",
    "whitespace": b"  \n\n\t\n",
    "only-fences": b"---\n---\n",
    "unclosed-front-matter": b"---\ntitle: x\n# T\n",
    "billion-laughs": _laughs,
    "recursive-alias": b"---\nservices: &s [*s]\n---\n# T\n",
    "recursive-mapping": b"---\nowner: &o\n  again: *o\n---\n# T\n",
    "yaml-deep": lambda: b"---\nx: " + b"[" * 50_000 + b"]" * 50_000 + b"\n---\n# T\n",
    "yaml-block-deep": lambda: (
        b"---\n" + b"".join(b" " * i + b"k:\n" for i in range(1200)) + b"---\n# T\n"
    ),
    "yaml-python-tag": b"---\nx: !!python/object/apply:os.system ['echo hi']\n---\n# T\n",
    "yaml-list": b"---\n- a\n- b\n---\n# T\n",
    "yaml-bad-dates": b"---\ndate: 0000-00-00\nstarted_at: 2026-02-30T10:00:00Z\n---\n# T\n",
    "yaml-far-future": b"---\ndate: 9999-12-31\n---\n# T\n\n## Timeline\n\n- 23:50 start\n- 00:10 end\n",
    "yaml-types": b"---\ntitle: [1, 2]\nauthors: 7\nstatus: {a: b}\ntimezone: 12\n---\n# T\n",
    "utf16le": codecs.BOM_UTF16_LE
    + _doc("## Timeline\n\n- 10:00 start\n").decode().encode("utf-16-le"),
    "utf16be": codecs.BOM_UTF16_BE + _doc("## Impact\n\nAll users.\n").decode().encode("utf-16-be"),
    "utf32": codecs.BOM_UTF32_LE + _doc("").decode().encode("utf-32-le"),
    "utf8-bom": codecs.BOM_UTF8 + _doc("## Timeline\n\n- 10:00 start\n"),
    "utf16-odd": codecs.BOM_UTF16_LE + b"#\x00 \x00T\x00\n",
    "invalid-utf8": b"# T\n\n## Summary\n\n\xc3\x28 \xfa\xfb\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "nul-in-text": _doc("## Impact\n\nusers\x00 lost\n"),
    "escape-sequences": _doc(
        "## Timeline\n\n- 10:00 \x1b[2J\x1b[H cleared \x1b]0;owned\x07\n\n## Action Items\n\n- [ ] fix \x1b[31m @x\n",
        title="Out\x1b[8mage",
    ),
    "c1-controls": _doc("## Impact\n\n\u009b31m red \u0085 \u0090 dcs\n"),
    "bidi-override": _doc("## Impact\n\n\u202euser 01 \u2066x\u2069\n"),
    "cr-only": b"# T\r\r## Timeline\r\r- 10:00 start\r- 10:05 end\r",
    "crlf": b"# T\r\n\r\n## Timeline\r\n\r\n- 10:00 start\r\n",
    "nested-lists": lambda: _doc(
        "".join("  " * i + "- item\n" for i in range(10_000)) + "\n## Impact\n\nx\n"
    ),
    "nested-quotes": lambda: _doc(">" * 10_000 + " deep\n\n## Impact\n\nx\n"),
    "script-style": _doc(
        "## Impact\n\nThe <script>alert(1)</script> and <style>*{}</style> tags\n"
    ),
    "unclosed-html": _doc("<div>\n<table>\n## Impact\n\nx\n"),
    "javascript-link": _doc("## Impact\n\n[x](javascript:alert(1)) ![i](data:text/html,<b>)\n"),
    "odd-times": _doc("## Timeline\n\n- 99:99 a\n- 24:00 b\n- 23:59:60 c\n- 25:61 UTC d\n"),
    "odd-zones": _doc(
        "## Timeline\n\n- 10:00 GMT-25 a\n- 10:05 America/Nowhere b\n- 10:10 PST8PDT c\n"
    ),
    "odd-dates": _doc(
        "## Timeline\n\n- 0000-00-00 10:00 a\n- 2026-02-30 10:05 b\n- 9999-12-31 23:59 c\n- 00:01 d\n"
    ),
    "surrogate-escapes": _doc(
        "## Impact\n\n\udcff text\n".encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    ),
}

# Inputs of tens of kilobytes to megabytes: each command on them is a slow case.
BIG_DOCUMENTS: dict[str, Content] = {
    "yaml-huge": lambda: (
        b"---\n" + b"".join(b"k%d: v\n" % i for i in range(40_000)) + b"---\n# T\n"
    ),
    "nested-emphasis": lambda: _doc("*" * 20_000 + "x" + "*" * 20_000 + "\n"),
    "unbalanced-backticks": lambda: _doc("`" * 30_000 + "\n"),
    "brackets": lambda: _doc("[" * 30_000 + "\n"),
    "link-definitions": lambda: _doc(
        "".join(f"[r{i}]: https://e.example/{i}\n" for i in range(5000))
    ),
    "long-line": lambda: _doc("word " * 200_000 + "\n"),
    "long-word": lambda: _doc("## Timeline\n\n- 10:00 " + "x" * 500_000 + "\n"),
    "many-headings": lambda: _headings(5000),
    "setext-storm": lambda: _doc("Title\n=====\n" * 5000),
    "pseudo-headings": lambda: _doc("".join(f"**Summary {i}**: text\n\n" for i in range(5000))),
    "timeline-5k": lambda: _timeline(5000),
    "wide-table": lambda: _doc(
        "## Action Items\n\n| "
        + " | ".join(f"c{i}" for i in range(2000))
        + " |\n|"
        + "---|" * 2000
        + "\n| "
        + " | ".join("x" for _ in range(2000))
        + " |\n"
    ),
    "long-table": lambda: _doc(
        "## Timeline\n\n| time | event |\n|---|---|\n"
        + "".join(f"| {i // 60 % 24:02d}:{i % 60:02d} | e{i} |\n" for i in range(20_000))
    ),
    "huge-title": lambda: _doc("", title="x" * 100_000),
    "zalgo": _doc("## Impact\n\n" + "Z\u0300\u0301\u0302" * 20_000 + "\n"),
    "fenced-forever": _doc("```\n" + "code\n" * 10_000),
    "many-actions": lambda: _doc(
        "## Action Items\n\n"
        + "".join(f"- [ ] task {i} @o{i} due 2026-13-45\n" for i in range(5000))
    ),
    "oversized": lambda: b"# T\n\n" + b"a" * (512 * 1024 + 10),
    "heading-100k": lambda: _doc("## " + "x" * 100_000 + "\n\ntext\n"),
    "row-10k-cells": lambda: _doc(
        "## Action Items\n\n|"
        + "|".join(f"c{i}" for i in range(10_000))
        + "|\n|"
        + "---|" * 10_000
        + "\n|"
        + "|".join("v" for _ in range(10_000))
        + "|\n"
    ),
    "single-line-5mb": lambda: b"# T\n\n" + b"w " * (2_500_000),  # refused: over the limit
    "timeline-1m-lines": lambda: _doc("## Timeline\n\n" + "- 10:00 x\n" * 1_000_000),
    "front-matter-many-anchors": lambda: (
        b"---\n"
        + b"".join(b"k%d: &a%d [1, 2]\nr%d: *a%d\n" % (i, i, i, i) for i in range(5000))
        + b"---\n# T\n"
    ),
}

SLOW_DOCUMENTS: dict[str, Content] = {
    "timeline-7k": _big_timeline,
    "headings-15k": lambda: _headings(15_000),
    "single-line-512k": lambda: b"# T\n\n" + b"word " * (100 * 1024),
    "timeline-100k": lambda: _timeline(100_000),  # over the limit: refused at once
}

DOCUMENT_COMMANDS: dict[str, tuple[str, ...]] = {
    "show": ("show", "doc.md"),
    "lint": ("lint", "doc.md"),
    "fmt-check": ("fmt", "--check", "doc.md"),
    "render-json": ("render", "doc.md", "--format", "json"),
    "render-html": ("render", "doc.md", "--format", "html"),
}


def _syslog(lines: list[str]) -> bytes:
    return "".join(lines).encode()


def _truncated_gz() -> bytes:
    data = gzip.compress(
        _syslog(
            [f"Mar 14 14:{i % 60:02d}:00 web1 app[1]: request {i} failed\n" for i in range(5000)]
        )
    )
    return data[: len(data) // 2]


EVIDENCE: dict[str, dict[str, Content]] = {
    "escape-log": {
        "app.log": _syslog(
            [
                f"Mar 14 14:{i:02d}:00 web1 app[1]: error \x1b[31m\x1b]0;owned\x07 {i}\n"
                for i in range(30)
            ]
        )
    },
    "utf16-log": {
        "app.log": "Mar 14 14:02:11 web1 nginx[12]: upstream timed out\n".encode("utf-16")
    },
    "bom-json": {
        "alerts.json": codecs.BOM_UTF8
        + b'{"alerts": [{"status": "firing", "labels": {"alertname": "X"}}]}'
    },
    "truncated-gz": {"app.log.gz": _truncated_gz},
    "empty": {"app.log": b""},
    "binary": {"app.log": bytes(range(256)) * 100},
    "long-line": {"app.log": lambda: b"Mar 14 14:02:11 web1 app[1]: " + b"x" * 3_000_000 + b"\n"},
    "generic-long-word": {
        "app.log": lambda: b"2026-03-14T14:02:11Z ERROR " + b"x" * 100_000 + b" 42\n"
    },
    "json-deep": {"events.json": lambda: b"[" * 200_000 + b"]" * 200_000},
    "json-huge-number": {"events.json": b'{"alerts": [{"startsAt": 1e999999, "status": 5}]}'},
    "json-wrong-types": {
        "alerts.json": json.dumps(
            {"alerts": [{"labels": [1, 2], "startsAt": {"x": 1}, "status": None}]}
        ).encode()
    },
    "ndjson-nul": {
        "app.jsonl": b'{"time": "2026-03-14T14:00:00Z", "msg": "a\\u0000b", "level": "error"}\n\x00\x00\n'
    },
    "csv-wide": {
        "metrics.csv": lambda: (
            ",".join(f"c{i}" for i in range(20_000))
            + "\n"
            + ",".join("1" for _ in range(20_000))
            + "\n"
        ).encode()
    },
    "bad-dates": {
        "app.log": b"0000-00-00T00:00:00Z ERROR zero\n9999-12-31T23:59:59Z ERROR end\n2026-02-30T10:00:00Z ERROR feb\n"
    },
    "journald-garbage": {
        "journal.json": b'{"__REALTIME_TIMESTAMP": "abc", "MESSAGE": [1, 2, 3]}\n{"__REALTIME_TIMESTAMP": "99999999999999999999"}\n'
    },
    "slack-garbage": {
        "slack/channel/2026-03-14.json": b'[{"ts": "nan", "text": 5}, {"ts": "1e400"}]'
    },
    "git-garbage": {"git.log": b"commit zzzz\nAuthor: \x1b[2J\nDate: yesterday\n\n    msg\n"},
    "access-odd": {
        "access.log": b'1.2.3.4 - - [99/Xyz/2026:99:99:99 +9999] "GET / HTTP/1.1" 999 -1\n'
    },
}

BIG_EVIDENCE = {"long-line", "json-deep", "csv-wide", "truncated-gz"}

EVIDENCE_COMMANDS: dict[str, tuple[str, ...]] = {
    "gather": ("gather", "ev", "--year", "2026"),
    "gather-json": ("gather", "ev", "--year", "2026", "--format", "json"),
    "draft": ("draft", "ev", "--year", "2026", "-o", "out.md"),
}

_SEED = _doc("## Timeline\n\n- 10:00 start\n")

COMMAND_LINES: list[Case] = [
    Case("no-arguments", ()),
    Case("help", ("--help",)),
    Case("version", ("--version",)),
    Case("unknown-command", ("lnt", "x.md")),
    Case("unknown-flag", ("show", "--bogus", "doc.md"), {"doc.md": _SEED}),
    Case("show-missing", ("show", "missing.md")),
    Case("show-directory", ("show", ".")),
    Case("lint-missing", ("lint", "missing.md")),
    Case("lint-empty-glob", ("lint", "nothing/*.md")),
    Case("lint-bad-select", ("lint", "--select", "XX9", "doc.md"), {"doc.md": _SEED}),
    Case(
        "lint-bad-config", ("lint", "doc.md"), {"doc.md": _SEED, ".postmortems.toml": b"[tool\n= x"}
    ),
    Case("render-bad-format", ("render", "doc.md", "--format", "pdf"), {"doc.md": _SEED}),
    Case("render-to-directory", ("render", "doc.md", "-o", "."), {"doc.md": _SEED}),
    Case("render-existing", ("render", "doc.md", "-o", "doc.md"), {"doc.md": _SEED}),
    Case("render-dev-null", ("render", "doc.md", "-o", "/dev/null"), {"doc.md": _SEED}),
    Case("render-dash", ("render", "doc.md", "-o", "-"), {"doc.md": _SEED}),
    Case(
        "render-long-output-name", ("render", "doc.md", "-o", "x" * 5000 + ".md"), {"doc.md": _SEED}
    ),
    Case("render-missing-dir", ("render", "doc.md", "-o", "no/such/dir/x.md"), {"doc.md": _SEED}),
    Case("fmt-directory", ("fmt", "--check", "."), {"doc.md": _SEED}),
    Case("new-huge-title", ("new", "--title", "x" * 5000)),
    Case("new-title-escapes", ("new", "--title", "a\x1b[2Jb\nc")),
    Case("new-long-path", ("new", "y" * 5000 + ".md")),
    Case("new-bad-template", ("new", "--template", "tpl.md"), {"tpl.md": b"{% for %}"}),
    Case(
        "new-template-undefined",
        ("new", "x.md", "--template", "tpl.md"),
        {"tpl.md": b"{{ nope.deeper }}"},
    ),
    Case(
        "new-template-utf16",
        ("new", "x.md", "--template", "tpl.md"),
        {"tpl.md": "# {{ title }}\n".encode("utf-16")},
    ),
    Case("new-unknown-template", ("new", "--template", "nope")),
    Case("note-missing", ("note", "x", "--file", "missing.md")),
    Case("note-empty", ("note", "   ", "--file", "doc.md"), {"doc.md": _SEED}),
    Case(
        "note-bad-time",
        ("note", "x", "--file", "doc.md", "--at", "yesterday-ish"),
        {"doc.md": _SEED},
    ),
    Case(
        "note-escapes",
        ("note", "log said \x1b[2J", "--file", "doc.md", "--at", "10:05"),
        {"doc.md": _SEED},
    ),
    Case(
        "note-crlf",
        ("note", "paged", "--file", "doc.md", "--at", "10:05"),
        {"doc.md": b"# T\r\n\r\n## Timeline\r\n\r\n- 10:00 a\r\n"},
    ),
    Case("note-binary", ("note", "x", "--file", "doc.md"), {"doc.md": b"\x00\x01\x02"}),
    Case("gather-missing", ("gather", "missing.log")),
    Case("gather-bad-since", ("gather", "a.log", "--since", "the dawn of time"), {"a.log": b"x\n"}),
    Case("gather-bad-zone", ("gather", "a.log", "--tz", "Mars/Olympus"), {"a.log": b"x\n"}),
    Case("gather-bad-type", ("gather", "a.log", "--type", "nonsense"), {"a.log": b"x\n"}),
    Case(
        "gather-stdin",
        ("gather", "-", "--year", "2026"),
        {"in.log": b"Mar 14 14:02:11 web1 app[1]: error\n"},
        stdin="in.log",
    ),
    Case(
        "gather-stdin-binary", ("gather", "-"), {"in.bin": bytes(range(256)) * 64}, stdin="in.bin"
    ),
    Case(
        "draft-bad-template",
        ("draft", "a.log", "-o", "x.md", "--template", "nope"),
        {"a.log": b"x\n"},
    ),
    Case("file-name-escapes", ("show", "d\x1b[2J.md"), {"d\x1b[2J.md": _SEED}),
    Case("file-name-markup", ("fmt", "--check", "[bold]x[/].md"), {"[bold]x[/].md": _SEED}),
    Case("schema", ("schema",)),
    Case("path-with-newline", ("lint", "a\nb.md"), {"a\nb.md": _SEED}),
    Case(
        "path-faking-a-finding",
        ("lint", "x.md:1:1 PM000 ok\ny.md"),
        {"x.md:1:1 PM000 ok\ny.md": _SEED},
    ),
    Case(
        "path-dot-dot",
        ("render", "sub/../doc.md", "-o", "sub/../out.json", "--format", "json"),
        {"doc.md": _SEED, "sub/keep": b""},
    ),
    Case(
        "render-over-its-input", ("render", "doc.md", "-o", "doc.md", "--force"), {"doc.md": _SEED}
    ),
    Case("fmt-output-flag", ("fmt", "doc.md", "-o", "doc.md"), {"doc.md": _SEED}),
    Case(
        "gather-dot-dot",
        ("gather", "ev/../ev", "--year", "2026"),
        {"ev/app.log": b"Mar 14 14:02:11 web1 app[1]: error\n"},
    ),
]


# Every document goes through `lint` (which parses it and runs every rule) in each test run;
# the other commands repeat the same reading, so they run with PM_HOSTILE=all and in bench/.
QUICK_DOCUMENT_COMMAND = "lint"
QUICK_EVIDENCE_COMMAND = "gather"


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for doc_name, content in DOCUMENTS.items():
        for command, argv in DOCUMENT_COMMANDS.items():
            slow = command != QUICK_DOCUMENT_COMMAND
            cases.append(Case(f"{command}:{doc_name}", argv, {"doc.md": content}, slow=slow))
        note = ("note", "paged", "--file", "doc.md", "--at", "10:05")
        cases.append(Case(f"note:{doc_name}", note, {"doc.md": content}, slow=True))
    for doc_name, content in {**BIG_DOCUMENTS, **SLOW_DOCUMENTS}.items():
        for command, argv in DOCUMENT_COMMANDS.items():
            cases.append(Case(f"{command}:{doc_name}", argv, {"doc.md": content}, slow=True))
    for evidence_name, files in EVIDENCE.items():
        for command, argv in EVIDENCE_COMMANDS.items():
            placed = {f"ev/{name}": content for name, content in files.items()}
            slow = command != QUICK_EVIDENCE_COMMAND or evidence_name in BIG_EVIDENCE
            cases.append(Case(f"{command}:{evidence_name}", argv, placed, slow=slow))
    cases.extend(COMMAND_LINES)
    return cases
