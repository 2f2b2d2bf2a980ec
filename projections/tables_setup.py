"""读模型的表: a round's setup — the round, its departments and their scoring windows, representatives,
venues' 对账, the reports' revisions, and the history of every event (``projections.tables`` lists them all)."""

from __future__ import annotations

from typing import NamedTuple

from projections.table_model import BigInt, Bool, Index, Int, Json, Moment, Table, Text, Uuid


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


class VenueRow(NamedTuple):
    """对账 per venue."""

    round_key: Text
    venue: Text
    issued: Int
    checked_in: Int


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


ROUNDS = Table("rounds_view", RoundRow, ("round_key",))
DEPARTMENTS = Table("departments_view", DepartmentRow, ("round_key", "department"))
WINDOWS = Table("windows_view", WindowRow, ("round_key", "department"))
REPRESENTATIVES = Table(
    "representatives_view",
    RepresentativeRow,
    ("representative_id",),
    (Index("representatives_view_round", ("round_key", "sitting", "venue")),),
)
VENUES = Table("venues_view", VenueRow, ("round_key", "venue"))
REPORT_REVISIONS = Table(
    "report_revisions_view",
    ReportRevisionRow,
    ("round_key", "department", "revision"),
    append_only=True,
)
# It grows with every ballot: its statistics are kept small, like ballots_view's (projections.tables_ballots).
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
