"""Build pm's own pydantic models without searching for pydantic plugins.

Pydantic looks for plugins among the entry points of every installed package when it
builds the first model class: on a typical environment that costs ``pm note`` more than
building all of its models. The models here are pm's internal vocabulary, which no
validation plugin has a use for, so the search is switched off while their classes are
built (with pydantic's own switch, as Typer does for its flags) and restored after:
models that other code builds later still get their plugins.
"""

from __future__ import annotations

import os

_SWITCH = "PYDANTIC_DISABLE_PLUGINS"


def switch_off() -> str | None:
    """Turn the search off; returns the setting to give back to :func:`restore`."""
    previous = os.environ.get(_SWITCH)
    os.environ[_SWITCH] = "__all__"
    return previous


def restore(previous: str | None) -> None:
    if previous is None:
        os.environ.pop(_SWITCH, None)
    else:
        os.environ[_SWITCH] = previous
