"""评议表的呈现 — what a scoring form offers (the tablet's and the online page's): keys and labels, never points."""

from __future__ import annotations

from typing import Any


def public_instrument(instrument: dict[str, Any]) -> dict[str, Any]:
    """What the tablet needs to offer the choices: keys and labels, never the points."""
    return {
        "kind": instrument["kind"],
        "levels": [{"key": k, "label": label} for k, label, *_ in instrument["levels"]],
        "criteria": [
            {"key": k, "label": label, "max_score": m} for k, label, m, *_ in instrument["criteria"]
        ],
        "unknown_label": instrument.get("unknown_label", "不了解"),
    }
