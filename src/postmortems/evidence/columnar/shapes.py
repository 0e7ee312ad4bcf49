"""Template and level per message, vectorised: the coarse form in Rust, the rest per form.

``COARSE`` is ``shapes._DIGIT_TOKENS`` for the Rust regex engine (no look-behind: a match of
this pattern starts at a token start anyway, which is all the look-behind ensured); on ASCII
text the two agree exactly (``tests/evidence/test_columnar_patterns.py``). Each distinct
coarse form gets the level guessed from its words and the template of the first message
seen with it, which is what ``shapes.Shapes`` gives lines that differ only in tokens holding
digits.
"""

from __future__ import annotations

import polars as pl

from postmortems.evidence.events import Level
from postmortems.evidence.shapes import Shapes, template_of
from postmortems.evidence.sources._levels import LEVEL_RANK, level_from_words

from .bursts import Templates

_TOKEN = r"[A-Za-z0-9_.:/@%+\-]"
COARSE = f"{_TOKEN}*[0-9]{_TOKEN}*"


def coarse(messages: pl.Expr) -> pl.Expr:
    return messages.str.replace_all(COARSE, "#")


class ShapeTable:
    """(template number, level rank) per coarse form, shared with a reader's ``Shapes`` so
    that the lines the Python loop reads get the same templates."""

    def __init__(self, templates: Templates, shapes: Shapes | None = None) -> None:
        self.templates = templates
        self.shapes = shapes
        self._known: dict[str, tuple[int, int]] = {}
        self._frame = pl.DataFrame(schema={"coarse": pl.String, "tid": pl.Int64, "rank": pl.Int64})

    def attach(self, records: pl.DataFrame, guess_level: bool = True) -> pl.DataFrame:
        """``records`` (with ``coarse`` and ``message``) with ``tid`` and, when
        ``guess_level``, ``rank`` added."""
        known = self._known
        fresh = records.filter(~pl.col("coarse").is_in(self._frame["coarse"].implode()))
        if fresh.height:
            new = fresh.unique("coarse", keep="first", maintain_order=True)
            rows = []
            for form, message in new.select("coarse", "message").iter_rows():
                tid, rank = self._shape(form, message)
                known[form] = (tid, rank)
                rows.append((form, tid, rank))
            self._frame = pl.concat(
                [self._frame, pl.DataFrame(rows, schema=self._frame.schema, orient="row")]
            )
        columns = ["coarse", "tid", "rank"] if guess_level else ["coarse", "tid"]
        return records.join(
            self._frame.select(columns), on="coarse", how="left", maintain_order="left"
        )

    def _shape(self, form: str, message: str) -> tuple[int, int]:
        key = form.encode()
        shared = self.shapes
        found = shared.by_coarse.get(key) if shared is not None else None
        if found is None:
            found = (level_from_words(key), template_of(message))
            if shared is not None:
                shared.remember_coarse(key, found)
        level, template = found
        return self.templates.id_of(template), LEVEL_RANK[level]


def rank_of(level: Level | None) -> int:
    return LEVEL_RANK[level]
