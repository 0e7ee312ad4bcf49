"""pm's own models are built without pydantic's plugin search, and the setting that turns
the search off is given back: models built by other code still get their plugins."""

from __future__ import annotations

import subprocess
import sys

_CHECK = """
import os, sys
{setting}
import postmortems.metrics, postmortems.model
import pydantic.plugin._loader as loader
print(repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")), loader._plugins is None)
from pydantic import BaseModel
class Theirs(BaseModel):
    x: int = 0
print(loader._plugins is None)
"""


def _run(setting: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK.format(setting=setting)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_our_models_skip_the_search_and_others_do_not() -> None:
    # Unset before and after our models; the search happens for the first model of others.
    assert _run('os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)') == ["None", "True", "False"]


def test_a_users_own_setting_is_kept() -> None:
    assert _run('os.environ["PYDANTIC_DISABLE_PLUGINS"] = "logfire"') == [
        "'logfire'",
        "True",
        "False",
    ]
