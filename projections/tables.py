"""读模型的表 — every read-model table, declared once: its row (a NamedTuple whose fields are its columns, in
table order, each with its SQL type), its primary key, indexes, partitions and statistics. They are declared
by area, in ``tables_setup`` (the round, its people, reports and history), ``tables_ballots`` (ballots, receipts,
results, rankings), ``tables_opinions`` (suggestions, opinions) and ``tables_online`` (网络评议), and all
imported from here; ``TABLES`` is their order of creation.

Everything else is derived from here: the tables the projection creates and the rebuild creates in steps
(``projections.table_ddl``), the statements that write rows (``projections.view_sql``), the COPY column
lists and types (``projections.bulk_copy``). A row is built by its NamedTuple, so adding a column is one
field here, and mypy then asks every place that builds the row for its value.

Read by the web through asyncpg, written only by the projection process (one transaction per batch, with
its tracking row). Every table is in the schema of the event store.
"""

from __future__ import annotations

from projections.tables_ballots import (
    BALLOTS,
    HALVES,
    RANKINGS,
    RECEIPTS,
    RESULTS,
    BallotRow,
    RankingRow,
    ReceiptRow,
    ResultRow,
)
from projections.tables_online import (
    ONLINE_BALLOTS,
    ONLINE_CHANNELS,
    ONLINE_RESULTS,
    OnlineBallotRow,
    OnlineChannelRow,
    OnlineResultRow,
)
from projections.tables_opinions import OPINIONS, SUGGESTIONS, OpinionRow, SuggestionRow
from projections.tables_setup import (
    DEPARTMENTS,
    HISTORY,
    REPORT_REVISIONS,
    REPRESENTATIVES,
    ROUNDS,
    VENUES,
    WINDOWS,
    DepartmentRow,
    HistoryRow,
    ReportRevisionRow,
    RepresentativeRow,
    RoundRow,
    VenueRow,
    WindowRow,
)

__all__ = [
    "RoundRow",
    "DepartmentRow",
    "WindowRow",
    "RepresentativeRow",
    "VenueRow",
    "ReportRevisionRow",
    "HistoryRow",
    "ROUNDS",
    "DEPARTMENTS",
    "WINDOWS",
    "REPRESENTATIVES",
    "VENUES",
    "REPORT_REVISIONS",
    "HISTORY",
    "BallotRow",
    "ReceiptRow",
    "ResultRow",
    "RankingRow",
    "BALLOTS",
    "RECEIPTS",
    "RESULTS",
    "RANKINGS",
    "HALVES",
    "SuggestionRow",
    "OpinionRow",
    "SUGGESTIONS",
    "OPINIONS",
    "OnlineChannelRow",
    "OnlineBallotRow",
    "OnlineResultRow",
    "ONLINE_CHANNELS",
    "ONLINE_BALLOTS",
    "ONLINE_RESULTS",
    "TABLES",
    "view_tables",
]

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
