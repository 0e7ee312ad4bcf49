"""The postmortem as machine output: the model plus the durations computed from it.

`pm render --to json` writes :func:`to_json`; `pm schema` prints :func:`json_schema`,
which documents exactly that shape (the model's fields and ``metrics``).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from postmortems.control_chars import escape_hidden_in_json
from postmortems.metrics import Metrics, metrics_of
from postmortems.model import Postmortem


class PostmortemDocument(Postmortem):
    """A postmortem with its lifecycle durations, as `pm render --to json` writes it."""

    metrics: Metrics = Field(
        description="Lifecycle durations in seconds, from the lifecycle's datetimes or, when "
        "the timeline has no date, from its places on the document's clock (null: unknown)."
    )


def to_json(pm: Postmortem) -> str:
    data = pm.model_dump(mode="json")
    data["metrics"] = metrics_of(pm).model_dump(mode="json")
    return escape_hidden_in_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def json_schema() -> dict[str, Any]:
    return PostmortemDocument.model_json_schema()
