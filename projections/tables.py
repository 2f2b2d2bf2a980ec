"""读模型的表 — every read-model table, declared once: its row (a NamedTuple whose fields are its columns, in
table order, each with its SQL type), its primary key, indexes, partitions and statistics.

Everything else is derived from here: the tables the projection creates and the rebuild creates in steps
(``projections.table_ddl``), the statements that write rows (``projections.view_sql``), the COPY column
lists and types (``projections.bulk_copy``). A row is built by its NamedTuple, so adding a column is one
field here, and mypy then asks every place that builds the row for its value.

Read by the web through asyncpg, written only by the projection process (one transaction per batch, with
its tracking row). Every table is in the schema of the event store.
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from projections.table_model import BigInt, Bool, Bounds, Index, Int, Json, Moment, Table, Text, Uuid


class RoundRow(NamedTuple):
    round_key: Text
    title: Text
    instrument: Json  # Instrument.to_dict()
    categories: Json  # {key: {"name":, "share":}}
    groups: Json  # {key: name}
    venues: Json  # {key: name}
    sittings: Json  # {key: {"name":, "date":, "half_day":, "agenda": [dept, ...]}}
    components: Json  # {component: {dept: "score"}}
    revealed: Bool
    locked: Bool
    published: Bool
    pre_reading: Bool  # 公开预读: the reports are on the public page (Round.PreReadingOpened / Closed).
    position: BigInt  # Notification id of the last event applied to this row.


class DepartmentRow(NamedTuple):
    round_key: Text
    department: Text
    name: Text
    short_name: Text
    group_key: Text
    head: Text
    report: Json | None  # the current revision: {"title","summary","text","file_sha256","file_name",
    # "file_size"} or null (file_sha256 "" without an attachment; file_size absent before Report events)
    report_revision: Int
    credential_serial: Int  # Serial of its current 部门登录码 (0: none issued yet).


class WindowRow(NamedTuple):
    round_key: Text
    department: Text
    is_open: Bool
    openings: Int
    changed_at: Moment


class RepresentativeRow(NamedTuple):
    representative_id: Uuid
    round_key: Text
    number: Int
    name: Text
    category: Text
    venue: Text
    sitting: Text
    phone: Text | None
    credential_serial: Int
    revoked: Bool
    checked_in: Bool


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


class VenueRow(NamedTuple):
    """对账 per venue."""

    round_key: Text
    venue: Text
    issued: Int
    checked_in: Int


class SuggestionRow(NamedTuple):
    """留名建议, for the department that answers it. No position and no time: the day of its sitting only
    (its events are recorded at its window's close in a random order, see evaluation/signed_suggestions.py)."""

    suggestion_id: Uuid
    round_key: Text
    department: Text
    name: Text
    phone: Text | None
    text: Text
    answer: Text | None
    sitting_date: Text


class ReportRevisionRow(NamedTuple):
    """述职报告的每一稿: one per revision (Report.Submitted, or Department.ReportSubmitted of older rounds)."""

    round_key: Text
    department: Text
    revision: Int
    title: Text
    summary: Text
    text: Text
    file: Json | None  # {"sha256","size","name"} (size 0 when older events did not record it) or null
    actor: Text
    on_behalf: Bool  # 代为提交: the organiser submitted it for the department.
    position: BigInt
    at: Moment


class OpinionRow(NamedTuple):
    """意见: one per Opinion aggregate, its whole state (``projections.fold_opinions``). ``text`` is the original,
    for the organiser only; ``shown`` is what a department and the public see (the redacted text once confirmed).
    Nothing of the source's position or time: ``collected_on`` is the day the organiser collected it."""

    opinion_id: Uuid
    round_key: Text
    source: Text  # comment | suggestion | online
    department: Text  # the department the source concerned
    text: Text
    shown: Text
    redacted: Bool
    theme: Text | None
    group_id: Uuid | None  # the lead opinion of its merged group
    not_opinion: Text | None  # the reason, when marked 非意见
    lead: Text | None
    cooperating: Json  # [department, ...]
    assigned_on: Text | None  # ISO dates
    deadline: Text | None
    reassignment: Text | None  # the reason of a pending 申请改派
    answer: Json | None  # {"department","text","measures","state"[,"evidence": {"sha256","size","name",…}]}
    answered_on: Text | None
    review: Text | None  # pending | returned | accepted
    returned_reason: Text | None
    published: Bool
    rating: Text | None
    collected_on: Text
    position: BigInt


class HistoryRow(NamedTuple):
    """历史: one per event, for the organiser's filterable history (who, when, why); a ballot's versions
    (Ballot.Cast, Ballot.Amended) are their receipts_view rows instead (``projections.history``)."""

    position: BigInt
    round_key: Text
    department: Text | None
    kind: Text  # e.g. "Ballot.Cast", "ScoringWindow.Closed".
    actor: Text  # "organiser:…", "department:…", or "代表（匿名）" for ballots.
    reason: Text
    at: Moment
    summary: Text


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


HALVES: Bounds = ((None, UUID(int=1 << 127)), (UUID(int=1 << 127), None))
"""By ballot id, in halves: a bulk rebuild loads and indexes each half in a process of its own
(``projections.bulk_ballots``), and attaches them. All the rows of one ballot are in the same half."""


ROUNDS = Table("rounds_view", RoundRow, ("round_key",))
DEPARTMENTS = Table("departments_view", DepartmentRow, ("round_key", "department"))
WINDOWS = Table("windows_view", WindowRow, ("round_key", "department"))
REPRESENTATIVES = Table(
    "representatives_view",
    RepresentativeRow,
    ("representative_id",),
    (Index("representatives_view_round", ("round_key", "sitting", "venue")),),
)
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
VENUES = Table("venues_view", VenueRow, ("round_key", "venue"))
SUGGESTIONS = Table(
    "suggestions_view",
    SuggestionRow,
    ("suggestion_id",),
    (Index("suggestions_view_department", ("round_key", "department")),),
)
REPORT_REVISIONS = Table(
    "report_revisions_view",
    ReportRevisionRow,
    ("round_key", "department", "revision"),
    append_only=True,
)
OPINIONS = Table(
    "opinions_view",
    OpinionRow,
    ("opinion_id",),
    (
        Index("opinions_view_round", ("round_key", "department")),
        Index("opinions_view_lead", ("round_key", "lead")),
    ),
)
HISTORY = Table(
    "history_view",
    HistoryRow,
    ("position",),
    (
        Index("history_view_round", ("round_key", "department", "kind")),
        Index("history_view_kind", ("round_key", "kind", "position")),
    ),
    append_only=True,
    sampled=10,
    unsampled=("actor", "reason", "summary"),
)
ONLINE_CHANNELS = Table("online_channels_view", OnlineChannelRow, ("round_key",))
ONLINE_BALLOTS = Table(
    "online_ballots_view",
    OnlineBallotRow,
    ("ballot_id",),
    (Index("online_ballots_view_department", ("round_key", "department")),),
)
ONLINE_RESULTS = Table("online_results_view", OnlineResultRow, ("round_key", "department"))

TABLES = (
    ROUNDS,
    DEPARTMENTS,
    WINDOWS,
    REPRESENTATIVES,
    BALLOTS,
    RECEIPTS,
    RESULTS,
    RANKINGS,
    VENUES,
    SUGGESTIONS,
    REPORT_REVISIONS,
    HISTORY,
    OPINIONS,
    ONLINE_CHANNELS,
    ONLINE_BALLOTS,
    ONLINE_RESULTS,
)
"""Every read-model table, in the order they are created."""


def view_tables() -> list[str]:
    """Every table's name (what a rebuild drops), partitions aside (dropped with their table)."""
    return [table.name for table in TABLES]
