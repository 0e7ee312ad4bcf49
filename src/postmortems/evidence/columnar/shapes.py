"""Template and level per message, vectorised: the coarse form numbered (``forms``), the
rest worked out once per form.

Each distinct coarse form gets the level guessed from its words and the template of the
first message seen with it, which is what ``shapes.Shapes`` gives lines that differ only in
tokens holding digits.
"""

from __future__ import annotations

import polars as pl

from postmortems.evidence.shapes import Shapes, template_of
from postmortems.evidence.sources._levels import LEVEL_RANK, level_from_words

from .bursts import Templates
from .forms import FormNumbers


class ShapeTable:
    """(template number, level rank) per coarse form, shared with a reader's ``Shapes`` so
    that the lines the Python loop reads get the same templates."""

    def __init__(self, templates: Templates, shapes: Shapes | None = None) -> None:
        self.templates = templates
        self.shapes = shapes
        self.forms = FormNumbers()
        # By form number: the table of those attached so far, and those learnt since.
        self._table = pl.DataFrame(schema={"tid": pl.Int64, "guess": pl.Int64})
        self._added: list[tuple[int, int]] = []

    def number(self, records: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, bytes, str]]]:
        """``records`` (with ``row`` and ``message``) with the number of each message's form
        (``form``) added, and (row, coarse form, message) of the first line of each form not
        seen before, in file order: the caller learns them in turn with the lines its Python
        loop reads, as the first line of a form sets its template."""
        ids, firsts = self.forms.number(records["message"])
        records = records.with_columns(form=ids)
        if not firsts:
            return records, []
        picked = records.select("row", "form", "message")[firsts]
        forms = self.forms.forms
        return records, [(row, forms[form], text) for row, form, text in picked.iter_rows()]

    def learn(self, form: bytes, message: str) -> None:
        """The template and level of a new form (forms are learnt in the order numbered)."""
        self._added.append(self._shape(form, message))

    def attach(self, records: pl.DataFrame) -> pl.DataFrame:
        """``records`` (with ``form``, every form learnt) with ``tid`` and ``guess`` (the
        rank of the level guessed from the words) added."""
        if self._added:
            added = pl.DataFrame(self._added, schema=self._table.schema, orient="row")
            self._table = pl.concat([self._table, added], rechunk=True)
            self._added = []
        forms = records["form"]
        return records.with_columns(
            tid=self._table["tid"].gather(forms), guess=self._table["guess"].gather(forms)
        )

    def _shape(self, key: bytes, message: str) -> tuple[int, int]:
        shared = self.shapes
        found = shared.by_coarse.get(key) if shared is not None else None
        if found is None:
            found = (level_from_words(key), template_of(message))
            if shared is not None:
                shared.remember_coarse(key, found)
        level, template = found
        return self.templates.id_of(template), LEVEL_RANK[level]
