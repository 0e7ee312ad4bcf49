"""A plain file as blocks of whole lines.

The plan looking at a block says how many of its lines it consumed (up to a line that surely
starts a record); the rest is carried into the next block.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from postmortems.evidence.sources.base import ReadStats

# 0.5 MB for a plan that makes a polars string per line: on the realistic 100 MB file 1.5 MB
# blocks peaked at 165 MB and 1 MB blocks at 151 MB, over the 150 MB bound. A plan that makes
# only numbers per line (``Plan.scale``) takes blocks that many times bigger, which pay the
# fixed cost of each polars call over more lines (bench/gather_bench.py prints the peak).
BLOCK_BYTES = 1 << 19
# A block that cannot be cut (one record this long) is given up on: the caller reads the
# file the slower way, which copes with anything.
MAX_CARRY_BYTES = 64 << 20


class CannotCut(Exception):
    """The file holds a stretch this engine does not handle; read it the per-line way."""


@dataclass
class Block:
    """Whole lines of a file: ``body`` holds them with their newlines (the last one without
    only when the file ends so). ``lines`` (one polars string each) is made when a plan asks
    for it; a plan that finds the lines itself sets ``starts``."""

    body: bytes | bytearray
    first_line_no: int  # number of the first line in the file (from 1)
    at_end: bool  # the last block of the file
    starts: Sequence[int] | None = None  # offset of each line in body, then len(body)
    _lines: pl.Series | None = None
    _latin1: bool = False

    @property
    def lines(self) -> pl.Series:
        """The lines without their "\n", decoded as UTF-8, or as Latin-1 when that fails
        (every byte is then one character, so non-ASCII lines keep their bytes)."""
        if self._lines is None:
            try:
                text = self.body.decode("utf-8")
            except UnicodeDecodeError:
                text = self.body.decode("latin-1")
                self._latin1 = True
            if text.endswith("\n"):
                text = text[:-1]
            self._lines = pl.Series("line", [text], dtype=pl.String).str.split("\n").explode()
        return self._lines

    @property
    def latin1(self) -> bool:
        self.lines  # noqa: B018 - decoding tells
        return self._latin1

    def line_count(self) -> int:
        return len(self.starts) - 1 if self.starts is not None else len(self.lines)

    def offset(self, index: int) -> int:
        """Where line ``index`` starts in ``body``."""
        if self.starts is not None:
            return self.starts[index]
        rest = self.lines.slice(index)
        lengths = rest.str.len_chars() if self.latin1 else rest.str.len_bytes()
        return len(self.body) - int(lengths.sum()) - len(rest)

    def line_end(self, index: int) -> int:
        """Where line ``index`` ends in ``body`` (before its newline); needs ``starts``."""
        assert self.starts is not None
        end = self.starts[index + 1]
        return end - 1 if end > self.starts[index] and self.body[end - 1] == 10 else end

    def raw(self, index: int) -> bytes:
        """The line's bytes as the file has them, with its line end."""
        if self.starts is not None:
            return bytes(self.body[self.starts[index] : self.starts[index + 1]])
        text: str = self.lines[index]
        raw = text.encode("latin-1" if self.latin1 else "utf-8")
        if index < len(self.lines) - 1 or not self.at_end or self.body.endswith(b"\n"):
            raw += b"\n"
        return raw

    def numbered(self, start: int, end: int) -> list[tuple[int, bytes]]:
        return [(self.first_line_no + i, self.raw(i)) for i in range(start, end)]


class Plan(Protocol):
    """What a source does with blocks: ``prepare`` (no side effects, may run while the
    previous block is finished) says how many lines it takes; ``finish`` takes them.
    ``scale``: blocks of ``scale * BLOCK_BYTES``."""

    scale: int

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
            # One buffer per block, read into after what the last block left: no copy of
            # the block is made (each would count in the peak memory).
            body = bytearray(len(carry) + BLOCK_BYTES * plan.scale)
            body[: len(carry)] = carry
            got = stream.readinto(memoryview(body)[len(carry) :])
            del body[len(carry) + got :]
            at_end = got == 0
            if not body:
                break
            tail = b""
            if not at_end:
                end = body.rfind(b"\n") + 1
                if end == 0:
                    carry = _grown(bytes(body))
                    continue
                tail = bytes(body[end:])
                del body[end:]
            block = Block(body, line_no, at_end)
            used, prepared = plan.prepare(block)
            if used < block.line_count():
                if at_end:  # the plan must take everything at the end
                    raise CannotCut(path)
                carry = bytes(body[block.offset(used) :]) + tail
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
