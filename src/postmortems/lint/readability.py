"""Reading grade through `textstat`, without its network download and without NLTK's
import time when NLTK has nothing to offer.

For English, textstat counts syllables with NLTK's CMU dictionary and downloads it on
first use when it is missing. Linting must never reach the network (CI, pre-commit and
air-gapped machines), so when the dictionary is not installed we make textstat take its
own fallback, Pyphen hyphenation, which ships with it.

textstat imports NLTK when it is imported (about half a second, longer than the rest of
``pm lint one.md``) although it only uses it for that dictionary. When the dictionary is
in none of the folders NLTK searches, textstat is loaded without NLTK.
"""

from __future__ import annotations

import functools
import os
import sys
import types
from pathlib import Path
from typing import Any


def _nltk_data_folders() -> list[Path]:
    """Every folder NLTK looks in for its data by default (a superset, to be safe)."""
    named = [p for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    under_prefixes = [
        os.path.join(prefix, tail)
        for prefix in prefixes
        for tail in ("nltk_data", "share/nltk_data", "lib/nltk_data")
    ]
    system = [
        "/usr/share/nltk_data",
        "/usr/local/share/nltk_data",
        "/usr/lib/nltk_data",
        "/usr/local/lib/nltk_data",
    ]
    windows = [os.path.join(os.environ[v], "nltk_data") for v in ("APPDATA",) if v in os.environ]
    home = [os.path.expanduser("~/nltk_data")]
    return [Path(folder) for folder in (*named, *home, *under_prefixes, *system, *windows)]


def _cmudict_may_be_installed() -> bool:
    return any(
        any((folder / "corpora").glob("cmudict*"))
        for folder in _nltk_data_folders()
        if (folder / "corpora").is_dir()
    )


def _without_cmudict() -> None:
    """Make textstat count syllables with Pyphen, and never import NLTK for a dictionary
    it will not use: its dictionary module is stood in for before textstat loads it."""
    name = "textstat.backend.utils._get_cmudict"
    if name not in sys.modules:
        stand_in = types.ModuleType(name, "No CMU dictionary installed: syllables by Pyphen.")
        stand_in.get_cmudict = lambda lang: None  # type: ignore[attr-defined]
        sys.modules[name] = stand_in


@functools.cache
def _textstat() -> Any:
    if _cmudict_may_be_installed():
        import textstat

        try:
            import nltk  # type: ignore[import-untyped]

            nltk.data.find("corpora/cmudict")
            return textstat
        except (ImportError, LookupError):
            pass
    else:
        _without_cmudict()
        import textstat
    from textstat.backend.counts import _count_syllables

    from postmortems.lint.hyphenation import install

    install("en_US")  # textstat's language; its dictionary parsed as words need it
    # count_syllables treats a missing dictionary (TypeError on lookup) as "use Pyphen".
    _count_syllables.get_cmudict = lambda lang: None
    return textstat


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level of plain English text."""
    return float(_textstat().flesch_kincaid_grade(text))
