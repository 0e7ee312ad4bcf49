"""A plain file as blocks of whole lines, each a polars string column.

A block is decoded as UTF-8, or as Latin-1 when that fails (every byte is then one
character, so non-ASCII lines, which plans leave to the Python loop, keep their bytes). The
plan looking at a block says how many of its lines it consumed (up to a line that surely
starts a record); the rest is carried into the next block.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from postmortems.evidence.sources.base import ReadStats

# 0.5 MB: on the realistic 100 MB file 1.5 MB blocks peaked at 165 MB and 1 MB blocks at
# 151 MB, over the 150 MB bound (bench/gather_bench.py prints the peak).
BLOCK_BYTES = 1 << 19
# A block that cannot be cut (one record this long) is given up on: the caller reads the
# file the slower way, which copes with anything.
MAX_CARRY_BYTES = 64 << 20


class CannotCut(Exception):
    """The file holds a stretch this engine does not handle; read it the per-line way."""


@dataclass
class Block:
    lines: pl.Series  # the lines without their "\n"
    first_line_no: int  # number of the first line in the file (from 1)
    latin1: bool  # decoded as Latin-1: one character per byte
    at_end: bool  # the last block of the file
    newline_at_end: bool  # the file's last line ends with "\n"

    def raw(self, index: int) -> bytes:
        """The line's bytes as the file has them, with its line end."""
        text: str = self.lines[index]
        raw = text.encode("latin-1" if self.latin1 else "utf-8")
        if index < len(self.lines) - 1 or not self.at_end or self.newline_at_end:
            raw += b"\n"
        return raw

    def numbered(self, start: int, end: int) -> list[tuple[int, bytes]]:
        return [(self.first_line_no + i, self.raw(i)) for i in range(start, end)]


class Plan(Protocol):
    """What a source does with blocks: ``prepare`` (no side effects, may run while the
    previous block is finished) says how many lines it takes; ``finish`` takes them."""

    def prepare(self, block: Block) -> tuple[int, Any]: ...

    def finish(self, prepared: Any) -> None: ...


def read_blocks(path: str, stats: ReadStats, plan: Plan) -> None:
    """Feed ``plan`` the file's blocks. One block is finished in a second thread while the
    next is prepared (polars works without the interpreter lock)."""
    line_no = 1
    carry = b""
    finishing: Future[None] | None = None
    with open(path, "rb") as stream, ThreadPoolExecutor(1) as pool:
        at_end = False
        while not at_end:
            chunk = stream.read(BLOCK_BYTES)
            at_end = not chunk
            data = carry + chunk if carry else chunk
            if not data:
                break
            if at_end:
                body, tail = data, b""
            else:
                end = data.rfind(b"\n") + 1
                if end == 0:
                    carry = _grown(data)
                    continue
                body, tail = data[:end], data[end:]
            block = _block(body, line_no, at_end)
            used, prepared = plan.prepare(block)
            if used < len(block.lines):
                if at_end:  # the plan must take everything at the end
                    raise CannotCut(path)
                rest = block.lines.slice(used)
                lengths = rest.str.len_chars() if block.latin1 else rest.str.len_bytes()
                offset = len(body) - int(lengths.sum()) - len(rest)
                carry = body[offset:] + tail
                if used == 0:
                    carry = _grown(carry)
                    continue
            else:
                carry = tail
            stats.lines_read += used
            line_no += used
            if finishing is not None:
                finishing.result()
            finishing = pool.submit(plan.finish, prepared)
        if finishing is not None:
            finishing.result()
        stats.bytes_read += stream.tell()


def _grown(data: bytes) -> bytes:
    if len(data) > MAX_CARRY_BYTES:
        raise CannotCut("no place to cut the file into blocks")
    return data


def _block(body: bytes, first_line_no: int, at_end: bool) -> Block:
    try:
        text = body.decode("utf-8")
        latin1 = False
    except UnicodeDecodeError:
        text = body.decode("latin-1")
        latin1 = True
    newline_at_end = text.endswith("\n")
    if newline_at_end:
        text = text[:-1]
    lines = pl.Series("line", [text], dtype=pl.String).str.split("\n").explode()
    return Block(lines, first_line_no, latin1, at_end, newline_at_end)
