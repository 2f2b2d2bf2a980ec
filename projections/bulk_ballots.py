"""选票的重建进程 — the ballots of a bulk rebuild, folded in processes of their own.

One Python thread folding every event bounded a rebuild, and most events are ballots. A ballot's fold
reads only its round, its department and that department's scoring window (scoring.md §2), so each of
``SHARES`` processes reads the events of ``BALLOT_SIDE`` in order, the ballots of its share of ballot ids
only, and folds them with the same ``fold``, while the rebuilding process folds every event of another
aggregate (``projections.bulk``).

A ballot process sends what the Ballot events write as whole binary COPYs (``copy_format``), which the
rebuilding process sends on in its own transaction: every ``drain`` events (its ``DRAIN``), the rows of
the ballots, receipts and history lines folded since the last. Last it sends ``BallotTotals``: what the
rebuilding process needs to count each department, the ballots changed after their row was sent, how
far it read.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any
from uuid import UUID

from evaluation.ballot import Ballot
from projections import view_sql as v
from projections.bulk_copy import Streamer, copy_format, prepare
from projections.changes import BallotRow, Changes
from projections.event_log import EventReader
from projections.event_source import Aggregates, stored_events
from projections.fold import fold
from projections.scoring import BallotKind
from projections.state import ViewState

BALLOT = Ballot.__name__
BALLOT_SIDE = frozenset({"Round", "Department", "ScoringWindow", BALLOT})
"""The ballots and what their fold reads."""
NOT_BALLOTS = Aggregates(frozenset({BALLOT}), excluded=True)
"""What the rebuilding process folds."""
SHARES = 2
"""Ballot processes, each folding the ballots of one share of ballot ids (with every event they read)."""
TABLES = {table.field: table for table in v.WRITES}
BY_NAME = {table.name: table for table in v.WRITES}

Multisets = dict[str, dict[str, Counter[tuple[str, BallotKind]]]]
"""Round → department → (venue, ballot kind) → how many of its ballots count (``RoundFacts.multisets``)."""


@dataclass
class BallotTotals:
    """What the ballots changed, beyond their rows: the rebuilding process counts with it."""

    events: int = 0
    """Ballot events folded."""
    position: int = 0
    """The position of the last event read."""
    multisets: Multisets = field(default_factory=dict)
    tallies: set[tuple[str, str]] = field(default_factory=set)
    venues: set[tuple[str, str]] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    voids: dict[UUID, int] = field(default_factory=dict)
    late: dict[UUID, BallotRow] = field(default_factory=dict)
    """Ballots changed after their row was sent: their rows as they are at the end."""


Payload = tuple[str, bytes]
Message = Payload | BallotTotals | str
"""(table name, its binary COPY), then the totals; a ``str`` is the traceback of a failure."""


def fold_ballots(env: dict[str, str], stop: int, share: int, drain: int, pipe: Connection) -> None:
    """The process's target: fold the ballot side up to ``stop``, the ballots of share ``share`` of
    ``SHARES``, sending its rows every ``drain`` events and its totals on ``pipe``."""
    gc.disable()  # millions of long-lived objects and no cycles (as in ``projections.bulk``)
    only = Aggregates(BALLOT_SIDE, split=BALLOT, index=share, shares=SHARES)
    try:
        reader = EventReader(env=env)
        try:
            with reader.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
                curs = conn.cursor()
                prepare(curs)
                for message in _folded(reader, stop, only, drain, curs):
                    pipe.send(message)
        finally:
            reader.close()
    except BaseException:  # noqa: BLE001 - reported to the rebuilding process, which raises
        pipe.send(traceback.format_exc())
    finally:
        pipe.close()


def _folded(reader: EventReader, stop: int, only: Aggregates, drain: int, curs: Any) -> Iterator[Message]:
    state, changes, totals = ViewState(), Changes(), BallotTotals()
    sent: set[UUID] = set()
    for folded, (totals.position, event) in enumerate(stored_events(reader, stop, only=only), 1):
        fold(state, changes, event, totals.position)
        totals.events += isinstance(event, Ballot.Event)
        if folded % drain == 0:
            yield from _appended(curs, changes, sent, totals.late)
    yield from _appended(curs, changes, sent, totals.late)
    yield _totals(state, changes, totals)


def _appended(curs: Any, changes: Changes, sent: set[UUID], late: dict[UUID, BallotRow]) -> Iterator[Payload]:
    """The rows folded since the last sending: the ballots not sent yet (a later version of one sent waits
    in ``late``, to replace it once the table has its key), the receipts, the Ballot events' history."""
    ballots = []
    for ballot, row in changes.ballots.items():
        if ballot in sent:
            late[ballot] = row
        else:
            sent.add(ballot)
            ballots.append(row)
    history = [row for row in changes.history if row[3].startswith(f"{BALLOT}.")]
    for table, rows in (("ballots", ballots), ("receipts", changes.receipts), ("history", history)):
        if rows:
            yield TABLES[table].name, copy_format(curs, TABLES[table], rows)
    changes.ballots, changes.receipts, changes.history = {}, [], []


def _totals(state: ViewState, changes: Changes, totals: BallotTotals) -> BallotTotals:
    for key, round_ in state.rounds.items():
        totals.multisets[key] = {d: round_.counted_ballots(d) for d in round_.ballots}
    totals.tallies, totals.venues = changes.tallies, changes.venues
    totals.touched, totals.voids = changes.touched, changes.voids
    return totals


class BallotSideFailed(RuntimeError):
    """The ballot side's process failed (its traceback is the message) or ended without its totals."""


class BallotProcess:
    """The ballot side's process, seen from the rebuilding process: a thread hands each COPY it sends to
    ``streamer``; ``totals`` waits for the last; ``close`` ends the process in any case."""

    def __init__(self, env: dict[str, str], stop: int, share: int, drain: int, streamer: Streamer) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no thread or connection forked
        self.pipe, theirs = context.Pipe(duplex=False)
        self.process = context.Process(
            target=fold_ballots, args=(env, stop, share, drain, theirs), name=f"bulk-ballots-{share}"
        )
        self.process.start()
        theirs.close()
        self.result: BallotTotals | BaseException = BallotSideFailed("投票重建进程未结束")
        self.relay = threading.Thread(target=self._relay, args=(streamer,), name="bulk-relay", daemon=True)
        self.relay.start()

    def _relay(self, streamer: Streamer) -> None:
        try:
            while isinstance(message := self.pipe.recv(), tuple):
                streamer.send_data(BY_NAME[message[0]], message[1])
            self.result = message if isinstance(message, BallotTotals) else BallotSideFailed(message)
        except EOFError:  # it ended without a word (killed)
            self.process.join(timeout=5)
            self.result = BallotSideFailed(f"投票重建进程意外结束（退出码 {self.process.exitcode}）")
        except BaseException as error:  # noqa: BLE001 - raised by totals()
            self.result = error

    def totals(self) -> BallotTotals:
        self.relay.join()
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result

    def close(self) -> None:
        if not isinstance(self.result, BallotTotals) and self.process.is_alive():  # the rebuild failed
            self.process.terminate()
        self.process.join()
        self.relay.join()
        self.pipe.close()
