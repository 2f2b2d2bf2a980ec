"""签名结果 — one round's results as one signed JSON document.

The document is ``storage.signing.sign(payload, secret)``. Its payload holds, for every department of
the round, the numbers the results pages show — the same fields ``sanmin recount`` compares
(``projections.audit.line``) — read from the read models in one snapshot, with the event position
they reflect and the hash chain's value at that position. Not in it: the exact fractions and the
per-category means of results_view.tally (no page publishes them, and a category with one voter would
show that voter's score). A department with fewer than k counting ballots has only its turnout in it
(``projections.public_numbers``: its other numbers are null, its status 「不足 5 票，不公布」). The
auditor's check of such a file is ``projections.signed_results_check``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from projections.public_numbers import public_line

FORMAT = "sanmin-signed-results/1"

NUMBERS: tuple[tuple[str, str], ...] = (
    ("group", "部门组"),
    ("eligible", "应评人数"),
    ("returned", "实评人数"),
    ("valid_votes", "有效票"),
    ("abstentions", "弃权（不了解）"),
    ("level_counts", "各等次票数"),
    ("score", "得分"),
    ("satisfaction_rate", "满意率"),
    ("final", "综合得分"),
    ("status", "排名状态"),
    ("rank", "组内名次"),
    ("position", "组内排列位置"),
)
"""Every published number of a department, with its name in the auditor's report."""

PUBLISHED_KIND = "Round.ResultsPublished"
RANKED = "ranked"


def moment_text(moment: datetime) -> str:
    """A time as written in the payload: UTC, ISO 8601, to the microsecond."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def department_entry(
    department: str,
    name: str,
    eligible: int,
    returned: int,
    tally: Mapping[str, Any],
    ranking_line: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """One department's published numbers: its results_view row and its line of its group's ranking."""
    line = ranking_line or {}
    published = {
        **tally,
        "eligible": eligible,
        "returned": returned,
        "status": line.get("status"),
        "rank": line.get("rank"),
        "position": line.get("position"),
    }
    return public_entry(
        {"department": department, "name": name, **{key: published.get(key) for key, _ in NUMBERS}}
    )


def public_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with no numbers below k (``public_numbers``): what is signed, and what a recount must give."""
    public = public_line(entry)
    public.pop("suppressed", None)
    return public


def results_payload(
    round_key: str,
    title: str,
    published: bool,
    published_at: datetime | None,
    position: int,
    chain_head: bytes | None,
    groups: Mapping[str, str],
    departments: Iterable[dict[str, Any]],
) -> dict[str, Any]:
    """What is signed. ``position``: the event position the numbers were computed at (the views' own)."""

    def order(entry: dict[str, Any]) -> tuple[str, int, str]:
        return (str(entry["group"]), entry["position"] or 1_000_000, entry["department"])

    return {
        "format": FORMAT,
        "round": round_key,
        "title": title,
        "published": published,
        "published_at": None if published_at is None else moment_text(published_at),
        "event_position": position,
        "chain_head": None if chain_head is None else chain_head.hex(),
        "groups": dict(groups),
        "departments": sorted(departments, key=order),
    }
