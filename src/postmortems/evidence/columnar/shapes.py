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
        self._frame = pl.DataFrame(schema={"coarse": pl.String, "tid": pl.Int64, "guess": pl.Int64})
        self._added: list[tuple[str, int, int]] = []

    def fresh(self, records: pl.DataFrame) -> list[tuple[int, str, str]]:
        """(row, coarse form, message) of the first line of each form not seen before, in
        file order: the caller learns them in turn with the lines its Python loop reads,
        as the first line of a form sets its template."""
        fresh = records.filter(~pl.col("coarse").is_in(self._frame["coarse"].implode()))
        if not fresh.height:
            return []
        firsts = fresh.unique("coarse", keep="first", maintain_order=True)
        return list(firsts.select("row", "coarse", "message").iter_rows())

    def learn(self, form: str, message: str) -> None:
        if form not in self._known:
            self._known[form] = self._shape(form, message)
            self._added.append((form, *self._known[form]))

    def attach(self, records: pl.DataFrame) -> pl.DataFrame:
        """``records`` (with ``coarse``, every form learnt) with ``tid`` and ``guess`` (the
        rank of the level guessed from the words) added."""
        if self._added:
            added = pl.DataFrame(self._added, schema=self._frame.schema, orient="row")
            self._frame = pl.concat([self._frame, added])
            self._added = []
        return records.join(self._frame, on="coarse", how="left", maintain_order="left")

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
