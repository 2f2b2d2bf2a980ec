"""读模型的表: ballots and what is counted from them — the ballots, every receipt given, each department's
result and each group's ranking (``projections.tables`` lists them all)."""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from projections.table_model import BigInt, Bool, Bounds, Index, Int, Json, Moment, Table, Text, Uuid


class BallotRow(NamedTuple):
    """One per ballot aggregate (per pseudonym and department): its last accepted version."""

    ballot_id: Uuid
    round_key: Text
    department: Text
    category: Text
    choice: Text
    scores: Json | None
    comment: Text
    receipt: Text
    version: Int
    voided: Bool
    counted: Bool  # Accepted while the window was open, and not voided.
    position: BigInt


class ReceiptRow(NamedTuple):
    """回执: every receipt ever given, one per ballot version; its status is derived by joining ballots_view.
    Not unique: a receipt is a short keyed hash, and two ballot versions may (rarely) be given the same code.
    Also its version's line in the history (Ballot.Cast for version 1, Ballot.Amended after): position and
    at are its event's (at cut to the minute, as the event carries it)."""

    receipt: Text
    round_key: Text
    ballot_id: Uuid
    department: Text
    version: Int
    position: BigInt
    at: Moment


class ResultRow(NamedTuple):
    """The scoring rule's output per department (``DepartmentTally`` as JSON) and turnout."""

    round_key: Text
    department: Text
    group_key: Text
    eligible: Int
    returned: Int
    tally: Json
    position: BigInt


class RankingRow(NamedTuple):
    """The ranking of one group (``projections.ranking.Ranked`` list as JSON)."""

    round_key: Text
    group_key: Text
    ranking: Json


HALVES: Bounds = ((None, UUID(int=1 << 127)), (UUID(int=1 << 127), None))
"""By ballot id, in halves: a bulk rebuild loads and indexes each half in a process of its own
(``projections.bulk_ballots``), and attaches them. All the rows of one ballot are in the same half."""


# The statistics of the tables that grow with every ballot: once a minute, autovacuum analysed them one
# after another for about 1 s (110-290 ms each) on the cores the ballots need; with statistics target 10
# (3,000 rows sampled) and none on free text, each analyze took 10-50 ms. The web reads them by index.
BALLOTS = Table(
    "ballots_view",
    BallotRow,
    ("ballot_id",),
    (Index("ballots_view_department", ("round_key", "department")),),
    partitioned_by=("ballot_id", HALVES),
    sampled=10,
    unsampled=("scores", "comment", "receipt"),
)
RECEIPTS = Table(
    "receipts_view",
    ReceiptRow,
    (),
    (
        Index("receipts_view_receipt", ("receipt",)),
        Index("receipts_view_history", ("round_key", "position")),
    ),
    append_only=True,
    partitioned_by=("ballot_id", HALVES),
    sampled=10,
)
RESULTS = Table("results_view", ResultRow, ("round_key", "department"))
RANKINGS = Table("rankings_view", RankingRow, ("round_key", "group_key"))
