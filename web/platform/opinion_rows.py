"""An opinion's row as the organiser's and the department's pages read it."""

from __future__ import annotations

import json
from typing import Any


def opinion_row(row: Any) -> dict[str, Any]:
    """The row with its answer and its co-operating departments (JSON columns) decoded."""
    item = dict(row)
    for name in ("answer", "cooperating"):
        if isinstance(item.get(name), str):
            item[name] = json.loads(item[name])
    return item
