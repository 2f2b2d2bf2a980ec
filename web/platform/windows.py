"""评分窗口的公开状态 — a scoring window as the tablets and the projector show it."""

from __future__ import annotations

from typing import Any


def window_state(row: Any) -> str:
    """open 评分中 / closed 已结束 / pending 未开始."""
    if row is None or (not row["is_open"] and row["openings"] == 0):
        return "pending"
    return "open" if row["is_open"] else "closed"
