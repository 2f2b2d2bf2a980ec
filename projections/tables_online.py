"""读模型的表: 网络评议 — the online channel of a round, its ballots and each department's online result
(``projections.tables`` lists them all)."""

from __future__ import annotations

from typing import NamedTuple

from projections.table_model import Bool, Index, Int, Json, Table, Text, Uuid


class OnlineChannelRow(NamedTuple):
    """网络评议期 of a round, and how its invitations went: issued, used (the response), phones verified."""

    round_key: Text
    opens: Text  # ISO time (UTC)
    closes: Text
    departments: Json | None  # [dept, ...], or null: every department
    invitations: Bool
    volunteers: Bool
    issued: Int
    redeemed: Int
    verified: Int


class OnlineBallotRow(NamedTuple):
    """网上评议票: the last version of an online ballot. No identity, no receipt, no position, no time."""

    ballot_id: Uuid
    round_key: Text
    department: Text
    choice: Text
    scores: Json | None
    comment: Text
    voided: Bool


class OnlineResultRow(NamedTuple):
    """网络评议结果 of a department: ``projections.scoring`` over its online ballots (one category)."""

    round_key: Text
    department: Text
    returned: Int
    tally: Json  # tally_json(DepartmentTally)


ONLINE_CHANNELS = Table("online_channels_view", OnlineChannelRow, ("round_key",))
ONLINE_BALLOTS = Table(
    "online_ballots_view",
    OnlineBallotRow,
    ("ballot_id",),
    (Index("online_ballots_view_department", ("round_key", "department")),),
)
ONLINE_RESULTS = Table("online_results_view", OnlineResultRow, ("round_key", "department"))
