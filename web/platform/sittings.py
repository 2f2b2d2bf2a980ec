"""场次 — a round's sittings in running order, and how a sitting is named wherever it is shown."""

from __future__ import annotations

from typing import Any


def sittings_in_order(round_row: Any) -> list[tuple[str, dict[str, Any]]]:
    """The round's sittings (场次) by date, half-day (上午 before 下午) and key."""
    sittings: dict[str, dict[str, Any]] = round_row["sittings"]
    return sorted(sittings.items(), key=lambda kv: (kv[1].get("date", ""), kv[1].get("half_day", ""), kv[0]))


def sitting_label(sitting: dict[str, Any]) -> str:
    """「第一场（2026-12-15 上午）」 — the finest time a department or an export is ever shown."""
    when = " ".join(p for p in (sitting.get("date", ""), sitting.get("half_day", "")) if p)
    return f"{sitting['name']}（{when}）" if when else str(sitting["name"])
