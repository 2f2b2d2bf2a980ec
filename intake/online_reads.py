"""网上投票的读取 — what a batch of online ballots needs, read at once and kept between batches.

The domain reads each online ballot's voter, ballot, round and channel one by one, every one from its first
event (``OnlineEvaluation._read_online``), and saves the ballot in a transaction of its own. Profiled on the
demo round (300 ballots, cProfile): 12.6 ms a ballot, three quarters of it waiting on PostgreSQL — the
four reads about 1.2 ms each, the save about 7 ms (the table lock, the chain's link, the commit). The ballot
writer's ``IntakeApp`` reads a batch's aggregates in one query instead (``load_many``), keeping the voters
(invitations, phones), rounds and channels, which casting never commands, between batches and reading only
their newer events: a voter voided, or a period changed, through any process is seen by the very next batch.
Each online ballot's save is also guarded by the versions of its voter and channel read
(``OnlineEvaluation._prepare_online``), so a void or a change committed meanwhile makes the batch redo its
ballots one by one on fresh reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from evaluation.online import OnlineCast
from evaluation.online_ballot import online_ballot_id
from evaluation.online_channel import OnlineChannel, online_channel_id
from evaluation.online_voters import Invitation, OnlinePhone, voter_id
from evaluation.round import Round, round_id

if TYPE_CHECKING:
    from intake.fast_app import IntakeApp

ONLINE_READ_ONLY: tuple[type[Aggregate], ...] = (Invitation, OnlinePhone, OnlineChannel, Round)
"""What an online ballot reads but never commands: kept between batches, brought up to date at each."""


def read_online(app: IntakeApp, casts: list[OnlineCast]) -> dict[object, object]:
    """As ``OnlineEvaluation._read_online``, in one query: voters, ballots, rounds and channels by aggregate
    id (a ballot not yet cast, or a missing aggregate, absent), and each seat's pseudonym and ballot id by
    (round, identity, department)."""
    seats = {(r.round_key, r.identity, r.department) for r in casts}
    ballots = {seat: _ballot_of(app.keys.online_pseudonym(*seat)) for seat in seats}
    keys = {r.round_key for r in casts}
    voters = [vid for r in casts if (vid := voter_id(r.round_key, r.identity)) is not None]
    wanted: list[UUID] = [
        *voters,
        *(bid for _, bid in ballots.values()),
        *(round_id(k) for k in keys),
        *(online_channel_id(k) for k in keys),
    ]
    reads: dict[object, object] = dict(app.load_many(wanted, keep=ONLINE_READ_ONLY).items())
    reads.update(ballots.items())
    return reads


def _ballot_of(pseudonym: str) -> tuple[str, UUID]:
    return pseudonym, online_ballot_id(pseudonym)
