"""The application as the ballot writer runs it: the same commands and rules, saved faster.

``IntakeApp`` adds to ``EvaluationApp`` what the peak minute needs and a reader of the domain does not:

- ``cast_ballots``: many ballots in one transaction, tablets' and online citizens' (``OnlineRequest``),
  each checked by the domain's own rules (``_prepare``, ``_prepare_online``) and answered as if cast alone;
  a batch that conflicts with another writer is redone ballot by ballot;
- ``load_many``: every aggregate a batch needs in one read, keeping the ones casting never commands
  (representatives, windows, rounds; online voters and channels, intake/online_reads.py) between batches
  and reading only their newer events;
- ``give_back``: the ballots just saved, handed to their next read instead of reading their history again;
- ``save``: the library's save, less its two Protocol checks per aggregate.

A batch's ballots are saved in a random order (``secrets.SystemRandom``), not in the order they arrived:
their positions in the log then say nothing of who was at a tablet when.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from secrets import SystemRandom
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError, Recording

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot, ballot_id
from evaluation.errors import EvaluationError
from evaluation.keys import SEATS_REMEMBERED
from evaluation.online import OnlineCast
from evaluation.online_ballot import OnlineBallot
from evaluation.representative import Representative
from evaluation.round import Round, round_id
from evaluation.service import last_position, refuse_nul
from evaluation.voting import CastRequest, Receipt
from evaluation.window import ScoringWindow, window_id
from intake.busy import Busy, SessionEnded
from intake.online_reads import read_online
from intake.wire import OnlineRequest, Request
from storage.representative_sessions import live_among

READ_ONLY = (Representative, ScoringWindow, Round)
"""What casting reads but never commands: kept between batches (``load_many``)."""
KEPT_MAX = 50_000
_shuffle = SystemRandom().shuffle
GIVEN_MAX = SEATS_REMEMBERED
"""Ballots kept between a writer's batches (about 1 KB each): one per seat, as the keyring's pseudonyms."""


class IntakeApp(EvaluationApp):
    """One per ballot writer process (and for the demo's bulk scoring); not for sharing between threads."""

    name = EvaluationApp.name
    """The same event table as the plain application's: the library would name it after the class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept: dict[UUID, Aggregate] = {}
        self.given: dict[UUID, Aggregate] = {}

    def cast_ballots(self, requests: Sequence[Request]) -> list[Receipt | EvaluationError]:
        """成批投票 (group commit) — many ballots in one transaction, each answered as if cast alone.

        Tablets' and online citizens' ballots alike (``OnlineRequest``), each checked by its own rules. If
        the batch conflicts with another writer, each ballot is redone on its own. A ballot whose
        server-side session has ended is refused (one query for the batch, after every ballot arrived).
        """
        ended = self._ended_sessions(requests)
        tablets = [r for r in requests if isinstance(r, CastRequest)]
        online = [r.cast for r in requests if isinstance(r, OnlineRequest)]
        reads = self._read_for(tablets) if tablets else {}
        online_reads = self._read_online(online) if online else {}
        pending: dict[UUID, Ballot] = {}
        pending_online: dict[UUID, OnlineBallot] = {}
        guards: dict[UUID, int] = {}
        answers: list[Receipt | EvaluationError | tuple[Ballot, str]] = []
        for request in requests:
            if isinstance(request, CastRequest) and request.session in ended:
                answers.append(SessionEnded())
                continue
            try:
                prepared = self._prepared(request, reads, online_reads, pending, pending_online)
            except EvaluationError as refusal:
                answers.append(refusal)
                continue
            if isinstance(prepared, Receipt):
                answers.append(prepared)
                continue
            ballot, seen, receipt = prepared
            guards.update(seen)
            answers.append((ballot, receipt))
        batch: list[Ballot] = [*pending.values(), *pending_online.values()]
        _shuffle(batch)  # their positions in the log follow no arrival order
        try:
            position = last_position(self.save(*batch, guards=guards)) if batch else 0
        except IntegrityError:
            return [
                SessionEnded() if isinstance(r, CastRequest) and r.session in ended else self._alone(r)
                for r in requests
            ]
        # the ballots saved were given back by ``save``; these were read and left as they were (resends)
        saved = {b.id for b in batch}
        read = [*reads.values(), *online_reads.values()]
        self.give_back([b for b in read if isinstance(b, Ballot) and b.id not in saved])
        return [
            Receipt(a[1], a[0].id, a[0].department, False, position) if isinstance(a, tuple) else a
            for a in answers
        ]

    def _prepared(
        self,
        request: Request,
        reads: dict[object, object],
        online_reads: dict[object, object],
        pending: dict[UUID, Ballot],
        pending_online: dict[UUID, OnlineBallot],
    ) -> Receipt | tuple[Ballot, dict[UUID, int], str]:
        """The domain's checks for one ballot of the batch (``_prepare``, ``_prepare_online``): its receipt if
        it is a resend, else the ballot to save (added to its ``pending``) and the versions guarding its save."""
        if isinstance(request, OnlineRequest):
            online = self._prepare_online(request.cast, request.now, online_reads, pending_online)
            if isinstance(online, Receipt):
                return online
            pending_online[online[0].id] = online[0]
            return online
        prepared = self._prepare(request, reads, pending)
        if isinstance(prepared, Receipt):
            return prepared
        ballot, window, receipt = prepared
        pending[ballot.id] = ballot
        return ballot, {window.id: window.version}, receipt

    def _ended_sessions(self, requests: Sequence[Request]) -> set[str]:
        """The sessions of ``requests`` that are over (storage/representative_sessions.py); none asked for
        requests that carry none (online ballots, the demo's bulk scoring, the domain's own tests)."""
        sessions = {r.session for r in requests if isinstance(r, CastRequest) and r.session}
        if not sessions:
            return set()
        return sessions - live_among(self.recorder.datastore, sessions)  # type: ignore[attr-defined]

    def _alone(self, r: Request) -> Receipt | EvaluationError:
        try:
            if isinstance(r, OnlineRequest):
                return self.cast_online_ballot(r.cast, r.now)
            return self.cast_ballot(
                r.representative_id, r.department, r.client_id, r.choice, r.scores, r.comment
            )
        except EvaluationError as refusal:
            return refusal
        except IntegrityError:
            return Busy()

    def _read_online(self, casts: list[OnlineCast]) -> dict[object, object]:
        """The online ballots' reads in one query, kept between batches (intake/online_reads.py)."""
        return read_online(self, casts)

    def _read_for(self, requests: list[CastRequest]) -> dict[object, object]:
        """Everything the requests need, read at once: representatives, ballots, windows and rounds in one
        query (a representative kept from an earlier batch already says its round), and the windows and
        rounds of representatives not seen before in a second. Keyed by aggregate id, by round key for
        rounds, and by (representative, department) for the ballot's pseudonym and id."""
        seats = {(r.representative_id, r.department) for r in requests}
        ballots = {seat: _ballot_of(self.keys.pseudonym(*seat)) for seat in seats}
        reps = {rep for rep, _ in seats}
        kept = {rep.round_key for rep in map(self.kept.get, reps) if isinstance(rep, Representative)}
        around = _windows_and_rounds(kept, seats)
        found = self.load_many([*reps, *(bid for _, bid in ballots.values()), *around], keep=READ_ONLY)
        round_keys = {rep.round_key for rep in found.values() if isinstance(rep, Representative)}
        if unread := [i for i in _windows_and_rounds(round_keys, seats) if i not in around]:
            found.update(self.load_many(unread, keep=READ_ONLY))
        reads: dict[object, object] = dict(found.items())
        reads.update(ballots.items())
        reads.update({key: found.get(round_id(key)) or self.round(key) for key in round_keys})
        return reads

    def load_many(self, ids: list[UUID], keep: tuple[type[Aggregate], ...] = ()) -> dict[UUID, Aggregate]:
        """Several aggregates in one read; missing ones are simply absent.

        Aggregates of the ``keep`` types are kept between calls, and only their newer events are read
        (so each read is still as of the store, for every process). The kept objects are shared and must
        never be changed: a caller passes ``keep`` only for aggregates it reads without commanding them.
        An aggregate given back after its save (``give_back``) is handed to the next read of it alone,
        brought up to date in place: that caller owns it, and gives it back once its own save succeeded.
        """
        wanted = list(dict.fromkeys(ids))
        known = {i: self.kept[i] for i in wanted if i in self.kept} if keep else {}
        owned = {i: a for i in wanted if (a := self.given.pop(i, None)) is not None}
        after = [a.version if (a := known.get(i) or owned.get(i)) else 0 for i in wanted]
        stored = self.recorder.select_events_of(wanted, after)  # type: ignore[attr-defined]
        events: dict[UUID, list[Any]] = {}
        for record in stored:
            events.setdefault(record.originator_id, []).append(self.mapper.to_domain_event(record))
        found: dict[UUID, Aggregate] = {**known, **owned}
        for aggregate_id, history in events.items():
            # a kept one is shared, so never changed in place; an owned one is the caller's
            aggregate: Any = owned.get(aggregate_id) or copy.deepcopy(known.get(aggregate_id))
            for event in history:  # the library's project_aggregate, less its per-event Protocol check
                aggregate = event.mutate(aggregate)
            if isinstance(aggregate, Aggregate):
                found[aggregate_id] = aggregate
                if isinstance(aggregate, keep):
                    _remember(self.kept, aggregate, KEPT_MAX)
        return found

    def give_back(self, aggregates: list[Aggregate]) -> None:
        """Aggregates just saved (or read and left unchanged) by a command, for its next read to take
        instead of reading their history again. Only after the save succeeded: a failed save leaves
        changes in memory that the store does not have, and those objects are dropped."""
        for aggregate in aggregates:
            if not aggregate.pending_events:
                _remember(self.given, aggregate, GIVEN_MAX)

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """In one transaction, as the library's save, less its two Protocol checks per aggregate; the
        ballots saved are given back (``give_back``) for their next cast."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in cast(tuple[Aggregate, ...], objs):  # casting saves aggregates only
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        for event in processing.events:
            refuse_nul(vars(event))
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.give_back([a for a in processing.aggregates.values() if isinstance(a, Ballot)])
        return recordings


def _windows_and_rounds(round_keys: set[str], seats: set[tuple[UUID, str]]) -> list[UUID]:
    windows = {window_id(k, department) for k in round_keys for _, department in seats}
    return [*windows, *(round_id(k) for k in round_keys)]


def _ballot_of(pseudonym: str) -> tuple[str, UUID]:
    return pseudonym, ballot_id(pseudonym)


def _remember(held: dict[UUID, Aggregate], aggregate: Aggregate, most: int) -> None:
    """Holds ``aggregate`` by its id, letting go of the oldest held when ``most`` are held already."""
    if len(held) >= most:
        held.pop(next(iter(held)), None)
    held[aggregate.id] = aggregate
