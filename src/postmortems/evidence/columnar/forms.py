"""Messages numbered by their coarse form (tokens holding a digit replaced by ``#``).

The coarse form is the key templates and guessed levels are kept by (``shapes.ShapeTable``).
Working it out is the costliest step of the engine per byte, so it runs in C (``_scan.c``:
one scan per message, the forms numbered in a dictionary) when that module was built, and
otherwise in polars (Rust regex ``COARSE``), which gives the same numbers, several times
slower. Downstream the forms are integers: the engine gathers by number instead of joining
strings.
"""

from __future__ import annotations

import polars as pl

from .blocks import CannotCut
from .compiled import SCAN

COMPILED = SCAN is not None
_TOKEN = r"[A-Za-z0-9_.:/@%+\-]"
# ``shapes._DIGIT_TOKENS`` for the Rust regex engine (no look-behind: a match of this pattern
# starts at a token start anyway, which is all the look-behind ensured).
COARSE = f"{_TOKEN}*[0-9]{_TOKEN}*"


class FormNumbers:
    """Coarse forms numbered 0, 1, ... in the order they are first seen."""

    def __init__(self, compiled: bool = COMPILED) -> None:
        self.numbers: dict[bytes, int] = {}
        self.forms: list[bytes] = []  # by number, UTF-8
        self._compiled = compiled and COMPILED

    def number(self, messages: pl.Series) -> tuple[pl.Series, list[int]]:
        """The number of each message's form (Int64), and the indexes of the messages that
        brought a form not seen before, in order."""
        if messages.null_count():
            raise CannotCut("a message the engine cannot number")
        if not len(messages):
            return pl.Series("form", [], dtype=pl.Int64), []
        if self._compiled:
            # One string for the whole column: a message never holds a newline (lines are
            # cut at them), and one Python object costs less than a million.
            text = messages.str.join("\n").item()
            ids, firsts = SCAN.number(text, self.numbers, self.forms)
            return pl.Series("form", ids, dtype=pl.Int64), firsts
        return number_in_polars(messages, self.numbers, self.forms)


def number_in_polars(
    messages: pl.Series, numbers: dict[bytes, int], forms: list[bytes]
) -> tuple[pl.Series, list[int]]:
    """``SCAN.number`` done with polars: the same numbers, several times slower."""
    frame = pl.DataFrame({"coarse": messages.str.replace_all(COARSE, "#")})
    distinct = frame.with_row_index("row").unique("coarse", keep="first", maintain_order=True)
    firsts: list[int] = []
    ids: list[int] = []
    for row, form in distinct.iter_rows():
        key = form.encode()
        found = numbers.get(key)
        if found is None:
            found = numbers[key] = len(forms)
            forms.append(key)
            firsts.append(row)
        ids.append(found)
    table = distinct.select("coarse", form=pl.Series(ids, dtype=pl.Int64))
    joined = frame.join(table, on="coarse", how="left", maintain_order="left")
    return joined["form"], firsts
