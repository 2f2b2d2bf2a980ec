"""The checks after a fault: every acknowledged ballot counted once, its last acknowledged version the one
that counts, and the read models equal to a clean rebuild of them from the events.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier

from projections.maintenance import rebuild_views, recount_views
from projections.tables import view_tables
from scripts.bench.fault_load import Ledger
from storage.settings import Settings

BATCH_DEPENDENT = {"results_view": {"position"}}
"""Columns that record which projection batch wrote a row, so differ between a live run and a rebuild."""

BALLOT_EVENTS = "%:Ballot.%"
"""Topics of a ballot's versions (Ballot.Cast, Ballot.Amended) in the events table."""


@dataclass
class Counted:
    """How the read models and the events agree with what the tablets were told."""

    caught_up: bool = False
    lost: int = 0
    """Acknowledged ballot versions whose receipt the read models do not know."""
    double_counted: int = 0
    """Versions beyond those acknowledged, per ballot, plus ballots beyond the voters, per department."""
    final_not_counted: int = 0
    """(Representative, department) pairs whose last acknowledged version is not the one counted."""
    ballot_events: int = 0
    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)


def connect(settings: Settings) -> psycopg.Connection[dict[str, Any]]:
    return psycopg.connect(settings.database_url, row_factory=dict_row, options=settings.pg_options)


def positions(settings: Settings) -> tuple[int, int]:
    """(newest event, position the views were written at)."""
    with connect(settings) as conn:
        last = conn.execute("SELECT coalesce(max(notification_id), 0) AS p FROM evaluation_events").fetchone()
        tracked = conn.execute(
            "SELECT coalesce(max(notification_id), 0) AS p FROM views_tracking WHERE application_name = 'evaluation'"
        ).fetchone()
    return int(last["p"]) if last else 0, int(tracked["p"]) if tracked else 0


def wait_caught_up(settings: Settings, timeout: float = 60.0) -> bool:
    """Until the views include every event recorded so far (the load has stopped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            last, tracked = positions(settings)
        except psycopg.Error:
            last, tracked = 1, 0
        if tracked >= last:
            return True
        time.sleep(0.2)
    return False


def count(settings: Settings, round_key: str, ledger: Ledger) -> Counted:
    counted = Counted(caught_up=wait_caught_up(settings), acknowledged=ledger.acknowledged)
    with connect(settings) as conn:
        receipts = {
            r["receipt"]
            for r in conn.execute("SELECT receipt FROM receipts_view WHERE round_key = %s", (round_key,))
        }
        ballots = {
            r["receipt"]: r
            for r in conn.execute(
                "SELECT receipt, choice, version, counted FROM ballots_view WHERE round_key = %s",
                (round_key,),
            )
        }
        returned = {
            r["department"]: r["returned"]
            for r in conn.execute(
                "SELECT department, returned FROM results_view WHERE round_key = %s", (round_key,)
            )
        }
        row = conn.execute(
            "SELECT count(*) AS n FROM evaluation_events WHERE topic LIKE %s", (BALLOT_EVENTS,)
        )
        counted.ballot_events = int(row.fetchone()["n"])  # type: ignore[index]
    voters: dict[str, int] = {}
    for (tablet, department), versions in ledger.acks.items():
        voters[department] = voters.get(department, 0) + 1
        counted.lost += sum(1 for a in versions if a.receipt not in receipts)
        final = versions[-1]
        ballot = ballots.get(final.receipt)
        if ballot is None or ballot["choice"] != final.choice or not ballot["counted"]:
            counted.final_not_counted += 1
            counted.problems.append(f"tablet {tablet} {department}: last acknowledged {final} → row {ballot}")
        elif ballot["version"] != len(versions):
            counted.double_counted += max(0, ballot["version"] - len(versions))
            counted.problems.append(
                f"tablet {tablet} {department}: {len(versions)} versions acknowledged, {ballot['version']} recorded"
            )
    for department, voted in voters.items():
        if returned.get(department, 0) != voted:
            counted.double_counted += max(0, returned.get(department, 0) - voted)
            counted.problems.append(f"{department}: {voted} voters, returned {returned.get(department)}")
    return counted


def dump_views(settings: Settings) -> dict[str, list[str]]:
    """Every row of every read-model table, as sorted canonical JSON lines (batch positions left out)."""
    dump: dict[str, list[str]] = {}
    with connect(settings) as conn:
        for table in view_tables():
            rows = conn.execute(SQL("SELECT * FROM {}").format(Identifier(table))).fetchall()
            skip = BATCH_DEPENDENT.get(table, set())
            dump[table] = sorted(
                json.dumps({k: v for k, v in row.items() if k not in skip}, sort_keys=True, default=str)
                for row in rows
            )
    return dump


@dataclass(frozen=True)
class Rebuilt:
    equal: bool
    differing: list[str]
    recount: int
    rows: int


def compare_with_rebuild(settings: Settings) -> Rebuilt:
    """Dump the views, rebuild them from the events, dump again. The projection process must be stopped."""
    before = dump_views(settings)
    rebuild_views(settings, say=lambda _line: None)
    after = dump_views(settings)
    recount = recount_views(settings, say=lambda _line: None)
    differing = [table for table in before if before[table] != after.get(table)]
    return Rebuilt(not differing, differing, recount, sum(len(rows) for rows in before.values()))
