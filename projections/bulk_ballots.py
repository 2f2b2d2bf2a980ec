"""选票的重建进程 — the ballots of a bulk rebuild, folded and written by processes of their own.

One Python thread folding every event bounded a rebuild, and most events are ballots. A ballot's fold
reads only its round, its department and that department's scoring window (docs/scoring.md §2), so each
process reads the events of ``BALLOT_SIDE`` in order, the ballots of one partition of the ballots' tables
only (a range of ballot ids, ``projections.tables.HALVES``), and folds them with the same ``fold``,
while the rebuilding process folds every event of another aggregate (``projections.bulk``).

A process writes its partitions itself, in its own transaction: it COPYs the rows of its ballots and
receipts into staging tables every ``drain`` events; at the end it builds their keys and indexes, rewrites
the ballots changed after their row was copied (and voids those voided), and commits
(``projections.bulk_partitions``). Then it sends ``BallotTotals``: what the rebuilding process needs to
count each department, and the history lines of its ballots' voids. The rebuilding process starts it and
reads those (``projections.bulk_ballot_process``), and attaches the partitions in its own transaction.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import sys
import traceback
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from evaluation.ballot import Ballot
from evaluation.department import Department
from evaluation.round import Round
from evaluation.window import ScoringWindow
from projections import bulk_partitions
from projections import tables as t
from projections import view_sql as v
from projections.ballot_points import BallotKind
from projections.bulk_copy import Streamer, prepare
from projections.bulk_schema import partition_sets
from projections.changes import Changes
from projections.event_log import EventReader
from projections.event_source import Aggregates, stored_events
from projections.fold import NO_VIEW, fold
from projections.state import ViewState
from projections.table_model import Partition, Table
from projections.tables import BallotRow, HistoryRow

BALLOT = Ballot.__name__
BALLOT_SIDE = (Round, Department, ScoringWindow, Ballot)
"""The ballots and what their fold reads."""
NOT_BALLOTS = Aggregates((Ballot, *NO_VIEW), excluded=True)
"""What the rebuilding process reads and folds (the events of ``NO_VIEW`` change no view: not read)."""

Multisets = dict[str, dict[str, Counter[BallotKind]]]
"""Round → department → ballot kind → how many of its ballots count (``RoundFacts.multisets``)."""


@dataclass
class BallotTotals:
    """What the ballots changed, beyond their partitions' rows: the rebuilding process counts with it."""

    multisets: Multisets = field(default_factory=dict)
    tallies: set[tuple[str, str]] = field(default_factory=set)
    venues: set[tuple[str, str]] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    history: list[HistoryRow] = field(default_factory=list)
    """The history lines of the Ballot events that have one (voids: a version's line is its receipt)."""


@dataclass
class Written:
    """What a process keeps while it writes: the ballots copied, and those changed after."""

    copied: set[int] = field(default_factory=set)
    """By the id's ``int`` (hashed in C; a UUID is hashed in Python)."""
    late: dict[UUID, BallotRow] = field(default_factory=dict)
    voids: dict[UUID, int] = field(default_factory=dict)


def fold_ballots(env: Mapping[str, str], stop: int, partition: int, drain: int, out: BinaryIO) -> None:
    """The process's work: fold the ballot side up to ``stop``, the ballots of partition ``partition``; write
    that partition of each table and commit it; write the totals, pickled, on ``out`` (a traceback's text if it failed)."""
    gc.disable()  # millions of long-lived objects and no cycles (as in ``projections.bulk``)
    partitions = partition_sets()[partition]
    only = Aggregates(BALLOT_SIDE, split=Ballot, low=partitions[0].low, high=partitions[0].high)
    try:
        reader = EventReader(env=dict(env))
        try:
            with reader.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
                schema = reader.recorder.datastore.schema  # type: ignore[attr-defined]
                prepare(curs)
                curs.execute("SET LOCAL max_parallel_maintenance_workers = 0")  # the cores are busy
                curs.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(schema)))
                bulk_partitions.create(curs, partitions)
                totals, written = _write(reader, stop, only, drain, curs, schema, partitions)
                bulk_partitions.index(curs, partitions)
                _rewrite(curs, schema, written, _staging(partitions, t.BALLOTS))
        finally:
            reader.close()
        pickle.dump(totals, out)
    except BaseException:  # noqa: BLE001 - reported to the rebuilding process, which raises
        pickle.dump(traceback.format_exc(), out)
    finally:
        out.close()
        os._exit(0)  # at once: its millions of objects need not be freed one by one (~0.5 s)


def main() -> None:
    """``python -m projections.bulk_ballots STOP PARTITION DRAIN FD``: one ballot process, with the event
    store's settings in its environment, writing on file descriptor FD."""
    stop, partition, drain, fd = map(int, sys.argv[1:5])
    fold_ballots(os.environ, stop, partition, drain, os.fdopen(fd, "wb"))


def _staging(partitions: list[Partition], parent: Table) -> Table:
    """The table a view table's rows are copied into: its partition's staging table."""
    name = next(p.staging for p in partitions if p.parent == parent.name)
    return dataclasses.replace(parent, name=name)


def _write(
    reader: EventReader,
    stop: int,
    only: Aggregates,
    drain: int,
    curs: Cursor[Any],
    schema: str,
    partitions: list[Partition],
) -> tuple[BallotTotals, Written]:
    """Fold, COPYing the rows every ``drain`` events (from a thread, while the fold goes on)."""
    state, changes, totals, written = ViewState(), Changes(), BallotTotals(), Written()
    tables = [_staging(partitions, t.BALLOTS), _staging(partitions, t.RECEIPTS)]
    streamer = Streamer(curs, schema, tables)
    try:
        for folded, (position, event) in enumerate(stored_events(reader, stop, only=only), 1):
            fold(state, changes, event, position)
            if folded % drain == 0:
                _hand_over(changes, streamer, written, totals)
        _hand_over(changes, streamer, written, totals)
    finally:
        streamer.close()
    for key, round_ in state.rounds.items():
        totals.multisets[key] = {d: round_.counted_ballots(d) for d in round_.ballots}
    totals.tallies, totals.venues, totals.touched = changes.tallies, changes.venues, changes.touched
    return totals, written


def _hand_over(changes: Changes, streamer: Streamer, written: Written, totals: BallotTotals) -> None:
    """The rows folded since the last hand-over go to the COPY: the ballots not copied yet (a later version
    of one copied waits in ``written.late``), the receipts. The Ballot events' history lines are kept."""
    ballots = []
    for ballot, row in changes.ballots.items():
        if ballot.int in written.copied:
            written.late[ballot] = row
        else:
            written.copied.add(ballot.int)
            ballots.append(row)
    streamer.send(ballots, changes.receipts)
    totals.history += [row for row in changes.history if row.kind.startswith(f"{BALLOT}.")]
    written.voids.update(changes.voids)
    changes.ballots, changes.receipts, changes.history, changes.voids = {}, [], [], {}


def _rewrite(curs: Cursor[Any], schema: str, written: Written, ballots: Table) -> None:
    """Once the key is built: the ballots changed after their row was copied, then the voids of those."""
    if written.late:
        late = list(written.late.values())
        curs.execute(v.statement(ballots, schema), v.as_columns(late, len(ballots.columns)))
    if written.voids:
        voids = [(position, ballot) for ballot, position in written.voids.items()]
        curs.executemany(v.void_statement(schema, ballots.name), voids)


if __name__ == "__main__":
    from projections.bulk_ballots import main as run  # its classes pickled under the module's own name

    run()
