"""公开状态 — what anyone may see of a round now: windows, turnout, and the ranking only once revealed.

Read from the read models only. The projector's snapshot carries no score, rate or ranking unless
``rounds_view.revealed``: before the organiser reveals, they are not even queried. Even revealed, a
group's ranking is shown only while none of its departments is being scored (live scores would move by
one ballot's points between two frames), and a department with fewer than k counting
ballots shows no number (``projections.public_numbers``).
"""

from __future__ import annotations

from typing import Any

from asyncpg import Connection

from projections.public_numbers import public_line
from web.platform.database import ReadModels
from web.platform.windows import window_state
from web.public import reads

Status = dict[str, Any]


async def projector_status(models: ReadModels, round_key: str) -> Status | None:
    async def read(conn: Connection) -> tuple[Any, ...]:
        round_ = await conn.fetchrow(reads.PROJECTOR_ROUND, round_key)
        if round_ is None:
            return None, [], [], [], []
        departments = await conn.fetch(reads.PROJECTOR_DEPARTMENTS, round_key)
        windows = await conn.fetch(reads.PROJECTOR_WINDOWS, round_key)
        turnout = await conn.fetch(reads.PROJECTOR_TURNOUT, round_key)
        rankings = await conn.fetch(reads.PROJECTOR_RANKINGS, round_key) if round_["revealed"] else []
        return round_, departments, windows, turnout, rankings

    round_, departments, windows, turnout, rankings = await models.run(read)
    if round_ is None:
        return None
    names = {d["department"]: d for d in departments}
    by_window = {w["department"]: w for w in windows}
    sitting_key, sitting = current_sitting(round_["sittings"], windows)
    counts = {t["department"]: t for t in turnout}
    agenda = [
        {
            "department": key,
            "name": names[key]["name"] if key in names else key,
            "short_name": names[key]["short_name"] if key in names else key,
            "window": window_state(by_window.get(key)),
            "returned": counts[key]["returned"] if key in counts else 0,
            "eligible": counts[key]["eligible"] if key in counts else 0,
        }
        for key in (sitting or {}).get("agenda", [])
    ]
    status: Status = {
        "round": round_key,
        "title": round_["title"],
        "revealed": bool(round_["revealed"]),
        "locked": bool(round_["locked"]),
        "published": bool(round_["published"]),
        "sitting": {"key": sitting_key, "name": (sitting or {}).get("name", "")},
        "agenda": agenda,
        "open": sorted(w["department"] for w in windows if w["is_open"]),
        "position": max((t["position"] for t in turnout), default=0),
    }
    if round_["revealed"]:
        shown = {names[d]["group_key"] for d in (sitting or {}).get("agenda", []) if d in names}
        scoring = {names[d]["group_key"] for d in status["open"] if d in names}
        shown = (shown or set(round_["groups"])) - scoring
        status["groups"] = ranking_groups(round_["groups"], rankings, names, shown)
        status["scoring_groups"] = sorted(scoring)
    return status


def current_sitting(sittings: dict[str, Any], windows: list[Any]) -> tuple[str, dict[str, Any] | None]:
    """The sitting of an open window; else of the window changed last; else the first sitting."""

    def sitting_of(department: str) -> str | None:
        return next((k for k, s in sittings.items() if department in s.get("agenda", [])), None)

    latest = sorted(windows, key=lambda w: (bool(w["is_open"]), w["changed_at"]), reverse=True)
    for window in latest:
        if (key := sitting_of(window["department"])) is not None:
            return key, sittings[key]
    ordered = sorted(
        sittings, key=lambda k: (sittings[k].get("date", ""), sittings[k].get("half_day", ""), k)
    )
    return (ordered[0], sittings[ordered[0]]) if ordered else ("", None)


def ranking_groups(
    groups: dict[str, str], rankings: list[Any], names: dict[str, Any], shown: set[str]
) -> list[Status]:
    """The ranking lines of the groups ``shown`` (those reporting in the current sitting), with the
    departments' short names; groups in key order."""
    by_group = {r["group_key"]: r["ranking"] for r in rankings}
    return [
        {
            "group": key,
            "name": groups[key],
            "lines": [
                {
                    "rank": line["rank"],
                    "department": line["department"],
                    "name": names[line["department"]]["short_name"]
                    if line["department"] in names
                    else line["department"],
                    "score": line["final"],
                    "satisfaction_rate": line["satisfaction_rate"],
                    "status": line["status"],
                }
                for line in map(public_line, by_group.get(key, []))
            ],
        }
        for key in sorted(groups)
        if key in shown
    ]
